import { EnvelopArmor } from '@escape.tech/graphql-armor';
import type { GraphQLError } from 'graphql';
import type { Plugin, YogaInitialContext } from 'graphql-yoga';
import { QueryTooComplexError, type QueryLimit } from '../errors/gatewayErrors.js';
import { useDirectiveLimit } from './useDirectiveLimit.js';
import { useNestingLimit } from './useNestingLimit.js';

/** What one GraphQL request may ask, checked before any upstream call. */
export interface QueryLimits {
  /** Deepest field nesting (introspection excluded). The schema's deepest real path is 4. */
  readonly maxDepth: number;
  /** Aliased fields per document: one per chart of a dashboard. */
  readonly maxAliases: number;
  /** Lexical tokens in the document (counted while parsing, so a huge document stops early). */
  readonly maxTokens: number;
  /** graphql-armor's static cost (objects 2, scalars 1, ×1.5 per level; introspection excluded). */
  readonly maxCost: number;
  readonly maxDirectives: number;
  /** Largest HTTP request body; larger → 413 before it is parsed. */
  readonly maxRequestBodyBytes: number;
}

export interface QueryLimitsOptions {
  /** Defaults: DEFAULT_QUERY_LIMITS in src/config.ts (depth 6, aliases 50, tokens 2000, cost 5000, directives 50). */
  limits: Omit<QueryLimits, 'maxRequestBodyBytes'>;
  /**
   * Hide "Did you mean …?" suggestions in validation errors. Worth it only when introspection is off
   * (otherwise the schema is public anyway). Default false.
   */
  blockFieldSuggestions?: boolean;
  /** Deepest nesting of brackets, braces and parentheses (see useNestingLimit). Default 128. */
  maxNesting?: number;
}

/**
 * A nesting limit checked before parsing, the directive limit before validating (our own count: see
 * useDirectiveLimit), then graphql-armor's depth, alias, token and cost limits, checked while parsing
 * and validating, so an abusive document makes no upstream call. Each refusal becomes
 * QUERY_TOO_COMPLEX with `extensions.limit` naming the limit (armor's own errors carry no code and
 * call themselves "Syntax Error").
 */
export function useQueryLimits({ limits, blockFieldSuggestions = false, maxNesting }: QueryLimitsOptions): Plugin[] {
  const refuse =
    (limit: QueryLimit) =>
    (_context: unknown, error: GraphQLError): never => {
      throw new QueryTooComplexError(error.message.replace(/^Syntax Error: /, ''), limit);
    };
  const common = (limit: QueryLimit) => ({ exposeLimits: true, propagateOnRejection: false, onReject: [refuse(limit)] });
  const armor = new EnvelopArmor<YogaInitialContext>({
    // Fragment spreads and inline fragments are not levels of the answer: without flattening, each
    // one counted as a field (depth) and multiplied its fields' cost by 1.5, so a Relay document 3
    // fields deep through 7 colocated fragments was "depth 17".
    maxDepth: { n: limits.maxDepth, flattenFragments: true, ...common('maxDepth') },
    maxAliases: { n: limits.maxAliases, ...common('maxAliases') },
    maxTokens: { n: limits.maxTokens, ...common('maxTokens') },
    costLimit: { maxCost: limits.maxCost, flattenFragments: true, ...common('maxCost') },
    // Counted by useDirectiveLimit instead: armor's count misses repeated spreads' own directives.
    maxDirectives: { enabled: false },
    blockFieldSuggestion: { enabled: blockFieldSuggestions },
  });
  // Plain envelop plugins (parse and validate hooks), which yoga runs as they are.
  return [
    useNestingLimit(maxNesting === undefined ? {} : { maxNesting }),
    useDirectiveLimit({ maxDirectives: limits.maxDirectives }),
    ...armor.protect().plugins,
  ];
}
