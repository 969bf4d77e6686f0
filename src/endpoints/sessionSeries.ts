import { sessions } from './simulated/measures.js';
import type { Endpoint } from '../data/endpoint.js';
import { filteredSeriesEndpoint } from './answers/filteredSeries.js';
import type { SeriesPoint } from './answers/series.js';
import type { SeriesWindow } from '../data/chunks.js';

/** One normalised call of GET /sessions/data_series: what Braze is asked, nothing else. */
export interface SessionSeriesCall extends SeriesWindow {
  readonly appId: string | undefined;
  readonly segmentId: string | undefined;
}

/** GET /sessions/data_series: sessions per day or hour, in the export bucket (the default 250,000/h limit). */
export const sessionSeriesEndpoint: Endpoint<SessionSeriesCall, readonly SeriesPoint[]> = filteredSeriesEndpoint<SessionSeriesCall>({
  name: 'sessionSeries',
  path: '/sessions/data_series',
  bucket: 'export',
  measure: 'sessions',
  kind: 'count',
  withUnit: true,
  filters: (call) => ({ app_id: call.appId, segment_id: call.segmentId }),
  simulation: { seededBy: ['app_id', 'segment_id'], shape: sessions },
});
