import { dateOf } from '../endpoints/answers/brazeTime.js';
import { sumChannelStats, type ChannelStats } from '../endpoints/answers/channelStats.js';
import { sumDecimals } from '../endpoints/answers/decimal.js';
import { CAMPAIGN_POINT_COUNTS, campaignSeriesEndpoint, type CampaignPointCount, type CampaignSeriesCall, type CampaignSeriesPoint } from '../endpoints/campaignSeries.js';
import { ResultOutOfRangeError } from '../errors/gatewayErrors.js';
import { toDayWindow } from './arguments.js';
import { builder } from './builder.js';
import { channelStatsField } from './channelStats.js';
import { CampaignConversionEventRef, CONVERSION_EVENTS_DESCRIPTION } from './conversionEvents.js';
import { sumConversionEvents } from '../endpoints/answers/conversions.js';
import { dayWindowArgs } from './seriesArgs.js';
import { defineSeries, loadCallSeries } from './seriesField.js';
import { seriesWindowFields, type SeriesResult } from './seriesFields.js';

/** A campaign series as resolved: the call, Braze's points (stitched from chunks past 100 days), when Braze gave them, and in how many calls. */
export type CampaignSeriesResult = SeriesResult<CampaignSeriesCall, CampaignSeriesPoint>;

/** A campaign's results per day (Braze `GET /campaigns/data_series`), in chunks when longer than Braze serves in one call. */
export const campaignSeries = defineSeries({
  args: dayWindowArgs(),
  call: (args, bounds, campaignId: string): CampaignSeriesCall => ({ campaignId, ...toDayWindow(args, bounds) }),
  endpoint: () => campaignSeriesEndpoint,
  load: loadCallSeries,
});

const toCamel = (name: string): string => name.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());

const COUNT_DESCRIPTIONS: Readonly<Record<CampaignPointCount, string>> = {
  conversions: 'Conversions of the primary conversion event (A).',
  conversions_by_send_time: 'Conversions of event A, attributed to the day the message was sent.',
  conversions1: 'Conversions of the second conversion event (B).',
  conversions1_by_send_time: 'Conversions of event B, attributed to the send day.',
  conversions2: 'Conversions of the third conversion event (C).',
  conversions2_by_send_time: 'Conversions of event C, attributed to the send day.',
  conversions3: 'Conversions of the fourth conversion event (D).',
  conversions3_by_send_time: 'Conversions of event D, attributed to the send day.',
};

export const CampaignSeriesPointRef = builder.objectRef<CampaignSeriesPoint>('CampaignSeriesPoint').implement({
  description: "One day of a campaign's results (one entry of Braze's `data`).",
  fields: (t) => ({
    time: t.field({
      type: 'DateTime',
      description: "Start of the day as an instant: midnight UTC of `date`. Braze counts days in the workspace's time zone and reports only the date.",
      resolve: (point) => point.time,
    }),
    date: t.field({ type: 'Date', description: "The day, exactly as Braze reported it (a day in the workspace's time zone).", resolve: (point) => dateOf(point.time) }),
    uniqueRecipients: t.field({ type: 'SafeInt', description: 'People who received the campaign that day (Braze `unique_recipients`).', resolve: (point) => point.uniqueRecipients }),
    revenue: t.field({
      type: 'Decimal',
      nullable: true,
      description: 'Revenue attributed to the campaign that day, in dollars (USD), exact (Braze `revenue`). Null when Braze leaves it out.',
      resolve: (point) => point.revenue,
    }),
    ...Object.fromEntries(
      CAMPAIGN_POINT_COUNTS.map((name) => [
        toCamel(name),
        t.field({ type: 'SafeInt', nullable: true, description: `${COUNT_DESCRIPTIONS[name]} Braze \`${name}\`; null when Braze leaves it out.`, resolve: (point) => point.counts[name] }),
      ]),
    ),
    conversionEvents: t.field({ type: [CampaignConversionEventRef], description: `${CONVERSION_EVENTS_DESCRIPTION} Campaign-wide, the day's.`, resolve: (point) => point.conversionEvents }),
    channels: channelStatsField(t, 'The day per channel × variation (Braze `messages`). Select a family with a fragment: `... on EmailStats { opens }`.', (point) => point.channels),
  }),
});

/** Totals of a series: sums where a sum means something. */
interface CampaignTotalsView {
  readonly points: readonly CampaignSeriesPoint[];
}

function sumCounts(values: readonly (number | null)[]): number | null {
  let total: number | null = null;
  for (const value of values) {
    if (value === null) continue;
    total = (total ?? 0) + value;
    if (!Number.isSafeInteger(total)) throw new ResultOutOfRangeError(`total exceeds ${Number.MAX_SAFE_INTEGER} (2^53 - 1), the largest integer SafeInt can carry exactly`);
  }
  return total;
}

/** The sum of one count over the points (`totals.conversions` and its kin): null when no point reported it. */
export function totalCount(points: readonly CampaignSeriesPoint[], name: CampaignPointCount): number | null {
  return sumCounts(points.map((point) => point.counts[name]));
}

/** The exact sum of the points' revenue (`totals.revenue`): "0" when Braze reported none. */
export function totalRevenue(points: readonly CampaignSeriesPoint[]): string {
  return sumDecimals(points.flatMap((point) => (point.revenue === null ? [] : [point.revenue])));
}

export const CampaignSeriesTotalsRef = builder.objectRef<CampaignTotalsView>('CampaignSeriesTotals').implement({
  description:
    'Sums over the points, where a sum means something: revenue (exact), conversions (all events, by day and by send time), and per channel × variation the counts of messages and actions (sends, opens, clicks, …). Counts of unique people (unique recipients, unique opens/clicks/impressions/dismissals) are not summed: a person reached on two days would count twice.',
  fields: (t) => ({
    days: t.int({ description: 'The number of points summed.', resolve: ({ points }) => points.length }),
    revenue: t.field({
      type: 'Decimal',
      description: 'Sum of the revenue of all points, computed exactly ("0" when Braze reported none).',
      resolve: ({ points }) => totalRevenue(points),
    }),
    ...Object.fromEntries(
      CAMPAIGN_POINT_COUNTS.map((name) => [
        toCamel(name),
        t.field({
          type: 'SafeInt',
          nullable: true,
          description: `Sum of \`${toCamel(name)}\` over the points; null when no point reported it. RESULT_OUT_OF_RANGE past 2^53 - 1.`,
          resolve: ({ points }) => totalCount(points, name),
        }),
      ]),
    ),
    conversionEvents: t.field({
      type: [CampaignConversionEventRef],
      description: `${CONVERSION_EVENTS_DESCRIPTION} Summed over the points per event; RESULT_OUT_OF_RANGE past 2^53 - 1.`,
      resolve: ({ points }) => sumConversionEvents(points.map((point) => point.conversionEvents)),
    }),
    channels: channelStatsField(
      t,
      'Per channel × variation, the sums of its stats over the points; unique counts are null (not summable over days).',
      ({ points }): readonly ChannelStats[] => sumChannelStats(points.map((point) => point.channels)),
    ),
  }),
});

export const CampaignSeriesRef = builder.objectRef<CampaignSeriesResult>('CampaignSeries').implement({
  description: "A campaign's results per day (Braze `GET /campaigns/data_series`, which spends its own rate-limit bucket of 50,000 a minute).",
  fields: (t) => ({
    campaignId: t.id({ description: 'The campaign the series is of.', resolve: ({ call }) => call.campaignId }),
    ...seriesWindowFields(t),
    points: t.field({ type: [CampaignSeriesPointRef], description: "Braze's days, oldest first.", resolve: ({ points }) => points }),
    totals: t.field({ type: CampaignSeriesTotalsRef, description: 'Sums over the points where a sum means something (see the type).', resolve: ({ points }) => ({ points }) }),
  }),
});

