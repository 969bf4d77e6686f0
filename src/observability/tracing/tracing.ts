import type { BrazeServer, RequestTrace, TraceSource } from './requestTrace.js';

/**
 * What the request path needs of a started SDK. Built by sdk.ts, which is imported only when tracing
 * is on: with it off, no SDK module is loaded and nothing here exists.
 */
export interface Tracing extends TraceSource {
  /** A GraphQL request's spans, continuing the caller's trace found in its headers. */
  startRequest(headers: Headers): RequestTrace;
  /** Exports what is still buffered (bounded in time), then stops. */
  shutdown(): Promise<void>;
}

/** Braze's URL as attempt spans name it. */
export function brazeServer(endpoint: URL): BrazeServer {
  const scheme = endpoint.protocol.replace(/:$/, '');
  const port = endpoint.port === '' ? (scheme === 'https' ? 443 : 80) : Number(endpoint.port);
  return { address: endpoint.hostname, port, scheme, basePath: endpoint.pathname.replace(/\/+$/, '') };
}
