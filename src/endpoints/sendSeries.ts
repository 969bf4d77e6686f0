import type { SeriesWindow } from '../data/chunks.js';
import type { Coalescing, Endpoint } from '../data/endpoint.js';
import { seriesSearchParams, seriesTtlMs } from './answers/series.js';
import { campaignSeriesEndpoint, type CampaignSeriesPoint } from './campaignSeries.js';
import { simulateSendSeries } from './simulated/sends.js';

/** One normalised call of GET /sends/data_series: a send of an API campaign, daily (Braze takes no `unit`). */
export interface SendSeriesCall extends SeriesWindow {
  readonly campaignId: string;
  readonly sendId: string;
  readonly unit: 'day';
}

/** Calls that differ only in `length` share the longest, when it is complete (as campaign series do). */
const coalescing: Coalescing<SendSeriesCall, readonly CampaignSeriesPoint[]> = {
  windowKey: (call) => JSON.stringify([call.campaignId, call.sendId, call.endingAt.getTime()]),
  reach: (call) => call.length,
  slice: (points, covering, call) => (points.length === covering.length ? points.slice(points.length - call.length) : undefined),
};

/**
 * GET /sends/data_series: one send (`send_id`) of an API campaign per day. Braze's page gives its
 * answer the fields of a campaign series point (`time`, `messages` per channel × variation,
 * conversions, `unique_recipients`, `revenue`), so it is read by the campaign series' own reader, and
 * its points are campaign series points. Braze keeps a send's numbers for 14 days after the send; a
 * window reaching further back is asked as any window is (Braze's own example asks 30 days), and
 * answered as Braze answers it. The default rate limit: the export bucket.
 */
export const sendSeriesEndpoint: Endpoint<SendSeriesCall, readonly CampaignSeriesPoint[]> = {
  name: 'sendSeries',
  path: '/sends/data_series',
  permission: 'sends.data_series',
  bucket: 'export',
  key: (call) => JSON.stringify([call.campaignId, call.sendId, call.length, call.endingAt.getTime()]),
  searchParams: (call) => seriesSearchParams(call, { withUnit: false }, { campaign_id: call.campaignId, send_id: call.sendId }),
  parse: (text, { campaignId, length, endingAt }) => campaignSeriesEndpoint.parse(text, { campaignId, length, unit: 'day', endingAt }),
  ttlMs: seriesTtlMs,
  coalescing,
  simulate: simulateSendSeries,
};
