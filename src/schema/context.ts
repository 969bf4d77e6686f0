import { setMaxListeners } from 'node:events';
import type { BrazeClient } from '../braze/client.js';
import { createLoadStats, createRequestLoader, freshAtMostUntil, type LoadStats, type RequestLoader } from '../data/loader.js';
import type { TtlPolicy } from '../data/endpoint.js';
import type { LiveSeries } from '../live/liveSeries.js';
import type { DataService } from '../data/service.js';
import type { RequestTrace } from '../observability/tracing/requestTrace.js';
import type { SeriesBounds } from './arguments.js';

/**
 * What a series field loads through: "now", the longest series, and a loader with a request's cap,
 * cache and sharing. A request's context is one; so is a live poll's (createPollScope).
 */
export interface SeriesScope extends SeriesBounds {
  readonly loader: RequestLoader;
}

/** What the subscription fields need of the gateway: the process's live series, and how a poll loads. */
export interface LiveContext {
  readonly series: LiveSeries;
  /**
   * Who sent a request, as the credential check accepted it (src/auth/callers.ts); undefined when
   * credentials are not checked (auth off). An Authorization header nobody checked is whatever the
   * caller wrote: counting clients by it would let one caller be many.
   */
  readonly callerOf: ((request: Request) => string | undefined) | undefined;
  /** The cache lifetimes the endpoints' TTL rules choose from: a poll's interval follows them. */
  readonly ttl: TtlPolicy;
  /** What one poll loads through, as a request at `instant` would (its "now", cap, cache and sharing). */
  poll(instant: Date, signal: AbortSignal): SeriesScope;
}

/** What every resolver of one GraphQL request shares. Built fresh for each request. */
export interface GatewayContext extends SeriesScope {
  /**
   * "Now" for this request, taken once and rounded down to `requestTimeGranularityMs` (a minute by default):
   * every field that omits `endingAt` asks Braze about the same instant, so they deduplicate and agree.
   */
  readonly requestTime: Date;
  /**
   * `requestTime`, for a field that stands for "now" (it omitted `endingAt`): whatever is built from it
   * is then fresh at most until the time slice ends (a later request asks about a later instant), which
   * the whole-response cache reads. A plain method, not a getter: yoga copies the context into its own
   * with Object.assign, which would read a getter once for every request.
   */
  requestNow(): Date;
  /** Longest series a field may ask for, in units (SERIES_MAX_LENGTH). */
  readonly seriesMaxLength: number;
  /**
   * Distinct Braze calls the request may make (BRAZE_MAX_CALLS_PER_REQUEST), the loader's cap: a field
   * that knows its cost before asking (a ranking of campaigns) refuses beyond it before any call.
   */
  readonly maxCallsPerRequest: number;
  /** Loads any endpoint's answer: deduplicated, coalesced, capped, shared, cached. */
  readonly loader: RequestLoader;
  /** Where this request's answers came from (cache, Braze, shared), for `extensions.brazeCache`. */
  readonly loadStats: LoadStats;
  /** The process-wide client, for what it knows about Braze (rate-limit buckets, breaker). */
  readonly braze: BrazeClient;
  /** Live series (subscriptions): the process's shared polls. */
  readonly live?: LiveContext | undefined;
  /** This request's spans, when tracing is on (src/observability/tracing/requestTrace.ts). */
  readonly trace?: RequestTrace | undefined;
}

export interface ContextOptions {
  signal?: AbortSignal | undefined;
  maxCallsPerRequest: number;
  seriesMaxLength: number;
  /** The client sent Cache-Control: no-cache (or no-store). */
  bypassCache?: boolean;
  /** Requests within one such slice share "now" for omitted `endingAt`, and so cache entries. */
  requestTimeGranularityMs?: number;
  now?: number;
  live?: LiveContext | undefined;
  trace?: RequestTrace | undefined;
  /** Told the keys of Braze's answers their endpoints do not know (see RequestLoaderOptions). */
  reportUnknownKeys?: ((endpoint: string, keys: readonly string[]) => void) | undefined;
}

export function createContext(
  client: BrazeClient,
  data: DataService,
  { signal, maxCallsPerRequest, seriesMaxLength, bypassCache = false, requestTimeGranularityMs = 1000, now = Date.now(), live, trace, reportUnknownKeys }: ContextOptions,
): GatewayContext {
  const loadStats = createLoadStats();
  const sliceStart = timeSliceOf(now, requestTimeGranularityMs);
  const requestTime = new Date(sliceStart);
  return {
    requestTime,
    requestNow() {
      freshAtMostUntil(loadStats, sliceStart + requestTimeGranularityMs);
      return requestTime;
    },
    seriesMaxLength,
    maxCallsPerRequest,
    loader: loaderOnFirstUse(() => createRequestLoader(data, { signal, maxCalls: maxCallsPerRequest, bypassCache, stats: loadStats, trace, reportUnknownKeys })),
    loadStats,
    braze: client,
    live,
    trace,
  };
}

export interface PollScopeOptions {
  readonly maxCallsPerRequest: number;
  readonly seriesMaxLength: number;
  readonly reportUnknownKeys?: ((endpoint: string, keys: readonly string[]) => void) | undefined;
}

/**
 * What one live poll at `instant` loads through: "now" is `instant` (the start of the poll's interval,
 * src/live/liveSeries.ts) to the second, Braze's resolution; never rounded to REQUEST_TIME_GRANULARITY_MS,
 * which would make every poll of a minute ask the same question and find its previous answer in the cache.
 * The loader has a request's cap, the cache and the sharing, with `signal` (the poll's) for its calls.
 * Nothing of a request's response (stats, trace) goes with it.
 */
export function createPollScope(data: DataService, instant: Date, signal: AbortSignal, options: PollScopeOptions): SeriesScope {
  const { maxCallsPerRequest, seriesMaxLength, reportUnknownKeys } = options;
  // Each of the poll's calls listens to its signal while it runs (its wait and its deadline): a long
  // window's chunks are more than Node's default of 10, which is no leak; the cap bounds them.
  setMaxListeners(2 * maxCallsPerRequest + 2, signal);
  const requestTime = new Date(timeSliceOf(instant.getTime(), 1_000));
  return { requestNow: () => requestTime, seriesMaxLength, loader: createRequestLoader(data, { signal, maxCalls: maxCallsPerRequest, reportUnknownKeys }) };
}

/**
 * A request's loader, made at its first load. A live subscription's request never loads through its
 * own (its polls load through theirs, createPollScope), yet lives as long as its viewer: up to
 * LIVE_MAX_SUBSCRIPTIONS of them, each holding a loader's closures and DataLoader map (about 1.4 KiB,
 * docs/benchmarks.md "Live series") for nothing. A plain object with a method, no getter: yoga copies
 * the context with Object.assign, which would call a getter for every request.
 */
function loaderOnFirstUse(create: () => RequestLoader): RequestLoader {
  let loader: RequestLoader | undefined;
  return { load: (endpoint, call) => (loader ??= create()).load(endpoint, call) };
}

/** The start of the time slice `now` falls in: requests (and polls) within one slice share "now". */
function timeSliceOf(now: number, granularityMs: number): number {
  return Math.floor(now / granularityMs) * granularityMs;
}
