import type { BucketName } from '../buckets.js';
import { simulateSeries, type SimulatedSeriesShape } from '../simulated/series.js';
import type { Endpoint } from '../../data/endpoint.js';
import { parseSeriesBody, seriesCoalescing, seriesSearchParams, seriesTtlMs, type MeasureKind, type SeriesPoint } from './series.js';
import type { SeriesWindow } from '../../data/chunks.js';

/**
 * The optional filters of a series call by Braze parameter name (`app_id`, `segment_id`, `product`),
 * always listed in the same order; undefined means not filtered.
 */
export type SeriesFilters = Readonly<Record<string, string | undefined>>;

/** What makes one `…/data_series`-shaped endpoint different from another: everything else is shared. */
export interface FilteredSeriesSpec<Call extends SeriesWindow> {
  readonly name: string;
  readonly path: string;
  readonly bucket: BucketName;
  /** The field of each point that holds its value, e.g. `dau`, `revenue`. */
  readonly measure: string;
  readonly kind: MeasureKind;
  /** Whether Braze takes `unit` (day|hour) here; without it the series is daily and `unit` is not sent. */
  readonly withUnit: boolean;
  /** The call's filters, by Braze parameter name. */
  filters(call: Call): SeriesFilters;
  /** How demo mode shapes this measure (its seed, its scale). */
  readonly simulation: Pick<SimulatedSeriesShape, 'seededBy' | 'shape'>;
}

/**
 * A series endpoint whose query is its window and optional filters only (the KPI, session and
 * purchase series): key, parameters, parsing, TTL, coalescing and simulation come from one
 * place, so each endpoint states only what differs.
 */
export function filteredSeriesEndpoint<Call extends SeriesWindow>(spec: FilteredSeriesSpec<Call>): Endpoint<Call, readonly SeriesPoint[]> {
  const { withUnit, filters, measure, kind } = spec;
  // Instants are compared as epoch milliseconds: the same instant written with other offsets is one call.
  const window = (call: Call): unknown[] => [withUnit ? call.unit : 'day', call.endingAt.getTime(), ...Object.values(filters(call)).map((value) => value ?? null)];
  return {
    name: spec.name,
    path: spec.path,
    permission: permissionOf(spec.path),
    bucket: spec.bucket,
    key: (call) => JSON.stringify([call.length, ...window(call)]),
    searchParams(call) {
      const params = seriesSearchParams(call, { withUnit });
      // Optional filters are left out rather than sent empty.
      for (const [name, value] of Object.entries(filters(call))) if (value !== undefined) params.set(name, value);
      return params;
    },
    parse: (text, call) => parseSeriesBody(text, call, measure, kind),
    ttlMs: seriesTtlMs,
    // Calls differing only in `length` share a window: the longest is made.
    coalescing: seriesCoalescing((call) => JSON.stringify(window(call))),
    simulate: (input) => simulateSeries(input, { measure, withUnit, ...spec.simulation }),
  };
}

/** The API key permission Braze's page names for a path: the path's segments joined by dots (`/kpi/dau/data_series` → `kpi.dau.data_series`). */
function permissionOf(path: string): string {
  return path.slice(1).replaceAll('/', '.');
}
