import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

/**
 * Answers 404 to any path the gateway does not serve, before yoga sees the request. Yoga matches its
 * routes with `request.url.endsWith(…)`, so `/foo/graphql` and `/x?y=/graphql` were served as the
 * GraphQL endpoint and `/graphql?x=/healthz` as the health check; only exact paths pass here.
 */
export function onlyServedPaths(paths: ReadonlySet<string>, handler: RequestListener): RequestListener {
  return (request: IncomingMessage, response: ServerResponse) => {
    if (paths.has(pathnameOf(request.url))) return void handler(request, response);
    response.writeHead(404, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    response.end(JSON.stringify({ error: 'not found', served: [...paths] }));
  };
}

function pathnameOf(url: string | undefined): string {
  try {
    // Origin-form (/graphql?x) and absolute-form (http://host/graphql) alike; dot segments resolved.
    return new URL(url ?? '/', 'http://gateway.invalid').pathname;
  } catch {
    return '';
  }
}
