import type { DocumentNode } from 'graphql';
import { LRUCache } from 'lru-cache';

/**
 * Estimated heap bytes a parsed document keeps per lexical token. graphql-js keeps every token (an
 * object linked to its neighbours, so one kept node keeps the whole list) and a Location per AST
 * node; measured at 300–330 bytes a token on Node 20 for documents from 16 to 2,000 tokens.
 * Rounded up: overestimating makes the cache hold less, never more, than its bound.
 */
export const BYTES_PER_TOKEN = 400;
/** The document text, kept as the key: two bytes a character covers text that is not Latin-1. */
export const BYTES_PER_CHARACTER = 2;
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
}

type Entry = { readonly document: DocumentNode } | { readonly error: unknown };

/** Lexical tokens of a parsed document, comments included (they are kept too); 0 without locations. */
export function countTokens(document: DocumentNode): number {
  let tokens = 0;
  for (let token = document.loc?.startToken ?? null; token !== null; token = token.next) tokens++;
  return tokens;
}

/** Estimated heap bytes that keeping `document`, parsed from `text`, costs. */
export function estimateDocumentBytes(text: string, document: DocumentNode): number {
  return text.length * BYTES_PER_CHARACTER + countTokens(document) * BYTES_PER_TOKEN;
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
  };
}
