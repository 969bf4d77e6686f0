/**
 * Braze's ways of writing time. DAY buckets come as dates (`YYYY-MM-DD`, a day in the workspace's
 * time zone), HOUR buckets as ISO-8601 date-times, with or without an offset; `ending_at` is sent as an
 * ISO-8601 instant in UTC.
 */

/** ISO-8601 UTC without a meaningless `.000`, as in Braze's own examples. */
export function formatInstant(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}

/** `YYYY-MM-DD` → midnight UTC of that date; undefined for anything else or a date that does not exist. */
export function parseBrazeDate(text: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  return utcDate(Number(match[1]), Number(match[2]), Number(match[3]), 0, 0, 0, 0);
}

/** ISO-8601 extended date-time; without an offset it is read as UTC. */
export function parseBrazeDateTime(text: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i.exec(text);
  if (!match) return undefined;
  const millis = match[7] === undefined ? 0 : Math.floor(Number(`0.${match[7]}`) * 1000);
  const local = utcDate(Number(match[1]), Number(match[2]), Number(match[3]), Number(match[4]), Number(match[5]), Number(match[6] ?? 0), millis);
  if (local === undefined) return undefined;
  const offsetMinutes = parseOffsetMinutes(match[8]);
  if (offsetMinutes === undefined) return undefined;
  return new Date(local.getTime() - offsetMinutes * 60_000);
}

/** The date a DAY point stands for, as Braze wrote it (points of DAY series are kept as midnight UTC of it). */
export function dateOf(time: Date): string {
  return time.toISOString().slice(0, 10);
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
function utcDate(year: number, month: number, day: number, hour: number, minute: number, second: number, millis: number): Date | undefined {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis));
  // Date.UTC rolls 2014-02-30 over to March (and years below 100 into the 1900s): such a date is invalid.
  if (date.getUTCDate() !== day || date.getUTCMonth() !== month - 1 || date.getUTCFullYear() !== year) return undefined;
  return date;
}
