import type { EventSeriesPoint } from '../braze/eventSeries.js';

/** A Braze answer as kept between requests: its points and when Braze gave them. */
export interface CachedSeries {
  readonly points: readonly EventSeriesPoint[];
  readonly fetchedAt: Date;
}

/**
 * Where answers are kept between requests: process memory, or Redis so that replicas share them.
 * Implementations never throw: a cache that fails is a cache that misses.
 */
export interface SeriesCache {
  readonly kind: 'memory' | 'redis';
  /** Resolves once the cache can answer, or after `timeoutMs` (then it simply misses until it can). */
  ready(timeoutMs: number): Promise<boolean>;
  get(key: string): Promise<CachedSeries | undefined>;
  set(key: string, value: CachedSeries, ttlMs: number): Promise<void>;
  close(): Promise<void>;
}

/** Compact wire form: epoch milliseconds and counts in parallel arrays. */
interface Encoded {
  f: number;
  t: number[];
  c: number[];
}

export function encodeSeries({ points, fetchedAt }: CachedSeries): string {
  const encoded: Encoded = { f: fetchedAt.getTime(), t: points.map((p) => p.time.getTime()), c: points.map((p) => p.count) };
  return JSON.stringify(encoded);
}

/** Undefined for anything that is not what encodeSeries wrote (another version, a corrupted value). */
export function decodeSeries(text: string): CachedSeries | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const { f, t, c } = (value ?? {}) as Partial<Encoded>;
  if (typeof f !== 'number' || !Array.isArray(t) || !Array.isArray(c) || t.length !== c.length) return undefined;
  const points: EventSeriesPoint[] = [];
  for (let i = 0; i < t.length; i++) {
    const time = t[i];
    const count = c[i];
    if (typeof time !== 'number' || typeof count !== 'number') return undefined;
    points.push({ time: new Date(time), count });
  }
  return { points, fetchedAt: new Date(f) };
}
