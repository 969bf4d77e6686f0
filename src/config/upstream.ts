import type { BrazeClientPolicy } from '../braze/client.js';
import { longestWindowIn, maxChunks } from '../data/chunks.js';
import { MAX_LENGTH } from '../endpoints/answers/series.js';
import { BUCKET_TABLE, type BucketName } from '../endpoints/buckets.js';
import { boolean, defaultsOf, integer, type VariableReader, type VariableTable } from './read.js';

/** How the gateway treats Braze: the client's policy (deadlines, retries, reserves, breaker), and caps. */
export interface UpstreamPolicy extends BrazeClientPolicy {
  /** Per bucket of the table (src/endpoints/buckets.ts): requests left to other integrations. */
  readonly reserves: Readonly<Record<BucketName, number>>;
  /** Distinct upstream calls one GraphQL request may make. */
  readonly maxCallsPerRequest: number;
  /**
   * Longest series a field may ask for, in units (days or hours). Braze serves at most 100 units a
   * call; longer windows are asked as chunks, each one call counted against maxCallsPerRequest.
   */
  readonly seriesMaxLength: number;
  /**
   * With REDIS_URL set: the rate-limit buckets and the breaker are shared by every replica through
   * Redis (false: each replica keeps its own, as without Redis).
   */
  readonly sharedState: boolean;
  /** How often a replica reads the shared buckets and breaker again; the staleness of its view. */
  readonly sharedRefreshMs: number;
}

export const UPSTREAM_VARIABLES: VariableTable<Omit<UpstreamPolicy, 'reserves'>> = {
  timeoutMs: integer('BRAZE_TIMEOUT_MS', { min: 100, max: 300_000, default: 15_000 }),
  connectTimeoutMs: integer('BRAZE_CONNECT_TIMEOUT_MS', { min: 50, max: 60_000, default: 3_000 }),
  headersTimeoutMs: integer('BRAZE_HEADERS_TIMEOUT_MS', { min: 50, max: 300_000, default: 10_000 }),
  bodyTimeoutMs: integer('BRAZE_BODY_TIMEOUT_MS', { min: 50, max: 300_000, default: 10_000 }),
  maxAttempts: integer('BRAZE_MAX_ATTEMPTS', { min: 1, max: 10, default: 3 }),
  retryBaseMs: integer('BRAZE_RETRY_BASE_MS', { min: 1, max: 60_000, default: 250 }),
  retryMaxMs: integer('BRAZE_RETRY_MAX_MS', { min: 1, max: 300_000, default: 4_000 }),
  rateLimitWaitMs: integer('BRAZE_RATE_LIMIT_WAIT_MS', { min: 0, max: 300_000, default: 5_000 }),
  breakerThreshold: integer('BRAZE_BREAKER_THRESHOLD', { min: 0, max: 1_000, default: 5 }),
  breakerCooldownMs: integer('BRAZE_BREAKER_COOLDOWN_MS', { min: 100, max: 3_600_000, default: 30_000 }),
  maxCallsPerRequest: integer('BRAZE_MAX_CALLS_PER_REQUEST', { min: 1, max: 10_000, default: 50 }),
  // 1,000 days is 2.7 years by day or 6 weeks by hour: at most 12 calls a series.
  seriesMaxLength: integer('SERIES_MAX_LENGTH', { min: 1, max: 100_000, default: 1_000 }),
  maxConnections: integer('BRAZE_MAX_CONNECTIONS', { min: 1, max: 1_000, default: 20 }),
  maxBodyBytes: integer('BRAZE_MAX_BODY_BYTES', { min: 1_024, max: 100 * 1024 * 1024, default: 1024 * 1024 }),
  sharedState: boolean('BRAZE_SHARED_STATE', true),
  sharedRefreshMs: integer('BRAZE_SHARED_REFRESH_MS', { min: 10, max: 10_000, default: 100 }),
};

/** Each bucket's reserve variable, from its row of the table. */
export const RESERVE_VARIABLES = Object.fromEntries(
  BUCKET_TABLE.map(({ name, reserve }) => [name, integer(reserve.variable, { min: 0, max: reserve.max, default: reserve.default })]),
) as VariableTable<Record<BucketName, number>>;

export const DEFAULT_UPSTREAM_POLICY: UpstreamPolicy = Object.freeze({ ...defaultsOf(UPSTREAM_VARIABLES), reserves: Object.freeze(defaultsOf(RESERVE_VARIABLES)) });

/**
 * The table's values. Left unset, SERIES_MAX_LENGTH is at most what BRAZE_MAX_CALLS_PER_REQUEST can
 * serve, so a lowered cap alone does not stop the start. The checks between settings are left to the
 * caller, which places them among the other problems.
 */
export function readUpstream(vars: VariableReader): UpstreamPolicy {
  const upstream = { ...vars.readAll(UPSTREAM_VARIABLES), reserves: Object.freeze(vars.readAll(RESERVE_VARIABLES)) };
  if (vars.isSet(UPSTREAM_VARIABLES.seriesMaxLength)) return Object.freeze(upstream);
  return Object.freeze({ ...upstream, seriesMaxLength: Math.min(upstream.seriesMaxLength, longestWindowIn(upstream.maxCallsPerRequest, MAX_LENGTH)) });
}

/** Problems between upstream settings that are each within bounds. */
export function checkUpstream(vars: VariableReader, upstream: UpstreamPolicy): void {
  if (upstream.retryBaseMs > upstream.retryMaxMs) vars.report('BRAZE_RETRY_BASE_MS must not exceed BRAZE_RETRY_MAX_MS');
  // A series the cap can never serve would be accepted, then fail every time (only when set: see readUpstream).
  const chunks = maxChunks(upstream.seriesMaxLength, MAX_LENGTH);
  if (chunks > upstream.maxCallsPerRequest) {
    vars.report(
      `SERIES_MAX_LENGTH ${upstream.seriesMaxLength} takes up to ${chunks} Braze calls a series, more than BRAZE_MAX_CALLS_PER_REQUEST (${upstream.maxCallsPerRequest}) allows a request: lower the first or raise the second`,
    );
  }
}
