import { UpstreamInvalidResponseError } from '../errors.js';
import { truncate } from '../redact.js';

export type BrazeUnit = 'day' | 'hour';

/** One normalised call of GET /events/data_series: what Braze is asked, nothing else. */
export interface EventSeriesCall {
  readonly event: string;
  readonly length: number;
  readonly unit: BrazeUnit;
  readonly endingAt: Date;
  readonly appId: string | undefined;
  readonly segmentId: string | undefined;
}

export interface EventSeriesPoint {
  /** Start of the bucket, as an instant. */
  readonly time: Date;
  readonly count: number;
}

export const MIN_LENGTH = 1;
export const MAX_LENGTH = 100;
/** GraphQL Int is a signed 32-bit integer; larger counts cannot be carried by the schema. */
export const GRAPHQL_INT_MAX = 2_147_483_647;

/**
 * Identity of a call for deduplication. The instant is compared as epoch milliseconds, so the same
 * instant written with different offsets is one key.
 */
export function eventSeriesCallKey(call: EventSeriesCall): string {
  return JSON.stringify([
    call.event,
    call.length,
    call.unit,
    call.endingAt.getTime(),
    call.appId ?? null,
    call.segmentId ?? null,
  ]);
}

/**
 * Identity of the window a call looks at, whatever its length: calls that differ only in `length`
 * share a window, and the longest answer contains the others.
 */
export function eventSeriesWindowKey(call: EventSeriesCall): string {
  return JSON.stringify([call.event, call.unit, call.endingAt.getTime(), call.appId ?? null, call.segmentId ?? null]);
}

/** ISO-8601 UTC without a meaningless `.000`, as in Braze's own examples. */
export function formatInstant(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}

/** The query string Braze expects; optional filters are left out rather than sent empty. */
export function eventSeriesSearchParams(call: EventSeriesCall): URLSearchParams {
  const params = new URLSearchParams();
  params.set('event', call.event);
  params.set('length', String(call.length));
  params.set('unit', call.unit);
  params.set('ending_at', formatInstant(call.endingAt));
  if (call.appId !== undefined) params.set('app_id', call.appId);
  if (call.segmentId !== undefined) params.set('segment_id', call.segmentId);
  return params;
}

/**
 * Turns the body of a 2xx answer to `call` into points, or says exactly what was wrong with it.
 * Braze's answer is not trusted: a proxy, a partial deploy or an API change must not become a crash.
 * Messages quote the body, cut short: callers that must hide a secret pass the body redacted.
 */
export function parseEventSeriesBody(text: string, call: Pick<EventSeriesCall, 'unit' | 'length'>): EventSeriesPoint[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw invalid(`Braze answered with a body that is not JSON (${describeSnippet(text)})`);
  }
  if (!isRecord(body)) throw invalid('Braze answered with JSON that is not an object');
  if (body['message'] !== 'success') {
    const message = typeof body['message'] === 'string' ? `"${truncate(body['message'], 120)}"` : 'missing';
    throw invalid(`Braze answered without success (message: ${message})`);
  }
  const data = body['data'];
  if (!Array.isArray(data)) throw invalid('Braze answered without a "data" list');
  // Fewer points than asked is normal (a new event, a young app); more cannot be a series of `length`.
  if (data.length > call.length) throw invalid(`Braze answered ${data.length} points for a series of length ${call.length}`);
  return data.map((entry: unknown, index) => parsePoint(entry, index, call.unit));
}

function parsePoint(entry: unknown, index: number, unit: BrazeUnit): EventSeriesPoint {
  if (!isRecord(entry)) throw invalid(`data[${index}] is not an object`);
  const { time, count } = entry;
  if (typeof time !== 'string') throw invalid(`data[${index}].time is not a string`);
  const parsed = unit === 'day' ? parseBrazeDate(time) : parseBrazeDateTime(time);
  if (parsed === undefined) {
    const expected = unit === 'day' ? 'a date (YYYY-MM-DD)' : 'an ISO-8601 date-time';
    throw invalid(`data[${index}].time "${truncate(time, 40)}" is not ${expected}`);
  }
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
    throw invalid(`data[${index}].count is not a non-negative integer`);
  }
  if (count > GRAPHQL_INT_MAX) {
    throw invalid(`data[${index}].count ${count} exceeds the 32-bit range a GraphQL Int can carry`);
  }
  return { time: parsed, count };
}

/** `YYYY-MM-DD` → midnight UTC of that date. */
export function parseBrazeDate(text: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return utcDate(year, month, day, 0, 0, 0, 0);
}

/** ISO-8601 extended date-time; without an offset it is read as UTC. */
export function parseBrazeDateTime(text: string): Date | undefined {
  const match =
    /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i.exec(text);
  if (!match) return undefined;
  const millis = match[7] === undefined ? 0 : Math.floor(Number(`0.${match[7]}`) * 1000);
  const local = utcDate(
    Number(match[1]),
    Number(match[2]),
    Number(match[3]),
    Number(match[4]),
    Number(match[5]),
    Number(match[6] ?? 0),
    millis,
  );
  if (local === undefined) return undefined;
  const offsetMinutes = parseOffsetMinutes(match[8]);
  if (offsetMinutes === undefined) return undefined;
  return new Date(local.getTime() - offsetMinutes * 60_000);
}

function parseOffsetMinutes(offset: string | undefined): number | undefined {
  if (offset === undefined || offset.toUpperCase() === 'Z') return 0;
  const digits = offset.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 23 || minutes > 59) return undefined;
  return (offset.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}

/** Builds a UTC date, or undefined when a component is out of range (2014-02-30, 25:00). */
function utcDate(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millis: number,
): Date | undefined {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis));
  // Date.UTC rolls 2014-02-30 over to March (and years below 100 into the 1900s): such a date is invalid.
  if (date.getUTCDate() !== day || date.getUTCMonth() !== month - 1 || date.getUTCFullYear() !== year) {
    return undefined;
  }
  return date;
}

function invalid(message: string): UpstreamInvalidResponseError {
  return new UpstreamInvalidResponseError(message);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeSnippet(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return 'empty body';
  return `starts with "${truncate(trimmed.replace(/\s+/g, ' '), 60)}"`;
}
