import { afterEach, describe, expect, it } from 'vitest';
import { startFakeBraze, defaultResponder, type FakeBraze } from '../testkit/fakeBraze.js';
import { startTestGateway, TEST_API_KEY, TEST_AUTH_TOKEN, type TestGateway } from './helpers/gateway.js';
import { readMultipart } from './helpers/incremental.js';
import { startOtlpReceiver, type AttributeValue, type OtlpReceiver, type ReceivedSpan } from './helpers/otlpReceiver.js';

/**
 * OpenTelemetry traces end to end: a real gateway exports over OTLP/HTTP to a collector listening in
 * this process, which decodes what it gets. Spans are batched and sent when the gateway shuts down
 * (the flush at shutdown is part of what is proved), so each test closes its gateway before reading.
 */

const ENDING = '2024-03-10T12:00:00Z';
const COLLECTOR_TOKEN = 'collector-token-5e4d3c2b1a09f8e7d6c5';

/** One dashboard's worth: a series Braze answers, a coalesced and a deduplicated alias of it, a cached series, a series whose first attempt gets a 503. */
const DASHBOARD = `query Dashboard {
  purchases: eventSeries(event: "purchase", length: 7, endingAt: "${ENDING}") { total }
  recent: eventSeries(event: "purchase", length: 3, endingAt: "${ENDING}") { total }
  again: eventSeries(event: "purchase", length: 7, endingAt: "${ENDING}") { total }
  signups: eventSeries(event: "signup", length: 7, endingAt: "${ENDING}") { total }
  sessions: sessionSeries(length: 7, endingAt: "${ENDING}") { total }
}`;
const WARM_CACHE = `query Warm { eventSeries(event: "signup", length: 7, endingAt: "${ENDING}") { total } }`;

let started: { braze?: FakeBraze; gateway?: TestGateway; receiver?: OtlpReceiver } = {};

afterEach(async () => {
  await started.gateway?.close();
  await started.braze?.close();
  await started.receiver?.close();
  started = {};
});

async function start(env: Record<string, string>): Promise<{ braze: FakeBraze; gateway: TestGateway; receiver: OtlpReceiver }> {
  const receiver = await startOtlpReceiver();
  const braze = await startFakeBraze();
  started = { receiver, braze };
  const gateway = await startTestGateway(braze, {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url.href,
    BRAZE_RETRY_BASE_MS: '20',
    BRAZE_RETRY_MAX_MS: '40',
    ...env,
  });
  started.gateway = gateway;
  return { braze, gateway, receiver };
}

interface Node {
  readonly name: string;
  readonly kind: number;
  readonly status: number;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  readonly children: readonly Node[];
}

/** The spans of one trace as a tree from `root`, children ordered by name, path and attempt. */
function treeOf(spans: readonly ReceivedSpan[], root: ReceivedSpan): Node {
  const children = spans
    .filter((span) => span.traceId === root.traceId && span.parentSpanId === root.spanId)
    .sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
  return { name: root.name, kind: root.kind, status: root.status.code, attributes: root.attributes, children: children.map((child) => treeOf(spans, child)) };
}

function sortKey(span: ReceivedSpan): string {
  return `${span.name} ${String(span.attributes['graphql.field.path'] ?? '')} ${String(span.attributes['braze.attempt'] ?? '')}`;
}

function operation(spans: readonly ReceivedSpan[], name: string): ReceivedSpan {
  const found = spans.filter((span) => span.attributes['graphql.operation.name'] === name);
  expect(found).toHaveLength(1);
  return found[0]!;
}

const SERVER = 2;
const CLIENT = 3;
const INTERNAL = 1;
const ERROR = 2;
const UNSET = 0;

function resolver(path: string, fieldName: string, children: Node[]): Node {
  return {
    name: `graphql.resolve Query.${fieldName}`,
    kind: INTERNAL,
    status: UNSET,
    attributes: { 'graphql.field.name': fieldName, 'graphql.parent.type': 'Query', 'graphql.field.path': path },
    children,
  };
}

function load(endpoint: string, how: { source: string; coalesced?: boolean; deduplicated?: boolean }, children: Node[] = []): Node {
  return {
    name: `braze.load ${endpoint}`,
    kind: INTERNAL,
    status: UNSET,
    attributes: {
      'braze.endpoint': endpoint,
      'braze.bucket': 'export',
      'braze.deduplicated': how.deduplicated ?? false,
      'braze.source': how.source,
      'braze.coalesced': how.coalesced ?? false,
    },
    children,
  };
}

function attempt(braze: FakeBraze, endpoint: string, path: string, attemptNumber: number, status: number, extra: Record<string, AttributeValue> = {}): Node {
  const failed = status >= 400;
  return {
    name: `GET ${path}`,
    kind: CLIENT,
    status: failed ? ERROR : UNSET,
    attributes: {
      'http.request.method': 'GET',
      'server.address': '127.0.0.1',
      'server.port': Number(braze.url.port),
      'url.scheme': 'http',
      'url.path': path,
      'braze.endpoint': endpoint,
      'braze.bucket': 'export',
      'braze.attempt': attemptNumber,
      ...(attemptNumber > 1 ? { 'http.request.resend_count': attemptNumber - 1 } : {}),
      'http.response.status_code': status,
      ...(failed ? { 'error.type': String(status) } : {}),
      ...extra,
    },
    children: [],
  };
}

describe('OpenTelemetry traces', () => {
  it('one dashboard query: an operation span, a span per resolver that loads, per load and per Braze attempt, with where each answer came from', async () => {
    const { braze, gateway, receiver } = await start({ CACHE_ENABLED: 'true', OTEL_EXPORTER_OTLP_HEADERS: `authorization=Bearer%20${COLLECTOR_TOKEN}` });
    expect((await gateway.query(WARM_CACHE)).errors).toEqual([]);
    let sessionCalls = 0;
    braze.respond((call) => (call.path === '/sessions/data_series' && ++sessionCalls === 1 ? { status: 503, body: { message: 'busy' } } : defaultResponder(call)));
    const result = await gateway.query(DASHBOARD);
    expect(result.errors).toEqual([]);
    expect(result.data).toEqual({ purchases: { total: 28 }, recent: { total: 18 }, again: { total: 28 }, signups: { total: 28 }, sessions: { total: 28 } });
    // Braze saw the purchase series once (7 days, covering the 3), sessions twice, signups not at all (cached).
    expect(braze.calls.map((call) => `${call.path} ${call.query['event'] ?? '-'} ${call.query['length']}`)).toEqual([
      '/events/data_series signup 7',
      '/events/data_series purchase 7',
      '/sessions/data_series - 7',
      '/sessions/data_series - 7',
    ]);
    const retryLine = gateway.logs.map((line) => JSON.parse(line) as { msg: string; retryInMs?: number }).find((line) => line.msg === 'braze attempt failed, retrying');
    expect(retryLine?.retryInMs).toBeTypeOf('number');
    await gateway.close();

    expect(receiver.exports.length).toBeGreaterThan(0);
    for (const sent of receiver.exports) {
      expect(sent.path).toBe('/v1/traces');
      expect(sent.contentType).toBe('application/x-protobuf');
      expect(sent.headers['authorization']).toBe(`Bearer ${COLLECTOR_TOKEN}`);
    }
    const root = operation(receiver.spans, 'Dashboard');
    expect(root.parentSpanId).toBe('');
    expect(root.scope).toBe('braze-analytics-gateway');
    expect(root.resource['service.name']).toBe('braze-analytics-gateway');
    expect(treeOf(receiver.spans, root)).toEqual({
      name: 'query Dashboard',
      kind: SERVER,
      status: UNSET,
      attributes: { 'graphql.operation.type': 'query', 'graphql.operation.name': 'Dashboard' },
      children: [
        resolver('again', 'eventSeries', [load('eventSeries', { source: 'braze', deduplicated: true })]),
        resolver('purchases', 'eventSeries', [
          load('eventSeries', { source: 'braze' }, [attempt(braze, 'eventSeries', '/events/data_series', 1, 200)]),
        ]),
        resolver('recent', 'eventSeries', [load('eventSeries', { source: 'braze', coalesced: true })]),
        // A cache hit: no attempt below it.
        resolver('signups', 'eventSeries', [load('eventSeries', { source: 'cache' })]),
        resolver('sessions', 'sessionSeries', [
          load('sessionSeries', { source: 'braze' }, [
            attempt(braze, 'sessionSeries', '/sessions/data_series', 1, 503, { 'braze.retry_wait_ms': retryLine!.retryInMs! }),
            attempt(braze, 'sessionSeries', '/sessions/data_series', 2, 200),
          ]),
        ]),
      ],
    });
    // Every span of the trace is in that tree (no stray span for a field that loads nothing, like `total`).
    expect(receiver.spans.filter((span) => span.traceId === root.traceId)).toHaveLength(1 + 5 + 5 + 3);
    // Children lie within their parents, give or take the millisecond each span's clock is anchored to
    // (the SDK dates a span's start by Date.now() and its end by adding a monotonic duration).
    const MS = 1_000_000n;
    for (const span of receiver.spans) {
      const parent = receiver.spans.find((other) => other.spanId === span.parentSpanId);
      if (!parent) continue;
      expect(span.startTimeUnixNano + MS >= parent.startTimeUnixNano, `${span.name} starts before ${parent.name}`).toBe(true);
      expect(span.endTimeUnixNano <= parent.endTimeUnixNano + MS, `${span.name} ends after ${parent.name}`).toBe(true);
    }
  });

  it('continues the caller\'s W3C trace: the operation span is a child of the span in `traceparent`; a caller that did not sample gets nothing exported', async () => {
    const { gateway, receiver } = await start({});
    const callerTrace = '0af7651916cd43dd8448eb211c80319c';
    const callerSpan = 'b7ad6b7169203331';
    const sampled = await gateway.post(`query Routed { eventSeries(event: "e", length: 2, endingAt: "${ENDING}") { total } }`, {
      headers: { traceparent: `00-${callerTrace}-${callerSpan}-01`, tracestate: 'router=1' },
    });
    expect(sampled.status).toBe(200);
    const notSampled = await gateway.post(`query NotSampled { eventSeries(event: "e", length: 2, endingAt: "${ENDING}") { total } }`, {
      headers: { traceparent: `00-${'1'.repeat(32)}-${'2'.repeat(16)}-00` },
    });
    expect(notSampled.status).toBe(200);
    const malformed = await gateway.post(`query Malformed { eventSeries(event: "e", length: 2, endingAt: "${ENDING}") { total } }`, {
      headers: { traceparent: 'not-a-trace-parent' },
    });
    expect(malformed.status).toBe(200);
    await gateway.close();

    const routed = operation(receiver.spans, 'Routed');
    expect({ traceId: routed.traceId, parentSpanId: routed.parentSpanId }).toEqual({ traceId: callerTrace, parentSpanId: callerSpan });
    // The whole request's spans are in the caller's trace: operation, resolver, load, attempt.
    expect(receiver.spans.filter((span) => span.traceId === callerTrace).map((span) => span.name).sort()).toEqual([
      'GET /events/data_series',
      'braze.load eventSeries',
      'graphql.resolve Query.eventSeries',
      'query Routed',
    ]);
    expect(receiver.spans.filter((span) => span.attributes['graphql.operation.name'] === 'NotSampled')).toEqual([]);
    expect(receiver.spans.some((span) => span.traceId === '1'.repeat(32))).toBe(false);
    // A traceparent that cannot be read starts a trace of the gateway's own.
    const own = operation(receiver.spans, 'Malformed');
    expect(own.parentSpanId).toBe('');
    expect(own.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('a long window: a span per chunk below the resolver, each with its own call', async () => {
    const { braze, gateway, receiver } = await start({});
    const result = await gateway.query(`query Year { eventSeries(event: "e", length: 150, endingAt: "${ENDING}") { total } }`);
    expect(result.errors).toEqual([]);
    expect(braze.seriesCalls).toHaveLength(2);
    await gateway.close();
    const tree = treeOf(receiver.spans, operation(receiver.spans, 'Year'));
    expect(tree.children.map((child) => child.name)).toEqual(['graphql.resolve Query.eventSeries']);
    const loads = tree.children[0]!.children;
    expect(loads.map((one) => [one.name, one.attributes['braze.source'], one.children.map((child) => child.attributes['http.response.status_code'])])).toEqual([
      ['braze.load eventSeries', 'braze', [200]],
      ['braze.load eventSeries', 'braze', [200]],
    ]);
  });

  it('@defer: the operation span lasts until the last part, and the deferred fields\' spans are in it', async () => {
    const { braze, gateway, receiver } = await start({});
    braze.respond(async (call) => {
      // The deferred field's call answers well after the first part has gone.
      if (call.query['event'] === 'slow') await new Promise((resolve) => setTimeout(resolve, 100));
      return defaultResponder(call);
    });
    const { received } = await readMultipart(
      gateway.url,
      `query Deferred { fast: eventSeries(event: "fast", length: 2, endingAt: "${ENDING}") { total } ... @defer { slow: eventSeries(event: "slow", length: 2, endingAt: "${ENDING}") { total } } }`,
      { headers: gateway.authHeaders },
    );
    expect(received.map((part) => part.payload.hasNext)).toEqual([true, false]);
    await gateway.close();
    const root = operation(receiver.spans, 'Deferred');
    const tree = treeOf(receiver.spans, root);
    expect(tree.children.map((child) => child.attributes['graphql.field.path'])).toEqual(['fast', 'slow']);
    const slow = receiver.spans.find((span) => span.attributes['graphql.field.path'] === 'slow')!;
    expect(slow.endTimeUnixNano <= root.endTimeUnixNano + 1_000_000n).toBe(true);
    expect(root.endTimeUnixNano - root.startTimeUnixNano >= 100_000_000n).toBe(true);
  });

  it('exports OTLP/JSON when the protocol says so', async () => {
    const { gateway, receiver } = await start({ OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json', OTEL_SERVICE_NAME: 'gateway-eu' });
    expect((await gateway.query(`query Json { eventSeries(event: "e", length: 2, endingAt: "${ENDING}") { total } }`)).errors).toEqual([]);
    await gateway.close();
    expect(receiver.exports.map((sent) => sent.contentType)).toEqual(['application/json']);
    const root = operation(receiver.spans, 'Json');
    expect(root.resource['service.name']).toBe('gateway-eu');
    expect(treeOf(receiver.spans, root).children[0]?.children[0]?.children[0]?.attributes['http.response.status_code']).toBe(200);
  });

  it('no span, event or resource carries the REST key, a client credential or a Braze message; the collector token is in no log line', async () => {
    const { braze, gateway, receiver } = await start({ OTEL_EXPORTER_OTLP_HEADERS: `authorization=Bearer%20${COLLECTOR_TOKEN}`, BRAZE_MAX_ATTEMPTS: '1' });
    // Braze (or a proxy in front of it) echoing the request's Authorization header in an error.
    braze.respond((call) => ({ status: 401, body: { message: `invalid key: ${String(call.headers['authorization'])}` } }));
    const refused = await gateway.query(`query Refused { eventSeries(event: "e", length: 2, endingAt: "${ENDING}") { total } }`);
    expect(refused.errors.map((error) => error.extensions?.['code'])).toEqual(['UPSTREAM_UNAUTHORIZED']);
    braze.respond(defaultResponder);
    expect((await gateway.query(`query Fine { eventSeries(event: "e", length: 3, endingAt: "${ENDING}") { total } }`)).errors).toEqual([]);
    await gateway.close();

    const failed = treeOf(receiver.spans, operation(receiver.spans, 'Refused'));
    expect({ status: failed.status, codes: failed.attributes['graphql.error.codes'] }).toEqual({ status: ERROR, codes: ['UPSTREAM_UNAUTHORIZED'] });
    const failedAttempt = failed.children[0]?.children[0]?.children[0];
    expect(failedAttempt?.attributes['error.type']).toBe('401');
    expect(failed.children[0]?.children[0]?.attributes['error.type']).toBe('UPSTREAM_UNAUTHORIZED');

    expect(receiver.exports.length).toBeGreaterThan(0);
    const secrets = [TEST_API_KEY, TEST_AUTH_TOKEN];
    for (const sent of receiver.exports) {
      const body = sent.body.toString('latin1');
      for (const secret of secrets) {
        for (const form of [secret, Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('hex'), secret.slice(0, 12)]) {
          expect(body.includes(form), `an export carries a form of ${secret.slice(0, 6)}…`).toBe(false);
        }
      }
      expect(body).not.toContain('invalid key');
    }
    for (const span of receiver.spans) {
      const text = JSON.stringify([span.name, span.attributes, span.events, span.resource, span.status]);
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
    expect(gateway.logs.some((line) => line.includes(COLLECTOR_TOKEN))).toBe(false);
    expect(gateway.logs.some((line) => line.includes('tracing: exporting spans to'))).toBe(true);
  });

  it('with tracing off (OTEL_SDK_DISABLED=true, or OTEL_TRACES_EXPORTER=none), nothing reaches the collector named', async () => {
    for (const off of [{ OTEL_SDK_DISABLED: 'true' }, { OTEL_TRACES_EXPORTER: 'none' }]) {
      const { gateway, receiver } = await start(off);
      expect((await gateway.query(DASHBOARD)).errors).toEqual([]);
      expect((await gateway.query(WARM_CACHE)).errors).toEqual([]);
      await gateway.close();
      expect(receiver.exports).toEqual([]);
      expect(gateway.logs.some((line) => line.includes('tracing:'))).toBe(false);
      await started.braze?.close();
      await receiver.close();
      started = {};
    }
  });
});
