import type { ExecutionResult } from 'graphql';
import { isAsyncIterable, mapAsyncIterator, type Plugin } from 'graphql-yoga';
import type { LoadStats } from '../data/loader.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { onCompleteResult, type IncrementalPayload } from './completeResult.js';

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
        // What the request's loader avoided, once all its loads have happened (with @defer or
        // @stream, at the last payload).
        onExecuteDone: (payload) =>
          onCompleteResult(payload, () => {
            const stats = (args.contextValue as { loadStats?: LoadStats }).loadStats;
            if (!stats) return;
            if (stats.loads > stats.distinct) metrics.saved('deduplication', stats.loads - stats.distinct);
            if (stats.coalesced > 0) metrics.saved('coalescing', stats.coalesced);
            if (stats.sources.cache > 0) metrics.saved('cache', stats.sources.cache);
            if (stats.sources.shared > 0) metrics.saved('sharing', stats.sources.shared);
          }),
      };
    },
    onResultProcess({ result, setResult }) {
      // An incremental response (@defer, @stream): each payload's errors, its deferred parts' included,
      // counted as it is sent (masked by then, like a single result's). Batches are off.
      if (isAsyncIterable(result)) {
        setResult(
          mapAsyncIterator(result, (payload) => {
            const { errors = [], incremental = [] } = payload as IncrementalPayload;
            countErrors(metrics, [...errors, ...incremental.flatMap((part) => part.errors ?? [])]);
            return payload;
          }),
        );
        return;
      }
      const results = (Array.isArray(result) ? result : [result]) as unknown[];
      for (const one of results) countErrors(metrics, (one as ExecutionResult).errors ?? []);
    },
  };
}

function countErrors(metrics: GatewayMetrics, errors: readonly { extensions?: Record<string, unknown> | undefined }[]): void {
  for (const error of errors) {
    const code = error.extensions?.['code'];
    metrics.error(typeof code === 'string' ? code : undefined);
  }
}
