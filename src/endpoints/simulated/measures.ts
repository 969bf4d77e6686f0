import type { SimulatedBucket } from './series.js';
import { fnv1a } from './rhythm.js';

/**
 * How demo mode turns the rhythmic base (about 90 to 6,500 a day, see rhythmicValue) into each
 * measure, so the numbers look like one workspace: daily active users in the thousands, monthly
 * active users well above them and smooth, new users fewer, uninstalls few, sessions always above
 * daily active users, revenue with cents. Every shape keeps a future bucket's 0.
 */
export type MeasureShape = (value: number, seed: string, bucket: SimulatedBucket) => number;

const DAY_MS = 86_400_000;

/** At least 1,000, at most about 7,500 a day. */
export const dailyActiveUsers: MeasureShape = (value) => (value === 0 ? 0 : 1_000 + value);

/**
 * A 30-day rolling count moves slowly: a steady level per seed (40,000 to 100,000, above any daily
 * figure) with a gentle two-month wave, no weekday rhythm.
 */
export const monthlyActiveUsers: MeasureShape = (value, seed, { start }) => {
  if (value === 0) return 0;
  const level = 40_000 + (fnv1a(seed) % 60_000);
  const wave = 1 + 0.03 * Math.sin((2 * Math.PI * Math.floor(start / DAY_MS)) / 61);
  return Math.round(level * wave);
};

/** A fifth of the base: tens to about 1,300 a day. */
export const newUsers: MeasureShape = (value) => Math.round(value / 5);

/** A fortieth of the base: a handful to about 160 a day. */
export const uninstalls: MeasureShape = (value) => Math.round(value / 40);

/**
 * Above 20,000 a day, more than any simulated daily active users (each user opens the app a few
 * times); an hour gets its share of the floor.
 */
export const sessions: MeasureShape = (value, _seed, { daily }) => (value === 0 ? 0 : Math.round(daily ? 20_000 : 20_000 / 24) + 4 * value);

/** A third of the base: items bought. */
export const purchaseQuantity: MeasureShape = (value) => Math.round(value / 3);

/** The base times 19.99: an amount with cents, as a JSON number (what Braze sends). */
export const revenue: MeasureShape = (value) => (value * 1_999) / 100;
