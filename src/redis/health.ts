import type { Logger } from '../observability/logger.js';
import { truncate } from '../observability/redact.js';
import { RedisProtocolError, RedisWrongReplyError } from './connection.js';

/**
 * How a store shared through the network (Redis) is doing, for `/health`: whether it is in use, what
 * went wrong while it is not, and how many values read from it were refused.
 */
export interface SharedStoreStatus {
  readonly usable: boolean;
  readonly problem?: string;
  /** ISO-8601: when the problem began. */
  readonly since?: string;
  /** Values read back that were no valid answer for their key (another key's, forged, corrupted): each was a miss. */
  readonly rejectedValues?: number;
}

/**
 * Why a part of the gateway stopped using Redis, in words that are a stable part of `/health` (never
 * an error message: those may name hosts).
 */
export type RedisProblem = 'unreachable' | 'timeout' | 'error reply' | 'wrong reply' | 'unreadable reply';

/**
 * What `/health` shows under `redis`: each part that uses Redis (absent when it is off). `usable` is
 * false from a part's first failed command until Redis has answered it well again for a while;
 * `problem` (a RedisProblem) and `since` say what went wrong first and when.
 */
export interface RedisStatus {
  readonly cache?: SharedStoreStatus;
  readonly singleFlight?: SharedStoreStatus;
  readonly sharedState?: SharedStoreStatus;
  /** MCP sessions every replica answers (src/mcp/redisSessions.ts), with MCP_ENABLED=true. */
  readonly mcpSessions?: SharedStoreStatus;
}

/** The problem an error from a Redis command (or connection) stands for. */
export function classifyRedisError(error: unknown): RedisProblem {
  if (error instanceof RedisWrongReplyError) return 'wrong reply';
  if (error instanceof RedisProtocolError) return 'unreadable reply';
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'ReplyError') return 'error reply';
  if (name === 'ParserError' || message.startsWith('Protocol error')) return 'unreadable reply';
  // ioredis' word for a reply that came with no command waiting for it: one nobody asked for.
  if (message.startsWith('Command queue state error')) return 'wrong reply';
  if (message === 'Command timed out') return 'timeout';
  return 'unreachable';
}

/**
 * Whether after this problem the connection's replies may be out of step with its commands: ioredis
 * hands a timed-out command's late reply to the next command, and a reply of the wrong type may be
 * another command's. Such a connection is reset (see resync).
 */
export function leavesRepliesOutOfStep(problem: RedisProblem): boolean {
  return problem === 'timeout' || problem === 'wrong reply' || problem === 'unreadable reply';
}

export interface RedisHealthOptions {
  /** How the part is named in its log lines, e.g. `redis cache`. */
  readonly part: string;
  /** What the gateway does meanwhile, for the log line, e.g. `serving from Braze meanwhile`. */
  readonly fallback: string;
  readonly logger: Logger;
  /** After a failure, Redis is not asked again for this long: requests go their way without paying a timeout each. */
  readonly cooldownMs?: number;
  /** An outage ends at the first good reply this long after its last failure. */
  readonly quietMs?: number;
  /** At most one line per this interval for outages and for rejected values, however they flap. */
  readonly logIntervalMs?: number;
  readonly now?: () => number;
}

/**
 * The health of one part's use of Redis: an outage begins at the first failure (one warning), lasts
 * while failures keep coming, and ends at a good reply after `quietMs` without one (one info line).
 * Between, Redis is left alone for `cooldownMs` after each failure. A Redis answering nonsense to some
 * commands and well to others (`+OK` to everything) stays in one outage, not one per request.
 */
export class RedisHealth {
  readonly #options: Required<Omit<RedisHealthOptions, 'logger' | 'part' | 'fallback'>>;
  #outage: { readonly problem: RedisProblem; readonly since: number } | undefined;
  #lastFailure = Number.NEGATIVE_INFINITY;
  #lastSuccess = Number.NEGATIVE_INFINITY;
  #recheck: NodeJS.Timeout | undefined;
  #lastOutageLog = Number.NEGATIVE_INFINITY;
  #rejected = 0;
  #lastRejectedLog = Number.NEGATIVE_INFINITY;

  constructor(private readonly base: RedisHealthOptions) {
    const { cooldownMs = 1_000, quietMs = 2_000, logIntervalMs = 10_000, now = Date.now } = base;
    this.#options = { cooldownMs, quietMs, logIntervalMs, now };
  }

  /** Whether to ask Redis now: not within the cool-down after a failure. */
  usable(): boolean {
    return this.#options.now() >= this.#lastFailure + this.#options.cooldownMs;
  }

  /** Records a failed command (or connection); returns what kind of problem it was. */
  failed(error: unknown): RedisProblem {
    const now = this.#options.now();
    this.#lastFailure = now;
    const problem = classifyRedisError(error);
    if (this.#outage) return problem;
    this.#outage = { problem, since: now };
    if (now - this.#lastOutageLog < this.#options.logIntervalMs) return problem;
    this.#lastOutageLog = now;
    this.base.logger.warn(`${this.base.part} unusable (${problem}); ${this.base.fallback}`, {
      // Short: a hostile server chooses what its errors say.
      reason: truncate(error instanceof Error ? error.message : String(error), 200),
    });
    return problem;
  }

  /**
   * Records a good reply. During an outage it ends the outage once no failure has come for `quietMs`:
   * at once when that much time has passed, else when it has (a timer), unless a failure comes first.
   */
  succeeded(): void {
    if (!this.#outage) return;
    const now = this.#options.now();
    this.#lastSuccess = now;
    const quietFor = now - this.#lastFailure;
    if (quietFor >= this.#options.quietMs) return this.#recovered(now);
    this.#recheck ??= setTimeout(() => {
      this.#recheck = undefined;
      // Only a good reply after the last failure ends the outage; a later one re-arms the check.
      if (this.#lastSuccess > this.#lastFailure) this.succeeded();
    }, this.#options.quietMs - quietFor).unref();
  }

  #recovered(now: number): void {
    const since = this.#outage?.since ?? now;
    this.#outage = undefined;
    this.base.logger.info(`${this.base.part} usable again`, { downMs: now - since });
  }

  /** A value under one of our keys that is no valid answer for it: a miss, counted and logged (rate-limited). */
  rejected(what: string): void {
    this.#rejected++;
    const now = this.#options.now();
    if (now - this.#lastRejectedLog < this.#options.logIntervalMs) return;
    this.#lastRejectedLog = now;
    this.base.logger.warn(`${this.base.part} ignored a value that is not a valid answer for its key (${what}); answered from Braze instead`, { rejectedValues: this.#rejected });
  }

  status(): SharedStoreStatus {
    const rejected = this.#rejected > 0 ? { rejectedValues: this.#rejected } : {};
    if (!this.#outage) return { usable: true, ...rejected };
    return { usable: false, problem: this.#outage.problem, since: new Date(this.#outage.since).toISOString(), ...rejected };
  }
}

