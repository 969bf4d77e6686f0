/** An answer as kept between requests, with when Braze gave it. */
export interface Cached<Answer> {
  readonly answer: Answer;
  readonly fetchedAt: Date;
}

/**
 * How an endpoint's answers are written to a cache that stores text (Redis) and estimated in one that
 * stores objects (memory). `decode` returns undefined for anything it did not write (another version,
 * a corrupted value): that is a miss, never a wrong answer.
 */
export interface AnswerCodec<Answer> {
  encode(answer: Answer): unknown;
  decode(value: unknown): Answer | undefined;
  /** Rough heap bytes of a decoded answer, for a memory cache's byte bound. */
  estimateBytes(answer: Answer): number;
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
  get<Answer>(key: string, codec: AnswerCodec<Answer>): Promise<Cached<Answer> | undefined>;
  set<Answer>(key: string, value: Cached<Answer>, ttlMs: number, codec: AnswerCodec<Answer>): Promise<void>;
  close(): Promise<void>;
}
