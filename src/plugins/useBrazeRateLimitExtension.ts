import type { Plugin } from 'graphql-yoga';
import type { BucketName } from '../endpoints/buckets.js';
import type { BucketStatus } from '../braze/client.js';
import type { RateLimitSnapshot } from '../braze/rateLimit.js';
import { isoTime } from '../observability/isoTime.js';
import { onCompleteResult } from './completeResult.js';

export interface BrazeRateLimitExtensionOptions {
  /** Reads the latest state of each of Braze's rate-limit buckets. */
  buckets: () => Readonly<Record<BucketName, BucketStatus>>;
  /** The `extensions` key. Default `brazeRateLimit`. */
  key?: string;
}

/**
 * Adds `extensions.brazeRateLimit` to every GraphQL response once Braze has reported a bucket, read
 * after execution so it includes this request's own calls: the export bucket's `{ limit, remaining,
 * resetAt }` at the top (as before buckets were told apart) and every reported bucket under `buckets`.
 * Clients can slow down before a bucket runs dry instead of after. With @defer or @stream, it is on the
 * last payload (`hasNext: false`).
 */
export function useBrazeRateLimitExtension({ buckets, key = 'brazeRateLimit' }: BrazeRateLimitExtensionOptions): Plugin {
  return {
    onExecute() {
      return {
        // With @defer or @stream, on the last payload: after all the request's own calls.
        onExecuteDone: (payload) =>
          onCompleteResult(payload, (result, setResult) => {
            const value = rateLimitExtension(buckets());
            if (value === undefined) return;
            setResult({ ...result, extensions: { ...result.extensions, [key]: value } });
          }),
      };
    },
  };
}

/**
 * The extension's value from the buckets' latest state (read it once: each read builds every bucket's
 * snapshot); undefined before Braze has reported any bucket. Also used for a response served whole from
 * the response cache, so its rate limits are as current as a fresh response's.
 */
export function rateLimitExtension(current: Readonly<Record<BucketName, BucketStatus>>): Record<string, unknown> | undefined {
  const reported = Object.entries(current).flatMap(([name, { rateLimit }]) => {
    const shown = view(rateLimit);
    return shown ? [[name, shown] as const] : [];
  });
  if (reported.length === 0) return undefined;
  return { ...view(current.export.rateLimit), buckets: Object.fromEntries(reported) };
}

/** A bucket as shown; undefined for none, or for one whose reset is no instant (shown as not reported, never thrown). */
function view(snapshot: RateLimitSnapshot | undefined): { limit: number; remaining: number; resetAt: string } | undefined {
  const resetAt = isoTime(snapshot?.resetAt);
  return snapshot && resetAt ? { limit: snapshot.limit, remaining: snapshot.remaining, resetAt } : undefined;
}
