import type { Cache } from '@graphql-yoga/plugin-response-cache';
import type { ExecutionResult } from 'graphql';
import { LRUCache } from 'lru-cache';

export interface ResponseStoreOptions {
  /** Responses kept at most (RESPONSE_CACHE_MAX_ENTRIES). */
  readonly maxEntries: number;
  /** Estimated heap bytes the kept responses may hold (RESPONSE_CACHE_MAX_BYTES); a larger response is not kept. */
  readonly maxBytes: number;
  /** The JSON a response's `data` is sent as, written once and kept for its hits. */
  readonly dataJson: (data: object) => string;
}

/** Per response beside its JSON: the entry, the result object and its extensions. */
const ENTRY_OVERHEAD_BYTES = 512;

/**
 * Where the whole-response cache keeps responses: least recently used first out, bounded in entries
 * and in bytes. The plugin's own store counts entries only, and one response may hold a 1,000-point
 * series: a caller sending many distinct variables could otherwise fill the heap. A response's size is
 * its data's JSON, counted twice (JavaScript strings are UTF-16 and the parsed objects are kept too),
 * plus a fixed overhead. Nothing here is invalidated by entity: the gateway has no mutations.
 */
export function createResponseStore({ maxEntries, maxBytes, dataJson }: ResponseStoreOptions): Cache {
  const entries = new LRUCache<string, ExecutionResult>({
    max: maxEntries,
    maxSize: maxBytes,
    sizeCalculation: (result) => ENTRY_OVERHEAD_BYTES + 2 * (result.data ? dataJson(result.data) : '').length,
  });
  return {
    set(id, result, _entities, ttl) {
      // A response that must not be kept, or kept forever (never asked for), is not kept. lru-cache
      // itself leaves out (without throwing) an entry larger than maxBytes.
      if (ttl > 0 && Number.isFinite(ttl)) entries.set(id, result, { ttl: Math.ceil(ttl) });
    },
    get: (id) => entries.get(id),
    invalidate() {
      // No mutation in this schema: nothing to invalidate.
    },
  };
}
