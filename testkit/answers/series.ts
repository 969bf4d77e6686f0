import type { SimulatedAnswer, SimulationInput } from '../../src/data/endpoint.js';
import { bucketStarts } from '../../src/endpoints/simulated/rhythm.js';
import { seriesBody } from '../../src/endpoints/simulated/series.js';

/**
 * The fake Braze's default answers for the series endpoints: numbers that count, so a test asserts
 * exact totals (demo mode's simulated series have a weekly rhythm instead, see
 * src/endpoints/simulated/series.ts), in the simulated series' shape (seriesBody) but for the
 * time-zone answers below.
 */

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * The points of a message series (/campaigns/data_series, /sends/data_series): `length` days ending
 * with the day of `ending_at`, each `point(i)` (i from 1) with its day as a date in `time`.
 */
export function dailyPoints(query: Readonly<Record<string, string>>, point: (i: number) => Record<string, unknown>): Record<string, unknown>[] {
  const length = Number(query['length']);
  const last = Math.floor(Date.parse(query['ending_at'] ?? '') / DAY_MS) * DAY_MS;
  return Array.from({ length }, (_, index) => {
    const i = index + 1;
    return { time: new Date(last - (length - i) * DAY_MS).toISOString().slice(0, 10), ...point(i) };
  });
}

/**
 * The field Braze puts each point's value in, by series path; `count` (GET /events/data_series) for
 * any other path.
 */
const SERIES_MEASURES: Readonly<Record<string, string>> = {
  '/kpi/dau/data_series': 'dau',
  '/kpi/mau/data_series': 'mau',
  '/kpi/new_users/data_series': 'new_users',
  '/kpi/uninstalls/data_series': 'uninstalls',
  '/sessions/data_series': 'sessions',
  '/purchases/quantity_series': 'purchase_quantity',
  '/purchases/revenue_series': 'revenue',
};

/**
 * A Braze-shaped answer for any query: `length` buckets ending at the bucket of `ending_at`, with
 * value = index + 1 (so totals are easy to assert: n(n+1)/2), in the field `path`'s series names
 * (`count` by default). Revenue has cents: index + 1.1, which float sums get wrong (n(n+1)/2 + n/10 exactly).
 * Days as dates, hours without offset.
 */
export function defaultSeries(query: Readonly<Record<string, string>>, path = '/events/data_series'): unknown {
  const daily = (query['unit'] ?? 'day') === 'day';
  const measure = SERIES_MEASURES[path] ?? 'count';
  const starts = bucketStarts(Date.parse(query['ending_at'] ?? ''), Number(query['length']), daily);
  return seriesBody(starts, daily, measure, (_start, index) => (measure === 'revenue' ? index + 1.1 : index + 1));
}

/**
 * A Braze-shaped answer from a workspace in `timeZone`: DAY buckets are that zone's calendar days
 * (the last one holding `ending_at`), HOUR buckets start on that zone's whole hours (at :30 UTC in
 * India, say), sent as UTC date-times. Each value names its bucket: days since 1970-01-01 for a DAY,
 * hours since 1970-01-01T00:00Z (rounded down) for an HOUR, so a stitched series shows exactly which
 * buckets it holds. For the seams of long windows.
 */
export function seriesInTimeZone(query: Readonly<Record<string, string>>, timeZone: string, path = '/events/data_series'): unknown {
  const length = Number(query['length']);
  const endingAt = Date.parse(query['ending_at'] ?? '');
  const measure = SERIES_MEASURES[path] ?? 'count';
  if ((query['unit'] ?? 'day') === 'day') {
    const lastDay = Date.parse(localDate(endingAt, timeZone)) / DAY_MS;
    const data = Array.from({ length }, (_, index) => {
      const day = lastDay - (length - 1 - index);
      return { time: new Date(day * DAY_MS).toISOString().slice(0, 10), [measure]: day };
    });
    return { message: 'success', data };
  }
  // Start of the local hour holding `ending_at`: whole hours of local time, whatever the offset.
  const offsetMs = utcOffsetMs(endingAt, timeZone);
  const lastHourStart = Math.floor((endingAt + offsetMs) / HOUR_MS) * HOUR_MS - offsetMs;
  const data = Array.from({ length }, (_, index) => {
    const start = lastHourStart - (length - 1 - index) * HOUR_MS;
    return { time: new Date(start).toISOString().slice(0, 19) + 'Z', [measure]: Math.floor(start / HOUR_MS) };
  });
  return { message: 'success', data };
}

/** `YYYY-MM-DD` of `instant` on the calendar of `timeZone`. */
export function localDate(instant: number, timeZone: string): string {
  return formatter(`date ${timeZone}`, () => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })).format(instant);
}

// Building a formatter costs far more than using one; property tests format thousands of instants.
const FORMATTERS = new Map<string, Intl.DateTimeFormat>();
function formatter(key: string, create: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let made = FORMATTERS.get(key);
  if (!made) FORMATTERS.set(key, (made = create()));
  return made;
}

function utcOffsetMs(instant: number, timeZone: string): number {
  const parts = formatter(`offset ${timeZone}`, () => new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })).formatToParts(instant);
  const name = parts.find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name);
  if (!match) throw new Error(`unexpected offset "${name}" for ${timeZone}`);
  if (match[1] === undefined) return 0;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) * 60_000;
}

/** `defaultSeries` as an endpoint's answer. */
function series(path: string): (input: SimulationInput) => SimulatedAnswer {
  return ({ params }) => ({ status: 200, body: defaultSeries(Object.fromEntries(params), path) });
}

/** /segments/data_series: the default series, with `size` for `count`. */
function segmentSize({ params }: SimulationInput): SimulatedAnswer {
  const { data } = defaultSeries(Object.fromEntries(params)) as { data: { time: string; count: number }[] };
  return { status: 200, body: { message: 'success', data: data.map(({ time, count }) => ({ time, size: count })) } };
}

/** The default answer of each series path. */
export const SERIES_ANSWERS: Readonly<Record<string, (input: SimulationInput) => SimulatedAnswer>> = {
  ...Object.fromEntries(['/events/data_series', ...Object.keys(SERIES_MEASURES)].map((path) => [path, series(path)])),
  '/segments/data_series': segmentSize,
};
