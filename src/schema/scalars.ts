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
