import type { AnswerCodec, Cached } from '../data/cache.js';

/** Wire form: when Braze gave the answer (epoch ms), and the answer as its endpoint's codec writes it. */
export interface Stored {
  f: number;
  a: unknown;
}

export function toStored<Answer>({ answer, fetchedAt }: Cached<Answer>, codec: AnswerCodec<Answer>): Stored {
  return { f: fetchedAt.getTime(), a: codec.encode(answer) };
}

/** Undefined for anything that is not what `toStored` wrote (another version, a corrupted value): a miss. */
export function fromStored<Answer>(stored: Partial<Stored> | null | undefined, codec: AnswerCodec<Answer>): Cached<Answer> | undefined {
  if (typeof stored?.f !== 'number') return undefined;
  const answer = codec.decode(stored.a);
  return answer === undefined ? undefined : { answer, fetchedAt: new Date(stored.f) };
}

export function encode<Answer>(value: Cached<Answer>, codec: AnswerCodec<Answer>): string {
  return JSON.stringify(toStored(value, codec));
}

export function decode<Answer>(text: string, codec: AnswerCodec<Answer>): Cached<Answer> | undefined {
  try {
    return fromStored((JSON.parse(text) ?? {}) as Partial<Stored>, codec);
  } catch {
    return undefined;
  }
}
