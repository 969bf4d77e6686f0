import { LRUCache } from 'lru-cache';
import type { CachedSeries, SeriesCache } from './seriesCache.js';

export interface MemoryCacheOptions {
  maxEntries: number;
  maxBytes: number;
}

/** Bytes an entry holds, roughly: V8 objects for each point and date, plus the key. */
function estimateBytes(value: CachedSeries, key: string): number {
  return 200 + key.length * 2 + value.points.length * 120;
}

/**
 * Answers kept in this process, bounded by entries and by an estimate of bytes; the least recently
 * used go first. Each entry carries its own TTL.
 */
export function createMemoryCache({ maxEntries, maxBytes }: MemoryCacheOptions): SeriesCache {
  const lru = new LRUCache<string, CachedSeries>({
    max: maxEntries,
    maxSize: maxBytes,
    sizeCalculation: estimateBytes,
  });
  return {
    kind: 'memory',
    ready: () => Promise.resolve(true),
    get: (key) => Promise.resolve(lru.get(key)),
    set: (key, value, ttlMs) => {
      if (ttlMs > 0) lru.set(key, value, { ttl: ttlMs });
      return Promise.resolve();
    },
    close: () => {
      lru.clear();
      return Promise.resolve();
    },
  };
}
