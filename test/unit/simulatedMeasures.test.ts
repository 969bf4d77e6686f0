import { describe, expect, it } from 'vitest';
import { decimalFromNumber } from '../../src/endpoints/answers/decimal.js';
import { dailyActiveUsers, monthlyActiveUsers, newUsers, purchaseQuantity, revenue, sessions, uninstalls } from '../../src/endpoints/simulated/measures.js';
import { rhythmicValue } from '../../src/endpoints/simulated/rhythm.js';

const DAY_MS = 86_400_000;
const START = Date.UTC(2024, 0, 1);
const SEEDS = Array.from({ length: 50 }, (_, i) => `seed-${i}`);
/** Every daily base value the simulator produces for these seeds over 120 days. */
const DAYS = SEEDS.flatMap((seed) => Array.from({ length: 120 }, (_, d) => ({ seed, start: START + d * DAY_MS })));
const bucket = (start: number, daily = true) => ({ start, daily });
const shaped = (shape: typeof sessions) => DAYS.map(({ seed, start }) => shape(rhythmicValue(seed, start, true), seed, bucket(start)));

describe('demo-mode measure shapes', () => {
  it('keep a future bucket (base 0) at 0', () => {
    for (const shape of [dailyActiveUsers, monthlyActiveUsers, newUsers, uninstalls, sessions, purchaseQuantity, revenue]) {
      expect(shape(0, 'seed', bucket(START))).toBe(0);
      expect(shape(0, 'seed', bucket(START, false))).toBe(0);
    }
  });

  it('order the measures as a workspace would, for every base: uninstalls <= new users < DAU < sessions, and DAU < every MAU', () => {
    const dau = shaped(dailyActiveUsers);
    expect(Math.min(...dau)).toBeGreaterThanOrEqual(1_000);
    expect(Math.min(...shaped(monthlyActiveUsers))).toBeGreaterThan(Math.max(...dau));
    expect(Math.min(...shaped(sessions))).toBeGreaterThan(Math.max(...dau));
    for (const { seed, start } of DAYS) {
      const base = rhythmicValue(seed, start, true);
      const at = bucket(start);
      expect(uninstalls(base, seed, at)).toBeLessThanOrEqual(newUsers(base, seed, at));
      expect(newUsers(base, seed, at)).toBeLessThan(dailyActiveUsers(base, seed, at));
      expect(dailyActiveUsers(base, seed, at)).toBeLessThan(sessions(base, seed, at));
    }
    for (const values of [dau, shaped(newUsers), shaped(uninstalls), shaped(sessions), shaped(purchaseQuantity), shaped(monthlyActiveUsers)]) {
      expect(values.every((v) => Number.isSafeInteger(v) && v >= 0)).toBe(true);
    }
  });

  it('MAU moves less than 1% a day: a rolling window, no weekday rhythm', () => {
    for (const seed of SEEDS) {
      for (let d = 1; d < 120; d++) {
        const today = monthlyActiveUsers(1, seed, bucket(START + d * DAY_MS));
        const yesterday = monthlyActiveUsers(1, seed, bucket(START + (d - 1) * DAY_MS));
        expect(Math.abs(today - yesterday) / yesterday).toBeLessThan(0.01);
      }
    }
  });

  it('24 hours of sessions add up to about a day of them', () => {
    const seed = 'seed-7';
    const day = START + 10 * DAY_MS;
    const hourly = Array.from({ length: 24 }, (_, h) => sessions(rhythmicValue(seed, day + h * 3_600_000, false), seed, bucket(day + h * 3_600_000, false)));
    const daily = sessions(rhythmicValue(seed, day, true), seed, bucket(day));
    const sum = hourly.reduce((a, b) => a + b, 0);
    expect(sum / daily).toBeGreaterThan(0.7);
    expect(sum / daily).toBeLessThan(1.3);
  });

  it('revenue has cents and no more: its shortest decimal form has at most two decimals', () => {
    const amounts = shaped(revenue);
    expect(amounts.every((amount) => /^\d+(\.\d{1,2})?$/.test(decimalFromNumber(amount)))).toBe(true);
    expect(amounts.some((amount) => !Number.isInteger(amount))).toBe(true);
  });
});
