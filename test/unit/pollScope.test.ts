import { getMaxListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { Endpoint } from '../../src/data/endpoint.js';
import type { DataService, LoadOptions, Loaded } from '../../src/data/service.js';
import { eventSeriesEndpoint, type EventSeriesCall } from '../../src/endpoints/eventSeries.js';
import { TooManyUpstreamCallsError } from '../../src/errors/gatewayErrors.js';
import { createPollScope } from '../../src/schema/context.js';

/** A service that answers every call at once with no points, and records the signal each load was given. */
function recordingService(): { service: DataService; signals: (AbortSignal | undefined)[] } {
  const signals: (AbortSignal | undefined)[] = [];
  const service = {
    get<C, A>(_endpoint: Endpoint<C, A>, _call: C, options: LoadOptions): Promise<Loaded<A>> {
      signals.push(options.signal);
      return Promise.resolve({ answer: [] as unknown as A, fetchedAt: new Date(0), source: 'braze', expiresAt: 60_000 });
    },
  };
  // Only `get` is used by the loader.
  return { service: service as unknown as DataService, signals };
}

const call = (length: number): EventSeriesCall => ({ event: 'e', length, unit: 'day', endingAt: new Date('2026-03-10T00:00:00Z'), appId: undefined, segmentId: undefined });
const OPTIONS = { maxCallsPerRequest: 2, seriesMaxLength: 500 };

describe('createPollScope (what one live poll loads through)', () => {
  it('"now" is the poll\'s instant to the second (Braze\'s resolution), never the request time slice', () => {
    const scope = createPollScope(recordingService().service, new Date('2026-03-10T12:00:00.600Z'), new AbortController().signal, OPTIONS);
    expect(scope.requestNow()).toEqual(new Date('2026-03-10T12:00:00.000Z'));
    expect(scope.seriesMaxLength).toBe(500);
  });

  it("loads with the poll's signal, under a request's cap on Braze calls", async () => {
    const { service, signals } = recordingService();
    const signal = new AbortController().signal;
    const scope = createPollScope(service, new Date(), signal, OPTIONS);
    // Three distinct calls, one after another: the third is past the cap.
    await scope.loader.load(eventSeriesEndpoint, call(1));
    await scope.loader.load(eventSeriesEndpoint, call(2));
    await expect(scope.loader.load(eventSeriesEndpoint, call(3))).rejects.toBeInstanceOf(TooManyUpstreamCallsError);
    expect(signals).toEqual([signal, signal]);
    // Each call listens to the signal while it runs: room for the cap's calls, without Node's leak warning.
    expect(getMaxListeners(signal)).toBe(2 * OPTIONS.maxCallsPerRequest + 2);
  });
});
