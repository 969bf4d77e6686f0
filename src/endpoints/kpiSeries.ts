import { dailyActiveUsers, monthlyActiveUsers, newUsers, uninstalls, type MeasureShape } from './simulated/measures.js';
import type { Endpoint } from '../data/endpoint.js';
import { filteredSeriesEndpoint } from './answers/filteredSeries.js';
import type { SeriesPoint } from './answers/series.js';
import type { SeriesWindow } from '../data/chunks.js';

/** Braze's KPIs, named as in their paths (`/kpi/<kpi>/data_series`) and answers (`"<kpi>": n`). */
export const KPIS = ['dau', 'mau', 'new_users', 'uninstalls'] as const;
export type Kpi = (typeof KPIS)[number];

/** One normalised call of GET /kpi/<kpi>/data_series. Braze takes no `unit` here: `unit` is always 'day'. */
export interface KpiSeriesCall extends SeriesWindow {
  readonly unit: 'day';
  readonly appId: string | undefined;
}

/** Endpoint names (metric labels, cache keys), one per KPI. */
const NAMES: Readonly<Record<Kpi, string>> = { dau: 'kpiDau', mau: 'kpiMau', new_users: 'kpiNewUsers', uninstalls: 'kpiUninstalls' };
const SHAPES: Readonly<Record<Kpi, MeasureShape>> = { dau: dailyActiveUsers, mau: monthlyActiveUsers, new_users: newUsers, uninstalls };

/** GET /kpi/<kpi>/data_series: a daily series of one KPI, in the export bucket (the default 250,000/h limit). */
function kpiSeriesEndpoint(kpi: Kpi): Endpoint<KpiSeriesCall, readonly SeriesPoint[]> {
  return filteredSeriesEndpoint<KpiSeriesCall>({
    name: NAMES[kpi],
    path: `/kpi/${kpi}/data_series`,
    bucket: 'export',
    measure: kpi,
    kind: 'count',
    withUnit: false,
    filters: (call) => ({ app_id: call.appId }),
    simulation: { seededBy: ['app_id'], shape: SHAPES[kpi] },
  });
}

export const KPI_SERIES_ENDPOINTS: Readonly<Record<Kpi, Endpoint<KpiSeriesCall, readonly SeriesPoint[]>>> = {
  dau: kpiSeriesEndpoint('dau'),
  mau: kpiSeriesEndpoint('mau'),
  new_users: kpiSeriesEndpoint('new_users'),
  uninstalls: kpiSeriesEndpoint('uninstalls'),
};
