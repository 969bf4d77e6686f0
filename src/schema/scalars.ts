import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import { DateTimeResolver } from 'graphql-scalars';

/**
 * graphql-scalars' DateTime (RFC 3339, any offset in, UTC out), with its parse errors carrying
 * `extensions.code: BAD_USER_INPUT` so clients can branch on a bad date like on any other bad argument.
 * It serializes to the ISO string itself, from a memo: graphql-scalars hands the Date on, and
 * JSON.stringify then calls its toJSON from its slow path for every value, and toISOString itself is
 * dear (about 1 µs): together the dearest step of writing a 30-point series (docs/benchmarks.md). The
 * text is the same (Date#toJSON is toISOString).
 */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  ...DateTimeResolver.toConfig(),
  serialize: serializeDateTime,
  parseValue: (value: unknown) =>
    typeof value === 'string' ? parseDateTimeText(value, () => DateTimeResolver.parseValue(value)) : asBadUserInput(() => DateTimeResolver.parseValue(value)),
  parseLiteral: (ast: ValueNode, variables?: Readonly<Record<string, unknown>> | null) =>
    ast.kind === Kind.STRING
      ? parseDateTimeText(ast.value, () => DateTimeResolver.parseLiteral(ast, variables))
      : asBadUserInput(() => DateTimeResolver.parseLiteral(ast, variables)),
});

/**
 * A date-time argument's text, parsed by `parse` (graphql-scalars: a long RFC 3339 regex) once per
 * distinct text: a dashboard sends the same `endingAt` with every request. Each parse gets a Date of
 * its own; only texts that parsed are kept, and only short ones, at most ISO_TEXTS_MAX of them.
 */
function parseDateTimeText(text: string, parse: () => unknown): Date {
  const known = parsedTexts.get(text);
  if (known !== undefined) return new Date(known);
  const date = asBadUserInput(parse);
  if (text.length <= PARSED_TEXT_MAX_LENGTH) {
    if (parsedTexts.size >= ISO_TEXTS_MAX) parsedTexts.clear();
    parsedTexts.set(text, date.getTime());
  }
  return date;
}

/** Date-time texts that parsed, with their epoch milliseconds. */
const parsedTexts = new Map<string, number>();
/** RFC 3339 with nine fractional digits and an offset is 35 characters. */
const PARSED_TEXT_MAX_LENGTH = 64;

function serializeDateTime(value: unknown): string {
  // Resolvers give Dates; anything else (a string, a number) is checked and converted as graphql-scalars does.
  const date = value instanceof Date ? value : DateTimeResolver.serialize(value);
  const time = date instanceof Date ? date.getTime() : Number.NaN;
  if (Number.isNaN(time)) throw createGraphQLError('DateTime cannot represent an invalid Date instance');
  let text = isoTexts.get(time);
  if (text === undefined) {
    text = (date as Date).toISOString();
    // Bounded (at most about 1 MiB): emptied whole when full, as the instants in use are few (a series'
    // points repeat in every answer of that series) and an LRU would cost more than it saves.
    if (isoTexts.size >= ISO_TEXTS_MAX) isoTexts.clear();
    isoTexts.set(time, text);
  }
  return text;
}

/** The ISO text of each instant serialized lately, by its epoch milliseconds. */
const isoTexts = new Map<number, string>();
const ISO_TEXTS_MAX = 10_000;

function asBadUserInput(parse: () => unknown): Date {
  let parsed: unknown;
  try {
    parsed = parse();
  } catch (error) {
    const message = error instanceof Error ? error.message : 'DateTime cannot represent this value';
    throw createGraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  if (!(parsed instanceof Date)) {
    throw createGraphQLError('DateTime expects an RFC 3339 date-time string', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return parsed;
}

/**
 * An exact decimal number, written as a string ("1234.56") so no client's float parser can round it:
 * revenue keeps its cents however it is summed. Output only.
 */
export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: 'Decimal',
  description: 'An exact decimal number as a string, e.g. "1234.56": revenue keeps its cents. Sums are computed exactly.',
  serialize(value: unknown): string {
    if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return value;
    throw createGraphQLError('Decimal cannot represent this value');
  },
  parseValue(): never {
    throw createGraphQLError('Decimal is an output type', { extensions: { code: 'BAD_USER_INPUT' } });
  },
  parseLiteral(): never {
    throw createGraphQLError('Decimal is an output type', { extensions: { code: 'BAD_USER_INPUT' } });
  },
});
