import type { Redis, Result } from 'ioredis';
import { createRedisConnection, describeReply, RedisWrongReplyError, resync } from '../redis/connection.js';
import { leavesRepliesOutOfStep, RedisHealth, type SharedStoreStatus } from '../redis/health.js';
import type { Logger } from '../observability/logger.js';
import { MAX_RATE_LIMIT_COUNT } from './rateLimitHeaders.js';
import { latestSharedReset, parseBucketState, type SharedBucketState } from './sharedFigure.js';
/** A bucket's figure is kept this long past its reset, then Redis forgets it by itself. */
const KEEP_AFTER_RESET_MS = 60_000;

/** How long the sets of calls on the wire and lost live after their last change (a window and then some). */
const CALL_SETS_TTL_MS = 7_200_000;

/**
 * A bucket is four keys (KEYS in this order in every script): the figure (a hash: limit, remaining,
 * resetAt, observedAt, and `seq`, the number of the call it came with), the counter that numbers calls
 * as they are sent, workspace-wide, and two sorted sets of call numbers: on the wire, and lost (failed
 * without a figure). It is rateLimit.ts's ticket rule, for every replica at once: the estimate is the
 * figure less the calls numbered after the figure's call that are on the wire or lost. A bucket's state
 * as the scripts return it: [limit, remaining, resetAt, observedAt, on the wire after, lost after] as
 * text, or nil before any figure.
 */
const STATE = `
local function state(figure, wire, lost)
  local f = redis.call('HMGET', figure, 'limit', 'remaining', 'resetAt', 'observedAt', 'seq')
  if not f[2] then return false end
  local after = '(' .. (f[5] or '0')
  return {f[1], f[2], f[3], f[4], tostring(redis.call('ZCOUNT', wire, after, '+inf')), tostring(redis.call('ZCOUNT', lost, after, '+inf'))}
end
`;

/** One call written to a socket: its number, and the state with it on the wire. */
const COUNT_CALL = `${STATE}
local seq = redis.call('INCR', KEYS[2])
redis.call('ZADD', KEYS[3], seq, seq)
redis.call('PEXPIRE', KEYS[3], ${CALL_SETS_TTL_MS})
return {tostring(seq), state(KEYS[1], KEYS[3], KEYS[4])}`;

/**
 * A call's outcome; the state after it. ARGV: the call's number ('0' when it was not counted), '1' when
 * its answer brought a figure, then that figure (limit, remaining, resetAt, observedAt), how long to
 * keep it past its reset, and the bounds of a stored figure a replica can have written (the latest
 * reset, the largest count). The call leaves the wire. A newer figure (isNewerFigure in sharedFigure.ts: a
 * later reset, or a lower remaining in the same window) replaces the current one, and the calls
 * numbered up to its call stop counting (it includes them). No figure: the call counts as lost, when
 * it was sent after the current figure's call, until a later call's figure says.
 */
const SETTLE_CALL = `${STATE}
local seq = tonumber(ARGV[1]) or 0
if seq > 0 then redis.call('ZREM', KEYS[3], seq) end
local current = redis.call('HMGET', KEYS[1], 'remaining', 'resetAt', 'seq', 'limit')
local currentRemaining = tonumber(current[1])
local currentReset = tonumber(current[2])
local currentLimit = tonumber(current[4])
-- A stored figure no replica can have written (parseBucketState's bounds: ARGV[8] the latest reset,
-- ARGV[9] the largest count) is none: a real figure replaces it, instead of never being newer.
if currentRemaining == nil or currentReset == nil or currentLimit == nil or currentLimit < 1 or currentLimit > tonumber(ARGV[9])
  or currentRemaining < 0 or currentRemaining > currentLimit or currentReset > tonumber(ARGV[8]) then
  currentRemaining = nil
  currentReset = nil
end
if ARGV[2] == '1' then
  local remaining = tonumber(ARGV[4])
  local resetAt = tonumber(ARGV[5])
  if currentReset == nil or currentRemaining == nil or resetAt > currentReset or (resetAt == currentReset and remaining < currentRemaining) then
    redis.call('HSET', KEYS[1], 'limit', ARGV[3], 'remaining', ARGV[4], 'resetAt', ARGV[5], 'observedAt', ARGV[6], 'seq', seq)
    redis.call('PEXPIREAT', KEYS[1], resetAt + tonumber(ARGV[7]))
    redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', seq)
    redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', seq)
  end
elseif seq > 0 and seq > (tonumber(current[3]) or 0) then
  redis.call('ZADD', KEYS[4], seq, seq)
  redis.call('PEXPIRE', KEYS[4], ${CALL_SETS_TTL_MS})
end
return state(KEYS[1], KEYS[3], KEYS[4])`;

/** Every bucket's state (KEYS in fours), then the breaker's open-until (the last KEY), in one round trip. */
const READ_ALL = `${STATE}
local out = {}
local buckets = (#KEYS - 1) / 4
for i = 1, buckets do out[i] = state(KEYS[4 * i - 3], KEYS[4 * i - 1], KEYS[4 * i]) end
out[buckets + 1] = redis.call('GET', KEYS[#KEYS])
return out`;

/**
 * The breaker opened (KEYS[1]: open-until, KEYS[2]: the probe lock). ARGV: open-until (epoch ms), how
 * long the key lives (the cool-down and then the probe's window). A later open-until wins; the probe,
 * whoever held it, is over.
 */
const OPEN_BREAKER = `
local current = tonumber(redis.call('GET', KEYS[1]))
if current == nil or current < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
redis.call('DEL', KEYS[2])
return redis.call('GET', KEYS[1])`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    countCall(...keysThenArgs: string[]): Result<unknown, Context>;
    settleCall(...keysThenArgs: string[]): Result<unknown, Context>;
    readAll(...keys: string[]): Result<unknown, Context>;
    openBreaker(open: string, probe: string, openUntil: string, ttlMs: string): Result<unknown, Context>;
  }
}

/** Braze's figure as one replica read it from an answer. */
export interface ObservedFigure {
  readonly limit: number;
  readonly remaining: number;
  readonly resetAt: number;
}

/** A call's number in its bucket, workspace-wide, as Redis gave it. */
type CallNumber = string;

export interface SharedUpstreamOptions {
  readonly url: string;
  readonly keyPrefix: string;
  readonly logger: Logger;
  /** The rate-limit buckets shared (the names the client's calls spend). */
  readonly buckets: readonly string[];
  /** How often the cached view is read again from Redis (replies to this replica's own calls refresh it too). */
  readonly refreshMs: number;
  /** How long one replica's probe may take (the call deadline): then another may probe. */
  readonly probeWindowMs: number;
  /** A command slower than this fails, and the replica falls back to its own view. Default 250 ms. */
  readonly commandTimeoutMs?: number;
  readonly now?: () => number;
}

/**
 * The rate-limit buckets and the breaker as every replica sees them, kept in Redis; each replica holds
 * a cached view, refreshed every `refreshMs` and by the replies to its own commands. Redis down, slow
 * or answering nonsense (a reply of a shape no script returns: a string for a list, a number for a
 * state): `available()` turns false at the first failed command (at most the command timeout after it
 * was sent), callers use their own local state meanwhile, the outage is logged once and shown in
 * `/health`, Redis is left alone for a second after each failure, and the view comes back by itself
 * at the first successful refresh once Redis has answered nothing wrong for two seconds. Every reply
 * is checked whole before any of it is applied.
 */
export class SharedUpstreamState {
  readonly #redis: Redis;
  readonly #options: Required<Omit<SharedUpstreamOptions, 'keyPrefix' | 'url'>>;
  readonly #states = new Map<string, SharedBucketState>();
  /** Per bucket: this replica's calls counted in Redis whose reply has not come back. */
  readonly #pending = new Map<string, number>();
  #breakerOpenUntil: number | undefined;
  /** The open-until this replica itself wrote last, so that only another replica's is logged as news. */
  #publishedOpenUntil: number | undefined;
  /** Whether a command ever succeeded: before that, there is no view to use. */
  #everRead = false;
  readonly #health: RedisHealth;
  #refreshing = false;
  readonly #timer: NodeJS.Timeout;

  constructor({ url, keyPrefix, commandTimeoutMs = 250, now = Date.now, ...options }: SharedUpstreamOptions) {
    this.#options = { commandTimeoutMs, now, ...options };
    this.#health = new RedisHealth({
      part: 'shared upstream state in redis',
      fallback: 'this replica uses its own rate-limit view and breaker meanwhile',
      logger: options.logger,
    });
    this.#redis = createRedisConnection(url, { keyPrefix: `${keyPrefix}upstream:`, commandTimeoutMs });
    this.#redis.defineCommand('countCall', { numberOfKeys: 4, lua: COUNT_CALL });
    this.#redis.defineCommand('settleCall', { numberOfKeys: 4, lua: SETTLE_CALL });
    this.#redis.defineCommand('readAll', { numberOfKeys: this.#options.buckets.length * 4 + 1, lua: READ_ALL });
    this.#redis.defineCommand('openBreaker', { numberOfKeys: 2, lua: OPEN_BREAKER });
    // Without a listener, ioredis' connection errors would be unhandled 'error' events.
    this.#redis.on('error', (error: unknown) => this.#fail(error));
    this.#redis.on('ready', () => void this.refresh());
    this.#timer = setInterval(() => void this.refresh(), options.refreshMs);
    this.#timer.unref();
  }

  /** Whether the shared view is in use; false before the first successful read and during an outage. */
  available(): boolean {
    return this.#everRead && this.#redis.status === 'ready' && this.#health.status().usable;
  }

  /** How the use of Redis is doing, for `/health`. */
  status(): SharedStoreStatus {
    return this.#health.status();
  }

  /** The bucket's state in the cached view, and this replica's calls not yet counted in it. */
  bucket(name: string): { readonly state: SharedBucketState | undefined; readonly pending: number } {
    return { state: this.#states.get(name), pending: this.#pending.get(name) ?? 0 };
  }

  /** The breaker's shared open-until (epoch ms) in the cached view: past it, the circuit is half-open. */
  breakerOpenUntil(): number | undefined {
    return this.#breakerOpenUntil;
  }

  /**
   * A call of `bucket` is written to a socket: numbered and put on the wire in Redis at once (the
   * promise of its number is for `settle`); until the reply, it counts in this replica's view as pending.
   */
  count(bucket: string): Promise<CallNumber | undefined> {
    this.#pending.set(bucket, (this.#pending.get(bucket) ?? 0) + 1);
    return this.#command(
      () => this.#redis.countCall(...keys(bucket)),
      (reply) => {
        if (!Array.isArray(reply) || reply.length !== 2 || typeof reply[0] !== 'string' || !/^[1-9]\d{0,15}$/.test(reply[0])) {
          throw new RedisWrongReplyError(`the count script answered ${describeReply(reply)}, not [call number, state]`);
        }
        const state = this.#bucketState(reply[1]);
        return () => {
          this.#applyBucket(bucket, state);
          return reply[0] as CallNumber;
        };
      },
    ).finally(() => this.#pending.set(bucket, (this.#pending.get(bucket) ?? 1) - 1));
  }

  /** A call's outcome: the figure its answer brought, or undefined when it failed without one. */
  async settle(bucket: string, counted: Promise<CallNumber | undefined> | undefined, figure: ObservedFigure | undefined): Promise<void> {
    const number = await counted;
    if (number === undefined && figure === undefined) return;
    const args = [
      number ?? '0',
      figure ? '1' : '0',
      String(figure?.limit ?? 0),
      String(figure?.remaining ?? 0),
      String(figure?.resetAt ?? 0),
      String(this.#options.now()),
      String(KEEP_AFTER_RESET_MS),
      String(latestSharedReset(this.#options.now())),
      String(MAX_RATE_LIMIT_COUNT),
    ];
    await this.#command(
      () => this.#redis.settleCall(...keys(bucket), ...args),
      (reply) => {
        const state = this.#bucketState(reply);
        return () => this.#applyBucket(bucket, state);
      },
    );
  }

  /** This replica's breaker opened (or its probe failed): every replica fails fast until `openUntil`. */
  openBreaker(openUntil: number): void {
    this.#publishedOpenUntil = openUntil;
    const ttlMs = Math.max(1, openUntil - this.#options.now()) + this.#options.probeWindowMs;
    void this.#command(
      () => this.#redis.openBreaker(BREAKER_KEY, PROBE_KEY, String(openUntil), String(ttlMs)),
      (reply) => {
        const value = breakerValue(reply);
        return () => this.#applyBreaker(value);
      },
    );
  }

  /** A probe succeeded: the circuit is closed for every replica. */
  closeBreaker(): void {
    this.#breakerOpenUntil = undefined;
    void this.#command(() => this.#redis.del(BREAKER_KEY, PROBE_KEY), deleted);
  }

  /**
   * Takes the one probe of a half-open circuit for this replica: true when it is this replica's, false
   * when another replica holds it, undefined when Redis did not answer (the caller decides alone).
   */
  tryProbe(): Promise<boolean | undefined> {
    return this.#command(
      () => this.#redis.set(PROBE_KEY, '1', 'PX', this.#options.probeWindowMs, 'NX'),
      (reply: unknown) => {
        // SET … NX answers OK when it set the key, nil when the key was there.
        if (reply !== 'OK' && reply !== null) throw new RedisWrongReplyError(`SET NX answered ${describeReply(reply)}, not OK or nil`);
        return () => reply === 'OK';
      },
    );
  }

  /** This replica's probe ended without telling anything about Braze: another may probe. */
  releaseProbe(): void {
    void this.#command(() => this.#redis.del(PROBE_KEY), deleted);
  }

  /** Reads every bucket and the breaker again (skipped while a read is under way or Redis is not connected). */
  async refresh(): Promise<void> {
    if (this.#refreshing) return;
    this.#refreshing = true;
    try {
      await this.#command(
        () => this.#redis.readAll(...this.#options.buckets.flatMap(keys), BREAKER_KEY),
        (reply) => {
          if (!Array.isArray(reply) || reply.length !== this.#options.buckets.length + 1) {
            throw new RedisWrongReplyError(`the read script answered ${describeReply(reply)}, not ${this.#options.buckets.length} bucket states and the breaker`);
          }
          const states = this.#options.buckets.map((_, index) => this.#bucketState(reply[index]));
          const breaker = breakerValue(reply[this.#options.buckets.length]);
          return () => {
            this.#options.buckets.forEach((bucket, index) => this.#applyBucket(bucket, states[index]));
            this.#applyBreaker(breaker);
          };
        },
      );
    } finally {
      this.#refreshing = false;
    }
  }

  /** Resolves true once the shared view is in use, false after `timeoutMs`. */
  async ready(timeoutMs: number): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (!this.available() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    return this.available();
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#redis.disconnect();
  }

  /**
   * Runs a command unless Redis is in its cool-down after a failure (then undefined at once, no round
   * trip). `check` reads the reply whole, throwing RedisWrongReplyError for a shape the command cannot
   * answer, and returns what applies it; only a reply found right is applied. Undefined when the
   * command failed (then the view is out of use until Redis answers well again). Replies on one
   * connection come in the order Redis ran the commands, so each reply is the newest state of what it
   * read; a timed-out or wrong reply resets the connection, so no later command reads its reply.
   */
  async #command<T>(send: () => Promise<unknown>, check: (reply: unknown) => () => T): Promise<T | undefined> {
    if (!this.#health.usable()) return undefined;
    // Not connected: ioredis would refuse at once (no offline queue); why is recorded by its 'error' event.
    if (this.#redis.status !== 'ready') return undefined;
    try {
      const apply = check(await send());
      this.#health.succeeded();
      if (!this.#everRead) {
        this.#everRead = true;
        this.#options.logger.info('upstream state shared through redis: rate-limit buckets and breaker are workspace-wide');
      }
      return apply();
    } catch (error) {
      this.#fail(error);
      return undefined;
    }
  }

  #fail(error: unknown): void {
    if (leavesRepliesOutOfStep(this.#health.failed(error))) resync(this.#redis);
  }

  #applyBucket(bucket: string, state: SharedBucketState | undefined): void {
    if (state === undefined) this.#states.delete(bucket);
    else this.#states.set(bucket, state);
  }

  /** A bucket's state read from Redis, when its figures are ones a replica can have written (else none, counted). */
  #bucketState(reply: unknown): SharedBucketState | undefined {
    const shape = bucketShape(reply);
    if (shape === null) return undefined;
    const state = parseBucketState(shape, this.#options.now());
    if (state === undefined) this.#health.rejected('a rate-limit figure no replica can have written');
    return state;
  }

  #applyBreaker(reply: string | null): void {
    const value = reply === null ? Number.NaN : Number(reply);
    // No replica opens the circuit for longer than the longest cool-down it can be configured with: a
    // later open-until (1e300, say) is not one, and would keep every replica failing fast for good.
    const plausible = Number.isSafeInteger(value) && value > 0 && value <= this.#options.now() + LONGEST_OPEN_MS;
    if (reply !== null && !plausible) this.#health.rejected('a breaker open-until no replica can have written');
    const openUntil = plausible ? value : undefined;
    if (openUntil !== undefined && openUntil !== this.#breakerOpenUntil && openUntil !== this.#publishedOpenUntil && openUntil > this.#options.now()) {
      this.#options.logger.warn('braze circuit open (opened by another replica)', { circuit: { state: 'open', retryAt: new Date(openUntil).toISOString() } });
    }
    this.#breakerOpenUntil = openUntil;
  }
}

/**
 * A bucket's state as the scripts return it, checked for its shape (nil, or six values that are text):
 * anything else is a wrong reply. Whether the figures are plausible is parseBucketState's to say.
 */
function bucketShape(reply: unknown): unknown[] | null {
  if (reply === null) return null;
  if (!Array.isArray(reply) || reply.length !== 6 || !reply.every((value) => typeof value === 'string' || value === null)) {
    throw new RedisWrongReplyError(`a bucket's state came as ${describeReply(reply)}, not six values`);
  }
  return reply;
}

/** The breaker's open-until as GET returns it: text or nil; anything else is a wrong reply. */
function breakerValue(reply: unknown): string | null {
  if (reply !== null && typeof reply !== 'string') throw new RedisWrongReplyError(`the breaker came as ${describeReply(reply)}, not text or nil`);
  return reply;
}

/** DEL answers how many keys it deleted. */
function deleted(reply: unknown): () => void {
  if (typeof reply !== 'number' || !Number.isSafeInteger(reply) || reply < 0) throw new RedisWrongReplyError(`DEL answered ${describeReply(reply)}, not a count`);
  return () => undefined;
}

/** BRAZE_BREAKER_COOLDOWN_MS's largest value (an hour), and the clock skew allowed between replicas. */
const LONGEST_OPEN_MS = 3_600_000 + 5 * 60_000;

const BREAKER_KEY = 'breaker';
const PROBE_KEY = 'breaker:probe';

/** A bucket's keys, in the scripts' order. */
function keys(bucket: string): string[] {
  return ['figure', 'seq', 'wire', 'lost'].map((part) => `ratelimit:${bucket}:${part}`);
}
