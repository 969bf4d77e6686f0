import { Lexer, Source, TokenKind } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { QueryTooComplexError } from '../errors/gatewayErrors.js';

/**
 * Deep enough for any real document: the deepest field path QUERY_MAX_DEPTH allows (100) plus
 * argument values inside it. graphql-js parses recursively and runs out of stack somewhere between
 * about 600 (objects, small stacks) and 2,000 (lists) levels, so this leaves a wide margin.
 */
export const DEFAULT_MAX_NESTING = 128;

const OPENERS: ReadonlySet<TokenKind> = new Set([TokenKind.BRACKET_L, TokenKind.BRACE_L, TokenKind.PAREN_L]);
const CLOSERS: ReadonlySet<TokenKind> = new Set([TokenKind.BRACKET_R, TokenKind.BRACE_R, TokenKind.PAREN_R]);

/**
 * How deep `[`, `{` and `(` nest in a document, found by lexing it without parsing (the lexer is a
 * loop, the parser recurses once per level). Stops counting as soon as the depth passes `stopAbove`.
 * A document the lexer cannot read is left to the parser, which reports the syntax error itself.
 */
export function nestingDepth(document: string, stopAbove = Number.POSITIVE_INFINITY): number {
  const lexer = new Lexer(new Source(document));
  let depth = 0;
  let deepest = 0;
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      if (OPENERS.has(token.kind)) {
        depth += 1;
        deepest = Math.max(deepest, depth);
        if (deepest > stopAbove) return deepest;
      } else if (CLOSERS.has(token.kind)) {
        // Unbalanced closers are a syntax error for the parser to report; they never lower the count below 0.
        depth = Math.max(0, depth - 1);
      }
    }
  } catch {
    return deepest;
  }
  return deepest;
}

export interface NestingLimitOptions {
  /** Deepest nesting of brackets, braces and parentheses, of any kind mixed. Default DEFAULT_MAX_NESTING (128). */
  maxNesting?: number;
}

/**
 * Refuses a document whose brackets, braces or parentheses nest deeper than `maxNesting` before
 * graphql-js parses it: list and object values, selection sets, list types of variables. The token
 * limit does not cover this: a list nested 2,000 deep is 2,000 tokens, and the parser's recursion
 * overflows the stack at about that depth (a RangeError, answered as a 500), and QUERY_MAX_TOKENS may
 * be raised to a million.
 */
export function useNestingLimit({ maxNesting = DEFAULT_MAX_NESTING }: NestingLimitOptions = {}): Plugin {
  return {
    onParse({ params: { source } }) {
      const text = typeof source === 'string' ? source : source.body;
      if (nestingDepth(text, maxNesting) > maxNesting) {
        throw new QueryTooComplexError(`Nesting limit of ${maxNesting} exceeded.`, 'maxNesting');
      }
    },
  };
}
