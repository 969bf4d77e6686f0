import type { Cache } from '@graphql-yoga/plugin-response-cache';
import type { ExecutionResult } from 'graphql';
import { LRUCache } from 'lru-cache';
import { parsedJsonBytes, stringBytes } from './heapBytes.js';

export interface ResponseStoreOptions {
  /** Responses kept at most (RESPONSE_CACHE_MAX_ENTRIES). */
  readonly maxEntries: number;
  /** Heap bytes the kept responses may hold (RESPONSE_CACHE_MAX_BYTES); a larger response is not kept. */
  readonly maxBytes: number;
}

export interface ResponseStore extends Cache {
  /** Estimated heap bytes held now. */
  readonly bytes: number;
  readonly entries: number;
}

/**
 * Per response beside its JSON, its copy and its key: the store's entry, the result object (a hash
 * table: it is built as `{ ...result, … }`) with what the response cache plugin adds to it, and the
 * JSON's entry in `dataJson`. Measured at about 700 bytes (`npm run bench:memory -- kinds`).
 */
const ENTRY_BYTES = 1024;

/** The JSON each kept response's `data` is sent as, by the very object the store keeps. */
const dataJson = new WeakMap<object, string>();

/**
 * The JSON a response's `data` was stored as, when `data` is what this store gave out: a hit sends it
 * as it is (writing 30 points' JSON was the largest cost of a hit).
 */
export function storedDataJson(data: object): string | undefined {
  return dataJson.get(data);
}

interface Kept {
  readonly result: ExecutionResult;
  readonly bytes: number;
}

/**
 * What a response costs to keep, and the copy that is kept. The copy is JSON.parse of the response's
 * JSON: objects, arrays and strings V8 lays out one way whatever built the original (graphql-js'
 * null-prototype objects with a property deleted by the response cache plugin are hash tables, five
 * times a plain object), so the estimate can follow that layout node by node. The JSON is kept for hits.
 * undefined when the response cannot be kept: it is not JSON, or it alone is larger than `maxBytes`.
 */
function keep(id: string, result: ExecutionResult, maxBytes: number): Kept | undefined {
  const { data, extensions } = result;
  let json: string | undefined;
  let extensionsJson: string | undefined;
  try {
    json = data === undefined || data === null ? undefined : JSON.stringify(data);
    extensionsJson = extensions === undefined ? undefined : JSON.stringify(extensions);
  } catch {
    return undefined;
  }
  // The texts alone, before anything is copied: a response that cannot fit costs no more work.
  let bytes = ENTRY_BYTES + stringBytes(id) + (json === undefined ? 0 : stringBytes(json));
  if (bytes + (extensionsJson?.length ?? 0) > maxBytes) return undefined;
  const dataCopy: unknown = json === undefined ? data : JSON.parse(json);
  const extensionsCopy: unknown = extensionsJson === undefined ? undefined : JSON.parse(extensionsJson);
  bytes += parsedJsonBytes(dataCopy) + parsedJsonBytes(extensionsCopy);
  if (bytes > maxBytes) return undefined;
  const copy: ExecutionResult = { ...result };
  if (json !== undefined) {
    copy.data = dataCopy as NonNullable<ExecutionResult['data']>;
    dataJson.set(dataCopy as object, json);
  }
  if (extensionsCopy !== undefined) copy.extensions = extensionsCopy as NonNullable<ExecutionResult['extensions']>;
  return { result: copy, bytes };
}

/**
 * Where the whole-response cache keeps responses: least recently used first out, bounded in entries
 * and in heap bytes. The plugin's own store counts entries only, and one response may hold 49,000
 * objects: a caller sending many distinct documents could otherwise fill the heap. A response's bytes
 * are what its kept copy and JSON hold, node by node (src/cache/heapBytes.ts), counted once when it is
 * stored, never on a hit. Nothing here is invalidated by entity: the gateway has no mutations.
 */
export function createResponseStore({ maxEntries, maxBytes }: ResponseStoreOptions): ResponseStore {
  const entries = new LRUCache<string, ExecutionResult>({ max: maxEntries, maxSize: maxBytes });
  return {
    set(id, result, _entities, ttl) {
      // A response that must not be kept, or kept forever (never asked for), is not kept.
      if (!(ttl > 0 && Number.isFinite(ttl))) return;
      const kept = keep(id, result, maxBytes);
      if (kept === undefined) {
        // A newer answer that cannot be kept must not leave an older one under its key.
        entries.delete(id);
        return;
      }
      entries.set(id, kept.result, { ttl: Math.ceil(ttl), size: kept.bytes });
    },
    get: (id) => entries.get(id),
    invalidate() {
      // No mutation in this schema: nothing to invalidate.
    },
    get bytes() {
      return entries.calculatedSize;
    },
    get entries() {
      return entries.size;
    },
  };
}
