// npm run bench:documents: does memory stay bounded when every request sends a different document?
// Parsed documents are cached (yoga's parse/validation cache); this checks what that cache retains
// when clients send many distinct documents of the largest size the default limits allow.
//
// The gateway runs as a child, its production entry point (dist/main.js, built by the npm script),
// with --max-old-space-size=768 (a ~1 GiB container) and an inspector on 127.0.0.1 that this script
// uses to force garbage collection and read process.memoryUsage() from outside, so the gateway needs
// no hook of its own. Upstream is the tests' fake Braze (testkit/fakeBraze.ts), in this process.
//
// Load: BENCH_DOCUMENTS (10,000) distinct documents, BENCH_DOCUMENTS_CONNECTIONS (4) at a time. Each is a
// 50-chart dashboard at the default limits' edge: 50 aliases (QUERY_MAX_ALIASES), just under 2,000
// tokens (QUERY_MAX_TOKENS), a request body just under 100 KiB (QUERY_MAX_REQUEST_BODY_BYTES), made
// distinct by the document number in its operation and alias names. Every document asks the same 50
// series, so the series cache answers after the first request and what grows is the documents alone.
//
// Measured: RSS every 250 ms (peak), and after the load RSS and heap after two forced full GCs and
// a 2 s pause. MET when the process survived, every response was 200 without errors, and RSS after
// GC is under BENCH_DOCUMENTS_RSS_BOUND_MIB (512).
//
// Bounded: a watchdog ends an overrun, and the child is always stopped (SIGTERM, then SIGKILL after 5 s).
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { createInterface } from 'node:readline';
import { Lexer, Source, TokenKind } from 'graphql';
import { WebSocket } from 'undici';
import { DEFAULT_QUERY_LIMITS } from '../../src/config/index.js';
import { startFakeBraze } from '../../testkit/fakeBraze.js';
import { ENDING_AT, numberEnv } from '../lib/common.js';
import { rssMiB, stopChild } from '../lib/process.js';
import { BENCH_API_KEY, BENCH_TOKEN } from '../lib/protocol.js';

const DOCUMENTS = numberEnv('BENCH_DOCUMENTS', 10_000, 1);
const CONNECTIONS = numberEnv('BENCH_DOCUMENTS_CONNECTIONS', 4, 1);
const RSS_BOUND_MIB = numberEnv('BENCH_DOCUMENTS_RSS_BOUND_MIB', 512, 1);
const HEAP_LIMIT_MIB = 768;
const MiB = 1024 * 1024;
/** Room left under each limit, so the documents are accepted whatever the exact counting. */
const TOKEN_MARGIN = 5;
const BODY_MARGIN = 64;

// ---------------------------------------------------------------------------------------------------
// The documents

const SERIES_FIELDS = 'event unit length appId segmentId endingAt total points { time count }';

function countTokens(document: string): number {
  const lexer = new Lexer(new Source(document));
  let tokens = 0;
  while (lexer.advance().kind !== TokenKind.EOF) tokens++;
  return tokens;
}

function dashboard(index: number, aliasPadding: number, typenames: number): string {
  const charts = Array.from(
    { length: DEFAULT_QUERY_LIMITS.maxAliases },
    (_, chart) =>
      `  c${chart}_${index}_${'x'.repeat(aliasPadding)}: eventSeries(event: "event-${chart}", length: 7, unit: DAY, ` +
      `endingAt: "${ENDING_AT}", appId: "app", segmentId: "segment") { ${SERIES_FIELDS} }`,
  );
  const filler = typenames > 0 ? [`  ${Array.from({ length: typenames }, () => '__typename').join(' ')}`] : [];
  return `query Dashboard${index} {\n${[...charts, ...filler].join('\n')}\n}`;
}

const bodyOf = (document: string): string => JSON.stringify({ query: document });

/** The padding that brings the largest-numbered document to the limits (every other one is at most as big). */
function fitToLimits(): { aliasPadding: number; typenames: number; tokens: number; bodyBytes: number } {
  const last = DOCUMENTS - 1;
  const baseTokens = countTokens(dashboard(last, 0, 0));
  const typenames = Math.max(0, DEFAULT_QUERY_LIMITS.maxTokens - TOKEN_MARGIN - baseTokens);
  const baseBytes = Buffer.byteLength(bodyOf(dashboard(last, 0, typenames)));
  const aliasPadding = Math.floor((DEFAULT_QUERY_LIMITS.maxRequestBodyBytes - BODY_MARGIN - baseBytes) / DEFAULT_QUERY_LIMITS.maxAliases);
  const document = dashboard(last, aliasPadding, typenames);
  return { aliasPadding, typenames, tokens: countTokens(document), bodyBytes: Buffer.byteLength(bodyOf(document)) };
}

// ---------------------------------------------------------------------------------------------------
// The child and its inspector

interface Child {
  readonly process: ChildProcess;
  readonly graphql: URL;
  readonly inspector: string;
}

async function startChild(brazeUrl: string): Promise<Child> {
  const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_LIMIT_MIB}`, '--inspect=127.0.0.1:0', 'dist/main.js'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      PATH: process.env['PATH'] ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      // info: the "listening on" line says the port; nothing is logged per request at info.
      LOG_LEVEL: 'info',
      BRAZE_REST_ENDPOINT: brazeUrl,
      BRAZE_API_KEY: BENCH_API_KEY,
      AUTH_TOKENS: BENCH_TOKEN,
    },
  });
  process.once('exit', () => child.kill('SIGKILL'));
  let inspector: string | undefined;
  let graphql: URL | undefined;
  const lines = createInterface({ input: child.stderr! });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the gateway did not start within 30 s')), 30_000);
    child.once('exit', (code, signal) => reject(new Error(`the gateway exited at start (${signal ?? `exit code ${code}`})`)));
    lines.on('line', (line) => {
      inspector ??= /Debugger listening on (ws:\/\/\S+)/.exec(line)?.[1];
      const listening = /listening on (http:\/\/\S+)/.exec(line)?.[1];
      if (listening !== undefined) graphql = new URL(listening.replace('localhost', '127.0.0.1'));
      else if (!/Debugger|For help, see/.test(line)) process.stderr.write(`gateway: ${line}\n`);
      if (inspector !== undefined && graphql !== undefined) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { process: child, graphql: graphql!, inspector: inspector! };
}

/** Just enough of the DevTools protocol: evaluate an expression, collect garbage. */
class Inspector {
  #next = 1;
  readonly #pending = new Map<number, (result: unknown) => void>();

  private constructor(readonly socket: WebSocket) {
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
      if (message.id !== undefined) this.#pending.get(message.id)?.(message.result);
    });
  }

  static async connect(url: string): Promise<Inspector> {
    const socket = new WebSocket(url);
    await new Promise((resolve, reject) => {
      socket.addEventListener('open', resolve, { once: true });
      socket.addEventListener('error', reject, { once: true });
    });
    return new Inspector(socket);
  }

  call(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method}: no answer within 60 s`)), 60_000);
      this.#pending.set(id, (result) => {
        clearTimeout(timer);
        this.#pending.delete(id);
        resolve(result);
      });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  async evaluate(expression: string): Promise<unknown> {
    const answer = (await this.call('Runtime.evaluate', { expression, returnByValue: true })) as { result?: { value?: unknown } };
    return answer.result?.value;
  }

  close(): void {
    this.socket.close();
  }
}

interface Settled {
  readonly rss: number | undefined;
  readonly heapUsed: number;
  readonly heapTotal: number;
}

/** Two full GCs, a pause for the allocator to give pages back, then RSS and the heap. */
async function settle(child: Child): Promise<Settled> {
  const session = await Inspector.connect(child.inspector);
  try {
    await session.call('HeapProfiler.collectGarbage');
    await session.call('HeapProfiler.collectGarbage');
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const usage = JSON.parse(String(await session.evaluate('JSON.stringify(process.memoryUsage())'))) as NodeJS.MemoryUsage;
    return { rss: rssMiB(child.process.pid!), heapUsed: usage.heapUsed / MiB, heapTotal: usage.heapTotal / MiB };
  } finally {
    session.close();
  }
}

// ---------------------------------------------------------------------------------------------------
// The run

interface Sent {
  ok: number;
  failed: number;
  firstFailure: string | undefined;
  /** RSS (no forced GC) after every tenth of the documents. */
  readonly trend: { sent: number; rss: number }[];
}

async function send(child: Child, aliasPadding: number, typenames: number): Promise<Sent> {
  const sent: Sent = { ok: 0, failed: 0, firstFailure: undefined, trend: [] };
  let next = 0;
  const step = Math.max(1, Math.floor(DOCUMENTS / 10));
  const worker = async (): Promise<void> => {
    while (next < DOCUMENTS && child.process.exitCode === null && child.process.signalCode === null) {
      const index = next++;
      try {
        const response = await fetch(child.graphql, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_TOKEN}` },
          body: bodyOf(dashboard(index, aliasPadding, typenames)),
          signal: AbortSignal.timeout(60_000),
        });
        const text = await response.text();
        if (response.status === 200 && !text.includes('"errors"')) sent.ok++;
        else {
          sent.failed++;
          sent.firstFailure ??= `${response.status} ${text.slice(0, 300)}`;
        }
      } catch (error) {
        sent.failed++;
        sent.firstFailure ??= error instanceof Error ? `${error.message} ${String(error.cause ?? '')}` : String(error);
      }
      const done = sent.ok + sent.failed;
      if (done % step === 0) {
        const rss = rssMiB(child.process.pid!);
        if (rss !== undefined) sent.trend.push({ sent: done, rss });
        process.stderr.write(`bench:documents: ${done} documents, RSS ${rss?.toFixed(0) ?? '—'} MiB\n`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  return sent;
}

async function documentCacheMetrics(child: Child): Promise<string[]> {
  try {
    const response = await fetch(new URL('/metrics', child.graphql), { signal: AbortSignal.timeout(5000) });
    return (await response.text()).split('\n').filter((line) => line.startsWith('braze_gateway_document_cache'));
  } catch {
    return [];
  }
}

async function main(): Promise<void> {
  const fit = fitToLimits();
  // Nothing reads the calls one by one, so none is kept.
  const braze = await startFakeBraze({ record: false });
  const child = await startChild(braze.url.href);
  const watchdog = setTimeout(() => {
    process.stderr.write('bench:documents: still running after 30 minutes, giving up\n');
    child.process.kill('SIGKILL');
    process.exit(1);
  }, 30 * 60_000);
  watchdog.unref();

  let peak = 0;
  const sampler = setInterval(() => {
    const rss = rssMiB(child.process.pid!);
    if (rss !== undefined && rss > peak) peak = rss;
  }, 250);
  let childEnd = '';
  let idle: Settled | undefined;
  let after: Settled | undefined;
  let sent: Sent | undefined;
  let metrics: string[] = [];
  const started = performance.now();
  try {
    idle = await settle(child);
    process.stderr.write(
      `bench:documents: ${DOCUMENTS} distinct documents (${fit.tokens} tokens, ${fit.bodyBytes} B bodies), ${CONNECTIONS} at a time …\n`,
    );
    sent = await send(child, fit.aliasPadding, fit.typenames);
    if (child.process.exitCode === null && child.process.signalCode === null) {
      after = await settle(child);
      metrics = await documentCacheMetrics(child);
    }
  } finally {
    clearInterval(sampler);
    clearTimeout(watchdog);
    const exited = child.process.exitCode !== null || child.process.signalCode !== null;
    childEnd = exited ? `died: ${child.process.signalCode ?? `exit code ${child.process.exitCode}`}` : await stopChild(child.process);
    await braze.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const survived = after !== undefined;
  const fmt = (n: number | undefined) => (n === undefined ? '—' : n.toFixed(0));
  const underBound = after?.rss !== undefined && after.rss < RSS_BOUND_MIB;
  const allOk = sent !== undefined && sent.ok === DOCUMENTS;
  const lines = [
    `Machine: ${cpus().length} cores, Node ${process.version}. Gateway: node --max-old-space-size=${HEAP_LIMIT_MIB} dist/main.js, ` +
      `default settings (series cache on), fake Braze on loopback.`,
    `Load: ${DOCUMENTS} distinct documents, ${CONNECTIONS} at a time, each ${fit.tokens} tokens (limit ${DEFAULT_QUERY_LIMITS.maxTokens}), ` +
      `${DEFAULT_QUERY_LIMITS.maxAliases} aliases, a ${fit.bodyBytes} B body (limit ${DEFAULT_QUERY_LIMITS.maxRequestBodyBytes}); ${seconds.toFixed(0)} s.`,
    '',
    '| MiB | RSS | heap used | heap total |',
    '|---|---:|---:|---:|',
    `| idle, after GC | ${fmt(idle?.rss)} | ${fmt(idle?.heapUsed)} | ${fmt(idle?.heapTotal)} |`,
    `| peak during the load | ${fmt(peak)} | | |`,
    `| after the load, after GC | ${fmt(after?.rss)} | ${fmt(after?.heapUsed)} | ${fmt(after?.heapTotal)} |`,
    '',
    `RSS (no forced GC) by documents sent: ${sent?.trend.map((t) => `${t.sent}: ${t.rss.toFixed(0)}`).join(', ') ?? '—'}`,
    `Responses: ${sent?.ok ?? 0} 200 without errors, ${sent?.failed ?? 0} failed${sent?.firstFailure ? ` (first: ${sent.firstFailure})` : ''}.`,
    `Gateway: ${childEnd}.`,
    ...(metrics.length > 0 ? ['', 'Document cache at the end:', ...metrics.map((line) => `    ${line}`)] : []),
    '',
    `- Survived ${DOCUMENTS} distinct documents under a ${HEAP_LIMIT_MIB} MiB heap limit, every response 200 without errors: ${survived && allOk ? 'MET' : 'MISSED'}`,
    `- RSS after GC under ${RSS_BOUND_MIB} MiB: ${underBound ? 'MET' : 'MISSED'} (${fmt(after?.rss)} MiB)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
