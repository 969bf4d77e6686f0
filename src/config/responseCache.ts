import type { CachePolicy } from './cache.js';
import { boolean, defaultsOf, integer, type VariableReader, type VariableTable } from './read.js';

/** Whole responses to repeated queries, kept in memory (src/plugins/useWholeResponseCache.ts). */
export interface ResponseCachePolicy {
  /**
   * RESPONSE_CACHE_ENABLED, default true; it follows the answer cache: with CACHE_ENABLED=false it is
   * off, since an operator who turned caching off wants every request answered afresh.
   */
  readonly enabled: boolean;
  /** Responses kept per process, least recently used dropped first. */
  readonly maxEntries: number;
  /** Heap bytes those responses may hold, counted node by node (src/cache/heapBytes.ts): one can hold 49,000 objects. */
  readonly maxBytes: number;
}

export const RESPONSE_CACHE_VARIABLES: VariableTable<ResponseCachePolicy> = {
  enabled: boolean('RESPONSE_CACHE_ENABLED', true),
  maxEntries: integer('RESPONSE_CACHE_MAX_ENTRIES', { min: 1, max: 1_000_000, default: 1_000 }),
  maxBytes: integer('RESPONSE_CACHE_MAX_BYTES', { min: 64 * 1024, max: 16 * 1024 ** 3, default: 32 * 1024 * 1024 }),
};

export const DEFAULT_RESPONSE_CACHE_POLICY: ResponseCachePolicy = Object.freeze(defaultsOf(RESPONSE_CACHE_VARIABLES));

export function readResponseCache(vars: VariableReader, cache: CachePolicy): ResponseCachePolicy {
  const policy = vars.readAll(RESPONSE_CACHE_VARIABLES);
  if (!cache.enabled && vars.isSet(RESPONSE_CACHE_VARIABLES.enabled) && policy.enabled) {
    vars.report('RESPONSE_CACHE_ENABLED=true needs CACHE_ENABLED=true (a response is kept only as long as the answers it was built from)');
  }
  return Object.freeze({ ...policy, enabled: policy.enabled && cache.enabled });
}
