import type { CallCodec, Cached } from './cache.js';
import type { SharedStoreStatus } from '../redis/health.js';

/** One answer the flight is asked for: how to look for it, how to fetch it, how it travels. */
export interface FlightTask<Answer> {
  /** The endpoint's codec with this call's checks: a notice's answer is checked as strictly as Braze's. */
  readonly codec: CallCodec<Answer>;
  /**
   * The answer if another replica has put it in the shared cache meanwhile; undefined when the request
   * asked for fresh data (then only a call in flight may be joined, never the cache).
   */
  readonly lookup: (() => Promise<Cached<Answer> | undefined>) | undefined;
  /** Calls Braze. */
  readonly call: (signal: AbortSignal) => Promise<Cached<Answer>>;
  /** Writes an answer to the cache; never rejects (a failed write is logged and is a later miss). */
  readonly store: (value: Cached<Answer>) => Promise<void>;
  /**
   * Aborts when the load has waited on Redis and other replicas as long as it may (its deadline): the
   * flight then stops waiting and calls Braze here. It never bounds the call itself.
   */
  readonly patience: AbortSignal;
}

export interface FlightResult<Answer> {
  readonly value: Cached<Answer>;
  /** True when another replica called Braze for it (or had just stored it). */
  readonly fromReplica: boolean;
}

/**
 * Single flight across replicas: for a key not in the cache, one replica calls Braze and the others
 * wait for its answer. The data path owns this interface; src/cache/redisFlight.ts implements it.
 * Implementations never fail because the coordination failed: without it, `call` runs here, as it
 * would with one replica.
 */
export interface SharedFlight {
  run<Answer>(key: string, task: FlightTask<Answer>, signal: AbortSignal): Promise<FlightResult<Answer>>;
  /** Resolves once both Redis connections are up, or after `timeoutMs`. */
  ready(timeoutMs: number): Promise<boolean>;
  /** How the coordination is doing, for `/health`. */
  status(): SharedStoreStatus;
  close(): Promise<void>;
}
