import { Redis, type Result } from 'ioredis';
import type { Logger } from '../logger.js';
import { BUCKETS, type BucketName } from './buckets.js';
import { parseBucketState, type SharedBucketState } from './sharedFigure.js';

/** At most one "Redis is unreachable" line per this interval: an outage must not flood the log. */
const ERROR_LOG_INTERVAL_MS = 10_000;
/** A bucket's figure is kept this long past its reset, then Redis forgets it by itself. */
const KEEP_AFTER_RESET_MS = 60_000;

const FIELDS = "'limit', 'remaining', 'resetAt', 'observedAt', 'sent', 'lost'";

/** One call written to a socket: +1 on the wire, under the current figure (none: nothing to count against). */
const COUNT_CALL = `
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
redis.call('HINCRBY', KEYS[1], 'sent', 1)
return redis.call('HMGET', KEYS[1], ${FIELDS})`;

/**
 * A call's outcome. ARGV: the figure it was counted under (resetAt, remaining; empty when it was not
 * counted), '1' when its answer brought a figure, then that figure (limit, remaining, resetAt,
 * observedAt) and how long to keep it past its reset. A newer figure (isNewerFigure in sharedFigure.ts:
 * a later reset, or a lower remaining in the same window) replaces the current one and zeroes the
 * counts, which it includes. Otherwise, when the figure it was counted under is still the current one,
 * the call leaves the wire: lost when no figure came with it; when one did, Braze's counter had it
 * before the current figure's call, which already includes it.
 */
const SETTLE_CALL = `
local state = redis.call('HMGET', KEYS[1], ${FIELDS})
local currentReset = tonumber(state[3])
local currentRemaining = tonumber(state[2])
if ARGV[3] == '1' then
  local remaining = tonumber(ARGV[5])
  local resetAt = tonumber(ARGV[6])
  if currentReset == nil or currentRemaining == nil or resetAt > currentReset or (resetAt == currentReset and remaining < currentRemaining) then
    redis.call('HSET', KEYS[1], 'limit', ARGV[4], 'remaining', ARGV[5], 'resetAt', ARGV[6], 'observedAt', ARGV[7], 'sent', 0, 'lost', 0)
    redis.call('PEXPIREAT', KEYS[1], resetAt + tonumber(ARGV[8]))
    return {ARGV[4], ARGV[5], ARGV[6], ARGV[7], '0', '0'}
  end
end
if currentReset ~= nil and ARGV[1] == state[3] and ARGV[2] == state[2] then
  if (tonumber(state[5]) or 0) > 0 then redis.call('HINCRBY', KEYS[1], 'sent', -1) end
  if ARGV[3] ~= '1' then redis.call('HINCRBY', KEYS[1], 'lost', 1) end
  return redis.call('HMGET', KEYS[1], ${FIELDS})
end
return state`;

/** Every bucket's state (KEYS but the last), then the breaker's open-until (the last KEY), in one round trip. */
const READ_ALL = `
local out = {}
for i = 1, #KEYS - 1 do out[i] = redis.call('HMGET', KEYS[i], ${FIELDS}) end
out[#KEYS] = redis.call('GET', KEYS[#KEYS])
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
    countCall(key: string): Result<unknown, Context>;
    settleCall(key: string, ...args: string[]): Result<unknown, Context>;
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

/** The figure a call was counted under in Redis, as Redis wrote it (compared as text by SETTLE_CALL). */
type CountedUnder = readonly [resetAt: string, remaining: string];

export interface SharedUpstreamOptions {
  readonly url: string;
  readonly keyPrefix: string;
  readonly logger: Logger;
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
 * or answering nonsense: `available()` turns false at the first failed command (at most the command
 * timeout after it was sent), callers use their own local state meanwhile, the outage is logged at most
 * once per 10 s, and the view comes back by itself at the first successful refresh.
 */
export class SharedUpstreamState {
  readonly #redis: Redis;
  readonly #options: Required<Omit<SharedUpstreamOptions, 'keyPrefix' | 'url'>>;
  readonly #states = new Map<BucketName, SharedBucketState>();
  /** Per bucket: this replica's calls counted in Redis whose reply has not come back. */
  readonly #pending = new Map<BucketName, number>();
  #breakerOpenUntil: number | undefined;
  /** The open-until this replica itself wrote last, so that only another replica's is logged as news. */
  #publishedOpenUntil: number | undefined;
  #available = false;
  #lastErrorLog = Number.NEGATIVE_INFINITY;
  #refreshing = false;
  readonly #timer: NodeJS.Timeout;

  constructor({ url, keyPrefix, commandTimeoutMs = 250, now = Date.now, ...options }: SharedUpstreamOptions) {
    this.#options = { commandTimeoutMs, now, ...options };
    this.#redis = new Redis(url, {
      keyPrefix: `${keyPrefix}upstream:`,
      // Fail fast while disconnected instead of queueing: the caller falls back to local state at once.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: commandTimeoutMs,
      connectTimeout: 1_000,
      // Keep trying to come back, at most every 2 s.
      retryStrategy: (times) => Math.min(times * 200, 2_000),
    });
    this.#redis.defineCommand('countCall', { numberOfKeys: 1, lua: COUNT_CALL });
    this.#redis.defineCommand('settleCall', { numberOfKeys: 1, lua: SETTLE_CALL });
    this.#redis.defineCommand('readAll', { numberOfKeys: BUCKETS.length + 1, lua: READ_ALL });
    this.#redis.defineCommand('openBreaker', { numberOfKeys: 2, lua: OPEN_BREAKER });
    // Without a listener, ioredis' connection errors would be unhandled 'error' events.
    this.#redis.on('error', (error: unknown) => this.#fail(error));
    this.#redis.on('ready', () => void this.refresh());
    this.#timer = setInterval(() => void this.refresh(), options.refreshMs);
    this.#timer.unref();
  }

  /** Whether the shared view is in use; false before the first successful read and during an outage. */
  available(): boolean {
    return this.#available;
  }

  /** The bucket's state in the cached view, and this replica's calls not yet counted in it. */
  bucket(name: BucketName): { readonly state: SharedBucketState | undefined; readonly pending: number } {
    return { state: this.#states.get(name), pending: this.#pending.get(name) ?? 0 };
  }

  /** The breaker's shared open-until (epoch ms) in the cached view: past it, the circuit is half-open. */
  breakerOpenUntil(): number | undefined {
    return this.#breakerOpenUntil;
  }

  /**
   * A call of `bucket` is written to a socket: counted in Redis at once (the returned promise says
   * under which figure, for `settle`); until the reply, it counts in this replica's view as pending.
   */
  count(bucket: BucketName): Promise<CountedUnder | undefined> {
    this.#pending.set(bucket, (this.#pending.get(bucket) ?? 0) + 1);
    return this.#command(this.#redis.countCall(key(bucket)), (reply) => {
      this.#applyBucket(bucket, reply);
      return Array.isArray(reply) && typeof reply[2] === 'string' && typeof reply[1] === 'string' ? ([reply[2], reply[1]] as const) : undefined;
    }).finally(() => this.#pending.set(bucket, (this.#pending.get(bucket) ?? 1) - 1));
  }

  /** A call's outcome: the figure its answer brought, or undefined when it failed without one. */
  async settle(bucket: BucketName, counted: Promise<CountedUnder | undefined> | undefined, figure: ObservedFigure | undefined): Promise<void> {
    const under = await counted;
    if (under === undefined && figure === undefined) return;
    const args = [
      under?.[0] ?? '',
      under?.[1] ?? '',
      figure ? '1' : '0',
      String(figure?.limit ?? 0),
      String(figure?.remaining ?? 0),
      String(figure?.resetAt ?? 0),
      String(this.#options.now()),
      String(KEEP_AFTER_RESET_MS),
    ];
    await this.#command(this.#redis.settleCall(key(bucket), ...args), (reply) => this.#applyBucket(bucket, reply));
  }

  /** This replica's breaker opened (or its probe failed): every replica fails fast until `openUntil`. */
  openBreaker(openUntil: number): void {
    this.#publishedOpenUntil = openUntil;
    const ttlMs = Math.max(1, openUntil - this.#options.now()) + this.#options.probeWindowMs;
    void this.#command(this.#redis.openBreaker(BREAKER_KEY, PROBE_KEY, String(openUntil), String(ttlMs)), (reply) => this.#applyBreaker(reply));
  }

  /** A probe succeeded: the circuit is closed for every replica. */
  closeBreaker(): void {
    this.#breakerOpenUntil = undefined;
    void this.#command(this.#redis.del(BREAKER_KEY, PROBE_KEY), () => undefined);
  }

  /**
   * Takes the one probe of a half-open circuit for this replica: true when it is this replica's, false
   * when another replica holds it, undefined when Redis did not answer (the caller decides alone).
   */
  tryProbe(): Promise<boolean | undefined> {
    return this.#command(this.#redis.set(PROBE_KEY, '1', 'PX', this.#options.probeWindowMs, 'NX'), (reply) => reply === 'OK');
  }

  /** This replica's probe ended without telling anything about Braze: another may probe. */
  releaseProbe(): void {
    void this.#command(this.#redis.del(PROBE_KEY), () => undefined);
  }

  /** Reads every bucket and the breaker again (skipped while a read is under way or Redis is not connected). */
  async refresh(): Promise<void> {
    if (this.#refreshing) return;
    this.#refreshing = true;
    try {
      await this.#command(this.#redis.readAll(...BUCKETS.map(key), BREAKER_KEY), (reply) => {
        if (!Array.isArray(reply)) return;
        BUCKETS.forEach((bucket, index) => this.#applyBucket(bucket, reply[index]));
        this.#applyBreaker(reply[BUCKETS.length]);
      });
    } finally {
      this.#refreshing = false;
    }
  }

  /** Resolves true once the shared view is in use, false after `timeoutMs`. */
  async ready(timeoutMs: number): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (!this.#available && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    return this.#available;
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#redis.disconnect();
  }

  /**
   * Runs a command; its reply applied and mapped, or undefined when it failed (then the view is out of
   * use until a command succeeds). Replies on one connection come in the order Redis ran the commands,
   * so each reply is the newest state of what it read.
   */
  async #command<T>(pending: Promise<unknown>, apply: (reply: unknown) => T): Promise<T | undefined> {
    if (this.#redis.status !== 'ready') {
      // Not connected: ioredis refuses at once (no offline queue); why is logged by its 'error' event.
      pending.catch(() => undefined);
      this.#available = false;
      return undefined;
    }
    try {
      const reply = await pending;
      if (!this.#available) this.#options.logger.info('upstream state shared through redis: rate-limit buckets and breaker are workspace-wide');
      this.#available = true;
      return apply(reply);
    } catch (error) {
      this.#fail(error);
      return undefined;
    }
  }

  #fail(error: unknown): void {
    this.#available = false;
    const now = Date.now();
    if (now - this.#lastErrorLog < ERROR_LOG_INTERVAL_MS) return;
    this.#lastErrorLog = now;
    this.#options.logger.warn('redis unreachable for shared upstream state; this replica uses its own rate-limit view and breaker meanwhile', {
      reason: error instanceof Error ? error.message : String(error),
    });
  }

  #applyBucket(bucket: BucketName, reply: unknown): void {
    const state = parseBucketState(reply);
    if (state === undefined) this.#states.delete(bucket);
    else this.#states.set(bucket, state);
  }

  #applyBreaker(reply: unknown): void {
    const value = typeof reply === 'string' ? Number(reply) : Number.NaN;
    const openUntil = Number.isFinite(value) && value > 0 ? value : undefined;
    if (openUntil !== undefined && openUntil !== this.#breakerOpenUntil && openUntil !== this.#publishedOpenUntil && openUntil > this.#options.now()) {
      this.#options.logger.warn('braze circuit open (opened by another replica)', { circuit: { state: 'open', retryAt: new Date(openUntil).toISOString() } });
    }
    this.#breakerOpenUntil = openUntil;
  }
}

const BREAKER_KEY = 'breaker';
const PROBE_KEY = 'breaker:probe';

function key(bucket: BucketName): string {
  return `ratelimit:${bucket}`;
}
