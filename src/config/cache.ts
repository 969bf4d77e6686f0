import { boolean, defaultsOf, integer, parsed, string, type Report, type VariableReader, type VariableTable } from './read.js';

/** The cross-request cache of Braze answers. */
export interface CachePolicy {
  readonly enabled: boolean;
  /** How long an answer stays fresh when its window reaches into the last unit (counts still moving). */
  readonly liveTtlMs: number;
  /** How long an answer for a window wholly in the past stays fresh (Braze data can arrive late). */
  readonly pastTtlMs: number;
  /** How long an answer for a series window that ended more than two days ago stays fresh: its numbers have settled. */
  readonly settledTtlMs: number;
  /** In-memory bounds (ignored with Redis, which has its own maxmemory policy). */
  readonly maxEntries: number;
  readonly maxBytes: number;
  /** When set, the cache lives in Redis so replicas share it. */
  readonly redisUrl: string | undefined;
  readonly redisKeyPrefix: string;
  /**
   * With Redis: a missing answer is fetched by one replica while the others wait for it (a lock per key
   * and a notice on a channel). Off: each replica calls Braze for what it misses, as a lone process does.
   */
  readonly redisSingleFlight: boolean;
  /**
   * "Now" for a field that omits `endingAt` is the request's time rounded down to this. The default
   * minute lets every request of a minute share cache entries for "the last N days" (at 1 s a dashboard
   * without `endingAt` asked Braze once a second per panel whatever the TTL: 253 calls in 21.6 s against
   * 26 the TTL allows, bench:dashboard); the answer's `endingAt` says which instant was asked.
   */
  readonly requestTimeGranularityMs: number;
}

/** The URL stays the text it was given (ioredis reads it); it is never echoed, as it may hold a password. */
function checkRedisUrl(value: string, report: Report): string | undefined {
  let protocol = '';
  try {
    protocol = new URL(value).protocol;
  } catch {
    // reported below
  }
  if (protocol === 'redis:' || protocol === 'rediss:') return value;
  report('REDIS_URL must be a redis:// or rediss:// URL');
  return undefined;
}

/** REDIS_URL comes first so that its problem, if any, heads the cache's problems. */
export const CACHE_VARIABLES: VariableTable<CachePolicy> = {
  redisUrl: parsed('REDIS_URL', undefined, checkRedisUrl),
  enabled: boolean('CACHE_ENABLED', true),
  liveTtlMs: integer('CACHE_TTL_LIVE_MS', { min: 0, max: 86_400_000, default: 60_000 }),
  pastTtlMs: integer('CACHE_TTL_PAST_MS', { min: 0, max: 7 * 86_400_000, default: 15 * 60_000 }),
  settledTtlMs: integer('CACHE_TTL_SETTLED_MS', { min: 0, max: 30 * 86_400_000, default: 86_400_000 }),
  maxEntries: integer('CACHE_MAX_ENTRIES', { min: 1, max: 10_000_000, default: 10_000 }),
  maxBytes: integer('CACHE_MAX_BYTES', { min: 1024, max: 16 * 1024 ** 3, default: 64 * 1024 * 1024 }),
  redisKeyPrefix: string('REDIS_KEY_PREFIX', { default: 'braze-analytics-gateway:' }),
  redisSingleFlight: boolean('REDIS_SINGLE_FLIGHT', true),
  requestTimeGranularityMs: integer('REQUEST_TIME_GRANULARITY_MS', { min: 1_000, max: 3_600_000, default: 60_000 }),
};

export const DEFAULT_CACHE_POLICY: CachePolicy = Object.freeze(defaultsOf(CACHE_VARIABLES));

export function readCache(vars: VariableReader): CachePolicy {
  const policy = vars.readAll(CACHE_VARIABLES);
  // Older numbers kept for less time than newer ones cannot be what was meant.
  if (policy.settledTtlMs < policy.pastTtlMs) vars.report('CACHE_TTL_SETTLED_MS must be at least CACHE_TTL_PAST_MS (settled numbers are kept at least as long as recent ones)');
  return Object.freeze(policy);
}
