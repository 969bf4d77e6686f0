import { simulateSeries } from './simulated/series.js';
import type { Endpoint } from '../data/endpoint.js';
import { parseSeriesBody, seriesCoalescing, seriesSearchParams, seriesTtlMs, type SeriesPoint } from './answers/series.js';
import type { SeriesWindow } from '../data/chunks.js';

/** One normalised call of GET /events/data_series: what Braze is asked, nothing else. */
export interface EventSeriesCall extends SeriesWindow {
  readonly event: string;
  readonly appId: string | undefined;
  readonly segmentId: string | undefined;
}

/** GraphQL Int is a signed 32-bit integer: the legacy `count` and `total` (Int) cannot carry more; `value` and `sum` (SafeInt) can. */
export const GRAPHQL_INT_MAX = 2_147_483_647;

/**
 * The window a call looks at, whatever its length: calls that differ only in `length` share it. The
 * instant is compared as epoch milliseconds, so the same instant written with other offsets is one.
 */
function windowKey(call: EventSeriesCall): string {
  return JSON.stringify([call.event, call.unit, call.endingAt.getTime(), call.appId ?? null, call.segmentId ?? null]);
}

/** GET /events/data_series: occurrences of one custom event per day or hour. */
export const eventSeriesEndpoint: Endpoint<EventSeriesCall, readonly SeriesPoint[]> = {
  name: 'eventSeries',
  path: '/events/data_series',
  permission: 'events.data_series',
  bucket: 'export',
  key: (call) => JSON.stringify([call.event, call.length, call.unit, call.endingAt.getTime(), call.appId ?? null, call.segmentId ?? null]),
  searchParams(call) {
    const params = seriesSearchParams(call, { withUnit: true }, { event: call.event });
    // Optional filters are left out rather than sent empty.
    if (call.appId !== undefined) params.set('app_id', call.appId);
    if (call.segmentId !== undefined) params.set('segment_id', call.segmentId);
    return params;
  },
  // Counts are safe integers, as in every series: one past GraphQL Int fails only the Int fields asking for it.
  parse: (text, call) => parseSeriesBody(text, call, 'count', 'count'),
  ttlMs: seriesTtlMs,
  coalescing: seriesCoalescing(windowKey),
  simulate: (input) => simulateSeries(input, { required: ['event'], measure: 'count', withUnit: true, seededBy: ['event', 'app_id', 'segment_id'] }),
};
