// The dashboard bench (issue 23, goal 2): a typical dashboard of 12 panels (events, KPIs, sessions, a
// campaign), none with `endingAt` (so every window moves with time), refreshed back to back by 50 viewers
// against one gateway with its cache on. Reports req/s, p50/p99, and Braze calls per minute against what the
// cache TTLs the gateway runs with allow: calls must follow the distinct panels and the TTLs, not the viewers.
//
// Run alone with `npm run bench:dashboard`; `npm run bench` runs it last (bench/scenarios/run.ts's last line),
// so the goal is a line of the full bench too. Each phase has a gateway of its own (bench/targets/dashboardTarget.ts,
// a child with the fake Braze at a fixed 20 ms) and starts cold:
//   - defaults: the gateway's own settings (REQUEST_TIME_GRANULARITY_MS=60000: every request of a minute
//     asks about the same instant); this phase is the goal's line;
//   - second: the same with REQUEST_TIME_GRANULARITY_MS=1000 ("now" is the request's second, the default
//     until issue 23), for comparison: its line says what the minute saves, it is no goal.
//
// What the TTLs allow, per distinct Braze call a refresh makes (12 moving series, and the campaign's details,
// which do not move), over the D seconds from the first request to the last answer: ceil(D / TTL) + 1
// fetches. A cache keyed on a fixed window refetches at most every TTL (floor(D / TTL) + 1); a window that
// moves once a minute, aligned to the clock, with a TTL of a minute can meet one more boundary (a run of
// 65 s may touch three minutes), so the bound counts that one too. Fewer calls than allowed is MET.
// "Braze calls per minute" = calls ÷ D × 60.
//
// Environment: BENCH_DASHBOARD_SECONDS (65; at least 61 so it sees the minute turn, when the windows move) for
// the defaults phase, BENCH_DASHBOARD_SECOND_SECONDS (20) for the second phase; BENCH_DASHBOARD_VIEWERS (50).
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { GRAPHQL_HEADERS, load, numberEnv, rssPeak, type LoadResult } from '../lib/common.js';
import { stopChild } from '../lib/process.js';
import type { DashboardTargetInfo } from '../targets/dashboardTarget.js';

const DEFAULTS_SECONDS = numberEnv('BENCH_DASHBOARD_SECONDS', 65, 1);
const SECOND_SECONDS = numberEnv('BENCH_DASHBOARD_SECOND_SECONDS', 20, 1);
const VIEWERS = Math.floor(numberEnv('BENCH_DASHBOARD_VIEWERS', 50, 1));
const LATENCY_MS = 20;

// ---------------------------------------------------------------------------------------------------
// The dashboard: 12 panels, each one Braze series over a window that ends "now" (no `endingAt`); the
// campaign's panel also reads its details (name), a call whose key never moves.

interface Panel {
  readonly alias: string;
  readonly field: string;
  /** Braze's path for the panel's series. */
  readonly path: string;
}

const EVENT_FIELDS = '{ total points { time count } }';
const KPI_FIELDS = '{ total points { date value } }';
const PANELS: readonly Panel[] = [
  { alias: 'purchases', field: `eventSeries(event: "purchase", length: 30) ${EVENT_FIELDS}`, path: '/events/data_series' },
  { alias: 'signups', field: `eventSeries(event: "signup", length: 30) ${EVENT_FIELDS}`, path: '/events/data_series' },
  { alias: 'logins', field: `eventSeries(event: "login", length: 14) ${EVENT_FIELDS}`, path: '/events/data_series' },
  { alias: 'checkouts', field: `eventSeries(event: "checkout", length: 7) ${EVENT_FIELDS}`, path: '/events/data_series' },
  { alias: 'searches', field: `eventSeries(event: "search", length: 24, unit: HOUR) ${EVENT_FIELDS}`, path: '/events/data_series' },
  { alias: 'dau', field: `kpiSeries(kpi: DAILY_ACTIVE_USERS, length: 30) ${KPI_FIELDS}`, path: '/kpi/dau/data_series' },
  { alias: 'mau', field: `kpiSeries(kpi: MONTHLY_ACTIVE_USERS, length: 30) { points { date value } }`, path: '/kpi/mau/data_series' },
  { alias: 'newUsers', field: `kpiSeries(kpi: NEW_USERS, length: 30) ${KPI_FIELDS}`, path: '/kpi/new_users/data_series' },
  { alias: 'uninstalls', field: `kpiSeries(kpi: UNINSTALLS, length: 30) ${KPI_FIELDS}`, path: '/kpi/uninstalls/data_series' },
  { alias: 'sessions', field: `sessionSeries(length: 30) ${KPI_FIELDS}`, path: '/sessions/data_series' },
  { alias: 'sessionsToday', field: `sessionSeries(length: 24, unit: HOUR) { total points { time value } }`, path: '/sessions/data_series' },
  {
    alias: 'campaign',
    field: `campaign(id: "bench-campaign") { name series(length: 30) { points { date uniqueRecipients conversions } totals { conversions } } }`,
    path: '/campaigns/data_series',
  },
];
/** The campaign panel's details: one call, its key fixed (no window), kept CACHE_TTL_PAST_MS. */
const DETAILS_PATH = '/campaigns/details';
const DASHBOARD = `query Dashboard { ${PANELS.map((panel) => `${panel.alias}: ${panel.field}`).join(' ')} }`;

function checkDashboard(text: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `not JSON: ${text.slice(0, 200)}`;
  }
  const record = body as { data?: Record<string, unknown> | null; errors?: unknown };
  if (record.errors !== undefined) return `errors: ${JSON.stringify(record.errors).slice(0, 300)}`;
  for (const panel of PANELS) {
    const value = record.data?.[panel.alias] as Record<string, unknown> | null | undefined;
    if (value === null || value === undefined) return `${panel.alias} is missing`;
    const points = panel.alias === 'campaign' ? (value['series'] as Record<string, unknown> | null)?.['points'] : value['points'];
    if (!Array.isArray(points) || points.length === 0) return `${panel.alias} has no points`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// The child

interface Target {
  readonly child: ChildProcess;
  readonly info: DashboardTargetInfo;
}

const TARGET_SCRIPT = fileURLToPath(new URL('../targets/dashboardTarget.ts', import.meta.url));

async function startTarget(gatewayEnv: Readonly<Record<string, string>>): Promise<Target> {
  const child = spawn(process.execPath, ['--import', 'tsx', TARGET_SCRIPT], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    env: { ...process.env, BENCH_UPSTREAM_LATENCY_MS: String(LATENCY_MS), BENCH_DASHBOARD_GATEWAY_ENV: JSON.stringify(gatewayEnv) },
  });
  const killOnExit = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  try {
    const line = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('bench/targets/dashboardTarget.ts printed nothing within 30 s')), 30_000);
      child.once('exit', (code, signal) => reject(new Error(`bench/targets/dashboardTarget.ts exited at start (${signal ?? `exit code ${code}`})`)));
      createInterface({ input: child.stdout! }).once('line', (text) => {
        clearTimeout(timer);
        resolve(text);
      });
    });
    return { child, info: JSON.parse(line) as DashboardTargetInfo };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}

interface Calls {
  readonly calls: number;
  readonly byPath: Readonly<Record<string, number>>;
  /** Distinct questions asked (path and query string). */
  readonly keys: number;
}

async function callsOf(upstream: string): Promise<Calls> {
  const response = await fetch(`${upstream}/__calls`, { signal: AbortSignal.timeout(5000) });
  const body = (await response.json()) as Partial<Calls>;
  if (typeof body.calls !== 'number' || typeof body.keys !== 'number' || typeof body.byPath !== 'object' || body.byPath === null) {
    throw new Error(`unexpected /__calls body: ${JSON.stringify(body)}`);
  }
  return { calls: body.calls, byPath: body.byPath, keys: body.keys };
}

// ---------------------------------------------------------------------------------------------------
// One phase

interface Phase {
  readonly name: string;
  readonly seconds: number;
  readonly gatewayEnv: Readonly<Record<string, string>>;
  /** Printed for comparison: its line is no goal. */
  readonly comparison?: boolean;
}

interface PhaseResult {
  readonly phase: Phase;
  readonly info: DashboardTargetInfo;
  readonly result: LoadResult;
  /** From the first request sent to the last answer, in seconds. */
  readonly spanSeconds: number;
  readonly calls: Calls;
  /** Calls the TTLs allow over the span (see the header). */
  readonly allowed: number;
  /** Calls if every distinct key were fetched once per `requestTimeGranularityMs` slice touched: what the windows' moves alone force. */
  readonly slices: number;
  readonly sampleProblem: string | undefined;
  readonly peakRssMiB: number | undefined;
  readonly loadAverage: number;
}

/** Fetches a TTL allows over `spanMs` for a key refreshed no more often than it expires (see the header). */
const allowedFetches = (spanMs: number, ttlMs: number): number => (ttlMs <= 0 ? Number.POSITIVE_INFINITY : Math.ceil(spanMs / ttlMs) + 1);

async function runPhase(phase: Phase): Promise<PhaseResult> {
  const target = await startTarget(phase.gatewayEnv);
  try {
    const { info } = target;
    const before = await callsOf(info.upstream);
    const rss = rssPeak(info.pid, 500);
    const started = Date.now();
    const result = await load({
      url: info.gateway,
      connections: VIEWERS,
      seconds: phase.seconds,
      method: 'POST',
      headers: GRAPHQL_HEADERS,
      body: JSON.stringify({ query: DASHBOARD }),
      drain: true,
    });
    const ended = Date.now();
    const peakRssMiB = rss.stop();
    const after = await callsOf(info.upstream);
    const byPath = Object.fromEntries(Object.entries(after.byPath).map(([path, n]) => [path, n - (before.byPath[path] ?? 0)]));
    const spanMs = ended - started;
    // Every panel's series is "live" (its window reaches now): CACHE_TTL_LIVE_MS. The details: CACHE_TTL_PAST_MS.
    const allowed = PANELS.length * allowedFetches(spanMs, info.cache.liveTtlMs) + allowedFetches(spanMs, info.cache.pastTtlMs);
    const granularity = info.cache.requestTimeGranularityMs;
    const sliceCount = Math.floor(ended / granularity) - Math.floor(started / granularity) + 1;
    return {
      phase,
      info,
      result,
      spanSeconds: spanMs / 1000,
      calls: { calls: after.calls - before.calls, byPath, keys: after.keys - before.keys },
      allowed,
      slices: PANELS.length * sliceCount * Math.ceil(granularity / Math.max(1, info.cache.liveTtlMs)) + 1,
      sampleProblem: result.sample === undefined ? 'no 2xx response' : checkDashboard(result.sample),
      peakRssMiB,
      loadAverage: loadavg()[0]!,
    };
  } finally {
    process.stderr.write(`bench:dashboard: ${phase.name}: target stopped: ${await stopChild(target.child)}\n`);
  }
}

// ---------------------------------------------------------------------------------------------------
// Report

function report(results: readonly PhaseResult[]): string {
  const fmt = (n: number | undefined, digits: number): string => (n === undefined || Number.isNaN(n) ? '—' : n.toFixed(digits));
  const seriesPaths = [...new Set(PANELS.map((panel) => panel.path))];
  const lines = [
    '',
    '## Dashboard (issue 23, goal 2)',
    '',
    `Machine: ${cpus().length} cores, Node ${process.version}. ${PANELS.length} panels without \`endingAt\` in one document ` +
      `(${PANELS.map((panel) => panel.alias).join(', ')}): ${PANELS.length} moving series and the campaign's details; ` +
      `${VIEWERS} viewers refreshing back to back (autocannon, ${VIEWERS} connections); one gateway per phase, cache on, started cold; ` +
      `fake Braze ${LATENCY_MS} ms fixed, in the gateway's process.`,
    '',
    '| phase | REQUEST_TIME_GRANULARITY_MS | TTL live / past s | span s | refreshes | req/s | p50 ms | p99 ms | Braze calls (distinct) | calls / min | allowed by the TTLs | forced by the moves | non-2xx / errors / GraphQL errors | sample | peak RSS MiB | load avg |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|',
  ];
  for (const r of results) {
    const c = r.info.cache;
    lines.push(
      `| ${r.phase.name} | ${c.requestTimeGranularityMs} | ${c.liveTtlMs / 1000} / ${c.pastTtlMs / 1000} | ${fmt(r.spanSeconds, 1)} | ${r.result.completed} | ` +
        `${fmt(r.result.rps, 0)} | ${r.result.p50} | ${r.result.p99} | ${r.calls.calls} (${r.calls.keys}) | ${fmt((r.calls.calls / r.spanSeconds) * 60, 1)} | ${r.allowed} | ${r.slices} | ` +
        `${r.result.non2xx} / ${r.result.errors} / ${r.result.bodiesWithErrors} | ${r.sampleProblem === undefined ? 'ok' : 'BAD'} | ${fmt(r.peakRssMiB, 1)} | ${fmt(r.loadAverage, 2)} |`,
    );
  }
  lines.push(
    '',
    `Braze calls by path: ${results
      .map((r) => `${r.phase.name}: ${[...seriesPaths, DETAILS_PATH].map((path) => `${path} ${r.calls.byPath[path] ?? 0}`).join(', ')}`)
      .join('; ')}.`,
    'Allowed by the TTLs: per distinct call, ceil(span ÷ TTL) + 1 (the series: CACHE_TTL_LIVE_MS, their windows reach now; ' +
      'the details: CACHE_TTL_PAST_MS). Forced by the moves: each series once per REQUEST_TIME_GRANULARITY_MS slice the run touched ' +
      '(a window without `endingAt` ends at the slice\'s start, so each slice is a new key), plus the details once.',
  );
  for (const r of results) {
    if (r.sampleProblem !== undefined) lines.push(`- ${r.phase.name} sample: ${r.sampleProblem}`);
    if (r.result.firstBadBody !== undefined) lines.push(`- ${r.phase.name} first body with errors: ${r.result.firstBadBody.slice(0, 300)}`);
  }
  lines.push('', '### Targets', '');
  const mark = (pass: boolean): string => (pass ? 'MET' : 'MISSED');
  for (const r of results) {
    const perViewer = r.calls.calls / Math.max(1, r.result.completed);
    lines.push(
      `- Dashboard, ${r.phase.name}${r.phase.comparison === true ? ' (for comparison, no goal)' : ''}: Braze calls ≤ distinct panels × refreshes the TTLs allow (${PANELS.length} series + 1 details, ` +
        `TTL ${r.info.cache.liveTtlMs / 1000} s, ${fmt(r.spanSeconds, 1)} s: ${r.allowed}), not per viewer: ${r.phase.comparison === true ? (r.calls.calls <= r.allowed ? 'within' : 'over') : mark(r.calls.calls <= r.allowed)} — ` +
        `${r.calls.calls} calls (${fmt((r.calls.calls / r.spanSeconds) * 60, 1)} a minute) for ${r.result.completed} refreshes ` +
        `(${fmt(perViewer * 1000, 2)} per 1,000 refreshes; per viewer would be ${(PANELS.length + 1) * r.result.completed})` +
        (r.calls.calls > r.allowed && r.calls.calls <= r.slices
          ? `; the windows move every ${r.info.cache.requestTimeGranularityMs / 1000} s (REQUEST_TIME_GRANULARITY_MS), so each series is a new key every slice: ${r.slices} forced`
          : ''),
    );
  }
  const dirty = results.filter((r) => r.result.non2xx > 0 || r.result.errors > 0 || r.result.bodiesWithErrors > 0 || r.sampleProblem !== undefined);
  lines.push(`- Dashboard: every response 2xx without GraphQL errors, sample complete: ${mark(dirty.length === 0)}${dirty.length === 0 ? '' : ` — ${dirty.map((r) => r.phase.name).join(', ')}`}`);
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------------
// Main

const PHASES: readonly Phase[] = [
  { name: 'defaults', seconds: DEFAULTS_SECONDS, gatewayEnv: {} },
  { name: 'second', seconds: SECOND_SECONDS, gatewayEnv: { REQUEST_TIME_GRANULARITY_MS: '1000' }, comparison: true },
];

/**
 * Both phases, then the report (markdown). Bounded: a watchdog ends an overrun; each child is always stopped.
 * `only`: npm run bench's BENCH_SCENARIOS; the dashboard runs when it is unset or names `dashboard`.
 */
export async function runDashboardBench(only?: readonly string[]): Promise<string> {
  if (only !== undefined && !only.includes('dashboard')) return '';
  const watchdogMs = (DEFAULTS_SECONDS + SECOND_SECONDS + 2 * 60) * 1000;
  const watchdog = setTimeout(() => {
    process.stderr.write(`bench:dashboard: still running after ${watchdogMs / 1000} s, giving up\n`);
    process.exit(1);
  }, watchdogMs);
  watchdog.unref();
  try {
    const results: PhaseResult[] = [];
    for (const phase of PHASES) {
      process.stderr.write(`bench:dashboard: ${phase.name}: ${VIEWERS} viewers, ${phase.seconds} s …\n`);
      results.push(await runPhase(phase));
    }
    return report(results);
  } finally {
    clearTimeout(watchdog);
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) process.stdout.write(await runDashboardBench());
