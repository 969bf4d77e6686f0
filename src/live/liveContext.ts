import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayContext } from '../context.js';
import type { TtlPolicy } from '../data/endpoint.js';
import type { LiveSeries } from './liveSeries.js';

/** What the subscription fields need of the gateway: the process's live series, and how a poll loads. */
export interface LiveContext {
  readonly series: LiveSeries;
  /**
   * Whether every request's credential was checked (auth is on). Without a check, an Authorization
   * header is whatever the caller wrote: counting clients by it would let one caller be many.
   */
  readonly credentialsChecked: boolean;
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
 * Who the per-client cap counts: the checked credential the request carried (the same token from many
 * tabs is one client), or the peer's address when credentials are not checked. The credential is kept
 * only as a digest.
 */
export function clientOf(context: GatewayContext, credentialsChecked: boolean): string {
  const { request, req } = context as GatewayContext & RequestParts;
  const authorization = credentialsChecked ? request?.headers.get('authorization') : undefined;
  if (authorization) return `credential:${createHash('sha256').update(authorization).digest('base64url')}`;
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
