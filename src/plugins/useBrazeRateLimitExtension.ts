import type { Plugin } from 'graphql-yoga';
import type { RateLimitSnapshot } from '../braze/rateLimit.js';

export interface BrazeRateLimitExtensionOptions {
  /** Reads the latest state of Braze's shared bucket. */
  snapshot: () => RateLimitSnapshot | undefined;
  /** The `extensions` key. Default `brazeRateLimit`. */
  key?: string;
}

/**
 * Adds `extensions.brazeRateLimit { limit, remaining, resetAt }` to every GraphQL response once Braze
 * has reported it, read after execution so it includes this request's own calls. Clients can slow down
 * before the bucket runs dry instead of after.
 */
export function useBrazeRateLimitExtension({ snapshot, key = 'brazeRateLimit' }: BrazeRateLimitExtensionOptions): Plugin {
  return {
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          const current = snapshot();
          if (!current || !('data' in result || 'errors' in result)) return;
          setResult({
            ...result,
            extensions: {
              ...result.extensions,
              [key]: { limit: current.limit, remaining: current.remaining, resetAt: current.resetAt.toISOString() },
            },
          });
        },
      };
    },
  };
}
