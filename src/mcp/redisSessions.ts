import type { Redis, Result } from 'ioredis';
import { createRedisConnection, describeReply, RedisWrongReplyError, resync } from '../redis/connection.js';
import { leavesRepliesOutOfStep, RedisHealth, type SharedStoreStatus } from '../redis/health.js';
import type { Logger } from '../observability/logger.js';
import type { SharedSession, SharedSessions } from './sharedSessions.js';

/**
 * Three kinds of keys (under `<REDIS_KEY_PREFIX>mcp:`): `sessions`, a sorted set of the open sessions'
 * ids scored by when each expires (so that MCP_MAX_SESSIONS counts every replica's); `caller:<key>`,
 * the same for one caller (MCP_MAX_SESSIONS_PER_CALLER); and `session:<id>`, a hash (caller, limit
 * key, spent) that Redis forgets MCP_SESSION_IDLE_MS after its last use.
 */

/**
 * KEYS: the set, the session, the caller's set. ARGV: now, max sessions, expires at, caller, idle ms,
 * id, max a caller, limit key. 1 opened, 0 all sessions open, 2 the caller's open.
 */
const OPEN = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
if redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[7]) then return 2 end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[6])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[6])
redis.call('PEXPIRE', KEYS[3], ARGV[5])
redis.call('HSET', KEYS[2], 'caller', ARGV[4], 'spent', '0', 'limit', ARGV[8])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
return 1`;

/**
 * KEYS: the set, the session, the asking caller's set. ARGV: expires at, idle ms, id, the asking
 * caller's limit key. [caller, spent], or nil (its expiry is then dropped from the set). The caller's
 * set is kept current only when the session counts there.
 */
const USE = `
local session = redis.call('HMGET', KEYS[2], 'caller', 'spent', 'limit')
if not session[1] then
  redis.call('ZREM', KEYS[1], ARGV[3])
  return false
end
redis.call('PEXPIRE', KEYS[2], ARGV[2])
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
if session[3] == ARGV[4] then
  redis.call('ZADD', KEYS[3], ARGV[1], ARGV[3])
  redis.call('PEXPIRE', KEYS[3], ARGV[2])
end
return {session[1], session[2]}`;

/** KEYS: the session. ARGV: calls. The total after, or nil when the session is gone (not created again). */
const ADD = `
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
return redis.call('HINCRBY', KEYS[1], 'spent', ARGV[1])`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    openMcpSession(
      set: string,
      session: string,
      callerSet: string,
      now: string,
      max: string,
      expiresAt: string,
      caller: string,
      idleMs: string,
      id: string,
      maxPerCaller: string,
      limitKey: string,
    ): Result<unknown, Context>;
    useMcpSession(set: string, session: string, callerSet: string, expiresAt: string, idleMs: string, id: string, limitKey: string): Result<unknown, Context>;
    addMcpSpending(session: string, calls: string): Result<unknown, Context>;
  }
}

export interface RedisSessionsOptions {
  readonly url: string;
  readonly keyPrefix: string;
  readonly logger: Logger;
  readonly maxSessions: number;
  readonly maxSessionsPerCaller: number;
  readonly idleMs: number;
  /** A command slower than this fails, and the replica goes on with what it knows. Default 250 ms. */
  readonly commandTimeoutMs?: number;
  readonly now?: () => number;
}

/** The longest caller key a replica writes (`jwt:` and a digest, `token:` and an index), with room. */
const MAX_CALLER_LENGTH = 200;
/** Spending no session can have reached (a budget is at most MCP_SESSION_BUDGET's maximum, plus one request). */
const MAX_SPENT = 1e12;

/**
 * MCP sessions in Redis, so that every replica answers every session (src/mcp/sharedSessions.ts).
 * Redis down, slow or answering nonsense: each method answers undefined at once (after the first
 * failure, Redis is left alone for a second), the outage is logged once and shown in `/health` as
 * `redis.mcpSessions`, and the endpoint goes on with this replica's own sessions meanwhile. Every reply
 * is checked before it is used: a value no replica can have written is refused and counted.
 */
export class RedisSessions implements SharedSessions {
  readonly #redis: Redis;
  readonly #health: RedisHealth;
  readonly #options: Required<Omit<RedisSessionsOptions, 'url' | 'keyPrefix' | 'logger'>>;

  constructor({ url, keyPrefix, logger, commandTimeoutMs = 250, now = Date.now, maxSessions, maxSessionsPerCaller, idleMs }: RedisSessionsOptions) {
    this.#options = { commandTimeoutMs, now, maxSessions, maxSessionsPerCaller, idleMs };
    this.#health = new RedisHealth({ part: 'mcp sessions in redis', fallback: "each replica answers only the MCP sessions it knows meanwhile", logger });
    this.#redis = createRedisConnection(url, { keyPrefix: `${keyPrefix}mcp:`, commandTimeoutMs });
    this.#redis.defineCommand('openMcpSession', { numberOfKeys: 3, lua: OPEN });
    this.#redis.defineCommand('useMcpSession', { numberOfKeys: 3, lua: USE });
    this.#redis.defineCommand('addMcpSpending', { numberOfKeys: 1, lua: ADD });
    // Without a listener, ioredis' connection errors would be unhandled 'error' events.
    this.#redis.on('error', (error: unknown) => this.#fail(error));
  }

  open(id: string, caller: string, limitKey: string): Promise<'opened' | 'full' | 'caller-full' | undefined> {
    const now = this.#options.now();
    const { maxSessions, maxSessionsPerCaller, idleMs } = this.#options;
    return this.#command(
      () =>
        this.#redis.openMcpSession(
          SET_KEY,
          sessionKey(id),
          callerSetKey(limitKey),
          String(now),
          String(maxSessions),
          String(now + idleMs),
          caller,
          String(idleMs),
          id,
          String(maxSessionsPerCaller),
          limitKey,
        ),
      (reply) => {
        if (reply !== 0 && reply !== 1 && reply !== 2) throw new RedisWrongReplyError(`the open script answered ${describeReply(reply)}, not 0, 1 or 2`);
        return reply === 1 ? 'opened' : reply === 2 ? 'caller-full' : 'full';
      },
    );
  }

  use(id: string, limitKey: string): Promise<SharedSession | null | undefined> {
    const { idleMs } = this.#options;
    return this.#command(
      () => this.#redis.useMcpSession(SET_KEY, sessionKey(id), callerSetKey(limitKey), String(this.#options.now() + idleMs), String(idleMs), id, limitKey),
      (reply) => {
        if (reply === null) return null;
        if (!Array.isArray(reply) || reply.length !== 2) throw new RedisWrongReplyError(`the use script answered ${describeReply(reply)}, not [caller, spent]`);
        const [caller, spent] = reply as unknown[];
        if (typeof caller !== 'string' || caller.length === 0 || caller.length > MAX_CALLER_LENGTH) {
          this.#health.rejected('an MCP session owner no replica can have written');
          return null;
        }
        // Not a session a replica wrote: none (the caller initializes a new one); counted as refused.
        const count = this.#spentValue(spent ?? '0');
        if (count === undefined) return null;
        return { caller, spent: count };
      },
    );
  }

  async spent(id: string): Promise<number | undefined> {
    return this.#command(
      () => this.#redis.hget(sessionKey(id), 'spent'),
      (reply) => (reply === null ? undefined : this.#spentValue(reply)),
    );
  }

  async add(id: string, calls: number): Promise<number | undefined> {
    return this.#command(
      () => this.#redis.addMcpSpending(sessionKey(id), String(calls)),
      (reply) => (reply === null ? undefined : this.#spentValue(reply)),
    );
  }

  async close(id: string, limitKey: string): Promise<void> {
    await this.#command(
      () => this.#redis.multi().del(sessionKey(id)).zrem(SET_KEY, id).zrem(callerSetKey(limitKey), id).exec(),
      () => undefined,
    );
  }

  status(): SharedStoreStatus {
    return this.#health.status();
  }

  /** Resolves true once Redis is connected, false after `timeoutMs` (the sessions are then this replica's until it is). */
  async ready(timeoutMs: number): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (this.#redis.status !== 'ready' && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    return this.#redis.status === 'ready';
  }

  async disconnect(): Promise<void> {
    this.#redis.disconnect();
  }

  /** A count of calls as Redis keeps it (text or integer); undefined, counted as refused, when no replica can have written it. */
  #spentValue(value: unknown): number | undefined {
    const count = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,13}$/.test(value) ? Number(value) : Number.NaN;
    if (Number.isSafeInteger(count) && count >= 0 && count <= MAX_SPENT) return count;
    this.#health.rejected('a spent budget no replica can have written');
    return undefined;
  }

  /** Runs a command unless Redis is in its cool-down or not connected (undefined at once); undefined when it failed. */
  async #command<T>(send: () => Promise<unknown>, check: (reply: unknown) => T): Promise<T | undefined> {
    if (!this.#health.usable() || this.#redis.status !== 'ready') return undefined;
    try {
      const value = check(await send());
      this.#health.succeeded();
      return value;
    } catch (error) {
      this.#fail(error);
      return undefined;
    }
  }

  #fail(error: unknown): void {
    if (leavesRepliesOutOfStep(this.#health.failed(error))) resync(this.#redis);
  }
}

const SET_KEY = 'sessions';

/** A caller's limit key is ours (callerKey, a digest, or a peer address), short and without spaces. */
function callerSetKey(limitKey: string): string {
  return `caller:${limitKey}`;
}

/** A session id is a UUID the endpoint made, or was sent one checked as such (httpEndpoint.ts). */
function sessionKey(id: string): string {
  return `session:${id}`;
}
