/**
 * Deterministic, plausible numbers for demo mode: the same question always gets the same answer, and
 * a chart has a weekly and daily rhythm. Pure functions, shared by every endpoint's simulated answer.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Sunday first, as Date#getUTCDay counts. Weekends are quieter. */
const WEEKDAY_FACTOR = [0.72, 1.04, 1.1, 1.12, 1.08, 0.98, 0.78] as const;

/** 32-bit FNV-1a: a stable hash, so numbers depend only on the question. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A steady base per seed in [min, max), shaped by weekday and, for hours, the hour of day, with ±15% noise per bucket. */
export function rhythmicValue(seed: string, start: number, daily: boolean, min = 150, max = 5_000): number {
  const base = min + (fnv1a(seed) % (max - min));
  const date = new Date(start);
  const weekday = WEEKDAY_FACTOR[date.getUTCDay()] ?? 1;
  const noise = 0.85 + (fnv1a(`${seed}\u0000${start}`) % 3001) / 10_000;
  if (daily) return Math.round(base * weekday * noise);
  // Quiet at night, peaking in the (UTC) evening; the 24 hourly shapes average to 1.
  const hourShape = 1 + 0.75 * Math.sin(((date.getUTCHours() - 12) / 24) * 2 * Math.PI);
  return Math.round((base / 24) * hourShape * weekday * noise);
}

/** The starts of `length` buckets ending with the one that holds `endingAt`, oldest first. */
export function bucketStarts(endingAt: number, length: number, daily: boolean): number[] {
  const step = daily ? DAY_MS : HOUR_MS;
  const last = Math.floor(endingAt / step) * step;
  return Array.from({ length }, (_, index) => last - (length - 1 - index) * step);
}

/** How Braze writes a bucket: a date for days, an extended date-time without offset for hours. */
export function formatBucket(start: number, daily: boolean): string {
  const iso = new Date(start).toISOString();
  return daily ? iso.slice(0, 10) : iso.slice(0, 19);
}
