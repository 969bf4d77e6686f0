/**
 * What a parse noticed about an answer besides the answer itself: the keys Braze sent that its
 * endpoint does not know (an API change on Braze's side, before any user sees it). Kept beside the
 * answer, not in it, so no answer type changes and a cache keeps only the answer: the loader reads the
 * notes of an answer fresh from Braze (not of one read back from a cache, which is parsed again) and
 * reports them. Only endpoints know keys; the engine only carries what they noted.
 */

const UNKNOWN_KEYS = new WeakMap<object, readonly string[]>();

/** `answer`, with `keys` noted as Braze's keys its endpoint does not know (nothing is noted for none). */
export function noteUnknownKeys<Answer>(answer: Answer, keys: readonly string[]): Answer {
  if (keys.length > 0 && typeof answer === 'object' && answer !== null) UNKNOWN_KEYS.set(answer, keys);
  return answer;
}

/** The keys noted for `answer` by its parse: empty when it had none (or is not an object). */
export function unknownKeysOf(answer: unknown): readonly string[] {
  return typeof answer === 'object' && answer !== null ? (UNKNOWN_KEYS.get(answer) ?? []) : [];
}
