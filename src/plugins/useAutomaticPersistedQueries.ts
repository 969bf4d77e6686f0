import { useAPQ, type APQStore } from '@graphql-yoga/plugin-apq';
import type { Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import { PersistedOperationError } from '../errors/gatewayErrors.js';

/** How many registered documents the gateway keeps, and how much of their text. */
export interface AutomaticPersistedQueriesPolicy {
  /** Documents kept at most; the least recently used goes first. */
  readonly maxEntries: number;
  /** Bytes of document text (UTF-8, plus the hash) kept at most; a document larger than this is run but not kept. */
  readonly maxBytes: number;
}

/** Told of each lookup by hash alone and where the store's size is read (GatewayMetrics is one). */
export interface AutomaticPersistedQueriesObserver {
  apqLookup(hit: boolean): void;
  watchApq(bytes: () => number): void;
}

/** What Apollo Client, urql and Relay send: SHA-256 as 64 lowercase hex digits, protocol version 1. */
const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Automatic persisted queries, Apollo's protocol (`extensions.persistedQuery { version: 1, sha256Hash }`),
 * with yoga's maintained plugin: a hash the gateway knows runs its document; an unknown one is answered
 * PERSISTED_QUERY_NOT_FOUND (message `PersistedQueryNotFound`, which urql matches), and the client sends
 * the document with its hash, which is checked (sha256 of the text, else PERSISTED_QUERY_MISMATCH) before
 * it is kept. Kept in a bounded LRU (`policy`), per process. The extension is checked first: anything
 * but version 1 with 64 lowercase hex digits is answered PERSISTED_QUERY_NOT_SUPPORTED before any
 * lookup, which makes clients send their documents in full from then on. The gateway installs it unless
 * APQ_MAX_BYTES=0 or PERSISTED_OPERATIONS_FILE is set; without it, `useNoAutomaticPersistedQueries`.
 */
export function useAutomaticPersistedQueries(policy: AutomaticPersistedQueriesPolicy, observer?: AutomaticPersistedQueriesObserver): Plugin[] {
  return [
    {
      onParams({ params }) {
        const extension: unknown = params.extensions?.['persistedQuery'];
        if (extension !== undefined && !isWellFormed(extension)) throw notSupported();
      },
    },
    useAPQ({ store: createStore(policy, observer) }),
  ];
}

/**
 * With APQ off (APQ_MAX_BYTES=0): a request naming its document by hash alone is answered
 * PERSISTED_QUERY_NOT_SUPPORTED, on which Apollo's link and urql's exchange stop hashing and send
 * documents. A request with its document runs it; the extension is ignored.
 */
export function useNoAutomaticPersistedQueries(): Plugin {
  return {
    onParams({ params }) {
      if (params.extensions?.['persistedQuery'] !== undefined && typeof params.query !== 'string') throw notSupported();
    },
  };
}

function isWellFormed(extension: unknown): boolean {
  if (extension === null || typeof extension !== 'object') return false;
  const { version, sha256Hash } = extension as { version?: unknown; sha256Hash?: unknown };
  return version === 1 && typeof sha256Hash === 'string' && SHA256_HEX.test(sha256Hash);
}

/** The message is the protocol's: urql recognises the error by it, Apollo by it or by the code. */
function notSupported(): PersistedOperationError {
  return new PersistedOperationError('PERSISTED_QUERY_NOT_SUPPORTED', 'PersistedQueryNotSupported');
}

/** Documents by hash, bounded in entries and in bytes of text. The plugin only stores a checked hash. */
function createStore({ maxEntries, maxBytes }: AutomaticPersistedQueriesPolicy, observer: AutomaticPersistedQueriesObserver | undefined): APQStore {
  const documents = new LRUCache<string, string>({
    max: maxEntries,
    maxSize: maxBytes,
    sizeCalculation: (document, hash) => Buffer.byteLength(document) + hash.length,
  });
  observer?.watchApq(() => documents.calculatedSize);
  return {
    // The plugin reads the store only for a hash sent without its document.
    get: (hash) => {
      const document = documents.get(hash);
      observer?.apqLookup(document !== undefined);
      return document;
    },
    // lru-cache refuses an entry larger than maxSize by itself: such a document runs and is not kept.
    set: (hash, document) => void documents.set(hash, document),
  };
}
