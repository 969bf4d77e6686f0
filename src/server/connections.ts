import type { IncomingMessage, Server, ServerOptions, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * How the HTTP listener treats client connections, so that idle, trickling and abandoned sockets are
 * closed within seconds and cannot use up the process's file descriptors (src/server/connections.ts).
 */
export interface ServerLimits {
  /** From a connection's first byte (or its opening) to the end of the request's headers. */
  readonly headersTimeoutMs: number;
  /** From the same start to the last byte of the request's body. Not the time to answer it. */
  readonly requestTimeoutMs: number;
  /** An idle keep-alive connection, after a response, is closed this long (plus Node's 1 s) later. */
  readonly keepAliveTimeoutMs: number;
  /**
   * Longest silence while the gateway waits on the client: for its request, for the rest of its body,
   * or for it to read the answer. Never counted while the gateway itself is working on an answer.
   */
  readonly idleTimeoutMs: number;
  /** Open client connections; past it, the oldest one not being answered is closed for the new one. */
  readonly maxConnections: number;
}

/**
 * After answering a request whose body is still arriving, how long the connection stays half-closed
 * before it is destroyed: time for the answer to reach the client before the bytes it keeps sending,
 * unread, make the kernel answer with a reset (which can destroy the answer on its way).
 */
export const UNREAD_BODY_LINGER_MS = 1_000;

/**
 * Options for http.createServer. Node enforces the headers and request timeouts only when it sweeps
 * its connections, every `connectionsCheckingInterval` (30 s by default, which alone would let a
 * 10 s timeout run 40 s): the sweep runs ten times per headers timeout, at most once a second.
 */
export function httpServerOptions(limits: ServerLimits): ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 10))),
  };
}

/** The request a connection is on, if any, and its answer. */
interface ConnectionState {
  request: IncomingMessage | undefined;
  response: ServerResponse | undefined;
  /** Upgraded to a WebSocket: serving operations for as long as it is open (its keep-alive drops dead ones). */
  upgraded?: boolean;
}

/** The request has fully arrived and the answer is not finished: closing would throw work away. */
function isBeingAnswered({ request, response, upgraded }: ConnectionState): boolean {
  if (upgraded) return true;
  return request !== undefined && response !== undefined && request.complete && !response.writableFinished;
}

/**
 * Being answered, and nothing waits for the client to read: nothing sent yet (a slow Braze), or, for
 * an answer sent in parts (@defer, @stream), all sent so far has gone and the next part is not ready.
 * The gateway is silent, not the client.
 */
function isGatewayWorking(state: ConnectionState, socket: Socket): boolean {
  if (!isBeingAnswered(state) || !state.response) return false;
  return !state.response.headersSent || (socket.writableLength === 0 && !state.response.writableNeedDrain);
}

/**
 * The server adapter turns the socket's inactivity timeout off (setTimeout(0)) before it streams an
 * answer in parts, which would let a client that stops reading hold its socket forever (and, being
 * answered, never be evicted). While `response` is under way, that request is ignored: the idle
 * timeout stays, and the 'timeout' handler tells a client that does not read from a gateway
 * between parts. Node's own settings (the keep-alive timeout after the answer) pass as before.
 */
function keepIdleTimeoutWhileAnswering(socket: Socket, response: ServerResponse): void {
  const setTimeout = socket.setTimeout;
  // `socket.setTimeout(0)` from a caller that is not Node's server, while `response` is being written.
  const keepingTimeout = function (this: Socket, timeoutMs: number, callback?: () => void): Socket {
    if (timeoutMs === 0 && !response.writableFinished) return this;
    return setTimeout.call(this, timeoutMs, callback);
  };
  socket.setTimeout = keepingTimeout as Socket['setTimeout'];
  const restore = (): void => {
    if (socket.setTimeout === keepingTimeout) socket.setTimeout = setTimeout;
  };
  response.once('finish', restore);
  response.once('close', restore);
}

/**
 * Keeps client connections from holding the process's sockets: a client that stays silent while the
 * gateway waits on it is closed after `idleTimeoutMs`; a connection whose request body is still
 * arriving when its answer is sent (a refusal that never read the body: 401, 413, …) is closed instead
 * of read to the end; and past `maxConnections` the oldest connection that is not being answered is
 * closed to make room, so a crowd of idle or trickling sockets cannot lock out /health or a real
 * client. Only when every connection is being answered is the newcomer refused.
 */
export function guardConnections(server: Server, limits: ServerLimits): void {
  // Insertion order is age order: the first evictable entry is the oldest.
  const connections = new Map<Socket, ConnectionState>();
  // Uncounted at once: its 'close' event comes later, after more newcomers may have been counted.
  const close = (socket: Socket): void => {
    connections.delete(socket);
    socket.destroy();
  };

  server.timeout = limits.idleTimeoutMs;
  // With a listener here Node no longer destroys a socket on its inactivity timeout: this decides.
  // The same event fires when an idle keep-alive connection's time is up.
  server.on('timeout', (socket: Socket) => {
    const state = connections.get(socket);
    // Otherwise the client is silent while the gateway waits for its request, the rest of its body, or
    // for it to read the answer.
    if (state !== undefined && isGatewayWorking(state, socket)) return;
    socket.destroy();
  });

  server.on('connection', (socket: Socket) => {
    connections.set(socket, { request: undefined, response: undefined });
    socket.once('close', () => connections.delete(socket));
    if (connections.size <= limits.maxConnections) return;
    for (const [candidate, state] of connections) {
      // Destroyed a moment ago (timed out, say) and its 'close' not yet come: it holds no slot.
      if (candidate.destroyed) {
        connections.delete(candidate);
        if (connections.size <= limits.maxConnections) return;
      } else if (candidate !== socket && !isBeingAnswered(state)) {
        close(candidate);
        return;
      }
    }
    close(socket);
  });

  // A WebSocket counts as a connection (it holds a descriptor) but is never evicted for a newcomer:
  // WS_MAX_CONNECTIONS keeps them below the cap. An upgrade refused is destroyed, and leaves the map.
  server.on('upgrade', (request: IncomingMessage) => {
    const state = connections.get(request.socket as Socket);
    if (state !== undefined) state.upgraded = true;
  });

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const socket = request.socket;
    const state = connections.get(socket);
    if (state === undefined) return;
    state.request = request;
    state.response = response;
    keepIdleTimeoutWhileAnswering(socket, response);
    response.once('finish', () => {
      if (state.response === response) {
        state.request = undefined;
        state.response = undefined;
      }
      // Node would read the rest of the body to keep the connection: a client trickling it would hold
      // the socket for the whole request timeout. Half-close (the answer goes out first), then drop.
      if (!request.complete) {
        socket.end();
        setTimeout(() => socket.destroy(), UNREAD_BODY_LINGER_MS).unref();
      }
    });
  });
}
