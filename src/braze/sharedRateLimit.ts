import { RateLimitReserveError } from '../errors/gatewayErrors.js';
import type { BrazeFigure, Headers, RateLimitSnapshot, RateLimitTracker, Ticket } from './rateLimit.js';
import { sharedRefusal, sharedRemaining } from './sharedFigure.js';
import type { SharedUpstreamState } from './sharedStore.js';

/** What the client and the send-time interceptor need of a bucket's tracker, local or shared. */
export type RateLimitGate = Pick<RateLimitTracker, 'reserve' | 'admit' | 'take' | 'settle' | 'snapshot' | 'paused'>;

/**
 * A bucket's tracker with the workspace-wide view on top: a call goes only when this replica's own
 * tracker (its answers, its calls on the wire) and the shared view (the newest figure any replica saw,
 * less the calls any replica sent after that figure's call and has not heard back about) both leave
 * room above the reserve. Each call is numbered in Redis as it is written to a socket, and its outcome
 * published. While Redis is out of use, the own tracker alone decides: the gateway as without Redis.
 */
export class SharedRateLimitTracker implements RateLimitGate {
  /** Per call on the wire: the promise of its number in Redis. */
  readonly #counted = new Map<Ticket, ReturnType<SharedUpstreamState['count']>>();

  constructor(
    private readonly local: RateLimitTracker,
    private readonly shared: SharedUpstreamState,
    private readonly bucket: string,
    private readonly now: () => number = Date.now,
  ) {}

  get reserve(): number {
    return this.local.reserve;
  }

  admit(): void {
    this.local.admit();
    const refusal = this.#refusal();
    if (refusal) throw refusal;
  }

  take(): Ticket | RateLimitReserveError {
    const refusal = this.#refusal();
    if (refusal) return refusal;
    const ticket = this.local.take();
    if (typeof ticket === 'number' && this.shared.available()) this.#counted.set(ticket, this.shared.count(this.bucket));
    return ticket;
  }

  settle(ticket: Ticket, headers: Headers | undefined): BrazeFigure | undefined {
    // The local tracker reads the headers: only a figure that can be real is published to the others.
    const read = this.local.settle(ticket, headers);
    const counted = this.#counted.get(ticket);
    this.#counted.delete(ticket);
    if (counted === undefined && !this.shared.available()) return read;
    void this.shared.settle(this.bucket, counted, read && { limit: read.limit ?? read.remaining, remaining: read.remaining, resetAt: read.resetAt });
    return read;
  }

  /** The shared view while it is in use and knows the bucket; this replica's own otherwise. */
  snapshot(): RateLimitSnapshot | undefined {
    if (this.shared.available()) {
      const { state, pending } = this.shared.bucket(this.bucket);
      const remaining = sharedRemaining(state, pending, this.now());
      if (state !== undefined && remaining !== undefined) return { limit: state.figure.limit, remaining, resetAt: new Date(state.figure.resetAt) };
    }
    return this.local.snapshot();
  }

  paused(): boolean {
    return this.local.paused() || this.#refusal() !== undefined;
  }

  #refusal(): RateLimitReserveError | undefined {
    if (!this.shared.available()) return undefined;
    const { state, pending } = this.shared.bucket(this.bucket);
    const resetAt = sharedRefusal(state, pending, this.reserve, this.now());
    return resetAt === undefined ? undefined : new RateLimitReserveError(new Date(resetAt), this.reserve);
  }
}
