import type { InputShapeFromFields } from '@pothos/core';
import type { EventSeriesCall } from '../endpoints/eventSeries.js';
import { checkName, optionalFilter, toSeriesWindow, type SeriesBounds } from './arguments.js';
import { builder } from './builder.js';
import { lengthArgDescription } from './seriesFields.js';
import { TimeUnit } from './timeUnit.js';

/**
 * The arguments of a series, less the event name. Descriptions follow Braze's parameter docs for
 * GET /events/data_series, because GraphiQL is where people read them.
 */
export const seriesWindowArgs = builder.args((arg) => ({
    length: arg.int({
      required: true,
      description: lengthArgDescription('units (days or hours)'),
    }),
    unit: arg.field({
      type: TimeUnit,
      defaultValue: 'day',
      description: 'Unit of time between data points: `DAY` or `HOUR`; defaults to `DAY`. Braze `unit`.',
    }),
    endingAt: arg.field({
      type: 'DateTime',
      description:
        'Date on which the data series should end, as an RFC 3339 date-time with any offset. Defaults to the time of the request (one instant for the whole GraphQL request). Braze `ending_at`, always sent in UTC.',
    }),
    appId: arg.string({
      description:
        'App API identifier (from the API Keys page of the Braze dashboard) to limit analytics to a specific app. Braze `app_id`.',
    }),
    segmentId: arg.string({
      description:
        'Segment API identifier of an analytics-enabled segment for which event analytics should be returned. Braze `segment_id`.',
    }),
}));

export type SeriesWindowArgs = InputShapeFromFields<typeof seriesWindowArgs>;

/** Checks the arguments and turns them into the call Braze will get. Nothing bad reaches upstream. */
export function toEventSeriesCall(event: string, args: SeriesWindowArgs, bounds: SeriesBounds): EventSeriesCall {
  checkName(event, 'event');
  return {
    event,
    ...toSeriesWindow(args, bounds),
    appId: optionalFilter(args.appId, 'appId'),
    segmentId: optionalFilter(args.segmentId, 'segmentId'),
  };
}
