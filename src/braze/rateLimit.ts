import { RateLimitReserveError } from '../errors.js';

/** What the gateway knows of the workspace's shared bucket. */
export interface RateLimitSnapshot {
  readonly limit: number;
  /** Braze's latest figure less the calls sent after the call it came with: what is left right now. */
  readonly remaining: number;
  readonly resetAt: Date;
}

export type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** A call counted against the bucket, numbered in the order calls were sent. */
export type Ticket = number;

/**
 * Follows Braze's x-ratelimit-* headers. The bucket (250,000/hour) is shared with every other
 * integration of the customer, so with `remaining` at or below `reserve` the gateway stops calling
 * until the window resets: the others keep their room.
 *
 * A call counts from the moment it is written to a socket (`take`, which numbers it), never while it
 * waits for a connection, so calls abandoned in the queue cost nothing. The estimate is Braze's figure
 * from the answer to the latest-sent call that brought one, less the calls sent after that call and
 * not reported on since: those on the wire, and those that failed without an answer (Braze may have
 * counted them). Every answer to a later call replaces the figure, higher or lower. When only such
 * failed calls hold the estimate at the reserve, one call at a time still goes, so Braze's next figure
 * corrects it instead of a pause that lasts until the reset.
 */
export class RateLimitTracker {
  #figure: { limit: number; remaining: number; resetAt: number; ticket: Ticket } | undefined;
  #nextTicket: Ticket = 0;
  /** Sent, not yet answered. */
  readonly #onTheWire = new Set<Ticket>();
  /** Sent, failed without a figure, and sent after the call of the current figure. */
  readonly #unreported = new Set<Ticket>();

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
   * A call is about to be written to a socket: its ticket, or a refusal (returned, not thrown: the
   * caller aborts the send with it) when the calls sent meanwhile reached the reserve.
   */
  take(): Ticket | RateLimitReserveError {
    const refusal = this.#refusal();
    if (refusal) return refusal;
    const ticket = this.#nextTicket++;
    this.#onTheWire.add(ticket);
    return ticket;
  }

  /** The call of `ticket` got its answer's headers (any status: pass them), or failed without (undefined). */
  settle(ticket: Ticket, headers: Headers | undefined): void {
    this.#onTheWire.delete(ticket);
    if (headers !== undefined && this.#observe(ticket, headers)) return;
    // No figure: Braze may have counted the call. It counts until a later call's figure says.
    if (this.#figure === undefined || ticket > this.#figure.ticket) this.#unreported.add(ticket);
  }

  /** The latest state, or undefined before Braze said anything. */
  snapshot(): RateLimitSnapshot | undefined {
    const figure = this.#figure;
    return figure && { limit: figure.limit, remaining: this.#estimate(figure), resetAt: new Date(figure.resetAt) };
  }

  /** True while calls are held back by the reserve. */
  paused(): boolean {
    return this.#refusal() !== undefined;
  }

  #refusal(): RateLimitReserveError | undefined {
    const figure = this.#figure;
    if (figure === undefined || this.now() >= figure.resetAt) return undefined;
    const onTheWire = this.#onTheWireAfter(figure);
    if (figure.remaining - onTheWire - this.#unreported.size > this.reserve) return undefined;
    // Held back only by calls that failed without an answer, which Braze may never have counted: one
    // call at a time may still go, and its answer brings a fresh figure. Without it nothing would ever
    // correct the estimate and calls would stay paused until the reset.
    if (this.#unreported.size > 0 && onTheWire === 0 && figure.remaining > this.reserve) return undefined;
    return new RateLimitReserveError(new Date(figure.resetAt), this.reserve);
  }

  #estimate(figure: { remaining: number; ticket: Ticket }): number {
    return Math.max(0, figure.remaining - this.#onTheWireAfter(figure) - this.#unreported.size);
  }

  #onTheWireAfter(figure: { ticket: Ticket }): number {
    let count = 0;
    for (const ticket of this.#onTheWire) if (ticket > figure.ticket) count++;
    return count;
  }

  /** Takes the figure of these headers (names arrive lower-cased) when it is newer; false when they hold none. */
  #observe(ticket: Ticket, headers: Headers): boolean {
    const read = readFigure(headers);
    if (read === undefined) return false;
    const { remaining, resetAt } = read;
    const limit = read.limit ?? this.#figure?.limit ?? remaining;
    const current = this.#figure;
    // A later window wins; within a window, the figure of the later-sent call (answers to concurrent
    // calls arrive in any order). An older figure is already counted in the newer one.
    if (current === undefined || resetAt > current.resetAt || (resetAt === current.resetAt && ticket > current.ticket)) {
      this.#figure = { limit, remaining, resetAt, ticket };
      for (const lost of this.#unreported) if (lost <= ticket) this.#unreported.delete(lost);
    }
    return true;
  }
}

/** Braze's figure in an answer's headers (names arrive lower-cased), or undefined when they hold none. */
export function readFigure(headers: Headers): { limit: number | undefined; remaining: number; resetAt: number } | undefined {
  const remaining = readNumber(headers['x-ratelimit-remaining']);
  const resetSeconds = readNumber(headers['x-ratelimit-reset']);
  if (remaining === undefined || resetSeconds === undefined) return undefined;
  return { limit: readNumber(headers['x-ratelimit-limit']), remaining, resetAt: resetSeconds * 1000 };
}

function readNumber(raw: string | string[] | undefined): number | undefined {
  const text = Array.isArray(raw) ? raw[0] : raw;
  if (text === undefined || text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}
