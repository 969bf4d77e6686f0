import type { CallCodec, Cached } from '../data/cache.js';

/**
 * Wire form of an answer in Redis (a cache value, a single-flight notice): the key it answers, when
 * Braze gave it (epoch ms), and Braze's body, read back with the endpoint's own parser. The key is inside the
 * value so that a value read under one key, but written for another (a Redis answering the wrong
 * command, a forged value, a bug), is never served as this key's answer.
 */
export interface Stored {
  k: string;
  f: number;
  b: string;
}

/** How far ahead of this replica's clock another replica's `fetchedAt` may be (clock skew), and no further. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** What reading a value found. */
export type Read<Answer> =
  /** This key's answer, valid for its call. */
  | { readonly kind: 'answer'; readonly value: Cached<Answer> }
  /** Written by a version before answers named their key: a miss, nothing wrong. */
  | { readonly kind: 'older' }
  /** Not what any version writes (not JSON, not an object): Redis answered something else than a value. */
  | { readonly kind: 'foreign' }
  /** Shaped like an answer but not a valid one for this key: another key's, from the future, a body the endpoint's parser refuses. */
  | { readonly kind: 'rejected'; readonly why: string };

/** What is written for `key`'s answer; undefined when the answer has no body to write. */
export function toStored<Answer>(key: string, value: Cached<Answer>, codec: CallCodec<Answer>): Stored | undefined {
  const body = codec.encode(value);
  return body === undefined ? undefined : { k: key, f: value.fetchedAt.getTime(), b: body };
}

/** `stored` (parsed JSON) as `key`'s answer, checked by `codec` for the call the key stands for. */
export function fromStored<Answer>(stored: unknown, key: string, codec: CallCodec<Answer>, now: number): Read<Answer> {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return { kind: 'foreign' };
  const { k, f, b } = stored as Partial<Record<keyof Stored, unknown>>;
  // Before answers named their key, or before a value was Braze's body (the answer under `a`): another version's, a miss.
  if (typeof f === 'number' && (k === undefined || (typeof k === 'string' && b === undefined && 'a' in stored))) return { kind: 'older' };
  if (typeof k !== 'string' || typeof f !== 'number') return { kind: 'foreign' };
  if (k !== key) return { kind: 'rejected', why: 'written for another key' };
  if (!Number.isSafeInteger(f) || f <= 0 || f > now + MAX_CLOCK_SKEW_MS) return { kind: 'rejected', why: 'fetched at an impossible time' };
  const answer = codec.decode(b);
  if (answer === undefined) return { kind: 'rejected', why: 'not a valid answer for its call' };
  return { kind: 'answer', value: { answer, fetchedAt: new Date(f) } };
}

/** The text written for `key`'s answer; undefined when the answer has no body to write. */
export function encode<Answer>(key: string, value: Cached<Answer>, codec: CallCodec<Answer>): string | undefined {
  const stored = toStored(key, value, codec);
  return stored === undefined ? undefined : JSON.stringify(stored);
}

/** `text` as `key`'s answer; a text longer than `maxChars` is rejected unread. */
export function decode<Answer>(text: string, key: string, codec: CallCodec<Answer>, now: number, maxChars: number): Read<Answer> {
  if (text.length > maxChars) return { kind: 'rejected', why: `longer than ${maxChars} characters` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { kind: 'foreign' };
  }
  return fromStored(parsed, key, codec, now);
}
