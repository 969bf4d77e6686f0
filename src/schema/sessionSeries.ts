import { MAX_LENGTH } from '../endpoints/answers/series.js';
import { sessionSeriesEndpoint, type SessionSeriesCall } from '../endpoints/sessionSeries.js';
import type { SeriesScope } from './context.js';
import { optionalFilter, toSeriesWindow, type SeriesBounds } from './arguments.js';
import { builder } from './builder.js';
import { countPoints, CountPointRef } from './countPoint.js';
import { APP_ID_ARG_DESCRIPTION, countTotal, ENDING_AT_ARG_DESCRIPTION, lengthArgDescription, seriesCallFields, type SeriesResult } from './seriesFields.js';
import { loadSeries } from '../data/loader.js';
import { TimeUnit } from './timeUnit.js';

export const sessionSeriesArgs = builder.args((arg) => ({
  length: arg.int({
    required: true,
    description: lengthArgDescription('units (days or hours)'),
  }),
  unit: arg.field({
    type: TimeUnit,
    defaultValue: 'day',
    description: 'Unit of time between data points: `DAY` or `HOUR`; defaults to `DAY`. Braze `unit`.',
  }),
  endingAt: arg.field({ type: 'DateTime', description: ENDING_AT_ARG_DESCRIPTION }),
  appId: arg.string({ description: APP_ID_ARG_DESCRIPTION }),
  segmentId: arg.string({
    description: 'Segment API identifier of an analytics-enabled segment for which sessions should be returned. Braze `segment_id`.',
  }),
}));

type SessionSeriesArgs = Parameters<typeof toSessionSeriesCall>[0];

/** Checks the arguments and turns them into the call Braze will get. Nothing bad reaches upstream. */
export function toSessionSeriesCall(
  args: { length: number; unit?: 'day' | 'hour' | null | undefined; endingAt?: Date | null | undefined; appId?: string | null | undefined; segmentId?: string | null | undefined },
  bounds: SeriesBounds,
): SessionSeriesCall {
  return { ...toSeriesWindow(args, bounds), appId: optionalFilter(args.appId, 'appId'), segmentId: optionalFilter(args.segmentId, 'segmentId') };
}

/** Validates the arguments and loads the series through the request's loader (dedup, coalescing, cache). */
export async function resolveSessionSeries(args: SessionSeriesArgs, context: SeriesScope): Promise<SeriesResult<SessionSeriesCall>> {
  const call = toSessionSeriesCall(args, context);
  return { call, ...(await loadSeries(context.loader, sessionSeriesEndpoint, call, MAX_LENGTH)) };
}

export const SessionSeriesRef = builder.objectRef<SeriesResult<SessionSeriesCall>>('SessionSeries').implement({
  description: 'Sessions per day or hour, from Braze `GET /sessions/data_series`.',
  fields: (t) => ({
    unit: t.field({ type: TimeUnit, description: 'Time between points.', resolve: ({ call }) => call.unit }),
    ...seriesCallFields(t),
    segmentId: t.string({
      nullable: true,
      description: 'The segment the sessions are limited to, if any.',
      resolve: ({ call }) => call.segmentId ?? null,
    }),
    points: t.field({
      type: [CountPointRef],
      description:
        "Braze's data points, oldest first: the number of sessions in each bucket. DAY points have `time` at midnight UTC of the `date` Braze reported (a day in the workspace's time zone); HOUR points have the hour's start.",
      resolve: ({ call, points }) => countPoints(points, call.unit === 'day'),
    }),
    total: t.field({
      type: 'SafeInt',
      description: 'Sum of the sessions of all points. Fails with RESULT_OUT_OF_RANGE past 2^53 - 1.',
      resolve: ({ points }) => countTotal(points),
    }),
  }),
});

builder.queryField('sessionSeries', (t) =>
  t.field({
    type: SessionSeriesRef,
    nullable: true,
    description:
      'Sessions over time (Braze `GET /sessions/data_series`, export rate-limit bucket). Null, with an error for this field only, when the arguments are invalid or Braze fails; identical calls within one request reach Braze once, and calls differing only in `length` share the longest.',
    args: sessionSeriesArgs,
    resolve: (_root, args, context) => resolveSessionSeries(args, context),
  }),
);
