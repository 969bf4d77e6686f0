const HOUR_MS = 3_600_000;

/**
 * Braze's x-ratelimit-* headers as it sends them on every answer: one bucket (hourly unless told) that
 * every call counts against, failed ones too, reset at the start of the next window (`x-ratelimit-reset` in epoch
 * seconds). The fake Braze asks it once per call.
 */
export class FakeRateLimit {
  readonly #limit: number;
  readonly #now: () => number;
  #windowStart = Number.NaN;
  #used = 0;

  readonly #windowMs: number;

  constructor(limit: number, now: () => number = Date.now, windowMs: number = HOUR_MS) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`a rate limit must be a positive integer (got ${limit})`);
    this.#limit = limit;
    this.#now = now;
    this.#windowMs = windowMs;
  }

  /** Counts one call and returns the headers its answer carries. */
  take(): Record<string, string> {
    const windowStart = Math.floor(this.#now() / this.#windowMs) * this.#windowMs;
    if (windowStart !== this.#windowStart) {
      this.#windowStart = windowStart;
      this.#used = 0;
    }
    this.#used++;
    return {
      'x-ratelimit-limit': String(this.#limit),
      'x-ratelimit-remaining': String(Math.max(0, this.#limit - this.#used)),
      'x-ratelimit-reset': String((windowStart + this.#windowMs) / 1000),
    };
  }
}
