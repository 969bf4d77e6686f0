import { UNIT_MS, type BrazeUnit } from './brazeTime.js';
import type { Endpoint } from './endpoint.js';
import type { RequestLoader } from './loader.js';
import { MAX_LENGTH, type SeriesWindow } from './series.js';

/**
 * Windows longer than Braze serves in one call (100 units; 14 days for Canvas), asked as consecutive
 * chunks and stitched into one series.
 *
 * Where chunks end matters twice:
 * - Caching. A dashboard's "last 365 days" moves with every request; if its chunks ended at offsets
 *   from `endingAt`, every chunk would be a new key each time. So every chunk but the newest ends on a
 *   fixed grid (every `maxUnits - 1` units from a fixed anchor): the same chunk, with the same key, for
 *   every request whose window covers it, so the chunks wholly in the past are served from the cache
 *   and only the newest one (ending at `endingAt`) is asked again.
 * - Seams. Braze buckets DAY series by the company's own calendar day, which the gateway does not
 *   know. A chunk ending at the same instant on every grid day falls on the same local day, unless a
 *   daylight-saving change moves the company's midnight across that instant. Grid days end at 18:00
 *   UTC: no time zone that changes its clocks has its midnight within an hour of it (that would need a
 *   UTC offset between +5 and +7 with daylight saving; none has). HOUR grid points end at :50 past the
 *   hour, away from the hour boundaries of whole-, half- and quarter-hour offsets.
 *   As a second guard, every chunk asks one unit more than the grid step, so neighbouring chunks
 *   overlap by a unit: a seam off by one still has neither gap nor overlap once points are stitched,
 *   since each bucket is kept once (the newer chunk's, which is the fresher).
 */

const GRID_ANCHOR_MS: Readonly<Record<BrazeUnit, number>> = {
  day: 18 * 3_600_000,
  hour: 50 * 60_000,
};

/** The longest window one Braze call serves, by default (Canvas series serve 14 days). */
export const MAX_UNITS_PER_CALL = MAX_LENGTH;

/**
 * The windows of Braze calls that together cover `window`, oldest first: `window` itself when one
 * call serves it, otherwise grid chunks of `maxUnits` units each and a newest chunk ending at
 * `window.endingAt`.
 */
export function planChunks(window: SeriesWindow, maxUnits: number = MAX_UNITS_PER_CALL): SeriesWindow[] {
  if (window.length <= maxUnits) return [window];
  if (maxUnits < 2) throw new RangeError('a chunk must hold at least 2 units to overlap its neighbour');
  const unitMs = UNIT_MS[window.unit];
  const anchor = GRID_ANCHOR_MS[window.unit];
  const step = maxUnits - 1;
  const end = window.endingAt.getTime();
  // Units from the anchor to `endingAt`, and the grid point at or before it.
  const units = Math.floor((end - anchor) / unitMs);
  let grid = Math.floor(units / step);
  const chunks: SeriesWindow[] = [];
  // Nominally the newest chunk covers units [grid·step, units]; the grid chunk ending at grid·step
  // overlaps its first unit.
  chunks.push({ length: units - grid * step + 1, unit: window.unit, endingAt: window.endingAt });
  let coveredFrom = grid * step;
  // One unit of margin at the far end too: the oldest bucket must be there even if a seam is off by one.
  const needFrom = units - window.length;
  while (coveredFrom > needFrom) {
    chunks.push({ length: maxUnits, unit: window.unit, endingAt: new Date(anchor + grid * step * unitMs) });
    coveredFrom = (grid - 1) * step;
    grid--;
  }
  return chunks.reverse();
}

/** The most chunks a window of `length` units can take, wherever it ends. */
export function maxChunks(length: number, maxUnits: number = MAX_UNITS_PER_CALL): number {
  if (length <= maxUnits) return 1;
  // Worst case: the newest chunk holds one unit.
  return 1 + Math.ceil(length / (maxUnits - 1));
}

/** The longest window whose chunks, wherever it ends, fit in `calls` calls (at least what one call serves). */
export function longestWindowIn(calls: number, maxUnits: number = MAX_UNITS_PER_CALL): number {
  return calls < 3 ? maxUnits : Math.max(maxUnits, (calls - 1) * (maxUnits - 1));
}

/**
 * One series from the chunks' points (chunks oldest first, each oldest point first): every bucket
 * once, the newer chunk's when two hold it, and only the `window.length` buckets that end with the
 * newest one.
 */
export function stitchChunks<Point extends { readonly time: Date }>(chunks: readonly (readonly Point[])[], window: Pick<SeriesWindow, 'length' | 'unit'>): Point[] {
  const byTime = new Map<number, Point>();
  for (const points of chunks) for (const point of points) byTime.set(point.time.getTime(), point);
  const times = [...byTime.keys()].sort((a, b) => a - b);
  const newest = times.at(-1);
  if (newest === undefined) return [];
  // Bucket starts are whole units apart (DAY points are dates, read as midnight UTC).
  const oldestKept = newest - (window.length - 1) * UNIT_MS[window.unit];
  return times.filter((time) => time >= oldestKept).map((time) => byTime.get(time)!);
}

/** A series as loaded: its points, when Braze gave the oldest of them, and how many calls it is made of. */
export interface LoadedSeries<Point> {
  readonly points: readonly Point[];
  readonly fetchedAt: Date;
  readonly calls: number;
}

/**
 * Loads a series of any length through the request's loader: one call when Braze serves the window
 * whole, else its chunks, each an ordinary call (deduplicated, coalesced, shared, cached, counted
 * against the request's cap). The series fails when any chunk fails: a series with a hole in it
 * would chart as a real drop.
 */
export function loadSeries<Call extends SeriesWindow, Point extends { readonly time: Date }>(
  loader: RequestLoader,
  endpoint: Endpoint<Call, readonly Point[]>,
  call: Call,
  maxUnits: number = MAX_UNITS_PER_CALL,
): Promise<LoadedSeries<Point>> {
  return loadWindow(loader, endpoint, call, (window) => (window === call ? call : { ...call, ...window }), maxUnits);
}

/**
 * The same for an endpoint whose calls are not windows themselves (Canvas series, whose calls carry
 * `length` or `starting_at`): `callFor` makes the call that asks Braze for one chunk.
 */
export async function loadWindow<Call, Point extends { readonly time: Date }>(
  loader: RequestLoader,
  endpoint: Endpoint<Call, readonly Point[]>,
  window: SeriesWindow,
  callFor: (chunk: SeriesWindow) => Call,
  maxUnits: number = MAX_UNITS_PER_CALL,
): Promise<LoadedSeries<Point>> {
  const chunks = planChunks(window, maxUnits);
  if (chunks.length === 1) {
    const { answer, fetchedAt } = await loader.load(endpoint, callFor(window));
    return { points: answer, fetchedAt, calls: 1 };
  }
  const loaded = await Promise.all(chunks.map((chunk) => loader.load(endpoint, callFor(chunk))));
  const fetchedAt = new Date(Math.min(...loaded.map((chunk) => chunk.fetchedAt.getTime())));
  return { points: stitchChunks(loaded.map((chunk) => chunk.answer), window), fetchedAt, calls: chunks.length };
}
