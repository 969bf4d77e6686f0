import { LRUCache } from 'lru-cache';
import type { AnswerCache, Cached } from '../data/cache.js';
import { plainDataBytes, stringBytes } from './heapBytes.js';

export interface MemoryCacheOptions {
  maxEntries: number;
  maxBytes: number;
}

export interface MemoryCache extends AnswerCache {
  /** Estimated heap bytes held now. */
  readonly bytes: number;
}

/** Per answer beside its key and value: the store's entry (its map's slots). */
const ENTRY_BYTES = 128;

/**
 * Answers kept in this process as they are (no encoding on the hot path), bounded by entries and by
 * the heap each holds, counted node by node when it is stored (src/cache/heapBytes.ts: each point of a
 * series is an object, a Date and a number, about 200 bytes; the endpoints' own estimates said 120);
 * the least recently used go first. Each entry carries its own TTL.
 */
export function createMemoryCache({ maxEntries, maxBytes }: MemoryCacheOptions): MemoryCache {
  const lru = new LRUCache<string, Cached<unknown>>({ max: maxEntries, maxSize: maxBytes });
  return {
    kind: 'memory',
    ready: () => Promise.resolve(true),
    // Keys name their endpoint and call (src/data/service.ts), so what is stored under one is that endpoint's answer.
    get: <Answer>(key: string) => Promise.resolve(lru.get(key) as Cached<Answer> | undefined),
    set: (key, { answer, fetchedAt }, ttlMs) => {
      // The answer as it is, without Braze's body (what only a store of text needs).
      const kept: Cached<unknown> = { answer, fetchedAt };
      if (ttlMs > 0) lru.set(key, kept, { ttl: ttlMs, size: ENTRY_BYTES + stringBytes(key) + plainDataBytes(kept) });
      return Promise.resolve();
    },
    close: () => {
      lru.clear();
      return Promise.resolve();
    },
    get bytes() {
      return lru.calculatedSize;
    },
  };
}
