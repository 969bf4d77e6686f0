// Bytes on the wire (issue 23, goal 6), called at the end of `npm run bench` (bench/scenarios/run.ts) and
// runnable alone (`tsx bench/scenarios/wire.ts`). Skipped when BENCH_SCENARIOS is set without `wire`.
//
// 1. GraphiQL in Debian's Chromium (playwright-core, as the browser tests): the bytes a first visit
//    transfers (every response's headers and encoded body, workers and fonts included) until the
//    operation editor shows the example query and the network is idle; then the same for a second visit
//    in the same browser profile (the page revalidated by its ETag, the immutable files from its cache).
//    Skipped with a reason when /usr/bin/chromium is missing.
// 2. JSON answers: the size of a 365-point and a 30-point series as sent with no Accept-Encoding, with
//    gzip and with br, and of `{ __typename }` (under the threshold, never compressed).
// 3. What compression costs at the bench's load: the cache-on gateway (bench/targets/target.ts,
//    BENCH_TARGET=cache) answering the 365-point series (a cache hit, so compression is the biggest share
//    of the work it can be) at 50 connections, BENCH_WIRE_SECONDS (5) each, identity then gzip then br,
//    back to back: req/s, p50, and the gateway's CPU (user+sys from /proc) per request. The 30-point
//    series likewise, identity and br: the threshold's side of the ledger.
import { request } from 'node:http';
import { chromium } from 'playwright-core';
import { cpuSeconds, ENDING_AT, GRAPHQL_HEADERS, load, numberEnv, sleep, startTarget, stopChild } from '../lib/common.js';

const SECONDS = numberEnv('BENCH_WIRE_SECONDS', 5, 1);
const CONNECTIONS = 50;
/** The goals, in bytes (decimal, as the issue states them). */
const FIRST_LOAD_GOAL = 1_500_000;
const REPEAT_LOAD_GOAL = 20_000;
const COMPRESS_OVER = 1024;

// As test/helpers/browser.ts launches it (not imported: that module needs vitest's runner).
const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const BROWSER_WAIT_MS = 60_000;

const YEAR = `{ s: eventSeries(event: "purchase", length: 365, unit: DAY, endingAt: "${ENDING_AT}") { event unit endingAt total points { time count } } }`;
const MONTH = `{ s: eventSeries(event: "purchase", length: 30, unit: DAY, endingAt: "${ENDING_AT}") { event unit endingAt total points { time count } } }`;
const TINY = '{ __typename }';

interface Visit {
  readonly bytes: number;
  readonly requests: number;
}

/** One visit of GraphiQL in `context`: bytes transferred (headers + encoded bodies) until it is shown and the network idles. */
async function visit(context: import('playwright-core').BrowserContext, url: string): Promise<Visit> {
  const page = await context.newPage();
  const finished: Promise<number>[] = [];
  page.on('requestfinished', (finishedRequest) => {
    finished.push(finishedRequest.sizes().then((sizes) => sizes.responseHeadersSize + sizes.responseBodySize));
  });
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: BROWSER_WAIT_MS });
  await page
    .locator('section.graphiql-query-editor .monaco-editor .view-lines')
    .filter({ hasText: 'eventSeries' })
    .waitFor({ state: 'visible', timeout: BROWSER_WAIT_MS });
  await page.waitForLoadState('networkidle', { timeout: BROWSER_WAIT_MS });
  const sizes = await Promise.all(finished);
  await page.close();
  if (violations.length > 0) throw new Error(`GraphiQL reported CSP violations: ${violations.join(' | ')}`);
  return { bytes: sizes.reduce((sum, size) => sum + size, 0), requests: sizes.length };
}

async function graphiqlVisits(url: string): Promise<{ first: Visit; repeat: Visit } | string> {
  let browser: import('playwright-core').Browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: BROWSER_WAIT_MS });
  } catch (error) {
    return `Chromium unavailable (${CHROMIUM_PATH}): ${(error as Error).message.split('\n')[0]}`;
  }
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const first = await visit(context, url);
    const repeat = await visit(context, url);
    await context.close();
    return { first, repeat };
  } finally {
    await browser.close();
  }
}

/** Bytes of one answer as sent, with `acceptEncoding` (none: no header). */
function answerBytes(url: string, query: string, acceptEncoding?: string): Promise<{ bytes: number; encoding: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...GRAPHQL_HEADERS, ...(acceptEncoding ? { 'accept-encoding': acceptEncoding } : {}) };
    const sent = request(url, { method: 'POST', headers }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => (bytes += chunk.byteLength));
      response.on('end', () => {
        if (response.statusCode !== 200) reject(new Error(`${query} answered ${response.statusCode}`));
        else resolve({ bytes, encoding: String(response.headers['content-encoding'] ?? 'identity') });
      });
    });
    sent.on('error', reject);
    sent.end(JSON.stringify({ query }));
  });
}

interface CpuRow {
  readonly label: string;
  readonly rps: number;
  readonly p50: number;
  readonly cpuMicrosPerRequest: number;
  readonly failed: number;
}

async function measureCpu(url: string, pid: number, label: string, query: string, acceptEncoding?: string): Promise<CpuRow> {
  const options = {
    url,
    connections: CONNECTIONS,
    method: 'POST' as const,
    headers: { ...GRAPHQL_HEADERS, ...(acceptEncoding ? { 'accept-encoding': acceptEncoding } : {}) },
    body: JSON.stringify({ query }),
  };
  await load({ ...options, seconds: 1, drain: false });
  await sleep(250);
  const before = cpuSeconds(pid) ?? Number.NaN;
  const result = await load({ ...options, seconds: SECONDS, drain: true });
  const after = cpuSeconds(pid) ?? Number.NaN;
  return {
    label,
    rps: result.rps,
    p50: result.p50,
    cpuMicrosPerRequest: ((after - before) * 1e6) / result.completed,
    failed: result.non2xx + result.errors + result.bodiesWithErrors,
  };
}

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;
const mark = (pass: boolean) => (pass ? 'MET' : 'MISSED');

export async function runWireBench(): Promise<string> {
  const only = process.env['BENCH_SCENARIOS']?.split(',').map((id) => id.trim());
  if (only !== undefined && !only.includes('wire')) return '';
  process.stderr.write(`bench: wire: GraphiQL in Chromium, answer sizes, compression CPU at ${CONNECTIONS} connections (${SECONDS} s each) …\n`);
  const target = await startTarget({ BENCH_TARGET: 'cache', BENCH_UPSTREAM_LATENCY_MS: process.env['BENCH_UPSTREAM_LATENCY_MS'] ?? '20' });
  const url = target.info.gatewayCache;
  const lines: string[] = ['', '## Bytes on the wire (issue 23, goal 6)', ''];
  try {
    const visits = await graphiqlVisits(url);

    const sizes: string[] = [];
    let bigCompressed = true;
    for (const [label, query] of [['365-point series', YEAR], ['30-point series', MONTH], ['{ __typename }', TINY]] as const) {
      const plain = await answerBytes(url, query);
      const gzip = await answerBytes(url, query, 'gzip');
      const br = await answerBytes(url, query, 'gzip, deflate, br');
      sizes.push(`${label} ${plain.bytes} B → gzip ${gzip.bytes} B (${gzip.encoding}), br ${br.bytes} B (${br.encoding})`);
      const shouldCompress = plain.bytes > COMPRESS_OVER;
      if (shouldCompress !== (br.encoding === 'br' && gzip.encoding === 'gzip')) bigCompressed = false;
    }

    const rows: CpuRow[] = [];
    rows.push(await measureCpu(url, target.info.pid, '365 points, identity', YEAR));
    rows.push(await measureCpu(url, target.info.pid, '365 points, gzip', YEAR, 'gzip'));
    rows.push(await measureCpu(url, target.info.pid, '365 points, br', YEAR, 'br'));
    rows.push(await measureCpu(url, target.info.pid, '30 points, identity', MONTH));
    rows.push(await measureCpu(url, target.info.pid, '30 points, br', MONTH, 'br'));

    lines.push('| answer | req/s | p50 ms | gateway CPU µs/request | failed |', '|---|---|---|---|---|');
    for (const row of rows) lines.push(`| ${row.label} | ${row.rps.toFixed(0)} | ${row.p50} | ${row.cpuMicrosPerRequest.toFixed(0)} | ${row.failed} |`);
    lines.push('', `Sizes as sent: ${sizes.join('; ')}.`, '', '### Targets', '');
    if (typeof visits === 'string') {
      lines.push(`- GraphiQL first load ≤ ${kb(FIRST_LOAD_GOAL)}: not measured: ${visits}`, `- GraphiQL repeat load ≤ ${kb(REPEAT_LOAD_GOAL)}: not measured`);
    } else {
      lines.push(`- GraphiQL first load ≤ ${kb(FIRST_LOAD_GOAL)} transferred: ${kb(visits.first.bytes)} in ${visits.first.requests} responses: ${mark(visits.first.bytes <= FIRST_LOAD_GOAL)}`);
      lines.push(`- GraphiQL repeat load ≤ ${kb(REPEAT_LOAD_GOAL)} transferred: ${kb(visits.repeat.bytes)} in ${visits.repeat.requests} responses: ${mark(visits.repeat.bytes <= REPEAT_LOAD_GOAL)}`);
    }
    lines.push(`- JSON answers over ${COMPRESS_OVER} B compressed (br and gzip), smaller ones not: ${mark(bigCompressed)}`);
    const cost = (base: string, compressed: string) => {
      const a = rows.find((row) => row.label === base);
      const b = rows.find((row) => row.label === compressed);
      return a && b ? `${compressed}: +${(b.cpuMicrosPerRequest - a.cpuMicrosPerRequest).toFixed(0)} µs CPU/request (${((b.cpuMicrosPerRequest / a.cpuMicrosPerRequest - 1) * 100).toFixed(0)} %), ${((b.rps / a.rps) * 100).toFixed(0)} % of identity's req/s` : '';
    };
    lines.push(`- Compression's CPU at ${CONNECTIONS} connections (information): ${[cost('365 points, identity', '365 points, gzip'), cost('365 points, identity', '365 points, br'), cost('30 points, identity', '30 points, br')].join('; ')}`);
  } finally {
    process.stderr.write(`bench: wire target stopped: ${await stopChild(target.child)}\n`);
  }
  return `${lines.join('\n')}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(await runWireBench());
