import { afterEach, describe, expect, it } from 'vitest';
import { defaultSeries } from '../testkit/fakeBraze.js';
import { useFakeBrazeWithGatewaysPerTest } from './helpers/gateway.js';
import { isCI } from './helpers/browser.js';
import { redisAvailable, startRedis, type RedisServer } from '../testkit/redis.js';

/**
 * Fewer upstream calls: window coalescing within a request, in-flight sharing across requests, and
 * the cross-request cache in memory and in Redis. Every case counts the calls a local Braze received.
 */
const { braze, start: gatewayWith } = useFakeBrazeWithGatewaysPerTest();

const PAST = '2024-03-10T12:00:00Z';
type Series = { total: number; fetchedAt: string; points: { time: string; count: number }[] };
type Data = Record<string, Series | null>;
const seriesQuery = (fields: string) => `{ ${fields} }`;
const field = (alias: string, args: string) => `${alias}: eventSeries(${args}) { total fetchedAt points { time count } }`;

/** Braze-like answers that depend on the bucket, so a wrong slice shows: count = day-of-month·100 + hour. */
function realisticBraze(): void {
  braze.respond((call) => {
    const body = defaultSeries(call.query) as { message: string; data: { time: string; count: number }[] };
    for (const point of body.data) {
      const time = new Date(point.time.length === 10 ? `${point.time}T00:00:00Z` : `${point.time}Z`);
      point.count = time.getUTCDate() * 100 + time.getUTCHours();
    }
    return { body };
  });
}

describe('window coalescing within one request', () => {
  it.each(['DAY', 'HOUR'])('lengths 7, 14 and 30 (%s) are one call, and each slice is exactly what Braze answers for it', async (unit) => {
    realisticBraze();
    const gateway = await gatewayWith({});
    const args = (length: number) => `event: "purchase", length: ${length}, unit: ${unit}, endingAt: "${PAST}"`;
    const together = await gateway.query<Data>(seriesQuery([7, 14, 30].map((n) => field(`l${n}`, args(n))).join('\n')));
    expect(together.errors).toEqual([]);
    expect(braze.seriesCalls.map((c) => c.query['length'])).toEqual(['30']);
    expect(JSON.parse(together.body).extensions.brazeCache).toMatchObject({ misses: 1, coalesced: 2 });

    // Each length asked alone, in its own request: Braze's own answer for that length.
    for (const n of [7, 14, 30]) {
      const alone = await gateway.query<Data>(seriesQuery(field('one', args(n))));
      expect(together.data?.[`l${n}`]?.points).toEqual(alone.data?.['one']?.points);
      expect(together.data?.[`l${n}`]?.points).toHaveLength(n);
      expect(together.data?.[`l${n}`]?.total).toBe(alone.data?.['one']?.total);
    }
    expect(braze.seriesCalls.map((c) => c.query['length'])).toEqual(['30', '7', '14', '30']);
  });

  it('only calls that differ in length alone are coalesced', async () => {
    const gateway = await gatewayWith({});
    await gateway.query(
      seriesQuery(
        [
          field('a', `event: "e", length: 7, endingAt: "${PAST}"`),
          field('b', `event: "e", length: 14, endingAt: "${PAST}", appId: "web"`),
          field('c', `event: "e", length: 14, unit: HOUR, endingAt: "${PAST}"`),
        ].join('\n'),
      ),
    );
    expect(braze.seriesCalls).toHaveLength(3);
  });

  it('when Braze answers fewer points than asked, shorter lengths get calls of their own', async () => {
    braze.respond((call) => {
      const body = defaultSeries(call.query) as { message: string; data: unknown[] };
      return { body: { ...body, data: call.query['length'] === '30' ? body.data.slice(10) : body.data } };
    });
    const gateway = await gatewayWith({});
    const result = await gateway.query<Data>(
      seriesQuery([field('short', `event: "e", length: 7, endingAt: "${PAST}"`), field('long', `event: "e", length: 30, endingAt: "${PAST}"`)].join('\n')),
    );
    expect(result.data?.['short']?.points).toHaveLength(7);
    expect(result.data?.['long']?.points).toHaveLength(20);
    expect(braze.seriesCalls.map((c) => c.query['length'])).toEqual(['30', '7']);
  });
});

describe('in-flight sharing across requests', () => {
  it('two concurrent requests for the same series make one call and get the same numbers', async () => {
    braze.respond(async (call) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return { body: defaultSeries(call.query) };
    });
    const gateway = await gatewayWith({});
    const query = seriesQuery(field('s', `event: "e", length: 5, endingAt: "${PAST}"`));
    const [first, second] = await Promise.all([gateway.query<Data>(query), gateway.query<Data>(query)]);
    expect(first.data).toEqual(second.data);
    expect(first.data?.['s']?.total).toBe(15);
    expect(braze.seriesCalls).toHaveLength(1);
    const sources = [first, second].map((r) => JSON.parse(r.body).extensions.brazeCache);
    expect(sources).toContainEqual(expect.objectContaining({ shared: 1, misses: 0 }));
    expect(sources).toContainEqual(expect.objectContaining({ shared: 0, misses: 1 }));
  });

  it('a failure is shared by those waiting, and not kept: the next request calls again', async () => {
    let calls = 0;
    braze.respond(async (call) => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      return ++calls === 1 ? { status: 404, body: { message: 'no' } } : { body: defaultSeries(call.query) };
    });
    const gateway = await gatewayWith({ CACHE_ENABLED: 'true' });
    const query = seriesQuery(field('s', `event: "e", length: 2, endingAt: "${PAST}"`));
    const both = await Promise.all([gateway.query(query), gateway.query(query)]);
    expect(both.map((r) => r.errors[0]?.extensions?.['code'])).toEqual(['UPSTREAM_NOT_FOUND', 'UPSTREAM_NOT_FOUND']);
    expect(braze.seriesCalls).toHaveLength(1);
    const after = await gateway.query<Data>(query);
    expect(after.data?.['s']?.total).toBe(3);
    expect(braze.seriesCalls).toHaveLength(2);
  });

  it('one client leaving does not abort the call another still waits for', async () => {
    braze.respond(async (call) => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      return { body: defaultSeries(call.query) };
    });
    const gateway = await gatewayWith({});
    const query = seriesQuery(field('s', `event: "e", length: 4, endingAt: "${PAST}"`));
    const controller = new AbortController();
    const leaving = gateway.post(query, { signal: controller.signal }).catch(() => 'gone');
    while (braze.calls.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const staying = gateway.query<Data>(query);
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    expect(await leaving).toBe('gone');
    expect((await staying).data?.['s']?.total).toBe(10);
    expect(braze.seriesCalls).toHaveLength(1);
  });
});

describe('the in-memory cache', () => {
  const query = seriesQuery(field('s', `event: "e", length: 3, endingAt: "${PAST}"`));

  it('serves a repeat from memory, says how old it is, and is off with CACHE_ENABLED=false', async () => {
    const gateway = await gatewayWith({ CACHE_ENABLED: 'true' });
    const first = await gateway.query<Data>(query);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const second = await gateway.query<Data>(query);
    expect(second.data).toEqual(first.data);
    expect(braze.seriesCalls).toHaveLength(1);
    expect(JSON.parse(first.body).extensions.brazeCache).toEqual({ hits: 0, shared: 0, misses: 1, attempts: 1, coalesced: 0, maxAgeSeconds: 0 });
    expect(JSON.parse(second.body).extensions.brazeCache).toEqual({ hits: 1, shared: 0, misses: 0, attempts: 0, coalesced: 0, maxAgeSeconds: 1 });
    expect(second.data?.['s']?.fetchedAt).toBe(first.data?.['s']?.fetchedAt);

    const off = await gatewayWith({ CACHE_ENABLED: 'false' });
    await off.query(query);
    await off.query(query);
    expect(braze.seriesCalls).toHaveLength(3);
  });

  it('Cache-Control: no-cache skips the cache for one request and refreshes it', async () => {
    const gateway = await gatewayWith({ CACHE_ENABLED: 'true' });
    await gateway.query(query);
    const fresh = await gateway.post(query, { headers: { 'cache-control': 'no-cache' } });
    expect((await fresh.json()).extensions.brazeCache).toMatchObject({ hits: 0, misses: 1 });
    expect(braze.seriesCalls).toHaveLength(2);
    await gateway.query(query);
    expect(braze.seriesCalls).toHaveLength(2);
  });

  it('past windows expire after CACHE_TTL_PAST_MS; windows reaching now after CACHE_TTL_LIVE_MS', async () => {
    const gateway = await gatewayWith({ CACHE_ENABLED: 'true', CACHE_TTL_PAST_MS: '300', CACHE_TTL_SETTLED_MS: '300', CACHE_TTL_LIVE_MS: '1500' });
    const live = seriesQuery(field('s', 'event: "live", length: 2'));
    const liveAt = new Date(Math.floor(Date.now() / 1000) * 1000 + 2000).toISOString();
    const liveFixed = seriesQuery(field('s', `event: "live", length: 2, endingAt: "${liveAt}"`));
    await gateway.query(query);
    await gateway.query(liveFixed);
    await gateway.query(query);
    await gateway.query(liveFixed);
    expect(braze.seriesCalls).toHaveLength(2);
    await new Promise((resolve) => setTimeout(resolve, 450));
    await gateway.query(query); // past: expired
    await gateway.query(liveFixed); // live: still fresh
    expect(braze.seriesCalls.map((c) => c.query['event'])).toEqual(['e', 'live', 'e']);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    await gateway.query(liveFixed);
    expect(braze.seriesCalls.map((c) => c.query['event'])).toEqual(['e', 'live', 'e', 'live']);
    expect(live).toContain('live');
  });

  it('is bounded: with more keys than CACHE_MAX_ENTRIES, the least recently used is evicted', async () => {
    const gateway = await gatewayWith({ CACHE_ENABLED: 'true', CACHE_MAX_ENTRIES: '2' });
    const one = (event: string) => gateway.query(seriesQuery(field('s', `event: "${event}", length: 2, endingAt: "${PAST}"`)));
    await one('a');
    await one('b');
    await one('a'); // hit; b is now the least recently used
    await one('c'); // evicts b
    await one('a'); // hit
    await one('c'); // hit
    await one('b'); // evicted: calls again
    expect(braze.seriesCalls.map((c) => c.query['event'])).toEqual(['a', 'b', 'c', 'b']);
  });
});

const redisHere = await redisAvailable();
if (!redisHere) console.warn(`redis tests ${isCI() ? 'FAIL' : 'skipped'}: /usr/bin/redis-server is missing (apt-get install redis-server)`);

describe.skipIf(!redisHere && !isCI())('the Redis cache (REDIS_URL)', () => {
  let redis: RedisServer | undefined;
  afterEach(async () => {
    await redis?.kill();
    redis = undefined;
  });

  it('is shared by two gateway instances: one upstream call for both', async () => {
    if (!redisHere) throw new Error('CI is set and /usr/bin/redis-server is missing');
    redis = await startRedis();
    const env = { CACHE_ENABLED: 'true', REDIS_URL: redis.url, REDIS_KEY_PREFIX: `test-${Date.now()}:` };
    const [a, b] = await Promise.all([gatewayWith(env), gatewayWith(env)]);
    const query = seriesQuery(field('s', `event: "shared", length: 3, endingAt: "${PAST}"`));
    const first = await a.query<Data>(query);
    await new Promise((resolve) => setTimeout(resolve, 50)); // the cache write is not awaited by the answer
    const second = await b.query<Data>(query);
    expect(first.errors).toEqual([]);
    expect(second.data).toEqual(first.data);
    expect(JSON.parse(second.body).extensions.brazeCache).toMatchObject({ hits: 1, misses: 0 });
    expect(braze.seriesCalls).toHaveLength(1);
    expect(a.logs.some((l) => l.includes('cache: redis'))).toBe(true);
    expect(a.logs.join('\n')).not.toContain(redis.url);
  });

  it('stopped mid-run: requests still answer from Braze, and the outage is logged', async () => {
    if (!redisHere) throw new Error('CI is set and /usr/bin/redis-server is missing');
    redis = await startRedis();
    const gateway = await gatewayWith({ CACHE_ENABLED: 'true', REDIS_URL: redis.url, REDIS_KEY_PREFIX: `test-${Date.now()}:` });
    const query = seriesQuery(field('s', `event: "outage", length: 3, endingAt: "${PAST}"`));
    await gateway.query(query);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await gateway.query(query);
    expect(braze.seriesCalls).toHaveLength(1);

    await redis.kill();
    const during = [];
    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      const result = await gateway.query<Data>(query);
      during.push({ total: result.data?.['s']?.total, errors: result.errors.length, ms: Date.now() - started });
    }
    expect(during.map(({ total, errors }) => ({ total, errors }))).toEqual(Array(3).fill({ total: 6, errors: 0 }));
    // Failing fast: a dead cache must not add seconds to a request.
    expect(Math.max(...during.map((d) => d.ms))).toBeLessThan(1_500);
    expect(braze.seriesCalls).toHaveLength(4);
    expect(gateway.logs.some((l) => l.includes('redis cache') && l.includes('serving from Braze'))).toBe(true);
  });

  it('down at start: the gateway starts anyway (within the 2 s wait), warns, and answers from Braze', async () => {
    const gone = await startRedis();
    const url = gone.url;
    await gone.kill();
    const started = Date.now();
    const gateway = await gatewayWith({ CACHE_ENABLED: 'true', REDIS_URL: url });
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(gateway.logs.some((l) => l.includes('cache not reachable at start'))).toBe(true);
    const result = await gateway.query<Data>(seriesQuery(field('s', `event: "cold", length: 2, endingAt: "${PAST}"`)));
    expect(result.data?.['s']?.total).toBe(3);
    expect(braze.seriesCalls).toHaveLength(1);
  });
});

describe('REQUEST_TIME_GRANULARITY_MS', () => {
  it('lets requests of one minute that omit endingAt share a cache entry, at the minute they name', async () => {
    const gateway = await gatewayWith({ CACHE_ENABLED: 'true', REQUEST_TIME_GRANULARITY_MS: '60000' });
    const query = seriesQuery('s: eventSeries(event: "now", length: 2) { endingAt total }');
    // Not across a minute boundary: wait it out when it is less than 2 s away.
    const toNextMinute = 60_000 - (Date.now() % 60_000);
    if (toNextMinute < 2_000) await new Promise((resolve) => setTimeout(resolve, toNextMinute + 50));
    const before = Math.floor(Date.now() / 60_000) * 60_000;
    const first = await gateway.query<Record<string, { endingAt: string }>>(query);
    const second = await gateway.query<Record<string, { endingAt: string }>>(query);
    const minute = Date.parse(first.data?.['s']?.endingAt ?? '');
    expect(minute % 60_000).toBe(0);
    expect(minute).toBe(before);
    expect(second.data?.['s']?.endingAt).toBe(first.data?.['s']?.endingAt);
    expect(braze.seriesCalls).toHaveLength(1);
    expect(braze.seriesCalls[0]?.query['ending_at']).toBe(new Date(before).toISOString().replace('.000Z', 'Z'));
  });
});

describe('/metrics counts the calls saved beyond deduplication', () => {
  it('coalescing, cache and sharing each have their own reason', async () => {
    braze.respond(async (call) => {
      await new Promise((resolve) => setTimeout(resolve, 150));
      return { body: defaultSeries(call.query) };
    });
    const gateway = await gatewayWith({ CACHE_ENABLED: 'true' });
    const window = (n: number) => `event: "m", length: ${n}, endingAt: "${PAST}"`;
    await gateway.query(seriesQuery([7, 14, 30].map((n) => field(`l${n}`, window(n))).join('\n'))); // 2 coalesced
    await gateway.query(seriesQuery(field('again', window(30)))); // 1 cache hit
    const shared = seriesQuery(field('s', `event: "other", length: 2, endingAt: "${PAST}"`));
    await Promise.all([gateway.query(shared), gateway.query(shared)]); // 1 shared in flight
    const text = await (await fetch(new URL('/metrics', gateway.url))).text();
    const saved = (reason: string) => Number(new RegExp(`braze_gateway_upstream_calls_saved_total\\{reason="${reason}"\\} (\\d+)`).exec(text)?.[1]);
    expect({ coalescing: saved('coalescing'), cache: saved('cache'), sharing: saved('sharing') }).toEqual({ coalescing: 2, cache: 1, sharing: 1 });
    expect(braze.seriesCalls).toHaveLength(2);
  });
});
