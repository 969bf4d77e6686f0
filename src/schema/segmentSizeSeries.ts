import { MAX_LENGTH } from '../endpoints/answers/series.js';
import { segmentSizeEndpoint, type SegmentSizeCall } from '../endpoints/segmentSize.js';
import type { SeriesScope } from './context.js';
import { toSeriesWindow } from './arguments.js';
import { builder } from './builder.js';
import { CountPointRef, countPoints } from './countPoint.js';
import { lengthArgDescription, type SeriesResult, seriesWindowFields } from './seriesFields.js';
import { loadSeries } from '../data/loader.js';

/** A segment's size series as resolved: the call Braze was asked, what it answered, and when. */
export type SegmentSizeSeriesResult = SeriesResult<SegmentSizeCall>;

/**
 * The arguments of a size series. Descriptions follow Braze's parameter docs for GET
 * /segments/data_series, which takes neither `unit` nor `app_id`.
 */
export const segmentSizeArgs = builder.args((arg) => ({
  length: arg.int({
    required: true,
    description: lengthArgDescription('days'),
  }),
  endingAt: arg.field({
    type: 'DateTime',
    description:
      'Date on which the data series should end, as an RFC 3339 date-time with any offset. Defaults to the time of the request (one instant for the whole GraphQL request). Braze `ending_at`, always sent in UTC.',
  }),
}));

/** Validates the window and loads the series through the request's loader (dedup, coalescing, cache). */
export async function resolveSegmentSize(
  segmentId: string,
  args: { length: number; endingAt?: Date | null | undefined },
  context: SeriesScope,
): Promise<SegmentSizeSeriesResult> {
  const { length, endingAt } = toSeriesWindow({ length: args.length, endingAt: args.endingAt }, context);
  const call: SegmentSizeCall = { segmentId, length, unit: 'day', endingAt };
  return { call, ...(await loadSeries(context.loader, segmentSizeEndpoint, call, MAX_LENGTH)) };
}

export const SegmentSizeSeriesRef = builder.objectRef<SegmentSizeSeriesResult>('SegmentSizeSeries').implement({
  description:
    "A segment's estimated size per day, from Braze `GET /segments/data_series`. No total: sizes of consecutive days count the same users again, so their sum means nothing; `latest` is the size most recently reported.",
  fields: (t) => ({
    segmentId: t.id({ description: 'The segment API identifier the sizes are of.', resolve: ({ call }) => call.segmentId }),
    ...seriesWindowFields(t),
    points: t.field({
      type: [CountPointRef],
      description: "Braze's data points, in Braze's order (oldest first): the estimated size of the segment on each day.",
      resolve: ({ points }) => countPoints(points, true),
    }),
    latest: t.field({
      type: CountPointRef,
      nullable: true,
      description: 'The last point of the series (the size on the latest day reported); null when Braze sent no points.',
      resolve: ({ points }) => countPoints(points.slice(-1), true)[0] ?? null,
    }),
  }),
});
