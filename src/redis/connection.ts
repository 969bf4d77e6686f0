import { createConnection, type Socket } from 'node:net';
import { connect as connectTls, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { AbstractConnector, Redis, type RedisOptions } from 'ioredis';

/**
 * A reply ioredis could not read (bytes that are not RESP, or a well-formed reply its own handling
 * trips over): the connection is dropped and reconnected, never the process.
 */
export class RedisProtocolError extends Error {
  override readonly name = 'RedisProtocolError';
}

/** A reply of a type or value the command cannot answer (a string where a number is due, say). */
export class RedisWrongReplyError extends Error {
  override readonly name = 'RedisWrongReplyError';
}

/** What the connector reads of ioredis' options (the URL's host, port, socket path and TLS settings). */
interface ConnectOptions {
  readonly host?: string;
  readonly port?: number;
  readonly path?: string | null;
  readonly family?: number;
  readonly tls?: ConnectionOptions;
  readonly disconnectTimeout?: number;
}

/**
 * ioredis' own connector (StandaloneConnector), with one difference: the socket's `data` events are
 * guarded. ioredis reads replies inside the socket's `data` listener, and some replies make its reply
 * handling throw: `:1` answering SUBSCRIBE (`reply[1].toString()` of a number, DataHandler.js), a nil
 * or empty array where a pub/sub message is expected, a nil reply with no command waiting. Thrown
 * there, the TypeError reaches no caller: it is an uncaught exception and the process exits. Here it
 * destroys the socket instead, with a RedisProtocolError: ioredis rejects what was waiting on the
 * connection, emits `error` (logged by the owner) and reconnects by its retry strategy.
 */
class GuardedConnector extends AbstractConnector {
  readonly #options: ConnectOptions;

  constructor(options: unknown) {
    const connectOptions = options as ConnectOptions;
    super(connectOptions.disconnectTimeout ?? 2_000);
    this.#options = connectOptions;
  }

  connect(): Promise<Socket | TLSSocket> {
    this.connecting = true;
    const { host, port, path, family, tls } = this.#options;
    return new Promise((resolve, reject) => {
      // As ioredis does: the socket is created on the next tick, unless disconnect() came first.
      process.nextTick(() => {
        if (!this.connecting) return reject(new Error('Connection is closed.'));
        let socket: Socket | TLSSocket;
        try {
          const target = path ? { path } : { ...(port !== undefined ? { port } : {}), ...(host !== undefined ? { host } : {}), ...(family !== undefined ? { family } : {}) };
          socket = tls ? connectTls({ ...target, ...tls }) : createConnection(target as Parameters<typeof createConnection>[0]);
        } catch (error) {
          return reject(error as Error);
        }
        guardReplies(socket);
        socket.once('error', (error) => {
          this.firstError = error;
        });
        this.stream = socket;
        resolve(socket);
      });
    });
  }
}

/** Turns a throw inside a `data` listener into the socket's destruction (see GuardedConnector). */
function guardReplies(socket: Socket): void {
  const emit = socket.emit.bind(socket) as (event: string | symbol, ...args: unknown[]) => boolean;
  // An own property on this one socket (the stream calls `this.emit('data', …)`): nothing else changes.
  socket.emit = ((event: string | symbol, ...args: unknown[]): boolean => {
    if (event !== 'data') return emit(event, ...args);
    try {
      return emit(event, ...args);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      socket.destroy(new RedisProtocolError(`unreadable reply from Redis (${reason})`));
      return true;
    }
  }) as Socket['emit'];
}

export interface RedisConnectionOptions {
  readonly keyPrefix?: string;
  /** A command that takes longer fails (and the connection is reset by its owner: see resync). */
  readonly commandTimeoutMs: number;
  /** Subscriber connections: false, channels are not resubscribed after a reconnect. */
  readonly autoResubscribe?: boolean;
}

/**
 * One connection to Redis as every part of the gateway uses it: commands fail fast while disconnected
 * instead of queueing (a queued command would stall a request), each command is bounded by
 * `commandTimeoutMs`, ioredis keeps reconnecting (at most every 2 s), and no reply can crash the
 * process. The caller must listen to `error`.
 */
export function createRedisConnection(url: string, { keyPrefix, commandTimeoutMs, autoResubscribe }: RedisConnectionOptions): Redis {
  const options: RedisOptions = {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: commandTimeoutMs,
    connectTimeout: 1_000,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    Connector: GuardedConnector,
    ...(keyPrefix !== undefined ? { keyPrefix } : {}),
    ...(autoResubscribe !== undefined ? { autoResubscribe } : {}),
  };
  return new Redis(url, options);
}

/**
 * After a command timed out or got a reply it cannot have, the connection's replies may be out of step
 * with its commands (ioredis gives the late reply of a timed-out command to the next one): it is
 * dropped and reconnected, so no later command reads an earlier one's reply.
 */
export function resync(connection: Redis): void {
  if (connection.status === 'ready' || connection.status === 'connect') connection.disconnect(true);
}

/** A reply's type, for a log line: never its content (a hostile server chooses it). */
export function describeReply(reply: unknown): string {
  if (reply === null) return 'nil';
  if (Array.isArray(reply)) return `an array of ${reply.length}`;
  if (typeof reply === 'string') return `a string of ${reply.length} characters`;
  return `a ${typeof reply}`;
}
