import type { BrazeClient } from './braze/client.js';
import { createEventSeriesLoader, type EventSeriesLoader } from './braze/loader.js';

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
  /** The process-wide client, for what it knows about Braze (rate limit, breaker). */
  readonly braze: BrazeClient;
}

export interface ContextOptions {
  signal?: AbortSignal | undefined;
  maxCallsPerRequest: number;
  now?: number;
}

export function createContext(client: BrazeClient, { signal, maxCallsPerRequest, now = Date.now() }: ContextOptions): GatewayContext {
  return {
    requestTime: new Date(Math.floor(now / 1000) * 1000),
    loaders: { eventSeries: createEventSeriesLoader(client, { signal, maxCalls: maxCallsPerRequest }) },
    braze: client,
  };
}
