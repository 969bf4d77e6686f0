import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedisCache } from '../src/cache/redisCache.js';
import { createRedisFlight } from '../src/cache/redisFlight.js';
import type { AnswerCache, CallCodec, Cached } from '../src/data/cache.js';
import type { FlightResult, FlightTask, SharedFlight } from '../src/data/sharedFlight.js';
import { createLogger } from '../src/observability/logger.js';
import { isCI } from './helpers/browser.js';
import { until } from './helpers/live.js';
import { redisAvailable, startRedis, type RedisServer } from '../testkit/redis.js';

/**
 * The Redis single flight (src/cache/redisFlight.ts) between "replicas" that are separate flight and
 * cache instances, each with its own connections, against a real redis-server. Each replica counts
 * the Braze calls it made.
 */
const redisHere = await redisAvailable();
if (!redisHere) console.warn(`redis flight tests ${isCI() ? 'FAIL' : 'skipped'}: /usr/bin/redis-server is missing (apt-get install redis-server)`);

interface Answer {
  readonly key: string;
  readonly n: number;
}
/** Answers travel as the JSON text of themselves (a gateway's travel as Braze's body, parsed again). */
const codec: CallCodec<Answer> = {
  encode: ({ answer }) => JSON.stringify(answer),
  decode: (value) => {
    if (typeof value !== 'string') return undefined;
    const v = JSON.parse(value) as Partial<Answer> | null;
    return typeof v?.key === 'string' && typeof v.n === 'number' ? { key: v.key, n: v.n } : undefined;
  },
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));


interface Replica {
  readonly flight: SharedFlight;
  readonly cache: AnswerCache;
  readonly logs: string[];
  /** Keys this replica called "Braze" for, in order. */
  readonly calls: string[];
  /** Runs the flight for `key`; the call answers { key, n } after `latencyMs` (or `call` instead). */
  get(
    key: string,
    options?: { latencyMs?: number; n?: number; call?: (signal: AbortSignal) => Promise<Cached<Answer>>; signal?: AbortSignal; fresh?: boolean; patience?: AbortSignal },
  ): Promise<FlightResult<Answer>>;
}

const LOCK_TTL_MS = 600;

let redis: RedisServer | undefined;
let prefix = '';
const replicas: Replica[] = [];

async function replica(options: { lockTtlMs?: number } = {}): Promise<Replica> {
  if (!redis) throw new Error('redis not started');
  const logs: string[] = [];
  const logger = createLogger({ level: 'info', write: (line) => logs.push(line) });
  const cache = createRedisCache({ url: redis.url, keyPrefix: prefix, logger });
  const flight = createRedisFlight({ url: redis.url, keyPrefix: prefix, logger, lockTtlMs: options.lockTtlMs ?? LOCK_TTL_MS });
  await Promise.all([cache.ready(5_000), flight.ready(5_000)]);
  const calls: string[] = [];
  const made: Replica = {
    flight,
    cache,
    logs,
    calls,
    get: (key, { latencyMs = 150, n = 1, call, signal = new AbortController().signal, fresh = false, patience = new AbortController().signal } = {}) => {
      const task: FlightTask<Answer> = {
        codec,
        lookup: fresh ? undefined : () => cache.get(key, codec),
        call: async (callSignal) => {
          calls.push(key);
          if (call) return call(callSignal);
          await sleep(latencyMs);
          return { answer: { key, n }, fetchedAt: new Date() };
        },
        store: (value) => cache.set(key, value, 60_000, codec),
        patience,
      };
      return flight.run(key, task, signal);
    },
  };
  replicas.push(made);
  return made;
}

const totalCalls = (): number => replicas.reduce((sum, r) => sum + r.calls.length, 0);

/** A raw connection, for playing a holder the flight did not start (one that died) and a forger. */
let raw: Redis | undefined;
function rawClient(url: string): Redis {
  const client = new Redis(url);
  // It outlives a killed server in one test; its reconnection errors are expected.
  client.on('error', () => undefined);
  return client;
}

describe.skipIf(!redisHere && !isCI())('single flight across replicas through Redis', () => {
  beforeAll(async () => {
    if (!redisHere) throw new Error('CI is set and /usr/bin/redis-server is missing');
    redis = await startRedis();
    raw = rawClient(redis.url);
  });
  afterEach(async () => {
    await Promise.all(replicas.splice(0).map((r) => Promise.all([r.flight.close(), r.cache.close()])));
    prefix = `flight-${Math.random().toString(36).slice(2)}:`;
  });
  afterAll(async () => {
    raw?.disconnect();
    await redis?.kill();
  });
  prefix = `flight-${Math.random().toString(36).slice(2)}:`;

  it('60 concurrent requests for one key over three replicas make exactly one call, and all get its answer', async () => {
    const [a, b, c] = [await replica(), await replica(), await replica()];
    const all = Array.from({ length: 60 }, (_, i) => [a, b, c][i % 3]!.get('series', { latencyMs: 300, n: 42 }));
    const results = await Promise.all(all);
    expect(totalCalls()).toBe(1);
    expect(results.map((r) => r.value.answer)).toEqual(Array.from({ length: 60 }, () => ({ key: 'series', n: 42 })));
    expect(results.filter((r) => !r.fromReplica)).toHaveLength(1);
  });

  it('answers never cross keys: 20 keys asked at once on three replicas get their own answers, one call each', async () => {
    const [a, b, c] = [await replica(), await replica(), await replica()];
    const keys = Array.from({ length: 20 }, (_, i) => `key-${i}`);
    const asked = keys.flatMap((key, i) => [a, b, c].map((r) => r.get(key, { latencyMs: 50 + (i % 5) * 20, n: i }).then((result) => ({ key, i, result }))));
    for (const { key, i, result } of await Promise.all(asked)) expect(result.value.answer).toEqual({ key, n: i });
    expect(totalCalls()).toBe(20);
    expect(new Set([...a.calls, ...b.calls, ...c.calls])).toEqual(new Set(keys));
  });

  it("a notice on a key's channel naming another key, or unreadable, is never served: the waiter waits for its own", async () => {
    const b = await replica({ lockTtlMs: 5_000 });
    // A holder that is not a flight: the test holds the lock and publishes.
    await raw!.set(`${prefix}flight:lock:mine`, 'someone-else', 'PX', 5_000);
    const waiting = b.get('mine');
    await sleep(150);
    const channel = `${prefix}flight:mine`;
    await raw!.publish(channel, JSON.stringify({ k: 'other', ok: true, f: Date.now(), b: JSON.stringify({ key: 'other', n: 666 }) }));
    await raw!.publish(channel, JSON.stringify({ k: 'mine', ok: true, f: Date.now(), b: JSON.stringify({ unexpected: true }) }));
    await raw!.publish(channel, 'not json');
    await sleep(100);
    await raw!.publish(channel, JSON.stringify({ k: 'mine', ok: true, f: 1_700_000_000_000, b: JSON.stringify({ key: 'mine', n: 7 }) }));
    const result = await waiting;
    expect(result).toEqual({ value: { answer: { key: 'mine', n: 7 }, fetchedAt: new Date(1_700_000_000_000) }, fromReplica: true });
    // The unreadable and the failed notices each sent it back to the lock, still held: no call.
    expect(b.calls).toEqual([]);
  });

  it('a holder that died: its lock expires and exactly one waiter takes over, the others get that answer', async () => {
    const [b, c] = [await replica(), await replica()];
    await raw!.set(`${prefix}flight:lock:orphan`, 'dead-replica', 'PX', LOCK_TTL_MS);
    const started = Date.now();
    const results = await Promise.all([b.get('orphan', { n: 3 }), c.get('orphan', { n: 3 }), b.get('orphan', { n: 3 }), c.get('orphan', { n: 3 })]);
    const elapsed = Date.now() - started;
    expect(totalCalls()).toBe(1);
    expect(results.map((r) => r.value.answer.n)).toEqual([3, 3, 3, 3]);
    // Not before the lock expired, and not much after (one call of 150 ms plus slack).
    expect(elapsed).toBeGreaterThanOrEqual(LOCK_TTL_MS - 50);
    expect(elapsed).toBeLessThan(LOCK_TTL_MS + 1_500);
  });

  it('a failed call wakes the waiters at once (not at expiry): one of them calls, the others get its answer', async () => {
    const [a, b, c] = [await replica({ lockTtlMs: 10_000 }), await replica({ lockTtlMs: 10_000 }), await replica({ lockTtlMs: 10_000 })];
    const failing = a.get('flaky', {
      call: async () => {
        await sleep(200);
        throw new Error('Braze said 503');
      },
    });
    const failed = expect(failing).rejects.toThrow('Braze said 503');
    await sleep(50);
    const started = Date.now();
    const [fromB, fromC] = await Promise.all([b.get('flaky', { n: 9 }), c.get('flaky', { n: 9 })]);
    await failed;
    expect(Date.now() - started).toBeLessThan(2_000);
    expect([fromB.value.answer, fromC.value.answer]).toEqual([
      { key: 'flaky', n: 9 },
      { key: 'flaky', n: 9 },
    ]);
    // The failed call and one retry, by B or C: not one each.
    expect(totalCalls()).toBe(2);
    expect([fromB.fromReplica, fromC.fromReplica].sort()).toEqual([false, true]);
  });

  it("the request's signal bounds the wait: aborted, it leaves at once without a call", async () => {
    const b = await replica({ lockTtlMs: 10_000 });
    await raw!.set(`${prefix}flight:lock:slow`, 'someone-else', 'PX', 10_000);
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 200);
    await expect(b.get('slow', { signal: controller.signal })).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(b.calls).toEqual([]);
  });

  it('a lock held for ever, with no notice ever (a Redis that lies plausibly): the waiter stops at its patience and calls Braze itself, once', async () => {
    const b = await replica({ lockTtlMs: 60_000 });
    await raw!.set(`${prefix}flight:lock:forever`, 'someone-else', 'PX', 60_000);
    const started = Date.now();
    const result = await b.get('forever', { latencyMs: 10, n: 4, patience: AbortSignal.timeout(500) });
    const elapsed = Date.now() - started;
    expect(result).toEqual({ value: { answer: { key: 'forever', n: 4 }, fetchedAt: expect.any(Date) }, fromReplica: false });
    expect(b.calls).toEqual(['forever']);
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(elapsed).toBeLessThan(2_000);
  });

  it('an answer stored while the lock was held is found after subscribing, and one stored before the lock was taken is found after taking it: no call', async () => {
    const b = await replica({ lockTtlMs: 10_000 });
    await raw!.set(`${prefix}flight:lock:stored`, 'someone-else', 'PX', 10_000);
    await b.cache.set('stored', { answer: { key: 'stored', n: 5 }, fetchedAt: new Date(1_000) }, 60_000, codec);
    expect(await b.get('stored')).toEqual({ value: { answer: { key: 'stored', n: 5 }, fetchedAt: new Date(1_000) }, fromReplica: true });
    await b.cache.set('free', { answer: { key: 'free', n: 6 }, fetchedAt: new Date(2_000) }, 60_000, codec);
    expect(await b.get('free')).toEqual({ value: { answer: { key: 'free', n: 6 }, fetchedAt: new Date(2_000) }, fromReplica: true });
    expect(b.calls).toEqual([]);
    // The lock it took to look was released.
    expect(await raw!.exists(`${prefix}flight:lock:free`)).toBe(0);
  });

  it('a fresh request (no-cache) does not take the cached answer, but joins a call in flight', async () => {
    const [a, b] = [await replica(), await replica()];
    await a.cache.set('fresh', { answer: { key: 'fresh', n: 1 }, fetchedAt: new Date(1_000) }, 60_000, codec);
    const own = await a.get('fresh', { fresh: true, n: 2 });
    expect(own).toMatchObject({ value: { answer: { key: 'fresh', n: 2 } }, fromReplica: false });
    const [first, second] = await Promise.all([a.get('again', { fresh: true, n: 3, latencyMs: 300 }), b.get('again', { fresh: true, n: 3 })]);
    expect([first.value.answer.n, second.value.answer.n]).toEqual([3, 3]);
    expect(totalCalls()).toBe(2);
  });

  it('Redis stalled: a waiter calls Braze itself within a second, new requests do not wait on Redis longer than its command timeout, one log line', async () => {
    const b = await replica({ lockTtlMs: 30_000 });
    await raw!.set(`${prefix}flight:lock:stall`, 'someone-else', 'PX', 30_000);
    const waiting = b.get('stall', { latencyMs: 10, n: 1 });
    await sleep(100);
    redis!.pause();
    try {
      const stalledAt = Date.now();
      const result = await waiting;
      const fellBackAfter = Date.now() - stalledAt;
      expect(result).toMatchObject({ value: { answer: { key: 'stall', n: 1 } }, fromReplica: false });
      // A ping every 500 ms that times out after 250 ms.
      expect(fellBackAfter).toBeLessThan(1_200);
      for (let i = 0; i < 5; i++) {
        const started = Date.now();
        await b.get(`stall-${i}`, { latencyMs: 10 });
        // The command timeout (250 ms) at most, plus the call's 10 ms and slack.
        expect(Date.now() - started).toBeLessThan(450);
        await sleep(300);
      }
      expect(b.logs.filter((line) => line.includes('redis single flight'))).toHaveLength(1);
    } finally {
      redis!.resume();
    }
  });

  it('Redis killed: a waiter calls Braze itself at once, requests are served meanwhile, and the flight comes back with Redis', async () => {
    const b = await replica({ lockTtlMs: 30_000 });
    const c = await replica({ lockTtlMs: 30_000 });
    await raw!.set(`${prefix}flight:lock:gone`, 'someone-else', 'PX', 30_000);
    const waiting = b.get('gone', { latencyMs: 10, n: 1 });
    await sleep(100);
    const port = redis!.port;
    await redis!.kill();
    const killedAt = Date.now();
    expect(await waiting).toMatchObject({ value: { answer: { key: 'gone', n: 1 } }, fromReplica: false });
    expect(Date.now() - killedAt).toBeLessThan(500);
    const started = Date.now();
    expect(await b.get('meanwhile', { latencyMs: 10 })).toMatchObject({ fromReplica: false });
    expect(Date.now() - started).toBeLessThan(300);

    redis = await startRedis({ port });
    raw!.disconnect();
    raw = rawClient(redis.url);
    // ioredis reconnects on its own (at most 2 s between tries); then the cooldown (1 s) passes.
    await Promise.all([b.flight.ready(5_000), c.flight.ready(5_000)]);
    await sleep(1_100);
    const calledBefore = totalCalls();
    const [fromB, fromC] = await Promise.all([b.get('back', { latencyMs: 300 }), c.get('back', { latencyMs: 300 })]);
    expect(totalCalls() - calledBefore).toBe(1);
    expect([fromB.fromReplica, fromC.fromReplica].sort()).toEqual([false, true]);
    // The outage ends once Redis has answered well for 2 s without a failure: said once.
    await until(() => b.logs.some((line) => line.includes('redis single flight usable again')), 10_000, 'the recovery logged');
    expect(b.flight.status()).toEqual({ usable: true });
  }, 20_000);
});
