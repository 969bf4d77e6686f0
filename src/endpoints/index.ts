import type { AnyEndpoint } from '../data/endpoint.js';
import { campaignDetailsEndpoint } from './campaignDetails.js';
import { campaignListEndpoint } from './campaignList.js';
import { campaignSeriesEndpoint } from './campaignSeries.js';
import { canvasDetailsEndpoint } from './canvasDetails.js';
import { canvasListEndpoint } from './canvasList.js';
import { canvasSeriesEndpoint, canvasSummaryEndpoint } from './canvasSeries.js';
import { customAttributeExportEndpoint } from './customAttributeExport.js';
import { eventExportEndpoint } from './eventExport.js';
import { eventListEndpoint } from './eventList.js';
import { eventSeriesEndpoint } from './eventSeries.js';
import { KPI_SERIES_ENDPOINTS } from './kpiSeries.js';
import { productListEndpoint } from './productList.js';
import { PURCHASE_SERIES_ENDPOINTS } from './purchaseSeries.js';
import { segmentDetailsEndpoint } from './segmentDetails.js';
import { segmentListEndpoint } from './segmentList.js';
import { segmentSizeEndpoint } from './segmentSize.js';
import { sendSeriesEndpoint } from './sendSeries.js';
import { sessionSeriesEndpoint } from './sessionSeries.js';

/** Every endpoint the gateway describes: what the simulator answers. Each spends a bucket of the table (a unit test checks). */
export const ENDPOINTS: readonly AnyEndpoint[] = [
  eventSeriesEndpoint,
  ...Object.values(KPI_SERIES_ENDPOINTS),
  sessionSeriesEndpoint,
  ...Object.values(PURCHASE_SERIES_ENDPOINTS),
  eventListEndpoint,
  productListEndpoint,
  segmentListEndpoint,
  segmentDetailsEndpoint,
  segmentSizeEndpoint,
  campaignListEndpoint,
  campaignDetailsEndpoint,
  campaignSeriesEndpoint,
  canvasListEndpoint,
  canvasDetailsEndpoint,
  canvasSeriesEndpoint,
  canvasSummaryEndpoint,
  sendSeriesEndpoint,
  eventExportEndpoint,
  customAttributeExportEndpoint,
];
