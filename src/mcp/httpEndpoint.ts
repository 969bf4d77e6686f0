import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Accepted, Authenticate } from '../auth/authenticator.js';
import { callerKey } from '../auth/callers.js';
import { CsrfPreventionError, findGatewayError, UnauthenticatedError, type GatewayError } from '../errors/gatewayErrors.js';
import type { Logger } from '../observability/logger.js';
import { madeByScript } from '../plugins/useCsrfPrevention.js';
import { requestedHeaders } from '../plugins/useCorsPolicy.js';
import { SessionBudget } from './budget.js';
import type { SharedSessions } from './sharedSessions.js';
import type { GraphQLFetch } from './gatewayCall.js';
import type { McpObserver } from './observer.js';
import type { McpPolicy } from './policy.js';
import { createMcpServer } from './server.js';
import type { McpTool } from './tool.js';

export const MCP_ENDPOINT = '/mcp';

/** Headers that show a script sent the request (CSRF): yoga's, or the session header a page cannot send unpreflighted. */
const CSRF_HEADERS = ['x-graphql-yoga-csrf', 'mcp-session-id'];

export interface McpHttpOptions {
  readonly policy: McpPolicy;
  readonly tools: readonly McpTool[];
  readonly fetchGraphQL: GraphQLFetch;
  /** The gateway's credential check; undefined when /graphql needs none (demo mode, AUTH_DISABLED). */
  readonly authenticate: Authenticate | undefined;
  /** CORS_ORIGINS, as /graphql applies it. */
  readonly corsOrigins: '*' | readonly string[];
  readonly maxBodyBytes: number;
  readonly logger: Logger;
  readonly version: string;
  /** Told of sessions opened and refused, and of each tool call (the gateway's metrics). */
  readonly observer?: McpObserver;
  /** Where sessions are kept for every replica (Redis, with REDIS_URL); without it, each replica has its own. */
  readonly shared?: SharedSessions;
  readonly now?: () => number;
}

export interface McpHttpEndpoint {
  /** Answers a request to /mcp. */
  readonly listener: RequestListener;
  /** The sessions this replica holds (opened here, or used here after another replica opened them). */
  readonly openSessions: () => number;
  /** Forgets every session this replica holds and stops the idle sweep (sessions kept in Redis stay for the other replicas). */
  close(): Promise<void>;
}

/**
 * A session as this replica holds it. Nothing of the protocol is kept between requests: each request
 * is answered by a server and transport of its own (the SDK's stateless mode), so any replica can
 * answer any request of a session it can find, here or in the shared store.
 */
interface Session {
  /** Who opened it: only the same caller may use it (a session id is not a credential). */
  readonly caller: string;
  /** Whose MCP_MAX_SESSIONS_PER_CALLER it counts against: the caller, or its peer address without a credential check. */
  readonly limitKey: string;
  readonly budget: SessionBudget;
  /** Whether the shared store has it: one opened while Redis could not be asked is this replica's alone. */
  readonly shared: boolean;
  lastUsed: number;
  /** POSTs being answered: a session is never idle while one is (a slow tool call). */
  busy: number;
}

/** The ids this endpoint hands out (randomUUID): anything else names no session, and is never a Redis key. */
const SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * MCP over Streamable HTTP at /mcp, with /graphql's stance: the same credential check (401 and
 * `WWW-Authenticate: Bearer` without one, before anything is read), CSRF prevention (a request must
 * show a script made it), CORS_ORIGINS (an Origin it does not allow is refused 403, which also stops
 * DNS rebinding, as the MCP specification asks). Sessions (`Mcp-Session-Id`) are at most
 * MCP_MAX_SESSIONS (all replicas together when they are shared), closed after MCP_SESSION_IDLE_MS
 * unused and on DELETE; a closed session is forgotten whole (its budget). Responses are JSON; there is
 * no server-to-client stream (GET is 405), since nothing is ever pushed to an agent.
 */
export function createMcpHttpEndpoint(options: McpHttpOptions): McpHttpEndpoint {
  const { policy, logger, shared, observer, now = Date.now } = options;
  const sessions = new Map<string, Session>();
  // Initializations under way: counted against MCP_MAX_SESSIONS (and per caller) too, or simultaneous ones would pass it.
  let opening = 0;
  const openingBy = new Map<string, number>();
  const sweep = setInterval(
    () => {
      const idleSince = now() - policy.sessionIdleMs;
      for (const [id, session] of sessions) {
        if (session.busy === 0 && session.lastUsed <= idleSince) {
          logger.debug('mcp session closed: idle', { idleMs: policy.sessionIdleMs });
          sessions.delete(id);
        }
      }
    },
    Math.min(policy.sessionIdleMs, 30_000),
  );
  sweep.unref();

  const budgetOf = (id: string, spent: number): SessionBudget =>
    new SessionBudget(policy.sessionBudget, shared ? { spent: () => shared.spent(id), add: (calls) => shared.add(id, calls) } : undefined, spent);

  /** A server and transport for this one request, on the session's budget; both closed when it is answered or its client goes. */
  const serve = async (budget: SessionBudget, request: IncomingMessage, response: ServerResponse, body: unknown, auth: AuthInfo | undefined): Promise<void> => {
    const transport = new StreamableHTTPServerTransport({ enableJsonResponse: true, maxRequestBodySize: options.maxBodyBytes });
    const server = createMcpServer({
      tools: options.tools,
      fetchGraphQL: options.fetchGraphQL,
      budget,
      authorizationOf: (info) => (info ? `Bearer ${info.token}` : undefined),
      version: options.version,
      ...(observer ? { observer } : {}),
    });
    // A client that goes before its answer aborts the tool call (and its GraphQL request) with it.
    const closeServer = (): void => void server.close();
    response.once('close', closeServer);
    try {
      await server.connect(transport);
      await transport.handleRequest(withAuth(request, auth), response, body);
    } finally {
      response.off('close', closeServer);
      await server.close();
    }
  };

  /** The caller's session by its id, here or in the shared store; undefined when it has none by that id. */
  const find = async (id: string, caller: string, limitKey: string): Promise<Session | undefined> => {
    if (!SESSION_ID.test(id)) return undefined;
    let session = sessions.get(id);
    const record = session?.shared === false ? undefined : await shared?.use(id, limitKey);
    if (record === null) {
      // Ended by another replica (DELETE), or expired: gone here too.
      sessions.delete(id);
      return undefined;
    }
    if (record !== undefined && record.caller !== caller) return undefined;
    if (record !== undefined && session === undefined) {
      session = { caller, limitKey, budget: budgetOf(id, record.spent), shared: true, lastUsed: now(), busy: 0 };
      sessions.set(id, session);
    }
    return session?.caller === caller ? session : undefined;
  };

  /** This replica's sessions (and initializations under way) counted against `limitKey`. */
  const heldBy = (limitKey: string): number => {
    let held = openingBy.get(limitKey) ?? 0;
    for (const session of sessions.values()) if (session.limitKey === limitKey) held++;
    return held;
  };

  const open = async (caller: string, limitKey: string, request: IncomingMessage, response: ServerResponse, body: unknown, auth: AuthInfo | undefined): Promise<void> => {
    const refuseFull = (): void => {
      logger.warn('mcp session refused: MCP_MAX_SESSIONS open', { maxSessions: policy.maxSessions });
      observer?.mcpSessionRefused('max_sessions');
      answer(response, 503, rpcError(-32000, `Too many MCP sessions are open (MCP_MAX_SESSIONS=${policy.maxSessions}); try again later`), { 'retry-after': '30' });
    };
    // 429, this caller's own doing: other agents are still served. Its sessions end on DELETE or when idle.
    const refuseCallerFull = (): void => {
      logger.warn('mcp session refused: MCP_MAX_SESSIONS_PER_CALLER open', { maxSessionsPerCaller: policy.maxSessionsPerCaller });
      observer?.mcpSessionRefused('max_sessions_per_caller');
      answer(
        response,
        429,
        rpcError(-32000, `This caller has ${policy.maxSessionsPerCaller} MCP sessions open (MCP_MAX_SESSIONS_PER_CALLER): end one (DELETE) or reuse it`),
        { 'retry-after': '30' },
      );
    };
    if (!shared && sessions.size + opening >= policy.maxSessions) return refuseFull();
    if (!shared && heldBy(limitKey) >= policy.maxSessionsPerCaller) return refuseCallerFull();
    const id = randomUUID();
    opening += 1;
    openingBy.set(limitKey, (openingBy.get(limitKey) ?? 0) + 1);
    try {
      const recorded = await shared?.open(id, caller, limitKey);
      if (recorded === 'full') return refuseFull();
      if (recorded === 'caller-full') return refuseCallerFull();
      // Redis could not be asked: the session is this replica's alone, bounded by this replica's counts.
      if (shared && recorded === undefined && sessions.size + opening > policy.maxSessions) return refuseFull();
      if (shared && recorded === undefined && heldBy(limitKey) > policy.maxSessionsPerCaller) return refuseCallerFull();
      const session: Session = { caller, limitKey, budget: budgetOf(id, 0), shared: recorded === 'opened', lastUsed: now(), busy: 1 };
      response.setHeader('mcp-session-id', id);
      await serve(session.budget, request, response, body, auth);
      session.busy = 0;
      // An initialize the transport refused (a batch, a bad Accept) opened nothing.
      if (response.statusCode === 200) {
        sessions.set(id, session);
        observer?.mcpSessionOpened();
      } else if (session.shared) await shared?.close(id, limitKey);
    } finally {
      opening -= 1;
      const left = (openingBy.get(limitKey) ?? 1) - 1;
      if (left > 0) openingBy.set(limitKey, left);
      else openingBy.delete(limitKey);
    }
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const origin = header(request, 'origin');
    const allowed = origin === undefined ? undefined : allowOrigin(options.corsOrigins, origin);
    if (allowed !== undefined) {
      response.setHeader('access-control-allow-origin', allowed);
      response.setHeader('access-control-expose-headers', 'content-type, mcp-session-id, x-request-id');
    }
    if (origin !== undefined) response.setHeader('vary', 'Origin');
    if (request.method === 'OPTIONS') return preflight(request, response, allowed);
    if (origin !== undefined && allowed === undefined) {
      // The CSRF refusal's code: a page of another site (or a rebound DNS name) asking in a browser.
      return answer(response, 403, rpcError(-32001, 'Requests from this origin are not allowed (CORS_ORIGINS)', 'CSRF_PREVENTED'));
    }
    let caller = 'anonymous';
    // Without a credential check every client is 'anonymous': its sessions count by peer address (as live subscriptions do).
    let limitKey = `peer:${request.socket.remoteAddress ?? 'unknown'}`;
    let auth: AuthInfo | undefined;
    if (options.authenticate) {
      const authorization = header(request, 'authorization') ?? null;
      try {
        const accepted = await options.authenticate(authorization);
        caller = sessionOwner(accepted);
        limitKey = caller;
        auth = { token: bearerToken(authorization) ?? '', clientId: caller, scopes: [] };
      } catch (error) {
        const refusal = findGatewayError(error);
        if (!(refusal instanceof UnauthenticatedError)) throw error;
        logger.info('mcp request refused: unauthenticated', { reason: refusal.reason });
        return refuse(response, refusal);
      }
    }
    if (request.method !== 'DELETE' && !madeByScript(headersOf(request), CSRF_HEADERS)) return refuse(response, new CsrfPreventionError(CSRF_HEADERS));
    // Nothing is pushed to an agent, so there is no stream to open: the specification's answer is 405.
    if (request.method === 'GET') return answer(response, 405, rpcError(-32000, 'Method not allowed: this server sends no stream; POST requests'), { allow: 'POST, DELETE' });
    if (request.method !== 'POST' && request.method !== 'DELETE') return answer(response, 405, rpcError(-32000, 'Method not allowed'), { allow: 'POST, DELETE' });

    const id = header(request, 'mcp-session-id');
    if (id !== undefined) {
      const session = await find(id, caller, limitKey);
      // Another caller's session is answered as an unknown one: a session id proves nothing.
      if (!session) return answer(response, 404, rpcError(-32001, 'Session not found: initialize a new one'));
      if (request.method === 'DELETE') {
        sessions.delete(id);
        if (session.shared) await shared?.close(id, session.limitKey);
        response.writeHead(200, { 'content-length': '0' });
        response.end();
        return;
      }
      session.busy += 1;
      try {
        const body = await readJson(request, options.maxBodyBytes);
        if (body instanceof BodyProblem) return answer(response, body.status, rpcError(-32700, body.message));
        if (isInitializeRequest(body)) return answer(response, 400, rpcError(-32600, 'Invalid Request: this session is already initialized'));
        await serve(session.budget, request, response, body, auth);
      } finally {
        session.busy -= 1;
        session.lastUsed = now();
      }
      return;
    }
    if (request.method !== 'POST') return answer(response, 400, rpcError(-32000, 'Send Mcp-Session-Id, or POST an initialize request first'));
    const body = await readJson(request, options.maxBodyBytes);
    if (body instanceof BodyProblem) return answer(response, body.status, rpcError(-32700, body.message));
    if (!isInitializeRequest(body)) return answer(response, 400, rpcError(-32000, 'Send Mcp-Session-Id, or POST an initialize request first'));
    return open(caller, limitKey, request, response, body, auth);
  };

  return {
    listener: (request, response) => {
      handle(request, response).catch((error: unknown) => {
        logger.error('mcp request failed; answered 500', error instanceof Error ? error : { reason: String(error) });
        if (response.headersSent) response.destroy();
        else answer(response, 500, rpcError(-32603, 'Internal error'));
      });
    },
    openSessions: () => sessions.size,
    async close() {
      clearInterval(sweep);
      sessions.clear();
    },
  };
}

/** Sends /mcp requests to `mcp`, everything else to `next`. */
export function withMcpRoute(mcp: McpHttpEndpoint | undefined, next: RequestListener): RequestListener {
  if (!mcp) return next;
  return (request, response) => {
    const url = request.url ?? '';
    const path = url.includes('?') ? url.slice(0, url.indexOf('?')) : url;
    return path === MCP_ENDPOINT ? mcp.listener(request, response) : next(request, response);
  };
}

/**
 * Who owns a session: a static token by its place (as callerKey), a JWT by its issuer's subject, so
 * that an agent whose short-lived token is refreshed keeps its session (the same `sub` is the same
 * principal, whatever the token's other claims); a JWT without `sub` names no one, and owns only by
 * the very token. A digest, fixed in length, never the subject's text.
 */
function sessionOwner(accepted: Accepted): string {
  if (accepted.kind === 'jwt' && accepted.subject !== undefined) return `jwt-sub:${createHash('sha256').update(accepted.subject).digest('base64url')}`;
  return callerKey(accepted);
}

interface AuthInfo {
  token: string;
  clientId: string;
  scopes: string[];
}

function withAuth(request: IncomingMessage, auth: AuthInfo | undefined): IncomingMessage & { auth?: AuthInfo } {
  if (auth) (request as IncomingMessage & { auth?: AuthInfo }).auth = auth;
  return request;
}

function bearerToken(authorization: string | null): string | undefined {
  return /^Bearer +(\S+) *$/i.exec(authorization ?? '')?.[1];
}

function allowOrigin(origins: '*' | readonly string[], origin: string): string | undefined {
  if (origins === '*') return '*';
  return origins.includes(origin) ? origin : undefined;
}

function preflight(request: IncomingMessage, response: ServerResponse, allowed: string | undefined): void {
  if (allowed !== undefined) {
    response.setHeader('access-control-allow-methods', 'GET, POST, DELETE');
    const names = requestedHeaders(header(request, 'access-control-request-headers') ?? null);
    if (names !== undefined) response.setHeader('access-control-allow-headers', names.join(', '));
    response.setHeader('access-control-max-age', '600');
  }
  response.writeHead(204, { 'content-length': '0' });
  response.end();
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function headersOf(request: IncomingMessage): Headers {
  const headers = new Headers();
  for (const name of ['content-type', 'authorization', ...CSRF_HEADERS]) {
    const value = header(request, name);
    if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

/** A JSON-RPC error with no id (the request was not read as one), its gateway code in `data.code`. */
function rpcError(code: number, message: string, gatewayCode?: GatewayError['code']): object {
  return { jsonrpc: '2.0', error: { code, message, ...(gatewayCode ? { data: { code: gatewayCode } } : {}) }, id: null };
}

function refuse(response: ServerResponse, error: GatewayError): void {
  const http = error.http();
  answer(response, http?.status ?? 400, rpcError(-32001, error.message, error.code), http?.headers ?? {});
}

function answer(response: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

class BodyProblem {
  constructor(
    readonly status: number,
    readonly message: string,
  ) {}
}

/** The body as JSON, read up to `maxBytes` (MAX_REQUEST_BODY_BYTES, as /graphql): more is 413 before it is parsed. */
async function readJson(request: IncomingMessage, maxBytes: number): Promise<unknown> {
  const declared = Number(header(request, 'content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) return new BodyProblem(413, `The body is larger than ${maxBytes} bytes (MAX_REQUEST_BODY_BYTES)`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return new BodyProblem(413, `The body is larger than ${maxBytes} bytes (MAX_REQUEST_BODY_BYTES)`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return new BodyProblem(400, 'The body is not JSON');
  }
}
