const HOUR_MS = 3_600_000;

/**
 * Braze's x-ratelimit-* headers as it sends them on every answer: one hourly bucket that every call
 * counts against, failed ones too, reset at the top of the next hour (`x-ratelimit-reset` in epoch
 * seconds). The fake Braze asks it once per call.
 */
export class FakeRateLimit {
  readonly #limit: number;
  readonly #now: () => number;
  #windowStart = Number.NaN;
  #used = 0;

  constructor(limit: number, now: () => number = Date.now) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`a rate limit must be a positive integer (got ${limit})`);
    this.#limit = limit;
    this.#now = now;
  }

  /** Counts one call and returns the headers its answer carries. */
  take(): Record<string, string> {
    const hourStart = Math.floor(this.#now() / HOUR_MS) * HOUR_MS;
    if (hourStart !== this.#windowStart) {
      this.#windowStart = hourStart;
      this.#used = 0;
    }
    this.#used++;
    return {
      'x-ratelimit-limit': String(this.#limit),
      'x-ratelimit-remaining': String(Math.max(0, this.#limit - this.#used)),
      'x-ratelimit-reset': String((hourStart + HOUR_MS) / 1000),
    };
  }
}
