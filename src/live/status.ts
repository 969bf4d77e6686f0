import {
  CircuitOpenError,
  GatewayError,
  UpstreamInvalidResponseError,
  UpstreamRateLimitedError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
  type ErrorCode,
} from '../errors/gatewayErrors.js';

/**
 * Where a live series stands, pushed beside its value:
 * - `live`: the last poll got Braze's numbers.
 * - `paused`: Braze must not be asked until `retryAt` (the rate-limit reserve, a 429, the breaker open).
 * - `failing`: the last poll failed (Braze down, slow or answering nonsense); retried at `retryAt`.
 * - `complete`: the window has closed: this was the last push.
 */
export type LiveState = 'live' | 'paused' | 'failing' | 'complete';

export interface LiveStatus {
  readonly state: LiveState;
  /** Why the series is not live, in words a person can be shown; undefined when live or complete. */
  readonly reason: string | undefined;
  /** The error code the failed poll would have been as a query (UPSTREAM_RATE_LIMITED, …). */
  readonly code: ErrorCode | undefined;
  /** When the next poll will ask Braze again, while paused or failing. */
  readonly retryAt: Date | undefined;
}

export const LIVE: LiveStatus = Object.freeze({ state: 'live', reason: undefined, code: undefined, retryAt: undefined });
export const COMPLETE: LiveStatus = Object.freeze({ state: 'complete', reason: undefined, code: undefined, retryAt: undefined });

/** A failed poll: a status to push (the series keeps its last value), or the error that ends the series. */
export type PollFailure = { readonly kind: 'status'; readonly status: LiveStatus } | { readonly kind: 'final'; readonly error: unknown };

/**
 * What a failed poll means for its subscribers. Failures that pass by themselves (rate limit, breaker,
 * Braze down or slow, a malformed answer) keep the series open with its last value and a status; the
 * rest (Braze refusing the call as bad, the key's permissions, a result out of range) would fail the
 * same way at every poll, so they end it with the error a query would get.
 */
export function classifyPollFailure(error: unknown, now: number, nextPollAt: number): PollFailure {
  if (!(error instanceof GatewayError)) return { kind: 'final', error };
  const reason = error.message;
  if (error instanceof UpstreamRateLimitedError) {
    const retryAt = new Date(Math.max(error.resetAt?.getTime() ?? 0, nextPollAt));
    return { kind: 'status', status: { state: 'paused', reason, code: error.code, retryAt } };
  }
  if (error instanceof CircuitOpenError) {
    return { kind: 'status', status: { state: 'paused', reason, code: error.code, retryAt: new Date(Math.max(error.retryAt.getTime(), nextPollAt)) } };
  }
  if (error instanceof UpstreamUnavailableError || error instanceof UpstreamTimeoutError || error instanceof UpstreamInvalidResponseError) {
    return { kind: 'status', status: { state: 'failing', reason, code: error.code, retryAt: new Date(Math.max(now, nextPollAt)) } };
  }
  return { kind: 'final', error };
}

/** Two statuses a subscriber would read alike: only a change of state or cause is pushed, not a new retry time. */
export function sameStatus(a: LiveStatus, b: LiveStatus): boolean {
  return a.state === b.state && a.code === b.code;
}
