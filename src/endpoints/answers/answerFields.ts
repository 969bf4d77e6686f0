import { UpstreamInvalidResponseError } from '../../errors/gatewayErrors.js';
import { truncate } from '../../observability/redact.js';
import { parseBrazeDate, parseBrazeDateTime } from './brazeTime.js';

/**
 * Readers of the fields of Braze's answers, shared by every endpoint's parser. Braze's answers are not
 * trusted (a proxy, a partial deploy or an API change must not become a crash): each reader returns
 * the value in the gateway's terms or throws UpstreamInvalidResponseError naming the field's path, so
 * the field asking for it fails alone with a message that says where the answer went wrong.
 * "Optional" readers take an absent or null field as null (or empty, for lists).
 */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((entry) => typeof entry === 'string');
}

export function invalidAnswer(message: string): UpstreamInvalidResponseError {
  return new UpstreamInvalidResponseError(truncate(message, 300));
}

export function optionalString(value: unknown, path: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw invalidAnswer(`${path} is not a string`);
  return value;
}

/** Absent or null is an empty list: Braze leaves out lists it has nothing in (tags, teams). */
export function stringList(value: unknown, path: string): readonly string[] {
  if (value === undefined || value === null) return [];
  if (!isStringList(value)) throw invalidAnswer(`${path} is not a list of strings`);
  return value;
}

export function optionalBoolean(value: unknown, path: string): boolean | null {
  return value === undefined || value === null ? null : requiredBoolean(value, path);
}

export function requiredBoolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') throw invalidAnswer(`${path} is not a boolean`);
  return value;
}

/** A count: a non-negative integer that a JavaScript number holds exactly. */
export function count(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw invalidAnswer(`${path} is not a non-negative integer`);
  return value;
}

/**
 * An amount of money (revenue): a finite number, cents allowed, either sign. Braze types revenue as a
 * plain int or float on every page that has it, with no sign; the purchase object's `price` is "(required,
 * float)" with no minimum, and revenue is quantity × price: a refund logged as a negative price comes
 * back as negative revenue, in Canvas stats, campaign series and purchase series alike.
 */
export function amount(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidAnswer(`${path} is not a finite number`);
  return value;
}

export function optionalAmount(value: unknown, path: string): number | null {
  return value === undefined || value === null ? null : amount(value, path);
}

export function optionalCount(value: unknown, path: string): number | null {
  return value === undefined || value === null ? null : count(value, path);
}

/** An id as Braze's parsers take it: a non-empty string. */
export function id(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '') throw invalidAnswer(`${path} is not a non-empty string`);
  return value;
}

/** A list of at most `most` entries (a page, a window), or UpstreamInvalidResponseError. */
export function list(value: unknown, path: string, most = Number.POSITIVE_INFINITY): unknown[] {
  if (!Array.isArray(value)) throw invalidAnswer(`${path} is not a list`);
  if (value.length > most) throw invalidAnswer(`${path} has ${value.length} entries, more than ${most}`);
  return value;
}

/** An ISO-8601 date-time as the instant it names, or a date alone as midnight UTC; undefined for anything else. */
export function parseInstantText(text: string): Date | undefined {
  return parseBrazeDateTime(text) ?? parseBrazeDate(text);
}

/** Braze calls `created_at`, `last_edited`, `first_sent` and the like "ISO 8601 dates": either form is taken. */
export function optionalInstant(value: unknown, path: string): Date | null {
  if (value === undefined || value === null) return null;
  const parsed = typeof value === 'string' ? parseInstantText(value) : undefined;
  if (parsed === undefined) throw invalidAnswer(`${path} is not an ISO-8601 date or date-time`);
  return parsed;
}

/**
 * A day bucket's `time`: "the date as ISO 8601 date", `YYYY-MM-DD`, kept as midnight UTC of that date. A
 * date-time is read by the date it starts with (the day Braze means), never shifted by its offset.
 */
export function brazeDay(value: unknown, path: string): Date {
  const match = typeof value === 'string' ? /^(\d{4}-\d{2}-\d{2})(?:T\S*)?$/.exec(value) : null;
  const date = match?.[1] === undefined ? undefined : parseBrazeDate(match[1]);
  if (date === undefined) throw invalidAnswer(`${path} ${typeof value === 'string' ? `"${truncate(value, 40)}" ` : ''}is not a date (YYYY-MM-DD)`);
  return date;
}
