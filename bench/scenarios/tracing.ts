// npm run bench:tracing: what tracing costs a request. One cached query (the common dashboard case:
// operation, resolver and load spans, no Braze attempt) under autocannon, against a gateway with tracing
// off and one tracing every request (sampler parentbased_always_on, the default) to an OTLP/HTTP sink
// that drops what it gets. Each side runs in its own child process (bench/targets/target.ts with
// BENCH_TARGET=cache), so the off side has none of tracing's code loaded; the sides alternate for
// BENCH_ROUNDS rounds and the medians are compared, which keeps a noisy shared machine's drift out of
// the ratio.
//
// Environment: BENCH_SECONDS (5) per run, after a 1 s warm-up that is not measured; BENCH_ROUNDS (3);
// BENCH_CONNECTIONS (10).
import { cpuSeconds, ENDING_AT, GRAPHQL_HEADERS, load, numberEnv, sleep, startTarget, stopChild, type LoadResult } from '../lib/common.js';

const SECONDS = numberEnv('BENCH_SECONDS', 5, 1);
const ROUNDS = Math.floor(numberEnv('BENCH_ROUNDS', 3, 1));
const CONNECTIONS = Math.floor(numberEnv('BENCH_CONNECTIONS', 10, 1));
const WARMUP_SECONDS = 1;
/**
 * Tracing every request may cost at most this much more CPU per request (the target's own CPU, steadier
 * than req/s when other processes share the cores). Sampling fewer requests costs proportionally less.
 */
const CPU_RATIO_TARGET = 1.5;

const QUERY = `{ s: eventSeries(event: "purchase", length: 30, endingAt: "${ENDING_AT}") { event unit endingAt total points { time count } } }`;

type Side = 'off' | 'on';

interface Run {
  readonly result: LoadResult;
  /** The target's CPU (user + system) per completed request, µs. */
  readonly cpuMicros: number;
  readonly exports: number | undefined;
}

async function measure(side: Side): Promise<Run> {
  const target = await startTarget({ BENCH_TARGET: 'cache', BENCH_UPSTREAM_LATENCY_MS: '20', ...(side === 'on' ? { BENCH_OTLP_SINK: '1' } : {}) });
  try {
    const options = { url: target.info.gatewayCache, connections: CONNECTIONS, method: 'POST' as const, headers: GRAPHQL_HEADERS, body: JSON.stringify({ query: QUERY }) };
    await load({ ...options, seconds: WARMUP_SECONDS, drain: true });
    await sleep(250);
    const cpuBefore = cpuSeconds(target.info.pid);
    const result = await load({ ...options, seconds: SECONDS, drain: true });
    const cpuAfter = cpuSeconds(target.info.pid);
    if (cpuBefore === undefined || cpuAfter === undefined) throw new Error('cannot read the target\'s CPU time (/proc)');
    if (result.non2xx > 0 || result.errors > 0 || result.bodiesWithErrors > 0) {
      throw new Error(`${side}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.bodiesWithErrors} bodies with errors: ${result.firstBadBody ?? ''}`);
    }
    // Spans are batched (every 5 s, or per 512): read what reached the sink so far, as a sign they flow.
    const exports = target.info.otlpSink
      ? ((await (await fetch(`${target.info.otlpSink}/__exports`, { signal: AbortSignal.timeout(5000) })).json()) as { exports: number }).exports
      : undefined;
    return { result, cpuMicros: ((cpuAfter - cpuBefore) * 1e6) / result.completed, exports };
  } finally {
    await stopChild(target.child);
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const runs: Record<Side, Run[]> = { off: [], on: [] };
for (let round = 1; round <= ROUNDS; round++) {
  for (const side of round % 2 === 1 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
    const run = await measure(side);
    runs[side].push(run);
    process.stderr.write(`round ${round}, tracing ${side}: ${run.result.rps.toFixed(0)} req/s, p50 ${run.result.p50} ms, p99 ${run.result.p99} ms, ${run.cpuMicros.toFixed(0)} CPU µs/request${run.exports === undefined ? '' : `, ${run.exports} exports received`}\n`);
  }
}

const summary = (side: Side) => ({
  rps: median(runs[side].map((run) => run.result.rps)),
  p50: median(runs[side].map((run) => run.result.p50)),
  p99: median(runs[side].map((run) => run.result.p99)),
  cpu: median(runs[side].map((run) => run.cpuMicros)),
});
const off = summary('off');
const on = summary('on');
const cpuRatio = on.cpu / off.cpu;
const exported = runs.on.every((run) => (run.exports ?? 0) > 0);

console.log(`\nTracing cost: one cached query, ${CONNECTIONS} connections, ${SECONDS} s × ${ROUNDS} rounds, medians (Node ${process.versions.node})\n`);
console.log('| tracing | req/s | p50 ms | p99 ms | target CPU µs / request |');
console.log('| --- | ---: | ---: | ---: | ---: |');
console.log(`| off | ${off.rps.toFixed(0)} | ${off.p50} | ${off.p99} | ${off.cpu.toFixed(0)} |`);
console.log(`| on (every request sampled, exported over OTLP/HTTP) | ${on.rps.toFixed(0)} | ${on.p50} | ${on.p99} | ${on.cpu.toFixed(0)} |`);
console.log('\nTargets');
console.log(`- CPU per request with every request traced ≤ ${CPU_RATIO_TARGET}× off: ${cpuRatio.toFixed(2)}× ${cpuRatio <= CPU_RATIO_TARGET ? 'MET' : 'MISSED'}`);
console.log(`- spans reached the collector in every traced run: ${exported ? 'MET' : 'MISSED'}`);
