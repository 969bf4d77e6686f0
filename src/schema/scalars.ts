import { GraphQLScalarType, type ValueNode } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import { DateTimeResolver } from 'graphql-scalars';

/**
 * graphql-scalars' DateTime (RFC 3339, any offset in, UTC out), with its parse errors carrying
 * `extensions.code: BAD_USER_INPUT` so clients can branch on a bad date like on any other bad argument.
 */
export const DateTimeScalar = new GraphQLScalarType<Date, Date>({
  ...DateTimeResolver.toConfig(),
  parseValue: (value: unknown) => asBadUserInput(() => DateTimeResolver.parseValue(value)),
  parseLiteral: (ast: ValueNode, variables?: Readonly<Record<string, unknown>> | null) =>
    asBadUserInput(() => DateTimeResolver.parseLiteral(ast, variables)),
});

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
