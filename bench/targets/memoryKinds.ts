// The "kinds" part of npm run bench:memory (bench/scenarios/memory.ts), run as a child under --expose-gc: what V8
// keeps per kind of value the caches hold, beside what src/cache/heapBytes.ts, the answer cache and
// the document cache count for it. Each figure is the heap after two full collections with many
// values of one kind kept, minus the heap before, divided by how many. MET where the count is at
// least what is kept.
import { execFileSync } from 'node:child_process';
import { parse } from 'graphql';
import { parsedJsonBytes, plainDataBytes, stringBytes } from '../../src/cache/heapBytes.js';
import { createMemoryCache } from '../../src/cache/memoryCache.js';
import { createResponseStore } from '../../src/cache/responseStore.js';
import type { Cached } from '../../src/data/cache.js';
import { eventListEndpoint } from '../../src/endpoints/eventList.js';
import { eventSeriesEndpoint, type EventSeriesCall } from '../../src/endpoints/eventSeries.js';
import { estimateDocumentBytes } from '../../src/yoga/documentCache.js';
import { defaultSeries } from '../../testkit/fakeBraze.js';
import { responseOf } from '../../testkit/responseShapes.js';
import type { Retained } from '../../testkit/retainedByStore.js';
import { bodyCodec } from '../../src/data/cache.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('bench/targets/memoryKinds.ts needs --expose-gc');

function heapUsed(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}

interface Row {
  readonly kind: string;
  readonly kept: number;
  readonly counted: number;
  readonly note?: string;
}

/** Heap per value of `make`, `n` of them kept in an array (its slots subtracted). */
function perValue(n: number, make: (index: number) => unknown): number {
  const values: unknown[] = new Array<unknown>(n);
  make(-1); // what V8 builds once for the kind (maps, code) before the baseline
  const before = heapUsed();
  for (let index = 0; index < n; index++) values[index] = make(index);
  const kept = heapUsed() - before - 8 * n;
  if (values.length !== n) throw new Error('unreachable');
  return kept / n;
}

const rows: Row[] = [];
const table = (title: string, rowsOf: readonly Row[], columns = ['kind', 'V8 keeps (bytes)', 'counted (bytes)', 'counted ÷ kept', 'counted ≥ kept']): string =>
  [
    `\n${title}\n`,
    `| ${columns.join(' | ')} |`,
    `|---|${columns.slice(1).map(() => '---:').join('|')}|`,
    ...rowsOf.map(
      (row) =>
        `| ${row.kind}${row.note ? ` (${row.note})` : ''} | ${row.kept.toFixed(1)} | ${row.counted.toFixed(0)} | ${(row.counted / row.kept).toFixed(2)} | ${row.counted >= row.kept ? 'MET' : 'MISSED'} |`,
    ),
  ].join('\n');

// ---------------------------------------------------------------------------------------------------
// What JSON.parse makes (the response store keeps JSON.parse of each response)

const N = 100_000;
const parsed = (kind: string, json: (index: number) => string, n = N): void => {
  const sample = JSON.parse(json(0)) as unknown;
  rows.push({ kind, kept: perValue(n, (index) => JSON.parse(json(index))), counted: parsedJsonBytes(sample) });
};
parsed('{} (an empty object)', () => '{}');
parsed('{"count":7} (one property, a small integer)', (i) => `{"count":${i % 100}}`);
parsed('{"count":2147483647} (near 2^31)', (i) => `{"count":${2 ** 31 - 1 - (i % 100)}}`);
parsed('{"v":1.5} (a double: boxed)', (i) => `{"v":${i + 0.5}}`);
parsed('an object of 20 properties', (i) => `{${Array.from({ length: 20 }, (_, k) => `"k${k}":${(i + k) % 100}`).join(',')}}`, 20_000);
parsed('an object of 127 properties', (i) => `{${Array.from({ length: 127 }, (_, k) => `"k${k}":${(i + k) % 100}`).join(',')}}`, 5_000);
parsed('an object of 128 properties (a hash table)', (i) => `{${Array.from({ length: 128 }, (_, k) => `"k${k}":${(i + k) % 100}`).join(',')}}`, 2_000);
parsed('an object of 342 properties (a hash table)', (i) => `{${Array.from({ length: 342 }, (_, k) => `"k${k}":${(i + k) % 100}`).join(',')}}`, 1_000);
parsed('[] (an empty array)', () => '[]');
parsed('1,000 nulls', () => `[${Array.from({ length: 1000 }, () => 'null').join(',')}]`, 500);
parsed('1,000 empty objects', () => `[${Array.from({ length: 1000 }, () => '{}').join(',')}]`, 200);
parsed('1,000 doubles', (i) => `[${Array.from({ length: 1000 }, (_, k) => `${i + k + 0.5}`).join(',')}]`, 200);
parsed('1,000 one-character strings (V8 shares them)', (i) => JSON.stringify(Array.from({ length: 1000 }, (_, k) => String.fromCharCode(97 + ((i + k) % 26)))), 200);
parsed('a 24-character string', (i) => JSON.stringify(new Date(1e12 + i * 1000).toISOString()));
parsed('a 100-character Latin-1 string', (i) => JSON.stringify(`${i}`.padEnd(100, 'é')));
parsed('a 100-character string with €', (i) => JSON.stringify(`${i}`.padEnd(100, '€')));
rows.push({ kind: 'a 100-character string, counted by stringBytes', kept: rows.at(-1)!.kept, counted: stringBytes('€'.repeat(100)) });
const kindRows = rows.splice(0);

// Dates and objects built by code (the answer cache keeps answers as our parsers build them).
const built: Row[] = [
  { kind: 'a Date', kept: perValue(N, (i) => new Date(1.7e12 + i)), counted: plainDataBytes(new Date()) },
  { kind: 'a series point { time: Date, value }', kept: perValue(N, (i) => ({ time: new Date(1.7e12 + i), value: i })), counted: plainDataBytes({ time: new Date(), value: 1 }) },
  {
    kind: 'an object of 12 properties from Object.fromEntries',
    kept: perValue(N / 2, (i) => Object.fromEntries(Array.from({ length: 12 }, (_, k) => [`k${k}`, i + k]))),
    counted: plainDataBytes(Object.fromEntries(Array.from({ length: 12 }, (_, k) => [`k${k}`, k]))),
  },
];

// ---------------------------------------------------------------------------------------------------
// Cached answers: Braze bodies parsed by the endpoints, kept in the answer cache

const MiB = 1024 * 1024;
const answerKey = (index: number): string => `eventSeries:${JSON.stringify([`event-${index}`, 100, 'day', 1710028800000, null, null])}`;
/** What the answer cache counted before: 100 + 2 × the key's length + the endpoint's estimate. */
const oldCount = (estimate: number): number => 100 + 2 * answerKey(0).length + estimate;
/** The endpoints' own estimates the answer cache counted before (the series and the name lists). */
const oldSeriesEstimate = (points: readonly unknown[]): number => 200 + points.length * 120;
const oldNamesEstimate = (names: readonly string[]): number => 100 + names.reduce((sum, name) => sum + 40 + 2 * name.length, 0);

async function answerCache(kind: string, n: number, answer: (index: number) => Cached<unknown>, oldEstimate: (value: Cached<unknown>) => number): Promise<Row> {
  const cache = createMemoryCache({ maxEntries: 1_000_000, maxBytes: 1024 * MiB });
  const key = answerKey;
  await cache.set(key(-1), answer(-1), 600_000, BODY_CODEC);
  const before = heapUsed();
  const bytesBefore = cache.bytes;
  // In a function, so that no answer outlives the loop but in the cache.
  await (async () => {
    for (let index = 0; index < n; index++) await cache.set(key(index), answer(index), 600_000, BODY_CODEC);
  })();
  const kept = (heapUsed() - before) / n;
  return { kind, kept, counted: (cache.bytes - bytesBefore) / n, note: `counted ${oldEstimate(answer(0)).toFixed(0)} before` };
}

const seriesCall = (index: number, length: number): EventSeriesCall => ({ event: `event-${index}`, length, unit: 'day', endingAt: new Date('2024-03-10T00:00:00Z'), appId: undefined, segmentId: undefined });
const seriesBody = (index: number, length: number): string => JSON.stringify(defaultSeries({ event: `event-${index}`, length: String(length), unit: 'day', ending_at: '2024-03-10T00:00:00Z' }));
/** The memory cache keeps answers as they are: the codec (what a store of text writes) is not used. */
const BODY_CODEC = bodyCodec(eventSeriesEndpoint.parse, seriesCall(0, 100)) as never;

const answers: Row[] = [
  await answerCache('a 100-point event series', 5_000, (i) => ({ answer: eventSeriesEndpoint.parse(seriesBody(i, 100), seriesCall(i, 100)), fetchedAt: new Date() }), (v) => oldCount(oldSeriesEstimate(v.answer as readonly unknown[]))),
  await answerCache('a 1-point event series', 50_000, (i) => ({ answer: eventSeriesEndpoint.parse(seriesBody(i, 1), seriesCall(i, 1)), fetchedAt: new Date() }), (v) => oldCount(oldSeriesEstimate(v.answer as readonly unknown[]))),
  await answerCache(
    'a page of 250 event names of 60 €',
    1_000,
    (i) => ({ answer: eventListEndpoint.parse(JSON.stringify({ message: 'success', events: Array.from({ length: 250 }, (_, k) => `${i}-${k}`.padEnd(60, '€')) }), { page: 0 } as never), fetchedAt: new Date() }),
    (v) => oldCount(oldNamesEstimate(v.answer as readonly string[])),
  ),
];

// ---------------------------------------------------------------------------------------------------
// Parsed documents (the document cache), each document distinct

function documentRow(kind: string, n: number, text: (index: number) => string): Row {
  const texts = Array.from({ length: n }, (_, index) => text(index));
  const kept = perValue(n, (index) => parse(texts[index >= 0 ? index : 0]!)) + 0;
  return { kind, kept, counted: estimateDocumentBytes(texts[0]!, parse(texts[0]!)) - 2 * texts[0]!.length };
}
const documents: Row[] = [
  documentRow('1,998 one-token fields `{ u0 u1 … }`', 300, (d) => `query D${d} { ${Array.from({ length: 1995 }, (_, i) => `u${i}`).join(' ')} }`),
  documentRow('1,998 × __typename', 300, (d) => `query D${d} { ${Array.from({ length: 1995 }, () => '__typename').join(' ')} }`),
  documentRow('selections nested 660 deep', 300, (d) => `query D${d} ${'{a'.repeat(660)}${'}'.repeat(660)}`),
  documentRow('a 50-chart dashboard', 300, (d) => `query D${d} { ${Array.from({ length: 50 }, (_, c) => `c${c}: eventSeries(event: "event-${c}", length: 7, unit: DAY, endingAt: "2024-03-10T00:00:00Z", appId: "app", segmentId: "segment") { event unit length appId segmentId endingAt total points { time count } }`).join(' ')} }`),
  documentRow('a default of 14,000 \\u20ac escapes', 100, (d) => `query D${d}($e: String = "${'\\u20ac'.repeat(14_000)}") { s: eventSeries(event: $e, length: 1) { total } }`),
  documentRow('a default of 30,000 \\n escapes', 100, (d) => `query D${d}($e: String = "${'\\n'.repeat(30_000)}") { s: eventSeries(event: $e, length: 1) { total } }`),
  documentRow('a default of 15,000 `a\\n`', 100, (d) => `query D${d}($e: String = "${'a\\n'.repeat(15_000)}") { s: eventSeries(event: $e, length: 1) { total } }`),
  documentRow('a default of 10,000 `\\u20aca`', 100, (d) => `query D${d}($e: String = "${'\\u20aca'.repeat(10_000)}") { s: eventSeries(event: $e, length: 1) { total } }`),
  documentRow('a block string of 40,000 €', 100, (d) => `query D${d}($e: String = """${'€'.repeat(40_000)}""") { s: eventSeries(event: $e, length: 1) { total } }`),
  documentRow('1,998 comments', 300, (d) => `query D${d} { a ${'#\n'.repeat(1995)}}`),
];

// ---------------------------------------------------------------------------------------------------
// The response store: worst shapes, and what counting costs

const STORE_BYTES = 32 * MiB;
const offered = { emptyObjects: 24, hashTables: 24, boxedDoubles: 24, tinyStrings: 30, nulls: 120, doubleArrays: 30, longTwoByteStrings: 96, deepEmptyObjects: 40, wideObjects: 30 };
const store = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'testkit/retainedByStore.ts', String(STORE_BYTES), ...Object.entries(offered).map(([shape, n]) => `${shape}=${n}`)], { encoding: 'utf8' })
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as Retained);

function timeOf(run: () => unknown, times: number): number {
  run();
  const started = performance.now();
  for (let i = 0; i < times; i++) run();
  return (performance.now() - started) / times;
}
const issue = responseOf('emptyObjects', 0);
const issueJson = JSON.stringify(issue.data);
const issueCopy = JSON.parse(issueJson) as unknown;
const typical = { data: { s: { total: 3, points: Array.from({ length: 1000 }, (_, i) => ({ time: new Date(1e12 + i * 86_400_000).toISOString(), count: i })) } } };
const typicalCopy = JSON.parse(JSON.stringify(typical.data)) as unknown;
const costStore = createResponseStore({ maxEntries: 10, maxBytes: 1024 * MiB });
const cost = [
  ['the issue\'s response (49,000 empty objects, 147 KB of JSON)', timeOf(() => parsedJsonBytes(issueCopy), 20), timeOf(() => JSON.stringify(issue.data), 20), timeOf(() => costStore.set('k', issue, [], 60_000), 20)],
  ['a 1,000-point series { time count } (45 KB of JSON)', timeOf(() => parsedJsonBytes(typicalCopy), 50), timeOf(() => JSON.stringify(typical.data), 50), timeOf(() => costStore.set('k', typical, [], 60_000), 50)],
] as const;

// ---------------------------------------------------------------------------------------------------

const fmt = (ms: number): string => `${ms.toFixed(2)} ms`;
process.stdout.write(
  [
    `bench:memory kinds — Node ${process.version}, V8 ${process.versions.v8}, pointer compression ${String((process.config.variables as Record<string, unknown>)['v8_enable_pointer_compression'] ?? 'unknown')}`,
    table('What JSON.parse makes (the response store keeps JSON.parse of each response), counted by parsedJsonBytes', kindRows),
    table('Built by code, counted by plainDataBytes', built),
    table('Answers in the answer cache (createMemoryCache), per answer, counted with its key and entry', answers, ['answer', 'V8 keeps (bytes)', 'counted (bytes)', 'counted ÷ kept', 'counted ≥ kept']),
    table('Parsed documents, per document (text excluded: counted 2 bytes a character beside)', documents, ['document', 'V8 keeps (bytes)', 'counted (bytes)', 'counted ÷ kept', 'counted ≥ kept']),
    `\nThe whole-response store bounded at ${STORE_BYTES / MiB} MiB, filled with each shape (testkit/responseShapes.ts), heap after full collections:\n`,
    '| shape | responses offered | kept | heap retained (MiB) | counted (MiB) | retained ÷ bound | mean set (ms) | retained ≤ bound |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
    ...store.map((s) => `| ${s.shape} | ${s.responses} | ${s.kept} | ${(s.retained / MiB).toFixed(2)} | ${(s.counted / MiB).toFixed(2)} | ${(s.retained / STORE_BYTES).toFixed(3)} | ${s.setMs.toFixed(1)} | ${s.retained <= STORE_BYTES ? 'MET' : 'MISSED'} |`),
    '\nWhat storing a response costs (once, on a miss; never on a hit):\n',
    '| response | the walk (parsedJsonBytes) | JSON.stringify alone | the whole set: JSON, JSON.parse copy, walk |',
    '|---|---:|---:|---:|',
    ...cost.map(([what, walk, json, set]) => `| ${what} | ${fmt(walk)} | ${fmt(json)} | ${fmt(set)} |`),
    '',
  ].join('\n'),
);
