/** The units a series counts in: Braze's days (in the workspace's calendar) and hours. */
export type TimeUnit = 'day' | 'hour';

export const UNIT_MS: Readonly<Record<TimeUnit, number>> = { day: 86_400_000, hour: 3_600_000 };

/** A window of a series: `length` units ending with the one that holds `endingAt`. */
export interface SeriesWindow {
  readonly length: number;
  readonly unit: TimeUnit;
  readonly endingAt: Date;
}

/** The window's last unit ended before the last unit before now: it is wholly in the past, no longer being counted. */
export function isWindowClosed(window: Pick<SeriesWindow, 'unit' | 'endingAt'>, now: number): boolean {
  return window.endingAt.getTime() < now - UNIT_MS[window.unit];
}

/**
 * Windows longer than one call serves (Braze: 100 units; 14 days for Canvas), asked as consecutive
 * chunks and stitched into one series. Pure: the loading is the loader's (loadWindow in loader.ts).
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

const GRID_ANCHOR_MS: Readonly<Record<TimeUnit, number>> = {
  day: 18 * 3_600_000,
  hour: 50 * 60_000,
};

/**
 * The windows of calls that together cover `window`, oldest first: `window` itself when one call
 * (of at most `maxUnits` units) serves it, otherwise grid chunks of `maxUnits` units each and a newest
 * chunk ending at `window.endingAt`.
 */
export function planChunks(window: SeriesWindow, maxUnits: number): SeriesWindow[] {
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
export function maxChunks(length: number, maxUnits: number): number {
  if (length <= maxUnits) return 1;
  // Worst case: the newest chunk holds one unit.
  return 1 + Math.ceil(length / (maxUnits - 1));
}

/** The longest window whose chunks, wherever it ends, fit in `calls` calls (at least what one call serves). */
export function longestWindowIn(calls: number, maxUnits: number): number {
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
