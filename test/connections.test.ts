import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SERVER_LIMITS } from '../src/config/index.js';
import { httpServerOptions } from '../src/server/connections.js';
import { defaultSeries, startFakeBraze, type FakeBraze } from '../testkit/fakeBraze.js';
import { startTestGateway, TEST_AUTH_TOKEN, type TestGateway } from './helpers/gateway.js';
import { readMultipart } from './helpers/incremental.js';
import { closedWithin, openRaw, trickle, type RawConnection } from './helpers/rawSocket.js';

const QUERY = '{ eventSeries(event: "e", length: 2, endingAt: "2024-01-01T00:00:00Z") { total } }';
const BODY = JSON.stringify({ query: QUERY });

/** A POST's head for BODY, with or without the test credential; the body is the caller's to send. */
function postHead(url: URL, credential: boolean): string {
  return [
    `POST ${url.pathname} HTTP/1.1`,
    `Host: ${url.host}`,
    'Content-Type: application/json',
    `Content-Length: ${BODY.length}`,
    ...(credential ? [`Authorization: Bearer ${TEST_AUTH_TOKEN}`] : []),
    '',
    '',
  ].join('\r\n');
}

let braze: FakeBraze;
let gateway: TestGateway | undefined;
const sockets: RawConnection[] = [];
beforeAll(async () => {
  braze = await startFakeBraze();
});
afterEach(async () => {
  for (const connection of sockets.splice(0)) connection.socket.destroy();
  await gateway?.close();
  gateway = undefined;
  braze.respond((call) => ({ body: defaultSeries(call.query) }));
  braze.calls.length = 0;
});
afterAll(() => braze.close());

async function start(env: Record<string, string>): Promise<TestGateway> {
  gateway = await startTestGateway(braze, env);
  return gateway;
}

async function open(url: URL): Promise<RawConnection> {
  const connection = await openRaw(url);
  sockets.push(connection);
  return connection;
}

describe('httpServerOptions', () => {
  it('passes the timeouts to Node and sweeps for expired requests ten times per headers timeout, at most once a second', () => {
    expect(httpServerOptions(DEFAULT_SERVER_LIMITS)).toEqual({
      headersTimeout: 10_000,
      requestTimeout: 30_000,
      keepAliveTimeout: 5_000,
      connectionsCheckingInterval: 1_000,
    });
    expect(httpServerOptions({ ...DEFAULT_SERVER_LIMITS, headersTimeoutMs: 60_000 }).connectionsCheckingInterval).toBe(1_000);
    expect(httpServerOptions({ ...DEFAULT_SERVER_LIMITS, headersTimeoutMs: 1_000 }).connectionsCheckingInterval).toBe(100);
    expect(httpServerOptions({ ...DEFAULT_SERVER_LIMITS, headersTimeoutMs: 100 }).connectionsCheckingInterval).toBe(50);
  });
});

describe('client connections are closed within the configured times', () => {
  it('a connection that never sends a byte is closed after SERVER_IDLE_TIMEOUT_MS, not before', async () => {
    const { url } = await start({ SERVER_IDLE_TIMEOUT_MS: '600', SERVER_HEADERS_TIMEOUT_MS: '5000' });
    const silent = await open(url);
    const closedAt = await closedWithin(silent, 5_000);
    expect(closedAt).toBeDefined();
    const lived = (closedAt ?? Infinity) - silent.openedAt;
    expect(lived).toBeGreaterThanOrEqual(500);
    expect(lived).toBeLessThan(2_000);
    expect(silent.received()).toBe('');
  });

  it('headers trickled a byte every 100 ms get 408 and the connection is closed at SERVER_HEADERS_TIMEOUT_MS', async () => {
    const { url } = await start({ SERVER_IDLE_TIMEOUT_MS: '600', SERVER_HEADERS_TIMEOUT_MS: '1000' });
    const slow = await open(url);
    // Each byte resets the idle timer: only the headers timeout can end this.
    trickle(slow, postHead(url, true), 100);
    const closedAt = await closedWithin(slow, 5_000);
    const lived = (closedAt ?? Infinity) - slow.openedAt;
    expect(lived).toBeGreaterThanOrEqual(900);
    expect(lived).toBeLessThan(2_500);
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(braze.calls).toHaveLength(0);
  });

  it('a body trickled after a valid credential gets 408 and is closed at SERVER_REQUEST_TIMEOUT_MS', async () => {
    const { url } = await start({ SERVER_IDLE_TIMEOUT_MS: '600', SERVER_HEADERS_TIMEOUT_MS: '500', SERVER_REQUEST_TIMEOUT_MS: '1500' });
    const slow = await open(url);
    slow.socket.write(postHead(url, true));
    trickle(slow, BODY, 100);
    const closedAt = await closedWithin(slow, 6_000);
    const lived = (closedAt ?? Infinity) - slow.openedAt;
    expect(lived).toBeGreaterThanOrEqual(1_400);
    expect(lived).toBeLessThan(3_000);
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(braze.calls).toHaveLength(0);
  });

  it('a body trickled without a credential gets its 401 at once, then the connection is closed, not read to the end', async () => {
    // The request timeout is long: only the refusal may end this connection early.
    const { url } = await start({ SERVER_REQUEST_TIMEOUT_MS: '60000', SERVER_HEADERS_TIMEOUT_MS: '10000' });
    const slow = await open(url);
    slow.socket.write(postHead(url, false));
    trickle(slow, BODY, 100);
    const answeredAt = await slow.firstByteAt;
    const closedAt = await closedWithin(slow, 5_000);
    expect(answeredAt - slow.openedAt).toBeLessThan(1_000);
    expect(closedAt).toBeDefined();
    // Half-closed for UNREAD_BODY_LINGER_MS (1 s) so the answer gets there, then dropped.
    expect((closedAt ?? Infinity) - answeredAt).toBeLessThan(2_500);
    const answer = slow.received();
    expect(answer).toMatch(/^HTTP\/1\.1 401 Unauthorized\r\n/);
    expect(answer).toMatch(/\r\nwww-authenticate: Bearer\b/i);
    expect(answer).toContain('"code":"UNAUTHENTICATED"');
    expect(braze.calls).toHaveLength(0);
  });

  it('an idle keep-alive connection is closed SERVER_KEEP_ALIVE_TIMEOUT_MS (plus Node\'s 1 s) after its answer, not at the idle timeout', async () => {
    const { url } = await start({ SERVER_KEEP_ALIVE_TIMEOUT_MS: '1000', SERVER_IDLE_TIMEOUT_MS: '300' });
    const client = await open(url);
    client.socket.write(`GET /health HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`);
    const answeredAt = await client.firstByteAt;
    const closedAt = await closedWithin(client, 5_000);
    expect(client.received()).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\nkeep-alive: timeout=1\r\n[\s\S]*"status":"ok"/i);
    const idle = (closedAt ?? Infinity) - answeredAt;
    expect(idle).toBeGreaterThanOrEqual(1_800);
    expect(idle).toBeLessThan(3_500);
  });

  it('an answer slower than every client timeout is not cut: silence while Braze works is the gateway\'s', async () => {
    braze.respond(async (call) => {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      return { body: defaultSeries(call.query) };
    });
    const running = await start({ SERVER_IDLE_TIMEOUT_MS: '300', SERVER_HEADERS_TIMEOUT_MS: '500', SERVER_REQUEST_TIMEOUT_MS: '800' });
    const startedAt = Date.now();
    const result = await running.query<{ eventSeries: { total: number } }>(QUERY);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1_900);
    expect(result.status).toBe(200);
    expect(result.data).toEqual({ eventSeries: { total: 3 } });
    expect(braze.seriesCalls).toHaveLength(1);
  });
});

describe('SERVER_MAX_CONNECTIONS', () => {
  it('past the cap the oldest idle connections are closed for new ones: /health and a query get through at once', async () => {
    // Timeouts far beyond the test: only the cap can close anything.
    const { url, authHeaders } = await start({ SERVER_MAX_CONNECTIONS: '10', SERVER_IDLE_TIMEOUT_MS: '60000', SERVER_HEADERS_TIMEOUT_MS: '60000', SERVER_REQUEST_TIMEOUT_MS: '60000' });
    const hostile: RawConnection[] = [];
    for (let i = 0; i < 30; i += 1) hostile.push(await open(url));
    // Each newcomer past the 10th closed the oldest: the first 20, in order, and no other.
    await Promise.all(hostile.slice(0, 20).map((connection) => closedWithin(connection, 2_000)));
    expect(hostile.map((connection) => connection.closed())).toEqual([...Array<boolean>(20).fill(true), ...Array<boolean>(10).fill(false)]);

    const startedAt = Date.now();
    const health = await fetch(new URL('/health', url));
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', braze: 'live' });
    const result = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...authHeaders }, body: BODY });
    expect(await result.json()).toMatchObject({ data: { eventSeries: { total: 3 } } });
    expect(Date.now() - startedAt).toBeLessThan(1_500);
    expect(braze.seriesCalls).toHaveLength(1);
    // Room was made by closing hostile connections, the oldest first: the youngest is still open.
    expect(hostile[29]?.closed()).toBe(false);
    expect(hostile.filter((connection) => !connection.closed()).length).toBeLessThanOrEqual(9);
  });

  it('connections being answered are never closed for a newcomer: with all of them busy, the newcomer is refused', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    braze.respond(async (call) => {
      await gate;
      return { body: defaultSeries(call.query) };
    });
    const running = await start({ SERVER_MAX_CONNECTIONS: '3' });
    try {
      const answers = [1, 2, 3].map((length) =>
        running.query<{ eventSeries: { total: number } }>(`{ eventSeries(event: "e${length}", length: ${length}, endingAt: "2024-01-01T00:00:00Z") { total } }`),
      );
      while (braze.seriesCalls.length < 3) await new Promise((resolve) => setTimeout(resolve, 10));
      const newcomer = await open(running.url);
      newcomer.socket.write(`GET /health HTTP/1.1\r\nHost: ${running.url.host}\r\n\r\n`);
      expect(await closedWithin(newcomer, 1_000)).toBeDefined();
      expect(newcomer.received()).toBe('');
      release();
      const results = await Promise.all(answers);
      expect(results.map((r) => [r.status, r.data?.eventSeries.total])).toEqual([
        [200, 1],
        [200, 3],
        [200, 6],
      ]);
    } finally {
      release();
    }
  });
});

describe('SERVER_IDLE_TIMEOUT_MS and incremental answers', () => {
  it('a deferred answer whose slow part takes longer than the idle timeout arrives whole: the wait between parts is the gateway\'s, not the client\'s', async () => {
    braze.respond(async (call) => {
      if (call.query['event'] === 'slow') await new Promise((resolve) => setTimeout(resolve, 1_500));
      return { body: defaultSeries(call.query) };
    });
    const running = await start({ SERVER_IDLE_TIMEOUT_MS: '300' });
    const { received } = await readMultipart(
      running.url,
      `{ fast: eventSeries(event: "fast", length: 2, endingAt: "2024-01-01T00:00:00Z") { total }
         ... @defer { slow: eventSeries(event: "slow", length: 3, endingAt: "2024-01-01T00:00:00Z") { total } } }`,
      { headers: running.authHeaders },
    );
    expect(received.map(({ payload }) => payload.data ?? payload.incremental?.[0]?.data)).toEqual([{ fast: { total: 3 } }, { slow: { total: 6 } }]);
    expect(received.at(-1)?.payload.hasNext).toBe(false);
    // Five idle timeouts passed between the two parts.
    expect(received[1]!.atMs - received[0]!.atMs).toBeGreaterThanOrEqual(1_200);
  });
});

describe('a connection after an incremental answer', () => {
  it('is closed SERVER_KEEP_ALIVE_TIMEOUT_MS (plus Node\'s 1 s) after a deferred answer ends, like after any other', async () => {
    const { url } = await start({ SERVER_KEEP_ALIVE_TIMEOUT_MS: '1000', SERVER_IDLE_TIMEOUT_MS: '300' });
    const client = await open(url);
    const body = JSON.stringify({
      query: `{ fast: eventSeries(event: "fast", length: 2, endingAt: "2024-01-01T00:00:00Z") { total } ... @defer { slow: eventSeries(event: "slow", length: 3, endingAt: "2024-01-01T00:00:00Z") { total } } }`,
    });
    client.socket.write(
      [`POST ${url.pathname} HTTP/1.1`, `Host: ${url.host}`, 'Content-Type: application/json', 'Accept: multipart/mixed', `Authorization: Bearer ${TEST_AUTH_TOKEN}`, `Content-Length: ${Buffer.byteLength(body)}`, '', body].join('\r\n'),
    );
    // The multipart answer's closing delimiter, then its chunked encoding's last chunk.
    const endedAt = await new Promise<number>((resolve) => {
      const check = (): void => {
        if (/\r\n---\r\n4\r\n--\r\n\r\n0\r\n\r\n$/.test(client.received())) resolve(Date.now());
        else client.socket.once('data', check);
      };
      check();
    });
    expect(client.received()).toContain('{"slow":{"total":6}}');
    const closedAt = await closedWithin(client, 5_000);
    expect(closedAt).toBeDefined();
    expect(closedAt! - endedAt).toBeLessThan(3_500);
  });
});

describe('a client that stops reading an incremental answer', () => {
  it('is cut after SERVER_IDLE_TIMEOUT_MS once the answer waits on it: a streamed answer does not lift the idle timeout', async () => {
    const aliases = Array.from({ length: 120 }, (_, i) => `a${i}: eventSeries(event: "big", length: 1000, endingAt: "2024-01-01T00:00:00Z") { points { time count } }`);
    const { url } = await start({ SERVER_IDLE_TIMEOUT_MS: '300', QUERY_MAX_ALIASES: '200', QUERY_MAX_TOKENS: '100000', QUERY_MAX_COST: '10000000' });
    const client = await open(url);
    // Reads nothing past the first bytes: the kernel's buffers fill and the gateway's writes wait.
    void client.firstByteAt.then(() => client.socket.pause());
    const body = JSON.stringify({ query: `{ first: eventSeries(event: "small", length: 1, endingAt: "2024-01-01T00:00:00Z") { total } ... @defer { ${aliases.join(' ')} } }` });
    client.socket.write(
      [`POST ${url.pathname} HTTP/1.1`, `Host: ${url.host}`, 'Content-Type: application/json', 'Accept: multipart/mixed', `Authorization: Bearer ${TEST_AUTH_TOKEN}`, `Content-Length: ${Buffer.byteLength(body)}`, '', body].join('\r\n'),
    );
    await client.firstByteAt;
    // Ten idle timeouts without reading, then it reads again: what the gateway sent before it closed
    // the connection is all there is, not the whole answer (about 5 MB).
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    client.socket.resume();
    expect(await closedWithin(client, 8_000)).toBeDefined();
    expect(client.received()).toContain('{"data":{"first":{"total":1}},"hasNext":true}');
    expect(client.received()).not.toContain('"hasNext":false');
  });
});
