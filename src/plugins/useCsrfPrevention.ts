import type { Plugin } from 'graphql-yoga';
import { CsrfPreventionError } from '../errors/gatewayErrors.js';

export interface CsrfPreventionOptions {
  /** Any one of these headers marks a request as made by a script. Default `['x-graphql-yoga-csrf']`. */
  requestHeaders?: readonly string[];
}

/** Content types a browser may send cross-origin without a CORS preflight (the Fetch standard's list). */
const SIMPLE_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/**
 * `Authorization: Bearer …`. A page can set Authorization only through fetch or XHR, and it is not a
 * CORS-safelisted header, so a cross-origin request carrying it is preflighted and CORS decides. Only
 * the Bearer scheme counts: a browser attaches Basic, Digest or Negotiate credentials it remembers to
 * any request to that host, a form's or an <img>'s included, but never a Bearer token.
 */
const BEARER = /^bearer\s+\S/i;

/**
 * CSRF prevention: a browser sends a "simple" request (GET, or a POST as a form or text/plain) to
 * another origin without asking first, so a page elsewhere could make a signed-in browser run a query.
 * A GraphQL request must therefore show that a script made it, with something a page can only send
 * after a CORS preflight: a non-simple content type (`application/json`, as Apollo Client's POSTs), a
 * bearer credential (`Authorization: Bearer`, as urql's default GETs and Apollo's `useGETForQueries`
 * carry with the gateway's auth), or one of `requestHeaders`. Otherwise: 403 CSRF_PREVENTED before
 * the body is read. Other non-safelisted headers do not count: proxies add their own (`x-forwarded-for`,
 * `traceparent`) to a forged request too. `@graphql-yoga/plugin-csrf-prevention` accepts only the
 * listed headers; written here so that the refusal carries a stable `extensions.code` like every other
 * one. Always on.
 */
export function useCsrfPrevention({ requestHeaders = ['x-graphql-yoga-csrf'] }: CsrfPreventionOptions = {}): Plugin {
  return {
    onRequestParse({ request }) {
      if (madeByScript(request.headers, requestHeaders)) return;
      throw new CsrfPreventionError(requestHeaders);
    },
  };
}

/** True when `headers` hold something a cross-origin page cannot send without a CORS preflight. */
export function madeByScript(headers: Headers, requestHeaders: readonly string[]): boolean {
  const contentType = headers.get('content-type')?.toLowerCase();
  const preflighted = contentType !== undefined && !SIMPLE_CONTENT_TYPES.some((simple) => contentType.startsWith(simple));
  return preflighted || BEARER.test(headers.get('authorization') ?? '') || requestHeaders.some((name) => headers.has(name));
}
