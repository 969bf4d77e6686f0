/**
 * Finds the time series in a GraphQL result, for the chart in GraphiQL. Pure (no DOM), so that it is
 * unit-tested in Node and bundled into the page as it is.
 *
 * Recognised, anywhere under `data` (aliases are the names of the lines):
 * - a POINT LIST: a non-empty array whose elements are all objects with a `time` (an ISO instant) or a
 *   `date` (`YYYY-MM-DD`, read as midnight UTC); `time` wins when both are there.
 * - in each point, every number is a line: JSON numbers, and decimal strings (the `Decimal` scalar:
 *   revenue, a channel stat's `value`), except identifiers (`id`, `…Id`).
 * - nested objects in a point are followed (`totals.sends`); nested lists of objects in a point
 *   (campaign `channels`, Canvas `steps`, a channel's `stats`) give one line per element, labelled by the
 *   element's `channel`/`name`/`stepId`/`id` (and `variationName`/`variationId`), else by its index.
 * - lists outside points (connections' `nodes`, …) are walked the same way, so every series in the
 *   result is drawn.
 * A line is named `<path of response keys to the point list, without the list's own key>.<path in the point>`:
 * `eventSeries.count`, `dau.value`, `campaign.series.channels[email].sends`.
 */

export interface SeriesLine {
  readonly name: string;
  /** Same length as the chart's `times`; null where the series has no point at that time. */
  readonly values: readonly (number | null)[];
}

export interface SeriesChart {
  /** Sorted, distinct instants in epoch seconds: the union of every line's times. */
  readonly times: readonly number[];
  readonly lines: readonly SeriesLine[];
}

type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };
type JsonObject = { readonly [key: string]: Json };

const DECIMAL = /^-?\d+(\.\d+)?$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const LABEL_KEYS = ['channel', 'name', 'stepId', 'id'] as const;
const VARIATION_KEYS = ['variationName', 'variationId'] as const;

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Epoch seconds of a point, or undefined when it has no usable `time`/`date`. */
function pointTime(point: JsonObject): number | undefined {
  const time = point['time'];
  if (typeof time === 'string') {
    const ms = Date.parse(time);
    if (Number.isFinite(ms)) return ms / 1000;
  }
  const date = point['date'];
  if (typeof date === 'string' && DATE_ONLY.test(date)) {
    const ms = Date.parse(`${date}T00:00:00Z`);
    if (Number.isFinite(ms)) return ms / 1000;
  }
  return undefined;
}

function isPointList(value: Json | undefined): value is readonly JsonObject[] {
  return Array.isArray(value) && value.length > 0 && value.every((item) => isObject(item) && pointTime(item) !== undefined);
}

function isIdentifier(key: string): boolean {
  return key === 'id' || key.endsWith('Id');
}

function numberOf(key: string, value: Json | undefined): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && !isIdentifier(key) && DECIMAL.test(value)) return Number(value);
  return undefined;
}

/** `[email/Variant 1]`, `[Welcome step]`, or `[2]` for an element with nothing to name it by. */
function elementLabel(element: Json, index: number): string {
  if (!isObject(element)) return `[${index}]`;
  const main = LABEL_KEYS.map((key) => element[key]).find((value) => typeof value === 'string' && value !== '');
  const variation = VARIATION_KEYS.map((key) => element[key]).find((value) => typeof value === 'string' && value !== '');
  const parts = [main, variation].filter((part): part is string => typeof part === 'string');
  return parts.length > 0 ? `[${parts.join('/')}]` : `[${index}]`;
}

function join(prefix: string, key: string): string {
  if (prefix === '') return key;
  return key.startsWith('[') ? `${prefix}${key}` : `${prefix}.${key}`;
}

/** Every number in one point, keyed by its path in the point. */
function pointValues(point: JsonObject, prefix: string, into: Map<string, number>): void {
  for (const [key, value] of Object.entries(point)) {
    if (prefix === '' && (key === 'time' || key === 'date')) continue;
    const path = join(prefix, key);
    const number = numberOf(key, value);
    if (number !== undefined) {
      into.set(path, number);
    } else if (isObject(value)) {
      pointValues(value, path, into);
    } else if (Array.isArray(value)) {
      value.forEach((element, index) => {
        if (!isObject(element)) return;
        const label = elementLabel(element, index);
        // A name/value pair (a channel's `stats`): the line is the name, not `<name>.value`.
        const only = Object.keys(element).filter((k) => numberOf(k, element[k]) !== undefined);
        if (only.length === 1 && only[0] === 'value' && typeof element['name'] === 'string') {
          into.set(join(path, label), numberOf('value', element['value']) as number);
        } else {
          pointValues(element, join(path, label), into);
        }
      });
    }
  }
}

interface FoundSeries {
  readonly name: string;
  readonly points: ReadonlyMap<number, number>;
}

function collect(value: Json | undefined, path: string, found: FoundSeries[]): void {
  if (isPointList(value)) {
    const byLine = new Map<string, Map<number, number>>();
    for (const point of value) {
      const time = pointTime(point) as number;
      const values = new Map<string, number>();
      pointValues(point, '', values);
      for (const [leaf, number] of values) {
        let line = byLine.get(leaf);
        if (!line) byLine.set(leaf, (line = new Map()));
        line.set(time, number);
      }
    }
    // The point list's own key (`points`) says nothing: `eventSeries.count`, not `eventSeries.points.count`.
    const dot = path.lastIndexOf('.');
    const owner = dot > 0 ? path.slice(0, dot) : path;
    for (const [leaf, points] of byLine) found.push({ name: join(owner, leaf), points });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((element, index) => collect(element, join(path, elementLabel(element, index)), found));
  } else if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) collect(child, join(path, key), found);
  }
}

/** The series of a result (`{ data, errors?, … }`), in the order they appear; none when there are none. */
export function seriesOf(result: unknown): SeriesChart {
  const found: FoundSeries[] = [];
  if (isObject(result as Json)) collect((result as JsonObject)['data'], '', found);
  const times = [...new Set(found.flatMap((series) => [...series.points.keys()]))].sort((a, b) => a - b);
  return {
    times,
    lines: found.map((series) => ({ name: series.name, values: times.map((time) => series.points.get(time) ?? null) })),
  };
}

/** What the chart draws, per line: for tests and for people reading the page's `data-series`. */
export interface LineSummary {
  readonly name: string;
  readonly points: number;
  readonly first: number | null;
  readonly last: number | null;
}

export function summarize(names: readonly string[], columns: readonly (readonly (number | null | undefined)[])[]): LineSummary[] {
  return names.map((name, index) => {
    const present = (columns[index] ?? []).filter((value): value is number => typeof value === 'number');
    return { name, points: present.length, first: present[0] ?? null, last: present[present.length - 1] ?? null };
  });
}
