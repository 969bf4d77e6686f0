import { CircuitOpenError } from '../errors/gatewayErrors.js';
import type { Admission, CircuitBreaker, CircuitStatus } from './circuitBreaker.js';
import type { SharedUpstreamState } from './sharedStore.js';

/** What the client needs of a breaker, local or shared; admission may wait for Redis (a half-open probe). */
export interface Breaker {
  admit(): Admission | Promise<Admission>;
  success(admission: Admission): void;
  failure(admission: Admission): void;
  release(admission: Admission): void;
  status(): CircuitStatus;
}

/**
 * This replica's breaker, with its openings shared: when any replica's breaker opens, every replica
 * fails fast until the cool-down is over; then one replica in the workspace probes (a lock taken with
 * SET NX), and its outcome closes the circuit for all or opens it again. The local breaker keeps its
 * own rules (threshold, cool-down, its own probe). While Redis is out of use, the local breaker alone
 * decides.
 */
export class SharedCircuitBreaker implements Breaker {
  /** Whether this replica holds the workspace's probe. */
  #holdsProbe = false;

  constructor(
    private readonly local: CircuitBreaker,
    private readonly shared: SharedUpstreamState,
    private readonly options: { readonly threshold: number; readonly cooldownMs: number; readonly now?: () => number },
  ) {}

  admit(): Admission | Promise<Admission> {
    const admission = this.local.admit();
    if (this.options.threshold === 0 || !this.shared.available()) return admission;
    const openUntil = this.shared.breakerOpenUntil();
    if (openUntil === undefined) return admission;
    if (this.#now() < openUntil) {
      this.local.release(admission);
      throw new CircuitOpenError(new Date(openUntil));
    }
    return this.#probe(admission, openUntil);
  }

  success(admission: Admission): void {
    const wasClosed = this.local.status().state === 'closed';
    this.local.success(admission);
    if (this.#takeProbe(admission) || !wasClosed) this.shared.closeBreaker();
  }

  failure(admission: Admission): void {
    const wasOpen = this.local.status().state === 'open';
    this.local.failure(admission);
    const status = this.local.status();
    const heldProbe = this.#takeProbe(admission);
    if (status.state === 'open' && !wasOpen && status.retryAt) this.shared.openBreaker(status.retryAt.getTime());
    else if (heldProbe) this.shared.openBreaker(this.#now() + this.options.cooldownMs);
  }

  release(admission: Admission): void {
    this.local.release(admission);
    if (this.#takeProbe(admission)) this.shared.releaseProbe();
  }

  /** Shared open (or half-open) outranks a closed local breaker: every replica shows what stops its calls. */
  status(): CircuitStatus {
    const local = this.local.status();
    const openUntil = this.shared.available() ? this.shared.breakerOpenUntil() : undefined;
    if (openUntil === undefined || local.state === 'open') return local;
    if (this.#now() < openUntil) return { state: 'open', consecutiveFailures: local.consecutiveFailures, retryAt: new Date(openUntil) };
    return { state: 'half-open', consecutiveFailures: local.consecutiveFailures };
  }

  /** Half-open workspace-wide: this call goes only as the one probe of every replica. */
  async #probe(admission: Admission, openUntil: number): Promise<Admission> {
    const taken = this.#holdsProbe ? false : await this.shared.tryProbe();
    if (taken === undefined) return admission;
    if (!taken) {
      this.local.release(admission);
      throw new CircuitOpenError(new Date(openUntil));
    }
    this.#holdsProbe = true;
    return 'probe';
  }

  /** Whether `admission` was this replica's shared probe (which it then no longer holds). */
  #takeProbe(admission: Admission): boolean {
    if (admission !== 'probe' || !this.#holdsProbe) return false;
    this.#holdsProbe = false;
    return true;
  }

  #now(): number {
    return (this.options.now ?? Date.now)();
  }
}
