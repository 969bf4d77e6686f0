import type { Plugin } from 'graphql-yoga';
import type { LoadStats } from '../data/loader.js';
import { onCompleteResult } from './completeResult.js';

export interface BrazeCacheExtensionOptions {
  /** The `extensions` key. Default `brazeCache`. */
  key?: string;
  now?: () => number;
}

/**
 * Tells clients how old the numbers in a response are: `extensions.brazeCache { hits, shared, misses,
 * attempts, coalesced, maxAgeSeconds }` (attempts: the HTTP attempts of the misses, retries included;
 * maxAgeSeconds: the oldest answer served, 0 when all came from Braze just now). Added only to responses that loaded at least one series; with @defer or @stream, to the last
 * payload (`hasNext: false`), counting the whole request.
 */
export function useBrazeCacheExtension({ key = 'brazeCache', now = Date.now }: BrazeCacheExtensionOptions = {}): Plugin<{
  loadStats?: LoadStats;
}> {
  return {
    onExecute({ args }) {
      return {
        // With @defer or @stream, on the last payload: only then have all the request's loads been made.
        onExecuteDone: (payload) =>
          onCompleteResult(payload, (result, setResult) => {
            const stats = args.contextValue.loadStats;
            if (!stats || stats.oldestFetchedAt === undefined) return;
            const { braze, shared, cache } = stats.sources;
            setResult({
              ...result,
              extensions: {
                ...result.extensions,
                [key]: {
                  hits: cache,
                  shared,
                  misses: braze,
                  attempts: stats.brazeAttempts,
                  coalesced: stats.coalesced,
                  maxAgeSeconds: Math.max(0, Math.floor((now() - stats.oldestFetchedAt) / 1000)),
                },
              },
            });
          }),
      };
    },
  };
}
