// npm run bench: load against the gateway and a local upstream with fixed latency, all in one run so
// ratios between scenarios hold on a noisy machine. Prints a markdown table.
// BENCH_SECONDS (default 5) sets each scenario's duration.
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { createInterface } from 'node:readline';
import { Pool } from 'undici';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5);
const LATENCY_MS = 20;

interface Scenario {
  name: string;
  target: 'gateway' | 'upstream';
  connections: number;
  /** Body to POST (GraphQL) or path to GET (upstream). */
  request: () => { path: string; body?: string };
}

const at = '2024-03-10T00:00:00Z';
const gql = (query: string) => () => ({ path: '/graphql', body: JSON.stringify({ query }) });
const one = `{ eventSeries(event: "purchase", length: 30, endingAt: "${at}") { total points { time count } } }`;
const aliases = `{ ${[1, 2, 3, 4, 5]
  .map((i) => `a${i}: eventSeries(event: "purchase", length: 30, endingAt: "${at}") { total points { time count } }`)
  .join(' ')} }`;

const scenarios: Scenario[] = [
  {
    name: 'upstream alone (20 ms fixed latency), 1 connection',
    target: 'upstream',
    connections: 1,
    request: () => ({ path: `/events/data_series?event=purchase&length=30&unit=day&ending_at=${at}` }),
  },
  { name: 'one eventSeries, 1 connection', target: 'gateway', connections: 1, request: gql(one) },
  { name: 'the same series under 5 aliases, 1 connection', target: 'gateway', connections: 1, request: gql(aliases) },
  { name: 'one eventSeries, 50 connections', target: 'gateway', connections: 50, request: gql(one) },
  { name: 'ceiling: { __typename }, 50 connections', target: 'gateway', connections: 50, request: gql('{ __typename }') },
];

interface Row {
  name: string;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  upstreamPerRequest: number;
  errors: number;
}

async function main(): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/target.ts'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, BENCH_UPSTREAM_LATENCY_MS: String(LATENCY_MS) },
  });
  const first = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
  const urls = JSON.parse(first) as { gateway: string; upstream: string };
  const gatewayOrigin = new URL(urls.gateway).origin;
  const rows: Row[] = [];
  try {
    for (const scenario of scenarios) {
      const origin = scenario.target === 'gateway' ? gatewayOrigin : urls.upstream;
      await load(origin, scenario, 1); // warm-up: JIT, sockets
      const before = await upstreamCalls(urls.upstream);
      const result = await load(origin, scenario, SECONDS);
      const after = await upstreamCalls(urls.upstream);
      rows.push({
        name: scenario.name,
        ...result,
        upstreamPerRequest: scenario.target === 'gateway' ? (after - before) / result.requests : 1,
      });
      process.stderr.write(`done: ${scenario.name}\n`);
    }
  } finally {
    child.kill('SIGTERM');
  }
  print(rows);
}

async function load(origin: string, scenario: Scenario, seconds: number) {
  const pool = new Pool(origin, { connections: scenario.connections, pipelining: 1 });
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + seconds * 1000;
  const worker = async (): Promise<void> => {
    while (performance.now() < until) {
      const { path, body } = scenario.request();
      const started = performance.now();
      const response = await pool.request({
        path,
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body }),
      });
      const text = await response.body.text();
      latencies.push(performance.now() - started);
      if (response.statusCode !== 200 || text.includes('"errors"')) errors++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: scenario.connections }, worker));
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  return { requests: latencies.length, rps: latencies.length / elapsed, p50: pct(0.5), p99: pct(0.99), errors };
}

async function upstreamCalls(upstream: string): Promise<number> {
  const response = await fetch(`${upstream}/__calls`);
  return ((await response.json()) as { calls: number }).calls;
}

function print(rows: Row[]): void {
  const cores = cpus().length;
  const lines = [
    `Machine: ${cores} cores, Node ${process.version}; ${SECONDS} s per scenario; upstream latency ${LATENCY_MS} ms.`,
    '',
    '| scenario | requests | req/s | p50 ms | p99 ms | upstream calls / request | errors |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.requests} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.upstreamPerRequest.toFixed(2)} | ${r.errors} |`,
    ),
  ];
  const upstream = rows[0];
  const gateway = rows[1];
  if (upstream && gateway) {
    lines.push('', `Added latency at p50 (gateway − upstream alone): ${(gateway.p50 - upstream.p50).toFixed(2)} ms.`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
