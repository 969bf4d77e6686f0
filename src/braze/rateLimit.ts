import { RateLimitReserveError } from '../errors/gatewayErrors.js';
import { readRateLimitHeaders, type BrazeFigure, type Headers } from './rateLimitHeaders.js';

export type { BrazeFigure, Headers } from './rateLimitHeaders.js';

/** What the gateway knows of the workspace's shared bucket. */
export interface RateLimitSnapshot {
  readonly limit: number;
  /** Braze's latest figure less the calls sent after the call it came with: what is left right now. */
  readonly remaining: number;
  readonly resetAt: Date;
}

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
 *
 * Headers are read at the edge (rateLimitHeaders.ts): a figure that cannot be Braze's (a reset a year
 * ahead, a count of 1e300) is ignored as if the answer had none, and told to `onImplausible`.
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
    /** Told why an answer's rate-limit headers were ignored (the client logs it, rate-limited). */
    private readonly onImplausible: (problem: string) => void = () => undefined,
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

  /**
   * The call of `ticket` got its answer's headers (any status: pass them), or failed without
   * (undefined). Returns the figure those headers held, when they held one that can be real.
   */
  settle(ticket: Ticket, headers: Headers | undefined): BrazeFigure | undefined {
    this.#onTheWire.delete(ticket);
    const figure = headers === undefined ? undefined : this.#read(headers);
    if (figure !== undefined) this.#observe(ticket, figure);
    // No figure: Braze may have counted the call. It counts until a later call's figure says.
    else if (this.#figure === undefined || ticket > this.#figure.ticket) this.#unreported.add(ticket);
    this.#forgetWhatNoFigureCanCount();
    return figure;
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

  #read(headers: Headers): BrazeFigure | undefined {
    const reading = readRateLimitHeaders(headers, this.now());
    if (reading.kind === 'implausible') this.onImplausible(reading.problem);
    return reading.kind === 'figure' ? reading.figure : undefined;
  }

  /** Takes `read` when it is newer than the figure held. */
  #observe(ticket: Ticket, read: BrazeFigure): void {
    const { remaining, resetAt } = read;
    const limit = read.limit ?? this.#figure?.limit ?? remaining;
    const current = this.#figure;
    // A later window wins; within a window, the figure of the later-sent call (answers to concurrent
    // calls arrive in any order). An older figure is already counted in the newer one.
    if (current === undefined || resetAt > current.resetAt || (resetAt === current.resetAt && ticket > current.ticket)) {
      this.#figure = { limit, remaining, resetAt, ticket };
      for (const lost of this.#unreported) if (lost <= ticket) this.#unreported.delete(lost);
    }
  }

  /**
   * While no figure holds (none yet, or its window has reset), calls that failed without a figure
   * count for nothing now, and a call sent before every call still on the wire never will: any figure
   * still to come is the answer to a call on the wire or not yet sent, and that figure already counts
   * it. Forgotten, so that a Braze (or proxy) that never sends a usable figure cannot grow the set
   * by one number per call for as long as the process runs.
   */
  #forgetWhatNoFigureCanCount(): void {
    if (this.#unreported.size === 0) return;
    const figure = this.#figure;
    if (figure !== undefined && this.now() < figure.resetAt) return;
    let oldestOnTheWire = this.#nextTicket;
    for (const ticket of this.#onTheWire) if (ticket < oldestOnTheWire) oldestOnTheWire = ticket;
    for (const ticket of this.#unreported) if (ticket < oldestOnTheWire) this.#unreported.delete(ticket);
  }
}
