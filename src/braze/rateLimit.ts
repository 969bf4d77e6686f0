import { RateLimitReserveError } from '../errors.js';

/** What Braze last said about the workspace's shared bucket. */
export interface RateLimitSnapshot {
  readonly limit: number;
  readonly remaining: number;
  readonly resetAt: Date;
}

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/**
 * Follows Braze's x-ratelimit-* headers. The bucket (250,000/hour) is shared with every other
 * integration of the customer, so with `remaining` at or below `reserve` the gateway stops calling
 * until the window resets: the others keep their room.
 */
export class RateLimitTracker {
  #snapshot: { limit: number; remaining: number; resetAt: number } | undefined;

  constructor(
    readonly reserve: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Reads the headers of any Braze answer, whatever its status. Header names arrive lower-cased. */
  observe(headers: Headers): void {
    const remaining = readNumber(headers['x-ratelimit-remaining']);
    const resetSeconds = readNumber(headers['x-ratelimit-reset']);
    if (remaining === undefined || resetSeconds === undefined) return;
    const limit = readNumber(headers['x-ratelimit-limit']) ?? this.#snapshot?.limit ?? remaining;
    const resetAt = resetSeconds * 1000;
    const current = this.#snapshot;
    // Answers to concurrent calls arrive in any order: a later window wins; within one window the
    // lowest `remaining` is the most recent truth.
    if (current === undefined || resetAt > current.resetAt) {
      this.#snapshot = { limit, remaining, resetAt };
    } else if (resetAt === current.resetAt) {
      this.#snapshot = { limit, remaining: Math.min(remaining, current.remaining), resetAt };
    }
  }

  /** Counts a call as it leaves, so concurrent calls cannot all slip past the reserve. */
  spend(): void {
    if (this.#snapshot && this.now() < this.#snapshot.resetAt) {
      this.#snapshot.remaining = Math.max(0, this.#snapshot.remaining - 1);
    }
  }

  /** Throws RateLimitReserveError when calling now would eat into the reserve. */
  admit(): void {
    const snapshot = this.#snapshot;
    if (snapshot && snapshot.remaining <= this.reserve && this.now() < snapshot.resetAt) {
      throw new RateLimitReserveError(new Date(snapshot.resetAt), this.reserve);
    }
  }

  /** The latest state, or undefined before Braze said anything. */
  snapshot(): RateLimitSnapshot | undefined {
    const snapshot = this.#snapshot;
    return snapshot && { limit: snapshot.limit, remaining: snapshot.remaining, resetAt: new Date(snapshot.resetAt) };
  }

  /** True while calls are held back by the reserve. */
  paused(): boolean {
    const snapshot = this.#snapshot;
    return snapshot !== undefined && snapshot.remaining <= this.reserve && this.now() < snapshot.resetAt;
  }
}

function readNumber(raw: string | string[] | undefined): number | undefined {
  const text = Array.isArray(raw) ? raw[0] : raw;
  if (text === undefined || text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}
