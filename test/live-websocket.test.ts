import { afterEach, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import WebSocket from 'ws';
import type { FakeBraze } from '../testkit/fakeBraze.js';
import { TEST_AUTH_TOKEN, useFakeBrazeWithGatewaysPerTest, type TestGateway } from './helpers/gateway.js';
import { expectNothingHeld, LIVE_TEST_ENV, liveClient, liveGauges, sleep, subscribe, until, type LiveStream } from './helpers/live.js';
import { startOtlpReceiver } from './helpers/otlpReceiver.js';
import { sampleValue } from './helpers/prometheus.js';
import { openRaw, type RawConnection } from './helpers/rawSocket.js';
import { openAcknowledged, openRawWebSocket, UpgradeRefused, wsClient, wsSubscribe, wsUrl, type RawWebSocket } from './helpers/websocket.js';

/**
 * GraphQL over WebSocket (graphql-ws, `graphql-transport-ws`) at /graphql on the gateway's own
 * listener: many live series on one socket, with SSE's auth, caps, metrics and cleanup, and every
 * hostile frame closed or refused without leaving anything held.
 */

// A poll interval far longer than any test: each series costs exactly one Braze call, so calls count series.
const ENV = { ...LIVE_TEST_ENV, CACHE_TTL_LIVE_MS: '60000', LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT: '3', WS_KEEPALIVE_MS: '60000' };

const SUBSCRIPTION = `subscription ($event: String!) {
  eventSeries(event: $event, length: 3) { series { event total } status { state } }
}`;

/** Braze calls for the event series of `event`. */
const callsFor = (braze: FakeBraze, event: string): number => braze.seriesCalls.filter((call) => call.query['event'] === event).length;

const first = (event: string) => ({ data: { eventSeries: { series: { event, total: 6 }, status: { state: 'LIVE' } } } });

const subscribeMessage = (id: string, event: string) => ({ id, type: 'subscribe', payload: { query: SUBSCRIPTION, variables: { event } } });

const opened: RawWebSocket[] = [];
afterEach(() => {
  for (const raw of opened.splice(0)) raw.socket.terminate();
});
const track = (raw: RawWebSocket): RawWebSocket => {
  opened.push(raw);
  return raw;
};

describe('live series over one WebSocket', () => {
  const { braze, start } = useFakeBrazeWithGatewaysPerTest();

  it('twelve series on one socket: one Braze call per distinct series, gauges exact, all released on complete', async () => {
    const gateway = await start({ ...ENV, LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT: '20' });
    const client = wsClient(gateway);
    const events = Array.from({ length: 12 }, (_, i) => `ws-${i % 6}`);
    const streams = events.map((event) => wsSubscribe(client, SUBSCRIPTION, { event }));
    await Promise.all(streams.map((stream) => stream.waitFor(1)));
    streams.forEach((stream, i) => expect(stream.results[0]).toEqual(first(events[i]!)));
    expect(gateway.running.websockets.connections).toBe(1);
    expect(gateway.running.live.stats()).toMatchObject({ subscriptions: 12, polls: 6 });
    expect(await liveGauges(gateway)).toEqual({ subscriptions: 12, polls: 6 });
    for (let i = 0; i < 6; i++) expect(callsFor(braze, `ws-${i}`)).toBe(1);

    // `complete` from the client for half of them: their slots go, the series they alone watched stop.
    streams.slice(0, 6).forEach((stream) => stream.close());
    await until(() => gateway.running.live.stats().subscriptions === 6, 5_000, 'six released');
    expect(await liveGauges(gateway)).toEqual({ subscriptions: 6, polls: 6 });
    streams.slice(6).forEach((stream) => stream.close());
    await expectNothingHeld(gateway);
    await client.dispose();
  });

  it('queries run over the socket with the same limits as over HTTP', async () => {
    const gateway = await start({ ...ENV, QUERY_MAX_DEPTH: '2' });
    const raw = track(await openAcknowledged(gateway));
    const query = '{ eventSeries(event: "purchase", length: 2) { total } }';
    const overHttp = await gateway.query(query);
    raw.send({ id: 'q', type: 'subscribe', payload: { query } });
    const answer = await raw.next((message) => message['id'] === 'q' && message['type'] === 'next');
    // The same answer as over HTTP, with the same extensions (brazeCache), from the cache it shares.
    expect(answer).toMatchObject({ id: 'q', type: 'next', payload: { data: overHttp.data, extensions: { brazeCache: expect.any(Object) } } });
    await raw.next((message) => message['id'] === 'q' && message['type'] === 'complete');

    raw.send({ id: 'deep', type: 'subscribe', payload: { query: '{ eventSeries(event: "purchase", length: 2) { points { time } } a: eventSeries(event: "x", length: 2) { points { time } } }' } });
    const refused = await raw.next((message) => message['id'] === 'deep');
    expect(refused).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'maxDepth' } }] });
    // Yoga's internal extensions never go out.
    expect(JSON.stringify(refused)).not.toMatch(/"http"|"unexpected"/);
    expect(callsFor(braze, 'x')).toBe(0);
  });

  it('persisted-operations mode applies over the socket: a document sent as query is refused', async () => {
    const manifest = (await import('node:fs')).mkdtempSync((await import('node:path')).join((await import('node:os')).tmpdir(), 'ws-persisted-'));
    const file = `${manifest}/manifest.json`;
    (await import('node:fs')).writeFileSync(file, JSON.stringify({ 'sha256:abc': 'query Total { eventSeries(event: "purchase", length: 2) { total } }' }));
    const gateway = await start({ ...ENV, PERSISTED_OPERATIONS_FILE: file });
    const raw = track(await openAcknowledged(gateway));
    raw.send({ id: 'free', type: 'subscribe', payload: { query: SUBSCRIPTION, variables: { event: 'free' } } });
    expect(await raw.next((message) => message['id'] === 'free')).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'PERSISTED_QUERY_ID_REQUIRED' } }] });
    raw.send({ id: 'known', type: 'subscribe', payload: { query: '', extensions: { persistedQuery: { version: 1, sha256Hash: 'abc' } } } });
    expect(await raw.next((message) => message['id'] === 'known' && message['type'] === 'next')).toMatchObject({ id: 'known', type: 'next', payload: { data: { eventSeries: { total: expect.any(Number) } } } });
    await expectNothingHeld(gateway);
    expect(callsFor(braze, 'free')).toBe(0);
  });
});

describe('what applies to HTTP requests applies over the socket', () => {
  const { braze, start } = useFakeBrazeWithGatewaysPerTest();

  it("errors: Braze's failure reaches the client as over HTTP (the same masked message and code, no internal extensions)", async () => {
    const gateway = await start({ ...ENV, BRAZE_RETRY_BASE_MS: '10', BRAZE_RETRY_MAX_MS: '20' });
    braze.respond(() => ({ status: 500, body: { message: 'internal-detail-7f3a of the upstream' } }));
    const raw = track(await openAcknowledged(gateway));
    raw.send({ id: 'q', type: 'subscribe', payload: { query: '{ eventSeries(event: "failing", length: 2) { total } }' } });
    const answer = await raw.next((message) => message['id'] === 'q' && message['type'] === 'next');
    const overHttp = await gateway.query('{ eventSeries(event: "failing", length: 2) { total } }');
    expect(overHttp.errors[0]?.extensions?.['code']).toMatch(/^UPSTREAM_/);
    expect(answer).toMatchObject({ payload: { data: { eventSeries: null }, errors: [{ message: overHttp.errors[0]?.message, extensions: { code: overHttp.errors[0]?.extensions?.['code'] } }] } });
    // Everything but the attempts (the breaker's state differs between the two calls).
    const withoutAttempts = (errors: readonly { extensions?: Record<string, unknown> }[]) =>
      errors.map(({ extensions: { attempts: _attempts, ...extensions } = {}, ...error }) => ({ ...error, extensions }));
    expect(withoutAttempts((answer['payload'] as { errors: { extensions?: Record<string, unknown> }[] }).errors)).toEqual(withoutAttempts(overHttp.errors));
  });

  it('with the caches on, a repeated query over the socket is answered from them: no second Braze call, the same data', async () => {
    const gateway = await start({ ...ENV, CACHE_ENABLED: 'true', RESPONSE_CACHE_ENABLED: 'true' });
    const raw = track(await openAcknowledged(gateway));
    const query = '{ eventSeries(event: "cached", length: 2, endingAt: "2024-03-10T00:00:00Z") { total points { time count } } }';
    raw.send({ id: 'a', type: 'subscribe', payload: { query } });
    const first = await raw.next((message) => message['id'] === 'a' && message['type'] === 'next');
    raw.send({ id: 'b', type: 'subscribe', payload: { query } });
    const second = await raw.next((message) => message['id'] === 'b' && message['type'] === 'next');
    expect((second['payload'] as { data: unknown }).data).toEqual((first['payload'] as { data: unknown }).data);
    expect(JSON.stringify(second)).not.toMatch(/"http"/);
    expect(callsFor(braze, 'cached')).toBe(1);
  });

  it('tracing: an operation over the socket is a span like one over HTTP', async () => {
    const receiver = await startOtlpReceiver();
    try {
      const gateway = await start({ ...ENV, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url.href });
      const raw = track(await openAcknowledged(gateway));
      raw.send({ id: 'q', type: 'subscribe', payload: { query: 'query OverTheSocket { eventSeries(event: "traced", length: 2) { total } }' } });
      await raw.next((message) => message['id'] === 'q' && message['type'] === 'complete');
      // Spans are exported at shutdown.
      await gateway.close();
      const operation = receiver.spans.find((span) => span.name === 'query OverTheSocket');
      expect(operation).toMatchObject({ kind: 2, attributes: expect.objectContaining({ 'graphql.operation.name': 'OverTheSocket' }) });
      expect(receiver.spans.some((span) => span.traceId === operation!.traceId && span.spanId !== operation!.spanId)).toBe(true);
    } finally {
      await receiver.close();
    }
  });

  it('a JWT that expires while the socket is open opens nothing more: the next subscribe closes it with 4403', async () => {
    const secret = 'ws-test-hs256-secret-0123456789abcdef';
    const gateway = await start({ ...ENV, AUTH_JWT_SECRET: secret });
    // The check allows 5 s of clock skew: expired for it once exp + 5 s has passed.
    const exp = Math.floor(Date.now() / 1000) + 1;
    const token = await new SignJWT({ sub: 'panel-user' }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime(exp).sign(new TextEncoder().encode(secret));
    const raw = track(await openAcknowledged(gateway, `Bearer ${token}`));
    raw.send(subscribeMessage('before', 'jwt-before'));
    await raw.next((message) => message['id'] === 'before' && message['type'] === 'next');
    await until(() => Date.now() > (exp + 6) * 1000, 15_000, 'the token expired');
    raw.send(subscribeMessage('after', 'jwt-after'));
    expect((await raw.closed).code).toBe(4403);
    expect(callsFor(braze, 'jwt-after')).toBe(0);
    await expectNothingHeld(gateway);
  }, 30_000);
});

describe('credentials', () => {
  const { braze, start } = useFakeBrazeWithGatewaysPerTest();

  it.each([
    ['no credential at all', {}, undefined, 4401],
    ['an unknown token in connectionParams', { authorization: 'Bearer not-a-token' }, undefined, 4403],
    ['a credential that is not Bearer', { authorization: `Basic ${TEST_AUTH_TOKEN}` }, undefined, 4403],
    ['a number instead of a string', { authorization: 12 }, undefined, 4401],
    ['an unknown token in the upgrade header', {}, { authorization: 'Bearer nope' }, 4403],
  ] as const)('%s: closed with %s, nothing subscribed', async (_what, params, headers, code) => {
    const gateway = await start(ENV);
    const raw = track(await openRawWebSocket(gateway, headers ? { headers } : {}));
    raw.send({ type: 'connection_init', payload: params });
    expect((await raw.closed).code).toBe(code);
    expect(raw.messages).toEqual([]);
    await expectNothingHeld(gateway);
    expect(braze.calls).toHaveLength(0);
    // The credential is never written to the log.
    expect(gateway.logs.join('\n')).not.toContain('not-a-token');
  });

  it.each([
    ['connectionParams.authorization', { authorization: `Bearer ${TEST_AUTH_TOKEN}` }, {}],
    ['connectionParams.Authorization', { Authorization: `bearer  ${TEST_AUTH_TOKEN}` }, {}],
    ["the upgrade request's Authorization header", {}, { authorization: `Bearer ${TEST_AUTH_TOKEN}` }],
  ] as const)('accepted from %s', async (_what, params, headers) => {
    const gateway = await start(ENV);
    const raw = track(await openRawWebSocket(gateway, { headers }));
    raw.send({ type: 'connection_init', payload: params });
    await raw.next((message) => message['type'] === 'connection_ack');
    raw.send(subscribeMessage('1', 'accepted'));
    expect(await raw.next((message) => message['type'] === 'next')).toEqual({ id: '1', type: 'next', payload: first('accepted') });
  });

  it('a subscribe before connection_init closes the socket with 4401', async () => {
    const gateway = await start(ENV);
    const raw = track(await openRawWebSocket(gateway));
    raw.send(subscribeMessage('1', 'early'));
    expect((await raw.closed).code).toBe(4401);
    await expectNothingHeld(gateway);
  });

  it('LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT counts one credential over SSE and WebSocket together', async () => {
    const gateway = await start(ENV);
    const sse = liveClient(gateway);
    const overSse = [subscribe(sse, SUBSCRIPTION, { event: 'sse-0' }), subscribe(sse, SUBSCRIPTION, { event: 'sse-1' })];
    await Promise.all(overSse.map((stream) => stream.waitFor(1)));
    const raw = track(await openAcknowledged(gateway));
    raw.send(subscribeMessage('third', 'ws-third'));
    await raw.next((message) => message['id'] === 'third' && message['type'] === 'next');
    raw.send(subscribeMessage('fourth', 'ws-fourth'));
    const refused = await raw.next((message) => message['id'] === 'fourth');
    expect(refused).toMatchObject({
      id: 'fourth',
      type: 'error',
      payload: [{ message: 'This client already has 3 live series open, the most it may; close one first', extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', limit: 3, scope: 'client' } }],
    });
    expect(callsFor(braze, 'ws-fourth')).toBe(0);
    expect(await liveGauges(gateway)).toEqual({ subscriptions: 3, polls: 3 });
    // The socket stays open for the others, and the refusal is counted.
    expect(raw.socket.readyState).toBe(WebSocket.OPEN);
    const metrics = await (await fetch(new URL('/metrics', gateway.url))).text();
    expect(sampleValue(metrics, 'braze_gateway_graphql_errors_total', { code: 'TOO_MANY_SUBSCRIPTIONS' })).toBe(1);
    overSse.forEach((stream) => stream.close());
    raw.socket.close();
    await expectNothingHeld(gateway);
  });

  it('LIVE_MAX_SUBSCRIPTIONS holds for the whole process over WebSocket', async () => {
    const gateway = await start({ ...ENV, LIVE_MAX_SUBSCRIPTIONS: '2', LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT: '2' });
    const raw = track(await openAcknowledged(gateway));
    raw.send(subscribeMessage('a', 'total-a'));
    raw.send(subscribeMessage('b', 'total-b'));
    raw.send(subscribeMessage('c', 'total-c'));
    expect(await raw.next((message) => message['id'] === 'c')).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', scope: 'total', limit: 2 } }] });
    await until(() => gateway.running.live.stats().polls === 2, 5_000, 'two polls');
    expect(callsFor(braze, 'total-c')).toBe(0);
  });
});

describe('SSE streams hold connections, WebSocket operations do not', () => {
  const { braze, start } = useFakeBrazeWithGatewaysPerTest();

  it('LIVE_MAX_SSE_STREAMS refuses the next SSE stream (scope sse) while WebSocket subscriptions go on; a closed stream frees its slot', async () => {
    const gateway = await start({ ...ENV, SERVER_MAX_CONNECTIONS: '20', LIVE_MAX_SSE_STREAMS: '2', LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT: '10' });
    const sse = liveClient(gateway);
    const streams = [subscribe(sse, SUBSCRIPTION, { event: 'sse-a' }), subscribe(sse, SUBSCRIPTION, { event: 'sse-b' })];
    await Promise.all(streams.map((stream) => stream.waitFor(1)));
    const third = subscribe(sse, SUBSCRIPTION, { event: 'sse-c' });
    await third.done;
    expect(third.results).toEqual([
      {
        errors: [
          expect.objectContaining({
            message: 'The gateway already streams 2 live series over SSE, the most it may; subscribe over WebSocket (graphql-ws), which carries many on one connection, or try again later',
            extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', limit: 2, scope: 'sse' },
          }),
        ],
      },
    ]);
    expect(callsFor(braze, 'sse-c')).toBe(0);
    // Over WebSocket, five more on one connection.
    const raw = track(await openAcknowledged(gateway));
    for (let i = 0; i < 5; i++) raw.send(subscribeMessage(`w${i}`, `ws-${i}`));
    await until(() => raw.messages.filter((message) => message['type'] === 'next').length === 5, 10_000, 'five over WebSocket');
    expect(await liveGauges(gateway)).toEqual({ subscriptions: 7, polls: 7 });
    // One SSE stream ends: its slot is free for the next.
    streams[0]!.close();
    await until(() => gateway.running.live.stats().subscriptions === 6, 5_000, 'the stream released');
    const again = subscribe(sse, SUBSCRIPTION, { event: 'sse-d' });
    await again.waitFor(1);
    expect(again.results[0]).toEqual(first('sse-d'));
    again.close();
    streams[1]!.close();
    raw.socket.close();
    await expectNothingHeld(gateway);
  });
});

describe('Origin: cross-site WebSocket hijacking', () => {
  const { start } = useFakeBrazeWithGatewaysPerTest();

  it.each([
    ['a page on another origin, CORS_ORIGINS unset', {}, 'https://evil.example', 403],
    ['a page on an origin CORS_ORIGINS does not list', { CORS_ORIGINS: 'https://dash.example' }, 'https://evil.example', 403],
    ['the opaque origin of a sandboxed page', { CORS_ORIGINS: 'https://dash.example' }, 'null', 403],
  ] as const)('%s: refused before the upgrade completes', async (_what, env, origin, status) => {
    const gateway = await start({ ...ENV, ...env });
    const refusal = await openRawWebSocket(gateway, { headers: { origin, authorization: `Bearer ${TEST_AUTH_TOKEN}` } }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(UpgradeRefused);
    expect((refusal as UpgradeRefused).status).toBe(status);
    expect(gateway.running.websockets.connections).toBe(0);
  });

  it.each([
    ['an origin CORS_ORIGINS lists', { CORS_ORIGINS: 'https://dash.example' }, 'https://dash.example'],
    ["the gateway's own origin (same-origin page)", {}, 'SELF'],
    ['any origin with CORS_ORIGINS=*', { CORS_ORIGINS: '*' }, 'https://anywhere.example'],
  ] as const)('%s: upgraded', async (_what, env, origin) => {
    const gateway = await start({ ...ENV, ...env });
    const raw = track(await openRawWebSocket(gateway, { headers: { origin: origin === 'SELF' ? gateway.url.origin : origin } }));
    expect(raw.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('another path, or no graphql-transport-ws subprotocol, is not served', async () => {
    const gateway = await start(ENV);
    const elsewhere = await new Promise<number>((resolve) => {
      const socket = new WebSocket(wsUrl(gateway).replace('/graphql', '/metrics'), 'graphql-transport-ws');
      socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      socket.once('error', () => resolve(-1));
    });
    expect(elsewhere).toBe(404);
    // The legacy subscriptions-transport-ws protocol: refused by the handshake (no subprotocol chosen).
    const legacy = await new Promise<string>((resolve) => {
      const socket = new WebSocket(wsUrl(gateway), 'graphql-ws');
      socket.once('error', (error) => resolve(error.message));
      socket.once('open', () => resolve('opened'));
    });
    expect(legacy).toMatch(/subprotocol/i);
  });
});

describe('cleanup: whatever ends a socket releases everything it held', () => {
  const { braze, start } = useFakeBrazeWithGatewaysPerTest();

  const subscribeTwo = async (gateway: TestGateway): Promise<RawWebSocket> => {
    const raw = track(await openAcknowledged(gateway));
    raw.send(subscribeMessage('1', 'clean-1'));
    raw.send(subscribeMessage('2', 'clean-2'));
    await raw.next((message) => message['id'] === '2' && message['type'] === 'next');
    await raw.next((message) => message['id'] === '1' && message['type'] === 'next');
    expect(await liveGauges(gateway)).toEqual({ subscriptions: 2, polls: 2 });
    return raw;
  };

  it('the client closes the socket', async () => {
    const gateway = await start(ENV);
    const raw = await subscribeTwo(gateway);
    raw.socket.close(1000);
    await expectNothingHeld(gateway);
    await until(() => gateway.running.websockets.connections === 0, 5_000, 'socket gone');
  });

  it('the client drops the TCP connection without a close frame', async () => {
    const gateway = await start(ENV);
    const raw = await subscribeTwo(gateway);
    raw.socket.terminate();
    await expectNothingHeld(gateway);
  });

  it('a peer that stops answering (no close frame, no FIN) is dropped by the keep-alive', async () => {
    const gateway = await start({ ...ENV, WS_KEEPALIVE_MS: '300' });
    const raw = await subscribeTwo(gateway);
    // The client stops reading: it never sees the pings, so never answers them, as a vanished host.
    (raw.socket as unknown as { _socket: import('node:net').Socket })._socket.pause();
    await until(() => gateway.running.live.stats().subscriptions === 0, 10_000, 'the silent socket dropped');
    await expectNothingHeld(gateway);
    expect(gateway.running.websockets.connections).toBe(0);
  });

  it('a live socket that answers pings is kept past SERVER_IDLE_TIMEOUT_MS', async () => {
    const gateway = await start({ ...ENV, WS_KEEPALIVE_MS: '200', SERVER_IDLE_TIMEOUT_MS: '300' });
    const raw = await subscribeTwo(gateway);
    await sleep(1_200);
    expect(raw.socket.readyState).toBe(WebSocket.OPEN);
    expect(await liveGauges(gateway)).toEqual({ subscriptions: 2, polls: 2 });
  });

  it('shutdown: each subscription completes, then the socket closes with 1001', async () => {
    const gateway = await start(ENV);
    const raw = await subscribeTwo(gateway);
    await gateway.close();
    expect(await raw.closed).toEqual({ code: 1001, reason: 'Going away' });
    expect(raw.messages.filter((message) => message['type'] === 'complete').map((message) => message['id']).sort()).toEqual(['1', '2']);
    expect(gateway.running.live.stats()).toEqual({ polls: 0, subscriptions: 0, timers: 0, inFlight: 0 });
    expect(callsFor(braze, 'clean-1')).toBe(1);
  });

  it('a graphql-ws client sees its subscriptions complete at shutdown', async () => {
    const gateway = await start(ENV);
    const closes: number[] = [];
    const client = wsClient(gateway, undefined, { onClosed: (code) => closes.push(code) });
    const streams: LiveStream[] = [wsSubscribe(client, SUBSCRIPTION, { event: 'bye-1' }), wsSubscribe(client, SUBSCRIPTION, { event: 'bye-2' })];
    await Promise.all(streams.map((stream) => stream.waitFor(1)));
    await gateway.close();
    await Promise.all(streams.map((stream) => stream.done));
    expect(streams.map((stream) => stream.ended)).toEqual(['complete', 'complete']);
    // The client, lazy, closes its socket itself (1000) once its last operation completed; if the
    // server's 1001 comes first, that.
    await until(() => closes.length > 0, 5_000, 'socket closed');
    expect([1000, 1001]).toContain(closes[0]);
  });
});

describe('hostile frames: closed or refused, never a leak', () => {
  const { braze, start } = useFakeBrazeWithGatewaysPerTest();

  it.each([
    ['not JSON', '{"type": "subscribe", ', 4400],
    ['an unknown message type', { type: 'launch', id: '1' }, 4400],
    ['a subscribe without a query', { id: '1', type: 'subscribe', payload: { variables: {} } }, 4400],
    ['a subscribe with an empty id', { id: '', type: 'subscribe', payload: { query: '{ __typename }' } }, 4400],
    ['a second connection_init', { type: 'connection_init' }, 4429],
  ] as const)('%s: closed with %s', async (_what, frame, code) => {
    const gateway = await start(ENV);
    const raw = track(await openAcknowledged(gateway));
    raw.send(subscribeMessage('held', 'hostile'));
    await raw.next((message) => message['id'] === 'held' && message['type'] === 'next');
    raw.send(frame);
    expect((await raw.closed).code).toBe(code);
    await expectNothingHeld(gateway);
  });

  it('a duplicate id closes the socket with 4409 and releases the first', async () => {
    const gateway = await start(ENV);
    const raw = track(await openAcknowledged(gateway));
    raw.send(subscribeMessage('same', 'dup-1'));
    await raw.next((message) => message['id'] === 'same' && message['type'] === 'next');
    raw.send(subscribeMessage('same', 'dup-2'));
    expect((await raw.closed).code).toBe(4409);
    await expectNothingHeld(gateway);
    expect(callsFor(braze, 'dup-2')).toBe(0);
  });

  it('a 10 MB message closes the socket with 1009 before it is parsed', async () => {
    const gateway = await start(ENV);
    const raw = track(await openAcknowledged(gateway));
    raw.send(subscribeMessage('held', 'big'));
    await raw.next((message) => message['id'] === 'held' && message['type'] === 'next');
    raw.send({ id: 'big', type: 'subscribe', payload: { query: `{ __typename }${' '.repeat(10_000_000)}` } });
    expect((await raw.closed).code).toBe(1009);
    await expectNothingHeld(gateway);
  });

  it('no connection_init within WS_CONNECTION_INIT_TIMEOUT_MS: closed with 4408', async () => {
    const gateway = await start({ ...ENV, WS_CONNECTION_INIT_TIMEOUT_MS: '300' });
    const raw = track(await openRawWebSocket(gateway));
    expect((await raw.closed).code).toBe(4408);
  });

  it('10,000 subscribes on one socket: WS_MAX_OPERATIONS_PER_CONNECTION open at most, the rest refused, all released on close', async () => {
    const gateway = await start({ ...ENV, LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT: '300', WS_MAX_OPERATIONS_PER_CONNECTION: '50' });
    const raw = track(await openAcknowledged(gateway));
    for (let i = 0; i < 10_000; i++) raw.send(subscribeMessage(`s${i}`, `flood-${i % 25}`));
    await until(() => raw.messages.filter((message) => message['type'] === 'error').length === 9_950, 60_000, 'every refusal');
    const errors = raw.messages.filter((message) => message['type'] === 'error');
    expect(new Set(errors.map((message) => JSON.stringify(message['payload'])))).toEqual(
      new Set([JSON.stringify([{ message: 'This connection already has 50 operations open, the most it may; complete one first or open another connection', extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', limit: 50, scope: 'connection' } }])]),
    );
    await until(() => gateway.running.live.stats().subscriptions === 50, 10_000, 'fifty open');
    expect(await liveGauges(gateway)).toEqual({ subscriptions: 50, polls: 25 });
    await until(() => braze.seriesCalls.length >= 25, 5_000, 'each series polled');
    expect(braze.seriesCalls).toHaveLength(25);
    raw.socket.close();
    await expectNothingHeld(gateway);
  }, 90_000);

  it('SERVER_MAX_CONNECTIONS: a crowd of idle connections evicts each other, never an open WebSocket', async () => {
    const gateway = await start({ ...ENV, SERVER_MAX_CONNECTIONS: '6', WS_MAX_CONNECTIONS: '2', LIVE_MAX_SSE_STREAMS: '2', SERVER_IDLE_TIMEOUT_MS: '60000' });
    const sockets = [track(await openAcknowledged(gateway)), track(await openAcknowledged(gateway))];
    sockets.forEach((raw, i) => raw.send(subscribeMessage('1', `kept-${i}`)));
    await Promise.all(sockets.map((raw) => raw.next((message) => message['type'] === 'next')));
    // Twice the cap of silent connections: each newcomer past it closes the oldest idle one.
    const idle: RawConnection[] = [];
    for (let i = 0; i < 12; i++) idle.push(await openRaw(gateway.url));
    await until(() => idle.filter((connection) => connection.closed()).length >= 8, 10_000, 'idle connections evicted');
    expect(sockets.map((raw) => raw.socket.readyState)).toEqual([WebSocket.OPEN, WebSocket.OPEN]);
    expect(await liveGauges(gateway)).toEqual({ subscriptions: 2, polls: 2 });
    idle.forEach((connection) => connection.socket.destroy());
  });

  it('WS_MAX_CONNECTIONS: the next upgrade is refused with 503, queries still answered', async () => {
    const gateway = await start({ ...ENV, WS_MAX_CONNECTIONS: '2' });
    track(await openRawWebSocket(gateway));
    track(await openRawWebSocket(gateway));
    const refusal = await openRawWebSocket(gateway).catch((error: unknown) => error);
    expect((refusal as UpgradeRefused).status).toBe(503);
    expect((await gateway.query('{ __typename }')).status).toBe(200);
  });
});
