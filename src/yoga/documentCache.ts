import { TokenKind, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';

/**
 * Estimated heap bytes a parsed document keeps per lexical token. graphql-js keeps every token (an
 * object linked to its neighbours, so one kept node keeps the whole list) and a Location per AST
 * node. A name is the costliest: its token, its Name node, often a Field node (two empty arrays), each
 * with a Location. Measured (`npm run bench:memory -- kinds`, Node 20): 490–530 bytes a name in a run of
 * one-token fields; 250–330 a token for arguments, lists, variables and dashboards. Rounded up:
 * overestimating makes the cache hold less, never more, than its bound.
 */
export const BYTES_PER_NAME_TOKEN = 560;
export const BYTES_PER_TOKEN = 300;
/**
 * Per `{`: the response cache plugin keeps, as long as the document, a copy of it with `__typename`
 * added to every selection set (a new selection set, its array, a field and its names, and the field
 * that owns it): measured at 510 bytes a selection set.
 */
export const BYTES_PER_SELECTION_SET = 512;
/** The document text, kept as the key: two bytes a character covers text that is not Latin-1. */
export const BYTES_PER_CHARACTER = 2;
/**
 * Per backslash in a string: graphql-js builds an escaped string piece by piece, and V8 keeps such a
 * string as the chain of its pieces (a 32-byte link, often a new one-character string) until something
 * reads it whole; a default value never used is never read. Measured at up to 62 bytes an escape.
 */
export const BYTES_PER_ESCAPE = 96;
/** A block string's value is a copy of its text, at up to two bytes a character. */
export const BYTES_PER_BLOCK_STRING_CHARACTER = 2;
/** A cached refusal (a syntax error or a refused limit): the error, its message and stack. */
export const BYTES_PER_ERROR = 4 * 1024;

/** What yoga asks of each cache in `parserAndValidationCache`. */
export interface KeyedCache<T> {
  get(key: string): T | undefined;
  set(key: string, value: T): void;
}

/** Told about every lookup and every document too large to keep (GatewayMetrics counts them). */
export interface DocumentCacheObserver {
  documentLookup(hit: boolean): void;
  documentTooLarge(): void;
}

export interface DocumentCacheOptions {
  /** Estimated bytes of parsed documents (and cached refusals) kept, in all. */
  readonly maxBytes: number;
  /** A document estimated above this is parsed every time it comes, never kept. */
  readonly maxDocumentBytes: number;
  readonly observer?: DocumentCacheObserver | undefined;
}

/** The two caches yoga's parse/validation cache takes, sharing one byte budget. */
export interface DocumentCache {
  /** Parsed documents by their text. */
  readonly documentCache: KeyedCache<DocumentNode>;
  /** Why a text could not be parsed (syntax, token limit), by the text. */
  readonly errorCache: KeyedCache<unknown>;
  /** Estimated bytes held now. */
  readonly bytes: number;
  readonly entries: number;
  /** Drops `document` if it is kept (it failed validation: see useForgetInvalidDocuments). */
  forget(document: DocumentNode): void;
}

type Entry = { readonly document: DocumentNode } | { readonly error: unknown };

/** Lexical tokens of a parsed document, comments included (they are kept too); 0 without locations. */
export function countTokens(document: DocumentNode): number {
  let tokens = 0;
  for (let token = document.loc?.startToken ?? null; token !== null; token = token.next) tokens++;
  return tokens;
}

function backslashes(text: string, start: number, end: number): number {
  let count = 0;
  for (let at = text.indexOf('\\', start); at !== -1 && at < end; at = text.indexOf('\\', at + 1)) count++;
  return count;
}

/** Estimated heap bytes that keeping `document`, parsed from `text`, costs: one walk over its tokens. */
export function estimateDocumentBytes(text: string, document: DocumentNode): number {
  let bytes = text.length * BYTES_PER_CHARACTER;
  for (let token = document.loc?.startToken ?? null; token !== null; token = token.next) {
    bytes += token.kind === TokenKind.NAME ? BYTES_PER_NAME_TOKEN : BYTES_PER_TOKEN;
    if (token.kind === TokenKind.BRACE_L) bytes += BYTES_PER_SELECTION_SET;
    else if (token.kind === TokenKind.STRING) bytes += backslashes(text, token.start, token.end) * BYTES_PER_ESCAPE;
    else if (token.kind === TokenKind.BLOCK_STRING) bytes += (token.end - token.start) * BYTES_PER_BLOCK_STRING_CHARACTER;
  }
  return bytes;
}

/**
 * Yoga's parse/validation cache with a byte bound. Yoga's default keeps 1,024 documents whatever
 * their size, and a parsed document costs about 20 to 60 times its text (its tokens and locations):
 * 1,024 distinct dashboards can hold a gigabyte. This one keeps the least recently used documents that
 * fit in `maxBytes`, by an estimate from their text and token count, and none above `maxDocumentBytes`.
 * Validation results stay yoga's: a WeakMap on the parsed document, released with it.
 */
export function createDocumentCache({ maxBytes, maxDocumentBytes, observer }: DocumentCacheOptions): DocumentCache {
  const cache = new LRUCache<string, Entry>({ maxSize: maxBytes, maxEntrySize: Math.min(maxDocumentBytes, maxBytes) });
  /** The text each kept document is kept under. */
  const keys = new WeakMap<DocumentNode, string>();
  const keep = (key: string, entry: Entry, size: number): void => {
    if (size > maxDocumentBytes || size > maxBytes) {
      observer?.documentTooLarge();
      return;
    }
    cache.set(key, entry, { size });
  };
  return {
    documentCache: {
      get(key) {
        const entry = cache.get(key);
        // A cached refusal is a hit too: yoga asks errorCache next and answers from it.
        observer?.documentLookup(entry !== undefined);
        return entry !== undefined && 'document' in entry ? entry.document : undefined;
      },
      set(key, document) {
        keys.set(document, key);
        keep(key, { document }, estimateDocumentBytes(key, document));
      },
    },
    errorCache: {
      get(key) {
        const entry = cache.get(key);
        return entry !== undefined && 'error' in entry ? entry.error : undefined;
      },
      set(key, error) {
        keep(key, { error }, key.length * BYTES_PER_CHARACTER + BYTES_PER_ERROR);
      },
    },
    get bytes() {
      return cache.calculatedSize;
    },
    get entries() {
      return cache.size;
    },
    forget(document) {
      const key = keys.get(document);
      const entry = key === undefined ? undefined : cache.peek(key);
      if (key !== undefined && entry !== undefined && 'document' in entry && entry.document === document) cache.delete(key);
    },
  };
}

/**
 * Forgets a document that failed validation. Yoga keeps each document's validation result as long as
 * the document (a WeakMap), and a failed one holds up to 101 errors, each with its stack: measured at
 * 1.4 MB for a 2,000-token document of unknown fields, three times the document. A document that fails
 * validation is a client's mistake, seldom repeated: it is parsed and validated again if it comes again.
 */
export function useForgetInvalidDocuments(cache: Pick<DocumentCache, 'forget'>): Plugin {
  return {
    onValidate({ params }) {
      return ({ result }) => {
        if (result.length > 0) cache.forget(params.documentAST);
      };
    },
  };
}
