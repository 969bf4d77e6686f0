import { UpstreamInvalidResponseError } from '../errors/gatewayErrors.js';
import { simulateCampaignSeries } from './simulated/campaigns.js';
import { brazeDay, count, isRecord, optionalAmount, optionalCount } from './answers/answerFields.js';
import { CHANNEL_MESSAGES_SHAPE, CONVERSION_COUNTS, parseChannelMessages, type ChannelStats } from './answers/channelStats.js';
import { isConversionKey, parseConversionEvents, type ConversionEventCounts } from './answers/conversions.js';
import { ANY, leaves, listOf, record, withUnknownKeys } from './answers/shape.js';
import { decimalFromNumber } from './answers/decimal.js';
import type { Coalescing, Endpoint } from '../data/endpoint.js';
import { parseSuccessBody } from './answers/lists.js';
import { seriesSearchParams, seriesTtlMs } from './answers/series.js';
import type { SeriesWindow } from '../data/chunks.js';

/** One normalised call of GET /campaigns/data_series. Daily only: Braze takes no `unit` here. */
export interface CampaignSeriesCall extends SeriesWindow {
  readonly campaignId: string;
  readonly unit: 'day';
}

/** The campaign-wide results of a point, by Braze name: counts, all optional but `unique_recipients`. */
export const CAMPAIGN_POINT_COUNTS = CONVERSION_COUNTS;
export type CampaignPointCount = (typeof CAMPAIGN_POINT_COUNTS)[number];

/** One day of a campaign. */
export interface CampaignSeriesPoint {
  /** Start of the day: midnight UTC of the date Braze wrote (a day in the workspace's time zone). */
  readonly time: Date;
  readonly uniqueRecipients: number;
  /** Exact decimal; null when Braze leaves it out (it is optional on Braze's page). */
  readonly revenue: string | null;
  readonly counts: Readonly<Record<CampaignPointCount, number | null>>;
  /** Conversions per conversion event, by index (by send time as the twin), however many the campaign has. */
  readonly conversionEvents: readonly ConversionEventCounts[];
  readonly channels: readonly ChannelStats[];
}

function parsePoint(entry: unknown, index: number): CampaignSeriesPoint {
  const at = `data[${index}]`;
  if (!isRecord(entry)) throw new UpstreamInvalidResponseError(`${at} is not an object`);
  const uniqueRecipients = count(entry['unique_recipients'], `${at}.unique_recipients`);
  const revenue = optionalAmount(entry['revenue'], `${at}.revenue`);
  const counts = Object.fromEntries(CAMPAIGN_POINT_COUNTS.map((name) => [name, optionalCount(entry[name], `${at}.${name}`)])) as Record<CampaignPointCount, number | null>;
  return {
    time: brazeDay(entry['time'], `${at}.time`),
    uniqueRecipients,
    revenue: revenue === null ? null : decimalFromNumber(revenue),
    counts,
    conversionEvents: parseConversionEvents(entry, at, 'send'),
    channels: parseChannelMessages(entry['messages'], `${at}.messages`),
  };
}

/** What Braze documents of a /campaigns/data_series answer (multichannel and multivariate alike). */
export const CAMPAIGN_SERIES_SHAPE = record({
  message: ANY,
  data: listOf(record({ ...leaves(['time', 'unique_recipients', 'revenue']), messages: CHANNEL_MESSAGES_SHAPE }, (name) => isConversionKey(name, 'send'))),
});

/**
 * Calls that differ only in `length` share one: the longest answer holds the others as its last
 * points when it is complete (one point per day); otherwise a shorter call gets its own.
 */
const coalescing: Coalescing<CampaignSeriesCall, readonly CampaignSeriesPoint[]> = {
  windowKey: (call) => JSON.stringify([call.campaignId, call.endingAt.getTime()]),
  reach: (call) => call.length,
  slice: (points, covering, call) => (points.length === covering.length ? points.slice(points.length - call.length) : undefined),
};

/**
 * GET /campaigns/data_series: a campaign's results per day, campaign-wide and per channel × variation.
 * It spends its own rate-limit bucket (50,000 a minute), not the export bucket.
 */
export const campaignSeriesEndpoint: Endpoint<CampaignSeriesCall, readonly CampaignSeriesPoint[]> = {
  name: 'campaignSeries',
  path: '/campaigns/data_series',
  permission: 'campaigns.data_series',
  bucket: 'campaignSeries',
  key: (call) => JSON.stringify([call.campaignId, call.length, call.endingAt.getTime()]),
  searchParams: (call) => seriesSearchParams(call, { withUnit: false }, { campaign_id: call.campaignId }),
  parse(text, call) {
    const body = parseSuccessBody(text);
    const data = body['data'];
    if (!Array.isArray(data)) throw new UpstreamInvalidResponseError('Braze answered without a "data" list');
    // Fewer points than asked is normal (a young campaign); more cannot be a series of `length`.
    if (data.length > call.length) throw new UpstreamInvalidResponseError(`Braze answered ${data.length} points for a series of length ${call.length}`);
    return withUnknownKeys(data.map(parsePoint), body, CAMPAIGN_SERIES_SHAPE);
  },
  ttlMs: seriesTtlMs,
  coalescing,
  simulate: simulateCampaignSeries,
};
