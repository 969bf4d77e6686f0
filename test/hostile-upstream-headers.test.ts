import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isCI } from './helpers/browser.js';
import { defaultSeries, startFakeBraze, type FakeBraze } from '../testkit/fakeBraze.js';
import { startTestGateway, useGatewayPerTest, type TestGateway } from './helpers/gateway.js';
import { sleep } from './helpers/live.js';
import { sampleValue } from './helpers/prometheus.js';
import { redisAvailable, startRedis, type RedisServer } from '../testkit/redis.js';

/**
 * A Braze (or a proxy in front of it) that sends rate-limit headers no real Braze sends. Before, an
 * `x-ratelimit-reset` of 1e20 made every later request fail, `{ __typename }` included, until a
 * restart, and /health answer a stack trace. Each hostile answer here must leave every request, and
 * /health, /ready and /metrics, answering exactly as if Braze had sent no figure, with one log line.
 */

const AT = '2024-03-10T00:00:00Z';
const IGNORED = "ignored braze's rate-limit headers";

type HeaderValue = string | string[];
const inAnHour = (): string => String(Math.floor(Date.now() / 1000) + 3600);
/** Braze's three headers, each overridable. */
const figure = (over: Partial<Record<'limit' | 'remaining' | 'reset', HeaderValue>> = {}): Record<string, HeaderValue> => ({
  'x-ratelimit-limit': over.limit ?? '250000',
  'x-ratelimit-remaining': over.remaining ?? '1000',
  'x-ratelimit-reset': over.reset ?? inAnHour(),
});
/** Text outside ASCII as it goes over HTTP/1.1: its UTF-8 bytes (Node refuses anything past latin1 in a header). */
const utf8Bytes = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');

const HOSTILE: readonly (readonly [string, () => Record<string, HeaderValue>])[] = [
  ['reset 1e20', () => figure({ reset: '1e20' })],
  ['reset of 30 digits', () => figure({ reset: '1'.repeat(30) })],
  ['reset -1', () => figure({ reset: '-1' })],
  ['reset NaN', () => figure({ reset: 'NaN' })],
  ['reset junk', () => figure({ reset: 'tomorrow' })],
  ['reset Infinity', () => figure({ reset: 'Infinity' })],
  ['reset in hex', () => figure({ reset: `0x${(Math.floor(Date.now() / 1000) + 3600).toString(16)}` })],
  ['reset a day in the past', () => figure({ reset: String(Math.floor(Date.now() / 1000) - 86_400) })],
  ['reset a year ahead', () => figure({ reset: String(Math.floor(Date.now() / 1000) + 365 * 86_400) })],
  ['reset with a fraction', () => figure({ reset: `${inAnHour()}.5` })],
  ['reset repeated with two values', () => figure({ reset: [inAnHour(), String(Number(inAnHour()) + 60)] })],
  ['reset empty', () => figure({ reset: '' })],
  ['reset of white space', () => figure({ reset: '   ' })],
  ['reset in Arabic-Indic digits', () => figure({ reset: utf8Bytes(inAnHour().replace(/\d/g, (d) => String.fromCharCode(0x660 + Number(d)))) })],
  ['remaining 1e300', () => figure({ remaining: '1e300' })],
  ['remaining -5', () => figure({ remaining: '-5' })],
  ['remaining with a fraction', () => figure({ remaining: '999.5' })],
  ['remaining above the limit', () => figure({ limit: '1000', remaining: '1001' })],
  ['remaining repeated with two values', () => figure({ remaining: ['5', '6'] })],
  ['limit 0', () => figure({ limit: '0', remaining: '0' })],
  ['limit 1e300', () => figure({ limit: '1e300' })],
];

const SERIES = (event: string, length: number) => `{ eventSeries(event: "${event}", length: ${length}, endingAt: "${AT}") { total } }`;
const NO_FIGURE_HEALTH = {
  status: 'ok',
  braze: 'live',
  upstream: { circuit: 'closed', consecutiveFailures: 0, rateLimit: null, rateLimits: { export: null, lists: null, campaignSeries: null } },
};

/** Every answer carries `headers`; the first has `firstStatus`, the others 200 with a series. */
function answerWith(braze: FakeBraze, headers: Record<string, HeaderValue>, firstStatus: number): void {
  let answered = 0;
  braze.handleRaw((_request, response, call) => {
    const status = answered++ === 0 ? firstStatus : 200;
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify(status === 200 ? defaultSeries(call.query, call.path) : { message: 'Rate limit exceeded' }));
  });
}

async function routes(gateway: TestGateway): Promise<{ health: unknown; ready: unknown; metrics: string; statuses: number[]; types: (string | null)[] }> {
  const responses = (await Promise.all(['/health', '/ready', '/metrics'].map((path) => fetch(new URL(path, gateway.url))))) as [Response, Response, Response];
  const [health, ready, metrics] = responses;
  return {
    statuses: responses.map((response) => response.status),
    types: responses.map((response) => response.headers.get('content-type')),
    health: await health.json(),
    ready: await ready.json(),
    metrics: await metrics.text(),
  };
}

const ignoredLines = (gateway: TestGateway) => gateway.logs.filter((line) => line.includes(IGNORED));

describe('rate-limit headers that cannot be Braze\'s never reach another request, /health, /ready or /metrics', () => {
  const start = useGatewayPerTest({ BRAZE_RATE_LIMIT_RESERVE: '100' });

  describe.each([200, 429])('on a %i answer', (status) => {
    it.each(HOSTILE)('%s', async (_name, hostile) => {
      const { braze, gateway } = await start();
      answerWith(braze, hostile(), status);

      const first = await gateway.query<{ eventSeries: { total: number } | null }>(SERIES('first', 3));
      if (status === 200) {
        expect(first.status).toBe(200);
        expect(JSON.parse(first.body)).toEqual({ data: { eventSeries: { total: 6 } }, extensions: { brazeCache: expect.any(Object) } });
      } else {
        // No resetAt: the header that would have said it is not believed.
        expect(first.errors.map((error) => error.extensions)).toEqual([{ code: 'UPSTREAM_RATE_LIMITED', upstreamStatus: 429, attempts: 1 }]);
      }

      const typename = await gateway.post('{ __typename }');
      expect(typename.status).toBe(200);
      expect(await typename.text()).toBe('{"data":{"__typename":"Query"}}');
      const second = await gateway.query<{ eventSeries: { total: number } }>(SERIES('second', 4));
      expect(second.status).toBe(200);
      expect(JSON.parse(second.body)).toEqual({ data: { eventSeries: { total: 10 } }, extensions: { brazeCache: expect.any(Object) } });
      const limits = await gateway.query('{ brazeRateLimit { remaining } brazeRateLimits { bucket } }');
      expect(JSON.parse(limits.body)).toEqual({ data: { brazeRateLimit: null, brazeRateLimits: [] } });
      expect(braze.callCount).toBe(2);

      const { statuses, types, health, ready, metrics } = await routes(gateway);
      expect(statuses).toEqual([200, 200, 200]);
      expect(types.slice(0, 2)).toEqual(['application/json; charset=utf-8', 'application/json; charset=utf-8']);
      expect(health).toEqual(NO_FIGURE_HEALTH);
      expect(ready).toEqual({ status: 'ready' });
      expect(sampleValue(metrics, 'braze_gateway_upstream_rate_limit_remaining', { bucket: 'export' })).toBeNaN();
      expect(sampleValue(metrics, 'braze_gateway_upstream_rate_limit_paused', { bucket: 'export' })).toBe(0);
      expect(sampleValue(metrics, 'braze_gateway_upstream_attempts_total', { endpoint: '/events/data_series', status: '200', outcome: 'ok' })).toBe(status === 200 ? 2 : 1);

      // Two answers ignored, one line about it, naming the bucket; nothing thrown anywhere.
      const lines = ignoredLines(gateway);
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ level: 'warn', upstream: { bucket: 'export', problem: expect.stringMatching(/^x-ratelimit-/) } });
      expect(gateway.logs.filter((line) => /RangeError|Invalid time value|"level":"error"/.test(line))).toEqual([]);
    });
  });

  it('a real figure, then hostile ones: the real one stands, less the calls Braze may have counted since', async () => {
    const { braze, gateway } = await start();
    const reset = inAnHour();
    let answered = 0;
    braze.handleRaw((_request, response, call) => {
      const headers = answered++ === 0 ? figure({ remaining: '1000', reset }) : figure({ reset: '1e20' });
      response.writeHead(200, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(defaultSeries(call.query, call.path)));
    });
    for (const event of ['a', 'b', 'c', 'd']) expect((await gateway.query(SERIES(event, 1))).errors).toEqual([]);
    const resetAt = new Date(Number(reset) * 1000).toISOString();
    const last = JSON.parse((await gateway.query(SERIES('e', 1))).body) as { extensions: Record<string, unknown> };
    // Braze counted each of the 4 calls after its figure; the figure of 1e20 said nothing.
    const shown = { limit: 250000, remaining: 996, resetAt };
    expect(last.extensions['brazeRateLimit']).toEqual({ ...shown, buckets: { export: shown } });
    const { health } = await routes(gateway);
    expect((health as typeof NO_FIGURE_HEALTH).upstream.rateLimit).toEqual({ limit: 250000, remaining: 996, resetAt, paused: false });
    expect(ignoredLines(gateway)).toHaveLength(1);
  });

  it("a 429 whose reset can be real: believed, and said in resetAt", async () => {
    const { braze, gateway } = await start();
    const reset = Math.floor(Date.now() / 1000) + 3600;
    answerWith(braze, figure({ remaining: '0', reset: String(reset) }), 429);
    const limited = await gateway.query(SERIES('limited', 1));
    expect(limited.errors.map((error) => error.extensions)).toEqual([
      { code: 'UPSTREAM_RATE_LIMITED', upstreamStatus: 429, attempts: 1, resetAt: new Date(reset * 1000).toISOString() },
    ]);
    expect(ignoredLines(gateway)).toEqual([]);
  });
});

const redisHere = await redisAvailable();

describe.skipIf(!redisHere && !isCI())('a bad figure written into Redis by hand does not reach any replica', () => {
  let redis: RedisServer | undefined;
  let braze: FakeBraze | undefined;
  const gateways: TestGateway[] = [];
  beforeAll(async () => {
    if (!redisHere) throw new Error('CI is set and /usr/bin/redis-server is missing');
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.kill();
  });
  afterEach(async () => {
    await Promise.all(gateways.splice(0).map((gateway) => gateway.close()));
    await braze?.close();
  });

  const badFigures: readonly [string, Partial<Record<'limit' | 'remaining' | 'resetAt', string>>][] = [
    ['a reset of 1e23 ms (x-ratelimit-reset 1e20)', { resetAt: '1e+23' }],
    ['a reset a year ahead', { resetAt: String(Date.now() + 365 * 86_400_000) }],
    ['a remaining of 1e300', { remaining: '1e300' }],
    ['a limit of 0', { limit: '0', remaining: '0' }],
  ];
  it.each(badFigures)('%s', async (_name, bad) => {
    if (!redis) throw new Error('redis is not started');
    braze = await startFakeBraze({ rateLimit: 250_000 });
    const prefix = `hostile-${process.pid}-${Date.now()}:`;
    const env = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix, BRAZE_SHARED_REFRESH_MS: '50', BRAZE_RATE_LIMIT_RESERVE: '100' };
    const [a, b] = (await Promise.all([startTestGateway(braze, env), startTestGateway(braze, env)])) as [TestGateway, TestGateway];
    gateways.push(a, b);
    const healthOf = async (gateway: TestGateway) => (await (await fetch(new URL('/health', gateway.url))).json()) as { upstream: { shared?: string; rateLimit: unknown } };
    for (const gateway of [a, b]) await waitFor(async () => (await healthOf(gateway)).upstream.shared === 'redis', 'the shared view in use');

    // What a hostile replica (or anyone with the Redis password) could write: raw commands, no gateway code.
    const raw = new Redis(redis.url);
    try {
      await raw.call('HSET', `${prefix}upstream:ratelimit:export:figure`, 'limit', bad.limit ?? '250000', 'remaining', bad.remaining ?? '5', 'resetAt', bad.resetAt ?? String(Date.now() + 3_600_000), 'observedAt', String(Date.now()), 'seq', '0');
      expect(await raw.call('HGET', `${prefix}upstream:ratelimit:export:figure`, 'remaining')).toBe(bad.remaining ?? '5');
    } finally {
      raw.disconnect();
    }
    // Both replicas have read Redis again since (a refresh every 50 ms): give them a few.
    await sleep(300);

    for (const [index, gateway] of [a, b].entries()) {
      const typename = (await (await gateway.post('{ __typename }')).json()) as { data: unknown; errors?: unknown; extensions?: { brazeRateLimit?: { limit: number } } };
      expect(typename.data).toEqual({ __typename: 'Query' });
      expect(typename.errors).toBeUndefined();
      // The first replica's call put Braze's own figure in Redis in the bad one's place: the second may
      // show it already, never the bad one.
      if (index === 0) expect(typename.extensions).toBeUndefined();
      else if (typename.extensions) expect(typename.extensions.brazeRateLimit).toMatchObject({ limit: 250_000 });
      const result = await gateway.query<{ eventSeries: { total: number } }>(SERIES(`after-${index}`, 2));
      expect(result.errors).toEqual([]);
      expect(result.data).toEqual({ eventSeries: { total: 3 } });
      const health = await fetch(new URL('/health', gateway.url));
      expect(health.status).toBe(200);
      const body = (await health.json()) as { upstream: { shared?: string; rateLimit: { limit: number; paused: boolean } | null } };
      // The bad figure is no figure: each replica shows what it saw of Braze itself, never the bad one.
      expect(body.upstream.shared).toBe('redis');
      expect(body.upstream.rateLimit).toMatchObject({ limit: 250_000, paused: false });
    }
    expect(braze.callCount).toBe(2);
    for (const gateway of [a, b]) expect(gateway.logs.filter((line) => /RangeError|Invalid time value|"level":"error"/.test(line))).toEqual([]);
    // Braze's own figure took the bad one's place in Redis: it is not stuck there until the key expires
    // (written by hand, it never would).
    const check = new Redis(redis.url);
    try {
      const [limit, remaining, resetAt] = (await check.call('HMGET', `${prefix}upstream:ratelimit:export:figure`, 'limit', 'remaining', 'resetAt')) as string[];
      expect(Number(limit)).toBe(250_000);
      expect(Number(remaining)).toBeLessThan(250_000);
      expect(Number(resetAt)).toBeLessThanOrEqual(Date.now() + 3_600_000);
      expect(Number(resetAt)).toBeGreaterThan(Date.now());
    } finally {
      check.disconnect();
    }
  });
});

/** Polls `done` until it holds, or fails after `timeoutMs`. */
async function waitFor(done: () => Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
