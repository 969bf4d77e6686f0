// npm run bench:memory -- replica (issue 23, goal 3): does one replica fit in 512 MiB with the default bounds,
// every bounded store at its worst at once? The built gateway (`node [heap flags] dist/main.js`, what ships,
// alone in its process: the fake Braze runs in this one) with its default settings, filled over HTTP, in order:
//   1. the answer cache (CACHE_MAX_BYTES): distinct 1,000-point event series, counts near 2^31 (boxed),
//      sent with `Cache-Control: no-cache` so the response cache stays out;
//   2. the response cache (RESPONSE_CACHE_MAX_BYTES): the issue's 140 documents × 49 aliases of a 1,000-point
//      series whose points select nothing (the shape V8 keeps dearest for its JSON);
//   3. the document cache (DOCUMENT_CACHE_MAX_BYTES): 50-chart dashboards at the token limit, no-cache;
//   4. LIVE_MAX_SUBSCRIPTIONS (10,000) subscriptions over graphql-ws, 100 sockets of 100 operations (the
//      per-connection cap), over 100 series of 30 points; each gets its first value;
//   5. load with everything held: autocannon, 20 connections, each request a new 1,000-point series
//      (11 Braze calls, a 45 KB answer: the most a request of the default limits holds while in flight, as
//      the caches churn).
// The RSS is sampled every 200 ms from the start; the target is its peak ≤ 512 MiB. Each heap setting runs
// in a fresh process, one after the other. One deviation from the defaults: LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT
// is raised to 10,000, since the bench's subscribers are one caller (the per-caller cap changes no memory).
//
// Environment: BENCH_REPLICA_FLAGS: `;`-separated heap settings to compare, each a space-separated list of
// node flags ("" = Node's own defaults); default: Node's defaults, then the recommended
// "--max-old-space-size=352 --max-semi-space-size=16". BENCH_REPLICA_LOAD_SECONDS (20).
// BENCH_REPLICA_SUBSCRIBERS (10,000). BENCH_REPLICA_GATEWAY_ENV: a JSON object of gateway variables laid
// over the defaults (other bounds, without a rebuild). Needs `dist/` (npm run bench:memory builds it).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createClient as createWsClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { defaultResponder, defaultSeries, startFakeBraze } from '../../testkit/fakeBraze.js';
import { cpuSeconds, ENDING_AT, GRAPHQL_HEADERS, load, numberEnv, rssMiB, sleep } from '../lib/common.js';
import { aliases, limitDashboard } from '../lib/documents.js';
import { freePort, stopChild } from '../lib/process.js';
import { BENCH_API_KEY, BENCH_TOKEN } from '../lib/protocol.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = `${ROOT}dist/main.js`;
const TARGET_MIB = 512;
const LOAD_SECONDS = numberEnv('BENCH_REPLICA_LOAD_SECONDS', 20, 1);
const SUBSCRIBERS = Math.floor(numberEnv('BENCH_REPLICA_SUBSCRIBERS', 10_000, 0));
const SOCKETS = 100;
const SERIES = 100;
const RECOMMENDED = '--max-old-space-size=352 --max-semi-space-size=16';
const FLAG_SETS = (process.env['BENCH_REPLICA_FLAGS'] ?? `;${RECOMMENDED}`).split(';').map((flags) => flags.trim());
/** Gateway variables laid over the defaults (a JSON object), to try other bounds without a rebuild. */
const GATEWAY_ENV = JSON.parse(process.env['BENCH_REPLICA_GATEWAY_ENV'] ?? '{}') as Record<string, string>;
const CONCURRENCY = 4;

// ---------------------------------------------------------------------------------------------------
// The worst shapes (as bench:memory's gateway part sends them, here all into one process)

const body = (query: string, variables?: Record<string, unknown>): string => JSON.stringify({ query, ...(variables ? { variables } : {}) });
const ANSWER_QUERY = `query A($e: String!) { s: eventSeries(event: $e, length: 1000, endingAt: "${ENDING_AT}") { length } }`;
/** 64 MiB of answers takes about 600 of them (about 110 KB each, bench:memory); 900 overfill it. */
const answerBodies = (): string[] => Array.from({ length: 900 }, (_, d) => body(ANSWER_QUERY, { e: `answer-${d}` }));
const responseBodies = (): string[] =>
  Array.from({ length: 140 }, (_, d) =>
    body(`query Issue${d} { ${aliases(49, (i) => `a${i}: eventSeries(event: "issue", length: 1000, endingAt: "${ENDING_AT}") { points { count @skip(if: true) } }`)} }`),
  );
/** 64 MiB of parsed dashboards is about 64 of them; 120 overfill it. */
const documentBodies = (): string[] => Array.from({ length: 120 }, (_, d) => body(limitDashboard(d)));
const LOAD_QUERY = `query L($e: String!) { s: eventSeries(event: $e, length: 1000, endingAt: "${ENDING_AT}") { total points { time count } } }`;
const SUBSCRIPTION = 'subscription ($event: String!) { eventSeries(event: $event, length: 30) { series { total fetchedAt points { time count } } status { state retryAt } } }';

// ---------------------------------------------------------------------------------------------------
// Requests

interface Sent {
  ok: number;
  failed: number;
  firstFailure?: string;
}

async function sendAll(url: string, bodies: readonly string[], headers: Record<string, string>): Promise<Sent> {
  const sent: Sent = { ok: 0, failed: 0 };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < bodies.length) {
      const index = next++;
      const response = await fetch(url, { method: 'POST', headers: { ...GRAPHQL_HEADERS, ...headers }, body: bodies[index]! });
      const text = await response.text();
      if (response.status === 200 && !text.includes('"errors"')) sent.ok++;
      else {
        sent.failed++;
        sent.firstFailure ??= `${response.status} ${text.slice(0, 300)}`;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return sent;
}

const NO_CACHE = { 'cache-control': 'no-cache' };

async function untilListening(url: string, child: ChildProcess): Promise<void> {
  const deadline = performance.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the gateway exited at start (${child.signalCode ?? `exit code ${child.exitCode}`})`);
    if (performance.now() > deadline) throw new Error('the gateway did not listen within 30 s');
    try {
      if ((await fetch(new URL('/healthz', url))).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
}

/** Opens `count` subscriptions over SOCKETS graphql-ws clients; resolves when each has its first value. */
async function subscribe(url: string, count: number): Promise<{ failed: number; dispose(): Promise<void> }> {
  const clients: Client[] = Array.from({ length: Math.min(SOCKETS, Math.max(1, count)) }, () =>
    createWsClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${BENCH_TOKEN}` }, retryAttempts: 0, lazy: false }),
  );
  let failed = 0;
  const firsts: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    firsts.push(
      new Promise<void>((resolve) => {
        let first = true;
        clients[i % clients.length]!.subscribe(
          { query: SUBSCRIPTION, variables: { event: `live-${i % SERIES}` } },
          {
            next: () => {
              if (first) resolve();
              first = false;
            },
            error: () => {
              failed++;
              resolve();
            },
            complete: () => resolve(),
          },
        );
      }),
    );
  }
  await Promise.all(firsts);
  return { failed, dispose: async () => void (await Promise.all(clients.map((client) => client.dispose()))) };
}

// ---------------------------------------------------------------------------------------------------
// One heap setting

interface Step {
  readonly name: string;
  /** RSS when the step ended. */
  readonly rss: number | undefined;
  readonly failed: number;
  readonly firstFailure: string | undefined;
}

interface Outcome {
  readonly flags: string;
  readonly steps: readonly Step[];
  readonly peak: number;
  readonly peakAt: string;
  readonly loadRps: number;
  readonly loadP50: number;
  /** The gateway's CPU time per request under load (GC included), in ms: what a heap held near its limit costs. */
  readonly loadCpuMs: number;
  readonly loadAverage: readonly number[];
}

async function runWith(flags: string, upstream: string): Promise<Outcome> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/graphql`;
  const child = spawn(process.execPath, [...flags.split(' ').filter((flag) => flag !== ''), MAIN], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    // Nothing of this process's environment: every setting but these is the gateway's default.
    env: {
      PATH: process.env['PATH'] ?? '',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'error',
      BRAZE_REST_ENDPOINT: upstream,
      BRAZE_API_KEY: BENCH_API_KEY,
      AUTH_TOKENS: BENCH_TOKEN,
      LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT: String(Math.max(20, SUBSCRIBERS)),
      ...GATEWAY_ENV,
    },
  });
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let peak = 0;
  let step = 'start';
  let peakAt = step;
  const sampler = setInterval(() => {
    const rss = rssMiB(child.pid!);
    if (rss !== undefined && rss > peak) {
      peak = rss;
      peakAt = step;
    }
  }, 200);
  const steps: Step[] = [];
  const record = (name: string, sent?: Sent): void => {
    steps.push({ name, rss: rssMiB(child.pid!), failed: sent?.failed ?? 0, firstFailure: sent?.firstFailure });
    process.stderr.write(`bench:memory replica [${flags || 'Node defaults'}]: ${name}: RSS ${rssMiB(child.pid!)?.toFixed(1)} MiB\n`);
  };
  try {
    await untilListening(url, child);
    record('idle, listening');
    step = 'answers';
    record('answer cache filled (900 × 1,000 points, no-cache)', await sendAll(url, answerBodies(), NO_CACHE));
    step = 'responses';
    record("response cache filled (the issue's 140 × 49 aliases × 1,000 points)", await sendAll(url, responseBodies(), {}));
    step = 'documents';
    record('document cache filled (120 dashboards of 50 charts at the token limit, no-cache)', await sendAll(url, documentBodies(), NO_CACHE));
    step = 'subscriptions';
    const live = await subscribe(url, SUBSCRIBERS);
    steps.push({ name: `${SUBSCRIBERS} subscriptions open (${SOCKETS} sockets, ${SERIES} series), each with its first value`, rss: rssMiB(child.pid!), failed: live.failed, firstFailure: undefined });
    process.stderr.write(`bench:memory replica: subscriptions open: RSS ${rssMiB(child.pid!)?.toFixed(1)} MiB\n`);
    step = 'load';
    let next = 0;
    const cpuBefore = cpuSeconds(child.pid!);
    const result = await load({
      url,
      connections: 20,
      seconds: LOAD_SECONDS,
      method: 'POST',
      headers: GRAPHQL_HEADERS,
      nextBody: () => body(LOAD_QUERY, { e: `load-${next++}` }),
      drain: true,
    });
    const cpuAfter = cpuSeconds(child.pid!);
    const loadCpuMs = cpuBefore === undefined || cpuAfter === undefined || result.completed === 0 ? Number.NaN : ((cpuAfter - cpuBefore) * 1000) / result.completed;
    record(`after ${LOAD_SECONDS} s of load (20 connections, a new 1,000-point series each)`, { ok: result.completed, failed: result.non2xx + result.errors + result.bodiesWithErrors, ...(result.firstBadBody ? { firstFailure: result.firstBadBody.slice(0, 300) } : {}) });
    await live.dispose();
    return { flags, steps, peak, peakAt, loadRps: result.rps, loadP50: result.p50, loadCpuMs, loadAverage: loadavg() };
  } finally {
    clearInterval(sampler);
    process.off('exit', killOnExit);
    const ended = child.exitCode !== null || child.signalCode !== null ? `had exited (${child.signalCode ?? `exit code ${child.exitCode}`})` : await stopChild(child);
    process.stderr.write(`bench:memory replica: gateway stopped: ${ended}\n`);
  }
}

// ---------------------------------------------------------------------------------------------------

export async function runReplicaBench(): Promise<string> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first (npm run bench:memory builds it)`);
  const braze = await startFakeBraze({ record: false });
  // Counts near 2^31 for the answer cache's series: boxed numbers where V8 compresses pointers, the dearest
  // answers. Only there: their query selects `length`; the others select `total`, an Int these would overflow.
  braze.respond((call) => {
    if (call.path !== '/events/data_series' || !String(call.query['event']).startsWith('answer-')) return defaultResponder(call);
    const series = defaultSeries(call.query) as { data: { time: string; count: number }[] };
    return { body: { ...series, data: series.data.map((point) => ({ ...point, count: 2 ** 31 - 1 - point.count })) } };
  });
  const outcomes: Outcome[] = [];
  try {
    for (const flags of FLAG_SETS) outcomes.push(await runWith(flags, braze.url.origin));
  } finally {
    await braze.close();
  }
  const fmt = (n: number | undefined): string => (n === undefined ? '—' : n.toFixed(1));
  const lines = [
    '',
    `bench:memory replica — Node ${process.version}, ${cpus().length} cores: the built gateway alone in its process, default bounds, every store filled with its worst shape, then ${SUBSCRIBERS} subscriptions, then load. RSS in MiB.`,
    '',
    `| step | ${outcomes.map((o) => o.flags || 'Node defaults').join(' | ')} |`,
    `|---|${outcomes.map(() => '---:').join('|')}|`,
    ...outcomes[0]!.steps.map((s, index) => `| ${s.name} | ${outcomes.map((o) => `${fmt(o.steps[index]?.rss)}${o.steps[index]?.failed ? ` (${o.steps[index]!.failed} failed)` : ''}`).join(' | ')} |`),
    `| **peak RSS** (sampled every 200 ms; in which step) | ${outcomes.map((o) => `**${fmt(o.peak)}** (${o.peakAt})`).join(' | ')} |`,
    `| load: req/s, p50 ms, gateway CPU ms a request | ${outcomes.map((o) => `${o.loadRps.toFixed(0)}, ${o.loadP50}, ${o.loadCpuMs.toFixed(1)}`).join(' | ')} |`,
    `| load average (1, 5, 15 min) at the end | ${outcomes.map((o) => o.loadAverage.map((n) => n.toFixed(1)).join(', ')).join(' | ')} |`,
    '',
    ...outcomes.flatMap((o) => o.steps.filter((s) => s.firstFailure !== undefined).map((s) => `- [${o.flags || 'Node defaults'}] ${s.name}: first failure ${s.firstFailure}`)),
    ...outcomes.flatMap((o) => [
      `- Memory per replica ≤ ${TARGET_MIB} MiB with the default bounds, every store at its worst, [${o.flags || 'Node defaults'}]: ` +
        `${o.peak <= TARGET_MIB ? 'MET' : 'MISSED'} — peak ${fmt(o.peak)} MiB (${o.peakAt})`,
      // Apart from the memory line: a failure here is what the gateway answered (an open breaker when this
      // process, which also plays Braze and holds the subscribers, falls behind), read with the first failure above.
      `- Every request of the fills and the load answered without errors, every subscriber served, [${o.flags || 'Node defaults'}]: ` +
        `${o.steps.every((s) => s.failed === 0) ? 'MET' : `MISSED — ${o.steps.reduce((sum, s) => sum + s.failed, 0)} failed`}`,
    ]),
  ];
  return `${lines.join('\n')}\n`;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) process.stdout.write(await runReplicaBench());
