/**
 * Heap bytes V8 keeps for the values the in-memory caches hold, so that their byte bounds bound real
 * memory. The figures are V8's layouts on 64-bit Node without pointer compression (Node's own builds),
 * measured per kind of value by `npm run bench:memory -- kinds` (bench/targets/memoryKinds.ts) and rounded up:
 * a build with compressed pointers keeps less, never more. Counting twice a JSON text's length, as the
 * response cache did, fell 11 times short: `{},` is 3 characters and 64 bytes (an object and its slot).
 *
 * What is shared is counted again each time it is met (property names, short strings V8 interns):
 * an estimate above the truth makes a cache hold less than its bound, never more.
 */

/** Every heap object is a multiple of this. */
const ALIGNMENT = 8;
/** A pointer, or a small integer kept in place of one: one slot of an object or array. */
const SLOT = 8;
/** A string's map, hash and length, before its characters. */
const STRING_HEADER = 16;
/** A number that is not a small integer is a heap object of its own (a boxed double). */
const HEAP_NUMBER = 16;
/**
 * In an object, any number may be boxed: once one value of a property was not a small integer, V8
 * keeps that property of every object of the same shape as a boxed double, small integers too.
 */
const NUMBER_IN_OBJECT = HEAP_NUMBER;
/** An array's object (map, properties, elements, length) and its elements' header; then a slot each. */
const ARRAY = 48;
/** `{}`: its map, properties and elements pointers and four slots reserved for properties. */
const EMPTY_OBJECT = 56;
/** An object's map, properties and elements pointers; then a slot a property. */
const OBJECT_HEADER = 24;
/** From this many properties, room for a second array of slots (JSON.parse: 45 bytes more at 126 properties). */
const SPILL_FROM = 17;
const SPILL = 64;
/** From this many properties an object is a hash table (V8's kMaxFastProperties: JSON.parse makes one from 128). */
const DICTIONARY_FROM = 128;
const DICTIONARY = 128;
/** Per property of a hash table: key, value and details, at a load as low as a third. */
const DICTIONARY_ENTRY = 72;
/** A Date: its object with V8's cached fields, and the time as a boxed double. */
const DATE = 112;
/** Integers in this range are kept in place (small integers), on every V8 build. */
const SMALL_INTEGER = 2 ** 30;

const align = (bytes: number): number => Math.ceil(bytes / ALIGNMENT) * ALIGNMENT;

/** A string: one byte a character when all are Latin-1, two otherwise. */
export function stringBytes(text: string): number {
  const width = /[^\u0000-\u00ff]/.test(text) ? 2 : 1;
  return STRING_HEADER + align(text.length * width);
}

function isSmallInteger(value: number): boolean {
  return Number.isInteger(value) && value >= -SMALL_INTEGER && value < SMALL_INTEGER && !Object.is(value, -0);
}

/** How an object of `properties` properties is laid out, beside its values. */
type ObjectModel = (properties: number) => number;

function dictionary(properties: number): number {
  return DICTIONARY + DICTIONARY_ENTRY * properties;
}

/**
 * An object JSON.parse made: as many slots as properties (`{}` keeps four), a second array beyond a
 * few dozen, a hash table from DICTIONARY_FROM properties.
 */
const parsedObject: ObjectModel = (properties) => {
  if (properties === 0) return EMPTY_OBJECT;
  if (properties >= DICTIONARY_FROM) return dictionary(properties);
  return OBJECT_HEADER + SLOT * properties + (properties >= SPILL_FROM ? SPILL : 0);
};

/**
 * An object built by code (a literal, properties added one by one, Object.fromEntries): four slots
 * reserved, then one a property with some slack. An object built as `{ ...other, more }` or one a
 * property was deleted from is a hash table V8 cannot be asked about: the caches' values are built
 * by our own parsers, which make neither (`npm run bench:memory -- kinds` measures each endpoint's).
 */
const builtObject: ObjectModel = (properties) => (properties >= DICTIONARY_FROM ? dictionary(properties) : EMPTY_OBJECT + SLOT * properties);

function valueBytes(value: unknown, object: ObjectModel): number {
  switch (typeof value) {
    case 'string':
      return stringBytes(value);
    case 'number':
      return isSmallInteger(value) ? 0 : HEAP_NUMBER;
    case 'object':
      return value === null ? 0 : containerBytes(value, object);
    default:
      // booleans, undefined: shared; functions, symbols, bigints are no values of ours.
      return 0;
  }
}

function containerBytes(value: object, object: ObjectModel): number {
  if (Array.isArray(value)) {
    let bytes = ARRAY + SLOT * value.length;
    for (const element of value as unknown[]) bytes += valueBytes(element, object);
    return bytes;
  }
  if (value instanceof Date) return DATE;
  let properties = 0;
  let bytes = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    properties++;
    const property = (value as Record<string, unknown>)[key];
    bytes += typeof property === 'number' ? NUMBER_IN_OBJECT : valueBytes(property, object);
  }
  return bytes + object(properties);
}

/**
 * Heap bytes of a value JSON.parse returned (objects, arrays, strings, numbers, booleans, null), as
 * V8 lays such values out. One walk over the value.
 */
export function parsedJsonBytes(value: unknown): number {
  return valueBytes(value, parsedObject);
}

/**
 * Heap bytes of plain data built by code: objects, arrays, strings, numbers, Dates. Properties are
 * counted as an object's own enumerable ones (what a cached answer is made of). One walk over the value.
 */
export function plainDataBytes(value: unknown): number {
  return valueBytes(value, builtObject);
}
