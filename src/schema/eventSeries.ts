import { MAX_LENGTH } from '../endpoints/answers/series.js';
import { eventSeriesEndpoint, GRAPHQL_INT_MAX, type EventSeriesCall } from '../endpoints/eventSeries.js';
import type { SeriesPoint } from '../endpoints/answers/series.js';
import type { SeriesScope } from './context.js';
import { ResultOutOfRangeError } from '../errors/gatewayErrors.js';
import { builder } from './builder.js';
import { seriesWindowArgs, toEventSeriesCall, type SeriesWindowArgs } from './eventSeriesArgs.js';
import { seriesCallFields, type SeriesResult } from './seriesFields.js';
import { loadSeries } from '../data/loader.js';
import { TimeUnit } from './timeUnit.js';

/** A series as resolved: the call Braze was asked, what it answered, and when. */
export type EventSeriesResult = SeriesResult<EventSeriesCall>;

/** Validates the arguments and loads the series through the request's loader (dedup, coalescing, cache). */
export async function resolveEventSeries(event: string, args: SeriesWindowArgs, context: SeriesScope): Promise<EventSeriesResult> {
  const call = toEventSeriesCall(event, args, context);
  return { call, ...(await loadSeries(context.loader, eventSeriesEndpoint, call, MAX_LENGTH)) };
}

export const EventSeriesPointRef = builder.objectRef<SeriesPoint>('EventSeriesPoint').implement({
  description: 'Occurrences of the event in one bucket.',
  fields: (t) => ({
    time: t.field({
      type: 'DateTime',
      description: 'Start of the bucket, in UTC. For `DAY` series, midnight UTC of the date Braze reported.',
      resolve: (point) => point.time,
    }),
    count: t.int({ description: 'Number of occurrences of the event in the bucket.', resolve: (point) => point.value }),
  }),
});

export const EventSeriesRef = builder.objectRef<EventSeriesResult>('EventSeries').implement({
  description: 'Counts of one custom event over a window, from Braze `GET /events/data_series`.',
  fields: (t) => ({
    event: t.string({ description: 'The custom event name.', resolve: ({ call }) => call.event }),
    unit: t.field({ type: TimeUnit, description: 'Time between points.', resolve: ({ call }) => call.unit }),
    ...seriesCallFields(t),
    segmentId: t.string({
      nullable: true,
      description: 'The segment the counts are limited to, if any.',
      resolve: ({ call }) => call.segmentId ?? null,
    }),
    points: t.field({
      type: [EventSeriesPointRef],
      description: "Braze's data points, in Braze's order (oldest first).",
      resolve: ({ points }) => points,
    }),
    total: t.int({
      description: 'Sum of the counts of all points.',
      resolve: ({ points }) => {
        const total = points.reduce((sum, point) => sum + point.value, 0);
        if (total > GRAPHQL_INT_MAX) {
          throw new ResultOutOfRangeError(`total ${total} exceeds the 32-bit range a GraphQL Int can carry`);
        }
        return total;
      },
    }),
  }),
});

builder.queryField('eventSeries', (t) =>
  t.field({
    type: EventSeriesRef,
    nullable: true,
    description:
      'Counts of a custom event over time (Braze `GET /events/data_series`). Null, with an error for this field only, when the arguments are invalid or Braze fails; identical calls within one request reach Braze once.',
    args: {
      event: t.arg.string({
        required: true,
        description: 'The name of the custom event for which to return analytics. Braze `event`.',
      }),
      ...seriesWindowArgs,
    },
    resolve: (_root, { event, ...window }, context) => resolveEventSeries(event, window, context),
  }),
);
