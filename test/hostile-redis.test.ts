import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCI } from './helpers/browser.js';
import { defaultSeries, startFakeBraze, type FakeBraze } from '../testkit/fakeBraze.js';
import { startTestGateway, TEST_API_KEY, type TestGateway } from './helpers/gateway.js';
import { startHostileRedis, type HostileMode, type HostileRedis } from './helpers/hostileRedis.js';
import { sleep, until } from './helpers/live.js';
import { redisAvailable, startRedis, type RedisServer } from '../testkit/redis.js';
import { spawnServer, type ServerProcess } from '../testkit/serverProcess.js';

/**
 * A Redis that answers nonsense (test/helpers/hostileRedis.ts) behind REDIS_URL, with the cache, the
 * single flight and the shared state on (the defaults) and each off in turn. Whatever it answers, an
 * uncached query is answered from Braze within BRAZE_TIMEOUT_MS with exactly Braze's numbers and one
 * call, the process lives on, `/health` says which part cannot use Redis and why, and each outage is
 * one log line, not one per request.
 */
const redisHere = await redisAvailable();
if (!redisHere) console.warn(`hostile redis tests ${isCI() ? 'FAIL' : 'skipped'}: /usr/bin/redis-server is missing (apt-get install redis-server)`);

const BRAZE_TIMEOUT_MS = 3_000;
/** Scheduling slack on a loaded machine: the answers themselves come in well under a second. */
const SLACK_MS = 1_500;
const AT = '2024-03-10T00:00:00Z';

type Part = 'cache' | 'singleFlight' | 'sharedState';
const PART_LOG: Readonly<Record<Part, string>> = { cache: 'redis cache', singleFlight: 'redis single flight', sharedState: 'shared upstream state in redis' };

/** The configurations: which parts use Redis in each. */
const CONFIGS: readonly { readonly name: string; readonly env: Record<string, string>; readonly parts: readonly Part[] }[] = [
  { name: 'cache, single flight and shared state on (the defaults)', env: { CACHE_ENABLED: 'true' }, parts: ['cache', 'singleFlight', 'sharedState'] },
  { name: 'cache off (and with it the single flight)', env: { CACHE_ENABLED: 'false' }, parts: ['sharedState'] },
  { name: 'single flight off', env: { CACHE_ENABLED: 'true', REDIS_SINGLE_FLIGHT: 'false' }, parts: ['cache', 'sharedState'] },
  { name: 'shared state off', env: { CACHE_ENABLED: 'true', BRAZE_SHARED_STATE: 'false' }, parts: ['cache', 'singleFlight'] },
];

/** The same problem for every part. */
const all = (problem: string | readonly string[]): Readonly<Record<Part, string | readonly string[]>> => ({ cache: problem, singleFlight: problem, sharedState: problem });

/**
 * What `/health` must say of each part, per mode: the problem that makes it unusable (one of them,
 * where which comes first is a race), or `usable` for a part the mode leaves working.
 */
const EXPECTED: Readonly<Record<Exclude<HostileMode, 'pass'>, Readonly<Record<Part, string | readonly string[]>>>> = {
  ok: all('wrong reply'),
  // The lock script's 1 is a plausible answer; SUBSCRIBE's makes ioredis' reply handling throw.
  one: { cache: 'wrong reply', singleFlight: 'unreadable reply', sharedState: 'wrong reply' },
  error: all('error reply'),
  garbage: all('unreadable reply'),
  blackHole: all('timeout'),
  slow: all('timeout'),
  // Half a reply, then the connection is gone: what was waiting on it is aborted.
  closeMidReply: all('unreachable'),
  // No command fails: the cache refuses every value (another key's), each a miss, and counts them.
  otherKey: all('usable'),
  // A message pushed before each reply: every command reads the reply meant for the one before.
  unsolicited: all(['wrong reply', 'unreadable reply']),
};
const MODES = Object.keys(EXPECTED) as (keyof typeof EXPECTED)[];

interface Health {
  status: string;
  redis?: Partial<Record<Part, { usable: boolean; problem?: string; since?: string; rejectedValues?: number }>>;
}
type Point = { time: string; count: number };
type SeriesData = { eventSeries: { total: number; points: Point[] } | null };

/** Braze's answer for an event: its points count in steps of the event's own size, so another event's numbers show. */
function brazeAnswer(query: Readonly<Record<string, string>>): unknown {
  const body = defaultSeries(query) as { message: string; data: Point[] };
  const scale = (query['event'] ?? '').length * 100;
  for (const point of body.data) point.count *= scale;
  return body;
}

/** What the gateway must answer for `event`, exactly. */
function expectedSeries(event: string): SeriesData {
  const scale = event.length * 100;
  const points = [
    { time: '2024-03-09T00:00:00.000Z', count: scale },
    { time: '2024-03-10T00:00:00.000Z', count: 2 * scale },
  ];
  return { eventSeries: { total: 3 * scale, points } };
}

const query = (event: string): string => `{ eventSeries(event: "${event}", length: 2, endingAt: "${AT}") { total points { time count } } }`;

describe.skipIf(!redisHere && !isCI())('a Redis that answers nonsense', () => {
  let real: RedisServer | undefined;
  let prefixes = 0;

  beforeAll(async () => {
    if (!redisHere) throw new Error('CI is set and /usr/bin/redis-server is missing');
    real = await startRedis();
  });
  afterAll(async () => {
    await real?.kill();
  });

  /** A fake Braze, a hostile Redis in `mode` and a gateway against both, for `test` (concurrent tests each have their own); all stopped after it. */
  async function withGateway(
    mode: HostileMode,
    env: Record<string, string>,
    test: (setup: { braze: FakeBraze; hostile: HostileRedis; gateway: TestGateway }) => Promise<void>,
  ): Promise<void> {
    const braze = await startFakeBraze();
    braze.respond((call) => ({ body: brazeAnswer(call.query) }));
    const hostile = await startHostileRedis({ mode, upstream: real!.url, delayMs: 1_000 });
    try {
      const gateway = await startTestGateway(braze, {
        REDIS_URL: hostile.url,
        REDIS_KEY_PREFIX: `hostile-${process.pid}-${++prefixes}:`,
        BRAZE_TIMEOUT_MS: String(BRAZE_TIMEOUT_MS),
        ...env,
      });
      try {
        await test({ braze, hostile, gateway });
      } finally {
        await gateway.close();
      }
    } finally {
      await hostile.close();
      await braze.close();
    }
  }

  const healthOf = async (gateway: TestGateway): Promise<{ status: number; body: Health }> => {
    const response = await fetch(new URL('/health', gateway.url));
    return { status: response.status, body: (await response.json()) as Health };
  };

  describe.each(CONFIGS.map((config) => [config.name, config] as const))('%s', (_name, { env, parts }) => {
    it.concurrent.each(MODES)('%s: every query answered from Braze in time with its own numbers, one call each; /health says what is wrong; one log line per part', (mode) =>
      withGateway(mode, env, async ({ braze, gateway }) => {
        // a, then bb (whose GET an `otherKey` Redis answers with a's value), then a again (answered with bb's):
        // with a Redis that cannot be used, or whose values are refused, each is a miss and a call. The gaps
        // pass the second the gateway leaves Redis alone after a failure: every query asks Redis again.
        const events = ['a', 'bb', 'a'];
        const latencies: number[] = [];
        for (const event of events) {
          const started = Date.now();
          const result = await gateway.query<SeriesData>(query(event));
          latencies.push(Date.now() - started);
          expect(result.errors).toEqual([]);
          expect(result.data).toEqual(expectedSeries(event));
          await sleep(1_100);
        }
        expect(braze.seriesCalls.map((call) => call.query['event'])).toEqual(events);
        expect(Math.max(...latencies)).toBeLessThan(BRAZE_TIMEOUT_MS + SLACK_MS);

        const health = await healthOf(gateway);
        expect(health.status).toBe(200);
        expect(Object.keys(health.body.redis ?? {}).sort()).toEqual([...parts].sort());
        for (const part of parts) {
          const expected = EXPECTED[mode][part];
          const seen = health.body.redis?.[part];
          if (expected === 'usable') {
            expect(seen?.usable, part).toBe(true);
            continue;
          }
          expect(seen?.usable, part).toBe(false);
          expect(typeof expected === 'string' ? [expected] : expected, part).toContain(seen?.problem);
          // One warning per part for the whole outage, however many queries met it.
          expect(gateway.logs.filter((line) => line.includes(`${PART_LOG[part]} unusable`)), part).toHaveLength(1);
        }
        if (mode === 'otherKey' && parts.includes('cache')) {
          // Every value read was another key's: refused (a miss), counted, logged once.
          expect(health.body.redis?.cache?.rejectedValues).toBeGreaterThanOrEqual(2);
          expect(gateway.logs.filter((line) => line.includes('ignored a value that is not a valid answer for its key'))).toHaveLength(1);
        }
        expect(gateway.logs.join('\n')).not.toMatch(/uncaught|unhandled/i);
      }),
    );
  });

  it('the outage ends when Redis answers well again: /health says usable, one line says so, and the cache serves again', () =>
    withGateway('ok', { CACHE_ENABLED: 'true' }, async ({ braze, hostile, gateway }) => {
      expect((await gateway.query<SeriesData>(query('a'))).data).toEqual(expectedSeries('a'));
      expect((await healthOf(gateway)).body.redis?.cache?.usable).toBe(false);
      hostile.setMode('pass');
      await until(() => gateway.logs.some((line) => line.includes('shared upstream state in redis usable again')), 10_000, 'the shared state back');
      // The cache and the flight learn of it at their next command (after their second's rest).
      await sleep(1_100);
      expect((await gateway.query<SeriesData>(query('d'))).data).toEqual(expectedSeries('d'));
      await sleep(100);
      const cached = await gateway.query<SeriesData>(query('d'));
      expect(cached.data).toEqual(expectedSeries('d'));
      expect(JSON.parse(cached.body).extensions.brazeCache).toMatchObject({ hits: 1, misses: 0 });
      expect(braze.seriesCalls.map((call) => call.query['event'])).toEqual(['a', 'd']);
      let health: Health | undefined;
      const deadline = Date.now() + 10_000;
      do {
        health = (await healthOf(gateway)).body;
        if (health.redis?.cache?.usable && health.redis.singleFlight?.usable && health.redis.sharedState?.usable) break;
        await sleep(100);
      } while (Date.now() < deadline);
      expect(health?.redis).toEqual({ cache: { usable: true }, singleFlight: { usable: true }, sharedState: { usable: true } });
      for (const part of ['cache', 'singleFlight'] as const) {
        expect(gateway.logs.filter((line) => line.includes(`${PART_LOG[part]} unusable`))).toHaveLength(1);
        expect(gateway.logs.filter((line) => line.includes(`${PART_LOG[part]} usable again`))).toHaveLength(1);
      }
    }));

  describe('a gateway in its own process (an uncaught exception would end it)', () => {
    it.concurrent.each(['one', 'unsolicited', 'garbage', 'ok'] as const)('%s: queries are answered from Braze, the process lives on, and stops cleanly', async (mode) => {
      const braze = await startFakeBraze();
      braze.respond((call) => ({ body: brazeAnswer(call.query) }));
      const hostile = await startHostileRedis({ mode, upstream: real!.url });
      let server: ServerProcess | undefined;
      try {
        server = spawnServer({
          PORT: '0',
          HOST: '127.0.0.1',
          BRAZE_REST_ENDPOINT: braze.url.href,
          BRAZE_API_KEY: TEST_API_KEY,
          AUTH_DISABLED: 'true',
          REDIS_URL: hostile.url,
          BRAZE_TIMEOUT_MS: String(BRAZE_TIMEOUT_MS),
          // Each query must reach the data path (and Redis), not a whole response kept in memory.
          RESPONSE_CACHE_ENABLED: 'false',
        });
        const url = await server.listening;
        for (const event of ['a', 'bb', 'a']) {
          const started = Date.now();
          const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: query(event) }) });
          expect(await response.json()).toEqual({ data: expectedSeries(event), extensions: expect.anything() });
          expect(Date.now() - started).toBeLessThan(BRAZE_TIMEOUT_MS + SLACK_MS);
          await sleep(1_100);
        }
        expect(braze.seriesCalls).toHaveLength(3);
        const health = (await (await fetch(new URL('/health', url))).json()) as Health;
        expect(health.redis?.singleFlight?.usable).toBe(false);
        expect(server.child.exitCode).toBeNull();
        server.child.kill('SIGTERM');
        expect(await server.exited).toBe(0);
        // No stack trace: nothing was thrown where no one catches.
        expect(server.output()).not.toMatch(/\n\s+at .+:\d+:\d+/);
      } finally {
        if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
        await hostile.close();
        await braze.close();
      }
    }, 30_000);
  });
});
