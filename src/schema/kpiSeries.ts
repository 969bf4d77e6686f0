import { KPI_SERIES_ENDPOINTS, type Kpi, type KpiSeriesCall } from '../endpoints/kpiSeries.js';
import { optionalFilter, toDayWindow } from './arguments.js';
import { builder } from './builder.js';
import { countPoints, CountPointRef } from './countPoint.js';
import { appIdArg, dayWindowArgs } from './seriesArgs.js';
import { defineSeries, loadCallSeries, seriesQueryField } from './seriesField.js';
import { countTotal, seriesCallFields, type SeriesResult } from './seriesFields.js';

export interface KpiSeriesResult extends SeriesResult<KpiSeriesCall> {
  readonly kpi: Kpi;
}

export const KpiEnum = builder.enumType('Kpi', {
  description: 'A key performance indicator Braze reports as a daily series (Braze `GET /kpi/<kpi>/data_series`).',
  values: {
    DAILY_ACTIVE_USERS: { value: 'dau', description: 'The number of daily active users (`/kpi/dau/data_series`).' },
    MONTHLY_ACTIVE_USERS: {
      value: 'mau',
      description: 'The number of monthly active users, each day over a 30-day rolling window (`/kpi/mau/data_series`).',
    },
    NEW_USERS: { value: 'new_users', description: 'The number of daily new users (`/kpi/new_users/data_series`).' },
    UNINSTALLS: { value: 'uninstalls', description: 'The number of uninstalls (`/kpi/uninstalls/data_series`).' },
  } as const,
});

/** One KPI as a daily series (Braze `GET /kpi/<kpi>/data_series`): the argument `kpi` chooses the endpoint. */
const kpiSeries = defineSeries({
  args: builder.args((arg) => ({
    kpi: arg.field({ type: KpiEnum, required: true, description: 'Which KPI: selects the Braze endpoint.' }),
    ...dayWindowArgs('KPI series are daily only: Braze takes no `unit` here.'),
    ...appIdArg,
  })),
  call: (args, bounds): KpiSeriesCall => ({ ...toDayWindow(args, bounds), appId: optionalFilter(args.appId, 'appId') }),
  endpoint: ({ kpi }) => KPI_SERIES_ENDPOINTS[kpi],
  load: async (loader, endpoint, call, { kpi }): Promise<KpiSeriesResult> => ({ kpi, ...(await loadCallSeries(loader, endpoint, call)) }),
});

export const KpiSeriesRef = builder.objectRef<KpiSeriesResult>('KpiSeries').implement({
  description: 'One KPI as a daily series, from Braze `GET /kpi/<kpi>/data_series`.',
  fields: (t) => ({
    kpi: t.field({ type: KpiEnum, description: 'The KPI.', resolve: ({ kpi }) => kpi }),
    ...seriesCallFields(t),
    points: t.field({
      type: [CountPointRef],
      description:
        "Braze's daily data points, oldest first. Each `time` is midnight UTC of the `date` Braze reported (a day in the workspace's time zone, which Braze does not state in the answer).",
      resolve: ({ points }) => countPoints(points, true),
    }),
    total: t.field({
      type: 'SafeInt',
      nullable: true,
      description:
        'Sum of the values of all points. Null for MONTHLY_ACTIVE_USERS: each of its points counts the users of a 30-day rolling window, so consecutive points count the same users again and a sum means nothing. Fails with RESULT_OUT_OF_RANGE past 2^53 - 1.',
      resolve: ({ kpi, points }) => (kpi === 'mau' ? null : countTotal(points)),
    }),
  }),
});

seriesQueryField('kpiSeries', kpiSeries, {
  type: KpiSeriesRef,
  description:
    'A daily series of one KPI: daily or monthly active users, new users or uninstalls (Braze `GET /kpi/{dau,mau,new_users,uninstalls}/data_series`, export rate-limit bucket). Null, with an error for this field only, when the arguments are invalid or Braze fails; identical calls within one request reach Braze once, and calls differing only in `length` share the longest.',
  live: { type: 'LiveKpiSeries', what: 'KPI series', description: "The `kpiSeries` query, live: pushed again whenever Braze's numbers change." },
});
