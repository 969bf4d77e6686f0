import type { CallCodec, Cached } from '../data/cache.js';

/**
 * Wire form of an answer in Redis (a cache value, a single-flight notice): the key it answers, when
 * Braze gave it (epoch ms), and the answer as its endpoint's codec writes it. The key is inside the
 * value so that a value read under one key, but written for another (a Redis answering the wrong
 * command, a forged value, a bug), is never served as this key's answer.
 */
export interface Stored {
  k: string;
  f: number;
  a: unknown;
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
  /** Shaped like an answer but not a valid one for this key: another key's, from the future, refused by the codec. */
  | { readonly kind: 'rejected'; readonly why: string };

export function toStored<Answer>(key: string, { answer, fetchedAt }: Cached<Answer>, codec: CallCodec<Answer>): Stored {
  return { k: key, f: fetchedAt.getTime(), a: codec.encode(answer) };
}

/** `stored` (parsed JSON) as `key`'s answer, checked by `codec` for the call the key stands for. */
export function fromStored<Answer>(stored: unknown, key: string, codec: CallCodec<Answer>, now: number): Read<Answer> {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return { kind: 'foreign' };
  const { k, f, a } = stored as Partial<Record<keyof Stored, unknown>>;
  if (k === undefined && typeof f === 'number') return { kind: 'older' };
  if (typeof k !== 'string' || typeof f !== 'number') return { kind: 'foreign' };
  if (k !== key) return { kind: 'rejected', why: 'written for another key' };
  if (!Number.isSafeInteger(f) || f <= 0 || f > now + MAX_CLOCK_SKEW_MS) return { kind: 'rejected', why: 'fetched at an impossible time' };
  const answer = codec.decode(a);
  if (answer === undefined) return { kind: 'rejected', why: 'not a valid answer for its call' };
  return { kind: 'answer', value: { answer, fetchedAt: new Date(f) } };
}

export function encode<Answer>(key: string, value: Cached<Answer>, codec: CallCodec<Answer>): string {
  return JSON.stringify(toStored(key, value, codec));
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
