import { CircuitOpenError } from '../errors/gatewayErrors.js';

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitStatus {
  readonly state: CircuitState;
  readonly consecutiveFailures: number;
  /** While open: when a probe will be let through. */
  readonly retryAt?: Date;
}

export interface CircuitBreakerOptions {
  /** Consecutive failed attempts that open the circuit; 0 disables the breaker. */
  threshold: number;
  cooldownMs: number;
  now?: () => number;
  onChange?: (status: CircuitStatus) => void;
}

/** Whether an admitted attempt is the one probe of a half-open circuit. */
export type Admission = 'normal' | 'probe';

/**
 * Stops a bad minute at Braze from becoming a retry storm: after `threshold` consecutive failed
 * attempts, calls fail fast for `cooldownMs`; then one probe goes through, and its outcome closes or
 * re-opens the circuit.
 */
export class CircuitBreaker {
  #state: CircuitState = 'closed';
  #failures = 0;
  #openUntil = 0;
  #probeInFlight = false;
  readonly #options: Required<Omit<CircuitBreakerOptions, 'onChange'>> & Pick<CircuitBreakerOptions, 'onChange'>;

  constructor(options: CircuitBreakerOptions) {
    this.#options = { now: Date.now, ...options };
  }

  /** Lets an attempt through, or throws CircuitOpenError. */
  admit(): Admission {
    if (this.#options.threshold === 0 || this.#state === 'closed') return 'normal';
    if (this.#state === 'open') {
      if (this.#options.now() < this.#openUntil) throw new CircuitOpenError(new Date(this.#openUntil));
      this.#transition('half-open');
    }
    if (this.#probeInFlight) throw new CircuitOpenError(new Date(this.#openUntil));
    this.#probeInFlight = true;
    return 'probe';
  }

  /** Braze answered (any status that is not a 5xx): it is up. */
  success(admission: Admission): void {
    if (admission === 'probe') this.#probeInFlight = false;
    this.#failures = 0;
    if (this.#state !== 'closed') this.#transition('closed');
  }

  /** A 5xx, a timeout or a connection failure. */
  failure(admission: Admission): void {
    if (admission === 'probe') this.#probeInFlight = false;
    this.#failures++;
    const threshold = this.#options.threshold;
    if (threshold === 0) return;
    if (this.#state === 'half-open' || (this.#state === 'closed' && this.#failures >= threshold)) {
      this.#openUntil = this.#options.now() + this.#options.cooldownMs;
      this.#transition('open');
    }
  }

  /** The attempt ended without telling anything about Braze (the caller went away). */
  release(admission: Admission): void {
    if (admission === 'probe') this.#probeInFlight = false;
  }

  status(): CircuitStatus {
    return this.#state === 'open'
      ? { state: 'open', consecutiveFailures: this.#failures, retryAt: new Date(this.#openUntil) }
      : { state: this.#state, consecutiveFailures: this.#failures };
  }

  #transition(state: CircuitState): void {
    this.#state = state;
    this.#options.onChange?.(this.status());
  }
}
