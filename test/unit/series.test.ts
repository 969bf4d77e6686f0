import { describe, expect, it } from 'vitest';
import { parseSeriesBody, seriesCoalescing, seriesSearchParams, seriesTtlMs } from '../../src/endpoints/answers/series.js';
import type { SeriesWindow } from '../../src/data/chunks.js';

const body = (data: unknown, message: unknown = 'success') => JSON.stringify({ message, data });
const day: Pick<SeriesWindow, 'unit' | 'length' | 'endingAt'> = { unit: 'day', length: 3, endingAt: new Date('2024-03-10T12:00:00Z') };

describe('parseSeriesBody', () => {
  it('reads the measure of each point, oldest first, dates as midnight UTC', () => {
    const points = parseSeriesBody(body([{ time: '2024-03-09', dau: 10 }, { time: '2024-03-10', dau: 0 }]), day, 'dau', 'count');
    expect(points).toEqual([
      { time: new Date('2024-03-09T00:00:00Z'), value: 10 },
      { time: new Date('2024-03-10T00:00:00Z'), value: 0 },
    ]);
  });

  it('counts must be non-negative integers; amounts may carry cents', () => {
    expect(() => parseSeriesBody(body([{ time: '2024-03-10', c: 1.5 }]), day, 'c', 'count')).toThrow('data[0].c is not a non-negative integer');
    expect(() => parseSeriesBody(body([{ time: '2024-03-10', c: -1 }]), day, 'c', 'count')).toThrow('data[0].c is not a non-negative integer');
    expect(() => parseSeriesBody(body([{ time: '2024-03-10', c: '1' }]), day, 'c', 'count')).toThrow('data[0].c is not a non-negative integer');
    expect(parseSeriesBody(body([{ time: '2024-03-10', revenue: 12.34 }]), day, 'revenue', 'amount')[0]?.value).toBe(12.34);
    // A refund: Braze documents revenue as a plain number (price × quantity, price a float with no minimum).
    expect(parseSeriesBody(body([{ time: '2024-03-10', revenue: -0.01 }]), day, 'revenue', 'amount')[0]?.value).toBe(-0.01);
    expect(() => parseSeriesBody(body([{ time: '2024-03-10', revenue: '12.50' }]), day, 'revenue', 'amount')).toThrow('data[0].revenue is not a finite number');
    // The measure of another endpoint is not this one's.
    expect(() => parseSeriesBody(body([{ time: '2024-03-10', count: 1 }]), day, 'dau', 'count')).toThrow('data[0].dau');
  });

  it('takes an answer without "message" on the rest of its content (Braze documents one such answer)', () => {
    expect(parseSeriesBody(JSON.stringify({ data: [{ time: '2024-03-10', c: 4 }] }), day, 'c', 'count')).toEqual([{ time: new Date('2024-03-10T00:00:00Z'), value: 4 }]);
  });

  it('says what is wrong with the answer as a whole', () => {
    expect(() => parseSeriesBody('<html>', day, 'c', 'count')).toThrow('not JSON (starts with "<html>")');
    expect(() => parseSeriesBody('', day, 'c', 'count')).toThrow('not JSON (empty body)');
    expect(() => parseSeriesBody('[1]', day, 'c', 'count')).toThrow('JSON that is not an object');
    expect(() => parseSeriesBody(body([], 'nope'), day, 'c', 'count')).toThrow('without success (message: "nope")');
    expect(() => parseSeriesBody(body([], null), day, 'c', 'count')).toThrow('without success (message: null)');
    expect(() => parseSeriesBody(body([], 7), day, 'c', 'count')).toThrow('without success (message: 7)');
    expect(() => parseSeriesBody(JSON.stringify({ message: 'success' }), day, 'c', 'count')).toThrow('without a "data" list');
    expect(() => parseSeriesBody(JSON.stringify({}), day, 'c', 'count')).toThrow('without a "data" list');
    expect(() => parseSeriesBody(body(Array(4).fill({ time: '2024-03-10', c: 1 })), day, 'c', 'count')).toThrow('4 points for a series of length 3');
    expect(() => parseSeriesBody(body([{ time: '2024-03-10T00:00:00Z', c: 1 }]), day, 'c', 'count')).toThrow('is not a date (YYYY-MM-DD)');
    expect(() => parseSeriesBody(body([{ time: 'noon', c: 1 }]), { ...day, unit: 'hour' }, 'c', 'count')).toThrow('data[0].time "noon" is not an ISO-8601 date-time (or a date)');
  });
});

describe('parseSeriesBody, HOUR series', () => {
  // 24 hours ending with the one holding 2018-06-29T04:59:59Z: the day of a workspace at UTC−5.
  const hours: Pick<SeriesWindow, 'unit' | 'length' | 'endingAt'> = { unit: 'hour', length: 24, endingAt: new Date('2018-06-29T04:59:59Z') };
  const hourAt = (utcHour: number) => new Date(Date.UTC(2018, 5, 28, utcHour));

  it('a date-time is the hour it names, with or without an offset', () => {
    expect(parseSeriesBody(body([{ time: '2018-06-28T23:00:00-05:00', c: 1 }, { time: '2018-06-29T04:00:00', c: 2 }]), hours, 'c', 'count')).toEqual([
      { time: hourAt(28), value: 1 },
      { time: hourAt(28), value: 2 },
    ]);
  });

  it('a date alone (as the purchase pages describe `time`) is the hour of its place in the window, counted from its end', () => {
    const points = parseSeriesBody(body(Array.from({ length: 24 }, (_, n) => ({ time: '2018-06-28', c: n }))), hours, 'c', 'count');
    expect(points.map((point) => point.time)).toEqual(Array.from({ length: 24 }, (_, n) => hourAt(5 + n)));
    expect(points.map((point) => point.value)).toEqual(Array.from({ length: 24 }, (_, n) => n));
    // Fewer points than asked: the oldest are the missing ones, the last is still the hour of ending_at.
    expect(parseSeriesBody(body([{ time: '2018-06-28', c: 1 }, { time: '2018-06-29', c: 2 }]), hours, 'c', 'count').map((point) => point.time)).toEqual([hourAt(27), hourAt(28)]);
  });

  it('a date the hour of its place falls on in no time zone (UTC−12 to UTC+14) is refused, not placed', () => {
    // The last hour, 04:00Z on the 29th, is the 28th at UTC−12 at the earliest and the 29th at UTC+14 at the latest.
    expect(parseSeriesBody(body([{ time: '2018-06-28', c: 1 }]), hours, 'c', 'count')[0]?.time).toEqual(hourAt(28));
    expect(() => parseSeriesBody(body([{ time: '2018-06-27', c: 1 }]), hours, 'c', 'count')).toThrow(
      'data[0].time "2018-06-27" is a date the hour of its place in the window (2018-06-29T04:00:00Z) does not fall on in any time zone',
    );
    expect(() => parseSeriesBody(body([{ time: '2018-06-30', c: 1 }]), hours, 'c', 'count')).toThrow('does not fall on in any time zone');
  });
});

describe('the series TTL rule', () => {
  const policy = { liveTtlMs: 60_000, pastTtlMs: 900_000, settledTtlMs: 86_400_000 };
  const now = Date.parse('2024-03-10T12:00:00Z');
  it('a window reaching into the last unit before now is live; one wholly before it is past', () => {
    expect(seriesTtlMs({ unit: 'day', endingAt: new Date(now) }, now, policy)).toBe(60_000);
    expect(seriesTtlMs({ unit: 'day', endingAt: new Date(now - 86_400_000) }, now, policy)).toBe(60_000);
    expect(seriesTtlMs({ unit: 'day', endingAt: new Date(now - 86_400_001) }, now, policy)).toBe(900_000);
    expect(seriesTtlMs({ unit: 'hour', endingAt: new Date(now - 3_600_001) }, now, policy)).toBe(900_000);
    expect(seriesTtlMs({ unit: 'day', endingAt: new Date(now + 86_400_000) }, now, policy)).toBe(60_000);
  });
  it('a window that ended more than two days before now has settled', () => {
    expect(seriesTtlMs({ unit: 'day', endingAt: new Date(now - 2 * 86_400_000) }, now, policy)).toBe(900_000);
    expect(seriesTtlMs({ unit: 'day', endingAt: new Date(now - 2 * 86_400_000 - 1) }, now, policy)).toBe(86_400_000);
    expect(seriesTtlMs({ unit: 'hour', endingAt: new Date(now - 49 * 3_600_000) }, now, policy)).toBe(86_400_000);
  });
});

describe('series coalescing', () => {
  type Call = SeriesWindow & { readonly name: string };
  const coalescing = seriesCoalescing<Call>((call) => `${call.name}|${call.unit}|${call.endingAt.getTime()}`);
  const at = new Date('2024-03-10T00:00:00Z');
  const call = (length: number): Call => ({ name: 'e', unit: 'day', length, endingAt: at });
  const points = [1, 2, 3, 4, 5].map((value, index) => ({ time: new Date(at.getTime() - (4 - index) * 86_400_000), value }));

  it('a shorter call of the same window is the last points of a complete longer answer', () => {
    expect(coalescing.windowKey(call(3))).toBe(coalescing.windowKey(call(5)));
    expect(coalescing.reach(call(5))).toBe(5);
    expect(coalescing.slice(points, call(5), call(2))?.map((p) => p.value)).toEqual([4, 5]);
  });

  it('an incomplete answer (fewer points than asked) cannot be sliced: the shorter call gets its own', () => {
    expect(coalescing.slice(points.slice(1), call(5), call(2))).toBeUndefined();
  });
});

describe('the series query string', () => {
  it('writes the leading parameters, then length, unit (when the endpoint takes one) and ending_at in UTC', () => {
    const window = { length: 7, unit: 'hour' as const, endingAt: new Date('2024-03-10T07:00:00-05:00') };
    expect(seriesSearchParams(window, { withUnit: true }, { event: 'a b' }).toString()).toBe('event=a+b&length=7&unit=hour&ending_at=2024-03-10T12%3A00%3A00Z');
    expect(seriesSearchParams(window, { withUnit: false }).toString()).toBe('length=7&ending_at=2024-03-10T12%3A00%3A00Z');
  });
});
