import { RateLimitReserveError } from '../errors.js';

/** What the gateway knows of the workspace's shared bucket. */
export interface RateLimitSnapshot {
  readonly limit: number;
  /** Braze's latest figure less the calls sent since and not yet answered: what is left right now. */
  readonly remaining: number;
  readonly resetAt: Date;
}

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/**
 * Follows Braze's x-ratelimit-* headers. The bucket (250,000/hour) is shared with every other
 * integration of the customer, so with `remaining` at or below `reserve` the gateway stops calling
 * until the window resets: the others keep their room.
 *
 * The estimate is Braze's own latest figure less the calls on the wire: a call counts only from the
 * moment it is written to a socket (`take`) until Braze answers it or it fails (`settle`). Calls
 * queued for a connection and abandoned never count, and every answer replaces the estimate with
 * Braze's figure, so it cannot drift below Braze's for longer than one answer.
 */
export class RateLimitTracker {
  #reported: { limit: number; remaining: number; resetAt: number } | undefined;
  #onTheWire = 0;

  constructor(
    readonly reserve: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws RateLimitReserveError when a call now would eat into the reserve; counts nothing. */
  admit(): void {
    const refusal = this.#refusal();
    if (refusal) throw refusal;
  }

  /**
   * A call is about to be written to a socket: counted as on the wire, or refused (returned, not
   * thrown: the caller aborts the send with it) when the calls sent meanwhile reached the reserve.
   */
  take(): RateLimitReserveError | undefined {
    const refusal = this.#refusal();
    if (!refusal) this.#onTheWire++;
    return refusal;
  }

  /** A call that was taken got its answer's headers (any status: pass them), or failed without them. */
  settle(headers: Headers | undefined): void {
    this.#onTheWire = Math.max(0, this.#onTheWire - 1);
    if (headers) this.#observe(headers);
  }

  /** The latest state, or undefined before Braze said anything. */
  snapshot(): RateLimitSnapshot | undefined {
    const reported = this.#reported;
    return reported && { limit: reported.limit, remaining: this.#estimate(reported), resetAt: new Date(reported.resetAt) };
  }

  /** True while calls are held back by the reserve. */
  paused(): boolean {
    return this.#refusal() !== undefined;
  }

  #refusal(): RateLimitReserveError | undefined {
    const reported = this.#reported;
    if (reported && this.#estimate(reported) <= this.reserve && this.now() < reported.resetAt) {
      return new RateLimitReserveError(new Date(reported.resetAt), this.reserve);
    }
    return undefined;
  }

  #estimate(reported: { remaining: number }): number {
    return Math.max(0, reported.remaining - this.#onTheWire);
  }

  /** Header names arrive lower-cased. */
  #observe(headers: Headers): void {
    const remaining = readNumber(headers['x-ratelimit-remaining']);
    const resetSeconds = readNumber(headers['x-ratelimit-reset']);
    if (remaining === undefined || resetSeconds === undefined) return;
    const limit = readNumber(headers['x-ratelimit-limit']) ?? this.#reported?.limit ?? remaining;
    const resetAt = resetSeconds * 1000;
    // A later window wins. Within one window the latest answer wins, even when higher: answers to
    // concurrent calls can arrive out of order (off by at most the calls in flight, corrected by the
    // next answer), while keeping the lowest would let one stray figure pause calls for the hour.
    if (this.#reported === undefined || resetAt >= this.#reported.resetAt) {
      this.#reported = { limit, remaining, resetAt };
    }
  }
}

function readNumber(raw: string | string[] | undefined): number | undefined {
  const text = Array.isArray(raw) ? raw[0] : raw;
  if (text === undefined || text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}
