import { defaultsOf, integer, type VariableReader, type VariableTable } from './read.js';
import type { QueryLimits } from '../plugins/useQueryLimits.js';
export type { QueryLimits } from '../plugins/useQueryLimits.js';

/**
 * Parsed documents kept between requests (yoga's parse/validation cache), bounded by an estimate of
 * the heap they hold: a parsed document costs about 20 to 60 times its text.
 */
export interface DocumentCachePolicy {
  /** Estimated bytes of parsed documents kept in all; 0 turns the cache off (every document is parsed). */
  readonly maxBytes: number;
  /** A document estimated above this is parsed every time, never kept. */
  readonly maxDocumentBytes: number;
}

/**
 * The defaults leave room for a 50-chart dashboard (aliases match BRAZE_MAX_CALLS_PER_REQUEST's 50; a
 * fully-argumented chart is about 31 tokens), a federation `_entities` query, and GraphiQL's
 * introspection (about 190 tokens); refused beyond.
 */
export const QUERY_LIMIT_VARIABLES: VariableTable<QueryLimits> = {
  maxDepth: integer('QUERY_MAX_DEPTH', { min: 1, max: 100, default: 6 }),
  maxAliases: integer('QUERY_MAX_ALIASES', { min: 0, max: 10_000, default: 50 }),
  maxTokens: integer('QUERY_MAX_TOKENS', { min: 10, max: 1_000_000, default: 2_000 }),
  maxCost: integer('QUERY_MAX_COST', { min: 1, max: 10_000_000, default: 5_000 }),
  maxDirectives: integer('QUERY_MAX_DIRECTIVES', { min: 0, max: 10_000, default: 50 }),
  maxRequestBodyBytes: integer('MAX_REQUEST_BODY_BYTES', { min: 1_024, max: 100 * 1024 * 1024, default: 100 * 1024 }),
};

export const DEFAULT_QUERY_LIMITS: QueryLimits = Object.freeze(defaultsOf(QUERY_LIMIT_VARIABLES));

/**
 * 32 MiB by default: about 50 fifty-chart dashboards at the token limit (a parsed one is counted at about
 * 1 MB) or thousands of small queries. Half what it was, so that every default bound at its worst fits a
 * 512 MiB replica under --max-old-space-size=352 (docs/operations.md, "Memory a deployment needs").
 * 2 MiB per document keeps every document the default limits allow (about 1 MB at 2,000 tokens and
 * 100 KiB); larger ones only come with raised QUERY_MAX_TOKENS.
 */
export const DOCUMENT_CACHE_VARIABLES: VariableTable<DocumentCachePolicy> = {
  maxBytes: integer('DOCUMENT_CACHE_MAX_BYTES', { min: 0, max: 4 * 1024 ** 3, default: 32 * 1024 * 1024 }),
  maxDocumentBytes: integer('DOCUMENT_CACHE_MAX_DOCUMENT_BYTES', { min: 1024, max: 1024 ** 3, default: 2 * 1024 * 1024 }),
};

export const DEFAULT_DOCUMENT_CACHE_POLICY: DocumentCachePolicy = Object.freeze(defaultsOf(DOCUMENT_CACHE_VARIABLES));

export function readQueryLimits(vars: VariableReader): QueryLimits {
  return Object.freeze(vars.readAll(QUERY_LIMIT_VARIABLES));
}

export function readDocumentCache(vars: VariableReader): DocumentCachePolicy {
  const policy = vars.readAll(DOCUMENT_CACHE_VARIABLES);
  if (policy.maxBytes > 0 && policy.maxDocumentBytes > policy.maxBytes) {
    vars.report('DOCUMENT_CACHE_MAX_DOCUMENT_BYTES must not exceed DOCUMENT_CACHE_MAX_BYTES (or set DOCUMENT_CACHE_MAX_BYTES=0 to turn the cache off)');
  }
  return Object.freeze(policy);
}
