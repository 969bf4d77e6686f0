// npm run bench:live (tsx bench/scenarios/live.ts): live series over SSE. A child (bench/targets/liveTarget.ts) holds the
// fake Braze (20 ms latency) and a gateway with a live cache lifetime of BENCH_LIVE_INTERVAL_MS (so
// polls come that often); this process opens BENCH_LIVE_SUBSCRIBERS subscriptions (graphql-sse,
// distinct connections) spread over BENCH_LIVE_SERIES series, then counts the fake Braze's calls over
// BENCH_LIVE_INTERVALS intervals, and reads the child's heap and RSS after a full GC before and with
// the subscribers. Target: Braze calls per interval = distinct series (one poll per series, however
// many subscribers), MET when within 5% below it and never above.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { createClient } from 'graphql-sse';
import { numberEnv, sleep, upstreamCalls } from '../lib/common.js';
import { stopChild } from '../lib/process.js';
import { BENCH_TOKEN } from '../lib/protocol.js';

const SUBSCRIBERS = numberEnv('BENCH_LIVE_SUBSCRIBERS', 1000, 1);
const SERIES = numberEnv('BENCH_LIVE_SERIES', 10, 1);
const INTERVAL_MS = numberEnv('BENCH_LIVE_INTERVAL_MS', 1000, 100);
const INTERVALS = numberEnv('BENCH_LIVE_INTERVALS', 10, 2);

interface Memory {
  memory: NodeJS.MemoryUsage;
  live: { polls: number; subscriptions: number };
}

const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/targets/liveTarget.ts'], {
  stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  env: { ...process.env, BENCH_LIVE_SUBSCRIBERS: String(SUBSCRIBERS), BENCH_LIVE_INTERVAL_MS: String(INTERVAL_MS) },
});
process.once('exit', () => child.kill('SIGKILL'));
const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
const target = JSON.parse(line) as { url: string; upstream: string; pid: number };

async function memory(): Promise<Memory> {
  const reply = once(child, 'message') as Promise<[Memory]>;
  child.send('memory');
  return (await reply)[0];
}

const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);

try {
  // Warm-up: one subscription, so that modules, schema and pools are in place before the baseline.
  const client = createClient({ url: target.url, headers: { authorization: `Bearer ${BENCH_TOKEN}` }, retryAttempts: 0 });
  const query = 'subscription ($event: String!) { eventSeries(event: $event, length: 30) { series { total fetchedAt points { time count } } status { state retryAt } } }';
  const warm = await new Promise<() => void>((resolve, reject) => {
    const dispose = client.subscribe({ query, variables: { event: 'warm-up' } }, { next: () => resolve(dispose), error: reject, complete: () => undefined });
  });
  warm();
  await sleep(500);
  const before = await memory();

  let received = 0;
  let failed = 0;
  const firsts: Promise<void>[] = [];
  const disposers: (() => void)[] = [];
  for (let i = 0; i < SUBSCRIBERS; i++) {
    firsts.push(
      new Promise<void>((resolve) => {
        let first = true;
        disposers.push(
          client.subscribe(
            { query, variables: { event: `e${i % SERIES}` } },
            {
              next: () => {
                received++;
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
  await Promise.all(firsts);
  const opened = await memory();
  // Calls from here on are the polls only.
  const startCalls = await upstreamCalls(target.upstream);
  const started = performance.now();
  await sleep(INTERVAL_MS * INTERVALS);
  const calls = (await upstreamCalls(target.upstream)) - startCalls;
  const elapsed = performance.now() - started;
  const during = await memory();
  disposers.forEach((dispose) => dispose());
  await sleep(500);
  const after = await memory();

  const perInterval = calls / (elapsed / INTERVAL_MS);
  const met = perInterval <= SERIES && perInterval >= SERIES * 0.95;
  const heapPer = (opened.memory.heapUsed - before.memory.heapUsed) / SUBSCRIBERS;
  const rssPer = (opened.memory.rss - before.memory.rss) / SUBSCRIBERS;
  console.log(`| subscribers | series | interval ms | Braze calls in ${INTERVALS} intervals | calls / interval | pushes received | failed streams | heap / subscriber | RSS / subscriber |`);
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  console.log(
    `| ${SUBSCRIBERS} | ${SERIES} | ${INTERVAL_MS} | ${calls} | ${perInterval.toFixed(2)} | ${received} | ${failed} | ${(heapPer / 1024).toFixed(1)} KiB | ${(rssPer / 1024).toFixed(1)} KiB |`,
  );
  console.log(
    `\nchild after GC: heap ${mib(before.memory.heapUsed)} MiB → ${mib(opened.memory.heapUsed)} MiB with ${opened.live.subscriptions} subscriptions on ${opened.live.polls} polls (${mib(during.memory.heapUsed)} MiB after ${INTERVALS} intervals) → ${mib(after.memory.heapUsed)} MiB after all left (${after.live.subscriptions} subscriptions, ${after.live.polls} polls); RSS ${mib(before.memory.rss)} → ${mib(opened.memory.rss)} → ${mib(after.memory.rss)} MiB`,
  );
  console.log(`\n| target | result |\n|---|---|\n| Braze calls per interval = distinct series (${SERIES}) | ${met ? 'MET' : 'MISSED'}: ${perInterval.toFixed(2)} |`);
} finally {
  await stopChild(child);
}
