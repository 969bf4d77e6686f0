import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { GatewayContext } from '../context.js';
import type { TtlPolicy } from '../data/endpoint.js';
import type { LiveSeries } from './liveSeries.js';

/** What the subscription fields need of the gateway: the process's live series, and how a poll loads. */
export interface LiveContext {
  readonly series: LiveSeries;
  /** The cache lifetimes the endpoints' TTL rules choose from: a poll's interval follows them. */
  readonly ttl: TtlPolicy;
  /** The context one poll loads through, as a request's would be at `instant` (its cap, cache and sharing). */
  pollContext(instant: Date, signal: AbortSignal): GatewayContext;
}

/** What yoga adds to every context: the fetch Request, and (under Node's HTTP server) the Node request. */
interface RequestParts {
  readonly request?: Request;
  readonly req?: IncomingMessage;
}

/**
 * Who the per-client cap counts: the credential the request carried (the same token from many tabs is
 * one client), or the peer's address when none is asked. The credential is kept only as a digest.
 */
export function clientOf(context: GatewayContext): string {
  const { request, req } = context as GatewayContext & RequestParts;
  const authorization = request?.headers.get('authorization');
  if (authorization) return `credential:${createHash('sha256').update(authorization).digest('base64url')}`;
  return `address:${req?.socket.remoteAddress ?? 'unknown'}`;
}

/** The request's signal: aborted when its client goes away. */
export function signalOf(context: GatewayContext): AbortSignal | undefined {
  return (context as GatewayContext & RequestParts).request?.signal;
}
