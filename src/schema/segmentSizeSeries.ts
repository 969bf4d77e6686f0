import { segmentSizeEndpoint, type SegmentSizeCall } from '../endpoints/segmentSize.js';
import { toDayWindow } from './arguments.js';
import { builder } from './builder.js';
import { CountPointRef, countPoints } from './countPoint.js';
import { dayWindowArgs } from './seriesArgs.js';
import { defineSeries, loadCallSeries } from './seriesField.js';
import { type SeriesResult, seriesWindowFields } from './seriesFields.js';

/** A segment's size series as resolved: the call Braze was asked, what it answered, and when. */
export type SegmentSizeSeriesResult = SeriesResult<SegmentSizeCall>;

/** A segment's estimated size per day (Braze `GET /segments/data_series`, which takes neither `unit` nor `app_id`). */
export const segmentSizeSeries = defineSeries({
  args: dayWindowArgs(),
  call: (args, bounds, segmentId: string): SegmentSizeCall => ({ segmentId, ...toDayWindow(args, bounds) }),
  endpoint: () => segmentSizeEndpoint,
  load: loadCallSeries,
});

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
