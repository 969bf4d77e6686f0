import type { SharedStoreStatus } from '../redis/health.js';
/** An answer as kept between requests, with when Braze gave it. */
export interface Cached<Answer> {
  readonly answer: Answer;
  readonly fetchedAt: Date;
}

/**
 * How an endpoint's answers are written to a cache that stores text (Redis) and estimated in one that
 * stores objects (memory). What comes back from a shared store is as untrusted as Braze's answer:
 * `decode` checks it as strictly as the endpoint's `parse` checks Braze's body for `call` (the same
 * field readers: counts are non-negative safe integers, instants real dates, a series no longer than
 * the call's `length`, a breakdown only when the call asked for it) and returns undefined for anything
 * else (another version, a corrupted or forged value): that is a miss, never a wrong answer.
 */
export interface AnswerCodec<Answer, Call = unknown> {
  encode(answer: Answer): unknown;
  decode(value: unknown, call: Call): Answer | undefined;
}

/** An endpoint's codec with one call's checks bound: what a cache reads and writes that call's answer with. */
export interface CallCodec<Answer> {
  encode(answer: Answer): unknown;
  decode(value: unknown): Answer | undefined;
}

export function codecForCall<Answer, Call>(codec: AnswerCodec<Answer, Call>, call: Call): CallCodec<Answer> {
  return { encode: (answer) => codec.encode(answer), decode: (value) => codec.decode(value, call) };
}

/**
 * Where answers are kept between requests: process memory, or Redis so that replicas share them. The
 * data path owns this interface; src/cache/ implements it. Implementations never throw: a cache that
 * fails is a cache that misses.
 */
export interface AnswerCache {
  readonly kind: 'memory' | 'redis';
  /** Resolves once the cache can answer, or after `timeoutMs` (then it simply misses until it can). */
  ready(timeoutMs: number): Promise<boolean>;
  /** `key`'s answer, only if what is stored says it answers `key` and `codec` accepts it. */
  get<Answer>(key: string, codec: CallCodec<Answer>): Promise<Cached<Answer> | undefined>;
  set<Answer>(key: string, value: Cached<Answer>, ttlMs: number, codec: CallCodec<Answer>): Promise<void>;
  /** A shared cache's health (`/health`); none for one in this process. */
  status?(): SharedStoreStatus;
  close(): Promise<void>;
}
