import { eventSeriesEndpoint, GRAPHQL_INT_MAX, type EventSeriesCall } from '../endpoints/eventSeries.js';
import type { SeriesPoint } from '../endpoints/answers/series.js';
import { ResultOutOfRangeError } from '../errors/gatewayErrors.js';
import { checkName, optionalFilter, toSeriesWindow } from './arguments.js';
import { builder } from './builder.js';
import { hourWindowArgs } from './seriesArgs.js';
import { defineSeries, loadCallSeries, seriesQueryField } from './seriesField.js';
import { seriesCallFields, type SeriesResult } from './seriesFields.js';
import { TimeUnit } from './timeUnit.js';

/** A series as resolved: the call Braze was asked, what it answered, and when. */
export type EventSeriesResult = SeriesResult<EventSeriesCall>;

/** The arguments of an event's series less the event: what the event's own field takes. */
export const eventWindowArgs = builder.args((arg) => ({
  ...hourWindowArgs,
  appId: arg.string({
    description: 'App API identifier (from the API Keys page of the Braze dashboard) to limit analytics to a specific app. Braze `app_id`.',
  }),
  segmentId: arg.string({
    description: 'Segment API identifier of an analytics-enabled segment for which event analytics should be returned. Braze `segment_id`.',
  }),
}));

/** Counts of one custom event (Braze `GET /events/data_series`); a CustomEvent's `series` is this with its name. */
export const eventSeries = defineSeries({
  args: builder.args((arg) => ({
    event: arg.string({ required: true, description: 'The name of the custom event for which to return analytics. Braze `event`.' }),
    ...eventWindowArgs,
  })),
  call: ({ event, ...args }, bounds): EventSeriesCall => ({
    event: checkName(event, 'event'),
    ...toSeriesWindow(args, bounds),
    appId: optionalFilter(args.appId, 'appId'),
    segmentId: optionalFilter(args.segmentId, 'segmentId'),
  }),
  endpoint: () => eventSeriesEndpoint,
  load: loadCallSeries,
});

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

seriesQueryField('eventSeries', eventSeries, {
  type: EventSeriesRef,
  description:
    'Counts of a custom event over time (Braze `GET /events/data_series`). Null, with an error for this field only, when the arguments are invalid or Braze fails; identical calls within one request reach Braze once.',
  live: { type: 'LiveEventSeries', what: 'event series', description: "The `eventSeries` query, live: pushed again whenever Braze's counts change." },
});
