// npm run bench: autocannon against the gateway and a local upstream with a fixed 20 ms latency, every
// scenario in one run (one child process, bench/targets/target.ts) so ratios between scenarios hold on a noisy
// machine. Prints a markdown table and a Targets section computed from its numbers; then the wire and
// dashboard benches, and the goal benches that need processes of their own (bench/scenarios/goalScripts.ts).
//
// Environment: BENCH_SECONDS (10) per scenario, after a 1 s warm-up that is not measured;
// BENCH_PRECISE_REQUESTS (300) for the sequential p50 of scenarios 0 and 1; BENCH_SCENARIOS (all): a
// comma-separated list of scenario ids to run, for iterating on one path (targets need their scenarios);
// BENCH_UPSTREAM_LATENCY_MS (20; the targets are stated for 20): 0 measures what the gateway adds when
// requests come back to back, without the idle gap between them that makes every request dearer on a VM.
//
// The ceiling (scenario 6b, bare yoga) runs in a process of its own (bench/targets/ceilingTarget.ts), so that
// nothing the gateways' process did before (heap grown, other code warm) slows it; its CPU and RSS
// columns are that process's.
//
// How a scenario is measured: warm-up (1 s, discarded), settle, read the upstream's call counter, run
// autocannon for BENCH_SECONDS, then drain (no new requests; in-flight ones finish), settle, read the
// counter again. Upstream calls per request = the counter's delta ÷ requests completed; the drain makes
// it exact (no request is cut after it reached the upstream). req/s = responses within the
// BENCH_SECONDS window ÷ the window. p50/p99 are autocannon's. The child's RSS is sampled every 200 ms.
//
// Bounded: each run stops by time, a watchdog ends an overrun, and the child is always stopped
// (SIGTERM, then SIGKILL after 5 s); it also stops by itself when this process's IPC channel closes.
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { Client } from 'undici';
import {
  cpuSeconds,
  ENDING_AT,
  GRAPHQL_HEADERS,
  load,
  numberEnv,
  rssPeak,
  sleep,
  startCeiling,
  startTarget,
  stopChild,
  upstreamCalls,
  type LoadResult,
} from '../lib/common.js';
import type { CeilingInfo, TargetInfo } from '../lib/protocol.js';

const SECONDS = numberEnv('BENCH_SECONDS', 10, 1);
const WARMUP_SECONDS = 1;
const PRECISE_REQUESTS = Math.floor(numberEnv('BENCH_PRECISE_REQUESTS', 300, 10));
/**
 * The upstream's fixed latency (BENCH_UPSTREAM_LATENCY_MS, default 20: the targets are stated for it).
 * 0 shows what the gateway adds when requests arrive back to back, with no idle gap between them.
 */
const LATENCY_MS = Number(process.env['BENCH_UPSTREAM_LATENCY_MS'] ?? 20);
if (!Number.isInteger(LATENCY_MS) || LATENCY_MS < 0 || LATENCY_MS > 10_000) throw new Error('BENCH_UPSTREAM_LATENCY_MS must be a whole number of ms from 0 to 10000');
const ONLY = process.env['BENCH_SCENARIOS']?.split(',').map((id) => id.trim()).filter((id) => id !== '');
const SETTLE_MS = 250;
const RSS_EVERY_MS = 200;
const ADDED_LATENCY_TARGET_MS = 1.5;
/** Issue 23, goal 1 (a miss costs little more than the stack): scenario 1c's median may exceed the upstream's latency by this much, */
const SHARED_OVER_UPSTREAM_TARGET_MS = 3;
/** its rate is at least this share of the ceiling's (6b, bare yoga), */
const MISS_VS_CEILING_TARGET = 0.6;
/** and at least this multiple of the Apollo peer's (1p). */
const MISS_VS_PEER_TARGET = 2;
const CACHE_VS_CEILING_TARGET = 0.75;

// ---------------------------------------------------------------------------------------------------
// Scenarios

type Endpoint = 'upstream' | 'gatewayNoCache' | 'gatewayCache' | 'ceiling' | 'apollo';

interface Scenario {
  readonly id: string;
  readonly name: string;
  readonly endpoint: Endpoint;
  readonly connections: number;
  /** GraphQL document (POST to the endpoint), or undefined for the upstream's GET. */
  readonly query?: string;
  /** Checks one full response body; returns what is wrong, or undefined. */
  readonly check: (body: unknown) => string | undefined;
}

const SERIES_FIELDS = 'event unit endingAt total points { time count }';
const UPSTREAM_PATH = `/events/data_series?event=purchase&length=30&unit=day&ending_at=${ENDING_AT}`;
const ONE = `{ s: eventSeries(event: "purchase", length: 30, endingAt: "${ENDING_AT}") { ${SERIES_FIELDS} } }`;
const ALIASES = [1, 2, 3, 4, 5].map((i) => `a${i}`);
const LENGTHS = [7, 14, 30, 60, 90];
const EVENTS = ['purchase', 'signup', 'login', 'checkout', 'add_to_cart', 'search', 'share', 'review', 'refund', 'logout'];
const aliasesQuery = `{ ${ALIASES.map((a) => `${a}: eventSeries(event: "purchase", length: 30, endingAt: "${ENDING_AT}") { ${SERIES_FIELDS} }`).join(' ')} }`;
const lengthsQuery = `{ ${LENGTHS.map((n) => `l${n}: eventSeries(event: "purchase", length: ${n}, endingAt: "${ENDING_AT}") { ${SERIES_FIELDS} }`).join(' ')} }`;
const dashboardQuery = `{ ${EVENTS.map((e, i) => `e${i}: eventSeries(event: "${e}", length: 30, endingAt: "${ENDING_AT}") { ${SERIES_FIELDS} }`).join(' ')} }`;
/**
 * A product team's dashboard across the analytics graph: 11 charts over 8 distinct windows (two
 * charts are shorter views of another's window, so coalescing serves them).
 */
const ANALYTICS_CHARTS: Readonly<Record<string, [field: string, points: number]>> = {
  purchases: [`eventSeries(event: "purchase", length: 30, endingAt: "${ENDING_AT}") { total points { time count } }`, 30],
  purchasesWeek: [`eventSeries(event: "purchase", length: 7, endingAt: "${ENDING_AT}") { total points { time count } }`, 7],
  signups: [`eventSeries(event: "signup", length: 30, endingAt: "${ENDING_AT}") { total points { time count } }`, 30],
  dau: [`kpiSeries(kpi: DAILY_ACTIVE_USERS, length: 30, endingAt: "${ENDING_AT}") { total points { date value } }`, 30],
  dauWeek: [`kpiSeries(kpi: DAILY_ACTIVE_USERS, length: 7, endingAt: "${ENDING_AT}") { total points { date value } }`, 7],
  mau: [`kpiSeries(kpi: MONTHLY_ACTIVE_USERS, length: 30, endingAt: "${ENDING_AT}") { points { date value } }`, 30],
  newUsers: [`kpiSeries(kpi: NEW_USERS, length: 30, endingAt: "${ENDING_AT}") { total points { date value } }`, 30],
  sessions: [`sessionSeries(length: 30, endingAt: "${ENDING_AT}") { total points { date value } }`, 30],
  revenue: [`purchaseSeries(measure: REVENUE, length: 30, endingAt: "${ENDING_AT}") { ... on PurchaseRevenueSeries { total points { date value } } }`, 30],
  quantity: [`purchaseSeries(measure: QUANTITY, length: 30, endingAt: "${ENDING_AT}") { ... on PurchaseQuantitySeries { total points { date value } } }`, 30],
};
const ANALYTICS_WINDOWS = 8;
const analyticsQuery = `{ ${Object.entries(ANALYTICS_CHARTS).map(([alias, [field]]) => `${alias}: ${field}`).join(' ')} }`;

/**
 * A GraphQL answer with no `errors` whose `data` has each alias with the expected number of points,
 * and each series passing `also` (what is wrong with it, or undefined).
 */
function expectPoints(
  expected: Readonly<Record<string, number>>,
  also: (series: Record<string, unknown>) => string | undefined = () => undefined,
): (body: unknown) => string | undefined {
  return (body) => {
    if (!isRecord(body)) return 'not a JSON object';
    if (body['errors'] !== undefined) return `errors: ${JSON.stringify(body['errors']).slice(0, 300)}`;
    const data = body['data'];
    if (!isRecord(data)) return 'no data';
    for (const [alias, length] of Object.entries(expected)) {
      const series = data[alias];
      if (!isRecord(series)) return `${alias} is ${JSON.stringify(series)}`;
      const points = series['points'];
      if (!Array.isArray(points) || points.length !== length) return `${alias} has ${Array.isArray(points) ? points.length : 'no'} points, expected ${length}`;
      const problem = also(series);
      if (problem !== undefined) return `${alias}${problem}`;
    }
    return undefined;
  };
}

/** As expectPoints, each series an eventSeries with a numeric `total`. */
function expectSeries(expected: Readonly<Record<string, number>>): (body: unknown) => string | undefined {
  return expectPoints(expected, (series) => (typeof series['total'] === 'number' ? undefined : '.total is not a number'));
}

const SCENARIOS: readonly Scenario[] = [
  {
    id: '0',
    name: `upstream alone (GET data_series, ${LATENCY_MS} ms fixed latency)`,
    endpoint: 'upstream',
    connections: 1,
    check: (body) =>
      isRecord(body) && body['message'] === 'success' && Array.isArray(body['data']) && body['data'].length === 30
        ? undefined
        : 'not a 30-point success answer',
  },
  {
    id: '1',
    name: 'one `eventSeries`, cache off',
    endpoint: 'gatewayNoCache',
    connections: 1,
    query: ONE,
    check: expectSeries({ s: 30 }),
  },
  {
    // Many clients asking the same series while the cache is off: in-flight sharing makes few calls,
    // and nothing on the path may queue them (judged against 1p and the upstream's latency).
    id: '1c',
    name: 'one `eventSeries`, cache off, 50 connections',
    endpoint: 'gatewayNoCache',
    connections: 50,
    query: ONE,
    check: expectSeries({ s: 30 }),
  },
  {
    id: '1p',
    name: 'peer: scenario 1c on Apollo Server 5 + RESTDataSource (one call per request, no sharing)',
    endpoint: 'apollo',
    connections: 50,
    query: ONE,
    check: expectSeries({ s: 30 }),
  },
  {
    id: '2',
    name: 'the same field under 5 aliases, cache off',
    endpoint: 'gatewayNoCache',
    connections: 1,
    query: aliasesQuery,
    check: expectSeries(Object.fromEntries(ALIASES.map((a) => [a, 30]))),
  },
  {
    id: '3',
    name: 'five lengths (7, 14, 30, 60, 90) of one window, cache off',
    endpoint: 'gatewayNoCache',
    connections: 1,
    query: lengthsQuery,
    check: expectSeries(Object.fromEntries(LENGTHS.map((n) => [`l${n}`, n]))),
  },
  {
    id: '4',
    name: '10-event dashboard (10 different events), cache off',
    endpoint: 'gatewayNoCache',
    connections: 1,
    query: dashboardQuery,
    check: expectSeries(Object.fromEntries(EVENTS.map((_, i) => [`e${i}`, 30]))),
  },
  {
    id: '4b',
    name: `analytics dashboard: ${Object.keys(ANALYTICS_CHARTS).length} charts (events, KPIs, sessions, purchases) over ${ANALYTICS_WINDOWS} windows, cache off`,
    endpoint: 'gatewayNoCache',
    connections: 1,
    query: analyticsQuery,
    check: expectPoints(Object.fromEntries(Object.entries(ANALYTICS_CHARTS).map(([alias, [, points]]) => [alias, points]))),
  },
  {
    id: '5',
    name: 'one `eventSeries`, cache ON',
    endpoint: 'gatewayCache',
    connections: 50,
    query: ONE,
    check: expectSeries({ s: 30 }),
  },
  {
    // For information: how much of scenario 5's cost is the 30 points' 60 leaf fields and their JSON.
    id: '5b',
    name: 'scenario 5 selecting only `total` (no points), cache ON',
    endpoint: 'gatewayCache',
    connections: 50,
    query: `{ s: eventSeries(event: "purchase", length: 30, endingAt: "${ENDING_AT}") { total } }`,
    check: (body) =>
      isRecord(body) && body['errors'] === undefined && isRecord(body['data']) && isRecord(body['data']['s']) && typeof body['data']['s']['total'] === 'number'
        ? undefined
        : 'not a total',
  },
  {
    id: '6a',
    name: '`{ __typename }` on the gateway (cache off)',
    endpoint: 'gatewayNoCache',
    connections: 50,
    query: '{ __typename }',
    check: expectTypename,
  },
  {
    id: '6b',
    name: 'ceiling: `{ __typename }` on a bare graphql-yoga (no gateway plugins), in its own process',
    endpoint: 'ceiling',
    connections: 50,
    query: '{ __typename }',
    check: expectTypename,
  },
];

function expectTypename(body: unknown): string | undefined {
  if (!isRecord(body)) return 'not a JSON object';
  if (body['errors'] !== undefined) return `errors: ${JSON.stringify(body['errors']).slice(0, 300)}`;
  return isRecord(body['data']) && body['data']['__typename'] === 'Query' ? undefined : 'data.__typename is not "Query"';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------------
// Measuring

interface Row {
  readonly scenario: Scenario;
  readonly result: LoadResult;
  readonly callsPerRequest: number;
  readonly upstreamCallsDelta: number;
  /** What is wrong with the first 2xx body, or undefined when it checks out. */
  readonly sampleProblem: string | undefined;
  readonly peakRssMiB: number | undefined;
  readonly childCpuPercent: number | undefined;
  /**
   * The target's CPU time per completed request, in µs: steadier than req/s on a shared machine, where
   * other processes take turns on the cores (the target's own upstream, the fake Braze, included).
   */
  readonly cpuMicrosPerRequest: number | undefined;
  readonly loadgenCpuPercent: number;
}

/** Every endpoint of the run: bench/targets/target.ts's, and the ceiling's process when scenario 6b runs. */
interface Endpoints extends TargetInfo {
  readonly ceilingProcess?: CeilingInfo;
}

function urlOf(info: Endpoints, scenario: Scenario): string {
  if (scenario.endpoint === 'upstream') return `${info.upstream}${UPSTREAM_PATH}`;
  const url = scenario.endpoint === 'ceiling' ? info.ceilingProcess?.ceiling : info[scenario.endpoint];
  if (url === undefined) throw new Error(`no process reported ${scenario.endpoint}`);
  return url;
}

/** The process serving a scenario: its CPU and RSS are what the row reports. */
function pidOf(info: Endpoints, scenario: Scenario): number {
  return scenario.endpoint === 'ceiling' ? info.ceilingProcess!.pid : info.pid;
}

function loadOptions(info: Endpoints, scenario: Scenario) {
  const url = urlOf(info, scenario);
  return scenario.query === undefined
    ? { url, connections: scenario.connections, method: 'GET' as const }
    : {
        url,
        connections: scenario.connections,
        method: 'POST' as const,
        headers: GRAPHQL_HEADERS,
        body: JSON.stringify({ query: scenario.query }),
      };
}

async function measure(info: Endpoints, scenario: Scenario): Promise<Row> {
  const pid = pidOf(info, scenario);
  const options = loadOptions(info, scenario);
  await load({ ...options, seconds: WARMUP_SECONDS, drain: false }); // JIT, sockets, the cache
  await sleep(SETTLE_MS); // calls of requests cut at the end of the warm-up land before `before`

  const before = await upstreamCalls(info.upstream);
  const rss = rssPeak(pid, RSS_EVERY_MS);
  const childCpuBefore = cpuSeconds(pid);
  const loadgenCpuBefore = process.cpuUsage();
  const started = performance.now();
  const result = await load({ ...options, seconds: SECONDS, drain: true });
  const wallSeconds = (performance.now() - started) / 1000;
  const loadgenCpu = process.cpuUsage(loadgenCpuBefore);
  const childCpuAfter = cpuSeconds(pid);
  const peakRssMiB = rss.stop();
  await sleep(SETTLE_MS); // anything the gateway still does for these requests (it should be nothing)
  const after = await upstreamCalls(info.upstream);

  let sampleProblem: string | undefined;
  if (result.sample === undefined) sampleProblem = 'no 2xx response';
  else {
    try {
      sampleProblem = scenario.check(JSON.parse(result.sample));
    } catch {
      sampleProblem = `not JSON: ${result.sample.slice(0, 200)}`;
    }
  }
  return {
    scenario,
    result,
    upstreamCallsDelta: after - before,
    callsPerRequest: result.completed > 0 ? (after - before) / result.completed : Number.NaN,
    sampleProblem,
    peakRssMiB,
    cpuMicrosPerRequest:
      childCpuBefore === undefined || childCpuAfter === undefined || result.completed === 0
        ? undefined
        : ((childCpuAfter - childCpuBefore) * 1e6) / result.completed,
    childCpuPercent:
      childCpuBefore === undefined || childCpuAfter === undefined ? undefined : ((childCpuAfter - childCpuBefore) / wallSeconds) * 100,
    loadgenCpuPercent: ((loadgenCpu.user + loadgenCpu.system) / 1e6 / wallSeconds) * 100,
  };
}

interface Precise {
  readonly requests: number;
  readonly upstreamP50: number;
  readonly gatewayP50: number;
  /** Median of (gateway − upstream) over the pairs. */
  readonly pairedMedian: number;
}

/**
 * autocannon's latency histogram has 1 ms resolution. For scenarios 0 and 1, a sequential loop with
 * undici over one keep-alive connection each, timed with performance.now(); the two requests of a pair
 * run back to back, so drift on the machine affects both alike.
 */
async function precise(info: Endpoints): Promise<Precise> {
  const up = new Client(info.upstream, { pipelining: 1 });
  const gatewayUrl = new URL(urlOf(info, SCENARIOS[1]!));
  const gw = new Client(gatewayUrl.origin, { pipelining: 1 });
  const body = JSON.stringify({ query: ONE });
  const time = async (send: () => Promise<{ statusCode: number; body: { text(): Promise<string> } }>): Promise<number> => {
    const started = performance.now();
    const response = await send();
    await response.body.text();
    const elapsed = performance.now() - started;
    if (response.statusCode !== 200) throw new Error(`precise p50: status ${response.statusCode}`);
    return elapsed;
  };
  const sendUp = () => up.request({ path: UPSTREAM_PATH, method: 'GET' });
  const sendGw = () => gw.request({ path: gatewayUrl.pathname, method: 'POST', headers: GRAPHQL_HEADERS, body });
  try {
    for (let i = 0; i < 20; i++) {
      await time(sendUp);
      await time(sendGw);
    }
    const ups: number[] = [];
    const gws: number[] = [];
    const diffs: number[] = [];
    for (let i = 0; i < PRECISE_REQUESTS; i++) {
      const u = await time(sendUp);
      const g = await time(sendGw);
      ups.push(u);
      gws.push(g);
      diffs.push(g - u);
    }
    return { requests: PRECISE_REQUESTS, upstreamP50: median(ups), gatewayP50: median(gws), pairedMedian: median(diffs) };
  } finally {
    await Promise.allSettled([up.close(), gw.close()]);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

// ---------------------------------------------------------------------------------------------------
// Report

function report(rows: readonly Row[], exact: Precise | undefined): string {
  const autocannonVersion = (createRequire(import.meta.url)('autocannon/package.json') as { version: string }).version;
  const row = (id: string) => rows.find((r) => r.scenario.id === id);
  const fmt = (n: number | undefined, digits: number) => (n === undefined || Number.isNaN(n) ? '—' : n.toFixed(digits));
  const lines = [
    `Machine: ${cpus().length} cores, Node ${process.version}, autocannon ${autocannonVersion}; ${SECONDS} s per scenario ` +
      `after a ${WARMUP_SECONDS} s warm-up; upstream latency ${LATENCY_MS} ms fixed. Load generator and target share the machine.`,
    '',
    '| # | scenario | conns | req/s | p50 ms | p99 ms | upstream calls / request | non-2xx | errors | GraphQL errors | sample | peak RSS MiB | CPU % target / loadgen | target CPU µs / request |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|',
  ];
  for (const r of rows) {
    const s = r.scenario;
    lines.push(
      `| ${s.id} | ${s.name} | ${s.connections} | ${fmt(r.result.rps, 0)} | ${fmt(r.result.p50, 2)} | ${fmt(r.result.p99, 2)} | ` +
        `${fmt(r.callsPerRequest, 2)} (${r.upstreamCallsDelta}/${r.result.completed}) | ${r.result.non2xx} | ${r.result.errors} | ` +
        `${r.result.bodiesWithErrors} | ${r.sampleProblem === undefined ? 'ok' : 'BAD'} | ${fmt(r.peakRssMiB, 1)} | ` +
        `${fmt(r.childCpuPercent, 0)} / ${fmt(r.loadgenCpuPercent, 0)} | ${fmt(r.cpuMicrosPerRequest, 0)} |`,
    );
  }
  lines.push(
    '',
    'req/s: responses within the measured window ÷ its length. p50/p99: autocannon (1 ms resolution). Upstream calls / request: ' +
      'delta of the upstream\'s /__calls ÷ requests completed (the run drains, so the division is exact). GraphQL errors: 2xx ' +
      'bodies containing "errors"; sample: the first 2xx body parsed and checked in full. CPU: the target process (all its ' +
      'threads) and this load generator, per cent of one core; target CPU per request: its CPU time (from /proc, 10 ms ticks) ÷ requests completed.',
  );
  for (const r of rows) {
    if (r.sampleProblem !== undefined) lines.push(`- scenario ${r.scenario.id} sample: ${r.sampleProblem}`);
    if (r.result.firstBadBody !== undefined) lines.push(`- scenario ${r.scenario.id} first body with errors: ${r.result.firstBadBody.slice(0, 300)}`);
    if (r.result.cutInFlight > 0) lines.push(`- scenario ${r.scenario.id}: ${r.result.cutInFlight} request(s) did not finish within the drain limit; calls/request is approximate`);
  }

  const up = row('0');
  const one = row('1');
  if (exact) {
    lines.push(
      '',
      `Precise p50 (sequential undici loop, performance.now(), ${exact.requests} pairs of upstream-alone and scenario-1 requests ` +
        `over one keep-alive connection each): upstream ${exact.upstreamP50.toFixed(3)} ms, gateway ${exact.gatewayP50.toFixed(3)} ms; ` +
        `median of the paired differences ${exact.pairedMedian.toFixed(3)} ms.`,
    );
  }

  lines.push('', '## Targets', '');
  const mark = (pass: boolean) => (pass ? 'MET' : 'MISSED');
  if (up && one) {
    const coarse = one.result.p50 - up.result.p50;
    const precise = exact ? exact.gatewayP50 - exact.upstreamP50 : undefined;
    const judged = precise ?? coarse;
    lines.push(
      `- Added latency at p50 ≤ ${ADDED_LATENCY_TARGET_MS} ms (scenario 1 − scenario 0): ${mark(judged <= ADDED_LATENCY_TARGET_MS)} — ` +
        (precise === undefined
          ? `${coarse.toFixed(2)} ms (autocannon p50s)`
          : `${precise.toFixed(3)} ms from the precise p50s (judged on this); autocannon's integer p50s give ${coarse.toFixed(2)} ms`),
    );
  }
  // Issue 23, goal 1: a miss (scenario 1c, cache off) costs little more than the stack itself.
  const shared = row('1c');
  const peer = row('1p');
  const ceiling = row('6b');
  if (shared) {
    lines.push(
      `- Goal 1, scenario 1c p50 ≤ upstream + ${SHARED_OVER_UPSTREAM_TARGET_MS} ms (${LATENCY_MS + SHARED_OVER_UPSTREAM_TARGET_MS} ms): ` +
        `${mark(shared.result.p50 <= LATENCY_MS + SHARED_OVER_UPSTREAM_TARGET_MS)} — ${shared.result.p50} ms` +
        (peer ? ` (peer 1p: ${peer.result.p50} ms)` : ''),
    );
  }
  if (shared && ceiling) {
    const ratio = shared.result.rps / ceiling.result.rps;
    lines.push(
      `- Goal 1, scenario 1c ≥ ${MISS_VS_CEILING_TARGET * 100}% of the ceiling's requests/s (6b, bare yoga): ${mark(ratio >= MISS_VS_CEILING_TARGET)} — ` +
        `${(ratio * 100).toFixed(1)}% (${shared.result.rps.toFixed(0)} / ${ceiling.result.rps.toFixed(0)} req/s)`,
    );
    if (shared.cpuMicrosPerRequest !== undefined && ceiling.cpuMicrosPerRequest !== undefined) {
      // Steadier when other processes share the cores: the rates the two would reach on equal CPU.
      const byCpu = ceiling.cpuMicrosPerRequest / shared.cpuMicrosPerRequest;
      lines.push(
        `  - for information, by CPU time per request (${shared.cpuMicrosPerRequest.toFixed(0)} / ${ceiling.cpuMicrosPerRequest.toFixed(0)} µs): ` +
          `${(byCpu * 100).toFixed(1)}% (${byCpu >= MISS_VS_CEILING_TARGET ? 'would pass' : 'would miss'})`,
      );
    }
  }
  if (shared && peer) {
    const ratio = shared.result.rps / peer.result.rps;
    lines.push(
      `- Goal 1, scenario 1c ≥ ${MISS_VS_PEER_TARGET}× the peer's requests/s (1p, Apollo Server + RESTDataSource): ${mark(ratio >= MISS_VS_PEER_TARGET)} — ` +
        `${shared.result.rps.toFixed(0)} / ${peer.result.rps.toFixed(0)} req/s (×${ratio.toFixed(2)}), ` +
        `${shared.callsPerRequest.toFixed(2)} vs ${peer.callsPerRequest.toFixed(2)} upstream calls per request`,
    );
  }
  const exactly = (id: string, expected: number, why: string) => {
    const r = row(id);
    if (!r) return;
    const shown = r.callsPerRequest.toFixed(2);
    lines.push(`- Scenario ${id} at exactly ${expected.toFixed(2)} upstream call(s) per request (${why}): ${mark(shown === expected.toFixed(2))} — ${shown}`);
  };
  exactly('2', 1, '5 aliases of one series');
  exactly('3', 1, 'five lengths of one window, coalesced');
  exactly('4', 10, '10 different events');
  exactly('4b', ANALYTICS_WINDOWS, `the analytics dashboard's ${ANALYTICS_WINDOWS} distinct windows`);
  const cached = row('5');
  const gatewayTypename = row('6a');
  if (cached && ceiling) {
    const ratio = cached.result.rps / ceiling.result.rps;
    lines.push(
      `- Scenario 5 ≥ ${CACHE_VS_CEILING_TARGET * 100}% of the ceiling's requests/s (6b, bare yoga): ${mark(ratio >= CACHE_VS_CEILING_TARGET)} — ` +
        `${(ratio * 100).toFixed(1)}% (${cached.result.rps.toFixed(0)} / ${ceiling.result.rps.toFixed(0)} req/s)`,
    );
    if (cached.cpuMicrosPerRequest !== undefined && ceiling.cpuMicrosPerRequest !== undefined) {
      // Steadier when other processes share the cores: the rates the two would reach on equal CPU.
      const byCpu = ceiling.cpuMicrosPerRequest / cached.cpuMicrosPerRequest;
      lines.push(
        `  - for information, by CPU time per request (${cached.cpuMicrosPerRequest.toFixed(0)} / ${ceiling.cpuMicrosPerRequest.toFixed(0)} µs): ` +
          `${(byCpu * 100).toFixed(1)}% (${byCpu >= CACHE_VS_CEILING_TARGET ? 'would pass' : 'would miss'})`,
      );
    }
    if (gatewayTypename) {
      const other = cached.result.rps / gatewayTypename.result.rps;
      lines.push(
        `  - for information, against 6a (\`{ __typename }\` through the gateway): ${(other * 100).toFixed(1)}% ` +
          `(${other >= CACHE_VS_CEILING_TARGET ? 'would pass' : 'would miss'})`,
      );
    }
  }
  const dirty = rows.filter(
    (r) => r.result.non2xx > 0 || r.result.errors > 0 || r.result.bodiesWithErrors > 0 || r.sampleProblem !== undefined,
  );
  lines.push(
    `- Every response 2xx without GraphQL errors, samples as expected: ${mark(dirty.length === 0)}` +
      (dirty.length === 0 ? '' : ` — scenarios ${dirty.map((r) => r.scenario.id).join(', ')}`),
  );
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------------
// Main

async function main(): Promise<void> {
  const watchdogMs = (SCENARIOS.length * (WARMUP_SECONDS + SECONDS + 20) + 180) * 1000;
  const target = await startTarget({ BENCH_UPSTREAM_LATENCY_MS: String(LATENCY_MS), BENCH_TARGET: 'all' });
  const wantsCeiling = ONLY === undefined || ONLY.includes('6b');
  let ceiling: Awaited<ReturnType<typeof startCeiling>> | undefined;
  const watchdog = setTimeout(() => {
    process.stderr.write(`bench: still running after ${watchdogMs / 1000} s, giving up\n`);
    target.child.kill('SIGKILL');
    ceiling?.child.kill('SIGKILL');
    process.exit(1);
  }, watchdogMs);
  watchdog.unref();

  const rows: Row[] = [];
  let exact: Precise | undefined;
  try {
    ceiling = wantsCeiling ? await startCeiling() : undefined;
    const endpoints: Endpoints = { ...target.info, ...(ceiling ? { ceilingProcess: ceiling.info } : {}) };
    for (const scenario of SCENARIOS) {
      if (ONLY !== undefined && !ONLY.includes(scenario.id)) continue;
      process.stderr.write(`bench: scenario ${scenario.id}: ${scenario.name}, ${scenario.connections} connection(s), ${SECONDS} s …\n`);
      rows.push(await measure(endpoints, scenario));
      if (scenario.id === '1' && rows[0]?.scenario.id === '0') {
        const up = rows[0].result.p50;
        const gw = rows[1]!.result.p50;
        if (Number.isInteger(up) || Number.isInteger(gw)) {
          process.stderr.write(`bench: autocannon p50s are whole ms (${up}, ${gw}): precise p50 over ${PRECISE_REQUESTS} sequential pairs …\n`);
          exact = await precise(endpoints);
        }
      }
    }
  } finally {
    clearTimeout(watchdog);
    process.stderr.write(`bench: target stopped: ${await stopChild(target.child)}\n`);
    if (ceiling) process.stderr.write(`bench: ceiling stopped: ${await stopChild(ceiling.child)}\n`);
  }
  process.stdout.write(report(rows, exact));
}

await main();
process.stdout.write(await (await import('./wire.js')).runWireBench());
process.stdout.write(await (await import('./dashboard.js')).runDashboardBench(ONLY));
await (await import('./goalScripts.js')).runGoalScripts(ONLY);
