import { noteUnknownKeys } from '../../data/answerNotes.js';
import { truncate } from '../../observability/redact.js';
import { isRecord } from './answerFields.js';

/**
 * The keys Braze documents for an answer, as a shape to walk the answer with: which keys an object
 * may have, which values are lists of such objects or objects keyed by ids (variation ids, step ids,
 * channel names), and where a value's insides are not looked at. Parsers read what they need and
 * ignore the rest: a key Braze adds is never an error. What the shape does not know is listed (its
 * path, with `[]` for a list's entries and `*` for an id's, so each key is named once however many
 * entries carry it) and noted beside the answer, so an operator sees Braze's answers drift (the
 * metric braze_gateway_upstream_unknown_keys_total and a debug line) before a user does.
 */
export type Shape =
  | { readonly kind: 'any' }
  | { readonly kind: 'record'; readonly fields: Readonly<Record<string, Shape>>; readonly alsoKnown: ((name: string) => boolean) | undefined }
  | { readonly kind: 'list'; readonly item: Shape }
  | { readonly kind: 'keyed'; readonly entry: (key: string) => Shape };

/** A value whose insides are not looked at: a scalar, or content the gateway does not read (message bodies, extras). */
export const ANY: Shape = { kind: 'any' };

/** An object with these keys; `alsoKnown` accepts names of a documented pattern (`conversions<n>`). */
export function record(fields: Readonly<Record<string, Shape>>, alsoKnown?: (name: string) => boolean): Shape {
  return { kind: 'record', fields, alsoKnown };
}

/** Fields whose values are not looked into, to spread into a record's fields. */
export function leaves(names: readonly string[]): Record<string, Shape> {
  return Object.fromEntries(names.map((name) => [name, ANY]));
}

/** Leaf keys: an object with these keys, each a value not looked into. */
export function keys(names: readonly string[], alsoKnown?: (name: string) => boolean): Shape {
  return record(leaves(names), alsoKnown);
}

export function listOf(item: Shape): Shape {
  return { kind: 'list', item };
}

/** An object keyed by ids or names (not fields): each entry of `entry`'s shape, which may depend on the key (a channel's stats). */
export function keyedBy(entry: Shape | ((key: string) => Shape)): Shape {
  return { kind: 'keyed', entry: typeof entry === 'function' ? entry : () => entry };
}

/** At most this many paths are listed for one answer: a body full of new keys is named in part, and counted as this many. */
export const MAX_UNKNOWN_KEYS = 100;

/** The paths of the keys `value` has that `shape` does not know, each once, in the order met. */
export function unknownKeys(value: unknown, shape: Shape): string[] {
  const found = new Set<string>();
  walk(value, shape, '', found);
  return [...found];
}

function walk(value: unknown, shape: Shape, path: string, found: Set<string>): void {
  if (found.size >= MAX_UNKNOWN_KEYS) return;
  switch (shape.kind) {
    case 'any':
      return;
    case 'list':
      // A value of the wrong type is the parser's to refuse; only keys are looked at here.
      if (Array.isArray(value)) for (const item of value) walk(item, shape.item, `${path}[]`, found);
      return;
    case 'keyed':
      if (isRecord(value)) for (const [key, entry] of Object.entries(value)) walk(entry, shape.entry(key), `${path}.*`, found);
      return;
    case 'record':
      if (!isRecord(value)) return;
      for (const [name, field] of Object.entries(value)) {
        const known = Object.hasOwn(shape.fields, name) ? shape.fields[name] : undefined;
        const here = path === '' ? truncate(name, 80) : `${path}.${truncate(name, 80)}`;
        if (known !== undefined) walk(field, known, here, found);
        else if (!shape.alsoKnown?.(name)) {
          found.add(here);
          if (found.size >= MAX_UNKNOWN_KEYS) return;
        }
      }
  }
}

/** `answer`, with the keys of Braze's `body` that `shape` does not know noted beside it (see data/answerNotes.ts). */
export function withUnknownKeys<Answer>(answer: Answer, body: unknown, shape: Shape): Answer {
  return noteUnknownKeys(answer, unknownKeys(body, shape));
}
