// npm run bench:memory [-- kinds|gateway|replica]: do the caches' byte bounds bound the heap they really hold,
// for the worst shapes of what they keep? And does a replica with every bound at its worst at once fit in
// 512 MiB (replica: bench/scenarios/replica.ts, the built gateway, about 2 minutes)? All three parts by default.
//
// kinds (bench/targets/memoryKinds.ts, a child under --expose-gc, seconds): what V8 keeps per kind of value
// beside src/cache/heapBytes.ts's estimate of it; the whole-response store filled with the worst
// response shapes (testkit/responseShapes.ts) against its bound; each endpoint's cached answer
// against the answer cache's estimate; parsed documents of the worst shapes against the document
// cache's estimate. MET where the estimate is at least what is kept.
//
// gateway: one gateway per scenario (bench/targets/memoryTarget.ts, a child under --expose-gc, the fake Braze
// in it), filled over HTTP with distinct requests of one worst shape. The heap after full collections
// is read before and after the cache under test fills. MET when what that cache holds is at most its
// bound plus 2 % and 1 MiB (what V8 compiles and the process's tables grow by meanwhile).
//   - response cache (RESPONSE_CACHE_MAX_BYTES): every request is sent once with `Cache-Control:
//     no-cache` (the document and answer caches fill, the response cache is neither read nor filled),
//     the heap is read, then once without. Serving from the response cache also keeps, per document, the
//     plugin's copy of it with `__typename` added (it lives as long as the parsed document does), so the
//     same requests go to a second gateway keeping one response at most (RESPONSE_CACHE_MAX_ENTRIES=1):
//     the response cache holds the difference of the two growths. First the issue's shape, with its
//     numbers: 140 documents × 49 aliases of one 1,000-point series selecting
//     `points { count @skip(if: true) }`. Responses kept are counted with If-None-Match (304: kept).
//   - answer cache (CACHE_MAX_BYTES): distinct series, sent with no-cache (the response cache stays out).
//   - document cache (DOCUMENT_CACHE_MAX_BYTES): distinct documents, the response cache keeping one
//     response at most.
//   Both after WARM_UP requests repeating the first: V8 compiles megabytes of code over the first
//   thousand requests, which the baseline then holds.
// Run in full it takes about 4 minutes on 2 cores; each scenario alone, under one.
//
// Environment: BENCH_MEMORY_SCENARIOS: comma-separated scenario names (default: all); BENCH_MEMORY_SCALE
// (1): multiplies every scenario's request count (0.5 for a quicker run; the issue's scenario keeps
// 140 documents at 1). Each scenario runs in a fresh child, stopped at its end (SIGTERM, then SIGKILL).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cpus } from 'node:os';
import { createInterface } from 'node:readline';
import { DEFAULT_QUERY_LIMITS } from '../../src/config/index.js';
import { ENDING_AT, numberEnv } from '../lib/common.js';
import { aliases, limitDashboard, tokens } from '../lib/documents.js';
import { stopChild } from '../lib/process.js';
import { BENCH_TOKEN } from '../lib/protocol.js';

const MiB = 1024 * 1024;
/** What a gateway's heap grows by besides the cache under test: code compiled, tables grown. */
const margin = (bound: number): number => 0.02 * bound + MiB;
const SCALE = numberEnv('BENCH_MEMORY_SCALE', 1, 0.01);
const CONCURRENCY = 4;
/** Requests repeating the first before the baseline of the answer and document scenarios. */
const WARM_UP = 400;

// ---------------------------------------------------------------------------------------------------
// Scenarios

type CacheUnderTest = 'response' | 'answer' | 'document';

interface Scenario {
  readonly name: string;
  readonly cache: CacheUnderTest;
  /** The bound's variable and value. */
  readonly bound: { readonly variable: string; readonly bytes: number };
  readonly env?: Readonly<Record<string, string>>;
  readonly bigCounts?: boolean;
  /** Distinct request bodies. */
  readonly bodies: () => string[];
  /** A response's data must not be null (true for queries that should succeed). */
  readonly succeeds: boolean;
}

const count = (n: number): number => Math.max(2, Math.round(n * SCALE));
const body = (query: string, variables?: Record<string, unknown>): string => JSON.stringify({ query, ...(variables ? { variables } : {}) });
const ALIASES = 49;


const SCENARIOS: readonly Scenario[] = [
  {
    name: 'response: the issue (140 × 49 aliases × 1,000 empty points)',
    cache: 'response',
    bound: { variable: 'RESPONSE_CACHE_MAX_BYTES', bytes: 32 * MiB },
    succeeds: true,
    bodies: () =>
      Array.from({ length: SCALE >= 1 ? 140 : count(140) }, (_, d) =>
        body(`query Issue${d} { ${aliases(ALIASES, (i) => `a${i}: eventSeries(event: "issue", length: 1000, endingAt: "${ENDING_AT}") { points { count @skip(if: true) } }`)} }`),
      ),
  },
  {
    name: 'response: hash-table points (a fragment first)',
    cache: 'response',
    bound: { variable: 'RESPONSE_CACHE_MAX_BYTES', bytes: 32 * MiB },
    succeeds: true,
    bodies: () =>
      Array.from({ length: count(60) }, (_, d) =>
        body(
          `query Hash${d} { ${aliases(ALIASES, (i) => `a${i}: eventSeries(event: "hash", length: 1000, endingAt: "${ENDING_AT}") { points { ... on EventSeriesPoint { time @skip(if: true) } count } }`)} }`,
        ),
      ),
  },
  {
    name: 'response: counts near 2^31',
    cache: 'response',
    bound: { variable: 'RESPONSE_CACHE_MAX_BYTES', bytes: 32 * MiB },
    bigCounts: true,
    succeeds: true,
    bodies: () =>
      Array.from({ length: count(40) }, (_, d) => body(`query Big${d} { ${aliases(ALIASES, (i) => `a${i}: eventSeries(event: "big", length: 1000, endingAt: "${ENDING_AT}") { points { count } }`)} }`)),
  },
  {
    name: 'response: long two-byte strings (49 event names of 255 €)',
    cache: 'response',
    bound: { variable: 'RESPONSE_CACHE_MAX_BYTES', bytes: 8 * MiB },
    env: { RESPONSE_CACHE_MAX_BYTES: String(8 * MiB) },
    succeeds: true,
    bodies: () =>
      Array.from({ length: count(400) }, (_, d) =>
        body(`query Wide${d} { ${aliases(ALIASES, (i) => `a${i}: eventSeries(event: "${String(i).padStart(2, '0')}${'€'.repeat(253)}", length: 1, endingAt: "${ENDING_AT}") { event }`)} }`),
      ),
  },
  {
    name: 'response: tiny responses (49 aliased __typename)',
    cache: 'response',
    bound: { variable: 'RESPONSE_CACHE_MAX_BYTES', bytes: 4 * MiB },
    env: { RESPONSE_CACHE_MAX_BYTES: String(4 * MiB), RESPONSE_CACHE_MAX_ENTRIES: '100000' },
    succeeds: true,
    bodies: () => Array.from({ length: count(2000) }, (_, d) => body(`query Tiny${d} { ${aliases(ALIASES, (i) => `t${i}: __typename`)} }`)),
  },
  {
    name: 'answer: 1,000-point series, counts near 2^31',
    cache: 'answer',
    bound: { variable: 'CACHE_MAX_BYTES', bytes: 32 * MiB },
    env: { CACHE_MAX_BYTES: String(32 * MiB) },
    bigCounts: true,
    succeeds: true,
    bodies: () =>
      Array.from({ length: count(300) }, (_, d) =>
        body(`query A($e: String!) { s: eventSeries(event: $e, length: 1000, endingAt: "${ENDING_AT}") { length } }`, { e: `answer-${d}` }),
      ),
  },
  {
    name: 'answer: 1-point series (many small answers)',
    cache: 'answer',
    bound: { variable: 'CACHE_MAX_BYTES', bytes: 8 * MiB },
    env: { CACHE_MAX_BYTES: String(8 * MiB), CACHE_MAX_ENTRIES: '1000000' },
    succeeds: true,
    bodies: () => {
      const variables = Array.from({ length: ALIASES }, (_, i) => `$e${i}: String!`).join(', ');
      const query = `query Small(${variables}) { ${aliases(ALIASES, (i) => `a${i}: eventSeries(event: $e${i}, length: 1, endingAt: "${ENDING_AT}") { total }`)} }`;
      return Array.from({ length: count(400) }, (_, d) => body(query, Object.fromEntries(Array.from({ length: ALIASES }, (_, i) => [`e${i}`, `small-${d}-${i}`]))));
    },
  },
  {
    name: 'document: 50-chart dashboards at the token limit',
    cache: 'document',
    bound: { variable: 'DOCUMENT_CACHE_MAX_BYTES', bytes: 32 * MiB },
    env: { DOCUMENT_CACHE_MAX_BYTES: String(32 * MiB), RESPONSE_CACHE_MAX_ENTRIES: '1' },
    succeeds: true,
    bodies: () => Array.from({ length: count(120) }, (_, d) => body(limitDashboard(d))),
  },
  {
    name: 'document: 2,000 tokens of unknown fields (100 validation errors)',
    cache: 'document',
    bound: { variable: 'DOCUMENT_CACHE_MAX_BYTES', bytes: 32 * MiB },
    env: { DOCUMENT_CACHE_MAX_BYTES: String(32 * MiB), RESPONSE_CACHE_MAX_ENTRIES: '1' },
    succeeds: false,
    bodies: () => Array.from({ length: count(120) }, (_, d) => body(`query U${d} { ${Array.from({ length: DEFAULT_QUERY_LIMITS.maxTokens - 10 }, (_, i) => `u${i}`).join(' ')} }`)),
  },
  {
    name: 'document: a default of 14,000 \\u20ac escapes, never read',
    cache: 'document',
    bound: { variable: 'DOCUMENT_CACHE_MAX_BYTES', bytes: 32 * MiB },
    env: { DOCUMENT_CACHE_MAX_BYTES: String(32 * MiB), RESPONSE_CACHE_MAX_ENTRIES: '1' },
    // The variable is given, so its default is never read: graphql-js' string stays the chain of pieces it built.
    succeeds: true,
    bodies: () =>
      Array.from({ length: count(150) }, (_, d) =>
        body(`query E${d}($e: String = "${'\\u20ac'.repeat(14_000)}") { s: eventSeries(event: $e, length: 1, endingAt: "${ENDING_AT}") { total } }`, { e: 'escapes' }),
      ),
  },
  {
    name: 'document: a default of 30,000 \\n escapes, never read',
    cache: 'document',
    bound: { variable: 'DOCUMENT_CACHE_MAX_BYTES', bytes: 32 * MiB },
    env: { DOCUMENT_CACHE_MAX_BYTES: String(32 * MiB), RESPONSE_CACHE_MAX_ENTRIES: '1' },
    succeeds: true,
    bodies: () =>
      Array.from({ length: count(150) }, (_, d) =>
        body(`query N${d}($e: String = "${'\\n'.repeat(30_000)}") { s: eventSeries(event: $e, length: 1, endingAt: "${ENDING_AT}") { total } }`, { e: 'escapes' }),
      ),
  },
  {
    name: 'document: 390 selection sets (`points { count }` repeated)',
    cache: 'document',
    bound: { variable: 'DOCUMENT_CACHE_MAX_BYTES', bytes: 32 * MiB },
    env: { DOCUMENT_CACHE_MAX_BYTES: String(32 * MiB), RESPONSE_CACHE_MAX_ENTRIES: '1' },
    succeeds: true,
    bodies: () => Array.from({ length: count(150) }, (_, d) => body(`query S${d} { s: eventSeries(event: "sets", length: 1, endingAt: "${ENDING_AT}") { ${'points { count } '.repeat(390)} } }`)),
  },
];

// ---------------------------------------------------------------------------------------------------
// The child

interface Child {
  readonly process: ChildProcess;
  readonly url: string;
  heap(): Promise<{ heapUsed: number; rss: number }>;
}

async function startChild(scenario: Scenario): Promise<Child> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/targets/memoryTarget.ts'], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    env: {
      ...process.env,
      BENCH_MEMORY_GATEWAY_ENV: JSON.stringify(scenario.env ?? {}),
      ...(scenario.bigCounts ? { BENCH_MEMORY_BIG_COUNTS: '1' } : {}),
    },
  });
  process.once('exit', () => child.kill('SIGKILL'));
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('bench/targets/memoryTarget.ts printed nothing within 30 s')), 30_000);
    child.once('exit', (code, signal) => reject(new Error(`bench/targets/memoryTarget.ts exited at start (${signal ?? `exit code ${code}`})`)));
    createInterface({ input: child.stdout! }).once('line', (text) => {
      clearTimeout(timer);
      resolve(text);
    });
  });
  const { url } = JSON.parse(line) as { url: string };
  return {
    process: child,
    url,
    async heap() {
      child.send('heap');
      const [message] = (await once(child, 'message')) as [{ heapUsed: number; rss: number }];
      return message;
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Requests

interface Sent {
  ok: number;
  failed: number;
  firstFailure?: string;
  /** Each body's ETag, when its response had one. */
  readonly etags: (string | null)[];
  /** Each body's status. */
  readonly statuses: number[];
}

/** Every body once, CONCURRENCY at a time. */
async function sendAll(url: string, bodies: readonly string[], headers: (index: number) => Record<string, string>, succeeds: boolean): Promise<Sent> {
  const sent: Sent = { ok: 0, failed: 0, etags: [], statuses: [] };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < bodies.length) {
      const index = next++;
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_TOKEN}`, ...headers(index) },
        body: bodies[index]!,
      });
      const text = await response.text();
      sent.etags[index] = response.headers.get('etag');
      sent.statuses[index] = response.status;
      const good = response.status === 304 || (response.status === 200 && (succeeds ? !text.includes('"errors"') : text.includes('"errors"')));
      if (good) sent.ok++;
      else {
        sent.failed++;
        sent.firstFailure ??= `${response.status} ${text.slice(0, 300)}`;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return sent;
}

const FRESH = (): Record<string, string> => ({ 'cache-control': 'no-cache' });
const PLAIN = (): Record<string, string> => ({});

/** Responses the response cache holds: the most recent first, asked with their ETag until one is not a 304. */
async function responsesKept(url: string, bodies: readonly string[], etags: readonly (string | null)[]): Promise<number> {
  let kept = 0;
  for (let index = bodies.length - 1; index >= 0; index--) {
    const etag = etags[index];
    if (etag === null || etag === undefined) break;
    // max-age=0, not fetch()'s no-cache, which would bypass the cache.
    const sent = await sendAll(url, [bodies[index]!], () => ({ 'if-none-match': etag, 'cache-control': 'max-age=0' }), true);
    if (sent.statuses[0] !== 304) break;
    kept++;
  }
  return kept;
}

async function documentCacheBytes(url: string): Promise<number | undefined> {
  const text = await (await fetch(new URL('/metrics', url))).text();
  const match = /^braze_gateway_document_cache_bytes (\d+)/m.exec(text);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

interface Filled {
  readonly growth: number;
  readonly etags: readonly (string | null)[];
  readonly failed: number;
  readonly firstFailure: string | undefined;
  readonly kept: number | undefined;
  readonly estimated: number | undefined;
}

/** One child: the heap grown by filling the cache under test with `bodies`. */
async function fill(scenario: Scenario, bodies: readonly string[], env: Readonly<Record<string, string>>, countKept: boolean): Promise<Filled> {
  const child = await startChild({ ...scenario, env });
  try {
    let failed = 0;
    let firstFailure: string | undefined;
    const tally = (sent: Sent): Sent => {
      failed += sent.failed;
      firstFailure ??= sent.firstFailure;
      return sent;
    };
    let filled: Sent;
    let before: { heapUsed: number };
    if (scenario.cache === 'response') {
      // Everything but the response cache fills first.
      tally(await sendAll(child.url, bodies, FRESH, scenario.succeeds));
      before = await child.heap();
      filled = tally(await sendAll(child.url, bodies, PLAIN, scenario.succeeds));
    } else {
      // The first request, WARM_UP times, before the baseline: V8 compiles the code every request runs
      // (megabytes over the first thousand requests) and what is built once (a document all share) is in it.
      const headers = scenario.cache === 'answer' ? FRESH : PLAIN;
      tally(await sendAll(child.url, Array.from({ length: WARM_UP }, () => bodies[0]!), headers, scenario.succeeds));
      before = await child.heap();
      filled = tally(await sendAll(child.url, bodies.slice(1), headers, scenario.succeeds));
    }
    const after = await child.heap();
    return {
      growth: after.heapUsed - before.heapUsed,
      etags: filled.etags,
      failed,
      firstFailure,
      kept: countKept ? await responsesKept(child.url, bodies, filled.etags) : undefined,
      estimated: scenario.cache === 'document' ? await documentCacheBytes(child.url) : undefined,
    };
  } finally {
    await stopChild(child.process);
  }
}

interface Outcome {
  readonly scenario: Scenario;
  readonly requests: number;
  /** Heap grown with the cache under test filling. */
  readonly growth: number;
  /** The same with the response cache keeping one response (response scenarios only). */
  readonly baseGrowth: number | undefined;
  /** What the cache under test holds. */
  readonly held: number;
  readonly kept: number | undefined;
  readonly estimated: number | undefined;
  readonly failed: number;
  readonly firstFailure: string | undefined;
  readonly seconds: number;
}

async function run(scenario: Scenario): Promise<Outcome> {
  const started = performance.now();
  const bodies = scenario.bodies();
  const mostTokens = Math.max(...bodies.map((text) => tokens((JSON.parse(text) as { query: string }).query)));
  if (mostTokens > DEFAULT_QUERY_LIMITS.maxTokens) throw new Error(`${scenario.name}: ${mostTokens} tokens, above QUERY_MAX_TOKENS`);
  const env = scenario.env ?? {};
  const filled = await fill(scenario, bodies, env, scenario.cache === 'response');
  const base = scenario.cache === 'response' ? await fill(scenario, bodies, { ...env, RESPONSE_CACHE_MAX_ENTRIES: '1' }, false) : undefined;
  return {
    scenario,
    requests: bodies.length,
    growth: filled.growth,
    baseGrowth: base?.growth,
    held: filled.growth - (base?.growth ?? 0),
    kept: filled.kept,
    estimated: filled.estimated,
    failed: filled.failed + (base?.failed ?? 0),
    firstFailure: filled.firstFailure ?? base?.firstFailure,
    seconds: (performance.now() - started) / 1000,
  };
}

// ---------------------------------------------------------------------------------------------------
// kinds

async function kinds(): Promise<void> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/targets/memoryKinds.ts'], { stdio: ['ignore', 'inherit', 'inherit'] });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`bench/targets/memoryKinds.ts exited with ${code}`);
}

// ---------------------------------------------------------------------------------------------------

const mib = (bytes: number | undefined): string => (bytes === undefined ? '—' : (bytes / MiB).toFixed(1));

async function gateway(): Promise<void> {
  const wanted = process.env['BENCH_MEMORY_SCENARIOS']?.split(',').map((name) => name.trim());
  const scenarios = wanted === undefined ? SCENARIOS : SCENARIOS.filter((scenario) => wanted.some((name) => scenario.name.startsWith(name)));
  const outcomes: Outcome[] = [];
  for (const scenario of scenarios) {
    process.stderr.write(`bench:memory: ${scenario.name} …\n`);
    const outcome = await run(scenario);
    process.stderr.write(`bench:memory:   ${mib(outcome.held)} MiB held in ${outcome.seconds.toFixed(0)} s\n`);
    outcomes.push(outcome);
  }
  const lines = [
    `Machine: ${cpus().length} cores, Node ${process.version}. One gateway per run (bench/targets/memoryTarget.ts, fake Braze in the same process); heap read after two full collections.`,
    '',
    '| scenario | requests | bound (MiB) | heap growth (MiB) | with one response kept (MiB) | held by the cache (MiB) | held ÷ bound | responses kept | document cache\'s count (MiB) | bad responses | target: held ≤ bound + 2 % + 1 MiB |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    ...outcomes.map(
      (o) =>
        `| ${o.scenario.name} | ${o.requests} | ${mib(o.scenario.bound.bytes)} (${o.scenario.bound.variable}) | ${mib(o.growth)} | ${mib(o.baseGrowth)} | ${mib(o.held)} | ${(o.held / o.scenario.bound.bytes).toFixed(2)} | ${o.kept ?? '—'} | ${mib(o.estimated)} | ${o.failed} | ${o.held <= o.scenario.bound.bytes + margin(o.scenario.bound.bytes) ? 'MET' : 'MISSED'} |`,
    ),
    ...outcomes.filter((o) => o.firstFailure !== undefined).map((o) => `\nFirst bad response of "${o.scenario.name}": ${o.firstFailure}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

const part = process.argv[2];
if (part !== undefined && part !== 'kinds' && part !== 'gateway' && part !== 'replica') throw new Error(`bench:memory: unknown part "${part}" (kinds, gateway or replica)`);
if (part === undefined || part === 'kinds') await kinds();
if (part === undefined || part === 'gateway') await gateway();
if (part === undefined || part === 'replica') process.stdout.write(await (await import('./replica.js')).runReplicaBench());
