import type { AnyEndpoint } from '../endpoint.js';
import { eventSeriesEndpoint } from './eventSeries.js';

/** Every endpoint the gateway describes: what the simulator answers. */
export const ENDPOINTS: readonly AnyEndpoint[] = [eventSeriesEndpoint];
