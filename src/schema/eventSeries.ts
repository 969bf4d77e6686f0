import { eventSeriesEndpoint, GRAPHQL_INT_MAX, type EventSeriesCall } from '../endpoints/eventSeries.js';
import { dateOf } from '../endpoints/answers/brazeTime.js';
import type { SeriesPoint } from '../endpoints/answers/series.js';
import { ResultOutOfRangeError } from '../errors/gatewayErrors.js';
import { checkName, optionalFilter, toSeriesWindow } from './arguments.js';
import { builder } from './builder.js';
import { hourWindowArgs } from './seriesArgs.js';
import { defineSeries, loadCallSeries, seriesQueryField } from './seriesField.js';
import { countTotal, seriesCallFields, type SeriesResult } from './seriesFields.js';
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

/** An event's point as handed out: the point, and whether its series is daily (then it has a date). */
interface EventPointView {
  readonly point: SeriesPoint;
  readonly daily: boolean;
}

/** A value of the legacy Int fields, or RESULT_OUT_OF_RANGE for that field alone past GraphQL Int. */
function asGraphQLInt(value: number, what: string): number {
  if (value > GRAPHQL_INT_MAX) throw new ResultOutOfRangeError(`${what} ${value} exceeds the 32-bit range a GraphQL Int can carry: read it as a SafeInt (\`value\`, \`sum\`)`);
  return value;
}

const INT_DEPRECATION = 'A GraphQL Int (32-bit): fails with RESULT_OUT_OF_RANGE past 2,147,483,647.';

export const EventSeriesPointRef = builder.objectRef<EventPointView>('EventSeriesPoint').implement({
  description: 'Occurrences of the event in one bucket.',
  fields: (t) => ({
    time: t.field({
      type: 'DateTime',
      description: 'Start of the bucket, in UTC. For `DAY` series, midnight UTC of the date Braze reported.',
      resolve: ({ point }) => point.time,
    }),
    date: t.field({
      type: 'Date',
      nullable: true,
      description: "The day, exactly as Braze reported it (a day in the workspace's time zone); null for HOUR series.",
      resolve: ({ point, daily }) => (daily ? dateOf(point.time) : null),
    }),
    value: t.field({ type: 'SafeInt', description: 'Number of occurrences of the event in the bucket, exact up to 2^53 - 1 (as every count series).', resolve: ({ point }) => point.value }),
    count: t.int({
      description: `Number of occurrences of the event in the bucket. ${INT_DEPRECATION}`,
      deprecationReason: `${INT_DEPRECATION} Use \`value\` (SafeInt).`,
      resolve: ({ point }) => asGraphQLInt(point.value, 'count'),
    }),
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
      resolve: ({ call, points }): EventPointView[] => points.map((point) => ({ point, daily: call.unit === 'day' })),
    }),
    sum: t.field({
      type: 'SafeInt',
      description: 'Sum of the values of all points. Fails with RESULT_OUT_OF_RANGE past 2^53 - 1.',
      resolve: ({ points }) => countTotal(points),
    }),
    total: t.int({
      description: `Sum of the counts of all points. ${INT_DEPRECATION}`,
      deprecationReason: `${INT_DEPRECATION} Use \`sum\` (SafeInt).`,
      resolve: ({ points }) => asGraphQLInt(countTotal(points), 'total'),
    }),
  }),
});

seriesQueryField('eventSeries', eventSeries, {
  type: EventSeriesRef,
  description:
    'Counts of a custom event over time (Braze `GET /events/data_series`). Null, with an error for this field only, when the arguments are invalid or Braze fails; identical calls within one request reach Braze once.',
  live: { type: 'LiveEventSeries', what: 'event series', description: "The `eventSeries` query, live: pushed again whenever Braze's counts change." },
});
