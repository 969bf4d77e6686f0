import { createHash } from 'node:crypto';
import { useResponseCache } from '@graphql-yoga/plugin-response-cache';
import type { ExecutionResult } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { createResponseStore, storedDataJson } from '../cache/responseStore.js';
import type { LoadStats } from '../data/loader.js';

/** What yoga's response cache puts on a result it serves from its cache. */
const SERVED_FROM_CACHE = Symbol.for('servedFromResponseCache');
/** What a cached response was built from: kept on the cached result under a symbol, which JSON never writes. */
const BUILT_FROM = Symbol('builtFrom');

interface BuiltFrom {
  /** Answers the response used, all of which a hit serves without asking anyone. */
  readonly answers: number;
  readonly coalesced: number;
  readonly oldestFetchedAt: number | undefined;
}

type Annotated = ExecutionResult & { [BUILT_FROM]?: BuiltFrom; [SERVED_FROM_CACHE]?: boolean };
/** Yoga writes a result with its `stringify` when it has one. */
type Serializable = ExecutionResult & { stringify?: (result: ExecutionResult) => string };

/**
 * The key of a response: the document, operation name, variables and caller. Node's own SHA-256, at
 * once: the default hashes with WebCrypto, a promise and a job per request (8 % of a hit's CPU).
 * Variables in another key order make another key: a miss, never a wrong hit.
 */
function responseKey({ documentString, operationName, variableValues, sessionId }: {
  documentString: string;
  operationName?: string | null | undefined;
  variableValues?: unknown;
  sessionId: string | null | undefined;
}): string {
  return createHash('sha256')
    .update(JSON.stringify([documentString, operationName ?? '', variableValues ?? {}, sessionId ?? '']))
    .digest('base64url');
}

/** A hit sends the same data with fresh extensions: its data as the JSON the store kept, written once. */
function serializeWithCachedData(result: Serializable): string {
  const { data, extensions, stringify: _self, ...rest } = result;
  if (data === null || data === undefined || Object.keys(rest).length > 0) return JSON.stringify(result);
  const json = storedDataJson(data) ?? JSON.stringify(data);
  return extensions === undefined ? `{"data":${json}}` : `{"data":${json},"extensions":${JSON.stringify(extensions)}}`;
}

/**
 * Whether an If-None-Match header names `tag`: a comma-separated list of entity tags, each maybe weak
 * (`W/`) and quoted (the response cache plugin sends its ETag unquoted, and clients send back either).
 * `*` names nothing here: a 304 is only for a response the client shows it holds.
 */
function namesTag(header: string, tag: string): boolean {
  return header.split(',').some((entry) => {
    const unweak = entry.trim().replace(/^W\//, '');
    return (unweak.startsWith('"') && unweak.endsWith('"') && unweak.length >= 2 ? unweak.slice(1, -1) : unweak) === tag;
  });
}

/** Fields whose values are not answers and change between requests: a response with one is never cached. */
const VOLATILE = { 'Query.brazeRateLimit': 0, 'Query.brazeRateLimits': 0, BrazeRateLimit: 0 } as const;

export interface WholeResponseCacheOptions {
  /** Responses kept, least recently used dropped first (RESPONSE_CACHE_MAX_ENTRIES). */
  maxEntries: number;
  /** Heap bytes the responses kept may hold, as src/cache/heapBytes.ts counts them (RESPONSE_CACHE_MAX_BYTES); a larger one is not kept. */
  maxBytes: number;
  /** Longest a response is kept even when nothing in it expires sooner (a response that loaded no answer). */
  maxTtlMs: number;
  /**
   * Who sent the request: requests share a cached response only when these are equal. undefined: the
   * request neither reads nor fills the cache (fail closed).
   */
  callerOf: (request: Request) => string | undefined;
  /** The client asked for fresh data (Cache-Control: no-cache): neither read nor fill the cache. */
  bypass: (request: Request) => boolean;
  /** `extensions.brazeRateLimit` as it is now (useBrazeRateLimitExtension's rateLimitExtension), for hits. */
  rateLimit: () => Record<string, unknown> | undefined;
  /** Told of each hit and how many answers it did not load. */
  onHit?: (answers: number) => void;
  now?: () => number;
}

/**
 * Serves a repeated query whole from memory (yoga's response cache): no parse, validation or
 * execution. Keyed by the document, its variables and operation name, and the caller. A response is
 * kept until the earliest expiry of the answers it was built from (and only for its "now" slice when a
 * field used the request's time), never longer than `maxTtlMs`. Not cached: responses with errors,
 * incremental ones (@defer, @stream), subscriptions, responses naming the rate-limit fields, and requests
 * with `Cache-Control: no-cache`. On a hit, `extensions.brazeCache` counts every answer as a cache hit and
 * says `wholeResponse: true`, with the answers' age now; `extensions.brazeRateLimit` is current.
 *
 * A response that can be cached carries `ETag` (its key) and `Last-Modified`. A request whose
 * If-None-Match names the ETag of the response it would be served from the cache gets 304 with no body:
 * only after the credential check, and only for its own key (same caller, document, operation and
 * variables), so another caller's ETag is a plain miss and tells nothing. (Yoga's plugin checks
 * If-None-Match in onRequest, before any credential is known, against any key in the store: that check
 * is left out.)
 *
 * Place it after the plugins that add those extensions (they must run on the result before it is stored)
 * and after persisted operations (a hit must not bypass their check). Default: not installed; the gateway
 * adds it when RESPONSE_CACHE_ENABLED (default true with the answer cache on).
 */
export function useWholeResponseCache({ maxEntries, maxBytes, maxTtlMs, callerOf, bypass, rateLimit, onHit, now = Date.now }: WholeResponseCacheOptions): Plugin<{
  loadStats?: LoadStats;
}> {
  const incremental = new WeakSet<object>();
  const cache = useResponseCache<{ loadStats?: LoadStats }>({
    session: (request) => callerOf(request) ?? null,
    enabled: (request) => callerOf(request) !== undefined && !bypass(request),
    cache: createResponseStore({ maxEntries, maxBytes }),
    ttl: maxTtlMs,
    ttlPerSchemaCoordinate: VOLATILE,
    // No entity bookkeeping: nothing here is ever invalidated by a mutation, and no `id` is added to documents.
    idFields: [],
    invalidateViaMutation: false,
    includeExtensionMetadata: false,
    buildResponseCacheKey: responseKey,
    onTtl: ({ ttl, context }) => {
      if (incremental.has(context)) return 0;
      const until = (context as { loadStats?: LoadStats }).loadStats?.freshUntil;
      if (until === undefined) return ttl;
      return Math.max(0, Math.min(ttl, Math.floor(until - now())));
    },
  });
  // Its onRequest would answer an If-None-Match before the credential check, for any caller's key.
  const { onRequest: _beforeCredentials, ...afterCredentials } = cache;
  /** Requests whose If-None-Match names their own response's key. */
  const revalidating = new WeakMap<Request, string>();
  return {
    onPluginInit({ addPlugin }) {
      addPlugin(afterCredentials);
    },
    // After the credential check (onRequestParse) and persisted operations (their onParams come first).
    onParams({ params, request }) {
      const tags = request.headers.get('if-none-match');
      if (tags === null) return;
      const caller = callerOf(request);
      if (caller === undefined || bypass(request)) return;
      const key = responseKey({ documentString: params.query ?? '', operationName: params.operationName, variableValues: params.variables, sessionId: caller });
      if (namesTag(tags, key)) revalidating.set(request, key);
    },
    onResultProcess({ request, result, setResultProcessor }) {
      const key = revalidating.get(request);
      if (key === undefined || isAsyncIterable(result) || Array.isArray(result)) return;
      const served = result as Annotated;
      // Only a response served whole from the cache, under this very key, is the one the client holds.
      const headers = served[SERVED_FROM_CACHE] === true ? (served.extensions?.['http'] as { headers?: Record<string, unknown> } | undefined)?.headers : undefined;
      if (headers?.['ETag'] !== key) return;
      const lastModified = headers['Last-Modified'];
      // RFC 9110 §13.1.3: with If-None-Match, If-Modified-Since is ignored.
      setResultProcessor(
        (_result, fetchAPI) => new fetchAPI.Response(null, { status: 304, headers: { ETag: key, ...(typeof lastModified === 'string' ? { 'Last-Modified': lastModified } : {}) } }),
        'application/json',
      );
    },
    onExecute({ args }) {
      return {
        // Runs before the cache's own hook (it is added right after this plugin), on the result it stores.
        onExecuteDone({ result, setResult }) {
          if (isAsyncIterable(result)) {
            incremental.add(args.contextValue);
            return;
          }
          const stats = args.contextValue.loadStats;
          if (!stats) return;
          const { braze, shared, cache: cached } = stats.sources;
          const builtFrom: BuiltFrom = { answers: braze + shared + cached, coalesced: stats.coalesced, oldestFetchedAt: stats.oldestFetchedAt };
          setResult({ ...result, [BUILT_FROM]: builtFrom } as Annotated);
        },
      };
    },
    onExecutionResult({ result, setResult }) {
      if (isAsyncIterable(result) || Array.isArray(result)) return;
      const served = result as Annotated;
      if (served[SERVED_FROM_CACHE] !== true) return;
      const builtFrom = served[BUILT_FROM];
      const { brazeCache: _stored, brazeRateLimit: _then, ...extensions } = served.extensions ?? {};
      if (builtFrom?.oldestFetchedAt !== undefined) {
        extensions['brazeCache'] = {
          hits: builtFrom.answers,
          shared: 0,
          misses: 0,
          attempts: 0,
          coalesced: builtFrom.coalesced,
          maxAgeSeconds: Math.max(0, Math.floor((now() - builtFrom.oldestFetchedAt) / 1000)),
          wholeResponse: true,
        };
      }
      const limits = rateLimit();
      if (limits !== undefined) extensions['brazeRateLimit'] = limits;
      onHit?.(builtFrom?.answers ?? 0);
      setResult({ ...served, extensions, stringify: serializeWithCachedData } as Serializable);
    },
  };
}
