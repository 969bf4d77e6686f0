import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutgoingHttpHeaders } from 'node:http';
import { defaultSeries, type FakeBraze } from '../testkit/fakeBraze.js';
import { startGatewayWithFakeBraze, stopGatewayWithFakeBraze, useGatewayWithFakeBraze, type TestGateway } from './helpers/gateway.js';
import { exchange, expectNothingHeld, LIVE_TEST_ENV, liveClient, liveGauges, sleep, subscribe, until, type Exchange } from './helpers/live.js';
import { sampleValue } from './helpers/prometheus.js';
import { closedWithin, openRaw } from './helpers/rawSocket.js';

/**
 * Every way a subscription can arrive (POST with a JSON body, GET with the query in the URL, the
 * graphql-sse client, a raw socket) with every kind of Accept, ordinary and hostile: what may stream
 * streams, what may not is refused with a readable 406 before anything subscribes, and whatever ends
 * the request leaves nothing held (no subscription, poll, timer, call in flight; the gauges at 0).
 */

// A poll interval far longer than any test: each stream costs exactly one Braze call, so calls count streams.
const ENV = { ...LIVE_TEST_ENV, CACHE_TTL_LIVE_MS: '60000', LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT: '3' };

const SUBSCRIPTION = `subscription ($event: String!) {
  eventSeries(event: $event, length: 3) { series { event total } status { state } }
}`;

/** Apollo Client's HttpLink sends this for a subscription (its multipart subscription protocol). */
const APOLLO_ACCEPT = 'multipart/mixed;boundary="graphql";subscriptionSpec="1.0", application/json';
/** The same, as later Apollo Client 4 releases send it (GraphQL over HTTP media types). */
const APOLLO_ACCEPT_NEWER = 'multipart/mixed;boundary=graphql;subscriptionSpec=1.0,application/graphql-response+json,application/json;q=0.9';

/** [what, Accept (undefined: no header at all), whether it may stream]. */
const ACCEPTS: readonly (readonly [string, string | undefined, boolean])[] = [
  ['no Accept header', undefined, true],
  ['*/*', '*/*', true],
  ['text/*', 'text/*', true],
  ['text/event-stream', 'text/event-stream', true],
  ['text/event-stream;charset=utf-8', 'text/event-stream;charset=utf-8', true],
  ['upper case', 'TEXT/EVENT-STREAM; CHARSET=UTF-8', true],
  ['whitespace inside (yoga drops it all)', ' text / event-stream ,\tapplication/json ', true],
  ['*/event-stream', '*/event-stream', true],
  ['JSON preferred by q, SSE acceptable', 'application/json, text/event-stream;q=0.1', true],
  ['*/* with JSON', 'application/json, */*;q=0.5', true],
  ['5,000 commas, then SSE', `${','.repeat(5_000)}text/event-stream`, true],
  ['a 12,000-character value ending with SSE', `application/x-${'a'.repeat(12_000)}, text/event-stream`, true],
  ['SSE given its own q=1 beside a refused */*', '*/*;q=0, text/event-stream', true],
  ['application/json', 'application/json', false],
  ['application/graphql-response+json', 'application/graphql-response+json', false],
  ['multipart/mixed', 'multipart/mixed', false],
  ["Apollo Client 4's HttpLink", APOLLO_ACCEPT, false],
  ["later Apollo Client 4's HttpLink", APOLLO_ACCEPT_NEWER, false],
  ['text/html', 'text/html', false],
  ['image/png', 'image/png', false],
  ['garbage', '}{ not a media type ;;; \u00ff', false],
  ['an empty range list', ',', false],
  ['5,000 commas alone', ','.repeat(5_000), false],
  ['a 12,000-character value without SSE', `application/x-${'a'.repeat(12_000)}`, false],
  ['text/event-stream;charset=latin1 (yoga skips non-UTF-8)', 'text/event-stream;charset=latin1', false],
  ['a quoted charset (yoga skips it)', 'text/event-stream;charset="utf-8"', false],
  ['a parameter merely containing charset= (yoga skips it)', 'text/event-stream;xcharset=utf-8', false],
  ['text/event-stream;q=0 (refused by the client)', 'text/event-stream;q=0', false],
  ['text/event-stream;q=0.000 beside */*', 'text/event-stream;q=0.000, */*', false],
  ['text/*;q=0', 'text/*;q=0', false],
];

const TRANSPORTS = ['POST', 'GET'] as const;

/** The headers one test request carries: the credential, GET's CSRF header, and the Accept under test. */
function headersFor(gateway: TestGateway, method: 'GET' | 'POST', accept: string | undefined): OutgoingHttpHeaders {
  return { ...gateway.authHeaders, ...(method === 'GET' ? { 'x-graphql-yoga-csrf': '1' } : {}), ...(accept !== undefined ? { accept } : {}) };
}

interface WireBody {
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** The refusal every test expects of a subscription that cannot be streamed: 406, JSON, a code and what to send. */
function expectNotAccepted(response: Exchange, accept?: string): void {
  expect(response.status).toBe(406);
  // A client that names application/graphql-response+json gets the refusal in it (it then reads the body).
  const mediaType = accept?.includes('application/graphql-response+json') ? 'application/graphql-response+json' : 'application/json';
  expect(response.headers['content-type']).toBe(`${mediaType}; charset=utf-8`);
  expect(JSON.parse(response.body())).toEqual({
    errors: [{ message: expect.stringMatching(/send Accept: text\/event-stream \(GraphQL over SSE/), extensions: { code: 'SUBSCRIPTION_NOT_ACCEPTED' } }],
  });
}

/** Braze calls for the event series of `event`. */
const callsFor = (braze: FakeBraze, event: string): number => braze.seriesCalls.filter((call) => call.query['event'] === event).length;

describe('a subscription over every transport and Accept: streamed or refused, and nothing held afterwards', () => {
  const { braze, gateway } = useGatewayWithFakeBraze(ENV);

  for (const method of TRANSPORTS) {
    describe(method, () => {
      it.each(ACCEPTS.map(([what, accept, streams], index) => [what, accept, streams, index] as const))('%s', async (_what, accept, streams, index) => {
        const event = `${method}-${index}`;
        const response = await exchange(gateway.url, { method, query: SUBSCRIPTION, variables: { event }, headers: headersFor(gateway, method, accept) });
        if (method === 'GET' && accept?.includes('text/html')) {
          // A browser's GET: the GraphiQL page, not a GraphQL request.
          await response.ended;
          expect(response.status).toBe(200);
          expect(response.headers['content-type']).toBe('text/html');
          await expectNothingHeld(gateway);
          expect(braze.calls).toHaveLength(0);
        } else if (streams) {
          expect(response.status).toBe(200);
          expect(response.headers['content-type']).toBe('text/event-stream');
          const first = await response.nextEvent();
          expect(first).toEqual({ data: { eventSeries: { series: { event, total: 6 }, status: { state: 'LIVE' } } } });
          expect(gateway.running.live.stats()).toMatchObject({ subscriptions: 1, polls: 1 });
          expect(await liveGauges(gateway)).toEqual({ subscriptions: 1, polls: 1 });
          // The client goes away mid-stream.
          response.close();
          await expectNothingHeld(gateway);
          expect(callsFor(braze, event)).toBe(1);
        } else {
          await response.ended;
          expectNotAccepted(response, accept);
          await expectNothingHeld(gateway);
          // Long enough for a poll started by the request to have reached Braze.
          await sleep(300);
          expect(braze.calls).toHaveLength(0);
        }
      });
    });
  }

  it('an Accept longer than the server takes (over 16 KiB): 431 from Node, before anything runs', async () => {
    const response = await exchange(gateway.url, { method: 'POST', query: SUBSCRIPTION, variables: { event: 'huge' }, headers: headersFor(gateway, 'POST', `text/event-stream, ${'a'.repeat(20_000)}`) });
    await response.ended;
    expect(response.status).toBe(431);
    await expectNothingHeld(gateway);
    expect(braze.calls).toHaveLength(0);
  });

  describe('duplicated Accept headers (raw socket): Node joins them with a comma, as yoga then reads them', () => {
    const cases: readonly (readonly [readonly string[], boolean])[] = [
      [['application/json', 'text/event-stream'], true],
      [['application/json', 'application/json'], false],
      [['text/event-stream;q=0', '*/*'], false],
      [['multipart/mixed', 'text/html'], false],
    ];
    it.each(cases)('%j → streams: %s', async (accepts, streams) => {
      const event = `raw-${accepts.join('+')}`;
      const body = JSON.stringify({ query: SUBSCRIPTION, variables: { event } });
      const connection = await openRaw(gateway.url);
      connection.socket.write(
        [
          `POST ${gateway.url.pathname} HTTP/1.1`,
          `Host: ${gateway.url.host}`,
          `Authorization: ${gateway.authHeaders['authorization'] ?? ''}`,
          'Content-Type: application/json',
          ...accepts.map((accept) => `Accept: ${accept}`),
          `Content-Length: ${Buffer.byteLength(body)}`,
          'Connection: close',
          '',
          body,
        ].join('\r\n'),
      );
      if (streams) {
        await until(() => connection.received().includes('event: next'), 10_000, 'the first event');
        expect(connection.received()).toMatch(/^HTTP\/1\.1 200 /);
        connection.socket.destroy();
        await expectNothingHeld(gateway);
        expect(callsFor(braze, event)).toBe(1);
      } else {
        expect(await closedWithin(connection, 10_000)).toBeDefined();
        const received = connection.received();
        expect(received).toMatch(/^HTTP\/1\.1 406 /);
        expect(received).toMatch(/\r\ncontent-type: application\/json; charset=utf-8\r\n/i);
        expect(received).toContain('"code":"SUBSCRIPTION_NOT_ACCEPTED"');
        await expectNothingHeld(gateway);
        await sleep(300);
        expect(braze.calls).toHaveLength(0);
      }
    });
  });

  it('the graphql-sse client (distinct connections) streams; unsubscribing releases everything', async () => {
    const stream = subscribe(liveClient(gateway), SUBSCRIPTION, { event: 'sse-client' });
    await stream.waitFor(1);
    expect(stream.results[0]).toEqual({ data: { eventSeries: { series: { event: 'sse-client', total: 6 }, status: { state: 'LIVE' } } } });
    expect(await liveGauges(gateway)).toEqual({ subscriptions: 1, polls: 1 });
    stream.close();
    await expectNothingHeld(gateway);
    expect(callsFor(braze, 'sse-client')).toBe(1);
  });

  it('a refusal is readable whatever the Accept: 401 without a credential, a POST a form could send included', async () => {
    // Types yoga writes nothing in: the refusal as JSON (yoga alone: an empty 406).
    for (const accept of ['text/html', 'image/png', '}{ garbage']) {
      const anonymous = await exchange(gateway.url, { method: 'POST', query: SUBSCRIPTION, variables: { event: 'anonymous' }, headers: { accept } });
      await anonymous.ended;
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer /);
      expect(anonymous.headers['content-type']).toBe('application/json; charset=utf-8');
      expect((JSON.parse(anonymous.body()) as WireBody).errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
      // A form cannot carry the bearer credential (which proves a script, so passes CSRF prevention):
      // test/csrf.test.ts has the 403 of a gateway without auth, whatever the Accept.
      const forged = await exchange(gateway.url, { method: 'POST', query: SUBSCRIPTION, variables: { event: 'forged' }, headers: { 'content-type': 'text/plain', accept } });
      await forged.ended;
      expect(forged.status).toBe(401);
      expect((JSON.parse(forged.body()) as WireBody).errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    }
    // A type yoga writes: the refusal comes in it, as docs/live-and-defer.md says (before the operation is known).
    const multipart = await exchange(gateway.url, { method: 'POST', query: SUBSCRIPTION, variables: { event: 'anonymous' }, headers: { accept: 'multipart/mixed' } });
    await multipart.ended;
    expect(multipart.status).toBe(401);
    expect(multipart.headers['content-type']).toMatch(/^multipart\/mixed/);
    expect(multipart.body()).toContain('"code":"UNAUTHENTICATED"');
    await expectNothingHeld(gateway);
    expect(braze.calls).toHaveLength(0);
  });
});

describe('refusals of the subscription itself release everything, over every transport', () => {
  const { braze, gateway } = useGatewayWithFakeBraze(ENV);

  /** Opens the client's three allowed streams (graphql-sse). */
  async function fillTheCap(): Promise<{ close(): void }> {
    const streams = ['cap-a', 'cap-b', 'cap-c'].map((event) => subscribe(liveClient(gateway), SUBSCRIPTION, { event }));
    await Promise.all(streams.map((stream) => stream.waitFor(1)));
    return { close: () => streams.forEach((stream) => stream.close()) };
  }

  it('TOO_MANY_SUBSCRIPTIONS over POST, GET and graphql-sse: the refused request holds nothing, the open ones are untouched', async () => {
    const open = await fillTheCap();
    for (const method of TRANSPORTS) {
      const response = await exchange(gateway.url, { method, query: SUBSCRIPTION, variables: { event: `over-${method}` }, headers: headersFor(gateway, method, 'text/event-stream') });
      expect(response.status).toBe(200);
      expect((await response.nextEvent()).errors?.[0]?.extensions).toEqual({ code: 'TOO_MANY_SUBSCRIPTIONS', limit: 3, scope: 'client' });
      await response.ended;
      expect(response.body()).toContain('event: complete');
    }
    const viaClient = subscribe(liveClient(gateway), SUBSCRIPTION, { event: 'over-client' });
    await viaClient.done;
    expect(viaClient.results[0]?.errors?.[0]?.extensions).toEqual({ code: 'TOO_MANY_SUBSCRIPTIONS', limit: 3, scope: 'client' });
    // Over a transport that cannot stream, the Accept is refused first.
    const json = await exchange(gateway.url, { method: 'POST', query: SUBSCRIPTION, variables: { event: 'over-json' }, headers: headersFor(gateway, 'POST', 'application/json') });
    await json.ended;
    expectNotAccepted(json);
    expect(gateway.running.live.stats()).toMatchObject({ subscriptions: 3, polls: 3 });
    expect(await liveGauges(gateway)).toEqual({ subscriptions: 3, polls: 3 });
    open.close();
    await expectNothingHeld(gateway);
    expect(braze.seriesCalls.map((call) => call.query['event']).sort()).toEqual(['cap-a', 'cap-b', 'cap-c']);
  });

  it('BAD_USER_INPUT over POST, GET and graphql-sse: nothing subscribed, no Braze call', async () => {
    const bad = 'subscription { eventSeries(event: "bad", length: 0) { status { state } } }';
    for (const method of TRANSPORTS) {
      const response = await exchange(gateway.url, { method, query: bad, headers: headersFor(gateway, method, 'text/event-stream') });
      expect((await response.nextEvent()).errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'length' });
      await response.ended;
      const json = await exchange(gateway.url, { method, query: bad, headers: headersFor(gateway, method, 'application/json') });
      await json.ended;
      expectNotAccepted(json);
    }
    const viaClient = subscribe(liveClient(gateway), bad);
    await viaClient.done;
    expect(viaClient.results[0]?.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'length' });
    await expectNothingHeld(gateway);
    expect(braze.calls).toHaveLength(0);
  });

  it('twenty refused requests do not fill LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT (3): the client then opens its three streams', async () => {
    const notAcceptedCount = async (): Promise<number> =>
      sampleValue(await (await fetch(new URL('/metrics', gateway.url))).text(), 'braze_gateway_graphql_errors_total', { code: 'SUBSCRIPTION_NOT_ACCEPTED' }) ?? 0;
    const countedBefore = await notAcceptedCount();
    const refusing = [APOLLO_ACCEPT, 'application/json', 'multipart/mixed', 'image/png', 'text/event-stream;q=0'];
    const refused = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const method = TRANSPORTS[i % 2]!;
        const response = await exchange(gateway.url, { method, query: SUBSCRIPTION, variables: { event: `refused-${i}` }, headers: headersFor(gateway, method, refusing[i % refusing.length]) });
        await response.ended;
        return response;
      }),
    );
    refused.forEach((response) => expectNotAccepted(response));
    await expectNothingHeld(gateway);
    // Counted by code like any refusal.
    expect((await notAcceptedCount()) - countedBefore).toBe(20);
    const open = await fillTheCap();
    expect(gateway.running.live.stats()).toMatchObject({ subscriptions: 3, polls: 3 });
    open.close();
    await expectNothingHeld(gateway);
    expect(braze.seriesCalls.map((call) => call.query['event']).sort()).toEqual(['cap-a', 'cap-b', 'cap-c']);
  });

  it('a client that drops its connection mid-stream, after several pushes, leaves nothing and stops the calls', async () => {
    // This one polls at the short interval, and Braze's numbers change at every call: each poll is pushed.
    const fast = await startGatewayWithFakeBraze(LIVE_TEST_ENV);
    try {
      let calls = 0;
      fast.braze.respond((call) => {
        calls++;
        const body = defaultSeries(call.query, call.path) as { data: Record<string, unknown>[] };
        return { body: { ...body, data: body.data.map((point) => ({ ...point, count: calls })) } };
      });
      const response = await exchange(fast.gateway.url, { method: 'POST', query: SUBSCRIPTION, variables: { event: 'dropped' }, headers: headersFor(fast.gateway, 'POST', 'text/event-stream') });
      await until(() => (response.body().match(/event: next/g) ?? []).length >= 3, 15_000, 'three pushes');
      response.close();
      await expectNothingHeld(fast.gateway);
      await sleep(100);
      const stopped = fast.braze.calls.length;
      await sleep(2_000);
      expect(fast.braze.calls.length).toBe(stopped);
    } finally {
      await stopGatewayWithFakeBraze(fast);
    }
  }, 30_000);
});

describe('server-side ends of a subscription request', () => {
  let started: { braze: FakeBraze; gateway: TestGateway } | undefined;
  beforeAll(async () => {
    started = await startGatewayWithFakeBraze({
      ...ENV,
      SERVER_HEADERS_TIMEOUT_MS: '300',
      SERVER_REQUEST_TIMEOUT_MS: '600',
      SERVER_IDLE_TIMEOUT_MS: '300',
      // Room for a push of several MB (below): a long series, selected forty times.
      SERIES_MAX_LENGTH: '5000',
      BRAZE_MAX_CALLS_PER_REQUEST: '100',
      QUERY_MAX_COST: '10000000',
    });
  });
  afterAll(() => stopGatewayWithFakeBraze({ braze: started?.braze, gateway: started?.gateway }));

  it('a subscription whose body never finishes arriving: the request timeout ends it before anything subscribes', async () => {
    const { braze, gateway } = started!;
    const body = JSON.stringify({ query: SUBSCRIPTION, variables: { event: 'trickled' } });
    const connection = await openRaw(gateway.url);
    connection.socket.write(
      [
        `POST ${gateway.url.pathname} HTTP/1.1`,
        `Host: ${gateway.url.host}`,
        `Authorization: ${gateway.authHeaders['authorization'] ?? ''}`,
        'Content-Type: application/json',
        'Accept: text/event-stream',
        `Content-Length: ${Buffer.byteLength(body)}`,
        '',
        body.slice(0, 10),
      ].join('\r\n'),
    );
    expect(await closedWithin(connection, 10_000)).toBeDefined();
    await expectNothingHeld(gateway);
    expect(braze.calls).toHaveLength(0);
  });

  it('a client that stops reading mid-stream: the idle timeout closes its connection, which releases everything', async () => {
    const { braze, gateway } = started!;
    const points = Array.from({ length: 40 }, (_, i) => `p${i}: points { time count }`).join(' ');
    const body = JSON.stringify({ query: `subscription { eventSeries(event: "unread", length: 5000, unit: HOUR) { series { ${points} } status { state } } }` });
    const connection = await openRaw(gateway.url);
    connection.socket.write(
      [
        `POST ${gateway.url.pathname} HTTP/1.1`,
        `Host: ${gateway.url.host}`,
        `Authorization: ${gateway.authHeaders['authorization'] ?? ''}`,
        'Content-Type: application/json',
        'Accept: text/event-stream',
        `Content-Length: ${Buffer.byteLength(body)}`,
        '',
        body,
      ].join('\r\n'),
    );
    // The client reads nothing more: the first push (several MB) fills the socket's buffers.
    connection.socket.pause();
    await until(() => gateway.running.live.stats().subscriptions === 1, 10_000, 'the subscription');
    await until(() => gateway.running.live.stats().subscriptions === 0, 20_000, 'the server to close the connection');
    await expectNothingHeld(gateway);
    // It was the gateway that closed it: what the client finally reads ends with the connection's close.
    connection.socket.resume();
    expect(await closedWithin(connection, 10_000)).toBeDefined();
    expect(connection.received()).toMatch(/^HTTP\/1\.1 200 /);
    const calls = braze.calls.length;
    await sleep(500);
    expect(braze.calls.length).toBe(calls);
  }, 40_000);

  it('shutdown ends open streams over every transport, and streams never read', async () => {
    const { gateway } = started!;
    const post = await exchange(gateway.url, { method: 'POST', query: SUBSCRIPTION, variables: { event: 'shutdown-post' }, headers: headersFor(gateway, 'POST', 'text/event-stream') });
    const get = await exchange(gateway.url, { method: 'GET', query: SUBSCRIPTION, variables: { event: 'shutdown-get' }, headers: headersFor(gateway, 'GET', 'text/event-stream') });
    const viaClient = subscribe(liveClient(gateway), SUBSCRIPTION, { event: 'shutdown-client' });
    await Promise.all([post.nextEvent(), get.nextEvent(), viaClient.waitFor(1)]);
    expect(gateway.running.live.stats()).toMatchObject({ subscriptions: 3, polls: 3 });
    await gateway.running.close(5_000);
    await Promise.all([post.ended, get.ended, viaClient.done]);
    expect(post.body()).toContain('event: complete');
    expect(get.body()).toContain('event: complete');
    expect(viaClient.ended).toBe('complete');
    expect(gateway.running.live.stats()).toEqual({ polls: 0, subscriptions: 0, timers: 0, inFlight: 0 });
  });
});
