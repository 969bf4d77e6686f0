import type { Plugin } from 'graphql-yoga';
import type { UpstreamStatus } from '../braze/client.js';

export interface ServiceRoutesOptions {
  /** Where GraphQL is served; `/` redirects there. Default `/graphql`. */
  graphqlEndpoint?: string;
  /** Told in `/health`, so an operator can see at a glance whether numbers are real. */
  brazeMode: 'live' | 'simulated';
  /** The upstream's breaker and rate-limit state, shown in `/health`. */
  upstreamStatus: () => UpstreamStatus;
}

/**
 * The routes around GraphQL: `GET /health` answers liveness as JSON with the upstream's circuit and
 * rate-limit state (it stays 200 while the breaker is open: the process is alive), and `GET /` sends a
 * browser to GraphiQL instead of a 404.
 */
export function useServiceRoutes({ graphqlEndpoint = '/graphql', brazeMode, upstreamStatus }: ServiceRoutesOptions): Plugin {
  return {
    onRequest({ url, request, endResponse, fetchAPI }) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      if (url.pathname === '/health') {
        const { circuit, rateLimit, rateLimitPaused } = upstreamStatus();
        const body = {
          status: 'ok',
          braze: brazeMode,
          upstream: {
            circuit: circuit.state,
            consecutiveFailures: circuit.consecutiveFailures,
            ...(circuit.retryAt ? { retryAt: circuit.retryAt.toISOString() } : {}),
            rateLimit: rateLimit
              ? { limit: rateLimit.limit, remaining: rateLimit.remaining, resetAt: rateLimit.resetAt.toISOString(), paused: rateLimitPaused }
              : null,
          },
        };
        endResponse(fetchAPI.Response.json(body, { headers: { 'cache-control': 'no-store' } }));
      } else if (url.pathname === '/') {
        endResponse(new fetchAPI.Response(null, { status: 302, headers: { location: graphqlEndpoint } }));
      }
    },
  };
}
