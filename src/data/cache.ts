import type { SharedStoreStatus } from '../redis/health.js';
import type { AnswerHeaders } from './endpoint.js';
/** An answer as kept between requests, with when Braze gave it. */
export interface Cached<Answer> {
  readonly answer: Answer;
  readonly fetchedAt: Date;
  /**
   * The body Braze sent, as fetched (absent once kept in memory): what a store of text (Redis) keeps
   * instead of the answer, so that an answer read back is parsed by the endpoint's own parser, as
   * strictly as Braze's answer was.
   */
  readonly body?: string | undefined;
  /** HTTP attempts the call that fetched it made, retries included: only on an answer fresh from Braze in this process. */
  readonly attempts?: number | undefined;
  /** The headers Braze sent that the endpoint's parser reads (its descriptor's `headers`), kept with the body. */
  readonly headers?: AnswerHeaders | undefined;
}

/**
 * How one call's answer is written to a store of text and read back from it. What comes back from a
 * shared store is as untrusted as Braze's answer, so it is Braze's body, parsed again by the endpoint's
 * own parser for the call: a forged, corrupted or foreign value is refused there, and is a miss,
 * never a wrong answer.
 */
export interface CallCodec<Answer> {
  /** What is written: Braze's body; undefined when the answer has none (then nothing is written). */
  encode(value: Cached<Answer>): string | undefined;
  /** What was stored, read back for this call; undefined when it is not a body the endpoint accepts. */
  decode(value: unknown): Answer | undefined;
}

/**
 * A call's codec from its endpoint's parser: the body is stored, and parsed again when read. An
 * endpoint whose parser reads headers (`headerNames`, its descriptor's `headers`) stores them beside
 * the body, `{"headers": {…}, "body": "…"}`, and reads back only those names, each a string.
 */
export function bodyCodec<Call, Answer>(
  parse: (text: string, call: Call, headers?: AnswerHeaders) => Answer,
  call: Call,
  headerNames: readonly string[] = [],
): CallCodec<Answer> {
  const readBack = (value: unknown): Answer | undefined => {
    if (headerNames.length === 0) return typeof value === 'string' ? parse(value, call) : undefined;
    const stored = typeof value === 'string' ? (JSON.parse(value) as unknown) : undefined;
    if (typeof stored !== 'object' || stored === null) return undefined;
    const { headers, body } = stored as { headers?: unknown; body?: unknown };
    if (typeof body !== 'string' || typeof headers !== 'object' || headers === null || Array.isArray(headers)) return undefined;
    const entries = Object.entries(headers);
    if (!entries.every(([name, text]) => headerNames.includes(name) && typeof text === 'string')) return undefined;
    return parse(body, call, Object.fromEntries(entries) as AnswerHeaders);
  };
  return {
    encode({ body, headers = {} }) {
      if (headerNames.length === 0 || body === undefined) return body;
      const kept = Object.fromEntries(headerNames.flatMap((name) => (headers[name] === undefined ? [] : [[name, headers[name]]])));
      return JSON.stringify({ headers: kept, body });
    },
    decode(value) {
      try {
        return readBack(value);
      } catch {
        return undefined;
      }
    },
  };
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
