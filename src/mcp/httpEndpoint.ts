import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Authenticate } from '../auth/authenticator.js';
import { callerKey } from '../auth/callers.js';
import { CsrfPreventionError, findGatewayError, UnauthenticatedError, type GatewayError } from '../errors/gatewayErrors.js';
import type { Logger } from '../observability/logger.js';
import { madeByScript } from '../plugins/useCsrfPrevention.js';
import { requestedHeaders } from '../plugins/useCorsPolicy.js';
import { SessionBudget } from './budget.js';
import type { GraphQLFetch } from './gatewayCall.js';
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
  readonly now?: () => number;
}

export interface McpHttpEndpoint {
  /** Answers a request to /mcp. */
  readonly listener: RequestListener;
  /** Open sessions (for tests and /metrics to come). */
  readonly openSessions: () => number;
  /** Closes every session (ending their streams) and stops the idle sweep. */
  close(): Promise<void>;
}

interface Session {
  readonly transport: StreamableHTTPServerTransport;
  /** Who opened it: only the same caller may use it (a session id is not a credential). */
  readonly caller: string;
  lastUsed: number;
  /** POSTs being answered: a session is never idle while one is (a slow tool call). */
  busy: number;
}

/**
 * MCP over Streamable HTTP at /mcp, with /graphql's stance: the same credential check (401 and
 * `WWW-Authenticate: Bearer` without one, before anything is read), CSRF prevention (a request must
 * show a script made it), CORS_ORIGINS (an Origin it does not allow is refused 403, which also stops
 * DNS rebinding, as the MCP specification asks). Sessions (`Mcp-Session-Id`) are at most
 * MCP_MAX_SESSIONS, closed after MCP_SESSION_IDLE_MS unused, on DELETE and when the gateway closes;
 * a closed session is forgotten whole (its server, transport, budget).
 */
export function createMcpHttpEndpoint(options: McpHttpOptions): McpHttpEndpoint {
  const { policy, logger, now = Date.now } = options;
  const sessions = new Map<string, Session>();
  // Initializations under way: counted against MCP_MAX_SESSIONS too, or simultaneous ones would pass it.
  let opening = 0;
  const sweep = setInterval(
    () => {
      const idleSince = now() - policy.sessionIdleMs;
      for (const [id, session] of sessions) {
        if (session.busy === 0 && session.lastUsed <= idleSince) {
          logger.debug('mcp session closed: idle', { idleMs: policy.sessionIdleMs });
          sessions.delete(id);
          void session.transport.close();
        }
      }
    },
    Math.min(policy.sessionIdleMs, 30_000),
  );
  sweep.unref();

  const open = async (caller: string, request: IncomingMessage, response: ServerResponse, body: unknown, auth: AuthInfo | undefined): Promise<void> => {
    if (sessions.size + opening >= policy.maxSessions) {
      logger.warn('mcp session refused: MCP_MAX_SESSIONS open', { maxSessions: policy.maxSessions });
      return answer(response, 503, rpcError(-32000, `Too many MCP sessions are open (MCP_MAX_SESSIONS=${policy.maxSessions}); try again later`), { 'retry-after': '30' });
    }
    const budget = new SessionBudget(policy.sessionBudget);
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      enableJsonResponse: true,
      maxRequestBodySize: options.maxBodyBytes,
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, caller, lastUsed: now(), busy: 0 });
      },
    });
    transport.onclose = () => {
      if (transport.sessionId !== undefined) sessions.delete(transport.sessionId);
      void server.close();
    };
    const server = createMcpServer({
      tools: options.tools,
      fetchGraphQL: options.fetchGraphQL,
      budget,
      authorizationOf: (info) => (info ? `Bearer ${info.token}` : undefined),
      version: options.version,
    });
    opening += 1;
    try {
      await server.connect(transport);
      await transport.handleRequest(withAuth(request, auth), response, body);
    } finally {
      opening -= 1;
    }
    // An initialize the transport refused opened nothing: its server goes now, not at the next sweep.
    if (transport.sessionId === undefined || !sessions.has(transport.sessionId)) await server.close();
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
    let auth: AuthInfo | undefined;
    if (options.authenticate) {
      const authorization = header(request, 'authorization') ?? null;
      try {
        const accepted = await options.authenticate(authorization);
        caller = callerKey(accepted);
        auth = { token: bearerToken(authorization) ?? '', clientId: caller, scopes: [] };
      } catch (error) {
        const refusal = findGatewayError(error);
        if (!(refusal instanceof UnauthenticatedError)) throw error;
        logger.info('mcp request refused: unauthenticated', { reason: refusal.reason });
        return refuse(response, refusal);
      }
    }
    if (request.method !== 'DELETE' && !madeByScript(headersOf(request), CSRF_HEADERS)) return refuse(response, new CsrfPreventionError(CSRF_HEADERS));

    const id = header(request, 'mcp-session-id');
    if (id !== undefined) {
      const session = sessions.get(id);
      // Another caller's session is answered as an unknown one: a session id proves nothing.
      if (!session || session.caller !== caller) return answer(response, 404, rpcError(-32001, 'Session not found: initialize a new one'));
      // GET (the server's notification stream, open as long as the client is) and DELETE are no use of
      // the session: an agent that keeps its stream open but asks nothing is idle.
      if (request.method !== 'POST') return session.transport.handleRequest(withAuth(request, auth), response);
      session.busy += 1;
      try {
        const body = await readJson(request, options.maxBodyBytes);
        if (body instanceof BodyProblem) return answer(response, body.status, rpcError(-32700, body.message));
        await session.transport.handleRequest(withAuth(request, auth), response, body);
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
    return open(caller, request, response, body, auth);
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
      const open = [...sessions.values()];
      sessions.clear();
      await Promise.all(open.map((session) => session.transport.close()));
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
