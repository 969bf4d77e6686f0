// npm run bench:rss (tsx bench/scenarios/rss.ts): does the cache-on gateway's memory stay flat under many keys?
// One child (bench/targets/target.ts, BENCH_TARGET=cache: the local 20 ms upstream and one gateway with
// CACHE_ENABLED=true, CACHE_MAX_ENTRIES=5000, TTLs of 10 minutes) under autocannon with 20 connections,
// each request asking for one of 10,000 distinct series (events e0…e9999): twice the cache's capacity,
// so the cache fills up and evicts all the time, and only its size bound keeps memory in check
// (nothing expires during the run).
//
// The child's RSS is sampled every second. After the warm-up, "start" is the RSS at the end of the
// warm-up; PASS when every later sample stays within ±10% of it.
//
// Issue 23 (goal 3): the peak RSS over the whole run (warm-up included) must stay ≤ 512 MiB, with the child run
// under the heap settings docs/operations.md recommends (BENCH_RSS_HEAP_FLAGS, given to the child as NODE_OPTIONS;
// "" for Node's own). The child also holds the fake Braze and tsx's loader, so it overstates a replica.
//
// Environment: BENCH_RSS_SECONDS (300) measured after BENCH_RSS_WARMUP_SECONDS (15);
// BENCH_RSS_ORDER: random (default: a seeded uniform draw over the 10,000 keys, so about half the
// requests hit a 5,000-entry LRU) or cycle (e0, e1, …, e9999, e0, …: an LRU smaller than the cycle
// never hits, so every request is a miss and an eviction). BENCH_RSS_HEAP_FLAGS (the recommended
// "--max-old-space-size=352 --max-semi-space-size=16").
//
// Bounded: autocannon stops by time, a watchdog ends an overrun, and the child is always stopped
// (SIGTERM, then SIGKILL after 5 s); it also stops by itself when this process's IPC channel closes.
import { cpus, loadavg } from 'node:os';
import { ENDING_AT, GRAPHQL_HEADERS, load, numberEnv, rssMiB, startTarget, stopChild, upstreamCalls } from '../lib/common.js';
import { prng } from '../../testkit/prng.js';

const SECONDS = numberEnv('BENCH_RSS_SECONDS', 300, 1);
const WARMUP_SECONDS = numberEnv('BENCH_RSS_WARMUP_SECONDS', 15, 1);
const ORDER = process.env['BENCH_RSS_ORDER'] ?? 'random';
if (ORDER !== 'random' && ORDER !== 'cycle') throw new Error(`BENCH_RSS_ORDER must be random or cycle (got "${ORDER}")`);
const CONNECTIONS = 20;
const KEYS = 10_000;
const CACHE_MAX_ENTRIES = 5_000;
const LATENCY_MS = 20;
const LENGTH = 7;
const FLAT = 0.1;
/** Issue 23: memory per replica. */
const PEAK_TARGET_MIB = 512;
const HEAP_FLAGS = process.env['BENCH_RSS_HEAP_FLAGS'] ?? '--max-old-space-size=352 --max-semi-space-size=16';

const QUERY = `query Rss($event: String!) { eventSeries(event: $event, length: ${LENGTH}, endingAt: "${ENDING_AT}") { event total points { time count } } }`;
const BODIES = Array.from({ length: KEYS }, (_, i) => JSON.stringify({ query: QUERY, variables: { event: `e${i}` } }));

function keyOrder(): () => string {
  if (ORDER === 'cycle') {
    let next = 0;
    return () => BODIES[next++ % KEYS]!;
  }
  const random = prng(1);
  return () => BODIES[Math.floor(random() * KEYS)]!;
}

interface Sample {
  readonly at: number;
  readonly rss: number;
}

async function main(): Promise<void> {
  const watchdogMs = (WARMUP_SECONDS + SECONDS + 90) * 1000;
  const target = await startTarget({
    BENCH_TARGET: 'cache',
    BENCH_UPSTREAM_LATENCY_MS: String(LATENCY_MS),
    BENCH_CACHE_MAX_ENTRIES: String(CACHE_MAX_ENTRIES),
    NODE_OPTIONS: [process.env['NODE_OPTIONS'] ?? '', HEAP_FLAGS].join(' ').trim(),
  });
  const { info } = target;
  const watchdog = setTimeout(() => {
    process.stderr.write(`bench:rss: still running after ${watchdogMs / 1000} s, giving up\n`);
    target.child.kill('SIGKILL');
    process.exit(1);
  }, watchdogMs);
  watchdog.unref();

  const idleRss = rssMiB(info.pid);
  const warmup: Sample[] = [];
  const measured: Sample[] = [];
  let measuring = false;
  const responses = { warmup: 0, measured: 0 };
  const callsAtStart = await upstreamCalls(info.upstream);
  let callsAtWarmupEnd: number | undefined;
  let callsAtEnd: number | undefined;
  let childEnd = '';
  let result: Awaited<ReturnType<typeof load>> | undefined;

  const started = performance.now();
  const sample = (into: Sample[]) => {
    const rss = rssMiB(info.pid);
    if (rss !== undefined) into.push({ at: (performance.now() - started) / 1000, rss });
  };
  const warmupTicker = setInterval(() => sample(warmup), 1000);
  let measuredTicker: NodeJS.Timeout | undefined;
  const warmupEnd = setTimeout(() => {
    clearInterval(warmupTicker);
    measuring = true;
    sample(measured); // "start"
    void upstreamCalls(info.upstream).then((calls) => (callsAtWarmupEnd = calls));
    measuredTicker = setInterval(() => sample(measured), 1000);
    process.stderr.write(`bench:rss: warm-up done (${WARMUP_SECONDS} s), measuring ${SECONDS} s …\n`);
  }, WARMUP_SECONDS * 1000);

  process.stderr.write(
    `bench:rss: ${CONNECTIONS} connections, ${KEYS} keys (${ORDER}), CACHE_MAX_ENTRIES=${CACHE_MAX_ENTRIES}; ` +
      `${WARMUP_SECONDS} s warm-up + ${SECONDS} s …\n`,
  );
  try {
    result = await load({
      url: info.gatewayCache,
      connections: CONNECTIONS,
      seconds: WARMUP_SECONDS + SECONDS,
      method: 'POST',
      headers: GRAPHQL_HEADERS,
      nextBody: keyOrder(),
      drain: false,
      onResponse: () => {
        if (measuring) responses.measured++;
        else responses.warmup++;
      },
    });
    sample(measured); // "end"
    callsAtEnd = await upstreamCalls(info.upstream);
  } finally {
    clearTimeout(warmupEnd);
    clearInterval(warmupTicker);
    clearInterval(measuredTicker);
    clearTimeout(watchdog);
    childEnd = await stopChild(target.child);
    process.stderr.write(`bench:rss: target stopped: ${childEnd}\n`);
  }

  const fmt = (n: number | undefined, digits = 1) => (n === undefined ? '—' : n.toFixed(digits));
  const start = measured[0]?.rss;
  const rest = measured.slice(1);
  const min = rest.length > 0 ? Math.min(...rest.map((s) => s.rss)) : undefined;
  const max = rest.length > 0 ? Math.max(...rest.map((s) => s.rss)) : undefined;
  const end = measured.at(-1)?.rss;
  const ratio = (x: number | undefined) => (x === undefined || start === undefined ? undefined : x / start);
  const flat = min !== undefined && max !== undefined && ratio(min)! >= 1 - FLAT && ratio(max)! <= 1 + FLAT;
  const measuredCalls = callsAtEnd !== undefined && callsAtWarmupEnd !== undefined ? callsAtEnd - callsAtWarmupEnd : undefined;
  const totalCalls = callsAtEnd === undefined ? undefined : callsAtEnd - callsAtStart;
  const warmupPeak = warmup.length > 0 ? Math.max(...warmup.map((s) => s.rss)) : undefined;
  const peak = Math.max(...warmup.map((s) => s.rss), ...measured.map((s) => s.rss));
  // Ten evenly spaced samples of the measured part, to see a trend at a glance.
  const trend = rest.length === 0 ? [] : Array.from({ length: Math.min(10, rest.length) }, (_, i) => rest[Math.round(((i + 1) * (rest.length - 1)) / Math.min(10, rest.length))]!);
  const r = result!;

  const lines = [
    `Machine: ${cpus().length} cores, Node ${process.version}, load average ${loadavg().map((n) => n.toFixed(1)).join(', ')} at the end. ` +
      `Target under ${HEAP_FLAGS === '' ? "Node's own heap settings" : HEAP_FLAGS}: one gateway, CACHE_ENABLED=true, CACHE_MAX_ENTRIES=${CACHE_MAX_ENTRIES} ` +
      `(the default is 10,000; 5,000 is half the key space so eviction runs all the time), CACHE_TTL_LIVE_MS=CACHE_TTL_PAST_MS=600000 ` +
      `(nothing expires: only the size bound limits the cache), upstream ${LATENCY_MS} ms fixed, in the same process.`,
    `Load: autocannon, ${CONNECTIONS} connections, ${KEYS} distinct keys (events e0…e${KEYS - 1}, length ${LENGTH}, endingAt ${ENDING_AT}), ` +
      `order ${ORDER === 'random' ? 'a seeded uniform draw' : 'a cycle e0…e9999'}; ${WARMUP_SECONDS} s warm-up, then ${SECONDS} s measured; RSS sampled every second.`,
    '',
    '| RSS (MiB) | value | ÷ start |',
    '|---|---:|---:|',
    `| idle, before load | ${fmt(idleRss)} | |`,
    `| peak during warm-up | ${fmt(warmupPeak)} | |`,
    `| start (end of warm-up) | ${fmt(start)} | 1.00 |`,
    `| min after warm-up | ${fmt(min)} | ${fmt(ratio(min), 2)} |`,
    `| max after warm-up | ${fmt(max)} | ${fmt(ratio(max), 2)} |`,
    `| end | ${fmt(end)} | ${fmt(ratio(end), 2)} |`,
    '',
    `Trend after warm-up (s: MiB): ${trend.map((s) => `${s.at.toFixed(0)}: ${s.rss.toFixed(1)}`).join(', ')}`,
    '',
    `Requests served: ${r.completed} in all (${responses.warmup} in the warm-up, ${responses.measured} measured; ` +
      `${fmt(responses.measured / SECONDS, 0)} req/s measured); p50 ${r.p50} ms, p99 ${r.p99} ms; ` +
      `non-2xx ${r.non2xx}, errors ${r.errors}, bodies with GraphQL errors ${r.bodiesWithErrors}.`,
    `Upstream calls made: ${totalCalls ?? '—'} in all, ${measuredCalls ?? '—'} measured ` +
      (measuredCalls === undefined || responses.measured === 0
        ? ''
        : `(${(measuredCalls / responses.measured).toFixed(2)} per request: about ${((1 - measuredCalls / responses.measured) * 100).toFixed(0)}% answered from the cache).`),
    ...(r.firstBadBody === undefined ? [] : [`First body with errors: ${r.firstBadBody.slice(0, 300)}`]),
    '',
    `- RSS flat ±${FLAT * 100}% after warm-up (every sample within [${fmt(start === undefined ? undefined : start * (1 - FLAT))}, ` +
      `${fmt(start === undefined ? undefined : start * (1 + FLAT))}] MiB): ${flat ? 'PASS' : 'MISS'} — min/start ${fmt(ratio(min), 3)}, ` +
      `max/start ${fmt(ratio(max), 3)}, end/start ${fmt(ratio(end), 3)}`,
    `- Peak RSS ≤ ${PEAK_TARGET_MIB} MiB over the whole run, under ${HEAP_FLAGS === '' ? "Node's own heap settings" : HEAP_FLAGS}: ` +
      `${peak <= PEAK_TARGET_MIB ? 'MET' : 'MISSED'} — ${fmt(peak)} MiB`,
    `- Every response 2xx without GraphQL errors: ${r.non2xx === 0 && r.errors === 0 && r.bodiesWithErrors === 0 ? 'PASS' : 'MISS'}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
