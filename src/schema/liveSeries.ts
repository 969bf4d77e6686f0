import type { InterfaceRef, ObjectRef } from '@pothos/core';
import type { GatewayContext, SeriesScope } from './context.js';
import { eventSeriesEndpoint } from '../endpoints/eventSeries.js';
import { KPI_SERIES_ENDPOINTS } from '../endpoints/kpiSeries.js';
import { PURCHASE_SERIES_ENDPOINTS } from '../endpoints/purchaseSeries.js';
import { segmentSizeEndpoint } from '../endpoints/segmentSize.js';
import { sessionSeriesEndpoint } from '../endpoints/sessionSeries.js';
import type { Endpoint } from '../data/endpoint.js';
import type { CanvasStatsCall } from '../endpoints/answers/canvasStats.js';
import { campaignSeriesEndpoint, type CampaignSeriesCall } from '../endpoints/campaignSeries.js';
import { canvasSeriesEndpoint } from '../endpoints/canvasSeries.js';
import { BadUserInputError } from '../errors/gatewayErrors.js';
import { clientOf, endOf } from './liveContext.js';
import type { LiveSource, LiveUpdate } from '../live/liveSeries.js';
import { seriesSource, type SeriesCallWindow } from '../live/seriesSource.js';
import type { LiveStatus } from '../live/status.js';
import { builder } from './builder.js';
import { campaignSeriesArgs, campaignSeriesFromArgs, CampaignSeriesRef } from './campaignSeries.js';
import { CanvasSeriesRef, canvasStatsArgs, resolveCanvasSeries, toBreakdowns, toCanvasWindow, type CanvasWindow } from './canvasStats.js';
import { EventSeriesRef, resolveEventSeries } from './eventSeries.js';
import { seriesWindowArgs, toEventSeriesCall } from './eventSeriesArgs.js';
import { kpiSeriesArgs, KpiSeriesRef, resolveKpiSeries, toKpiSeriesCall } from './kpiSeries.js';
import { checkId, MAX_NAME_LENGTH, toSeriesWindow, type SeriesBounds } from './arguments.js';
import { PurchaseMeasureEnum, purchaseSeriesWindowArgs, PurchaseSeriesRef, resolvePurchaseSeries, toPurchaseSeriesCall } from './purchaseSeries.js';
import { resolveSegmentSize, segmentSizeArgs, SegmentSizeSeriesRef } from './segmentSizeSeries.js';
import { resolveSessionSeries, sessionSeriesArgs, SessionSeriesRef, toSessionSeriesCall } from './sessionSeries.js';

builder.subscriptionType({
  description:
    'Live series over SSE (GraphQL over Server-Sent Events, distinct connections): each subscription field takes the arguments of the query field of the same name and pushes the series again whenever Braze\'s numbers change. However many subscribe to one series, the gateway polls Braze once per interval (the series\' cache lifetime, at least LIVE_MIN_INTERVAL_MS).',
});

const LiveStateEnum = builder.enumType('LiveState', {
  description: 'Where a live series stands.',
  values: {
    LIVE: { value: 'live', description: 'The last poll got Braze\'s numbers; the next comes after the interval.' },
    PAUSED: {
      value: 'paused',
      description: 'Braze must not be asked until `retryAt`: the rate-limit reserve is reached, Braze answered 429, or the circuit breaker is open. `series` is the last value; polling resumes by itself.',
    },
    FAILING: {
      value: 'failing',
      description: 'The last poll failed (Braze unavailable, slow or answering something unusable). `series` is the last value; the poll is retried at `retryAt`.',
    },
    COMPLETE: { value: 'complete', description: 'The window is wholly in the past: this is its final value and the subscription ends.' },
  } as const,
});

export const LiveStatusRef = builder.objectRef<LiveStatus>('LiveStatus').implement({
  description: 'Where a live series stands, pushed beside it: a status instead of an error, so that a rate limit or a Braze outage keeps the chart and its last numbers.',
  fields: (t) => ({
    state: t.field({ type: LiveStateEnum, description: 'LIVE, PAUSED, FAILING or COMPLETE.', resolve: ({ state }) => state }),
    reason: t.string({ nullable: true, description: 'Why the series is not LIVE, for people; null when LIVE or COMPLETE.', resolve: ({ reason }) => reason ?? null }),
    code: t.string({
      nullable: true,
      description: 'The error code the failed poll would have had as a query (`UPSTREAM_RATE_LIMITED`, `UPSTREAM_UNAVAILABLE`, …), to word it as for a query; null when LIVE or COMPLETE.',
      resolve: ({ code }) => code ?? null,
    }),
    retryAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When PAUSED or FAILING: when the gateway asks Braze again. Null otherwise.',
      resolve: ({ retryAt }) => retryAt ?? null,
    }),
  }),
});

/** A pushed update of series `Result`: the series (its `fetchedAt` says when Braze gave it) and the status. */
type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

function liveSeriesType<Result>(name: string, series: ObjectRef<Types, Result> | InterfaceRef<Types, Result>, what: string) {
  return builder.objectRef<LiveUpdate<Result>>(name).implement({
    description: `One push of a live ${what}: the series, and where it stands. Pushed when the numbers or the state change, not when a poll finds the same numbers.`,
    fields: (t) => ({
      series: t.field({
        type: series,
        nullable: true,
        description: 'The latest numbers (`fetchedAt`: when Braze gave them). Null only when no poll has succeeded yet (see `status`).',
        // Pothos cannot see through a type parameter that `Result` is the series ref's own shape: it is, by the signature.
        resolve: ({ value }) => (value ?? null) as never,
      }),
      status: t.field({ type: LiveStatusRef, description: 'LIVE, or why the numbers are not fresh (and when they will be).', resolve: ({ status }) => status }),
    }),
  });
}

/** The update, or the failure that ended the series as the field's error (a query would get the same). */
function checked<Result>(update: LiveUpdate<Result>): LiveUpdate<Result> {
  if (update.error !== undefined) throw update.error;
  return update;
}

/** How one series is polled: from its endpoint (seriesSource), each poll resolving the query field's own way through the poll's scope. */
function liveSource<Call extends SeriesCallWindow, Result extends { readonly points: readonly unknown[] }>(
  context: GatewayContext,
  endpoint: Pick<Endpoint<Call, unknown>, 'name' | 'key' | 'ttlMs'>,
  call: Call,
  endingAt: Date | null | undefined,
  resolve: (poll: SeriesScope) => Promise<Result>,
): LiveSource<Result> {
  const live = liveOf(context);
  return seriesSource(endpoint, call, endingAt ?? undefined, live.ttl, (instant, signal) => resolve(live.poll(instant, signal)));
}

/** A subscription's window is checked as a query's would be at this moment (each poll then asks about its own). */
function boundsNow(context: GatewayContext): SeriesBounds {
  const now = new Date();
  return { requestNow: () => now, seriesMaxLength: context.seriesMaxLength };
}

function liveOf(context: GatewayContext) {
  if (!context.live) throw new Error('live series are not wired into this gateway');
  return context.live;
}

function subscribe<Result>(context: GatewayContext, source: LiveSource<Result>): AsyncIterable<LiveUpdate<Result>> {
  const live = liveOf(context);
  return live.series.subscribe(source, clientOf(context, live.callerOf), endOf(context));
}

const SUBSCRIPTION_NOTE =
  'Bad arguments fail with BAD_USER_INPUT before anything is polled; past the caps, TOO_MANY_SUBSCRIPTIONS. A window wholly in the past is sent once (state COMPLETE) and the subscription ends.';

const LiveEventSeriesRef = liveSeriesType('LiveEventSeries', EventSeriesRef, 'event series');
builder.subscriptionField('eventSeries', (t) =>
  t.field({
    type: LiveEventSeriesRef,
    description: `The \`eventSeries\` query, live: pushed again whenever Braze's counts change. ${SUBSCRIPTION_NOTE}`,
    args: {
      event: t.arg.string({ required: true, description: 'The name of the custom event for which to return analytics. Braze `event`.' }),
      ...seriesWindowArgs,
    },
    subscribe: (_root, { event, ...window }, context) => {
      const call = toEventSeriesCall(event, window, boundsNow(context));
      return subscribe(context, liveSource(context, eventSeriesEndpoint, call, window.endingAt, (poll) => resolveEventSeries(event, window, poll)));
    },
    resolve: checked,
  }),
);

const LiveKpiSeriesRef = liveSeriesType('LiveKpiSeries', KpiSeriesRef, 'KPI series');
builder.subscriptionField('kpiSeries', (t) =>
  t.field({
    type: LiveKpiSeriesRef,
    description: `The \`kpiSeries\` query, live: pushed again whenever Braze's numbers change. ${SUBSCRIPTION_NOTE}`,
    args: kpiSeriesArgs,
    subscribe: (_root, { kpi, ...args }, context) => {
      const call = toKpiSeriesCall(args, boundsNow(context));
      return subscribe(context, liveSource(context, KPI_SERIES_ENDPOINTS[kpi], call, args.endingAt, (poll) => resolveKpiSeries(kpi, args, poll)));
    },
    resolve: checked,
  }),
);

const LiveSessionSeriesRef = liveSeriesType('LiveSessionSeries', SessionSeriesRef, 'session series');
builder.subscriptionField('sessionSeries', (t) =>
  t.field({
    type: LiveSessionSeriesRef,
    description: `The \`sessionSeries\` query, live: pushed again whenever Braze's numbers change. ${SUBSCRIPTION_NOTE}`,
    args: sessionSeriesArgs,
    subscribe: (_root, args, context) => {
      const call = toSessionSeriesCall(args, boundsNow(context));
      return subscribe(context, liveSource(context, sessionSeriesEndpoint, call, args.endingAt, (poll) => resolveSessionSeries(args, poll)));
    },
    resolve: checked,
  }),
);

const LivePurchaseSeriesRef = liveSeriesType('LivePurchaseSeries', PurchaseSeriesRef, 'purchase series');
builder.subscriptionField('purchaseSeries', (t) =>
  t.field({
    type: LivePurchaseSeriesRef,
    description: `The \`purchaseSeries\` query, live: pushed again whenever Braze's numbers change. Spends the list rate-limit bucket (1,000 an hour, shared): each live purchase series costs one call per interval. ${SUBSCRIPTION_NOTE}`,
    args: {
      measure: t.arg({ type: PurchaseMeasureEnum, required: true, description: 'What to measure: selects the Braze endpoint.' }),
      ...purchaseSeriesWindowArgs,
      product: t.arg.string({
        description: `Name of product to filter response by (at most ${MAX_NAME_LENGTH} characters); omitted, the results are for all products. Braze \`product\`.`,
      }),
    },
    subscribe: (_root, { measure, product, ...args }, context) => {
      const call = toPurchaseSeriesCall(product, args, boundsNow(context));
      return subscribe(context, liveSource(context, PURCHASE_SERIES_ENDPOINTS[measure], call, args.endingAt, (poll) => resolvePurchaseSeries(measure, product, args, poll)));
    },
    resolve: checked,
  }),
);

const LiveSegmentSizeSeriesRef = liveSeriesType('LiveSegmentSizeSeries', SegmentSizeSeriesRef, 'segment size series');
builder.subscriptionField('segmentSize', (t) =>
  t.field({
    type: LiveSegmentSizeSeriesRef,
    description: `\`Segment.sizeSeries\`, live: a segment's estimated size per day, pushed again whenever it changes. ${SUBSCRIPTION_NOTE}`,
    args: {
      segmentId: t.arg.id({ required: true, description: 'The segment API identifier. Braze `segment_id`.' }),
      ...segmentSizeArgs,
    },
    subscribe: (_root, { segmentId, ...args }, context) => {
      const id = checkId(String(segmentId), 'segmentId');
      const window = toSeriesWindow({ length: args.length, endingAt: args.endingAt }, boundsNow(context));
      const call = { segmentId: id, length: window.length, unit: 'day' as const, endingAt: window.endingAt };
      return subscribe(context, liveSource(context, segmentSizeEndpoint, call, args.endingAt, (poll) => resolveSegmentSize(id, args, poll)));
    },
    resolve: checked,
  }),
);

const LiveCampaignSeriesRef = liveSeriesType('LiveCampaignSeries', CampaignSeriesRef, 'campaign series');
builder.subscriptionField('campaignSeries', (t) =>
  t.field({
    type: LiveCampaignSeriesRef,
    description: `\`Campaign.series\`, live: a campaign's results per day, pushed again whenever they change. Spends the campaign-series rate-limit bucket: each live campaign series costs one call per interval. ${SUBSCRIPTION_NOTE}`,
    args: {
      campaignId: t.arg.id({ required: true, description: 'The campaign API identifier. Braze `campaign_id`.' }),
      ...campaignSeriesArgs,
    },
    subscribe: (_root, { campaignId, ...args }, context) => {
      const id = checkId(String(campaignId), 'campaignId');
      const window = toSeriesWindow({ length: args.length, endingAt: args.endingAt }, boundsNow(context));
      const call: CampaignSeriesCall = { campaignId: id, length: window.length, unit: 'day', endingAt: window.endingAt };
      return subscribe(context, liveSource(context, campaignSeriesEndpoint, call, args.endingAt, (poll) => campaignSeriesFromArgs(id, args, poll)));
    },
    resolve: checked,
  }),
);

const LiveCanvasSeriesRef = liveSeriesType('LiveCanvasSeries', CanvasSeriesRef, 'Canvas series');
builder.subscriptionField('canvasSeries', (t) =>
  t.field({
    type: LiveCanvasSeriesRef,
    description: `\`Canvas.series\`, live: a Canvas's stats per day, pushed again whenever they change. \`endingAt\` may be omitted here ("now" at each poll) with \`length\`; a \`startingAt\` window needs its \`endingAt\`. Breakdowns follow this subscription's selection as for the query. ${SUBSCRIPTION_NOTE}`,
    args: {
      canvasId: t.arg.id({ required: true, description: 'The Canvas API identifier. Braze `canvas_id`.' }),
      ...canvasStatsArgs,
      endingAt: t.arg({
        type: 'DateTime',
        description: 'Date on which the data should end, as an RFC 3339 date-time with any offset (Braze `ending_at`, sent in UTC). Omitted: "now" at each poll, which only a `length` window may use.',
      }),
    },
    subscribe: (_root, { canvasId, endingAt, ...args }, context, info) => {
      const id = checkId(String(canvasId), 'canvasId');
      if (endingAt === null || endingAt === undefined) {
        // A window from a fixed start to a moving "now" would outgrow Braze's 14 days while it is watched.
        if (args.startingAt !== null && args.startingAt !== undefined) throw new BadUserInputError('A live Canvas series from startingAt needs its endingAt; a window ending now takes length', 'endingAt');
      }
      const breakdowns = toBreakdowns(args, info);
      const windowAt = (instant: Date, maxLength: number): CanvasWindow => toCanvasWindow({ ...args, endingAt: endingAt ?? instant }, maxLength);
      const window = windowAt(new Date(), context.seriesMaxLength);
      const call: CanvasStatsCall = { canvasId: id, ...window, ...breakdowns };
      return subscribe(
        context,
        liveSource(context, canvasSeriesEndpoint, call, endingAt, (poll) => resolveCanvasSeries(id, windowAt(poll.requestNow(), poll.seriesMaxLength), breakdowns, poll)),
      );
    },
    resolve: checked,
  }),
);
