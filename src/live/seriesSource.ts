import type { TimeUnit } from '../data/chunks.js';
import type { Endpoint, TtlPolicy } from '../data/endpoint.js';
import type { LiveSource } from './liveSeries.js';

/** A call of a series endpoint, as far as polling it goes: where its window ends, and (daily if absent) its unit. */
export interface SeriesCallWindow {
  readonly endingAt: Date;
  readonly unit?: TimeUnit;
}

/**
 * How one series is polled, all of it from the endpoint it is asked of: its key is the endpoint's call
 * key (with an omitted `endingAt`, `given` undefined, kept as "now": every poll asks about its own),
 * its interval the endpoint's TTL rule for the poll's instant, and two values with the same points are
 * the same numbers. `load` makes one poll's call at its instant.
 */
export function seriesSource<Call extends SeriesCallWindow, Value extends { readonly points: readonly unknown[] }>(
  endpoint: Pick<Endpoint<Call, unknown>, 'name' | 'key' | 'ttlMs'>,
  call: Call,
  given: Date | undefined,
  ttl: TtlPolicy,
  load: (instant: Date, signal: AbortSignal) => Promise<Value>,
): LiveSource<Value> {
  return {
    key: `${endpoint.name}:${given ? 'at' : 'now'}:${endpoint.key({ ...call, endingAt: given ?? new Date(0) })}`,
    endingAt: given,
    unit: call.unit ?? 'day',
    ttlMs: (instant, now) => endpoint.ttlMs({ ...call, endingAt: instant }, now, ttl),
    load,
    fingerprint: ({ points }) => JSON.stringify(points),
  };
}
