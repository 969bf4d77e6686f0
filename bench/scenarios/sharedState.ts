// npm run bench:shared (tsx bench/scenarios/sharedState.ts): what sharing the rate-limit buckets through Redis
// costs and buys. Needs /usr/bin/redis-server (a throwaway one on a loopback port is started).
//
// 1. Round trip: one read of the shared state (every bucket and the breaker, one Lua script), awaited
//    BENCH_SHARED_ROUND_TRIPS (2,000) times in a row: what each call would wait if every admission
//    asked Redis. Against it, an admission from the cached view (a map read, no I/O).
// 2. Staleness: replica A publishes a lower figure; how long until replica B's cached view shows it,
//    with BENCH_SHARED_REFRESH_MS (100) between reads, over BENCH_SHARED_TRIALS (100) trials. Target: the
//    worst case within the refresh interval plus 25 ms.
// 3. Calls over the reserve: BENCH_SHARED_REPLICAS (3) gateways (in this process, over HTTP) share one
//    fake Braze whose bucket has BENCH_SHARED_ROOM (300) calls above the reserve and answers after
//    BENCH_SHARED_LATENCY_MS (20 ms); each replica runs BENCH_SHARED_CONCURRENCY (8) request loops
//    until it is refused at the reserve: all replicas together, or the first alone and then the others
//    (which have not called Braze yet) in a burst. Calls beyond the room are calls over the reserve;
//    measured with the buckets shared and without (BRAZE_SHARED_STATE=false). Target: shared, at most
//    replicas × concurrency (each replica's calls of one round before the others' counts reach it).
import { performance } from 'node:perf_hooks';
import { RateLimitTracker } from '../../src/braze/rateLimit.js';
import { SharedRateLimitTracker } from '../../src/braze/sharedRateLimit.js';
import { SharedUpstreamState } from '../../src/braze/sharedStore.js';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/observability/logger.js';
import { startServer, type RunningGateway } from '../../src/startServer.js';
import { defaultSeries, startFakeBraze } from '../../testkit/fakeBraze.js';
import { redisAvailable, startRedis } from '../../testkit/redis.js';
import { ENDING_AT, numberEnv, sleep } from '../lib/common.js';
import { BUCKETS } from '../../src/endpoints/buckets.js';

const ROUND_TRIPS = numberEnv('BENCH_SHARED_ROUND_TRIPS', 2_000, 10);
const REFRESH_MS = numberEnv('BENCH_SHARED_REFRESH_MS', 100, 10);
const TRIALS = numberEnv('BENCH_SHARED_TRIALS', 100, 5);
const REPLICAS = numberEnv('BENCH_SHARED_REPLICAS', 3, 2);
const ROOM = numberEnv('BENCH_SHARED_ROOM', 300, 10);
const LATENCY_MS = numberEnv('BENCH_SHARED_LATENCY_MS', 20, 0);
const CONCURRENCY = numberEnv('BENCH_SHARED_CONCURRENCY', 8, 1);
const RESERVE = 1_000;
const TOKEN = 'bench-shared-token-0123456789abcdef';

if (!(await redisAvailable())) {
  console.error('bench:shared needs /usr/bin/redis-server (apt-get install redis-server)');
  process.exit(2);
}
const quiet = createLogger({ level: 'error', write: () => undefined });
const redis = await startRedis();
const percentile = (values: number[], p: number): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))] ?? Number.NaN;
const ms = (value: number): string => `${value.toFixed(2)} ms`;
let allMet = true;
const verdict = (met: boolean): string => {
  allMet &&= met;
  return met ? 'MET' : 'MISSED';
};

try {
  // 1. Round trip against a cached admission.
  const prefix = `bench-${process.pid}:`;
  const a = new SharedUpstreamState({ url: redis.url, keyPrefix: prefix, logger: quiet, buckets: BUCKETS, refreshMs: REFRESH_MS, probeWindowMs: 15_000 });
  const b = new SharedUpstreamState({ url: redis.url, keyPrefix: prefix, logger: quiet, buckets: BUCKETS, refreshMs: REFRESH_MS, probeWindowMs: 15_000 });
  if (!(await a.ready(2_000)) || !(await b.ready(2_000))) throw new Error('redis did not answer');
  const resetAt = Date.now() + 3_600_000;
  await a.settle('export', undefined, { limit: 250_000, remaining: 200_000, resetAt });
  const trips: number[] = [];
  for (let i = 0; i < ROUND_TRIPS; i++) {
    const started = performance.now();
    await a.refresh();
    trips.push(performance.now() - started);
  }
  const tracker = new SharedRateLimitTracker(new RateLimitTracker(RESERVE), a, 'export');
  const ADMISSIONS = 1_000_000;
  const started = performance.now();
  for (let i = 0; i < ADMISSIONS; i++) tracker.admit();
  const admissionNs = ((performance.now() - started) * 1e6) / ADMISSIONS;
  console.log(`round trip to Redis (read of every bucket and the breaker), ${ROUND_TRIPS} in a row: p50 ${ms(percentile(trips, 50))}, p99 ${ms(percentile(trips, 99))}, max ${ms(Math.max(...trips))}`);
  console.log(`admission from the cached view: ${admissionNs.toFixed(0)} ns (no I/O); an admission awaiting Redis would add the round trip above to every Braze call`);

  // 2. Staleness of B's view.
  const lags: number[] = [];
  for (let trial = 0; trial < TRIALS; trial++) {
    const remaining = 199_000 - trial;
    // Published at a random moment of B's refresh cycle.
    await sleep(Math.random() * REFRESH_MS);
    const published = performance.now();
    await a.settle('export', undefined, { limit: 250_000, remaining, resetAt });
    while (b.bucket('export').state?.figure.remaining !== remaining) await sleep(1);
    lags.push(performance.now() - published);
  }
  const worstLag = Math.max(...lags);
  console.log(
    `staleness of another replica's view (refresh every ${REFRESH_MS} ms), ${TRIALS} figures: p50 ${ms(percentile(lags, 50))}, p99 ${ms(percentile(lags, 99))}, max ${ms(worstLag)} — target ≤ ${REFRESH_MS + 25} ms: ${verdict(worstLag <= REFRESH_MS + 25)}`,
  );
  await a.close();
  await b.close();

  // 3. Calls over the reserve, shared and not: all replicas spending the room together, then one
  // replica spending it alone before a burst arrives at the others, which have not called Braze yet.
  const bound = REPLICAS * CONCURRENCY;
  for (const scenario of ['together', 'burst after one drained'] as const) {
    for (const shared of [true, false]) {
      const over = await spendTheRoom(shared, scenario);
      console.log(
        `calls over the reserve, ${scenario}, ${REPLICAS} replicas × ${CONCURRENCY} concurrent requests, Braze answering in ${LATENCY_MS} ms, ${shared ? `buckets shared (refresh ${REFRESH_MS} ms)` : 'each replica on its own'}: ${over}` +
          (shared ? ` — target ≤ ${bound}: ${verdict(over <= bound)}` : ''),
      );
    }
  }
} finally {
  await redis.kill();
}
console.log(allMet ? 'bench:shared MET' : 'bench:shared MISSED');
process.exit(allMet ? 0 : 1);

/** Runs the replicas until each is refused at the reserve; Braze's calls beyond the room. */
async function spendTheRoom(shared: boolean, scenario: 'together' | 'burst after one drained'): Promise<number> {
  const braze = await startFakeBraze({ latencyMs: LATENCY_MS });
  const resetAt = Math.floor(Date.now() / 1000) + 3600;
  let arrived = 0;
  // Braze counts a call when it arrives and reports the bucket after it.
  braze.respond((call) => {
    const remaining = Math.max(0, RESERVE + ROOM - ++arrived);
    return { headers: { 'x-ratelimit-limit': '250000', 'x-ratelimit-remaining': String(remaining), 'x-ratelimit-reset': String(resetAt) }, body: defaultSeries(call.query) };
  });
  const env = {
    PORT: '0',
    HOST: '127.0.0.1',
    CACHE_ENABLED: 'false',
    BRAZE_REST_ENDPOINT: braze.url.href,
    BRAZE_API_KEY: 'sk-bench-0123456789abcdef0123456789abcdef',
    AUTH_TOKENS: TOKEN,
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: `bench-${process.pid}-${shared}:`,
    BRAZE_SHARED_STATE: String(shared),
    BRAZE_SHARED_REFRESH_MS: String(REFRESH_MS),
    BRAZE_RATE_LIMIT_RESERVE: String(RESERVE),
    BRAZE_MAX_ATTEMPTS: '1',
    METRICS_ENABLED: 'false',
    LOG_LEVEL: 'error',
  };
  const gateways: RunningGateway[] = [];
  for (let i = 0; i < REPLICAS; i++) gateways.push(await startServer(loadConfig(env), quiet));
  try {
    if (shared) await sleep(REFRESH_MS * 3);
    // Braze's first figure, seen by the first replica only: the others start from the shared view or from nothing.
    await ask(gateways[0]!, -1);
    let next = 0;
    const loops = (replicas: RunningGateway[]) =>
      Promise.all(
        replicas.flatMap((gateway) =>
          Array.from({ length: CONCURRENCY }, async () => {
            // Each loop stops at its first refusal: the replica is at the reserve.
            while ((await ask(gateway, next++)) === 'answered');
          }),
        ),
      );
    if (scenario === 'together') await loops(gateways);
    else {
      await loops(gateways.slice(0, 1));
      if (shared) await sleep(REFRESH_MS * 2);
      await loops(gateways.slice(1));
    }
    return Math.max(0, braze.callCount - ROOM);
  } finally {
    await Promise.all(gateways.map((gateway) => gateway.close(100)));
    await braze.close();
  }
}

async function ask(gateway: RunningGateway, n: number): Promise<'answered' | 'refused'> {
  const response = await fetch(gateway.url.href.replace('localhost', '127.0.0.1'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ query: `{ eventSeries(event: "e${n}", length: 1, endingAt: "${ENDING_AT}") { total } }` }),
  });
  const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
  const code = body.errors?.[0]?.extensions?.code;
  if (code === undefined) return 'answered';
  if (code === 'UPSTREAM_RATE_LIMITED') return 'refused';
  throw new Error(`unexpected error ${code}`);
}
