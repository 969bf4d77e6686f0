import type { Plugin } from 'graphql-yoga';
import type { BucketStatus, UpstreamStatus } from '../braze/client.js';
import { isoTime } from '../observability/isoTime.js';
import type { RedisStatus } from '../redis/health.js';

export interface ServiceRoutesOptions {
  /** Where GraphQL is served; `/` redirects there. Default `/graphql`. */
  graphqlEndpoint?: string;
  /** Told in `/health`, so an operator can see at a glance whether numbers are real. */
  brazeMode: 'live' | 'simulated';
  /** The upstream's breaker and rate-limit state, shown in `/health` and deciding `/ready`. */
  upstreamStatus: () => UpstreamStatus;
  /** With Redis configured: whether each part using it (cache, single flight, shared state) can, shown in `/health` as `redis`. */
  redisStatus?: (() => RedisStatus) | undefined;
  /** Injected in tests; Date.now otherwise. */
  now?: () => number;
}

/**
 * The routes around GraphQL: `GET /health` answers liveness as JSON with the upstream's circuit and
 * rate-limit state (it stays 200 while the breaker is open: the process is alive); `GET /ready`
 * answers readiness: 503 while the breaker is open and its cooldown runs (every Braze field would
 * fail fast, so a load balancer had better send traffic elsewhere), 200 otherwise, half-open included
 * (the next call is the probe that can close it). A running gateway has loaded its configuration, so
 * that needs no check. `GET /healthz` is the bare liveness check (200, empty body), matched exactly.
 * `GET /` sends a browser to GraphiQL instead of a 404.
 */
export function useServiceRoutes({ graphqlEndpoint = '/graphql', brazeMode, upstreamStatus, redisStatus, now = Date.now }: ServiceRoutesOptions): Plugin {
  return {
    onRequest({ url, request, endResponse, fetchAPI }) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      if (url.pathname === '/health') {
        const { circuit, buckets, shared } = upstreamStatus();
        const view = ({ rateLimit, paused }: BucketStatus) => {
          const resetAt = isoTime(rateLimit?.resetAt);
          return rateLimit && resetAt ? { limit: rateLimit.limit, remaining: rateLimit.remaining, resetAt, paused } : null;
        };
        const retryAt = isoTime(circuit.retryAt);
        const body = {
          status: 'ok',
          braze: brazeMode,
          upstream: {
            circuit: circuit.state,
            consecutiveFailures: circuit.consecutiveFailures,
            ...(retryAt ? { retryAt } : {}),
            // The export bucket, as before buckets were told apart; every bucket under rateLimits.
            rateLimit: buckets['export'] ? view(buckets['export']) : null,
            rateLimits: Object.fromEntries(Object.entries(buckets).map(([name, bucket]) => [name, view(bucket)])),
            // Only with shared state configured: whether what is shown is the workspace's (redis) or this replica's (local).
            ...(shared ? { shared } : {}),
          },
          ...(redisStatus ? { redis: redisStatus() } : {}),
        };
        endResponse(fetchAPI.Response.json(body, { headers: { 'cache-control': 'no-store' } }));
      } else if (url.pathname === '/ready') {
        const { circuit } = upstreamStatus();
        const open = circuit.state === 'open' && circuit.retryAt !== undefined && circuit.retryAt.getTime() > now();
        const body = open
          ? { status: 'unavailable', reason: 'braze circuit open', retryAt: isoTime(circuit.retryAt) }
          : { status: 'ready' };
        const headers: Record<string, string> = { 'cache-control': 'no-store' };
        if (open && circuit.retryAt) headers['retry-after'] = String(Math.max(1, Math.ceil((circuit.retryAt.getTime() - now()) / 1000)));
        endResponse(fetchAPI.Response.json(body, { status: open ? 503 : 200, headers }));
      } else if (url.pathname === '/healthz') {
        endResponse(new fetchAPI.Response(null, { status: 200, headers: { 'cache-control': 'no-store' } }));
      } else if (url.pathname === '/') {
        endResponse(new fetchAPI.Response(null, { status: 302, headers: { location: graphqlEndpoint } }));
      }
    },
  };
}
