import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayContext } from './context.js';
import type { LiveContext } from './context.js';

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
