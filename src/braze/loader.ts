import DataLoader from 'dataloader';
import { TooManyUpstreamCallsError } from '../errors.js';
import type { BrazeClient } from './client.js';
import { eventSeriesCallKey, type EventSeriesCall, type EventSeriesPoint } from './eventSeries.js';

export type EventSeriesLoader = DataLoader<EventSeriesCall, EventSeriesPoint[], string>;

export interface EventSeriesLoaderOptions {
  /** The GraphQL request's signal: its client going away aborts the calls. */
  signal?: AbortSignal | undefined;
  /** Distinct calls this request may make; the ones beyond fail with TOO_MANY_UPSTREAM_CALLS. */
  maxCalls: number;
}

/**
 * One loader per GraphQL request: fields that ask Braze the same question (aliases, fragments, the
 * same instant in other offsets) share one upstream call. Created per request so that nothing,
 * failures included, outlives the request.
 */
export function createEventSeriesLoader(client: BrazeClient, { signal, maxCalls }: EventSeriesLoaderOptions): EventSeriesLoader {
  let made = 0;
  return new DataLoader<EventSeriesCall, EventSeriesPoint[], string>(
    // Braze has no batch endpoint: each distinct key is its own call, made concurrently. A failed call
    // becomes that key's Error, so only the fields asking for it fail.
    (calls) =>
      Promise.all(
        calls.map((call) => {
          // The loader only sees distinct keys, so this counts distinct calls, in document order.
          if (made >= maxCalls) return new TooManyUpstreamCallsError(maxCalls);
          made++;
          return client.eventSeries(call, signal).catch((error: unknown) => toError(error));
        }),
      ),
    { cacheKeyFn: eventSeriesCallKey },
  );
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
