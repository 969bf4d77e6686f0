import type { Plugin } from 'graphql-yoga';
import { CsrfPreventionError } from '../errors/gatewayErrors.js';

export interface CsrfPreventionOptions {
  /** Any one of these headers marks a request as made by a script. Default `['x-graphql-yoga-csrf']`. */
  requestHeaders?: readonly string[];
}

/** Content types a browser may send cross-origin without a CORS preflight (the Fetch standard's list). */
const SIMPLE_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/**
 * CSRF prevention, with the semantics of `@graphql-yoga/plugin-csrf-prevention`: a browser sends a
 * "simple" request (GET, or a POST as a form or text/plain) to another origin without asking first, so
 * a page elsewhere could make a signed-in browser run a query. A GraphQL request must therefore either
 * have a non-simple content type (`application/json`: the browser preflights it, and CORS decides), or
 * carry one of `requestHeaders` (which a page can only set after a preflight). Otherwise: 403
 * CSRF_PREVENTED before the body is read. Written here rather than installed so that the refusal
 * carries a stable `extensions.code` like every other one. Always on.
 */
export function useCsrfPrevention({ requestHeaders = ['x-graphql-yoga-csrf'] }: CsrfPreventionOptions = {}): Plugin {
  return {
    onRequestParse({ request }) {
      const contentType = request.headers.get('content-type')?.toLowerCase();
      const preflighted = contentType !== undefined && !SIMPLE_CONTENT_TYPES.some((simple) => contentType.startsWith(simple));
      if (preflighted || requestHeaders.some((name) => request.headers.has(name))) return;
      throw new CsrfPreventionError(requestHeaders);
    },
  };
}
