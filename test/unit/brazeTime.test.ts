import { describe, expect, it } from 'vitest';
import { dateOf, formatInstant, parseBrazeDate, parseBrazeDateTime } from '../../src/endpoints/answers/brazeTime.js';

describe('Braze dates', () => {
  it('a DAY date is midnight UTC of that date; impossible dates are refused', () => {
    expect(parseBrazeDate('2024-03-10')?.toISOString()).toBe('2024-03-10T00:00:00.000Z');
    expect(parseBrazeDate('2024-02-29')?.toISOString()).toBe('2024-02-29T00:00:00.000Z');
    for (const bad of ['2023-02-29', '2024-13-01', '2024-00-10', '2024-03-32', '2024-3-10', '2024-03-10T00:00:00Z', '', '0099-01-01x']) {
      expect(parseBrazeDate(bad)).toBeUndefined();
    }
    expect(dateOf(parseBrazeDate('2024-03-10')!)).toBe('2024-03-10');
  });

  it('an HOUR time is an ISO date-time, UTC without an offset, any offset with one', () => {
    expect(parseBrazeDateTime('2024-03-10T05:00:00')?.toISOString()).toBe('2024-03-10T05:00:00.000Z');
    expect(parseBrazeDateTime('2024-03-10T05:00')?.toISOString()).toBe('2024-03-10T05:00:00.000Z');
    expect(parseBrazeDateTime('2024-03-10T05:00:00Z')?.toISOString()).toBe('2024-03-10T05:00:00.000Z');
    expect(parseBrazeDateTime('2024-03-10T05:00:00-05:00')?.toISOString()).toBe('2024-03-10T10:00:00.000Z');
    expect(parseBrazeDateTime('2024-03-10T05:00:00+0530')?.toISOString()).toBe('2024-03-09T23:30:00.000Z');
    expect(parseBrazeDateTime('2024-03-10T05:00:00.123456Z')?.toISOString()).toBe('2024-03-10T05:00:00.123Z');
    for (const bad of ['2024-03-10', '2024-03-10T24:00:00', '2024-03-10T05:60', '2024-03-10T05:00:00+24:00', '2024-02-30T00:00:00', 'yesterday']) {
      expect(parseBrazeDateTime(bad)).toBeUndefined();
    }
  });

  it('instants are sent in UTC without a meaningless .000', () => {
    expect(formatInstant(new Date('2024-03-10T07:00:00-05:00'))).toBe('2024-03-10T12:00:00Z');
    expect(formatInstant(new Date('2024-03-10T12:00:00.250Z'))).toBe('2024-03-10T12:00:00.250Z');
  });
});
