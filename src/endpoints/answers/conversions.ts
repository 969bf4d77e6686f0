import { ResultOutOfRangeError } from '../../errors/gatewayErrors.js';
import { optionalCount } from './answerFields.js';

/**
 * Conversions per conversion event, however many a campaign or Canvas has. Braze names them by the
 * event's place: the primary event is `conversions`, the second `conversions1`, the third
 * `conversions2`, … ("fifth and later events follow the same pattern"), each with a twin attributed to
 * the time of sending (campaigns: `conversions<n>_by_send_time`) or of entry (Canvases:
 * `conversions<n>_by_entry_time`). Read as a list by index, so an event past the fourth needs no new
 * field anywhere.
 */

/** Which twin a stats object carries: campaigns attribute to the send time, Canvases to the entry time. */
export type ConversionAttribution = 'send' | 'entry';

export interface ConversionEventCounts {
  /** The event's place: 0 the primary (`conversions`), n Braze's `conversions<n>` (the (n+1)th event). */
  readonly index: number;
  /** Braze `conversions<n>`; null when only its twin was sent. */
  readonly conversions: number | null;
  /** Braze `conversions<n>_by_send_time` or `_by_entry_time`; null when not sent. */
  readonly byTime: number | null;
}

/** `conversions`, `conversions<n>` and their twins, n from 1 to 999 (Braze's pages stop at 3, "4+ likewise"). */
const CONVERSION_KEY = /^conversions([1-9]\d{0,2})?(?:_by_(send|entry)_time)?$/;

/** Whether `name` is a conversion count of a stats object attributing by `attribution` (`conversions`, `conversions12_by_entry_time`). */
export function isConversionKey(name: string, attribution: ConversionAttribution): boolean {
  const match = CONVERSION_KEY.exec(name);
  return match !== null && (match[2] === undefined || match[2] === attribution);
}

/**
 * Every conversion event `stats` reports, by index (ascending): each key `conversions<n>` and its twin
 * of `attribution`, checked as counts (a non-negative safe integer, or absent/null). An index is listed
 * when either of its two keys has a number.
 */
export function parseConversionEvents(stats: Readonly<Record<string, unknown>>, path: string, attribution: ConversionAttribution): ConversionEventCounts[] {
  const events = new Map<number, { conversions: number | null; byTime: number | null }>();
  for (const [name, value] of Object.entries(stats)) {
    const match = CONVERSION_KEY.exec(name);
    if (match === null || (match[2] !== undefined && match[2] !== attribution)) continue;
    const counted = optionalCount(value, `${path}.${name}`);
    if (counted === null) continue;
    const index = match[1] === undefined ? 0 : Number(match[1]);
    const event = events.get(index) ?? { conversions: null, byTime: null };
    if (match[2] === undefined) event.conversions = counted;
    else event.byTime = counted;
    events.set(index, event);
  }
  return [...events].sort(([a], [b]) => a - b).map(([index, event]) => ({ index, ...event }));
}

/** The sums per index of several lists (days): a count no list reported stays null. Past 2^53 - 1, RESULT_OUT_OF_RANGE. */
export function sumConversionEvents(lists: readonly (readonly ConversionEventCounts[])[]): ConversionEventCounts[] {
  const sums = new Map<number, { conversions: number | null; byTime: number | null }>();
  for (const list of lists) {
    for (const { index, conversions, byTime } of list) {
      const sum = sums.get(index) ?? { conversions: null, byTime: null };
      sum.conversions = add(sum.conversions, conversions);
      sum.byTime = add(sum.byTime, byTime);
      sums.set(index, sum);
    }
  }
  return [...sums].sort(([a], [b]) => a - b).map(([index, sum]) => ({ index, ...sum }));
}

function add(total: number | null, value: number | null): number | null {
  if (value === null) return total;
  const sum = (total ?? 0) + value;
  if (!Number.isSafeInteger(sum)) throw new ResultOutOfRangeError(`a conversions total exceeds ${Number.MAX_SAFE_INTEGER} (2^53 - 1), the largest integer SafeInt can carry exactly`);
  return sum;
}
