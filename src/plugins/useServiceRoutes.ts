import type { Plugin } from 'graphql-yoga';

export interface ServiceRoutesOptions {
  /** Where GraphQL is served; `/` redirects there. Default `/graphql`. */
  graphqlEndpoint?: string;
  /** Told in `/health`, so an operator can see at a glance whether numbers are real. */
  brazeMode: 'live' | 'simulated';
}

/**
 * The routes around GraphQL: `GET /health` answers liveness as JSON, and `GET /` sends a browser to
 * GraphiQL instead of a 404.
 */
export function useServiceRoutes({ graphqlEndpoint = '/graphql', brazeMode }: ServiceRoutesOptions): Plugin {
  return {
    onRequest({ url, request, endResponse, fetchAPI }) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      if (url.pathname === '/health') {
        endResponse(
          fetchAPI.Response.json({ status: 'ok', braze: brazeMode }, { headers: { 'cache-control': 'no-store' } }),
        );
      } else if (url.pathname === '/') {
        endResponse(new fetchAPI.Response(null, { status: 302, headers: { location: graphqlEndpoint } }));
      }
    },
  };
}
