import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCI } from './helpers/browser.js';
import { defaultSeries, startFakeBraze, type FakeBraze } from '../testkit/fakeBraze.js';
import { TEST_API_KEY, TEST_AUTH_TOKEN } from './helpers/gateway.js';
import { haproxyAvailable, SERVED_BY, startHaproxy, type LoadBalancer } from '../testkit/haproxy.js';
import { redisAvailable, startRedis, type RedisServer } from '../testkit/redis.js';
import { spawnServer, type ServerProcess } from '../testkit/serverProcess.js';

/**
 * Three gateway processes sharing one redis-server, behind haproxy, in front of one fake Braze whose
 * answers take 300 ms so that requests overlap. Counts the Braze calls of requests spread by the
 * balancer over the replicas; kills the replica holding a key's lock, and Redis itself, mid-run.
 */
const here = (await redisAvailable()) && (await haproxyAvailable());
if (!here) console.warn(`replica tests ${isCI() ? 'FAIL' : 'skipped'}: /usr/bin/redis-server or /usr/sbin/haproxy is missing (bash .ci/install-debian-packages.sh)`);

const BRAZE_LATENCY_MS = 300;
/** The lock's TTL is this plus 1 s (src/cache/redisFlight.ts): a dead holder's lock goes after 3 s. */
const BRAZE_TIMEOUT_MS = 2_000;
const PREFIX = `replicas-${Date.now()}:`;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let redis: RedisServer | undefined;
let braze: FakeBraze | undefined;
let balancer: LoadBalancer | undefined;
const replicas: ServerProcess[] = [];
/** Events whose first Braze call never answers: its holder is the replica to kill. */
const hangFirst = new Set<string>();

interface Answer {
  status: number;
  servedBy: string | null;
  total: number | undefined;
  /** extensions.brazeCache: how the request's series was answered (a Braze call of its own is a miss). */
  cache: { misses?: number; shared?: number; hits?: number } | undefined;
}

/** `count` identical queries for `event`, all sent at once through the balancer. */
function burst(event: string, count: number): Promise<Answer>[] {
  const query = `{ eventSeries(event: "${event}", length: 5, endingAt: "2024-03-10T12:00:00Z") { total } }`;
  return Array.from({ length: count }, async () => {
    const response = await fetch(balancer!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_AUTH_TOKEN}` },
      body: JSON.stringify({ query }),
    });
    const text = await response.text();
    let body: { data?: { eventSeries?: { total?: number } }; extensions?: { brazeCache?: Answer['cache'] } } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      // haproxy's own error page: no total
    }
    return { status: response.status, servedBy: response.headers.get(SERVED_BY), total: body.data?.eventSeries?.total, cache: body.extensions?.brazeCache };
  });
}

const callsFor = (event: string): number => braze!.seriesCalls.filter((call) => call.query['event'] === event).length;

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe.skipIf(!here && !isCI())('replicas behind a load balancer sharing Redis', () => {
  beforeAll(async () => {
    if (!here) throw new Error('CI is set and /usr/bin/redis-server or /usr/sbin/haproxy is missing');
    redis = await startRedis();
    braze = await startFakeBraze();
    braze.respond(async (call) => {
      const event = call.query['event'] ?? '';
      if (hangFirst.delete(event)) return new Promise(() => undefined);
      await sleep(BRAZE_LATENCY_MS);
      return { body: defaultSeries(call.query) };
    });
    const env = {
      BRAZE_REST_ENDPOINT: braze.url.href,
      BRAZE_API_KEY: TEST_API_KEY,
      AUTH_TOKENS: TEST_AUTH_TOKEN,
      PORT: '0',
      HOST: '127.0.0.1',
      CACHE_ENABLED: 'true',
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: PREFIX,
      BRAZE_TIMEOUT_MS: String(BRAZE_TIMEOUT_MS),
      LOG_LEVEL: 'info',
    };
    replicas.push(spawnServer(env), spawnServer(env), spawnServer(env));
    const urls = await Promise.all(replicas.map((replica) => replica.listening));
    balancer = await startHaproxy(urls);
  }, 60_000);
  afterAll(async () => {
    await balancer?.stop();
    for (const replica of replicas) if (replica.child.exitCode === null) replica.child.kill('SIGKILL');
    await Promise.all(replicas.map((replica) => replica.exited));
    await braze?.close();
    await redis?.kill();
  });

  it('60 concurrent identical requests spread over three replicas make exactly one Braze call', async () => {
    const answers = await Promise.all(burst('together', 60));
    expect(answers.map((a) => [a.status, a.total])).toEqual(Array.from({ length: 60 }, () => [200, 15]));
    const perReplica = Object.fromEntries(['r0', 'r1', 'r2'].map((name) => [name, answers.filter((a) => a.servedBy === name).length]));
    expect(perReplica).toEqual({ r0: 20, r1: 20, r2: 20 });
    console.info(`replicas: 60 concurrent requests over 3 replicas (${JSON.stringify(perReplica)}) made ${callsFor('together')} Braze call(s)`);
    expect(callsFor('together')).toBe(1);
    // One request made the call; the other 59 were told theirs was shared (in its process or from
    // another), or, arriving after the call had ended (a loaded machine), found its answer cached.
    expect(answers.filter((a) => a.cache?.misses === 1)).toHaveLength(1);
    expect(answers.filter((a) => a.cache?.shared === 1 || a.cache?.hits === 1)).toHaveLength(59);
  }, 30_000);

  it('Redis killed while a replica holds the lock: no request fails', async () => {
    const port = redis!.port;
    const answers = burst('redis-gone', 60);
    await until(() => callsFor('redis-gone') >= 1, 'the first Braze call');
    await redis!.kill();
    const settled = await Promise.all(answers);
    expect(settled.map((a) => [a.status, a.total])).toEqual(Array.from({ length: 60 }, () => [200, 15]));
    const calls = callsFor('redis-gone');
    console.info(`replicas: Redis killed mid-run, 60 of 60 requests answered with ${calls} Braze call(s) (one per replica at most)`);
    // The holder's, and one per other replica once its waiters fell back: never one per request.
    expect(calls).toBeLessThanOrEqual(3);

    // For the next case: Redis back on its port, and the replicas back on it (reconnect ≤ 2 s, cooldown 1 s).
    redis = await startRedis({ port });
    await sleep(3_500);
  }, 30_000);

  it('the replica holding the lock killed -9: at most one extra Braze call, and every request on the others is answered', async () => {
    hangFirst.add('holder-killed');
    const answers = burst('holder-killed', 30);
    await until(() => callsFor('holder-killed') >= 1, 'the hanging Braze call');
    // The lock's token names the process holding it.
    const inspector = new Redis(redis!.url);
    let token: string | null = null;
    try {
      await until(async () => {
        const [lockKey] = await inspector.keys(`${PREFIX}flight:lock:*`);
        token = lockKey === undefined ? null : await inspector.get(lockKey);
        return token !== null;
      }, 'the lock');
    } finally {
      inspector.disconnect();
    }
    const pid = Number(String(token).split(':')[1]);
    const holder = replicas.findIndex((replica) => replica.child.pid === pid);
    expect(holder).toBeGreaterThanOrEqual(0);
    const killedAt = Date.now();
    replicas[holder]!.child.kill('SIGKILL');
    const settled = await Promise.all(answers);
    const waited = Date.now() - killedAt;
    const survivors = settled.filter((a) => a.servedBy !== null);
    const lost = settled.filter((a) => a.servedBy === null);
    console.info(
      `replicas: holder r${holder} killed -9; ${survivors.length} requests on the other replicas answered after ${waited} ms, ${lost.length} lost with the killed one; ${callsFor('holder-killed')} Braze calls`,
    );
    // Roundrobin: 10 of the 30 went to the killed replica; the other 20 all answered, correctly.
    expect(survivors.map((a) => [a.status, a.total])).toEqual(Array.from({ length: 20 }, () => [200, 15]));
    expect(new Set(survivors.map((a) => a.servedBy)).has(`r${holder}`)).toBe(false);
    expect(lost).toHaveLength(10);
    // The hanging call of the dead holder, and one takeover after its lock expired.
    expect(callsFor('holder-killed')).toBe(2);
  }, 30_000);
});
