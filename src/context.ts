import type { BrazeClient } from './braze/client.js';
import { createEventSeriesLoader, createLoadStats, type EventSeriesLoader, type LoadStats } from './braze/loader.js';
import type { EventSeriesService } from './braze/seriesService.js';

/** What every resolver of one GraphQL request shares. Built fresh for each request. */
export interface GatewayContext {
  /**
   * "Now" for this request, taken once and rounded down to `requestTimeGranularityMs` (1 s by default):
   * every field that omits `endingAt` asks Braze about the same instant, so they deduplicate and agree.
   */
  readonly requestTime: Date;
  readonly loaders: {
    readonly eventSeries: EventSeriesLoader;
  };
  /** Where this request's series came from (cache, Braze, shared), for `extensions.brazeCache`. */
  readonly loadStats: LoadStats;
  /** The process-wide client, for what it knows about Braze (rate limit, breaker). */
  readonly braze: BrazeClient;
}

export interface ContextOptions {
  signal?: AbortSignal | undefined;
  maxCallsPerRequest: number;
  /** The client sent Cache-Control: no-cache (or no-store). */
  bypassCache?: boolean;
  /** Requests within one such slice share "now" for omitted `endingAt`, and so cache entries. */
  requestTimeGranularityMs?: number;
  now?: number;
}

export function createContext(
  client: BrazeClient,
  service: EventSeriesService,
  { signal, maxCallsPerRequest, bypassCache = false, requestTimeGranularityMs = 1000, now = Date.now() }: ContextOptions,
): GatewayContext {
  const loadStats = createLoadStats();
  return {
    requestTime: new Date(Math.floor(now / requestTimeGranularityMs) * requestTimeGranularityMs),
    loaders: { eventSeries: createEventSeriesLoader(service, { signal, maxCalls: maxCallsPerRequest, bypassCache, stats: loadStats }) },
    loadStats,
    braze: client,
  };
}
