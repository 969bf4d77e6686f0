import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { LoadStats } from '../data/loader.js';
import type { GatewayMetrics } from '../metrics.js';

export interface MetricsOptions {
  metrics: GatewayMetrics;
  /** Where Prometheus scrapes. Default `/metrics`. */
  endpoint?: string;
}

/**
 * Serves `GET /metrics` in Prometheus's text format, without GraphQL auth (scrapers are kept out by
 * the network, or METRICS_ENABLED=false), and counts GraphQL requests and the codes of the errors
 * in their responses, refusals before execution (401, 403, 413, limits) included. Default: installed;
 * METRICS_ENABLED=false leaves it out.
 */
export function useMetrics({ metrics, endpoint = '/metrics' }: MetricsOptions): Plugin {
  return {
    onRequest({ url, request, endResponse, fetchAPI }) {
      if (url.pathname !== endpoint || (request.method !== 'GET' && request.method !== 'HEAD')) return;
      return metrics.registry.metrics().then((text) =>
        endResponse(new fetchAPI.Response(text, { headers: { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' } })),
      );
    },
    onRequestParse() {
      metrics.request();
    },
    onExecute({ args }) {
      return {
        onExecuteDone() {
          // What the request's loader avoided, counted as its loads happened.
          const stats = (args.contextValue as { loadStats?: LoadStats }).loadStats;
          if (!stats) return;
          if (stats.loads > stats.distinct) metrics.saved('deduplication', stats.loads - stats.distinct);
          if (stats.coalesced > 0) metrics.saved('coalescing', stats.coalesced);
          if (stats.sources.cache > 0) metrics.saved('cache', stats.sources.cache);
          if (stats.sources.shared > 0) metrics.saved('sharing', stats.sources.shared);
        },
      };
    },
    onResultProcess({ result }) {
      // Streams (defer, subscriptions) are not served by this schema; batches are off.
      const results = (Array.isArray(result) ? result : [result]) as unknown[];
      for (const one of results) {
        for (const error of (one as ExecutionResult).errors ?? []) {
          const code = error.extensions?.['code'];
          metrics.error(typeof code === 'string' ? code : undefined);
        }
      }
    },
  };
}
