import type { BrazeClient } from './braze/client.js';
import { createEventSeriesLoader, createLoadStats, type EventSeriesLoader, type LoadStats } from './braze/loader.js';
import type { EventSeriesService } from './braze/seriesService.js';

/** What every resolver of one GraphQL request shares. Built fresh for each request. */
export interface GatewayContext {
  /**
   * "Now" for this request, taken once, to the whole second: every field that omits `endingAt`
   * asks Braze about the same instant, so they deduplicate and agree with each other.
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
  now?: number;
}

export function createContext(
  client: BrazeClient,
  service: EventSeriesService,
  { signal, maxCallsPerRequest, bypassCache = false, now = Date.now() }: ContextOptions,
): GatewayContext {
  const loadStats = createLoadStats();
  return {
    requestTime: new Date(Math.floor(now / 1000) * 1000),
    loaders: { eventSeries: createEventSeriesLoader(service, { signal, maxCalls: maxCallsPerRequest, bypassCache, stats: loadStats }) },
    loadStats,
    braze: client,
  };
}
