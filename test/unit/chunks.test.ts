import { describe, expect, it } from 'vitest';
import { maxChunks, planChunks, stitchChunks, UNIT_MS, type TimeUnit, type SeriesWindow } from '../../src/data/chunks.js';
import { parseSeriesBody } from '../../src/endpoints/answers/series.js';
import { localDate, seriesInTimeZone } from '../../testkit/fakeBraze.js';

/** What one Braze call serves (100 units). */
const PER_CALL = 100;
const DAY = UNIT_MS.day;
const HOUR = UNIT_MS.hour;

function window(length: number, unit: TimeUnit, endingAt: string): SeriesWindow {
  return { length, unit, endingAt: new Date(endingAt) };
}

/** The UTC buckets a call covers, as Braze with a UTC company time zone would answer it. */
function bucketsOf(call: SeriesWindow): number[] {
  const unit = UNIT_MS[call.unit];
  const last = Math.floor(call.endingAt.getTime() / unit) * unit;
  return Array.from({ length: call.length }, (_, i) => last - (call.length - 1 - i) * unit);
}

describe('planChunks', () => {
  it('a window Braze serves in one call is that call', () => {
    const w = window(100, 'day', '2026-11-29T15:30:00Z');
    expect(planChunks(w, PER_CALL)).toEqual([w]);
  });

  it('365 days ending mid-day: grid chunks of 100 days ending 18:00 UTC every 99 days, and the newest ending at endingAt', () => {
    const chunks = planChunks(window(365, 'day', '2026-11-29T15:30:00Z'), PER_CALL);
    // 2026-11-29T15:30Z is 20,785 whole days after the anchor 1970-01-01T18:00Z; 20,785 = 99 × 209 + 94,
    // so the last grid point is 99 × 209 days after the anchor: 2026-08-26T18:00Z.
    expect((Date.parse('2026-08-26T18:00:00Z') - 18 * HOUR) / DAY).toBe(99 * 209);
    expect(chunks.map((c) => [c.length, c.endingAt.toISOString()])).toEqual([
      [100, '2026-02-09T18:00:00.000Z'], // 2025-11-02 … 2026-02-09 (reaches past the window's first day, 2025-11-30)
      [100, '2026-05-19T18:00:00.000Z'], // 2026-02-09 … 2026-05-19
      [100, '2026-08-26T18:00:00.000Z'], // 2026-05-19 … 2026-08-26
      [95, '2026-11-29T15:30:00.000Z'], // 2026-08-27 … 2026-11-29
    ]);
  });

  it('every bucket of the window is covered, with no gap between neighbouring chunks', () => {
    for (const [length, unit, end] of [
      [365, 'day', '2026-11-29T15:30:00Z'],
      [101, 'day', '2026-10-29T18:00:00Z'],
      [101, 'day', '2026-10-29T17:59:59Z'],
      [1000, 'day', '2024-02-29T00:00:00Z'],
      [168, 'hour', '2026-11-29T15:30:00Z'],
      [500, 'hour', '2026-11-29T00:50:00Z'],
    ] as const) {
      const w = window(length, unit, end);
      const chunks = planChunks(w, PER_CALL);
      const covered = new Set(chunks.flatMap(bucketsOf));
      for (const bucket of bucketsOf(w)) expect(covered.has(bucket), `${length} ${unit} ${end}: ${new Date(bucket).toISOString()}`).toBe(true);
      for (let i = 1; i < chunks.length; i++) {
        const older = bucketsOf(chunks[i - 1]!);
        const newer = bucketsOf(chunks[i]!);
        // No gap: the newer chunk starts at most one unit after the older one ends.
        expect(newer[0]!, `${length} ${unit} ${end}: seam ${i}`).toBeLessThanOrEqual(older.at(-1)! + UNIT_MS[unit]);
      }
      expect(chunks.length).toBeLessThanOrEqual(maxChunks(length, PER_CALL));
      expect(chunks.every((c) => c.length >= 1 && c.length <= 100)).toBe(true);
    }
  });

  it('the grid chunks of a moving "last 365 days" are the same calls from one day to the next', () => {
    const today = planChunks(window(365, 'day', '2026-11-29T15:30:00Z'), PER_CALL);
    const tomorrow = planChunks(window(365, 'day', '2026-11-30T15:30:00Z'), PER_CALL);
    const gridOf = (chunks: SeriesWindow[]) => chunks.slice(0, -1).map((c) => `${c.length}@${c.endingAt.toISOString()}`);
    expect(gridOf(tomorrow)).toEqual(gridOf(today));
    expect(tomorrow.at(-1)).toEqual({ length: 96, unit: 'day', endingAt: new Date('2026-11-30T15:30:00Z') });
  });

  it('Canvas-sized chunks (14 units) step by 13', () => {
    const chunks = planChunks(window(30, 'day', '2026-11-29T12:00:00Z'), 14);
    expect(chunks.slice(0, -1).every((c) => c.length === 14)).toBe(true);
    const grid = chunks.slice(0, -1).map((c) => c.endingAt.getTime());
    for (let i = 1; i < grid.length; i++) expect(grid[i]! - grid[i - 1]!).toBe(13 * DAY);
  });

  it('maxChunks is the worst case over where the window ends', () => {
    expect(maxChunks(100, PER_CALL)).toBe(1);
    expect(maxChunks(101, PER_CALL)).toBe(3);
    expect(maxChunks(365, PER_CALL)).toBe(5);
    expect(maxChunks(1000, PER_CALL)).toBe(12);
    let worst = 0;
    for (let hour = 0; hour < 24 * 99; hour += 7) {
      worst = Math.max(worst, planChunks({ length: 365, unit: 'day', endingAt: new Date(Date.parse('2026-01-01T00:00:00Z') + hour * HOUR) }, PER_CALL).length);
    }
    expect(worst).toBe(maxChunks(365, PER_CALL));
  });
});

describe('stitchChunks', () => {
  const point = (date: string, value: number) => ({ time: new Date(`${date}T00:00:00Z`), value });

  it('keeps every bucket once, the newer chunk winning, and only the last `length` buckets', () => {
    const older = [point('2026-01-01', 1), point('2026-01-02', 2), point('2026-01-03', 3)];
    const newer = [point('2026-01-03', 30), point('2026-01-04', 4)];
    expect(stitchChunks([older, newer], { length: 3, unit: 'day' })).toEqual([point('2026-01-02', 2), point('2026-01-03', 30), point('2026-01-04', 4)]);
  });

  it('a seam off by one (a gap of nothing, an overlap of two) still gives each bucket once', () => {
    const older = [point('2026-03-01', 1), point('2026-03-02', 2), point('2026-03-03', 3)];
    const newer = [point('2026-03-02', 20), point('2026-03-03', 30), point('2026-03-04', 40)];
    expect(stitchChunks([older, newer], { length: 4, unit: 'day' }).map((p) => p.value)).toEqual([1, 20, 30, 40]);
  });

  it('fewer points than asked are kept as Braze sent them; no chunk answering is an empty series', () => {
    expect(stitchChunks([[], [point('2026-03-04', 4)]], { length: 200, unit: 'day' })).toEqual([point('2026-03-04', 4)]);
    expect(stitchChunks([[], []], { length: 200, unit: 'day' })).toEqual([]);
  });

  it('hour buckets are trimmed by hours', () => {
    const at = (iso: string, value: number) => ({ time: new Date(iso), value });
    const chunks = [[at('2026-03-04T10:00:00Z', 1), at('2026-03-04T11:00:00Z', 2)], [at('2026-03-04T12:00:00Z', 3)]];
    expect(stitchChunks(chunks, { length: 2, unit: 'hour' }).map((p) => p.value)).toEqual([2, 3]);
  });
});

describe('seams in a workspace time zone (Braze buckets by the company calendar)', () => {
  const ZONES = ['UTC', 'Atlantic/Azores', 'Europe/London', 'America/St_Johns', 'America/New_York', 'America/Los_Angeles', 'Europe/Berlin', 'Asia/Kolkata', 'Asia/Tokyo', 'Australia/Sydney', 'Pacific/Auckland', 'Pacific/Chatham', 'Pacific/Kiritimati'];

  function stitched(length: number, unit: TimeUnit, endingAt: number, timeZone: string) {
    const chunks = planChunks({ length, unit, endingAt: new Date(endingAt) }, PER_CALL);
    const answers = chunks.map((chunk) => {
      const body = seriesInTimeZone({ length: String(chunk.length), unit, ending_at: chunk.endingAt.toISOString() }, timeZone);
      return parseSeriesBody(JSON.stringify(body), chunk, 'count', 'count');
    });
    return stitchChunks(answers, { length, unit });
  }

  it('250 days ending anywhere in 2026 (every 23 h 11 min): exactly the 250 local days ending with endingAt’s, each once', () => {
    const failures: string[] = [];
    for (const zone of ZONES) {
      for (let end = Date.parse('2026-01-01T00:00:00Z'); end < Date.parse('2027-01-01T00:00:00Z'); end += 1_391 * 60_000) {
        const points = stitched(250, 'day', end, zone);
        const lastDay = Date.parse(localDate(end, zone)) / DAY;
        const expected = Array.from({ length: 250 }, (_, i) => lastDay - 249 + i);
        if (points.map((p) => p.value).join() !== expected.join()) failures.push(`${zone} ${new Date(end).toISOString()}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('a week and a half by hour ending anywhere in a month with a DST change (every 2 h 31 min): each local hour once, none missing', () => {
    const failures: string[] = [];
    for (const zone of ZONES) {
      for (let end = Date.parse('2026-10-20T00:00:00Z'); end < Date.parse('2026-11-10T00:00:00Z'); end += 151 * 60_000) {
        const points = stitched(250, 'hour', end, zone);
        const last = points.at(-1)?.time.getTime() ?? Number.NaN;
        // One expect per window, not per point: thousands of windows are checked.
        const contiguous = points.every((point, i) => i === 0 || point.time.getTime() - points[i - 1]!.time.getTime() === HOUR);
        if (points.length !== 250 || !contiguous || !(last <= end && end - last < HOUR)) failures.push(`${zone} ${new Date(end).toISOString()}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
