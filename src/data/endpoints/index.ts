import type { AnyEndpoint } from '../endpoint.js';
import { eventSeriesEndpoint } from './eventSeries.js';
import { KPI_SERIES_ENDPOINTS } from './kpiSeries.js';
import { PURCHASE_SERIES_ENDPOINTS } from './purchaseSeries.js';
import { sessionSeriesEndpoint } from './sessionSeries.js';

/** Every endpoint the gateway describes: what the simulator answers. */
export const ENDPOINTS: readonly AnyEndpoint[] = [
  eventSeriesEndpoint,
  ...Object.values(KPI_SERIES_ENDPOINTS),
  sessionSeriesEndpoint,
  ...Object.values(PURCHASE_SERIES_ENDPOINTS),
];
