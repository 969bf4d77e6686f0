// GraphQL documents the memory benches build (bench:memory's gateway part and its replica part): the worst
// shapes the default query limits allow.
import { Lexer, Source, TokenKind } from 'graphql';
import { DEFAULT_QUERY_LIMITS } from '../../src/config/index.js';
import { ENDING_AT } from './common.js';

/** `n` aliased selections, each `alias(i)`, space-separated. */
export const aliases = (n: number, alias: (i: number) => string): string => Array.from({ length: n }, (_, i) => alias(i)).join(' ');

/** How many tokens GraphQL's lexer reads in `document` (what QUERY_MAX_TOKENS counts). */
export function tokens(document: string): number {
  const lexer = new Lexer(new Source(document));
  let n = 0;
  while (lexer.advance().kind !== TokenKind.EOF) n++;
  return n;
}

/**
 * The dearest document to keep parsed under the default limits: the alias limit's series with every
 * argument, then `__typename` up to the token limit (about 1 MB parsed). `index` names it, so each is distinct.
 */
export function limitDashboard(index: number): string {
  const charts = aliases(
    DEFAULT_QUERY_LIMITS.maxAliases,
    (chart) =>
      `c${chart}: eventSeries(event: "event-${chart}", length: 7, unit: DAY, endingAt: "${ENDING_AT}", appId: "app", segmentId: "segment") { event unit length appId segmentId endingAt total points { time count } }`,
  );
  const document = (typenames: number): string => `query Dashboard${index} { ${charts} ${Array.from({ length: typenames }, () => '__typename').join(' ')} }`;
  return document(DEFAULT_QUERY_LIMITS.maxTokens - 5 - tokens(document(0)));
}
