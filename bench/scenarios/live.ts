// npm run bench:live (tsx bench/scenarios/live.ts): live series over WebSocket (graphql-ws, the default) or SSE.
// A child (bench/targets/liveTarget.ts) holds the fake Braze (20 ms latency) and a gateway with a live
// cache lifetime of BENCH_LIVE_INTERVAL_MS (so polls come that often); this process opens
// BENCH_LIVE_SUBSCRIBERS subscriptions spread over BENCH_LIVE_SERIES series: over WebSocket on
// BENCH_LIVE_SOCKETS sockets (graphql-ws clients, many operations each), over SSE (BENCH_LIVE_TRANSPORT=sse)
// one graphql-sse request each. It then counts the fake Braze's calls over BENCH_LIVE_INTERVALS intervals,
// and reads the child's heap and RSS after a full GC before and with the subscribers. With
// BENCH_LIVE_HEAP_SNAPSHOTS=<dir>, it also has the child write a heap snapshot at both moments (compare them
// in Chrome DevTools' Memory tab, "Comparison"): where a subscriber's heap goes. Writing one stalls the
// child for seconds and grows its RSS, so such a run's RSS and calls targets mean nothing; its heap does.
//
// Targets (docs/benchmarks.md, "Live series"):
// - every subscriber gets its first value, none fails;
// - Braze calls per interval = distinct series (one poll per series, however many subscribers): counted
//   by the child per series in a window of exactly N intervals; MET when every series was polled N times
//   (± 1 for a late timer at an edge) and the total is series × N within 1%;
// - a changed answer reaches every subscriber of its series within BENCH_LIVE_PUSH_SPREAD_TARGET_MS (1 s, issue
//   23): from the fake Braze writing it to the last subscriber's push, worst series;
// - RSS per subscriber over WebSocket at most BENCH_LIVE_RSS_TARGET_KIB (16 KiB, issue 23; 32 KiB was issue
//   22's): 10,000 subscribers, LIVE_MAX_SUBSCRIPTIONS' default, then add at most 160 MiB to the process.
// The child runs the built gateway (dist/: `npm run bench:live` builds it first), what ships;
// BENCH_LIVE_FROM=src runs the sources through tsx instead (about 1.5 KiB more per subscriber).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { numberEnv, sleep, upstreamCalls } from '../lib/common.js';
import { stopChild } from '../lib/process.js';
import { BENCH_TOKEN } from '../lib/protocol.js';

const TRANSPORT = process.env['BENCH_LIVE_TRANSPORT'] === 'sse' ? 'sse' : 'ws';
const SUBSCRIBERS = numberEnv('BENCH_LIVE_SUBSCRIBERS', TRANSPORT === 'ws' ? 10_000 : 1000, 1);
const SOCKETS = TRANSPORT === 'ws' ? numberEnv('BENCH_LIVE_SOCKETS', 100, 1) : 0;
const SERIES = numberEnv('BENCH_LIVE_SERIES', TRANSPORT === 'ws' ? 100 : 10, 1);
const INTERVAL_MS = numberEnv('BENCH_LIVE_INTERVAL_MS', 1000, 100);
const INTERVALS = numberEnv('BENCH_LIVE_INTERVALS', 10, 2);
const RSS_TARGET_KIB = numberEnv('BENCH_LIVE_RSS_TARGET_KIB', 16, 1);
/** A directory: the child's heap is also written there as before.heapsnapshot and opened.heapsnapshot (slow: seconds each). */
const HEAP_SNAPSHOTS = process.env['BENCH_LIVE_HEAP_SNAPSHOTS'];
/** The longest a poll's answer may take to reach the last of its series' subscribers (issue 23: one second). */
const PUSH_SPREAD_TARGET_MS = numberEnv('BENCH_LIVE_PUSH_SPREAD_TARGET_MS', 1000, 1);
const FROM = process.env['BENCH_LIVE_FROM'] === 'src' ? 'src' : 'dist';

interface Memory {
  memory: NodeJS.MemoryUsage;
  live: { polls: number; subscriptions: number };
}

/** Subscribes to one operation; returns how to stop it. */
type Subscribe = (variables: Record<string, unknown>, sink: { next: (value: Pushed) => void; error: () => void; complete: () => void }) => () => void;

/** What a push carries, as far as this bench reads it. */
interface Pushed {
  data?: { eventSeries?: { series?: { total?: number } | null } | null } | null;
}

const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/targets/liveTarget.ts'], {
  stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  env: { ...process.env, BENCH_LIVE_FROM: FROM, BENCH_LIVE_SUBSCRIBERS: String(SUBSCRIBERS), BENCH_LIVE_INTERVAL_MS: String(INTERVAL_MS), BENCH_LIVE_SOCKETS: String(SOCKETS) },
});
process.once('exit', () => child.kill('SIGKILL'));
const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
const target = JSON.parse(line) as { url: string; upstream: string; pid: number };

/** Asks the child: a reply of the shape `wanted` picks. */
async function ask<T>(message: unknown, wanted: string): Promise<T> {
  const reply = new Promise<T>((resolve) => {
    const listen = (answer: unknown): void => {
      if (typeof answer !== 'object' || answer === null || !(wanted in answer)) return;
      child.off('message', listen);
      resolve(answer as T);
    };
    child.on('message', listen);
  });
  child.send(message as string);
  return reply;
}

async function memory(): Promise<Memory> {
  const reply = once(child, 'message') as Promise<[Memory]>;
  child.send('memory');
  return (await reply)[0];
}

const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
const query = 'subscription ($event: String!) { eventSeries(event: $event, length: 30) { series { total fetchedAt points { time count } } status { state retryAt } } }';
const authorization = `Bearer ${BENCH_TOKEN}`;

/** One subscribe function per connection: graphql-ws clients (one socket each), or one graphql-sse client. */
function connections(): { subscribe: Subscribe[]; dispose(): Promise<void> } {
  if (TRANSPORT === 'sse') {
    const client = createSseClient({ url: target.url, headers: { authorization }, retryAttempts: 0 });
    return { subscribe: [(variables, sink) => client.subscribe({ query, variables }, sink)], dispose: async () => client.dispose() };
  }
  const clients = Array.from({ length: SOCKETS }, () =>
    createWsClient({ url: target.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { authorization }, retryAttempts: 0, lazy: false }),
  );
  return { subscribe: clients.map((client) => (variables, sink) => client.subscribe({ query, variables }, sink)), dispose: async () => void (await Promise.all(clients.map((client) => client.dispose()))) };
}

try {
  const { subscribe, dispose } = connections();
  // Warm-up: one subscription on each connection, so that modules, schema, pools and sockets are in
  // place before the baseline (the sockets' own cost is then the baseline's, not the subscribers').
  await Promise.all(
    subscribe.map(
      (open) =>
        new Promise<void>((resolve, reject) => {
          const stop = open({ event: 'warm-up' }, { next: () => (stop(), resolve()), error: reject, complete: () => undefined });
        }),
    ),
  );
  await sleep(500);
  const before = await memory();
  if (HEAP_SNAPSHOTS) await ask({ snapshot: join(HEAP_SNAPSHOTS, 'before.heapsnapshot') }, 'snapshot');

  let received = 0;
  /** Each subscriber's last pushed total; once the answers change, when its changed total arrived (0: not yet). */
  const totals: (number | undefined)[] = new Array<number | undefined>(SUBSCRIBERS);
  const pushedAt = new Float64Array(SUBSCRIBERS);
  let watching = false;
  let pushed = 0;
  let failed = 0;
  const firsts: Promise<void>[] = [];
  const disposers: (() => void)[] = [];
  for (let i = 0; i < SUBSCRIBERS; i++) {
    firsts.push(
      new Promise<void>((resolve) => {
        let first = true;
        disposers.push(
          subscribe[i % subscribe.length]!(
            { event: `e${i % SERIES}` },
            {
              next: (value) => {
                received++;
                const total = value.data?.eventSeries?.series?.total;
                if (watching && pushedAt[i] === 0 && total !== totals[i]) {
                  pushedAt[i] = Date.now();
                  pushed++;
                }
                totals[i] = total;
                if (first) resolve();
                first = false;
              },
              error: () => {
                failed++;
                resolve();
              },
              complete: () => resolve(),
            },
          ),
        );
      }),
    );
  }
  const opening = performance.now();
  await Promise.all(firsts);
  const openMs = performance.now() - opening;
  const opened = await memory();
  if (HEAP_SNAPSHOTS) await ask({ snapshot: join(HEAP_SNAPSHOTS, 'opened.heapsnapshot') }, 'snapshot');
  // Calls from here on are the polls only: counted by the child per series in a window of exactly
  // INTERVALS intervals of its own clock, [mark, mark + INTERVALS × interval). A series polled once per
  // interval has INTERVALS calls in it (INTERVALS ± 1 when a late timer moves one across an edge); a
  // second poller would show as about twice that.
  // The GC just forced in the child (which also holds the fake Braze) held its event loop for a
  // while: calls due then reach the fake together, late. Two intervals let that backlog pass.
  await sleep(2 * INTERVAL_MS);
  await ask('mark', 'marked');
  const startCalls = await upstreamCalls(target.upstream);
  await sleep(INTERVAL_MS * INTERVALS + 200);
  const { perSeries, gaps } = await ask<{ perSeries: Record<string, number>; gaps: { min: number; max: number; mean: number } }>({ window: INTERVAL_MS * INTERVALS }, 'perSeries');
  const allCalls = (await upstreamCalls(target.upstream)) - startCalls;
  const measured = Object.entries(perSeries).filter(([event]) => /^e\d+$/.test(event));
  const calls = measured.reduce((sum, [, count]) => sum + count, 0);
  const counts = measured.map(([, count]) => count);
  // Pushes: every series' answer changes from now on, so each series' next poll pushes to all its
  // subscribers. The spread of a series is from the moment the fake Braze wrote its changed answer (the
  // child's clock) to the moment the last of its subscribers had the push here (this process's: the
  // same machine's wall clock), so it includes the gateway's poll, its pushes, the sockets and this
  // process's own work parsing 10,000 messages.
  watching = true;
  await ask('change', 'changedAt');
  const pushDeadline = Date.now() + 2 * INTERVAL_MS + 5_000;
  while (pushed < SUBSCRIBERS && Date.now() < pushDeadline) await sleep(50);
  const { answeredAt } = await ask<{ answeredAt: Record<string, number> }>('answered', 'answeredAt');
  const spreads: number[] = [];
  for (let series = 0; series < SERIES; series++) {
    const answered = answeredAt[`e${series}`];
    let last = 0;
    for (let i = series; i < SUBSCRIBERS; i += SERIES) last = pushedAt[i] === 0 ? Infinity : Math.max(last, pushedAt[i]!);
    spreads.push(answered === undefined ? Infinity : last - answered);
  }
  spreads.sort((a, b) => a - b);
  const spreadMedian = spreads[Math.floor(spreads.length / 2)]!;
  const spreadMax = spreads[spreads.length - 1]!;
  const pushMet = pushed === SUBSCRIBERS && spreadMax <= PUSH_SPREAD_TARGET_MS;
  const during = await memory();
  disposers.forEach((stop) => stop());
  await sleep(1_000);
  const after = await memory();
  await dispose();

  const perInterval = calls / INTERVALS;
  // Equal: every series polled, none more than once an interval (each INTERVALS times in the window,
  // or one fewer when its polls sit at the window's edge: a poll's next turn is counted from its start,
  // so a timer's lateness delays the cadence by a millisecond or two each time, never speeds it up), and
  // a series' calls an interval apart on average (within 5%: lateness, never early).
  const callsMet =
    measured.length === SERIES && counts.every((count) => count === INTERVALS || count === INTERVALS - 1) && gaps.mean >= INTERVAL_MS * 0.99 && gaps.mean <= INTERVAL_MS * 1.05;
  const heapPer = (opened.memory.heapUsed - before.memory.heapUsed) / SUBSCRIBERS;
  const rssPer = (opened.memory.rss - before.memory.rss) / SUBSCRIBERS;
  const rssMet = TRANSPORT === 'sse' || rssPer / 1024 <= RSS_TARGET_KIB;
  const allMet = failed === 0 && opened.live.subscriptions === SUBSCRIBERS;
  console.log(`gateway from ${FROM}/ (BENCH_LIVE_FROM), Node ${process.versions.node}\n`);
  console.log(`| transport | subscribers | sockets | series | interval ms | first values in | Braze calls in ${INTERVALS} intervals | calls / interval | pushes received | failed | heap / subscriber | RSS / subscriber | RSS with all |`);
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  console.log(
    `| ${TRANSPORT} | ${SUBSCRIBERS} | ${TRANSPORT === 'ws' ? SOCKETS : SUBSCRIBERS} | ${SERIES} | ${INTERVAL_MS} | ${(openMs / 1000).toFixed(1)} s | ${calls} | ${perInterval.toFixed(2)} | ${received} | ${failed} | ${(heapPer / 1024).toFixed(1)} KiB | ${(rssPer / 1024).toFixed(1)} KiB | ${mib(opened.memory.rss)} MiB |`,
  );
  console.log(
    `\nchild after GC: heap ${mib(before.memory.heapUsed)} MiB → ${mib(opened.memory.heapUsed)} MiB with ${opened.live.subscriptions} subscriptions on ${opened.live.polls} polls (${mib(during.memory.heapUsed)} MiB after ${INTERVALS} intervals) → ${mib(after.memory.heapUsed)} MiB after all left (${after.live.subscriptions} subscriptions, ${after.live.polls} polls); RSS ${mib(before.memory.rss)} → ${mib(opened.memory.rss)} → ${mib(after.memory.rss)} MiB; per subscriber, of what RSS grew: V8's heap committed (heapTotal) ${((opened.memory.heapTotal - before.memory.heapTotal) / SUBSCRIBERS / 1024).toFixed(1)} KiB, external ${((opened.memory.external - before.memory.external) / SUBSCRIBERS / 1024).toFixed(1)} KiB`,
  );
  console.log('\n| target | result |\n|---|---|');
  console.log(`| every subscriber gets a first value, none fails (${SUBSCRIBERS}) | ${allMet ? 'MET' : 'MISSED'}: ${opened.live.subscriptions} open, ${failed} failed |`);
  console.log(
    `| Braze calls per interval = distinct series (${SERIES}) | ${callsMet ? 'MET' : 'MISSED'}: ${perInterval.toFixed(2)} (${measured.length} series polled, ${Math.min(...counts)}–${Math.max(...counts)} calls each in ${INTERVALS} intervals, ${gaps.min}/${gaps.mean.toFixed(1)}/${gaps.max} ms min/mean/max between a series' calls; ${allCalls} calls of any kind counted by the fake over the same time) |`,
  );
  console.log(
    `| a changed answer reaches every subscriber of its series within ${PUSH_SPREAD_TARGET_MS} ms (Braze's answer → the last subscriber's push) | ${pushMet ? 'MET' : 'MISSED'}: ${pushed} of ${SUBSCRIBERS} pushed; per series ${spreadMedian} ms median, ${spreadMax} ms worst (${spreads[0]} ms best) |`,
  );
  if (TRANSPORT === 'ws') console.log(`| RSS per subscriber over WebSocket ≤ ${RSS_TARGET_KIB} KiB | ${rssMet ? 'MET' : 'MISSED'}: ${(rssPer / 1024).toFixed(1)} KiB |`);
  if (after.live.subscriptions !== 0 || after.live.polls !== 0) console.log(`\nLEFT HELD after every subscriber left: ${after.live.subscriptions} subscriptions, ${after.live.polls} polls`);
  process.exitCode = allMet && callsMet && pushMet && rssMet && after.live.subscriptions === 0 ? 0 : 1;
} finally {
  await stopChild(child);
}
