import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { statusLabel } from '../src/observability/metrics.js';
import { defaultSeries } from '../testkit/fakeBraze.js';
import { type TestGateway, useGatewayWithFakeBraze } from './helpers/gateway.js';

/**
 * /metrics under hostile input: thousands of distinct operation names, event names, paths, persisted
 * ids, headers and Braze statuses must add no series and put no client text in a label. Every label
 * value a scrape may hold is listed here, per metric; anything else fails the test.
 */

const AT = '2024-03-10T00:00:00Z';
/** Every hostile string carries this, so a scrape can be searched for any of them at once. */
const MARK = 'zzhostile';
/** What a label or a name could be broken with: quotes, newlines, braces, escapes, unicode, length. */
const NASTIES = ['"', '\n', '}', '{code="X"}', '\\', '\\"', ' # HELP x', '\u2028', '😀', 'ünï', 'a\u0000b', '\r\n', '=', ',', 'x'.repeat(2_000)];
const hostile = (i: number): string => `${MARK}${i}${NASTIES[i % NASTIES.length]}`;

/** Braze answers these in turn: the usual ones, odd ones, and ones no HTTP server should send. */
const BRAZE_STATUSES = [200, 201, 204, 299, 400, 401, 403, 404, 409, 418, 429, 451, 500, 502, 503, 504, 520, 599, 600, 777, 999];

/** Every label value each labelled metric may hold; an unlabelled metric maps to {}. */
const ALLOWED: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  braze_gateway_graphql_requests_total: {},
  braze_gateway_graphql_errors_total: {
    // The gateway's own codes a client can provoke without a working Braze, Braze's failures, and yoga's.
    code: [
      'UNAUTHENTICATED',
      'BAD_USER_INPUT',
      'QUERY_TOO_COMPLEX',
      'PERSISTED_QUERY_NOT_IN_LIST',
      // A hostile persisted-query extension, with automatic persisted queries on.
      'PERSISTED_QUERY_NOT_SUPPORTED',
      'UPSTREAM_BAD_REQUEST',
      'UPSTREAM_UNAUTHORIZED',
      'UPSTREAM_FORBIDDEN',
      'UPSTREAM_NOT_FOUND',
      'UPSTREAM_RATE_LIMITED',
      'UPSTREAM_UNAVAILABLE',
      'UPSTREAM_INVALID_RESPONSE',
      'GRAPHQL_PARSE_FAILED',
      'GRAPHQL_VALIDATION_FAILED',
      'BAD_REQUEST',
      'OPERATION_RESOLUTION_FAILURE',
    ],
  },
  braze_gateway_upstream_attempts_total: {
    endpoint: ['/events/data_series'],
    status: ['200', '400', '401', '403', '404', '429', '500', '502', '503', '504', '2xx', '4xx', '5xx', 'other'],
    outcome: [
      'ok',
      'UPSTREAM_BAD_REQUEST',
      'UPSTREAM_UNAUTHORIZED',
      'UPSTREAM_FORBIDDEN',
      'UPSTREAM_NOT_FOUND',
      'UPSTREAM_RATE_LIMITED',
      'UPSTREAM_UNAVAILABLE',
      'UPSTREAM_INVALID_RESPONSE',
    ],
  },
  braze_gateway_upstream_attempt_duration_seconds_bucket: {
    le: ['0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '15', '+Inf'],
  },
  braze_gateway_upstream_attempt_duration_seconds_sum: {},
  braze_gateway_upstream_attempt_duration_seconds_count: {},
  // Keys of Braze's answers the gateway does not know: labelled by the descriptor's path, never by the key.
  braze_gateway_upstream_unknown_keys_total: { endpoint: ['/events/data_series'] },
  braze_gateway_upstream_calls_saved_total: { reason: ['deduplication', 'coalescing', 'cache', 'sharing', 'response-cache'] },
  braze_gateway_document_cache_lookups_total: { result: ['hit', 'miss'] },
  braze_gateway_apq_lookups_total: { result: ['hit', 'miss'] },
  braze_gateway_apq_bytes: {},
  braze_gateway_document_cache_too_large_total: {},
  braze_gateway_document_cache_bytes: {},
  braze_gateway_live_subscriptions: {},
  braze_gateway_live_polls: {},
  // MCP's (off in these gateways: the label-free ones at 0; test/mcp-http.test.ts sends hostile tool names).
  braze_gateway_mcp_sessions: {},
  braze_gateway_mcp_sessions_opened_total: {},
  braze_gateway_upstream_rate_limit_remaining: { bucket: ['export', 'lists', 'campaignSeries'] },
  braze_gateway_upstream_rate_limit_paused: { bucket: ['export', 'lists', 'campaignSeries'] },
  braze_gateway_upstream_circuit_open: {},
};

interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/**
 * Parses Prometheus's text format strictly (version 0.0.4): HELP and TYPE comments, then samples whose
 * label values are quoted with only \\, \" and \n escaped, and empty lines. Throws on any other line.
 */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  const lines = text.split('\n');
  expect(lines.at(-1)).toBe('');
  for (const line of lines.slice(0, -1)) {
    // Empty lines are allowed (ignored) by the format; prom-client puts one between metrics.
    if (line === '' || /^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*$/.test(line)) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not Prometheus text: ${JSON.stringify(line.slice(0, 200))}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]!] = pair[2]!;
    const value = match[3]!;
    // Go's ParseFloat (what Prometheus reads values with) takes NaN in any case, ±Inf and decimals.
    expect(value, line).toMatch(/^(?:nan|[+-]?inf|[+-]?\d+(?:\.\d+)?(?:e[+-]?\d+)?)$/i);
    samples.push({ name: match[1]!, labels, value: Number(/^nan$/i.test(value) ? Number.NaN : value) });
  }
  return samples;
}

async function scrape(target: TestGateway): Promise<{ text: string; samples: Sample[] }> {
  const response = await fetch(new URL('/metrics', target.url));
  expect(response.status).toBe(200);
  const text = await response.text();
  return { text, samples: parseExposition(text) };
}

/** Every label value seen, by metric and label. */
function labelValues(samples: readonly Sample[]): Record<string, Record<string, Set<string>>> {
  const seen: Record<string, Record<string, Set<string>>> = {};
  for (const { name, labels } of samples) {
    const metric = (seen[name] ??= {});
    for (const [label, value] of Object.entries(labels)) (metric[label] ??= new Set()).add(value);
  }
  return seen;
}

/** Every metric is a known one, with only its known labels and only their allowed values; no client text anywhere. */
function expectBounded(text: string, samples: readonly Sample[]): void {
  expect(text.toLowerCase()).not.toContain(MARK);
  const seen = labelValues(samples);
  for (const [name, labels] of Object.entries(seen)) {
    expect(Object.keys(ALLOWED), `metric ${name}`).toContain(name);
    expect(Object.keys(labels).sort(), `labels of ${name}`).toEqual(Object.keys(ALLOWED[name]!).sort());
    for (const [label, values] of Object.entries(labels)) {
      for (const value of values) expect(ALLOWED[name]![label], `${name}{${label}}`).toContain(value);
    }
  }
}

/** Runs `tasks` with at most `width` at a time. */
async function inParallel(tasks: (() => Promise<unknown>)[], width = 16): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < tasks.length) await tasks[next++]!();
    }),
  );
}

describe('/metrics under hostile clients and a hostile Braze', () => {
  const { braze, gateway } = useGatewayWithFakeBraze({ BRAZE_MAX_ATTEMPTS: '1', BRAZE_BREAKER_THRESHOLD: '0', BRAZE_RATE_LIMIT_RESERVE: '0' }, { resetCallsBeforeEach: false });
  /** Requests to /graphql that reached yoga's parsing (each is one braze_gateway_graphql_requests_total). */
  let graphqlRequests = 0;

  const post = async (body: unknown, headers: Record<string, string> = {}): Promise<number> => {
    graphqlRequests++;
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...gateway.authHeaders, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    await response.arrayBuffer();
    return response.status;
  };

  it('thousands of hostile names, paths, ids, headers and Braze statuses add no series, no label value and no client text', async () => {
    let statusTurn = 0;
    braze.respond((call) => {
      const status = BRAZE_STATUSES[statusTurn++ % BRAZE_STATUSES.length]!;
      // A 200 carries a key the gateway does not know, named with hostile text: counted, never a label.
      return status === 200 ? { body: { ...(defaultSeries(call.query) as Record<string, unknown>), [hostile(statusTurn)]: 1 } } : { status, body: { message: `${MARK} says ${call.query['event']}` } };
    });
    const N = 300;
    const tasks: (() => Promise<unknown>)[] = [];
    for (let i = 0; i < N; i++) {
      const text = hostile(i);
      // Operation names: valid, distinct ones; and hostile text as operationName (no such operation).
      tasks.push(() => post({ query: `query ${MARK}_${i}_op { __typename }`, operationName: `${MARK}_${i}_op` }));
      tasks.push(() => post({ query: `query A { __typename }`, operationName: text }));
      // Event names, sent to Braze (as variables and inlined), answered with one of BRAZE_STATUSES.
      tasks.push(() => post({ query: `query($e: String!) { eventSeries(event: $e, length: 1, endingAt: "${AT}") { total } }`, variables: { e: text } }));
      tasks.push(() => post({ query: `{ eventSeries(event: ${JSON.stringify(text)}, length: 1, endingAt: "${AT}") { total } }` }));
      // Parse and validation errors quoting the text, bad variables, an unknown field named after it.
      tasks.push(() => post({ query: text }));
      tasks.push(() => post({ query: `{ ${MARK}${i} }` }));
      tasks.push(() => post({ query: 'query($x: Int) { __typename }', variables: { x: text } }));
      // Persisted ids (no manifest: yoga ignores them or refuses the request; a hostile APQ hash is
      // PERSISTED_QUERY_NOT_SUPPORTED) and a body that is not JSON.
      tasks.push(() => post({ documentId: text }));
      tasks.push(() => post({ extensions: { persistedQuery: { version: 1, sha256Hash: text } } }));
      tasks.push(() => post(`{"query": ${JSON.stringify(text)}`));
      // Headers: request id, accept, user agent, a credential that is not one.
      const header = text.replace(/[^\x20-\x7e]/g, '?');
      tasks.push(() => post({ query: '{ __typename }' }, { 'x-request-id': header, 'user-agent': header, accept: `${header}, application/json` }));
      tasks.push(() => post({ query: '{ __typename }' }, { authorization: `Bearer ${MARK}${i}` }));
      // Paths: 404s, and /metrics itself asked oddly.
      tasks.push(() => fetch(new URL(`/${encodeURIComponent(text)}/graphql`, gateway.url)).then((r) => r.arrayBuffer()));
      tasks.push(() => fetch(new URL(`/metrics?name=${encodeURIComponent(text)}`, gateway.url)).then((r) => r.arrayBuffer()));
    }
    await inParallel(tasks);
    expect(tasks.length).toBe(N * 14);

    const { text, samples } = await scrape(gateway);
    expectBounded(text, samples);
    const seen = labelValues(samples);
    // What this run provoked, exactly: every allowed status was seen, and nothing else.
    expect([...seen['braze_gateway_upstream_attempts_total']!['status']!].sort()).toEqual(
      [...new Set(BRAZE_STATUSES.map(statusLabel))].sort(),
    );
    expect([...seen['braze_gateway_graphql_errors_total']!['code']!].sort()).toEqual(
      [
        'BAD_REQUEST',
        'BAD_USER_INPUT',
        'GRAPHQL_PARSE_FAILED',
        'GRAPHQL_VALIDATION_FAILED',
        'OPERATION_RESOLUTION_FAILURE',
        'PERSISTED_QUERY_NOT_SUPPORTED',
        'UNAUTHENTICATED',
        'UPSTREAM_BAD_REQUEST',
        'UPSTREAM_FORBIDDEN',
        'UPSTREAM_INVALID_RESPONSE',
        'UPSTREAM_NOT_FOUND',
        'UPSTREAM_RATE_LIMITED',
        'UPSTREAM_UNAUTHORIZED',
        'UPSTREAM_UNAVAILABLE',
      ].sort(),
    );
    // Counts are exact: one request per POST to /graphql, one attempt per call Braze received (fewer
    // calls than event names: events refused as BAD_USER_INPUT, equal calls in flight shared, 429 pauses).
    const sum = (name: string): number => samples.filter((s) => s.name === name).reduce((total, s) => total + s.value, 0);
    expect(sum('braze_gateway_graphql_requests_total')).toBe(graphqlRequests);
    expect(sum('braze_gateway_upstream_attempts_total')).toBe(braze.calls.length);
    // Each 200 that reached a parse (some are shared with a request asking the same) named one new key.
    const parsed = samples.find((s) => s.name === 'braze_gateway_upstream_attempts_total' && s.labels['status'] === '200' && s.labels['outcome'] === 'ok')?.value ?? 0;
    expect(parsed).toBeGreaterThan(0);
    expect(sum('braze_gateway_upstream_unknown_keys_total')).toBe(parsed);
    // A handful of series, whatever came in: the bound is the product of ALLOWED, not of the input.
    expect(samples.length).toBeLessThanOrEqual(80);
  }, 60_000);

  it('the same run again adds no series: only counts move', async () => {
    const before = (await scrape(gateway)).samples.map((s) => `${s.name}${JSON.stringify(s.labels)}`);
    const tasks: (() => Promise<unknown>)[] = [];
    for (let i = 1_000; i < 1_300; i++) {
      tasks.push(() => post({ query: `query($e: String!) { eventSeries(event: $e, length: 1, endingAt: "${AT}") { total } }`, variables: { e: hostile(i) } }));
      tasks.push(() => post({ query: hostile(i) }));
    }
    await inParallel(tasks);
    const after = await scrape(gateway);
    expectBounded(after.text, after.samples);
    expect(after.samples.map((s) => `${s.name}${JSON.stringify(s.labels)}`)).toEqual(before);
  }, 60_000);
});

describe('/metrics with persisted operations only: hostile ids', () => {
  const MANIFEST = fileURLToPath(new URL('./generated/persisted-documents.json', import.meta.url));
  const TOKEN = 'tok-hostile-metrics-0123456789ab';
  const { braze, gateway } = useGatewayWithFakeBraze({ PERSISTED_OPERATIONS_FILE: MANIFEST, AUTH_TOKENS: TOKEN });

  it('a thousand unknown ids (GET and POST) are one code, PERSISTED_QUERY_NOT_IN_LIST, and no call', async () => {
    const tasks: (() => Promise<unknown>)[] = [];
    for (let i = 0; i < 500; i++) {
      const id = `sha256:${hostile(i)}`;
      tasks.push(() =>
        fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ documentId: id }) }).then((r) => r.arrayBuffer()),
      );
      tasks.push(() =>
        fetch(`${gateway.url.href}?documentId=${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${TOKEN}`, 'x-graphql-yoga-csrf': '1' } }).then((r) => r.arrayBuffer()),
      );
    }
    await inParallel(tasks);
    const { text, samples } = await scrape(gateway);
    expectBounded(text, samples);
    const errors = samples.filter((s) => s.name === 'braze_gateway_graphql_errors_total');
    expect(errors.map((s) => [s.labels['code'], s.value])).toEqual([['PERSISTED_QUERY_NOT_IN_LIST', 1_000]]);
    expect(braze.calls.length).toBe(0);
  }, 60_000);
});

describe('statusLabel', () => {
  it.each([
    [undefined, 'none'],
    [200, '200'],
    [429, '429'],
    [503, '503'],
    [201, '2xx'],
    [302, '3xx'],
    [418, '4xx'],
    [520, '5xx'],
    [99, 'other'],
    [600, 'other'],
    [999, 'other'],
    [Number.NaN, 'other'],
  ])('%s → %s', (status, label) => {
    expect(statusLabel(status)).toBe(label);
  });
});
