import { LRUCache } from 'lru-cache';
import type { AnswerCache, Cached } from '../data/cache.js';

export interface MemoryCacheOptions {
  maxEntries: number;
  maxBytes: number;
}

/**
 * Answers kept in this process as they are (no encoding on the hot path), bounded by entries and by
 * each answer's estimated bytes; the least recently used go first. Each entry carries its own TTL.
 */
export function createMemoryCache({ maxEntries, maxBytes }: MemoryCacheOptions): AnswerCache {
  const lru = new LRUCache<string, Cached<unknown>>({ max: maxEntries, maxSize: maxBytes });
  return {
    kind: 'memory',
    ready: () => Promise.resolve(true),
    // Keys name their endpoint and call (src/data/service.ts), so what is stored under one is that endpoint's answer.
    get: <Answer>(key: string) => Promise.resolve(lru.get(key) as Cached<Answer> | undefined),
    set: (key, value, ttlMs, codec) => {
      if (ttlMs > 0) lru.set(key, value, { ttl: ttlMs, size: 100 + key.length * 2 + codec.estimateBytes(value.answer) });
      return Promise.resolve();
    },
    close: () => {
      lru.clear();
      return Promise.resolve();
    },
  };
}
