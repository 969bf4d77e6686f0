/** A rate-limit bucket as the simulated Braze meters it: its name, its limit, how often it resets. */
export interface MeteredBucket {
  readonly name: string;
  readonly limit: number;
  readonly windowMs: number;
}

/**
 * Braze's x-ratelimit-* headers as it sends them on every answer: each bucket counts every call that
 * spends it (failed ones too) and resets at the start of its next window (the next hour, the next
 * minute), `x-ratelimit-reset` in epoch seconds. One counter per bucket, as Braze keeps them.
 */
export class BucketMeter {
  readonly #buckets: ReadonlyMap<string, { readonly limit: number; readonly windowMs: number; windowStart: number; used: number }>;
  readonly #now: () => number;

  constructor(buckets: readonly MeteredBucket[], now: () => number = Date.now) {
    for (const { name, limit, windowMs } of buckets) {
      if (!Number.isInteger(limit) || limit < 1) throw new Error(`bucket ${name}: a rate limit must be a positive integer (got ${limit})`);
      if (!Number.isInteger(windowMs) || windowMs < 1000 || windowMs % 1000 !== 0) throw new Error(`bucket ${name}: a window is whole seconds (got ${windowMs} ms)`);
    }
    this.#buckets = new Map(buckets.map(({ name, limit, windowMs }) => [name, { limit, windowMs, windowStart: Number.NaN, used: 0 }]));
    this.#now = now;
  }

  /** Counts one call against `name` and returns the headers its answer carries; none for a bucket not metered. */
  take(name: string): Record<string, string> {
    const bucket = this.#buckets.get(name);
    if (!bucket) return {};
    const windowStart = Math.floor(this.#now() / bucket.windowMs) * bucket.windowMs;
    if (windowStart !== bucket.windowStart) {
      bucket.windowStart = windowStart;
      bucket.used = 0;
    }
    bucket.used++;
    return {
      'x-ratelimit-limit': String(bucket.limit),
      'x-ratelimit-remaining': String(Math.max(0, bucket.limit - bucket.used)),
      'x-ratelimit-reset': String((windowStart + bucket.windowMs) / 1000),
    };
  }
}
