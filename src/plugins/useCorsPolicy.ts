import type { Plugin } from 'graphql-yoga';

export interface CorsPolicyOptions {
  /** '*' for any origin, or the exact origins allowed (empty: no browser on another origin may read). */
  origins: '*' | readonly string[];
  /** How long browsers may cache a preflight answer. Default 600 s. */
  maxAgeSeconds?: number;
}

/**
 * Most header names, and longest list, a preflight may ask for and be granted. A browser asks only for
 * the non-safelisted headers its page sets (a handful of short names); a longer list is not a
 * browser's, and is not echoed, so a preflight's answer stays small whatever it asked.
 */
export const MAX_REQUESTED_HEADERS = 64;
export const MAX_REQUESTED_HEADERS_LENGTH = 2_048;

/** A header name (RFC 9110 `token`). */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * The header names of a preflight's Access-Control-Request-Headers, lowercased and without repeats, or
 * undefined when it is not a list of at most MAX_REQUESTED_HEADERS header names in at most
 * MAX_REQUESTED_HEADERS_LENGTH characters: what is echoed is then always names a browser could send,
 * never the client's bytes as they came.
 */
export function requestedHeaders(value: string | null): string[] | undefined {
  if (value === null || value.length > MAX_REQUESTED_HEADERS_LENGTH) return undefined;
  const names = value.split(',').map((name) => name.trim().toLowerCase());
  if (names.length === 1 && names[0] === '') return undefined;
  if (names.length > MAX_REQUESTED_HEADERS || !names.every((name) => HEADER_NAME.test(name))) return undefined;
  return [...new Set(names)];
}

/**
 * CORS for browsers on other origins, replacing yoga's default (which allows every origin with
 * credentials). With a list, an allowed origin is echoed back and any other gets no CORS headers, so the
 * browser refuses to hand over the answer; with '*', every answer says `*` (the client's Origin is never
 * echoed). Preflights are answered 204 either way, granting the header names asked for (see
 * requestedHeaders). Credentials (cookies) are never allowed: clients authenticate with headers.
 * `Vary: Origin` keeps caches from mixing origins.
 */
export function useCorsPolicy({ origins, maxAgeSeconds = 600 }: CorsPolicyOptions): Plugin {
  // The Access-Control-Allow-Origin for a request from `origin`, if it may read the answer.
  const allowOrigin = (origin: string | null): string | undefined => {
    if (origin === null) return undefined;
    if (origins === '*') return '*';
    return origins.includes(origin) ? origin : undefined;
  };
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      if (request.method !== 'OPTIONS') return;
      const headers = new fetchAPI.Headers({ vary: 'Origin', 'content-length': '0' });
      const allowed = allowOrigin(request.headers.get('origin'));
      if (allowed !== undefined) {
        headers.set('access-control-allow-origin', allowed);
        headers.set('access-control-allow-methods', 'GET, POST');
        const names = requestedHeaders(request.headers.get('access-control-request-headers'));
        if (names !== undefined) headers.set('access-control-allow-headers', names.join(', '));
        headers.set('access-control-max-age', String(maxAgeSeconds));
      }
      endResponse(new fetchAPI.Response(null, { status: 204, headers }));
    },
    onResponse({ request, response }) {
      const origin = request.headers.get('origin');
      if (origin === null) return;
      if (!/(^|,)\s*origin\s*(,|$)/i.test(response.headers.get('vary') ?? '')) response.headers.append('vary', 'Origin');
      const allowed = allowOrigin(origin);
      if (allowed !== undefined) {
        response.headers.set('access-control-allow-origin', allowed);
        // x-request-id: a frontend can quote it in a bug report, and it finds the gateway's log lines.
        response.headers.set('access-control-expose-headers', 'content-type, x-request-id');
      }
    },
  };
}
