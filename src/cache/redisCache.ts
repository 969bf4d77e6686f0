import type { Logger } from '../observability/logger.js';
import type { AnswerCache } from '../data/cache.js';
import { createRedisConnection, describeReply, resync, RedisWrongReplyError } from '../redis/connection.js';
import { leavesRepliesOutOfStep, RedisHealth } from '../redis/health.js';
import { redisReady } from '../redis/ready.js';
import { decode, encode } from './wire.js';

export interface RedisCacheOptions {
  url: string;
  keyPrefix: string;
  logger: Logger;
  /** A command that takes longer counts as a miss. Default 250 ms: the cache must never be slower than Braze. */
  commandTimeoutMs?: number;
  /**
   * The longest value read or written, in characters (default 16 Mi): a longer answer is not stored,
   * and a longer value read is refused before it is parsed (a forged one must not cost a parse).
   */
  maxValueChars?: number;
}

const DEFAULT_MAX_VALUE_CHARS = 16 * 1024 * 1024;

/**
 * Answers kept in Redis, so N replicas spend Braze's shared bucket once. Redis down, slow or answering
 * nonsense (a reply no GET or SET can have) is a miss, never a failed request: the gateway serves from
 * Braze, says so once per outage in the log and in `/health`, and leaves Redis alone for a second
 * after each failure. A value that is no valid answer for its key (another key's, forged, corrupted)
 * is a miss too, counted and logged, and is overwritten by Braze's answer.
 */
export function createRedisCache({ url, keyPrefix, logger, commandTimeoutMs = 250, maxValueChars = DEFAULT_MAX_VALUE_CHARS }: RedisCacheOptions): AnswerCache {
  const health = new RedisHealth({ part: 'redis cache', fallback: 'serving from Braze meanwhile', logger });
  const redis = createRedisConnection(url, { keyPrefix, commandTimeoutMs });
  const failed = (error: unknown): void => {
    if (leavesRepliesOutOfStep(health.failed(error))) resync(redis);
  };
  // Without a listener, ioredis' connection errors would be unhandled 'error' events.
  redis.on('error', (error: unknown) => health.failed(error));
  // Once: reconnects after a reset are part of an outage, whose end RedisHealth logs.
  redis.once('ready', () => logger.info('redis cache connected'));

  return {
    kind: 'redis',
    ready: (timeoutMs) => redisReady(redis, timeoutMs),
    async get(key, codec) {
      if (!health.usable()) return undefined;
      let reply: unknown;
      try {
        reply = await redis.get(key);
      } catch (error) {
        failed(error);
        return undefined;
      }
      if (reply === null) {
        health.succeeded();
        return undefined;
      }
      const read = typeof reply === 'string' ? decode(reply, key, codec, Date.now(), maxValueChars) : undefined;
      if (read === undefined || read.kind === 'foreign') {
        failed(new RedisWrongReplyError(`GET answered ${describeReply(reply)}, not a value the gateway writes`));
        return undefined;
      }
      health.succeeded();
      if (read.kind === 'rejected') health.rejected(read.why);
      return read.kind === 'answer' ? read.value : undefined;
    },
    async set(key, value, ttlMs, codec) {
      if (ttlMs <= 0 || !health.usable()) return;
      const text = encode(key, value, codec);
      if (text === undefined || text.length > maxValueChars) return;
      try {
        const reply: unknown = await redis.set(key, text, 'PX', ttlMs);
        if (reply !== 'OK') failed(new RedisWrongReplyError(`SET answered ${describeReply(reply)}, not OK`));
      } catch (error) {
        failed(error);
      }
    },
    status: () => health.status(),
    async close() {
      redis.disconnect();
    },
  };
}
