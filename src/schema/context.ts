import type { BrazeClient } from '../braze/client.js';
import { createLoadStats, createRequestLoader, freshAtMostUntil, type LoadStats, type RequestLoader } from '../data/loader.js';
import type { TtlPolicy } from '../data/endpoint.js';
import type { LiveSeries } from '../live/liveSeries.js';
import type { DataService } from '../data/service.js';
import type { RequestTrace } from '../observability/tracing/requestTrace.js';

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
  /** The context one poll loads through, as a request's would be at `instant` (its cap, cache and sharing). */
  pollContext(instant: Date, signal: AbortSignal): GatewayContext;
}

/** What every resolver of one GraphQL request shares. Built fresh for each request. */
export interface GatewayContext {
  /**
   * "Now" for this request, taken once and rounded down to `requestTimeGranularityMs` (1 s by default):
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
}

export function createContext(
  client: BrazeClient,
  data: DataService,
  { signal, maxCallsPerRequest, seriesMaxLength, bypassCache = false, requestTimeGranularityMs = 1000, now = Date.now(), live, trace }: ContextOptions,
): GatewayContext {
  const loadStats = createLoadStats();
  const sliceStart = Math.floor(now / requestTimeGranularityMs) * requestTimeGranularityMs;
  const requestTime = new Date(sliceStart);
  return {
    requestTime,
    requestNow() {
      freshAtMostUntil(loadStats, sliceStart + requestTimeGranularityMs);
      return requestTime;
    },
    seriesMaxLength,
    loader: createRequestLoader(data, { signal, maxCalls: maxCallsPerRequest, bypassCache, stats: loadStats, trace }),
    loadStats,
    braze: client,
    live,
    trace,
  };
}
