import { simulateSeries } from './simulated/series.js';
import type { Endpoint } from '../data/endpoint.js';
import { parseSeriesBody, seriesCoalescing, seriesSearchParams, seriesTtlMs, type SeriesPoint } from './answers/series.js';
import type { SeriesWindow } from '../data/chunks.js';

/** One normalised call of GET /segments/data_series. Daily only: Braze takes no `unit` here (nor `app_id`). */
export interface SegmentSizeCall extends SeriesWindow {
  readonly segmentId: string;
  readonly unit: 'day';
}

/** Calls that differ only in `length` share a window (the instant compared as epoch milliseconds). */
function windowKey(call: SegmentSizeCall): string {
  return JSON.stringify([call.segmentId, call.endingAt.getTime()]);
}

/** GET /segments/data_series: the estimated size of one segment, per day. */
export const segmentSizeEndpoint: Endpoint<SegmentSizeCall, readonly SeriesPoint[]> = {
  name: 'segmentSize',
  path: '/segments/data_series',
  permission: 'segments.data_series',
  bucket: 'export',
  key: (call) => JSON.stringify([call.segmentId, call.length, call.endingAt.getTime()]),
  searchParams: (call) => seriesSearchParams(call, { withUnit: false }, { segment_id: call.segmentId }),
  parse: (text, call) => parseSeriesBody(text, call, 'size', 'count'),
  ttlMs: seriesTtlMs,
  coalescing: seriesCoalescing(windowKey),
  // Sizes are audiences, larger and steadier than daily event counts.
  simulate: (input) => simulateSeries(input, { required: ['segment_id'], measure: 'size', withUnit: false, seededBy: ['segment_id'], shape: (value) => value * 40 }),
};
