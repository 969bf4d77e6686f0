import { describe, expect, it } from 'vitest';
import { isConversionKey, parseConversionEvents, sumConversionEvents } from '../../src/endpoints/answers/conversions.js';
import { ResultOutOfRangeError, UpstreamInvalidResponseError } from '../../src/errors/gatewayErrors.js';

describe('conversion events', () => {
  it('reads conversions<n> and the twin of its attribution, by index, however many; other names are not conversions', () => {
    const stats = { conversions: 9, conversions_by_entry_time: 8, conversions12: 1, conversions2_by_entry_time: 3, conversions1_by_send_time: 5, conversions0: 4, conversions1000: 2, revenue: 1, entries: 7 };
    expect(parseConversionEvents(stats, 'data.total_stats', 'entry')).toEqual([
      { index: 0, conversions: 9, byTime: 8 },
      { index: 2, conversions: null, byTime: 3 },
      { index: 12, conversions: 1, byTime: null },
    ]);
    expect(parseConversionEvents(stats, 'data', 'send')).toEqual([
      { index: 0, conversions: 9, byTime: null },
      { index: 1, conversions: null, byTime: 5 },
      { index: 12, conversions: 1, byTime: null },
    ]);
    expect(['conversions', 'conversions4', 'conversions4_by_entry_time', 'conversions999'].every((name) => isConversionKey(name, 'entry'))).toBe(true);
    expect(['conversions4_by_send_time', 'conversions0', 'conversions01', 'conversions1000', 'conversions_total'].some((name) => isConversionKey(name, 'entry'))).toBe(false);
  });

  it('null is absent; anything else that is not a count is refused, naming the path', () => {
    expect(parseConversionEvents({ conversions: null }, 'd', 'send')).toEqual([]);
    expect(() => parseConversionEvents({ conversions5: -1 }, 'data[0]', 'send')).toThrow(new UpstreamInvalidResponseError('data[0].conversions5 is not a non-negative integer'));
  });

  it('sums per index over days, a count no day reported staying null; past 2^53 - 1 is RESULT_OUT_OF_RANGE', () => {
    const day1 = [{ index: 0, conversions: 1, byTime: null }, { index: 4, conversions: 2, byTime: 1 }];
    const day2 = [{ index: 4, conversions: 3, byTime: null }, { index: 1, conversions: 5, byTime: 5 }];
    expect(sumConversionEvents([day1, day2])).toEqual([
      { index: 0, conversions: 1, byTime: null },
      { index: 1, conversions: 5, byTime: 5 },
      { index: 4, conversions: 5, byTime: 1 },
    ]);
    const big = [{ index: 0, conversions: Number.MAX_SAFE_INTEGER, byTime: null }];
    expect(() => sumConversionEvents([big, [{ index: 0, conversions: 1, byTime: null }]])).toThrow(ResultOutOfRangeError);
  });
});
