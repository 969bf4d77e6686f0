import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { ClientContext, Result } from 'ioredis';
import type { CallCodec, Cached } from '../data/cache.js';
import type { FlightResult, FlightTask, SharedFlight } from '../data/sharedFlight.js';
import { UpstreamUnavailableError } from '../errors/gatewayErrors.js';
import type { Logger } from '../observability/logger.js';
import { createRedisConnection, describeReply, RedisWrongReplyError, resync } from '../redis/connection.js';
import { leavesRepliesOutOfStep, RedisHealth } from '../redis/health.js';
import { redisReady } from '../redis/ready.js';
import { decode, toStored, type Stored } from './wire.js';

declare module 'ioredis' {
  interface RedisCommander<Context extends ClientContext = { type: 'default' }> {
    /** -1: the lock is now ours; otherwise the holder's remaining milliseconds (0: retry now). */
    flightAcquire(lockKey: string, token: string, ttlMs: number): Result<number, Context>;
    /** 1 when our lock was deleted; 0 when it had expired or another replica holds it now. */
    flightRelease(lockKey: string, token: string): Result<number, Context>;
  }
}

/** Takes the lock, or tells how long it is still held, in one atomic step. */
const ACQUIRE = `if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return -1 end
return math.max(redis.call('PTTL', KEYS[1]), 0)`;
/** Deletes the lock only while it is still ours: an expired lock may already be another replica's. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export interface RedisFlightOptions {
  url: string;
  /** The cache's prefix: lock keys are `<prefix>flight:lock:<key>`, channels `<prefix>flight:<key>`. */
  keyPrefix: string;
  logger: Logger;
  /**
   * How long a replica may hold a key's lock before another takes over: the Braze call's whole deadline
   * (BRAZE_TIMEOUT_MS) plus a margin, so a live holder never loses it mid-call (see lockTtlFor).
   */
  lockTtlMs: number;
  /** A lock or subscribe command that takes longer means Redis is unusable: the call is made here. Default 250 ms. */
  commandTimeoutMs?: number;
  /** While a request waits for another replica, Redis is pinged this often so a stalled Redis is noticed. Default 500 ms. */
  pingIntervalMs?: number;
}

/** Added to BRAZE_TIMEOUT_MS for the lock's TTL: the cache write and the release after the call, and expiry jitter. */
export const LOCK_MARGIN_MS = 1_000;

export function lockTtlFor(brazeTimeoutMs: number): number {
  return brazeTimeoutMs + LOCK_MARGIN_MS;
}

/**
 * The longest a load waits on Redis and other replicas' calls, whatever Redis answers: two lifetimes
 * of a lock (each a live holder's whole Braze deadline, then its cache write and notice), so that a
 * holder that died, and the waiter that takes over when its lock expires, are both waited for (one
 * call for every replica) before any waiter gives up and calls Braze on its own.
 */
export function patienceFor(brazeTimeoutMs: number): number {
  return 2 * lockTtlFor(brazeTimeoutMs);
}

/** A waiter tries the lock again this long after its holder's TTL: Redis expires keys on its own clock. */
const EXPIRY_SLACK_MS = 20;
/** Shortest wait between two tries of a held lock, so a lock without expiry (not ours) cannot spin the loop. */
const MIN_WAIT_MS = 10;
/** The longest notice read (characters): a longer one is refused unread, as the cache refuses a longer value. */
const MAX_NOTICE_CHARS = 16 * 1024 * 1024;

/** What the holder publishes on the key's channel: the key itself, and the answer or the news that there is none. */
type Notice = ({ ok: true } & Stored) | { k: string; ok: false };

/** Why a waiting request woke up. */
type Wake = { kind: 'notice'; text: string } | { kind: 'expired' } | { kind: 'lost' } | { kind: 'aborted' } | { kind: 'impatient' };

/** A waiting request's inbox: notices that arrive while it is busy elsewhere are kept for its next wait. */
class Mailbox {
  readonly #pending: Wake[] = [];
  #deliver: ((wake: Wake) => void) | undefined;

  readonly post = (wake: Wake): void => {
    if (this.#deliver) this.#deliver(wake);
    else this.#pending.push(wake);
  };

  next(timeoutMs: number, signal: AbortSignal, patience: AbortSignal): Promise<Wake> {
    const queued = this.#pending.shift();
    if (queued) return Promise.resolve(queued);
    if (signal.aborted) return Promise.resolve({ kind: 'aborted' });
    if (patience.aborted) return Promise.resolve({ kind: 'impatient' });
    return new Promise((resolve) => {
      const done = (wake: Wake): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        patience.removeEventListener('abort', onImpatient);
        this.#deliver = undefined;
        resolve(wake);
      };
      const onAbort = (): void => done({ kind: 'aborted' });
      const onImpatient = (): void => done({ kind: 'impatient' });
      const timer = setTimeout(() => done({ kind: 'expired' }), timeoutMs);
      signal.addEventListener('abort', onAbort, { once: true });
      patience.addEventListener('abort', onImpatient, { once: true });
      this.#deliver = done;
    });
  }
}

/** The holder's remaining milliseconds (-1: the lock is ours) as the acquire script returns them; anything else is a wrong reply. */
function heldFor(reply: unknown): number {
  if (typeof reply !== 'number' || !Number.isSafeInteger(reply) || reply < -1) throw new RedisWrongReplyError(`the lock script answered ${describeReply(reply)}, not a number of milliseconds`);
  return reply;
}

/** Throws unless `reply` is what `what` answers: a count (integer ≥ 0) by default. */
function expectCount(reply: unknown, what: string): void {
  if (typeof reply !== 'number' || !Number.isSafeInteger(reply) || reply < 0) throw new RedisWrongReplyError(`${what} answered ${describeReply(reply)}, not a count`);
}

/**
 * Single flight across replicas through Redis: a lock per answer key (SET NX PX, released by a
 * compare-and-delete script) and a pub/sub channel per key on which the holder publishes the answer.
 * A request that finds the lock held subscribes, checks the cache once more (the answer may have been
 * stored before it listened), and waits for the notice, the lock's expiry (then one waiter takes the
 * lock: its holder died), its own signal, or its patience (the load's deadline: then it calls Braze
 * here). A failed call is announced too: waiters do not sit until the expiry, one of them takes the
 * lock and tries.
 *
 * Redis down, slow, gone mid-wait or answering what its commands cannot answer (a wrong type, a
 * number that is no lock's): the request calls Braze here, as one replica alone would (InflightCalls
 * still shares that call within the process). One log line per outage, `/health` says so, Redis is
 * left alone for a second after each failure; ioredis reconnects by itself and the flight resumes. A
 * notice that is not a valid answer for its key (another key's, forged, more points than the call
 * asked for) is no answer: the waiter goes back to the lock.
 */
export function createRedisFlight({ url, keyPrefix, logger, lockTtlMs, commandTimeoutMs = 250, pingIntervalMs = 500 }: RedisFlightOptions): SharedFlight {
  const health = new RedisHealth({ part: 'redis single flight', fallback: 'each replica calls Braze on its own meanwhile', logger });
  const commands = createRedisConnection(url, { keyPrefix, commandTimeoutMs });
  // Subscriber mode needs a connection of its own. Nothing is resubscribed after a reconnect: every
  // waiter was sent to Braze when the connection closed, and subscribes again on its next miss.
  const subscriber = createRedisConnection(url, { commandTimeoutMs, autoResubscribe: false });
  commands.defineCommand('flightAcquire', { numberOfKeys: 1, lua: ACQUIRE });
  commands.defineCommand('flightRelease', { numberOfKeys: 1, lua: RELEASE });

  const waiting = new Set<Mailbox>();
  const channels = new Map<string, { readonly mailboxes: Set<Mailbox>; readonly subscribed: Promise<unknown> }>();

  const loseEveryWaiter = (): void => {
    for (const mailbox of waiting) mailbox.post({ kind: 'lost' });
  };
  /** A command on `connection` failed: every waiter calls Braze here; a connection out of step is reset. */
  const trouble = (error: unknown, connection = commands): void => {
    loseEveryWaiter();
    if (leavesRepliesOutOfStep(health.failed(error))) resync(connection);
  };
  // Without listeners, ioredis' connection errors would be unhandled 'error' events.
  commands.on('error', (error: unknown) => trouble(error));
  subscriber.on('error', (error: unknown) => trouble(error, subscriber));
  let closing = false;
  const closed = new Error('connection to Redis closed');
  commands.on('close', () => {
    if (!closing) trouble(closed);
  });
  subscriber.on('close', () => {
    // Its subscriptions went with it; every waiter calls Braze here instead.
    channels.clear();
    if (!closing) trouble(closed, subscriber);
  });
  subscriber.on('message', (channel: string, text: string) => {
    for (const mailbox of channels.get(channel)?.mailboxes ?? []) mailbox.post({ kind: 'notice', text });
  });

  // A stalled Redis answers nothing and closes nothing: while a request waits on another replica, a
  // PING that times out (or is answered with anything but PONG) says so, and the request calls Braze
  // here instead of waiting for the lock's expiry.
  let pinger: NodeJS.Timeout | undefined;
  const watch = (mailbox: Mailbox): void => {
    waiting.add(mailbox);
    pinger ??= setInterval(() => {
      commands.ping().then(
        (reply: unknown) => {
          if (reply === 'PONG') health.succeeded();
          else trouble(new RedisWrongReplyError(`PING answered ${describeReply(reply)}, not PONG`));
        },
        (error: unknown) => trouble(error),
      );
    }, pingIntervalMs).unref();
  };
  const unwatch = (mailbox: Mailbox): void => {
    waiting.delete(mailbox);
    if (waiting.size === 0 && pinger) {
      clearInterval(pinger);
      pinger = undefined;
    }
  };

  const usable = (): boolean => commands.status === 'ready' && subscriber.status === 'ready' && health.usable();

  /** Listens on `channel` for `mailbox`; the returned function stops listening. */
  const listen = async (channel: string, mailbox: Mailbox): Promise<() => void> => {
    let entry = channels.get(channel);
    if (!entry) {
      // ioredis resolves a SUBSCRIBE with the number of channels now subscribed. When its reply makes
      // ioredis throw, the command has already left its queue: the connection closes (see
      // redisConnection.ts) but the SUBSCRIBE would wait for its timeout; the close ends it at once.
      const subscribed = new Promise<unknown>((resolve, reject) => {
        const onClose = (): void => reject(closed);
        subscriber.once('close', onClose);
        subscriber
          .subscribe(channel)
          .then(resolve, reject)
          .finally(() => subscriber.off('close', onClose));
      }).then((reply) => expectCount(reply, 'SUBSCRIBE'));
      const created = { mailboxes: new Set<Mailbox>(), subscribed };
      created.subscribed.catch(() => {
        if (channels.get(channel) === created) channels.delete(channel);
      });
      channels.set(channel, created);
      entry = created;
    }
    const joined = entry;
    joined.mailboxes.add(mailbox);
    try {
      await joined.subscribed;
    } catch (error) {
      joined.mailboxes.delete(mailbox);
      throw error;
    }
    return () => {
      joined.mailboxes.delete(mailbox);
      if (joined.mailboxes.size > 0 || channels.get(channel) !== joined) return;
      channels.delete(channel);
      subscriber.unsubscribe(channel).catch(() => undefined);
    };
  };

  /** The answer a notice carries, only if it is this key's and valid for its call: anything else is no answer. */
  const answerIn = <Answer>(text: string, key: string, codec: CallCodec<Answer>): Cached<Answer> | undefined => {
    const read = decode(text, key, codec, Date.now(), MAX_NOTICE_CHARS);
    if (read.kind === 'answer') return read.value;
    // The holder's news that its call failed is no answer, and nothing wrong.
    if (read.kind === 'foreign' && isFailureNotice(text, key)) return undefined;
    health.rejected(read.kind === 'rejected' ? `a notice ${read.why}` : 'a notice that is not one');
    return undefined;
  };

  /** After the holder's call: store, release, then announce. Release before the notice, so a request that subscribed too late finds the lock free. */
  const finish = async <Answer>(key: string, lockKey: string, token: string, task: FlightTask<Answer>, value: Cached<Answer> | undefined, stored: boolean): Promise<void> => {
    if (value && !stored) await task.store(value);
    const wire = value ? toStored(key, value, task.codec) : undefined;
    // An answer with no body to send is told as a failure: the waiters look in the cache, then call.
    const notice: Notice = wire ? { ...wire, ok: true } : { k: key, ok: false };
    // One connection: Redis runs them in this order without waiting for the first reply.
    const released = (reply: unknown): void => {
      if (reply !== 0 && reply !== 1) throw new RedisWrongReplyError(`the release script answered ${describeReply(reply)}, not 0 or 1`);
    };
    await Promise.all([
      commands.flightRelease(lockKey, token).then(released).catch((error: unknown) => trouble(error)),
      commands
        .publish(`${keyPrefix}flight:${key}`, JSON.stringify(notice))
        .then((reply: unknown) => expectCount(reply, 'PUBLISH'))
        .catch((error: unknown) => trouble(error)),
    ]);
  };

  const hold = async <Answer>(key: string, lockKey: string, token: string, task: FlightTask<Answer>, signal: AbortSignal): Promise<FlightResult<Answer>> => {
    let value: Cached<Answer> | undefined;
    try {
      // The previous holder may have stored the answer and released between our miss and our lock.
      const cached = await task.lookup?.();
      if (cached) {
        value = cached;
        void finish(key, lockKey, token, task, value, true);
        return { value, fromReplica: true };
      }
      value = await task.call(signal);
    } catch (error) {
      void finish(key, lockKey, token, task, undefined, false);
      throw error;
    }
    // Not awaited: this request's answer does not wait for the cache write or the notice.
    void finish(key, lockKey, token, task, value, false);
    return { value, fromReplica: false };
  };

  const alone = async <Answer>(task: FlightTask<Answer>, signal: AbortSignal): Promise<FlightResult<Answer>> => {
    const value = await task.call(signal);
    void task.store(value);
    return { value, fromReplica: false };
  };

  return {
    async run(key, task, signal) {
      if (!usable()) return alone(task, signal);
      const lockKey = `flight:lock:${key}`;
      // Names its process, for whoever inspects a lock in Redis.
      const token = `${hostname()}:${process.pid}:${randomUUID()}`;
      const mailbox = new Mailbox();
      let stopListening: (() => void) | undefined;
      try {
        for (;;) {
          if (signal.aborted) throw new UpstreamUnavailableError('The request was cancelled before Braze answered');
          // Waited as long as the load may: Braze is asked here, whatever the other replicas do.
          if (task.patience.aborted) return await alone(task, signal);
          let heldForMs: number;
          try {
            heldForMs = heldFor(await commands.flightAcquire(lockKey, token, lockTtlMs));
          } catch (error) {
            trouble(error);
            return await alone(task, signal);
          }
          health.succeeded();
          if (heldForMs === -1) return await hold(key, lockKey, token, task, signal);
          if (!stopListening) {
            try {
              stopListening = await listen(`${keyPrefix}flight:${key}`, mailbox);
              watch(mailbox);
            } catch (error) {
              trouble(error, subscriber);
              return await alone(task, signal);
            }
            // The holder may have stored its answer before we listened; or it has released since: try again.
            const cached = await task.lookup?.();
            if (cached) return { value: cached, fromReplica: true };
            continue;
          }
          const wake = await mailbox.next(Math.max(heldForMs, MIN_WAIT_MS) + EXPIRY_SLACK_MS, signal, task.patience);
          if (wake.kind === 'notice') {
            const answer = answerIn(wake.text, key, task.codec);
            if (answer) return { value: answer, fromReplica: true };
            // The holder failed (or wrote what this version cannot read): one waiter takes the lock and calls.
          } else if (wake.kind === 'lost' || wake.kind === 'impatient') {
            return await alone(task, signal);
          }
          // 'expired': the holder is gone; 'aborted': the loop's first line throws.
        }
      } finally {
        if (stopListening) {
          stopListening();
          unwatch(mailbox);
        }
      }
    },
    ready(timeoutMs) {
      return Promise.all([redisReady(commands, timeoutMs), redisReady(subscriber, timeoutMs)]).then(([a, b]) => a && b);
    },
    status: () => health.status(),
    async close() {
      closing = true;
      if (pinger) clearInterval(pinger);
      commands.disconnect();
      subscriber.disconnect();
    },
  };
}

/** Whether `text` is a holder's notice that its call for `key` failed (`{"k": key, "ok": false}`). */
function isFailureNotice(text: string, key: string): boolean {
  try {
    const notice = JSON.parse(text) as unknown;
    return typeof notice === 'object' && notice !== null && (notice as Record<string, unknown>)['k'] === key && (notice as Record<string, unknown>)['ok'] === false;
  } catch {
    return false;
  }
}
