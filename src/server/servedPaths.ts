import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { BUILT_GRAPHIQL, graphiqlAssetPaths } from '../graphiqlSite/manifest.js';

/**
 * GraphiQL's built files (`/graphiql/<content-hashed name>`, exactly those of dist/graphiql/manifest.json):
 * served too, but not listed in a 404's `served`, which names the routes. With GRAPHIQL_ENABLED=false yoga
 * answers them 404 itself.
 */
const GRAPHIQL_FILES: ReadonlySet<string> = new Set(graphiqlAssetPaths(BUILT_GRAPHIQL));

/**
 * Answers 404 to any path the gateway does not serve, before yoga sees the request. Yoga matches its
 * routes with `request.url.endsWith(…)`, so `/foo/graphql` and `/x?y=/graphql` were served as the
 * GraphQL endpoint and `/graphql?x=/healthz` as the health check. The path is compared byte for byte,
 * never normalised: `//graphql`, `/./graphql` or `/health/../graphql` resolve to `/graphql` for a URL
 * parser, so a proxy rule that lets `/health/*` through would have reached GraphQL with them.
 * `files` are served as well, unlisted (GraphiQL's built files by default).
 * An absolute-form target (`GET http://host/graphql`, which a server must accept) is handed on in
 * origin form: yoga builds its URL from the Host header and the target, and cannot parse it otherwise.
 */
export function onlyServedPaths(paths: ReadonlySet<string>, handler: RequestListener, files: ReadonlySet<string> = GRAPHIQL_FILES): RequestListener {
  return (request: IncomingMessage, response: ServerResponse) => {
    const target = originForm(request.url);
    const path = target === undefined ? undefined : pathOf(target);
    if (target !== undefined && path !== undefined && (paths.has(path) || files.has(path))) {
      request.url = target;
      return void handler(request, response);
    }
    response.writeHead(404, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    response.end(JSON.stringify({ error: 'not found', served: [...paths] }));
  };
}

/** `scheme://authority` of an absolute-form request target (RFC 9112 §3.2.2). */
const ABSOLUTE_FORM = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/;

/**
 * A request target in origin form (`/graphql?x`), as sent: absolute-form (`http://host/graphql?x`)
 * loses its scheme and authority (an empty path is `/`). Undefined for any other form (`*`, a target
 * that does not start with `/`).
 */
function originForm(target: string | undefined): string | undefined {
  if (target === undefined) return undefined;
  const authority = ABSOLUTE_FORM.exec(target);
  if (authority) {
    const rest = target.slice(authority[0].length);
    return rest.startsWith('/') ? rest : `/${rest}`;
  }
  return target.startsWith('/') ? target : undefined;
}

/** The path of an origin-form target: everything before its query, byte for byte. */
function pathOf(target: string): string {
  const query = target.indexOf('?');
  return query === -1 ? target : target.slice(0, query);
}
