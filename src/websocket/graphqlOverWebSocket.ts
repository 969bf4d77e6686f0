import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError, Kind, OperationTypeNode, type DocumentNode, type ExecutionResult, type FormattedExecutionResult, type GraphQLFormattedError } from 'graphql';
import { CloseCode, makeServer, type SubscribePayload } from 'graphql-ws';
import { isAsyncIterable, type GraphQLParams } from 'graphql-yoga';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Accepted, Authenticate } from '../auth/authenticator.js';
import type { Callers } from '../auth/callers.js';
import { findGatewayError, TooManySubscriptionsError, UnauthenticatedError } from '../errors/gatewayErrors.js';
import { toGraphQLError } from '../plugins/graphqlErrors.js';
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { Gateway } from '../yoga.js';
import { isAllowedOrigin } from './upgradeOrigin.js';
import { forgettingSent } from './sentResults.js';
import { markWebSocketOperation } from '../server/websocketOperations.js';
import type { WebSocketLimits } from '../server/websocketLimits.js';

export interface GraphQLWebSocketOptions {
  /** The gateway's yoga: every operation runs through it (its params, parse, validate and execute hooks). */
  readonly yoga: Gateway;
  /** Where upgrades are served (the GraphQL endpoint); any other path is refused with 404. */
  readonly path: string;
  readonly limits: WebSocketLimits;
  /** Largest message a client may send (MAX_REQUEST_BODY_BYTES, as for an HTTP body); larger: close 1009. */
  readonly maxMessageBytes: number;
  /** CORS_ORIGINS: a browser page on another origin may open a socket only when it could read an answer. */
  readonly corsOrigins: '*' | readonly string[];
  /** The credential check; undefined when no credential is asked (AUTH_DISABLED, or demo mode without auth). */
  readonly authenticate?: Authenticate | undefined;
  /** Told who each operation's caller is, as over HTTP: the per-client live cap counts both transports together. */
  readonly callers?: Callers | undefined;
  readonly logger: Logger;
  readonly metrics?: GatewayMetrics | undefined;
}

export interface GraphQLWebSocketServer {
  /** Open sockets right now. */
  readonly connections: number;
  /** Refuses new upgrades and closes every socket with 1001 (Going away); resolves once they are gone. */
  close(): Promise<void>;
}

/** What the protocol server keeps per socket, beside its own state. */
interface SocketExtra {
  readonly socket: WebSocket;
  readonly upgrade: IncomingMessage;
  /** The `Authorization` value the connection presented (connectionParams, else the upgrade header). */
  authorization: string | null;
  /** Its operations' request headers, one copy for all (made at the first subscribe, once `authorization` is known). */
  headers: Headers | undefined;
  /** Each open operation's end: aborting it ends the operation's request (its loads, its live slot). */
  readonly operations: Map<string, AbortController>;
}

/** graphql-ws types `extra` as a record; ours is SocketExtra. */
type Extra = Record<PropertyKey, unknown> & SocketExtra;

/**
 * The document graphql-ws is given once yoga has run an operation: it only needs to know whether the
 * result streams (a subscription, or @defer/@stream) or not; what runs is yoga's result, handed over by
 * `execute`/`subscribe` below.
 */
const STREAMED: DocumentNode = operationDocument(OperationTypeNode.SUBSCRIPTION);
const SINGLE: DocumentNode = operationDocument(OperationTypeNode.QUERY);

/**
 * GraphQL over WebSocket at the GraphQL endpoint (the graphql-ws library's protocol server, the
 * `graphql-transport-ws` subprotocol, over `ws`), on the gateway's own HTTP server: many live panels
 * share one connection. Each operation runs through yoga's `getResultForParams`, so what applies to an
 * HTTP request's parameters applies here too: persisted-operations mode, the query limits, masking,
 * tracing, the live caps. What yoga does at the HTTP layer is done here instead: the Origin check
 * before the upgrade completes (no cross-site WebSocket hijacking), the credential at
 * `connection_init` (connectionParams.authorization, else the upgrade's Authorization header; checked
 * again at each subscribe, so an expired JWT opens nothing new), the message size limit, the request
 * count and error codes for /metrics. Whatever ends an operation (its `complete`, the socket's close,
 * a socket that stops answering pings, shutdown) aborts its request, which releases its live slot.
 */
export function attachGraphQLWebSocket(server: Server, options: GraphQLWebSocketOptions): GraphQLWebSocketServer {
  const { yoga, path, limits, logger, metrics, authenticate, callers } = options;
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxMessageBytes,
    // Compression would let a small frame inflate into a large message, and costs memory per socket.
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has(PROTOCOL) ? PROTOCOL : false),
  });
  let closing = false;
  /** The URL every operation's stand-in request carries (the endpoint, on a host that is no real peer). */
  const url = `http://${WEBSOCKET_HOST}${path}`;
  // What graphql-ws is handed with each operation; it never executes against it (yoga has, already).
  const { schema } = yoga.getEnveloped();
  /** Every open socket's operations: shutdown lets their `complete` go out before the close frame. */
  const open = new Set<Map<string, AbortController>>();
  /** Yoga's result for each operation graphql-ws is about to "execute", keyed by the stand-in context. */
  const results = new WeakMap<object, ExecutionResult | AsyncIterable<ExecutionResult>>();
  const take = (args: { contextValue?: unknown }): ExecutionResult | AsyncIterable<ExecutionResult> => {
    const result = results.get(args.contextValue as object);
    if (result === undefined) throw new Error('unreachable: an operation graphql-ws runs that yoga did not');
    return result;
  };

  const protocol = makeServer<Record<string, unknown> | undefined, Extra>({
    connectionInitWaitTimeout: limits.wsConnectionInitTimeoutMs,
    execute: (args) => take(args) as ExecutionResult,
    subscribe: (args) => take(args) as AsyncIterable<ExecutionResult>,
    onConnect: async (context) => {
      const { extra } = context;
      extra.authorization = credentialOf(context.connectionParams) ?? extra.upgrade.headers.authorization ?? null;
      if (!authenticate) return true;
      const refusal = await refusalOf(authenticate, extra.authorization, logger);
      if (refusal === undefined) return true;
      extra.socket.close(refusal, refusal === CloseCode.Unauthorized ? 'Unauthorized' : 'Forbidden');
      return false;
    },
    onSubscribe: async (context, id, payload) => {
      const { extra } = context;
      metrics?.request();
      // graphql-ws has already noted this id: counted with the others open.
      if (Object.keys(context.subscriptions).length > limits.wsMaxOperationsPerConnection) {
        return refused(new TooManySubscriptionsError(limits.wsMaxOperationsPerConnection, 'connection'));
      }
      let accepted: Accepted | undefined;
      if (authenticate) {
        try {
          accepted = await authenticate(extra.authorization);
        } catch (error) {
          // The credential the socket opened with no longer holds (an expired JWT): nothing more runs on it.
          extra.socket.close(CloseCode.Forbidden, 'Forbidden');
          return refused(error instanceof UnauthenticatedError ? error : new UnauthenticatedError(true, 'credential check failed'));
        }
      }
      const ended = new AbortController();
      extra.operations.set(id, ended);
      extra.headers ??= operationHeaders(extra.authorization);
      const request = operationRequest(url, extra.headers, ended.signal);
      if (accepted) callers?.remember(request, accepted);
      const params = paramsOf(payload);
      // What yoga's Node adapter gives an HTTP request's operations, less the response: `req` for the
      // peer's address (the per-client cap without credentials), `request` for its headers and signal.
      const serverContext = { req: extra.upgrade, request, params };
      let result: ExecutionResult | AsyncIterable<ExecutionResult>;
      try {
        // Yoga's types allow no result; its handler always makes one.
        result = (await yoga.getResultForParams({ params, request }, serverContext as never)) as ExecutionResult | AsyncIterable<ExecutionResult>;
      } catch (error) {
        // Thrown by an onParams hook (persisted operations), which yoga's HTTP handler masks the same way.
        result = { errors: [thrownAsGraphQLError(error, logger)] };
      }
      if (!isAsyncIterable(result) && !('data' in result) && result.errors?.length) {
        // Refused before executing (parse, validation, limits, persisted operations, a live cap):
        // graphql-ws's `error` message, which ends the operation.
        ended.abort();
        extra.operations.delete(id);
        return result.errors.map(asGraphQLError);
      }
      const standIn = {};
      results.set(standIn, isAsyncIterable(result) ? forgettingSent(result) : result);
      return { schema, document: isAsyncIterable(result) ? STREAMED : SINGLE, contextValue: standIn };
    },
    onNext: (_context, _id, _payload, _args, result) => sendable(result as Sent, metrics),
    onError: (_context, _id, _payload, errors) => formatted(errors, metrics),
    onComplete: (context, id) => {
      context.extra.operations.get(id)?.abort();
      context.extra.operations.delete(id);
    },
    onClose: (context) => {
      for (const ended of context.extra.operations.values()) ended.abort();
      context.extra.operations.clear();
    },
  });

  const refuse = (socket: Duplex, status: number, reason: string): void => {
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`);
    socket.destroy();
  };

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    if (pathOf(request) !== path) return refuse(socket, 404, 'Not Found');
    if (closing) return refuse(socket, 503, 'Service Unavailable');
    if (!isAllowedOrigin(request.headers.origin, request.headers.host, options.corsOrigins)) {
      logger.info('WebSocket upgrade refused: origin not allowed');
      return refuse(socket, 403, 'Forbidden');
    }
    if (sockets.clients.size >= limits.wsMaxConnections) {
      logger.info('WebSocket upgrade refused: WS_MAX_CONNECTIONS reached', { limit: limits.wsMaxConnections });
      return refuse(socket, 503, 'Service Unavailable');
    }
    sockets.handleUpgrade(request, socket, head, (ws) => serve(ws, request));
  });

  const serve = (socket: WebSocket, upgrade: IncomingMessage): void => {
    // ws closes a socket itself on a protocol error (a frame over maxPayload: 1009); this only keeps
    // the error from being thrown.
    socket.on('error', (error) => logger.debug('WebSocket error', { reason: error.message }));
    const extra: Extra = { socket, upgrade, authorization: null, headers: undefined, operations: new Map() };
    open.add(extra.operations);
    const closed = protocol.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            // A send that fails has a socket that is closing: its 'close' ends the operations.
            socket.send(data, () => resolve());
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', (data, isBinary) => {
            if (isBinary) return socket.close(CloseCode.BadRequest, 'Invalid message received');
            handle(String(data)).catch((error: unknown) => {
              logger.error('WebSocket message handling failed', { reason: error instanceof Error ? error.message : String(error) });
              socket.close(CloseCode.InternalServerError, 'Internal server error');
            });
          }),
      },
      extra,
    );
    // A peer that vanished without a close frame answers no ping: dropped within two intervals.
    let answered = true;
    const keepAlive = setInterval(() => {
      if (!answered) return socket.terminate();
      answered = false;
      socket.ping();
    }, limits.wsKeepAliveMs);
    keepAlive.unref();
    socket.on('pong', () => (answered = true));
    socket.once('close', (code, reason) => {
      open.delete(extra.operations);
      clearInterval(keepAlive);
      void closed(code, reason.toString()).catch((error: unknown) =>
        logger.error('WebSocket close handling failed', { reason: error instanceof Error ? error.message : String(error) }),
      );
    });
  };

  return {
    get connections() {
      return sockets.clients.size;
    },
    async close() {
      closing = true;
      // Live subscriptions were ended first (their streams complete): their `complete` messages are
      // sent before the close frame, within a moment.
      const deadline = Date.now() + CLOSE_HANDSHAKE_MS;
      while ([...open].some((operations) => operations.size > 0) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      await new Promise((resolve) => setImmediate(resolve));
      const gone = [...sockets.clients].map(
        (socket) =>
          new Promise<void>((resolve) => {
            if (socket.readyState === socket.CLOSED) return resolve();
            socket.once('close', () => resolve());
            socket.close(1001, 'Going away');
            // A peer that does not answer the close frame is not waited for.
            setTimeout(() => socket.terminate(), CLOSE_HANDSHAKE_MS).unref();
          }),
      );
      await Promise.all(gone);
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
    },
  };
}

const PROTOCOL = 'graphql-transport-ws';
const CLOSE_HANDSHAKE_MS = 1_000;

function operationDocument(operation: OperationTypeNode): DocumentNode {
  const selection = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } } as const;
  return { kind: Kind.DOCUMENT, definitions: [{ kind: Kind.OPERATION_DEFINITION, operation, selectionSet: { kind: Kind.SELECTION_SET, selections: [selection] } }] };
}

function pathOf(request: IncomingMessage): string | undefined {
  try {
    return new URL(request.url ?? '', 'http://gateway.invalid').pathname;
  } catch {
    return undefined;
  }
}

/** `authorization` (or `Authorization`) from connection_init's payload, when it is a string. */
function credentialOf(params: Record<string, unknown> | undefined): string | undefined {
  const value = params?.['authorization'] ?? params?.['Authorization'];
  return typeof value === 'string' ? value : undefined;
}

/** undefined when the credential holds; otherwise graphql-ws's close code: 4401 without one, 4403 for a refused one. */
async function refusalOf(authenticate: Authenticate, authorization: string | null, logger: Logger): Promise<number | undefined> {
  try {
    await authenticate(authorization);
    return undefined;
  } catch (error) {
    const reason = error instanceof UnauthenticatedError ? error.reason : 'credential check failed';
    logger.info('WebSocket refused: unauthenticated', { reason });
    return authorization === null ? CloseCode.Unauthorized : CloseCode.Forbidden;
  }
}

/** What an operation's request carries: its credential, and that it is JSON wanting a GraphQL answer. */
function operationHeaders(authorization: string | null): Headers {
  const headers = new Headers({ 'content-type': 'application/json', accept: 'application/graphql-response+json' });
  if (authorization !== null) headers.set('authorization', authorization);
  return headers;
}

/**
 * The request an operation stands for, as yoga's plugins and the schema read one: its method, URL and
 * headers (the socket's, shared by all its operations) and a signal that aborts when the operation ends
 * (complete, socket closed, shutdown). Not a fetch Request: one of those costs about 2 KiB (its own
 * AbortSignal following ours, its URL, its header list) for each of up to LIVE_MAX_SUBSCRIPTIONS
 * operations, and nothing on an operation's path reads more than these four fields (yoga's
 * getResultForParams never parses a body; the plugins read headers, method, URL and signal).
 */
function operationRequest(url: string, headers: Headers, signal: AbortSignal): Request {
  const request: OperationRequest = { method: 'POST', url, headers, signal };
  // A structural stand-in: the fields above are all Request's that anything on the path reads.
  markWebSocketOperation(request as Request);
  return request as Request;
}

interface OperationRequest {
  readonly method: 'POST';
  readonly url: string;
  readonly headers: Headers;
  readonly signal: AbortSignal;
}

/** The host of the URL of an operation's stand-in Request: a name that can never be a real peer. */
const WEBSOCKET_HOST = 'websocket.invalid';

/** A subscribe message's payload as yoga's request parameters (an empty query: none, for persisted ids). */
function paramsOf(payload: SubscribePayload): GraphQLParams {
  const { query, operationName, variables, extensions } = payload;
  return {
    ...(query !== '' ? { query } : {}),
    ...(operationName != null ? { operationName } : {}),
    ...(variables != null ? { variables } : {}),
    ...(extensions != null ? { extensions } : {}),
    ...('documentId' in payload && typeof payload['documentId'] === 'string' ? { documentId: payload['documentId'] } : {}),
  } as GraphQLParams;
}

/** A refusal as graphql-ws's `error` message (counted for /metrics by `onError`, as it is sent). */
function refused(error: TooManySubscriptionsError | UnauthenticatedError): readonly GraphQLError[] {
  return [asGraphQLError(toGraphQLError(error))];
}

/** A refusal thrown before execution as the client sees it: a GatewayError with its code, a GraphQLError as it is, else masked. */
function thrownAsGraphQLError(error: unknown, logger: Logger): GraphQLError {
  const gatewayError = findGatewayError(error);
  if (gatewayError) return toGraphQLError(gatewayError);
  if (error instanceof GraphQLError) return error;
  logger.error('WebSocket operation failed', { reason: error instanceof Error ? error.message : String(error) });
  return new GraphQLError('Unexpected error.');
}

function asGraphQLError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) return error;
  const { message, extensions } = error as GraphQLFormattedError;
  return new GraphQLError(typeof message === 'string' ? message : 'Unexpected error.', { extensions: extensions ?? {} });
}

/**
 * What yoga's HTTP result processors send of a result: no internal extensions (`http`, `unexpected`) on
 * errors or on the result, nothing but JSON's own fields. Counts the errors' codes for /metrics.
 */
/** A result as yoga makes it: a single one, or a payload of an incremental response. */
type Sent = ExecutionResult & { readonly incremental?: readonly { readonly errors?: readonly GraphQLError[] }[]; readonly hasNext?: boolean };

function sendable(result: Sent, metrics: GatewayMetrics | undefined): FormattedExecutionResult {
  const { http: _http, ...extensions } = (result.extensions ?? {}) as Record<string, unknown>;
  const incremental = result.incremental?.map((part) => (part.errors ? { ...part, errors: formatted(part.errors, metrics) } : part));
  return {
    ...('data' in result ? { data: result.data } : {}),
    ...(result.errors?.length ? { errors: formatted(result.errors, metrics) } : {}),
    ...(Object.keys(extensions).length > 0 ? { extensions } : {}),
    ...(incremental ? { incremental } : {}),
    ...(result.hasNext !== undefined ? { hasNext: result.hasNext } : {}),
  } as FormattedExecutionResult;
}

function formatted(errors: readonly GraphQLError[], metrics: GatewayMetrics | undefined): GraphQLFormattedError[] {
  return errors.map((error) => {
    const json = typeof error.toJSON === 'function' ? error.toJSON() : (error as GraphQLFormattedError);
    const { http: _http, unexpected: _unexpected, ...extensions } = (json.extensions ?? {}) as Record<string, unknown>;
    const code = extensions['code'];
    metrics?.error(typeof code === 'string' ? code : undefined);
    const { extensions: _all, ...rest } = json;
    return Object.keys(extensions).length > 0 ? { ...rest, extensions } : rest;
  });
}

