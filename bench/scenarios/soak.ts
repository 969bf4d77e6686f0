// npm run bench:soak: a bounded soak of the gateway against the fake Braze failing ~10% of calls
// (bench/targets/soakTarget.ts and testkit/faults.ts, in a child process so this load generator does not share its event loop).
// Drives mixed GraphQL traffic for a fixed time, samples the child's RSS every second, and prints a
// markdown report: throughput, latency, GraphQL error codes, upstream attempts by outcome, memory.
//
// Environment: SOAK_SECONDS (60), SOAK_CONNECTIONS (20), SOAK_WARMUP_SECONDS (2), SOAK_SEED (1),
// SOAK_UPSTREAM_LATENCY_MS (20), SOAK_ENV_<NAME>=value (given to the gateway as NAME=value, see soakTarget.ts).
// Bounded: the loop stops by time, every request has a client timeout, a watchdog ends an overrun run,
// and the child is always stopped (SIGTERM, then SIGKILL) before this process exits.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { createInterface } from 'node:readline';
import { Pool } from 'undici';
import { CALLS_PATH } from '../../testkit/fakeBraze.js';
import type { FaultStats, Outcome } from '../../testkit/faults.js';
import { prng } from '../../testkit/prng.js';
import { rssMiB, stopChild } from '../lib/process.js';

function numberEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number ≥ ${min} (got "${raw}")`);
  return value;
}

const SECONDS = numberEnv('SOAK_SECONDS', 60, 1);
const WARMUP_SECONDS = numberEnv('SOAK_WARMUP_SECONDS', 2, 0);
const CONNECTIONS = Math.floor(numberEnv('SOAK_CONNECTIONS', 20, 1));
const SEED = Math.floor(numberEnv('SOAK_SEED', 1, 0));
const LATENCY_MS = numberEnv('SOAK_UPSTREAM_LATENCY_MS', 20, 0);
const CLIENT_TIMEOUT_MS = 10_000;
const READY_TIMEOUT_MS = 30_000;
const DISTINCT_KEYS = 200;
/** Whatever happens, the run ends this long after the load would have. */
const WATCHDOG_MS = (WARMUP_SECONDS + SECONDS) * 1000 + CLIENT_TIMEOUT_MS + 30_000;

// ---------------------------------------------------------------------------------------------------
// Traffic

type Kind = 'single' | 'dashboard' | 'invalid' | 'typename';
/** Share of each kind, per hundred requests. */
const MIX: Readonly<Record<Kind, number>> = { single: 55, dashboard: 30, invalid: 5, typename: 10 };
const KINDS = Object.keys(MIX) as Kind[];

interface SeriesKey {
  readonly event: string;
  readonly length: number;
  readonly unit: 'DAY' | 'HOUR';
  /** Undefined: the gateway uses the request's own time, a fresh upstream key every second. */
  readonly endingAt: string | undefined;
  readonly appId: string | undefined;
  readonly segmentId: string | undefined;
}

/** What a non-null eventSeries field must look like, checked on every answer. */
interface Expectation {
  readonly alias: string;
  readonly event: string;
  readonly length: number;
}

interface PlannedRequest {
  readonly kind: Kind;
  readonly body: string;
  readonly expect: readonly Expectation[];
}


const random = prng(SEED + 1);
function pick<T>(items: readonly T[]): T {
  if (items.length === 0) throw new Error('pick from an empty list');
  // Some lists hold undefined on purpose (an omitted argument), so the value itself is not checked.
  return items[Math.floor(random() * items.length)] as T;
}

const EVENTS = ['purchase', 'checkout', 'signup', 'login', 'add_to_cart', 'share', 'search', 'level_up', 'subscribe', 'refund'];
const ENDINGS = ['2024-03-10T00:00:00Z', '2024-03-10T23:59:59Z', '2024-06-01T12:00:00Z', '2025-01-01T00:00:00Z', undefined];
const DAY_LENGTHS = [1, 7, 14, 30, 90, 100];
const HOUR_LENGTHS = [1, 6, 24, 48, 72];
const APP_IDS = [undefined, undefined, 'ios-app', 'web-app'];
const SEGMENT_IDS = [undefined, undefined, undefined, 'vip-segment'];

/** A bounded set of distinct series, so the same questions come back again and again. */
function buildKeys(count: number): SeriesKey[] {
  const keys = new Map<string, SeriesKey>();
  for (let attempt = 0; keys.size < count && attempt < count * 100; attempt++) {
    const unit = random() < 0.7 ? 'DAY' : 'HOUR';
    const key: SeriesKey = {
      event: pick(EVENTS),
      unit,
      length: pick(unit === 'DAY' ? DAY_LENGTHS : HOUR_LENGTHS),
      endingAt: pick(ENDINGS),
      appId: pick(APP_IDS),
      segmentId: pick(SEGMENT_IDS),
    };
    keys.set(JSON.stringify(key), key);
  }
  return [...keys.values()];
}
const KEYS = buildKeys(DISTINCT_KEYS);

const SELECTION = '{ event length total points { time count } }';

/** The same instant written at UTC−05:00: the gateway must treat it as the same upstream call. */
function atMinusFive(iso: string): string {
  return `${new Date(Date.parse(iso) - 5 * 3_600_000).toISOString().slice(0, 19)}-05:00`;
}

function inlineField(alias: string, key: SeriesKey, shiftOffset: boolean): string {
  const args = [`event: ${JSON.stringify(key.event)}`, `length: ${key.length}`, `unit: ${key.unit}`];
  if (key.endingAt !== undefined) {
    args.push(`endingAt: ${JSON.stringify(shiftOffset ? atMinusFive(key.endingAt) : key.endingAt)}`);
  }
  if (key.appId !== undefined) args.push(`appId: ${JSON.stringify(key.appId)}`);
  if (key.segmentId !== undefined) args.push(`segmentId: ${JSON.stringify(key.segmentId)}`);
  return `${alias}: eventSeries(${args.join(', ')}) ${SELECTION}`;
}

const SINGLE_QUERY = `query Series($event: String!, $length: Int!, $unit: TimeUnit, $endingAt: DateTime, $appId: String, $segmentId: String) {
  series: eventSeries(event: $event, length: $length, unit: $unit, endingAt: $endingAt, appId: $appId, segmentId: $segmentId) ${SELECTION}
}`;

function planRequest(): PlannedRequest {
  let roll = random() * 100;
  const kind = KINDS.find((k) => (roll -= MIX[k]) < 0) ?? 'single';
  switch (kind) {
    case 'single': {
      const key = pick(KEYS);
      // Undefined variables are dropped by JSON.stringify, so the argument defaults apply.
      const variables = { ...key };
      return {
        kind,
        body: JSON.stringify({ query: SINGLE_QUERY, variables }),
        expect: [{ alias: 'series', event: key.event, length: key.length }],
      };
    }
    case 'dashboard': {
      // 5 to 10 panels; about a third repeat an earlier panel (sometimes in another offset), and at
      // least one always does, so deduplication is exercised on every dashboard.
      const count = 5 + Math.floor(random() * 6);
      const panels: SeriesKey[] = [];
      const fields: string[] = [];
      for (let i = 0; i < count; i++) {
        const repeat = panels.length > 0 && (random() < 0.3 || i === count - 1);
        const key = repeat ? pick(panels) : pick(KEYS);
        panels.push(key);
        fields.push(inlineField(`p${i}`, key, repeat && random() < 0.5));
      }
      return {
        kind,
        body: JSON.stringify({ query: `query Dashboard { ${fields.join(' ')} }` }),
        expect: panels.map((key, i) => ({ alias: `p${i}`, event: key.event, length: key.length })),
      };
    }
    case 'invalid': {
      // A bad field beside a good one: the bad one must be BAD_USER_INPUT, the good one must resolve.
      const bad = pick(['length: 0', 'event: "", length: 7', 'length: 101', 'appId: "", length: 7']);
      const args = bad.includes('event:') ? bad : `event: "purchase", ${bad}`;
      const key = pick(KEYS);
      return {
        kind,
        body: JSON.stringify({ query: `query Invalid { bad: eventSeries(${args}) ${SELECTION} ${inlineField('good', key, false)} }` }),
        expect: [{ alias: 'good', event: key.event, length: key.length }],
      };
    }
    case 'typename':
      return { kind, body: JSON.stringify({ query: '{ __typename }' }), expect: [] };
  }
}

// ---------------------------------------------------------------------------------------------------
// Tally

interface KindTally {
  sent: number;
  latencies: number[];
  fullyOk: number;
}

interface Tally {
  sent: number;
  /** One per HTTP response received (any status). */
  latencies: number[];
  byKind: Record<Kind, KindTally>;
  statuses: Map<number, number>;
  fullyOk: number;
  withErrors: number;
  errorCodes: Map<string, number>;
  clientFailures: Map<string, number>;
  /** Invalid requests whose bad field came back null with BAD_USER_INPUT. */
  invalidRefused: number;
  /** Non-null fields that do not match their question, with a few examples. */
  wrongAnswers: number;
  wrongExamples: string[];
}

function newTally(): Tally {
  const byKind = Object.fromEntries(
    KINDS.map((k): [Kind, KindTally] => [k, { sent: 0, latencies: [], fullyOk: 0 }]),
  ) as Record<Kind, KindTally>;
  return {
    sent: 0,
    latencies: [],
    byKind,
    statuses: new Map(),
    fullyOk: 0,
    withErrors: 0,
    errorCodes: new Map(),
    clientFailures: new Map(),
    invalidRefused: 0,
    wrongAnswers: 0,
    wrongExamples: [],
  };
}

function bump<K>(map: Map<K, number>, key: K, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errorCodeOf(error: unknown): string {
  if (!isRecord(error)) return 'MALFORMED_ERROR';
  const extensions = error['extensions'];
  const code = isRecord(extensions) ? extensions['code'] : undefined;
  return typeof code === 'string' ? code : 'NO_CODE';
}

function record(tally: Tally, planned: PlannedRequest, status: number, text: string, ms: number): void {
  tally.latencies.push(ms);
  tally.byKind[planned.kind].latencies.push(ms);
  bump(tally.statuses, status);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    tally.withErrors++;
    bump(tally.errorCodes, '(body is not JSON)');
    return;
  }
  if (!isRecord(body)) {
    tally.withErrors++;
    bump(tally.errorCodes, '(body is not a JSON object)');
    return;
  }
  const errors = Array.isArray(body['errors']) ? (body['errors'] as unknown[]) : [];
  for (const error of errors) bump(tally.errorCodes, errorCodeOf(error));
  if (status === 200 && errors.length === 0) {
    tally.fullyOk++;
    tally.byKind[planned.kind].fullyOk++;
  } else {
    tally.withErrors++;
  }

  const data = isRecord(body['data']) ? body['data'] : undefined;
  for (const { alias, event, length } of planned.expect) {
    const field = data?.[alias];
    if (field === null || field === undefined) continue; // a failed field: its error was counted above
    const points = isRecord(field) ? field['points'] : undefined;
    const counts = Array.isArray(points) ? points.map((p: unknown) => (isRecord(p) ? p['count'] : undefined)) : [];
    const sum = counts.reduce<number>((acc, c) => acc + (typeof c === 'number' ? c : Number.NaN), 0);
    const ok =
      isRecord(field) && field['event'] === event && field['length'] === length && counts.length === length && field['total'] === sum;
    if (!ok) {
      tally.wrongAnswers++;
      if (tally.wrongExamples.length < 3) tally.wrongExamples.push(`${alias} for ${event}/${length}: ${JSON.stringify(field).slice(0, 160)}`);
    }
  }
  if (planned.kind === 'invalid' && data?.['bad'] === null) {
    const onBad = errors.filter((e) => isRecord(e) && Array.isArray(e['path']) && (e['path'] as unknown[])[0] === 'bad');
    if (onBad.some((e) => errorCodeOf(e) === 'BAD_USER_INPUT')) tally.invalidRefused++;
  }
  if (planned.kind === 'typename' && data?.['__typename'] !== 'Query') {
    tally.wrongAnswers++;
  }
}

// ---------------------------------------------------------------------------------------------------
// Load

/** `connections` workers, each sending one request at a time until `seconds` have passed. */
async function drive(pool: Pool, seconds: number, tally: Tally): Promise<number> {
  const started = performance.now();
  const until = started + seconds * 1000;
  const worker = async (): Promise<void> => {
    while (performance.now() < until) {
      const planned = planRequest();
      tally.sent++;
      tally.byKind[planned.kind].sent++;
      const signal = AbortSignal.timeout(CLIENT_TIMEOUT_MS);
      const sentAt = performance.now();
      try {
        const response = await pool.request({
          path: '/graphql',
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
          body: planned.body,
          signal,
        });
        const text = await response.body.text();
        record(tally, planned, response.statusCode, text, performance.now() - sentAt);
      } catch (error) {
        bump(tally.clientFailures, describeFailure(error, signal));
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  return (performance.now() - started) / 1000;
}

function describeFailure(error: unknown, signal: AbortSignal): string {
  if (signal.aborted) return `client timeout (${CLIENT_TIMEOUT_MS / 1000} s)`;
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code} (${error.message})` : `${error.name}: ${error.message}`;
  }
  return String(error);
}

// ---------------------------------------------------------------------------------------------------
// The child: start, observe, stop

interface Target {
  readonly gateway: string;
  readonly upstream: string;
  readonly pid: number;
}

function parseTarget(line: string): Target {
  const value: unknown = JSON.parse(line);
  if (!isRecord(value) || typeof value['gateway'] !== 'string' || typeof value['upstream'] !== 'string' || typeof value['pid'] !== 'number') {
    throw new Error(`soakTarget printed an unexpected first line: ${line.slice(0, 200)}`);
  }
  return { gateway: value['gateway'], upstream: value['upstream'], pid: value['pid'] };
}

/** The child's first stdout line, or an error if it exits or stays silent first. */
function readReadyLine(child: ChildProcess): Promise<string> {
  const stdout = child.stdout;
  if (stdout === null) return Promise.reject(new Error('soakTarget has no stdout pipe'));
  return new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: stdout });
    const timer = setTimeout(() => settle(new Error(`soakTarget was not ready within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void =>
      settle(new Error(`soakTarget exited before it was ready (code ${code}, signal ${signal})`));
    let first = true;
    lines.on('line', (line) => {
      if (first) {
        first = false;
        settle(line);
      } else {
        process.stderr.write(`soakTarget: ${line}\n`);
      }
    });
    child.once('exit', onExit);
    function settle(result: string | Error): void {
      clearTimeout(timer);
      child.off('exit', onExit);
      if (typeof result === 'string') resolve(result);
      else reject(result);
    }
  });
}


function isFaultStats(value: unknown): value is FaultStats {
  if (!isRecord(value) || !isRecord(value['byOutcome']) || !isRecord(value['plan'])) return false;
  return ['total', 'rejected', 'hangsOpen'].every((k) => typeof value[k] === 'number');
}

/** The fake's failure tallies, from its GET /__calls. */
async function upstreamStats(upstream: string): Promise<FaultStats> {
  const response = await fetch(`${upstream}${CALLS_PATH}`, { signal: AbortSignal.timeout(5000) });
  const body: unknown = await response.json();
  const faults = isRecord(body) ? body['faults'] : undefined;
  if (!isFaultStats(faults)) throw new Error(`unexpected ${CALLS_PATH} body: ${JSON.stringify(body).slice(0, 200)}`);
  return faults;
}


// ---------------------------------------------------------------------------------------------------
// Main

interface Result {
  readonly target: Target;
  readonly seconds: number;
  readonly tally: Tally;
  readonly upstream: FaultStats;
  readonly upstreamAttempts: number;
  readonly rss: { readonly start: number | undefined; readonly peak: number | undefined; readonly end: number | undefined };
  readonly childEnd: string;
}

async function main(): Promise<void> {
  // The IPC channel is there only so the child notices if this process dies without cleaning up.
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/targets/soakTarget.ts'], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    env: { ...process.env, SOAK_UPSTREAM_LATENCY_MS: String(LATENCY_MS), SOAK_SEED: String(SEED) },
  });
  process.once('exit', () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`soak: ${signal}, stopping the target\n`);
      void stopChild(child).finally(() => process.exit(130));
    });
  }
  const watchdog = setTimeout(() => {
    process.stderr.write(`soak: still running after ${WATCHDOG_MS} ms, giving up\n`);
    child.kill('SIGKILL');
    process.exit(1);
  }, WATCHDOG_MS);
  watchdog.unref();

  let pool: Pool | undefined;
  let sampler: NodeJS.Timeout | undefined;
  let result: Omit<Result, 'childEnd'> | undefined;
  let childEnd = 'not stopped';
  try {
    const target = parseTarget(await readReadyLine(child));
    pool = new Pool(new URL(target.gateway).origin, { connections: CONNECTIONS, pipelining: 1 });

    if (WARMUP_SECONDS > 0) {
      process.stderr.write(`soak: warming up for ${WARMUP_SECONDS} s\n`);
      await drive(pool, WARMUP_SECONDS, newTally());
    }
    const before = await upstreamStats(target.upstream);
    const start = rssMiB(target.pid);
    const samples: number[] = start === undefined ? [] : [start];
    sampler = setInterval(() => {
      const rss = rssMiB(target.pid);
      if (rss !== undefined) samples.push(rss);
    }, 1000);

    process.stderr.write(`soak: ${SECONDS} s at ${CONNECTIONS} connections\n`);
    const tally = newTally();
    const seconds = await drive(pool, SECONDS, tally);

    clearInterval(sampler);
    const end = rssMiB(target.pid);
    if (end !== undefined) samples.push(end);
    const after = await upstreamStats(target.upstream);
    result = {
      target,
      seconds,
      tally,
      upstream: diffStats(before, after),
      upstreamAttempts: after.total - before.total,
      rss: { start, end, peak: samples.length > 0 ? Math.max(...samples) : undefined },
    };
  } finally {
    clearInterval(sampler);
    await pool?.destroy();
    childEnd = await stopChild(child);
    clearTimeout(watchdog);
  }
  if (result === undefined) throw new Error('unreachable: the soak ended without a result');
  process.stdout.write(report({ ...result, childEnd }));
}

/** Counts during the measured phase only; hangsOpen is the state at its end. */
function diffStats(before: FaultStats, after: FaultStats): FaultStats {
  const byOutcome = Object.fromEntries(
    Object.entries(after.byOutcome).map(([outcome, n]) => [outcome, n - (before.byOutcome[outcome as Outcome] ?? 0)]),
  ) as Record<Outcome, number>;
  return { total: after.total - before.total, byOutcome, rejected: after.rejected - before.rejected, hangsOpen: after.hangsOpen, plan: after.plan };
}

// ---------------------------------------------------------------------------------------------------
// Report

const OUTCOME_LABELS: Readonly<Record<Outcome, string>> = {
  ok: '200 success',
  http503: '503, JSON body',
  http500Html: '500, HTML body',
  reset: 'socket reset before answering',
  resetMidBody: 'reset mid-body (200, content-length, half the body)',
  hang: 'hang (never answers)',
};

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

const ms = (n: number): string => (Number.isNaN(n) ? 'n/a' : n.toFixed(1));
const mib = (n: number | undefined): string => (n === undefined ? 'n/a' : `${n.toFixed(1)} MiB`);
const pct = (part: number, whole: number): string => (whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)} %`);

function report({ target, seconds, tally, upstream, upstreamAttempts, rss, childEnd }: Result): string {
  const served = tally.latencies.length;
  const sorted = [...tally.latencies].sort((a, b) => a - b);
  const extraEnv = Object.keys(process.env)
    .filter((name) => name.startsWith('SOAK_ENV_'))
    .map((name) => `${name.slice('SOAK_ENV_'.length)}=${process.env[name] ?? ''}`);
  // soakTarget.ts sets BRAZE_TIMEOUT_MS=2000 unless a SOAK_ENV_ variable overrides it.
  const gatewayEnv = extraEnv.some((e) => e.startsWith('BRAZE_TIMEOUT_MS=')) ? extraEnv : ['BRAZE_TIMEOUT_MS=2000', ...extraEnv];
  const clientFailures = [...tally.clientFailures.values()].reduce((a, b) => a + b, 0);
  const ratio = rss.start !== undefined && rss.end !== undefined ? (rss.end / rss.start).toFixed(2) : 'n/a';

  const lines = [
    '## Soak: braze-analytics-gateway',
    '',
    `Machine: ${cpus().length} cores, Node ${process.version}. ${CONNECTIONS} connections for ${SECONDS} s after a ${WARMUP_SECONDS} s warm-up; ` +
      `upstream latency ${LATENCY_MS} ms, ~10 % of upstream calls fail (seed ${SEED}); gateway pid ${target.pid}, ` +
      `gateway env ${gatewayEnv.join(', ')}; ${DISTINCT_KEYS} distinct series keys.`,
    '',
    '| metric | value |',
    '|---|---:|',
    `| duration (until the last response) | ${seconds.toFixed(1)} s |`,
    `| requests sent | ${tally.sent} |`,
    `| requests served (HTTP responses) | ${served} |`,
    `| requests/s | ${(served / seconds).toFixed(0)} |`,
    `| latency p50 | ${ms(percentile(sorted, 0.5))} ms |`,
    `| latency p99 | ${ms(percentile(sorted, 0.99))} ms |`,
    `| responses fully OK (200, no errors) | ${tally.fullyOk} (${pct(tally.fullyOk, served)}) |`,
    `| responses with GraphQL errors | ${tally.withErrors} (${pct(tally.withErrors, served)}) |`,
    `| client-side failures (timeouts, connection errors) | ${clientFailures} |`,
    `| invalid requests refused with BAD_USER_INPUT | ${tally.invalidRefused} / ${tally.byKind.invalid.sent} |`,
    `| wrong answers (non-null field not matching its question) | ${tally.wrongAnswers} |`,
    `| upstream attempts | ${upstreamAttempts} |`,
    `| upstream attempts per GraphQL request sent | ${(upstreamAttempts / Math.max(1, tally.sent)).toFixed(2)} |`,
    `| hung upstream calls still open at the end | ${upstream.hangsOpen} |`,
    `| gateway RSS start / peak / end | ${mib(rss.start)} / ${mib(rss.peak)} / ${mib(rss.end)} |`,
    `| gateway RSS end / start | ${ratio} |`,
    `| gateway process | ${childEnd} |`,
    '',
    '### Requests by kind',
    '',
    '| kind | sent | fully OK | p50 ms | p99 ms |',
    '|---|---:|---:|---:|---:|',
    ...KINDS.map((kind) => {
      const k = tally.byKind[kind];
      const s = [...k.latencies].sort((a, b) => a - b);
      return `| ${kind} | ${k.sent} | ${k.fullyOk} | ${ms(percentile(s, 0.5))} | ${ms(percentile(s, 0.99))} |`;
    }),
    '',
    '### HTTP status',
    '',
    '| status | responses |',
    '|---|---:|',
    ...[...tally.statuses.entries()].sort(([a], [b]) => a - b).map(([status, n]) => `| ${status} | ${n} |`),
    '',
    '### GraphQL errors by `extensions.code`',
    '',
    '| code | errors |',
    '|---|---:|',
    `| NONE (responses with no errors) | ${tally.fullyOk} |`,
    ...[...tally.errorCodes.entries()].sort(([, a], [, b]) => b - a).map(([code, n]) => `| ${code} | ${n} |`),
    '',
    '### Upstream attempts by outcome',
    '',
    '| outcome | attempts | share | planned |',
    '|---|---:|---:|---:|',
    ...(Object.keys(OUTCOME_LABELS) as Outcome[]).map(
      (o) => `| ${OUTCOME_LABELS[o]} | ${upstream.byOutcome[o]} | ${pct(upstream.byOutcome[o], upstreamAttempts)} | ${(upstream.plan[o] / 10).toFixed(1)} % |`,
    ),
    ...(upstream.rejected > 0 ? [`| refused by the fake (bad parameters) | ${upstream.rejected} | ${pct(upstream.rejected, upstreamAttempts)} | 0 % |`] : []),
    `| **total** | ${upstreamAttempts} | | |`,
  ];
  if (clientFailures > 0) {
    lines.push('', '### Client-side failures', '', '| kind | count |', '|---|---:|');
    lines.push(...[...tally.clientFailures.entries()].map(([kind, n]) => `| ${kind} | ${n} |`));
  }
  if (tally.wrongExamples.length > 0) {
    lines.push('', 'Wrong answers, first examples:', '', ...tally.wrongExamples.map((e) => `- \`${e}\``));
  }
  return `${lines.join('\n')}\n`;
}

await main();
