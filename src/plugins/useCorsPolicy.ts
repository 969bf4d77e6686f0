import type { Plugin } from 'graphql-yoga';

export interface CorsPolicyOptions {
  /** '*' for any origin, or the exact origins allowed (empty: no browser on another origin may read). */
  origins: '*' | readonly string[];
  /** How long browsers may cache a preflight answer. Default 600 s. */
  maxAgeSeconds?: number;
}

/**
 * CORS for browsers on other origins, replacing yoga's default (which allows every origin with
 * credentials). An allowed origin is echoed back; any other gets no CORS headers, so the browser
 * refuses to hand over the answer. Preflights are answered 204 either way. Credentials (cookies) are
 * never allowed: clients authenticate with headers. `Vary: Origin` keeps caches from mixing origins.
 */
export function useCorsPolicy({ origins, maxAgeSeconds = 600 }: CorsPolicyOptions): Plugin {
  const allowed = (origin: string): boolean => origins === '*' || origins.includes(origin);
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      if (request.method !== 'OPTIONS') return;
      const origin = request.headers.get('origin');
      const headers = new fetchAPI.Headers({ vary: 'Origin', 'content-length': '0' });
      if (origin !== null && allowed(origin)) {
        headers.set('access-control-allow-origin', origin);
        headers.set('access-control-allow-methods', 'GET, POST');
        const requested = request.headers.get('access-control-request-headers');
        if (requested) headers.set('access-control-allow-headers', requested);
        headers.set('access-control-max-age', String(maxAgeSeconds));
      }
      endResponse(new fetchAPI.Response(null, { status: 204, headers }));
    },
    onResponse({ request, response }) {
      const origin = request.headers.get('origin');
      if (origin === null) return;
      response.headers.append('vary', 'Origin');
      if (allowed(origin)) {
        response.headers.set('access-control-allow-origin', origin);
        // x-request-id: a frontend can quote it in a bug report, and it finds the gateway's log lines.
        response.headers.set('access-control-expose-headers', 'content-type, x-request-id');
      }
    },
  };
}
