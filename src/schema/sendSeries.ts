import { MAX_LENGTH, MIN_LENGTH } from '../endpoints/answers/series.js';
import { sendSeriesEndpoint, type SendSeriesCall } from '../endpoints/sendSeries.js';
import type { CampaignSeriesPoint } from '../endpoints/campaignSeries.js';
import { checkId, toDayWindow } from './arguments.js';
import { builder } from './builder.js';
import { CampaignSeriesPointRef, CampaignSeriesTotalsRef } from './campaignSeries.js';
import { dayWindowArgs } from './seriesArgs.js';
import { defineSeries, loadCallSeries, seriesEntityField } from './seriesField.js';
import { seriesWindowFields, type SeriesResult } from './seriesFields.js';

/** A send series as resolved: the call, Braze's points (campaign series points), when Braze gave them. */
export type SendSeriesResult = SeriesResult<SendSeriesCall, CampaignSeriesPoint>;

const SEND_ID_DESCRIPTION =
  "The send's API identifier (Braze `send_id`), as `/messages/send`, `/messages/schedule`, `/campaigns/trigger/send` or `/campaigns/trigger/schedule` answered it. Braze makes one only for API campaign sends to segments, connected audiences or broadcasts.";

const sendArgs = builder.args((arg) => ({
  sendId: arg.id({ required: true, description: SEND_ID_DESCRIPTION }),
  length: arg.int({
    required: true,
    description: `Number of days in the series, ending with the one that holds \`endingAt\`: from ${MIN_LENGTH} to ${MAX_LENGTH}, as Braze's page says (Braze \`length\`), in one call. Braze keeps a send's numbers for 14 days after the send; a longer window is asked all the same (Braze's own example asks 30 days) and holds what Braze answers.`,
  }),
  endingAt: dayWindowArgs().endingAt,
}));

/**
 * One send of an API campaign per day (Braze `GET /sends/data_series`). `length` is 1…100 as Braze's
 * page says (never asked in chunks: the numbers live 14 days); a window reaching further back than
 * Braze keeps is asked all the same, as Braze's own example does (30 days).
 */
export const sendSeries = defineSeries({
  args: sendArgs,
  call: (args, bounds, campaignId: string): SendSeriesCall => ({
    campaignId,
    sendId: checkId(String(args.sendId), 'sendId'),
    ...toDayWindow(args, { requestNow: () => bounds.requestNow(), seriesMaxLength: Math.min(MAX_LENGTH, bounds.seriesMaxLength) }),
  }),
  endpoint: () => sendSeriesEndpoint,
  load: loadCallSeries,
});

export const CampaignSendSeriesRef = builder.objectRef<SendSeriesResult>('CampaignSendSeries').implement({
  description:
    "One send of an API campaign per day (Braze `GET /sends/data_series`, export bucket): the campaign series' fields, for the users this send reached. Braze keeps a send's numbers for 14 days after the send; conversions count toward the latest send a user received from the campaign.",
  fields: (t) => ({
    campaignId: t.id({ description: 'The campaign the send is of.', resolve: ({ call }) => call.campaignId }),
    sendId: t.id({ description: 'The send (Braze `send_id`).', resolve: ({ call }) => call.sendId }),
    ...seriesWindowFields(t),
    points: t.field({ type: [CampaignSeriesPointRef], description: "Braze's days, oldest first.", resolve: ({ points }) => points }),
    totals: t.field({ type: CampaignSeriesTotalsRef, description: 'Sums over the points where a sum means something (see the type).', resolve: ({ points }) => ({ points }) }),
  }),
});

/** `Campaign.sendSeries`, and its live twin `campaignSendSeries(campaignId, sendId, …)`. */
export const sendSeriesField = seriesEntityField(sendSeries, {
  type: CampaignSendSeriesRef,
  description:
    "One send of this API campaign per day (Braze `GET /sends/data_series`, export bucket), per channel × variation as `series` is. `length` from 1 to 100. Null, with an error for this field only, when the arguments are invalid or Braze fails (a campaign that is not an API campaign, an unknown send: Braze's error, its code says which). The same send asked through any number of fields of one request is one call; shorter windows share the longest.",
  key: { name: 'campaignId', description: 'The campaign API identifier. Braze `campaign_id`.' },
  live: {
    field: 'campaignSendSeries',
    type: 'LiveCampaignSendSeries',
    what: 'send series',
    description:
      "`Campaign.sendSeries`, live: one send of an API campaign per day, pushed again whenever its numbers change (as it delivers and converts). Spends the export bucket: each live send series costs one call per interval.",
  },
});
