import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SharedUpstreamState } from '../src/braze/sharedStore.js';
import { createLogger } from '../src/observability/logger.js';
import { isCI } from './helpers/browser.js';
import { defaultSeries, startFakeBraze, type CannedAnswer, type FakeBraze, type RecordedCall } from '../testkit/fakeBraze.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';
import { sleep } from './helpers/live.js';
import { redisAvailable, startRedis, type RedisServer } from '../testkit/redis.js';
import { BUCKETS } from '../src/endpoints/buckets.js';

const redisHere = await redisAvailable();
if (!redisHere) console.warn(`shared upstream state tests ${isCI() ? 'FAIL' : 'skipped'}: /usr/bin/redis-server is missing (apt-get install redis-server)`);

const AT = '2024-03-10T00:00:00Z';
const RESERVE = 100;
/** A refresh this short keeps the tests quick; the waits below poll, they do not bet on it. */
const REFRESH_MS = 50;
const HOUR_S = 3600;

interface Bucket {
  brazeRateLimit: { limit: number; remaining: number; paused: boolean; resetAt: string } | null;
}
interface Health {
  upstream: { circuit: string; shared?: string; rateLimit: { remaining: number } | null };
}

/** Polls `read` until `done` holds; fails with the last value read. */
async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 5_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last = await read();
  while (!done(last)) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await sleep(20);
    last = await read();
  }
  return last;
}

const bucketOf = async (gateway: TestGateway) => (await gateway.query<Bucket>('{ brazeRateLimit { limit remaining paused resetAt } }')).data?.brazeRateLimit ?? null;
const healthOf = async (gateway: TestGateway) => (await (await fetch(new URL('/health', gateway.url))).json()) as Health;
const series = (gateway: TestGateway, event: string) => gateway.query(`{ eventSeries(event: "${event}", length: 1, endingAt: "${AT}") { total } }`);

/** Braze's headers for a figure, with the window resetting an hour from now. */
function figure(remaining: number, resetAt: number): Record<string, string> {
  return { 'x-ratelimit-limit': '250000', 'x-ratelimit-remaining': String(remaining), 'x-ratelimit-reset': String(resetAt) };
}

describe.skipIf(!redisHere && !isCI())('rate-limit buckets and breaker shared by replicas through Redis', () => {
  let redis: RedisServer | undefined;
  let braze: FakeBraze;
  const gateways: TestGateway[] = [];
  let prefixes = 0;

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

  /** `count` replicas of one workspace: the same fake Braze, the same Redis and key prefix. */
  async function replicas(count: number, env: Record<string, string> = {}, server: RedisServer | undefined = redis): Promise<TestGateway[]> {
    if (!server) throw new Error('redis is not started');
    const shared = {
      REDIS_URL: server.url,
      REDIS_KEY_PREFIX: `shared-${process.pid}-${++prefixes}:`,
      BRAZE_SHARED_REFRESH_MS: String(REFRESH_MS),
      BRAZE_RATE_LIMIT_RESERVE: String(RESERVE),
      BRAZE_MAX_ATTEMPTS: '1',
      ...env,
    };
    const started = await Promise.all(Array.from({ length: count }, () => startTestGateway(braze, shared)));
    gateways.push(...started);
    // Each replica uses the shared view once it has read it: the tests start from there.
    if (env['BRAZE_SHARED_STATE'] !== 'false') {
      for (const gateway of started) await waitFor(() => healthOf(gateway), (health) => health.upstream.shared === 'redis', 'the shared view in use');
    }
    return started;
  }

  it("a figure seen by replica A makes replica B, which never called Braze, refuse at the reserve with 0 calls", async () => {
    braze = await startFakeBraze();
    const resetAt = Math.floor(Date.now() / 1000) + HOUR_S;
    braze.respond((call) => ({ headers: figure(RESERVE, resetAt), body: defaultSeries(call.query) }));
    const [a, b] = (await replicas(2)) as [TestGateway, TestGateway];

    expect((await series(a, 'seen-by-a')).errors).toEqual([]);
    expect(braze.seriesCalls).toHaveLength(1);

    const view = await waitFor(() => bucketOf(b), (bucket) => bucket !== null, "A's figure in B's view");
    expect(view).toEqual({ limit: 250000, remaining: RESERVE, paused: true, resetAt: new Date(resetAt * 1000).toISOString() });
    const refused = await series(b, 'asked-of-b');
    expect(refused.data).toEqual({ eventSeries: null });
    expect(refused.errors[0]?.extensions).toEqual({ code: 'UPSTREAM_RATE_LIMITED', attempts: 0, resetAt: new Date(resetAt * 1000).toISOString(), reserve: true });
    expect(braze.seriesCalls).toHaveLength(1);
    expect((await healthOf(b)).upstream).toMatchObject({ shared: 'redis', rateLimit: { remaining: RESERVE } });
  });

  it('BRAZE_SHARED_STATE=false: with REDIS_URL set, each replica keeps its own buckets, as without Redis', async () => {
    braze = await startFakeBraze();
    const resetAt = Math.floor(Date.now() / 1000) + HOUR_S;
    braze.respond((call) => ({ headers: figure(RESERVE, resetAt), body: defaultSeries(call.query) }));
    const [a, b] = (await replicas(2, { BRAZE_SHARED_STATE: 'false' })) as [TestGateway, TestGateway];
    expect((await series(a, 'seen-by-a')).errors).toEqual([]);
    await sleep(REFRESH_MS * 4);
    expect(await bucketOf(b)).toBeNull();
    expect((await series(b, 'asked-of-b')).errors).toEqual([]);
    expect(braze.seriesCalls).toHaveLength(2);
    expect((await healthOf(b)).upstream.shared).toBeUndefined();
  });

  it("calls on the wire from replica A count against replica B's admission: B refuses with 0 calls though its own figure leaves room", async () => {
    braze = await startFakeBraze();
    const resetAt = Math.floor(Date.now() / 1000) + HOUR_S;
    const FIRST = RESERVE + 5;
    let arrived = 0;
    // Braze's bucket: the first call (B's) is answered at once; the next ones are slow, so they are on the wire together.
    braze.respond(async (call: RecordedCall): Promise<CannedAnswer> => {
      const remaining = FIRST - arrived++;
      if (arrived > 1) await sleep(1_500);
      return { headers: figure(remaining, resetAt), body: defaultSeries(call.query) };
    });
    const [a, b] = (await replicas(2)) as [TestGateway, TestGateway];

    expect((await series(b, 'b-first')).errors).toEqual([]);
    await waitFor(() => bucketOf(a), (bucket) => bucket?.remaining === FIRST, "B's figure in A's view");

    // Room for 5 calls above the reserve: of 6 asked at once on A, 5 are sent, the 6th is refused.
    const onA = Promise.all(Array.from({ length: 6 }, (_, n) => series(a, `a-${n}`)));
    await waitFor(async () => braze.seriesCalls.length, (calls) => calls === 6, "A's calls reaching Braze");
    // B's own tracker still has Braze's 105 and nothing on the wire; the shared view has A's 5 calls.
    await waitFor(() => bucketOf(b), (bucket) => bucket?.remaining === RESERVE, "A's calls on the wire in B's view");
    const refused = await series(b, 'b-second');
    expect(refused.errors[0]?.extensions).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', attempts: 0, reserve: true });
    expect(braze.seriesCalls).toHaveLength(6);

    const answered = await onA;
    expect(answered.filter((result) => result.errors.length === 0)).toHaveLength(5);
    expect(answered.flatMap((result) => result.errors.map((error) => error.extensions?.['code']))).toEqual(['UPSTREAM_RATE_LIMITED']);
    expect(braze.seriesCalls).toHaveLength(6);
  });

  it('the breaker opened on replica A makes replica B fail fast with 0 calls; after the cool-down one replica probes for both', async () => {
    braze = await startFakeBraze();
    let healthy = false;
    braze.respond(async (call) => {
      if (!healthy) return { status: 503, body: { message: 'down' } };
      await sleep(400);
      return { body: defaultSeries(call.query) };
    });
    const [a, b] = (await replicas(2, { BRAZE_BREAKER_THRESHOLD: '2', BRAZE_BREAKER_COOLDOWN_MS: '1500' })) as [TestGateway, TestGateway];

    for (const n of [1, 2]) expect((await series(a, `fail-${n}`)).errors[0]?.extensions?.['code']).toBe('UPSTREAM_UNAVAILABLE');
    expect(braze.seriesCalls).toHaveLength(2);
    await waitFor(() => healthOf(b), (health) => health.upstream.circuit === 'open', "A's open circuit in B's view");
    const fast = await series(b, 'b-fast');
    expect(fast.errors[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', circuit: 'open', attempts: 0 });
    expect(braze.seriesCalls).toHaveLength(2);
    expect(b.logs.some((line) => line.includes('braze circuit open (opened by another replica)'))).toBe(true);

    // Cool-down over, Braze back: A and B asked at the same moment; one of them probes, the other fails fast.
    healthy = true;
    await waitFor(() => healthOf(b), (health) => health.upstream.circuit === 'half-open', 'the half-open circuit', 4_000);
    const [onA, onB] = await Promise.all([series(a, 'probe-a'), series(b, 'probe-b')]);
    expect(braze.seriesCalls).toHaveLength(3);
    const outcomes = [onA, onB].map((result) => (result.errors.length === 0 ? 'answered' : result.errors[0]?.extensions?.['circuit']));
    expect(outcomes.sort()).toEqual(['answered', 'open']);

    // The probe closed the circuit for both.
    for (const gateway of [a, b]) await waitFor(() => healthOf(gateway), (health) => health.upstream.circuit === 'closed', 'the closed circuit');
    expect((await series(a, 'after-a')).errors).toEqual([]);
    expect((await series(b, 'after-b')).errors).toEqual([]);
    expect(braze.seriesCalls).toHaveLength(5);
  });

  it('Redis killed: each replica serves from its own view within the command timeout, logs it once, and shares again when Redis is back', async () => {
    const own = await startRedis();
    try {
      braze = await startFakeBraze();
      const resetAt = Math.floor(Date.now() / 1000) + HOUR_S;
      let remaining = 10_000;
      braze.respond((call) => ({ headers: figure(--remaining, resetAt), body: defaultSeries(call.query) }));
      const [a, b] = (await replicas(2, {}, own)) as [TestGateway, TestGateway];
      expect((await series(a, 'before')).errors).toEqual([]);
      await waitFor(() => bucketOf(b), (bucket) => bucket?.remaining === 9_999, "A's figure in B's view");

      await own.kill();
      const killed = Date.now();
      for (const gateway of [a, b]) await waitFor(() => healthOf(gateway), (health) => health.upstream.shared === 'local', 'the local fallback');
      const fellBack = Date.now() - killed;
      console.info(`shared upstream state: both replicas on their own view ${fellBack} ms after Redis was killed`);
      expect(fellBack).toBeLessThan(1_000);
      // Requests are served meanwhile, from each replica's own view.
      for (let n = 0; n < 4; n++) {
        for (const gateway of [a, b]) {
          const started = Date.now();
          expect((await series(gateway, `outage-${n}`)).errors).toEqual([]);
          expect(Date.now() - started).toBeLessThan(1_000);
        }
        await sleep(150);
      }
      expect(braze.seriesCalls).toHaveLength(9);
      const outageLines = (gateway: TestGateway) => gateway.logs.filter((line) => line.includes('shared upstream state in redis unusable'));
      expect(outageLines(a)).toHaveLength(1);
      expect(outageLines(b)).toHaveLength(1);

      const back = await startRedis({ port: own.port });
      try {
        for (const gateway of [a, b]) await waitFor(() => healthOf(gateway), (health) => health.upstream.shared === 'redis', 'the shared view back', 8_000);
        // Redis came back empty; A's next figure reaches B again without B calling.
        expect((await series(a, 'after')).errors).toEqual([]);
        await waitFor(() => bucketOf(b), (bucket) => bucket?.remaining === remaining, "A's new figure in B's view");
        expect(braze.seriesCalls).toHaveLength(10);
        expect(outageLines(a)).toHaveLength(1);
        expect(b.logs.filter((line) => line.includes('upstream state shared through redis'))).toHaveLength(1);
        expect(b.logs.filter((line) => line.includes('shared upstream state in redis usable again'))).toHaveLength(1);
      } finally {
        await back.kill();
      }
    } finally {
      await own.kill();
    }
  }, 30_000);

  it('Redis unreachable at start: the gateway starts, serves on its own view, and shares once Redis is there', async () => {
    const gone = await startRedis();
    await gone.kill();
    braze = await startFakeBraze();
    braze.respond((call) => ({ headers: figure(5_000, Math.floor(Date.now() / 1000) + HOUR_S), body: defaultSeries(call.query) }));
    const a = await startTestGateway(braze, { REDIS_URL: gone.url, REDIS_KEY_PREFIX: `start-${process.pid}:`, BRAZE_SHARED_REFRESH_MS: String(REFRESH_MS) });
    gateways.push(a);
    expect(a.logs.some((line) => line.includes('shared upstream state not reachable at start'))).toBe(true);
    expect((await series(a, 'no-redis')).errors).toEqual([]);
    expect((await healthOf(a)).upstream).toMatchObject({ shared: 'local', rateLimit: { remaining: 5_000 } });
    const back = await startRedis({ port: gone.port });
    try {
      await waitFor(() => healthOf(a), (health) => health.upstream.shared === 'redis', 'the shared view once Redis is there', 8_000);
    } finally {
      await back.kill();
    }
  }, 20_000);

  it('Redis hung (no answer): requests are not held up, the replica falls back within the command timeout and comes back when Redis answers', async () => {
    const own = await startRedis();
    try {
      braze = await startFakeBraze();
      const resetAt = Math.floor(Date.now() / 1000) + HOUR_S;
      braze.respond((call) => ({ headers: figure(5_000, resetAt), body: defaultSeries(call.query) }));
      const [a] = (await replicas(1, {}, own)) as [TestGateway];
      own.pause();
      const paused = Date.now();
      const started = Date.now();
      expect((await series(a, 'hung')).errors).toEqual([]);
      const served = Date.now() - started;
      await waitFor(() => healthOf(a), (health) => health.upstream.shared === 'local', 'the local fallback');
      const fellBack = Date.now() - paused;
      console.info(`shared upstream state: request served in ${served} ms with Redis hung; on its own view after ${fellBack} ms`);
      expect(fellBack).toBeLessThan(1_000);
      expect(a.logs.filter((line) => line.includes('shared upstream state in redis unusable'))).toHaveLength(1);
      own.resume();
      await waitFor(() => healthOf(a), (health) => health.upstream.shared === 'redis', 'the shared view back');
    } finally {
      own.resume();
      await own.kill();
    }
  });

  describe('the merge in Redis', () => {
    const quiet = createLogger({ level: 'error', write: () => undefined });
    const stores: SharedUpstreamState[] = [];
    afterEach(async () => {
      await Promise.all(stores.splice(0).map((store) => store.close()));
    });
    async function store(prefix: string): Promise<SharedUpstreamState> {
      const created = new SharedUpstreamState({ url: redis!.url, keyPrefix: prefix, logger: quiet, buckets: BUCKETS, refreshMs: 10_000, probeWindowMs: 1_000 });
      stores.push(created);
      expect(await created.ready(2_000)).toBe(true);
      return created;
    }
    const settled = async (replica: SharedUpstreamState) => {
      await replica.refresh();
      return replica.bucket('export').state;
    };

    it('answers of two replicas arriving out of order: the lowest remaining of a window stands, a later window replaces it', async () => {
      const prefix = `merge-${process.pid}-${++prefixes}:`;
      const [a, b] = [await store(prefix), await store(prefix)];
      // A minute before the reset, so that the next window's (an hour later) can be real too.
      const reset = Date.now() + 60_000;
      const first = Promise.resolve(await b.count('export'));
      const second = Promise.resolve(await a.count('export'));
      await a.settle('export', second, { limit: 250000, remaining: 990, resetAt: reset });
      // B's answer to the earlier call arrives later: older news.
      await b.settle('export', first, { limit: 250000, remaining: 1000, resetAt: reset });
      expect(await settled(b)).toMatchObject({ figure: { remaining: 990 }, onTheWire: 0, lost: 0 });

      // An equal figure is no news; a lower one replaces it; so does a later window, even when higher.
      await b.settle('export', undefined, { limit: 250000, remaining: 990, resetAt: reset });
      expect((await settled(a))?.figure.remaining).toBe(990);
      await a.settle('export', undefined, { limit: 250000, remaining: 980, resetAt: reset });
      expect((await settled(b))?.figure.remaining).toBe(980);
      await b.settle('export', undefined, { limit: 250000, remaining: 249_999, resetAt: reset + HOUR_S * 1000 });
      expect((await settled(a))?.figure.remaining).toBe(249_999);
    });

    it("calls are numbered workspace-wide: those sent after the figure's call count on the wire, then as lost when they fail without a figure, until a later call's figure", async () => {
      const prefix = `merge-${process.pid}-${++prefixes}:`;
      const [a, b] = [await store(prefix), await store(prefix)];
      const reset = Date.now() + HOUR_S * 1000;
      // Numbered in this order (each awaited: two connections do not keep order between them).
      const before = Promise.resolve(await a.count('export')); // sent before the figure's call: the figure includes it
      const figureCall = Promise.resolve(await b.count('export'));
      const afterOnA = Promise.resolve(await a.count('export'));
      const afterOnB = Promise.resolve(await b.count('export'));
      await b.settle('export', figureCall, { limit: 250000, remaining: 500, resetAt: reset });
      expect(await settled(a)).toMatchObject({ figure: { remaining: 500 }, onTheWire: 2, lost: 0 });
      await a.settle('export', before, undefined);
      await a.settle('export', afterOnA, undefined);
      expect(await settled(b)).toMatchObject({ figure: { remaining: 500 }, onTheWire: 1, lost: 1 });
      // B's later call answers: its figure includes everything sent before it.
      await b.settle('export', afterOnB, { limit: 250000, remaining: 497, resetAt: reset });
      expect(await settled(a)).toMatchObject({ figure: { remaining: 497 }, onTheWire: 0, lost: 0 });
    });
  });
});
