import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { countDirectives } from '../src/plugins/useDirectiveLimit.js';
import { parse } from 'graphql';
import { useGatewayWithFakeBraze } from './helpers/gateway.js';
import { readEventStream, readMultipart, type Payload } from './helpers/incremental.js';

/**
 * Documents with hundreds of @defer and @stream: past QUERY_MAX_DIRECTIVES (50 by default) they are
 * refused with QUERY_TOO_COMPLEX before any Braze call, however the directives are written (inline,
 * on spreads repeated or nested, behind variables); within it they are answered with exact values.
 * CPU and retained memory per such request are measured and bounded.
 */

const { braze, gateway } = useGatewayWithFakeBraze();

const AT = '2024-03-10T00:00:00Z';
const SERIES = `eventSeries(event: "e", length: 2, endingAt: "${AT}") { total }`;
const times = (n: number, text: string): string => Array.from({ length: n }, () => text).join(' ');
/** F_k spreads F_(k-1) twice, each deferred: F_k runs 2^(k+1) − 2 directives. */
const doubling = (k: number): string =>
  [`fragment F0 on Query { __typename }`, ...Array.from({ length: k }, (_, i) => `fragment F${i + 1} on Query { ...F${i} @defer ...F${i} @defer }`)].join(' ') + ` query { ...F${k} }`;

/** Documents that run more than 50 directives, and the count the refusal must state. */
const OVER_THE_LIMIT: readonly [string, string, number][] = [
  ['51 inline deferred fragments', `{ ${times(51, `... @defer { ${SERIES} }`)} }`, 51],
  ['300 inline deferred fragments', `{ ${times(300, '... @defer { __typename }')} }`, 300],
  // These two ran before: graphql-armor counted a repeated spread's own @defer once.
  ['one fragment spread 51 times, each deferred', `fragment F on Query { ${SERIES} } { ${times(51, '...F @defer')} }`, 51],
  ['one fragment spread 490 times, each deferred', `fragment F on Query { __typename } { ${times(490, '...F @defer')} }`, 490],
  ['a fragment holding a deferred part, spread 51 times', `fragment G on Query { ... @defer { __typename } } { ${times(51, '...G')} }`, 51],
  ['51 deferred fragments nested in each other', `{ ${'... @defer { '.repeat(51)}__typename${' }'.repeat(51)} }`, 51],
  ['51 deferrals behind a variable (@defer(if: $x))', `query($x: Boolean!) { ${times(51, '... @defer(if: $x) { __typename }')} }`, 51],
  ['a streamed list in a fragment spread 51 times', `fragment S on Query { segments(first: 3) { nodes @stream(initialCount: 0) { id } } } { ${times(51, '...S')} }`, 51],
  ['fragments doubling ten times (2,046 deferrals)', doubling(10), 2_046],
  ['fragments doubling twenty times (2,097,150 deferrals)', doubling(20), 2_097_150],
];

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapAfterGc = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

/** CPU time (user + system, this whole process: client, gateway and fake Braze) `run` takes, in ms. */
async function cpuMs(run: () => Promise<unknown>): Promise<number> {
  const before = process.cpuUsage();
  await run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1_000;
}

/**
 * POSTs `query` with `accept` and reads the whole answer: its status and every JSON payload in it (one
 * for application/json, each part of multipart/mixed, each `next` event of text/event-stream). By hand,
 * because meros and graphql-sse read only 200s.
 */
async function ask(query: string, accept: string, variables?: Record<string, unknown>): Promise<{ status: number; payloads: Payload[] }> {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept, ...gateway.authHeaders },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  let payloads: Payload[];
  if (type.startsWith('multipart/mixed')) {
    payloads = text
      .split(/\r\n-{3,}/)
      .map((part) => part.split('\r\n\r\n')[1])
      .filter((body): body is string => body !== undefined && body.trim() !== '')
      .map((body) => JSON.parse(body) as Payload);
  } else if (type.startsWith('text/event-stream')) {
    payloads = text
      .split('\n\n')
      .filter((event) => event.startsWith('event: next\n'))
      .map((event) => JSON.parse(event.slice(event.indexOf('data: ') + 6)) as Payload);
  } else {
    payloads = [JSON.parse(text) as Payload];
  }
  return { status: response.status, payloads };
}

/** Every incremental entry of an answer, in order, whatever payloads they came in. */
const incrementalOf = (payloads: readonly Payload[]) => payloads.flatMap((payload) => payload.incremental ?? []);

describe('past QUERY_MAX_DIRECTIVES: refused before any Braze call, in every transport', () => {
  it.each(OVER_THE_LIMIT)('%s → 400 QUERY_TOO_COMPLEX (limit maxDirectives, found the exact count), no call', async (_name, query, found) => {
    const message = `Directives limit of 50 exceeded, found ${found}.`;
    const expected = { errors: [{ message, extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'maxDirectives' } }] };
    for (const accept of ['application/json', 'application/graphql-response+json', 'multipart/mixed', 'text/event-stream', '*/*']) {
      expect(await ask(query, accept, { x: true }), accept).toEqual({ status: 400, payloads: [expected] });
    }
    expect(braze.calls.length).toBe(0);
  });

  it('counting is linear: 2 million deferrals written in 21 fragments are counted in well under a second of CPU', async () => {
    const used = await cpuMs(async () => {
      const response = await gateway.post(doubling(20), { headers: { accept: 'multipart/mixed' } });
      expect(response.status).toBe(400);
      await response.arrayBuffer();
    });
    expect(used).toBeLessThan(500);
    expect(countDirectives(parse(doubling(20)))).toBe(2_097_150);
  });
});

describe('within QUERY_MAX_DIRECTIVES: exact answers', () => {
  it('one fragment spread 50 times, each deferred: 50 deferred parts, each exactly the series, one Braze call', async () => {
    const query = `fragment F on Query { ${SERIES} } { ${times(50, '...F @defer')} }`;
    const { status, received } = await readMultipart(gateway.url, query, { headers: gateway.authHeaders });
    expect(status).toBe(200);
    const payloads = received.map(({ payload }) => payload);
    expect(payloads[0]).toEqual({ data: {}, hasNext: true });
    expect(payloads.at(-1)?.hasNext).toBe(false);
    expect(incrementalOf(payloads)).toEqual(Array.from({ length: 50 }, () => ({ data: { eventSeries: { total: 3 } }, path: [] })));
    expect(braze.calls.length).toBe(1);
  });

  it('50 nested deferred fragments: one part per level, the innermost holding the field', async () => {
    const query = `{ ${'... @defer { '.repeat(50)}__typename${' }'.repeat(50)} }`;
    const events = (await readEventStream(gateway.url, query, { headers: gateway.authHeaders })).map(({ payload }) => payload);
    expect(events[0]).toEqual({ data: {}, hasNext: true });
    const parts = incrementalOf(events);
    expect(parts).toHaveLength(50);
    expect(parts.filter((part) => JSON.stringify(part.data) === '{"__typename":"Query"}')).toHaveLength(1);
    expect(parts.filter((part) => JSON.stringify(part.data) === '{}')).toHaveLength(49);
    expect(braze.calls.length).toBe(0);
  });

  it('50 deferrals switched off by a variable: one plain result; switched on: 50 parts', async () => {
    const query = `query($x: Boolean!) { ${times(50, `... @defer(if: $x) { ${SERIES} }`)} }`;
    const off = await readMultipart(gateway.url, query, { headers: gateway.authHeaders, variables: { x: false } });
    expect(off.received.map(({ payload }) => payload)).toEqual([{ data: { eventSeries: { total: 3 } }, extensions: expect.anything() }]);
    const on = await readMultipart(gateway.url, query, { headers: gateway.authHeaders, variables: { x: true } });
    expect(incrementalOf(on.received.map(({ payload }) => payload))).toHaveLength(50);
    expect(braze.calls.length).toBe(2);
  });

  it.each([
    ['two deferred fragments with the same label', `{ ... @defer(label: "a") { __typename } ... @defer(label: "a") { __typename } }`, 'Defer/Stream directive label argument must be unique.'],
    ['a label from a variable', `query($l: String) { ... @defer(label: $l) { __typename } }`, 'Directive "defer"\'s label argument must be a static string.'],
    ['@stream(initialCount: 10000000000)', `{ segments(first: 3) { nodes @stream(initialCount: 10000000000) { id } } }`, 'Int cannot represent non 32-bit signed integer value: 10000000000'],
    ['@defer on a field', `{ eventSeries(event: "e", length: 2, endingAt: "${AT}") @defer { total } }`, 'Directive "@defer" may not be used on FIELD.'],
  ])('%s → GRAPHQL_VALIDATION_FAILED, no call', async (_name, query, message) => {
    const { status, payloads } = await ask(query, 'multipart/mixed', { l: 'x' });
    expect(status).toBe(400);
    expect(payloads.map((payload) => payload.errors?.map((error) => [error.message, error.extensions?.['code']]))).toEqual([[[message, 'GRAPHQL_VALIDATION_FAILED']]]);
    expect(braze.calls.length).toBe(0);
  });

  it('@stream(initialCount: 1000000000) on a list of 3: the whole list at once, one call', async () => {
    const { received } = await readMultipart(gateway.url, `{ segments(first: 3) { nodes @stream(initialCount: 1000000000) { id } } }`, { headers: gateway.authHeaders });
    expect(received.map(({ payload }) => payload.data)).toEqual([{ segments: { nodes: [{ id: 'segment-000' }, { id: 'segment-001' }, { id: 'segment-002' }] } }]);
    expect(braze.calls.length).toBe(1);
  });

  // The executor checks initialCount only when it completes the list, after the resolver has called
  // Braze, and throws a plain Error (INTERNAL_SERVER_ERROR): refused before execution instead.
  it.each([
    ['a literal', `{ segments(first: 3) { nodes @stream(initialCount: -1) { id } } }`],
    ['a variable', `query($n: Int!) { segments(first: 3) { nodes @stream(initialCount: $n) { id } } }`],
  ])('@stream(initialCount: -1) from %s → BAD_USER_INPUT before any call', async (_name, query) => {
    const { payloads } = await ask(query, 'multipart/mixed', { n: -1 });
    expect(payloads.map((payload) => payload.errors?.[0]?.extensions?.['code'])).toEqual(['BAD_USER_INPUT']);
    expect(braze.calls.length).toBe(0);
  });
});

describe('CPU and memory per hostile document', () => {
  const LONG = `eventSeries(event: "big", length: 1000, unit: HOUR, endingAt: "${AT}") { points { time count } }`;
  const BIGGEST = `fragment F on Query { ${LONG} } { ${times(50, '...F @defer')} }`;
  const REFUSED = `fragment F on Query { __typename } { ${times(490, '...F @defer')} }`;

  it('refused: under 50 ms of CPU each (measured 2–10 ms); the largest allowed (50 parts of 1,000 points): under 1.5 s, nothing retained after', async () => {
    // Warm: schema, parser, JIT.
    await (await gateway.post(REFUSED)).arrayBuffer();
    await readMultipart(gateway.url, BIGGEST, { headers: gateway.authHeaders });
    const callsPerAnswer = braze.calls.length;
    const refused: number[] = [];
    for (const [, query] of OVER_THE_LIMIT) {
      refused.push(await cpuMs(() => ask(query, 'application/json', { x: true })));
    }
    expect(Math.max(...refused)).toBeLessThan(50);

    const before = heapAfterGc();
    let bytes = 0;
    const allowed: number[] = [];
    for (let i = 0; i < 5; i++) {
      allowed.push(
        await cpuMs(async () => {
          const { received } = await readMultipart(gateway.url, BIGGEST, { headers: gateway.authHeaders });
          const parts = incrementalOf(received.map(({ payload }) => payload));
          expect(parts).toHaveLength(50);
          bytes = JSON.stringify(received.map(({ payload }) => payload)).length;
        }),
      );
    }
    const retained = heapAfterGc() - before;
    expect(bytes).toBeGreaterThan(2_000_000);
    expect(Math.max(...allowed)).toBeLessThan(1_500);
    // Five answers of about 2.5 MB each went through; none of it stays.
    expect(retained).toBeLessThan(2 * 1024 * 1024);
    // The 50 parts share the calls of the one 1,000-hour window (one per chunk Braze is asked in, each
    // distinct): no call per part.
    expect(new Set(braze.calls.map((call) => `${call.query['ending_at']}/${call.query['length']}`)).size).toBe(callsPerAnswer);
    expect(callsPerAnswer).toBeLessThan(50);
    expect(braze.calls.length).toBe(6 * callsPerAnswer);

  }, 60_000);
});
