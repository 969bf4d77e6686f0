import { dateOf } from '../endpoints/answers/brazeTime.js';
import type { SeriesPoint } from '../endpoints/answers/series.js';
import { builder } from './builder.js';

/** A point as a series type hands it out: the point, and whether its series is daily (then it has a date). */
export interface CountPointView {
  readonly point: SeriesPoint;
  readonly daily: boolean;
}

/** The points of a series, each told whether it is a day. */
export function countPoints(points: readonly SeriesPoint[], daily: boolean): CountPointView[] {
  return points.map((point) => ({ point, daily }));
}

/** One bucket of a count series (active users, sessions, segment size, purchases). */
export const CountPointRef = builder.objectRef<CountPointView>('CountPoint').implement({
  description: 'One bucket of a count series.',
  fields: (t) => ({
    time: t.field({
      type: 'DateTime',
      description:
        'Start of the bucket as an instant. For DAY series, midnight UTC of `date`: Braze counts days in the workspace\'s time zone and reports only the date.',
      resolve: ({ point }) => point.time,
    }),
    date: t.field({
      type: 'Date',
      nullable: true,
      description: 'The day, exactly as Braze reported it (a day in the workspace\'s time zone); null for HOUR series.',
      resolve: ({ point, daily }) => (daily ? dateOf(point.time) : null),
    }),
    value: t.field({ type: 'SafeInt', description: 'The count in the bucket.', resolve: ({ point }) => point.value }),
  }),
});
