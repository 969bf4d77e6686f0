import { CircuitOpenError, UpstreamTimeoutError, UpstreamUnavailableError, type UpstreamError } from '../errors/gatewayErrors.js';

/**
 * Worth another attempt: Braze said 5xx, or the connection failed (refused, reset, closed mid-body,
 * connect timeout). Not a headers or body timeout: Braze is working on that request, and asking again
 * would double its load when it is already slow. Never a 4xx or an invalid answer: those repeat.
 */
export function isRetryable(error: UpstreamError): boolean {
  if (error instanceof CircuitOpenError) return false;
  if (error instanceof UpstreamUnavailableError) return true;
  if (error instanceof UpstreamTimeoutError) return error.phase === 'connect';
  return false;
}

/**
 * Exponential backoff with full jitter (a uniform wait in [0, min(max, base·2^(attempt-1))]): retries
 * from many gateway replicas spread out instead of arriving at Braze together.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}
