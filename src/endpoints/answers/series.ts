import { UpstreamInvalidResponseError } from '../../errors/gatewayErrors.js';
import { truncate } from '../../observability/redact.js';
import { dateOf, formatInstant, parseBrazeDate, parseBrazeDateTime } from './brazeTime.js';
import { amount, count, isRecord } from './answerFields.js';
import { parseSuccessBody } from './lists.js';
import { ANY, keys, listOf, record, withUnknownKeys, type Shape } from './shape.js';
import { isWindowClosed, UNIT_MS, type SeriesWindow } from '../../data/chunks.js';
import type { Coalescing, TtlPolicy } from '../../data/endpoint.js';

/*
 * What Braze's `…/data_series` endpoints have in common: `length` units ending at `ending_at` (a
 * SeriesWindow), and an answer `{"message": "success", "data": [{"time": …, "<measure>": n}, …]}`,
 * oldest first.
 */

export interface SeriesPoint {
  /** Start of the bucket, as an instant (a DAY bucket: midnight UTC of the date Braze wrote). */
  readonly time: Date;
  readonly value: number;
}

const HOUR_MS = UNIT_MS.hour;

export const MIN_LENGTH = 1;
export const MAX_LENGTH = 100;

/** How a measure's value is checked: counts are non-negative integers; revenue may have cents, and a sign (refunds). */
export type MeasureKind = 'count' | 'amount';

/**
 * Turns the body of a 2xx answer into points, or says exactly what is wrong with it. Braze's answer is
 * not trusted: a proxy, a partial deploy or an API change must not become a crash. Messages quote the
 * body, cut short: callers that must hide a secret pass the body redacted.
 */
export function parseSeriesBody(text: string, window: Pick<SeriesWindow, 'unit' | 'length' | 'endingAt'>, measure: string, kind: MeasureKind): SeriesPoint[] {
  const body = parseSuccessBody(text);
  const data = body['data'];
  if (!Array.isArray(data)) throw invalid('Braze answered without a "data" list');
  // Fewer points than asked is normal (a new event, a young app); more cannot be a series of `length`.
  if (data.length > window.length) throw invalid(`Braze answered ${data.length} points for a series of length ${window.length}`);
  const points = data.map((entry: unknown, index) => {
    if (!isRecord(entry)) throw invalid(`data[${index}] is not an object`);
    const at = `data[${index}]`;
    const time = window.unit === 'day' ? dayStart(entry['time'], at) : hourStart(entry['time'], at, window, data.length - 1 - index);
    return { time, value: measureValue(entry[measure], kind, `${at}.${measure}`) };
  });
  return withUnknownKeys(points, body, seriesShape(measure));
}

/** What Braze documents of a `…/data_series` answer: `message`, and `data` points of `time` and the measure. */
export function seriesShape(measure: string): Shape {
  return record({ message: ANY, data: listOf(keys(['time', measure])) });
}

/** A DAY point's `time`: "the date as ISO 8601 date", kept as midnight UTC of that date. */
function dayStart(time: unknown, at: string): Date {
  if (typeof time !== 'string') throw invalid(`${at}.time is not a string`);
  const date = parseBrazeDate(time);
  if (date === undefined) throw invalid(`${at}.time "${truncate(time, 40)}" is not a date (YYYY-MM-DD)`);
  return date;
}

/**
 * An HOUR point's `time`: an ISO-8601 date-time, as the event and session pages say, is the hour it
 * names. The purchase pages describe `time` as "the date as ISO 8601 date" whatever the unit, and
 * nobody here knows what Braze sends: a date alone is neither refused nor taken as one instant (24
 * points on one time), but read as the hour of the point's place in the window, counted from its end
 * (Braze may send fewer points than asked, the oldest missing): the last point is the UTC hour that
 * holds `ending_at`, the one before it the hour before, and so on. That date must be a date the hour
 * falls on in some time zone (UTC−12 to UTC+14), else the points are not where their places say.
 */
function hourStart(time: unknown, at: string, window: Pick<SeriesWindow, 'endingAt'>, fromEnd: number): Date {
  if (typeof time !== 'string') throw invalid(`${at}.time is not a string`);
  const instant = parseBrazeDateTime(time);
  if (instant !== undefined) return instant;
  const date = parseBrazeDate(time);
  if (date === undefined) throw invalid(`${at}.time "${truncate(time, 40)}" is not an ISO-8601 date-time (or a date)`);
  const hour = Math.floor(window.endingAt.getTime() / HOUR_MS) * HOUR_MS - fromEnd * HOUR_MS;
  const earliest = dateOf(new Date(hour - 12 * HOUR_MS));
  const latest = dateOf(new Date(hour + 15 * HOUR_MS - 1));
  if (time < earliest || time > latest) {
    throw invalid(`${at}.time "${truncate(time, 40)}" is a date the hour of its place in the window (${formatInstant(new Date(hour))}) does not fall on in any time zone`);
  }
  return new Date(hour);
}

/** A point's value as Braze's parser takes it: counts are non-negative safe integers, amounts finite numbers of either sign (refunds). */
function measureValue(value: unknown, kind: MeasureKind, path: string): number {
  return kind === 'count' ? count(value, path) : amount(value, path);
}

/**
 * How long after a window ends its numbers are taken as settled. Braze counts late data (offline SDK
 * batches, time zones ahead of UTC) for a while after a bucket closes; two days covers the company's
 * own day ending up to 14 hours after UTC's, and a day of late uploads.
 */
export const SETTLED_AFTER_MS = 2 * 86_400_000;

/**
 * A window that reaches into the last unit before now (or the future) is still being counted: short
 * TTL. One wholly in the past may still receive late data, so it is kept longer, not forever; one
 * that ended days ago has settled and is kept longest (what makes the past chunks of a long window
 * cheap: see src/data/chunks.ts).
 */
export function seriesTtlMs(window: Pick<SeriesWindow, 'unit' | 'endingAt'>, now: number, policy: TtlPolicy): number {
  if (!isWindowClosed(window, now)) return policy.liveTtlMs;
  return window.endingAt.getTime() < now - SETTLED_AFTER_MS ? policy.settledTtlMs : policy.pastTtlMs;
}

/**
 * Series that differ only in `length` share a window: the longest answer holds the others as its last
 * points, when it is complete (one point per unit). Braze may send fewer points than asked (`length` is
 * a maximum); then which points a shorter call would get is not known, so it gets a call of its own.
 */
export function seriesCoalescing<Call extends SeriesWindow>(windowKey: (call: Call) => string): Coalescing<Call, readonly SeriesPoint[]> {
  return {
    windowKey,
    reach: (call) => call.length,
    slice: (points, covering, call) => (points.length === covering.length ? points.slice(points.length - call.length) : undefined),
  };
}

/** The query string of a series call: `leading` (what the series is of), then its window. */
export function seriesSearchParams(window: SeriesWindow, { withUnit }: { withUnit: boolean }, leading: Readonly<Record<string, string>> = {}): URLSearchParams {
  const params = new URLSearchParams(leading);
  params.set('length', String(window.length));
  if (withUnit) params.set('unit', window.unit);
  params.set('ending_at', formatInstant(window.endingAt));
  return params;
}

function invalid(message: string): UpstreamInvalidResponseError {
  return new UpstreamInvalidResponseError(message);
}

