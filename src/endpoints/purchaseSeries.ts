import { purchaseQuantity, revenue } from './simulated/measures.js';
import type { Endpoint } from '../data/endpoint.js';
import { filteredSeriesEndpoint } from './answers/filteredSeries.js';
import type { SeriesPoint } from './answers/series.js';
import type { SeriesWindow } from '../data/chunks.js';

/** What a purchase series measures: items bought, or the money they brought. */
export type PurchaseMeasure = 'quantity' | 'revenue';

/** One normalised call of GET /purchases/quantity_series or /purchases/revenue_series. */
export interface PurchaseSeriesCall extends SeriesWindow {
  readonly appId: string | undefined;
  /** A product name (Braze's `product_id` of logged purchases). */
  readonly product: string | undefined;
}

/**
 * GET /purchases/<measure>_series. Braze's pages put both in the 1,000/h list bucket (shared with
 * /events/list, /events, /custom_attributes and /purchases/product_list), while its limits page lists
 * them nowhere: budgeted in the smaller bucket, so a dashboard cannot starve it unnoticed.
 */
function purchaseSeriesEndpoint(measure: PurchaseMeasure): Endpoint<PurchaseSeriesCall, readonly SeriesPoint[]> {
  const quantity = measure === 'quantity';
  return filteredSeriesEndpoint<PurchaseSeriesCall>({
    name: quantity ? 'purchaseQuantitySeries' : 'purchaseRevenueSeries',
    path: `/purchases/${measure}_series`,
    bucket: 'lists',
    measure: quantity ? 'purchase_quantity' : 'revenue',
    // Braze documents revenue as an int, but purchase prices are floats: it may carry cents.
    kind: quantity ? 'count' : 'amount',
    withUnit: true,
    filters: (call) => ({ app_id: call.appId, product: call.product }),
    simulation: { seededBy: ['app_id', 'product'], shape: quantity ? purchaseQuantity : revenue },
  });
}

export const PURCHASE_SERIES_ENDPOINTS: Readonly<Record<PurchaseMeasure, Endpoint<PurchaseSeriesCall, readonly SeriesPoint[]>>> = {
  quantity: purchaseSeriesEndpoint('quantity'),
  revenue: purchaseSeriesEndpoint('revenue'),
};
