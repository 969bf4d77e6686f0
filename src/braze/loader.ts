import DataLoader from 'dataloader';
import type { BrazeClient } from './client.js';
import { eventSeriesCallKey, type EventSeriesCall, type EventSeriesPoint } from './eventSeries.js';

export type EventSeriesLoader = DataLoader<EventSeriesCall, EventSeriesPoint[], string>;

/**
 * One loader per GraphQL request: fields that ask Braze the same question (aliases, fragments, the
 * same instant in other offsets) share one upstream call. Created per request so that nothing,
 * failures included, outlives the request.
 */
export function createEventSeriesLoader(client: BrazeClient, signal?: AbortSignal): EventSeriesLoader {
  return new DataLoader<EventSeriesCall, EventSeriesPoint[], string>(
    // Braze has no batch endpoint: each distinct key is its own call, made concurrently. A failed call
    // becomes that key's Error, so only the fields asking for it fail.
    (calls) =>
      Promise.all(
        calls.map((call) => client.eventSeries(call, signal).catch((error: unknown) => toError(error))),
      ),
    { cacheKeyFn: eventSeriesCallKey },
  );
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
