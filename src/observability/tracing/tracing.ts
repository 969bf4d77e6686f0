import type { Context, Tracer } from '@opentelemetry/api';
import type { RequestTrace } from './requestTrace.js';

/**
 * What the request path needs of a started SDK. Built by src/observability/tracing/sdk.ts, which is imported only
 * when tracing is on: with it off, no SDK module is loaded and nothing here exists.
 */
export interface Tracing {
  readonly tracer: Tracer;
  /** The caller's trace (W3C `traceparent` / `tracestate`) from request headers; the root context when none or malformed. */
  extract(headers: Headers): Context;
  /** A GraphQL request's spans, continuing the caller's trace found in its headers. */
  startRequest(headers: Headers): RequestTrace;
  /** Braze as attempt spans name it: server.address, server.port, url.scheme and the base path. */
  readonly braze: BrazeServer;
  /** Exports what is still buffered (bounded in time), then stops. */
  shutdown(): Promise<void>;
}

export interface BrazeServer {
  readonly address: string;
  readonly port: number;
  readonly scheme: string;
  /** The endpoint's own path, without a trailing slash (usually empty). */
  readonly basePath: string;
}

export function brazeServer(endpoint: URL): BrazeServer {
  const scheme = endpoint.protocol.replace(/:$/, '');
  const port = endpoint.port === '' ? (scheme === 'https' ? 443 : 80) : Number(endpoint.port);
  return { address: endpoint.hostname, port, scheme, basePath: endpoint.pathname.replace(/\/+$/, '') };
}
