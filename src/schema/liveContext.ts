import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayContext } from './context.js';
import type { TtlPolicy } from '../data/endpoint.js';
import type { LiveSeries } from '../live/liveSeries.js';

/** What the subscription fields need of the gateway: the process's live series, and how a poll loads. */
export interface LiveContext {
  readonly series: LiveSeries;
  /**
   * Who sent a request, as the credential check accepted it (src/auth/callers.ts); undefined when
   * credentials are not checked (auth off). An Authorization header nobody checked is whatever the
   * caller wrote: counting clients by it would let one caller be many.
   */
  readonly callerOf: ((request: Request) => string | undefined) | undefined;
  /** The cache lifetimes the endpoints' TTL rules choose from: a poll's interval follows them. */
  readonly ttl: TtlPolicy;
  /** The context one poll loads through, as a request's would be at `instant` (its cap, cache and sharing). */
  pollContext(instant: Date, signal: AbortSignal): GatewayContext;
}

/** What yoga adds to every context: the fetch Request, and (under Node's HTTP server) the Node request and response. */
interface RequestParts {
  readonly request?: Request;
  readonly req?: IncomingMessage;
  readonly res?: ServerResponse;
}

/**
 * Who the per-client cap counts: the caller the credential check accepted (a static token by its
 * place in AUTH_TOKENS, a JWT by a digest of the token: however the header was spelled, and the same
 * token from many tabs is one client), or the peer's address when credentials are not checked. With
 * credentials checked, a request without an accepted caller cannot reach here (it was refused 401);
 * should one, it is refused rather than counted as someone else.
 */
export function clientOf(context: GatewayContext, callerOf: LiveContext['callerOf']): string {
  const { request, req } = context as GatewayContext & RequestParts;
  if (callerOf) {
    const caller = request ? callerOf(request) : undefined;
    if (caller === undefined) throw new Error('a live subscription on a request without an accepted credential');
    return `caller:${caller}`;
  }
  return `address:${req?.socket.remoteAddress ?? 'unknown'}`;
}

/**
 * Aborted when the request's exchange ends, however it ends: its client went away (the request's own
 * signal), or its response was sent or closed (the Node response's 'close', which the request's signal
 * does not follow once a response finished: a subscription whose stream was never sent would
 * otherwise outlive its request).
 */
export function endOf(context: GatewayContext): AbortSignal | undefined {
  const { request, res } = context as GatewayContext & RequestParts;
  if (!res) return request?.signal;
  const ended = new AbortController();
  const end = (): void => ended.abort();
  if (request?.signal.aborted || res.closed) end();
  request?.signal.addEventListener('abort', end, { once: true });
  res.once('close', end);
  return ended.signal;
}
