import { Redis } from 'ioredis';
import { redisReady } from './redisReady.js';
import type { Logger } from '../logger.js';
import type { AnswerCache } from '../data/cache.js';
import { decode, encode } from './wire.js';

export interface RedisCacheOptions {
  url: string;
  keyPrefix: string;
  logger: Logger;
  /** A command that takes longer counts as a miss. Default 250 ms: the cache must never be slower than Braze. */
  commandTimeoutMs?: number;
}

/** At most one "Redis is down" line per this interval: an outage must not flood the log. */
const ERROR_LOG_INTERVAL_MS = 10_000;

/**
 * Answers kept in Redis, so N replicas spend Braze's shared bucket once. Redis being down, slow or
 * answering nonsense is a miss, logged, never a failed request: the gateway serves from Braze.
 */
export function createRedisCache({ url, keyPrefix, logger, commandTimeoutMs = 250 }: RedisCacheOptions): AnswerCache {
  let lastErrorLog = 0;
  const complain = (what: string, error: unknown): void => {
    const now = Date.now();
    if (now - lastErrorLog < ERROR_LOG_INTERVAL_MS) return;
    lastErrorLog = now;
    logger.warn(`redis cache ${what} failed; serving from Braze meanwhile`, {
      reason: error instanceof Error ? error.message : String(error),
    });
  };
  const redis = new Redis(url, {
    keyPrefix,
    // Fail fast while disconnected instead of queueing: a queued GET would stall the request.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: commandTimeoutMs,
    connectTimeout: 1_000,
    // Keep trying to come back, at most every 2 s.
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
  // Without a listener, ioredis' connection errors would be unhandled 'error' events.
  redis.on('error', (error: unknown) => complain('connection', error));
  redis.on('ready', () => logger.info('redis cache connected'));

  return {
    kind: 'redis',
    ready: (timeoutMs) => redisReady(redis, timeoutMs),
    async get(key, codec) {
      try {
        const text = await redis.get(key);
        return text === null ? undefined : decode(text, codec);
      } catch (error) {
        complain('read', error);
        return undefined;
      }
    },
    async set(key, value, ttlMs, codec) {
      if (ttlMs <= 0) return;
      try {
        await redis.set(key, encode(value, codec), 'PX', ttlMs);
      } catch (error) {
        complain('write', error);
      }
    },
    async close() {
      redis.disconnect();
    },
  };
}
