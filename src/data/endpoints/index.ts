import type { AnyEndpoint } from '../endpoint.js';
import { eventListEndpoint } from './eventList.js';
import { eventSeriesEndpoint } from './eventSeries.js';
import { productListEndpoint } from './productList.js';
import { segmentDetailsEndpoint } from './segmentDetails.js';
import { segmentListEndpoint } from './segmentList.js';
import { segmentSizeEndpoint } from './segmentSize.js';

/** Every endpoint the gateway describes: what the simulator answers. */
export const ENDPOINTS: readonly AnyEndpoint[] = [eventSeriesEndpoint, eventListEndpoint, productListEndpoint, segmentListEndpoint, segmentDetailsEndpoint, segmentSizeEndpoint];
