// npm run bench:replicas (tsx bench/scenarios/replicas.ts): single flight across replicas. Starts a redis-server,
// a fake Braze answering after BENCH_REPLICAS_LATENCY_MS, and two sets of three gateway processes on
// that Redis, each set behind its own haproxy: one with the single flight (the default), one with
// REDIS_SINGLE_FLIGHT=false (the cache shared, each replica calling Braze for its own misses).
//  - Calls: BENCH_REPLICAS_ROUNDS rounds of BENCH_REPLICAS_CONCURRENCY identical requests at once, a
//    new series each round, through each balancer. Target: one Braze call a round with the flight.
//  - Latency: per round, one request to one replica and, 20 ms later, one for the same series to
//    another (the second waits on the first's call), against one request alone on a replica of the
//    set without the flight (a local miss). Target: the waiter's answer comes at most 10 ms (p50)
//    after the holder's, i.e. waiting on another replica costs at most 10 ms over the call itself.
// Needs /usr/bin/redis-server and /usr/sbin/haproxy (bash .ci/install-debian-packages.sh).
import { numberEnv, sleep, upstreamCalls } from '../lib/common.js';
import { BENCH_TOKEN, spawnedGatewayEnv } from '../lib/protocol.js';
import { startFakeBraze } from '../../testkit/fakeBraze.js';
import { haproxyAvailable, startHaproxy, type LoadBalancer } from '../../testkit/haproxy.js';
import { redisAvailable, startRedis } from '../../testkit/redis.js';
import { spawnServer, type ServerProcess } from '../../testkit/serverProcess.js';

const LATENCY_MS = numberEnv('BENCH_REPLICAS_LATENCY_MS', 100, 1);
const ROUNDS = numberEnv('BENCH_REPLICAS_ROUNDS', 20, 1);
const CONCURRENCY = numberEnv('BENCH_REPLICAS_CONCURRENCY', 60, 2);
const WAITER_DELAY_MS = 20;
const ADDED_LATENCY_TARGET_MS = 10;

if (!(await redisAvailable()) || !(await haproxyAvailable())) {
  console.error('bench:replicas needs /usr/bin/redis-server and /usr/sbin/haproxy (bash .ci/install-debian-packages.sh)');
  process.exit(1);
}

const redis = await startRedis();
const braze = await startFakeBraze({ latencyMs: LATENCY_MS, record: false });
const upstream = braze.url.origin;
const base = { ...spawnedGatewayEnv(braze.url), REDIS_URL: redis.url };
const children: ServerProcess[] = [];
const balancers: LoadBalancer[] = [];

interface ReplicaSet {
  readonly urls: URL[];
  readonly balancer: LoadBalancer;
}

async function replicaSet(env: Record<string, string>): Promise<ReplicaSet> {
  const set = [spawnServer({ ...base, ...env }), spawnServer({ ...base, ...env }), spawnServer({ ...base, ...env })];
  children.push(...set);
  const started = Promise.all(set.map((child) => child.listening));
  const tooLong = new Promise<never>((_, reject) => {
    // Unref'd: it must not keep the bench alive once it is done.
    setTimeout(() => reject(new Error(`replicas not listening after 60 s:\n${set.map((c) => c.output()).join('\n')}`)), 60_000).unref();
  });
  const urls = await Promise.race([started, tooLong]);
  const balancer = await startHaproxy(urls);
  balancers.push(balancer);
  return { urls, balancer };
}

/** One query for `event`'s series; resolves with its latency in ms, throws unless it answered the right total. */
async function ask(url: URL, event: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_TOKEN}` },
    body: JSON.stringify({ query: `{ eventSeries(event: "${event}", length: 5, endingAt: "2024-03-10T12:00:00Z") { total } }` }),
  });
  const body = (await response.json()) as { data?: { eventSeries?: { total?: number } } };
  if (body.data?.eventSeries?.total !== 15) throw new Error(`unexpected answer for ${event}: ${JSON.stringify(body)}`);
  return performance.now() - started;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

/** Braze calls per round of CONCURRENCY identical requests through the balancer. */
async function callsPerRound(set: ReplicaSet, name: string): Promise<number[]> {
  const calls: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const before = await upstreamCalls(upstream);
    await Promise.all(Array.from({ length: CONCURRENCY }, () => ask(set.balancer.url, `${name}-burst-${round}`)));
    calls.push((await upstreamCalls(upstream)) - before);
  }
  return calls;
}

try {
  const [flight, alone] = await Promise.all([replicaSet({ REDIS_KEY_PREFIX: 'bench-flight:' }), replicaSet({ REDIS_KEY_PREFIX: 'bench-alone:', REDIS_SINGLE_FLIGHT: 'false' })]);
  // Warm-up: modules, schema, pools and Redis connections in place on every replica.
  for (const url of [...flight.urls, ...alone.urls]) await ask(url, 'warm-up');

  const withFlight = await callsPerRound(flight, 'flight');
  const without = await callsPerRound(alone, 'alone');

  const local: number[] = [];
  const holder: number[] = [];
  const waiter: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    local.push(await ask(alone.urls[round % 3]!, `alone-single-${round}`));
    const first = ask(flight.urls[round % 3]!, `flight-pair-${round}`);
    await sleep(WAITER_DELAY_MS);
    const second = ask(flight.urls[(round + 1) % 3]!, `flight-pair-${round}`);
    const [firstMs, secondMs] = await Promise.all([first, second]);
    holder.push(firstMs);
    // The waiter started 20 ms later: its answer's time after the holder's is what waiting added.
    waiter.push(secondMs + WAITER_DELAY_MS);
  }

  const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
  const saved = 1 - sum(withFlight) / sum(without);
  const added = median(waiter.map((w, i) => w - holder[i]!));
  const callsMet = withFlight.every((calls) => calls === 1);
  console.log(`| replicas | requests a round | rounds | Braze latency | Braze calls with single flight | without | calls saved |`);
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  console.log(`| 3 | ${CONCURRENCY} | ${ROUNDS} | ${LATENCY_MS} ms | ${sum(withFlight)} (max ${Math.max(...withFlight)} a round) | ${sum(without)} (max ${Math.max(...without)} a round) | ${(saved * 100).toFixed(1)} % |`);
  console.log(`\n| latency p50 | local miss (no single flight) | holder (takes the lock, calls) | waiter on another replica (from the holder's start) | waiter − holder |`);
  console.log('|---|---:|---:|---:|---:|');
  console.log(`| ms | ${median(local).toFixed(1)} | ${median(holder).toFixed(1)} | ${median(waiter).toFixed(1)} | ${added.toFixed(1)} |`);
  console.log(`\n| target | result |\n|---|---|`);
  console.log(`| one Braze call a round of ${CONCURRENCY} identical requests over 3 replicas | ${callsMet ? 'MET' : 'MISSED'}: ${withFlight.join(', ')} |`);
  console.log(`| waiting on another replica adds ≤ ${ADDED_LATENCY_TARGET_MS} ms p50 | ${added <= ADDED_LATENCY_TARGET_MS ? 'MET' : 'MISSED'}: ${added.toFixed(1)} ms |`);
} finally {
  await Promise.all(balancers.map((balancer) => balancer.stop()));
  for (const child of children) if (child.child.exitCode === null) child.child.kill('SIGKILL');
  await Promise.all(children.map((child) => child.exited));
  await braze.close();
  await redis.kill();
}
