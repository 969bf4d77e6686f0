import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventSeriesEndpoint } from '../src/endpoints/eventSeries.js';
import { isCI } from './helpers/browser.js';
import { useFakeBrazeWithGatewaysPerTest, type TestGateway } from './helpers/gateway.js';
import { sleep } from './helpers/live.js';
import { redisAvailable, startRedis, type RedisServer } from '../testkit/redis.js';

/**
 * What a real redis-server gives back is checked as strictly as what Braze answers: values written
 * into it directly (another key's answer, more points than the call asked for, counts Braze's parser
 * refuses, wrong types, huge strings), notices published on a key's channel by someone else, and a
 * shared rate-limit state or breaker no replica can have written. The gateway answers from Braze, with
 * Braze's numbers and one call, and never serves the forged ones.
 */
const redisHere = await redisAvailable();
if (!redisHere) console.warn(`forged redis value tests ${isCI() ? 'FAIL' : 'skipped'}: /usr/bin/redis-server is missing (apt-get install redis-server)`);

const { braze, start } = useFakeBrazeWithGatewaysPerTest();

const AT = '2024-03-10T00:00:00Z';
const DAY_MS = 86_400_000;
const LAST_DAY = Date.parse(AT);
/** A number no Braze answer in these tests has: wherever it shows up, a forged value was served. */
const FORGED = 666;

interface Health {
  redis?: Record<string, { usable: boolean; problem?: string; rejectedValues?: number }>;
  upstream: { circuit: string; shared?: string };
}
type SeriesData = { eventSeries: { total: number; points: { time: string; count: number }[] } | null };

const query = (event: string): string => `{ eventSeries(event: "${event}", length: 2, endingAt: "${AT}") { total points { time count } } }`;
/** What the fake Braze answers for any event's 2-day series ending at AT (counts 1 and 2). */
const brazeSeries = (): SeriesData => ({
  eventSeries: {
    total: 3,
    points: [
      { time: new Date(LAST_DAY - DAY_MS).toISOString(), count: 1 },
      { time: new Date(LAST_DAY).toISOString(), count: 2 },
    ],
  },
});

/** The Redis key (without the prefix) of `event`'s 2-day series ending at AT, as the gateway names it. */
const keyOf = (event: string): string =>
  `${eventSeriesEndpoint.name}:${eventSeriesEndpoint.key({ event, length: 2, unit: 'day', endingAt: new Date(AT), appId: undefined, segmentId: undefined })}`;

/** Braze's body for an event series with `points` as [time, count] pairs (a number time is written as its date). */
const brazeBody = (points: readonly (readonly [unknown, unknown])[]): string =>
  JSON.stringify({ message: 'success', data: points.map(([time, count]) => ({ time: typeof time === 'number' ? new Date(time).toISOString().slice(0, 10) : time, count })) });
/** A stored answer in the gateway's wire form, bound to `key`: Braze's body with `points`. */
const stored = (key: string, points: readonly (readonly [unknown, unknown])[], fetchedAt: unknown = Date.now()): string =>
  JSON.stringify({ k: key, f: fetchedAt, b: brazeBody(points) });
const twoDays = (first: unknown, second: unknown = FORGED): (readonly [unknown, unknown])[] => [
  [LAST_DAY - DAY_MS, first],
  [LAST_DAY, second],
];

/**
 * Forged values, each under the key of the query asked: what it is, the text written, and whether it
 * is shaped like an answer (refused as no valid answer for its key: a miss, counted, overwritten by
 * Braze's) or not even that (no version writes it: Redis counts as answering nonsense).
 */
const FORGERIES: readonly { name: string; text: (key: string) => string; kind: 'refused' | 'older' | 'nonsense' }[] = [
  { name: "another key's answer", text: () => stored(keyOf('someone-else'), twoDays(FORGED)), kind: 'refused' },
  { name: 'three points for length 2', text: (key) => stored(key, [[LAST_DAY - 2 * DAY_MS, FORGED], ...twoDays(FORGED)]), kind: 'refused' },
  { name: 'a count of -5', text: (key) => stored(key, twoDays(-5)), kind: 'refused' },
  { name: 'a count of 1e300', text: (key) => stored(key, twoDays(1e300)), kind: 'refused' },
  { name: 'a count of 1e20', text: (key) => stored(key, twoDays(1e20)), kind: 'refused' },
  { name: 'a count beyond a safe integer (2^53)', text: (key) => stored(key, twoDays(2 ** 53)), kind: 'refused' },
  { name: 'a fractional count', text: (key) => stored(key, twoDays(1.5)), kind: 'refused' },
  { name: 'counts as text', text: (key) => stored(key, twoDays(String(FORGED))), kind: 'refused' },
  { name: 'a day that is not a date', text: (key) => stored(key, [['yesterday', FORGED], [LAST_DAY, FORGED]]), kind: 'refused' },
  { name: 'a date no calendar has', text: (key) => stored(key, [['2024-02-30', FORGED], [LAST_DAY, FORGED]]), kind: 'refused' },
  { name: 'fetched tomorrow', text: (key) => stored(key, twoDays(FORGED), Date.now() + DAY_MS), kind: 'refused' },
  { name: 'fetched at a time that is text', text: (key) => stored(key, twoDays(FORGED), 'yesterday'), kind: 'nonsense' },
  { name: 'a body of the wrong shape', text: (key) => JSON.stringify({ k: key, f: Date.now(), b: JSON.stringify([FORGED, FORGED]) }), kind: 'refused' },
  { name: 'a body that is not text', text: (key) => JSON.stringify({ k: key, f: Date.now(), b: { data: [FORGED, FORGED] } }), kind: 'refused' },
  { name: 'a huge string (17 MiB)', text: (key) => stored(key, twoDays(FORGED)).padEnd(17 * 1024 * 1024, ' '), kind: 'refused' },
  { name: 'written before answers named their key', text: () => JSON.stringify({ f: Date.now(), a: { t: [LAST_DAY - DAY_MS, LAST_DAY], v: [FORGED, FORGED] } }), kind: 'older' },
  { name: 'written before values were Braze\'s body', text: (key) => JSON.stringify({ k: key, f: Date.now(), a: { t: [LAST_DAY - DAY_MS, LAST_DAY], v: [FORGED, FORGED] } }), kind: 'older' },
  { name: 'not JSON', text: () => `${FORGED} ${FORGED}`, kind: 'nonsense' },
  { name: 'JSON that is not an answer', text: () => JSON.stringify([FORGED, FORGED]), kind: 'nonsense' },
];

describe.skipIf(!redisHere && !isCI())('values read back from Redis are checked like Braze answers', () => {
  let redis: RedisServer | undefined;
  let raw: Redis | undefined;
  let prefixes = 0;

  beforeAll(async () => {
    if (!redisHere) throw new Error('CI is set and /usr/bin/redis-server is missing');
    redis = await startRedis();
    raw = new Redis(redis.url);
  });
  afterAll(async () => {
    raw?.disconnect();
    await redis?.kill();
  });

  /** A gateway on the real Redis with its own key prefix (cache, single flight and shared state on). */
  async function startGateway(): Promise<{ gateway: TestGateway; prefix: string }> {
    const prefix = `forged-${process.pid}-${++prefixes}:`;
    const started = await start({ CACHE_ENABLED: 'true', REDIS_URL: redis!.url, REDIS_KEY_PREFIX: prefix, BRAZE_TIMEOUT_MS: '3000', BRAZE_SHARED_REFRESH_MS: '50' });
    return { gateway: started, prefix };
  }
  const healthOf = async (gateway: TestGateway): Promise<Health> => (await (await fetch(new URL('/health', gateway.url))).json()) as Health;

  it.each(FORGERIES)('a value in the cache that is $name: answered from Braze (its numbers, one call), never the forged ones', async ({ text, kind }) => {
    const { gateway, prefix } = await startGateway();
    const key = keyOf('a');
    await raw!.set(`${prefix}${key}`, text(key), 'PX', 60_000);

    const first = await gateway.query<SeriesData>(query('a'));
    expect(first.errors).toEqual([]);
    expect(first.data).toEqual(brazeSeries());
    expect(first.body).not.toContain(String(FORGED));
    expect(braze.seriesCalls).toHaveLength(1);

    const health = await healthOf(gateway);
    if (kind === 'nonsense') {
      // No version of the gateway writes that: Redis answers what a GET cannot, and the cache says so.
      expect(health.redis?.['cache']).toMatchObject({ usable: false, problem: 'wrong reply' });
      expect(gateway.logs.filter((line) => line.includes('redis cache unusable'))).toHaveLength(1);
      return;
    }
    // Read twice (before the lock, and by its holder before the call), refused each time.
    expect(health.redis?.['cache']).toEqual(kind === 'refused' ? { usable: true, rejectedValues: 2 } : { usable: true });
    if (kind === 'refused') expect(gateway.logs.filter((line) => line.includes('ignored a value that is not a valid answer for its key'))).toHaveLength(1);
    // Braze's answer replaced the forged value; the next query is served from it.
    let now: unknown;
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline) {
      now = JSON.parse((await raw!.get(`${prefix}${key}`)) ?? 'null');
      if ((now as { k?: string } | null)?.k === key) break;
      await sleep(20);
    }
    expect(now).toMatchObject({ k: key, b: expect.any(String) });
    expect((JSON.parse((now as { b: string }).b) as { data: { count: number }[] }).data.map((point) => point.count)).toEqual([1, 2]);
    const second = await gateway.query<SeriesData>(query('a'));
    expect(second.data).toEqual(brazeSeries());
    expect(JSON.parse(second.body).extensions.brazeCache).toMatchObject({ hits: 1, misses: 0 });
    expect(braze.seriesCalls).toHaveLength(1);
  });

  it("forged notices on a key's channel (more points than asked, bad counts, another key's, nonsense) are never served: the waiter calls Braze once", async () => {
    const { gateway, prefix } = await startGateway();
    const key = keyOf('a');
    const channel = `${prefix}flight:${key}`;
    // Another "replica" holds the lock: the gateway waits for its notice.
    await raw!.set(`${prefix}flight:lock:${key}`, 'someone-else', 'PX', 30_000);
    const answer = gateway.query<SeriesData>(query('a'));
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline && ((await raw!.pubsub('NUMSUB', channel)) as [string, number])[1] === 0) await sleep(20);
    const notice = (body: string): string => body.replace(/^\{/, '{"ok":true,');
    const forged = [
      notice(stored(key, [[LAST_DAY - 2 * DAY_MS, FORGED], ...twoDays(FORGED)])),
      notice(stored(key, twoDays(-5))),
      notice(stored(key, twoDays(1e300))),
      notice(stored(keyOf('someone-else'), twoDays(FORGED))),
      notice(stored(key, twoDays(String(FORGED)))),
      `${FORGED}`,
    ];
    for (const text of forged) await raw!.publish(channel, text);
    await sleep(200);
    expect(braze.seriesCalls).toHaveLength(0);
    // The holder is gone without an answer: the waiter takes the lock and asks Braze.
    await raw!.del(`${prefix}flight:lock:${key}`);
    await raw!.publish(channel, JSON.stringify({ k: key, ok: false }));

    const result = await answer;
    expect(result.errors).toEqual([]);
    expect(result.data).toEqual(brazeSeries());
    expect(result.body).not.toContain(String(FORGED));
    expect(braze.seriesCalls).toHaveLength(1);
    expect((await healthOf(gateway)).redis?.['singleFlight']).toEqual({ usable: true, rejectedValues: forged.length });
    expect(gateway.logs.filter((line) => line.includes('redis single flight ignored a value'))).toHaveLength(1);
  });

  it('a lock someone holds for ever and never announces: the request waits two lock lifetimes at most, then asks Braze itself (one call)', async () => {
    // BRAZE_TIMEOUT_MS of 500 ms: a lock lives 1.5 s, so the request gives up waiting after 3 s.
    const prefix = `forged-${process.pid}-${++prefixes}:`;
    const gateway = await start({ CACHE_ENABLED: 'true', REDIS_URL: redis!.url, REDIS_KEY_PREFIX: prefix, BRAZE_TIMEOUT_MS: '500' });
    await raw!.set(`${prefix}flight:lock:${keyOf('a')}`, 'someone-else', 'PX', 600_000);
    const started = Date.now();
    const result = await gateway.query<SeriesData>(query('a'));
    const elapsed = Date.now() - started;
    expect(result.errors).toEqual([]);
    expect(result.data).toEqual(brazeSeries());
    expect(braze.seriesCalls).toHaveLength(1);
    expect(elapsed).toBeGreaterThanOrEqual(2_900);
    expect(elapsed).toBeLessThan(6_000);
  });

  it('a rate-limit figure of the wrong type makes the shared state unusable (said once), and requests go on from the replica\'s own view', async () => {
    const { gateway, prefix } = await startGateway();
    let health = await healthOf(gateway);
    expect(health.upstream.shared).toBe('redis');
    // A string where the scripts keep a hash: every script reading it fails.
    await raw!.set(`${prefix}upstream:ratelimit:export:figure`, `${FORGED}`);
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline && health.upstream.shared === 'redis') {
      await sleep(50);
      health = await healthOf(gateway);
    }
    expect(health.upstream.shared).toBe('local');
    expect(health.redis?.['sharedState']).toMatchObject({ usable: false, problem: 'error reply' });
    for (const event of ['a', 'bb']) expect((await gateway.query<SeriesData>(query(event))).data).toEqual(brazeSeries());
    expect(braze.seriesCalls).toHaveLength(2);
    expect(gateway.logs.filter((line) => line.includes('shared upstream state in redis unusable'))).toHaveLength(1);
  });

  it('a breaker open-until no replica can write (1e300) is ignored: requests reach Braze, /health answers', async () => {
    const { gateway, prefix } = await startGateway();
    await raw!.set(`${prefix}upstream:breaker`, '1e300');
    await raw!.set(`${prefix}upstream:breaker:probe`, 'x');
    await sleep(300);
    const response = await fetch(new URL('/health', gateway.url));
    expect(response.status).toBe(200);
    const health = (await response.json()) as Health;
    expect(health.upstream).toMatchObject({ circuit: 'closed', shared: 'redis' });
    expect(health.redis?.['sharedState']?.rejectedValues).toBeGreaterThanOrEqual(1);
    const result = await gateway.query<SeriesData>(query('a'));
    expect(result.errors).toEqual([]);
    expect(result.data).toEqual(brazeSeries());
    expect(braze.seriesCalls).toHaveLength(1);
  });
});
