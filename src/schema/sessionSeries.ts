import { sessionSeriesEndpoint, type SessionSeriesCall } from '../endpoints/sessionSeries.js';
import { optionalFilter, toSeriesWindow } from './arguments.js';
import { builder } from './builder.js';
import { countPoints, CountPointRef } from './countPoint.js';
import { appIdArg, hourWindowArgs } from './seriesArgs.js';
import { defineSeries, loadCallSeries, seriesQueryField } from './seriesField.js';
import { countTotal, seriesCallFields, type SeriesResult } from './seriesFields.js';
import { TimeUnit } from './timeUnit.js';

/** Sessions per day or hour (Braze `GET /sessions/data_series`). */
const sessionSeries = defineSeries({
  args: builder.args((arg) => ({
    ...hourWindowArgs,
    ...appIdArg,
    segmentId: arg.string({
      description: 'Segment API identifier of an analytics-enabled segment for which sessions should be returned. Braze `segment_id`.',
    }),
  })),
  call: (args, bounds): SessionSeriesCall => ({ ...toSeriesWindow(args, bounds), appId: optionalFilter(args.appId, 'appId'), segmentId: optionalFilter(args.segmentId, 'segmentId') }),
  endpoint: () => sessionSeriesEndpoint,
  load: loadCallSeries,
});

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

seriesQueryField('sessionSeries', sessionSeries, {
  type: SessionSeriesRef,
  description:
    'Sessions over time (Braze `GET /sessions/data_series`, export rate-limit bucket). Null, with an error for this field only, when the arguments are invalid or Braze fails; identical calls within one request reach Braze once, and calls differing only in `length` share the longest.',
  live: { type: 'LiveSessionSeries', what: 'session series', description: "The `sessionSeries` query, live: pushed again whenever Braze's numbers change." },
});
