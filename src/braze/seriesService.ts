import type { CachePolicy } from '../config/index.js';
import type { Logger } from '../logger.js';
import type { CachedSeries, SeriesCache } from '../cache/seriesCache.js';
import type { BrazeClient } from './client.js';
import { eventSeriesCallKey, type EventSeriesCall } from './eventSeries.js';
import { InflightCalls } from './inflight.js';

/** Where an answer came from: Braze for this request, a call another request had in flight, or the cache. */
export type SeriesSource = 'braze' | 'shared' | 'cache';

export interface LoadedSeries extends CachedSeries {
  readonly source: SeriesSource;
}

export interface SeriesRequestOptions {
  readonly signal?: AbortSignal | undefined;
  /** The client asked for fresh data (Cache-Control: no-cache): skip the cache read, still refresh it. */
  readonly bypassCache?: boolean;
}

const UNIT_MS = { day: 86_400_000, hour: 3_600_000 } as const;

/**
 * How long an answer may be served again. A window that reaches into the last unit before now (or the
 * future) is still being counted: short TTL. One wholly in the past is settled, but Braze data can
 * arrive late, so it is kept longer, not forever.
 */
export function cacheTtlMs(call: EventSeriesCall, now: number, policy: Pick<CachePolicy, 'liveTtlMs' | 'pastTtlMs'>): number {
  const live = call.endingAt.getTime() >= now - UNIT_MS[call.unit];
  return live ? policy.liveTtlMs : policy.pastTtlMs;
}

/**
 * The process-wide way to get one series: the cross-request cache, then a call already in flight for
 * another request, then Braze itself. Per-request deduplication and window coalescing sit above this,
 * in the request's loader.
 */
export class EventSeriesService {
  readonly #inflight = new InflightCalls<CachedSeries>();

  constructor(
    private readonly client: BrazeClient,
    private readonly cache: SeriesCache | undefined,
    private readonly policy: CachePolicy,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async get(call: EventSeriesCall, { signal, bypassCache = false }: SeriesRequestOptions = {}): Promise<LoadedSeries> {
    const key = eventSeriesCallKey(call);
    if (this.cache && !bypassCache) {
      const cached = await this.cache.get(key);
      if (cached) return { ...cached, source: 'cache' };
    }
    const { promise, joined } = this.#inflight.run(key, signal, async (shared) => {
      const points = await this.client.eventSeries(call, shared);
      const fetched: CachedSeries = { points, fetchedAt: new Date(this.now()) };
      if (this.cache) {
        const ttl = cacheTtlMs(call, this.now(), this.policy);
        // Not awaited: the answer does not wait for the cache write.
        void this.cache.set(key, fetched, ttl).catch((error: unknown) => this.logger.warn('cache write failed', { reason: String(error) }));
      }
      return fetched;
    });
    return { ...(await promise), source: joined ? 'shared' : 'braze' };
  }

  /** Waits (bounded) for the cache to connect, so the first requests after start can use it. */
  async ready(timeoutMs: number): Promise<boolean> {
    return this.cache ? this.cache.ready(timeoutMs) : true;
  }

  close(): Promise<void> {
    return this.cache?.close() ?? Promise.resolve();
  }
}
