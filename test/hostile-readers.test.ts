import { connect, type Socket } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultSeries, type RecordedCall } from '../testkit/fakeBraze.js';
import { useFakeBrazeWithGatewaysPerTest, type TestGateway } from './helpers/gateway.js';
import { expectPollingStopped, liveClient, sleep, subscribe, until } from './helpers/live.js';

/**
 * Readers that stop reading mid-stream: live subscriptions over text/event-stream and @defer answers
 * over multipart/mixed and text/event-stream, sent by clients that never read a byte (a socket paused
 * before it connects: everything stays in the kernel's buffers, then in the gateway). What must hold:
 * what a stalled reader costs the gateway's memory is bounded (measured here, after GC); it is closed
 * once the gateway has waited SERVER_IDLE_TIMEOUT_MS on it; its subscription and poll are released
 * and Braze stops hearing about it; and stalled readers do not lock out other clients.
 */

const { braze, start } = useFakeBrazeWithGatewaysPerTest();
const AT = '2024-03-10T00:00:00Z';
const IDLE_MS = 1_000;
/** What a loaded machine may add to a deadline (Node checks socket timeouts on its own timers). */
const MARGIN_MS = 4_000;
const MiB = 1024 * 1024;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
/** Memory JavaScript holds after a full GC: heap and buffers outside it. */
function heldAfterGc(): number {
  gc();
  gc();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

/** Braze answers with new numbers at every call, so a live series is pushed at every poll. */
let answerTurn = 0;
function changingSeries(call: RecordedCall): { body: unknown } {
  const answer = defaultSeries(call.query, call.path) as { data: { count: number }[] };
  answerTurn++;
  return { body: { ...answer, data: answer.data.map((point) => ({ ...point, count: point.count + answerTurn })) } };
}

/** The gateway's side of every client connection, and when each first had bytes waiting for its client and when it closed. */
function watchServerSockets(gateway: TestGateway): { sockets: Socket[]; pendingAt: Map<Socket, number>; closedAt: Map<Socket, number>; stop(): void } {
  const sockets: Socket[] = [];
  const pendingAt = new Map<Socket, number>();
  const closedAt = new Map<Socket, number>();
  const onConnection = (socket: Socket): void => {
    sockets.push(socket);
    // 'close' comes a tick after `destroyed` is set: waits for closedAt, not for `destroyed` alone.
    socket.once('close', () => closedAt.set(socket, Date.now()));
  };
  gateway.running.server.on('connection', onConnection);
  const sampler = setInterval(() => {
    for (const socket of sockets) if (socket.writableLength > 0 && !pendingAt.has(socket)) pendingAt.set(socket, Date.now());
  }, 5);
  return {
    sockets,
    pendingAt,
    closedAt,
    stop() {
      clearInterval(sampler);
      gateway.running.server.off('connection', onConnection);
    },
  };
}

const stalledClients: Socket[] = [];
afterEach(() => {
  for (const socket of stalledClients.splice(0)) socket.destroy();
});

/**
 * Sends one POST and never reads: the socket is paused before it connects, so Node never starts reading
 * it and the answer piles up in the kernel (the client's receive buffer, the gateway's send buffer),
 * then in the gateway.
 */
async function stalledPost(gateway: TestGateway, accept: string, query: string): Promise<Socket> {
  const body = JSON.stringify({ query });
  const socket = connect(Number(gateway.url.port), '127.0.0.1');
  socket.pause();
  socket.on('error', () => undefined);
  stalledClients.push(socket);
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(
    `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1:${gateway.url.port}\r\nContent-Type: application/json\r\nAccept: ${accept}\r\n` +
      `Authorization: ${gateway.authHeaders['authorization']}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  return socket;
}

/** A document of 50 deferred parts, each a `length`-hour series: about 47 bytes a point. */
const deferredDashboard = (length: number): string =>
  `fragment F on Query { eventSeries(event: "big", length: ${length}, unit: HOUR, endingAt: "${AT}") { points { time count } } } { ${Array.from({ length: 50 }, () => '...F @defer').join(' ')} }`;

/** Size of the whole answer to `query` in `accept`, read by a client that does read; and the calls it took. */
/**
 * One whole answer read by a reader that reads: its bytes, its Braze calls, and how long it took (`ms`).
 * Stalled answers are built on the same busy process, so a deadline that includes building N of them
 * allows N × `ms` more: on a loaded machine building slows, while a socket never closed still fails.
 */
async function answerSize(gateway: TestGateway, accept: string, query: string): Promise<{ bytes: number; calls: number; ms: number }> {
  const before = braze.calls.length;
  const started = performance.now();
  const response = await gateway.post(query, { headers: { accept } });
  const bytes = (await response.arrayBuffer()).byteLength;
  return { bytes, calls: braze.calls.length - before, ms: performance.now() - started };
}

describe('live subscriptions whose readers stop reading', () => {
  it('each fills the kernel buffers, then holds a push in the gateway (<1.5 MiB); closed within the idle timeout of that; subscription and poll released; a reading subscriber unaffected', async () => {
    braze.respond(changingSeries);
    const gateway = await start({
      SERVER_IDLE_TIMEOUT_MS: String(IDLE_MS),
      CACHE_TTL_LIVE_MS: '100',
      LIVE_MIN_INTERVAL_MS: '100',
      LIVE_MAX_SUBSCRIPTIONS: '50',
      LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT: '50',
      BRAZE_RATE_LIMIT_WAIT_MS: '0',
    });
    const subscription = 'subscription { eventSeries(event: "e", length: 1000, unit: HOUR) { series { total points { time count } } } }';
    // A subscriber that reads, on the same series: one poll for everybody.
    const client = liveClient(gateway);
    const reader = subscribe(client, subscription);
    await reader.waitFor(1);
    const watched = watchServerSockets(gateway);
    // The reading subscriber keeps every push it gets (this process's memory, not the gateway's): forgotten before each measure.
    const forgetReceived = (): void => void reader.results.splice(0);
    forgetReceived();
    const base = heldAfterGc();

    const N = 5;
    for (let i = 0; i < N; i++) await stalledPost(gateway, 'text/event-stream', subscription);
    await until(() => gateway.running.live.stats().subscriptions === N + 1, 10_000, 'the stalled subscriptions open');
    expect(gateway.running.live.stats().polls).toBe(1);

    // While they stall: sample what the gateway holds for them, until all are closed.
    let most = 0;
    let kernelBytes = 0;
    await until(
      () => {
        for (const socket of watched.sockets) if (watched.pendingAt.has(socket)) kernelBytes = Math.max(kernelBytes, socket.bytesWritten - socket.writableLength);
        if (watched.pendingAt.size > 0) {
          forgetReceived();
          most = Math.max(most, heldAfterGc() - base);
        }
        return watched.sockets.filter((socket) => socket.destroyed && watched.closedAt.has(socket)).length === N;
      },
      60_000,
      'every stalled reader closed',
    );
    watched.stop();
    // Each took a few MB of kernel buffers before anything stayed in the gateway (measured: about 4 MB).
    expect(kernelBytes).toBeGreaterThan(100_000);
    // Then the gateway held a push or two for each (measured: 0.74 MiB each at the peak, the poll's own objects shared in).
    expect(most / N).toBeLessThan(1.5 * MiB);
    // Closed within the idle timeout (and a margin) of the gateway waiting on it.
    for (const socket of watched.sockets) {
      const waited = watched.closedAt.get(socket)! - watched.pendingAt.get(socket)!;
      expect(waited).toBeLessThan(IDLE_MS + MARGIN_MS);
    }
    // Their subscriptions are gone; the reading subscriber's stays, and its poll, and it still gets pushes.
    await until(() => gateway.running.live.stats().subscriptions === 1, 5_000, 'stalled subscriptions released');
    expect(gateway.running.live.stats().polls).toBe(1);
    forgetReceived();
    await reader.waitFor(2);
    expect(reader.ended).toBeUndefined();
    // Nothing of theirs remains in memory.
    forgetReceived();
    expect(heldAfterGc() - base).toBeLessThan(4 * MiB);
    reader.close();
    client.dispose();
    await expectPollingStopped(gateway, braze, 500);
  }, 90_000);
});

describe('@defer answers whose readers stop reading', () => {
  it.each(['multipart/mixed', 'text/event-stream'])(
    'within the default limits (%s, 2.45 MB): the answer goes to the kernel whole, the gateway keeps nothing once sent; keep-alive timeout closes them',
    async (accept) => {
      braze.respond(changingSeries);
      const gateway = await start({ SERVER_IDLE_TIMEOUT_MS: String(IDLE_MS), SERVER_KEEP_ALIVE_TIMEOUT_MS: String(IDLE_MS) });
      const query = deferredDashboard(1_000);
      const { bytes, calls, ms } = await answerSize(gateway, accept, query);
      expect(bytes).toBeGreaterThan(2_300_000);
      const watched = watchServerSockets(gateway);
      const base = heldAfterGc();
      const N = 10;
      const opened = Date.now();
      for (let i = 0; i < N; i++) await stalledPost(gateway, accept, query);
      let most = 0;
      await until(
        () => {
          most = Math.max(most, heldAfterGc() - base);
          return watched.sockets.filter((socket) => socket.destroyed && watched.closedAt.has(socket)).length === N;
        },
        30_000,
        'every stalled reader closed',
      );
      watched.stop();
      // Closed by the keep-alive timeout (its +1 s included) once the answer was handed over.
      expect(Date.now() - opened).toBeLessThan(2 * IDLE_MS + 1_000 + MARGIN_MS + N * ms);
      // At the peak, while the answers are built (measured: 0.7 MiB each for 2.45 MB answers).
      expect(most / N).toBeLessThan(1.5 * MiB);
      // Never more calls than answers asked for (concurrent equal calls are shared).
      expect(braze.calls.length).toBeLessThanOrEqual((N + 1) * calls);
    },
    60_000,
  );

  it.each(['multipart/mixed', 'text/event-stream'])(
    'with SERIES_MAX_LENGTH=5000 (%s, 12.25 MB): what the kernel cannot take waits in the gateway, about the answer, until the idle timeout closes it',
    async (accept) => {
      braze.respond(changingSeries);
      const gateway = await start({ SERVER_IDLE_TIMEOUT_MS: String(IDLE_MS), SERIES_MAX_LENGTH: '5000', BRAZE_MAX_CALLS_PER_REQUEST: '100' });
      const query = deferredDashboard(5_000);
      const { bytes, ms } = await answerSize(gateway, accept, query);
      expect(bytes).toBeGreaterThan(11_000_000);
      const watched = watchServerSockets(gateway);
      const base = heldAfterGc();
      const N = 4;
      for (let i = 0; i < N; i++) await stalledPost(gateway, accept, query);
      let most = 0;
      await until(
        () => {
          if (watched.pendingAt.size > 0) most = Math.max(most, heldAfterGc() - base);
          return watched.sockets.filter((socket) => socket.destroyed && watched.closedAt.has(socket)).length === N;
        },
        60_000,
        'every stalled reader closed',
      );
      watched.stop();
      expect(watched.pendingAt.size).toBe(N);
      // About the answer each, its text and its bytes (measured: 13.05 MiB for a 12.25 MB answer).
      expect(most / N).toBeLessThan(2 * bytes);
      // The idle timer fires on a process still building the other answers: N × ms more on a loaded machine.
      for (const socket of watched.sockets) expect(watched.closedAt.get(socket)! - watched.pendingAt.get(socket)!).toBeLessThan(IDLE_MS + MARGIN_MS + N * ms);
      expect(heldAfterGc() - base).toBeLessThan(4 * MiB);
    },
    90_000,
  );
});

describe('stalled readers and everybody else', () => {
  /** GET /health on a fresh connection until it answers 200; how long it took and how many tries. */
  async function healthWithin(gateway: TestGateway, deadlineMs: number): Promise<{ ms: number; tries: number }> {
    const started = Date.now();
    for (let tries = 1; ; tries++) {
      try {
        const response = await fetch(new URL('/health', gateway.url), { headers: { connection: 'close' } });
        await response.arrayBuffer();
        if (response.status === 200) return { ms: Date.now() - started, tries };
      } catch {
        // Refused by the connection cap: every connection is being answered. Try again.
      }
      if (Date.now() - started > deadlineMs) throw new Error(`/health not answered in ${deadlineMs} ms (${tries} tries)`);
      await sleep(50);
    }
  }

  it('stalled live readers up to LIVE_MAX_SUBSCRIPTIONS and stalled deferred answers: /health and a query are served at once', async () => {
    braze.respond(changingSeries);
    const gateway = await start({
      SERVER_IDLE_TIMEOUT_MS: String(IDLE_MS),
      SERVER_MAX_CONNECTIONS: '12',
      LIVE_MAX_SUBSCRIPTIONS: '6',
      LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT: '6',
      CACHE_TTL_LIVE_MS: '100',
      LIVE_MIN_INTERVAL_MS: '100',
    });
    for (let i = 0; i < 6; i++) await stalledPost(gateway, 'text/event-stream', 'subscription { eventSeries(event: "e", length: 7) { series { total } } }');
    await until(() => gateway.running.live.stats().subscriptions === 6, 10_000, 'stalled subscriptions open');
    // Twice the cap of stalled deferred answers: each handed over whole, so each may be closed for a newcomer.
    for (let i = 0; i < 24; i++) await stalledPost(gateway, 'multipart/mixed', deferredDashboard(100));
    const health = await healthWithin(gateway, 10_000);
    expect(health.tries).toBe(1);
    expect((await gateway.query(`{ eventSeries(event: "q", length: 2, endingAt: "${AT}") { total } }`)).status).toBe(200);
    expect(gateway.running.live.stats().subscriptions).toBe(6);
  }, 60_000);

  it('every connection a stalled answer the kernel cannot take: a newcomer is refused, but served within the idle timeout', async () => {
    braze.respond(changingSeries);
    // A longer idle timeout here: all four must be waiting on their readers before the first is closed.
    const idleMs = 3 * IDLE_MS;
    const gateway = await start({
      SERVER_IDLE_TIMEOUT_MS: String(idleMs),
      SERVER_MAX_CONNECTIONS: '4',
      LIVE_MAX_SUBSCRIPTIONS: '2',
      SERIES_MAX_LENGTH: '5000',
      BRAZE_MAX_CALLS_PER_REQUEST: '100',
    });
    const query = deferredDashboard(5_000);
    await answerSize(gateway, 'multipart/mixed', query);
    const watched = watchServerSockets(gateway);
    for (let i = 0; i < 4; i++) await stalledPost(gateway, 'multipart/mixed', query);
    await until(() => watched.pendingAt.size === 4, 30_000, 'four answers waiting on their readers');
    expect(watched.closedAt.size).toBe(0);
    const health = await healthWithin(gateway, idleMs + MARGIN_MS);
    watched.stop();
    // Refused while all four were being answered (measured with a 1 s idle timeout: 21 tries over 1.03 s), then served.
    expect(health.tries).toBeGreaterThan(1);
    expect(health.ms).toBeLessThan(idleMs + MARGIN_MS);
  }, 90_000);
});
