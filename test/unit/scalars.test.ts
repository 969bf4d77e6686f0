import { Kind } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DateTimeScalar } from '../../src/schema/scalars.js';

describe('DateTime serialization', () => {
  it('writes the ISO string itself, so JSON.stringify never meets a Date (its toJSON is the dearest step of writing a series)', () => {
    const serialized: unknown = DateTimeScalar.serialize(new Date('2024-03-10T05:00:00-05:00'));
    expect(serialized).toBe('2024-03-10T10:00:00.000Z');
    expect(typeof serialized).toBe('string');
  });

  it('converts a date-time string and a timestamp to the same UTC text as graphql-scalars', () => {
    expect(DateTimeScalar.serialize('2024-03-10T05:00:00+01:00')).toBe('2024-03-10T04:00:00.000Z');
    expect(DateTimeScalar.serialize(Date.UTC(2024, 2, 10))).toBe('2024-03-10T00:00:00.000Z');
  });

  it('writes the right text for every instant however many it has seen (its memo is bounded and emptied when full)', () => {
    const start = Date.UTC(2020, 0, 1);
    for (let i = 0; i < 25_000; i += 1) {
      const date = new Date(start + i * 3_600_000);
      expect(DateTimeScalar.serialize(date)).toBe(date.toISOString());
    }
    expect(DateTimeScalar.serialize(new Date(start))).toBe('2020-01-01T00:00:00.000Z');
  });

  it('refuses an invalid Date, an invalid string, NaN and other types', () => {
    expect(() => DateTimeScalar.serialize(new Date(Number.NaN))).toThrow(/invalid Date/);
    expect(() => DateTimeScalar.serialize('yesterday')).toThrow(/invalid date-time-string/);
    expect(() => DateTimeScalar.serialize(Number.NaN)).toThrow(/invalid Date/);
    expect(() => DateTimeScalar.serialize({})).toThrow(/non string/);
  });
});

describe('DateTime parsing', () => {
  const literal = (value: string) => DateTimeScalar.parseLiteral({ kind: Kind.STRING, value });

  it('gives every parse a Date of its own, also for a text it has parsed before', () => {
    const first = literal('2024-03-10T05:00:00-05:00');
    const second = literal('2024-03-10T05:00:00-05:00');
    expect(first.toISOString()).toBe('2024-03-10T10:00:00.000Z');
    expect(second).not.toBe(first);
    first.setTime(0);
    expect(literal('2024-03-10T05:00:00-05:00').toISOString()).toBe('2024-03-10T10:00:00.000Z');
    expect(DateTimeScalar.parseValue('2024-03-10T05:00:00-05:00').toISOString()).toBe('2024-03-10T10:00:00.000Z');
  });

  it('refuses a bad text as BAD_USER_INPUT every time', () => {
    for (let i = 0; i < 2; i += 1) {
      expect(() => literal('2024-13-10T00:00:00Z')).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } }));
      expect(() => DateTimeScalar.parseValue('2024-13-10T00:00:00Z')).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } }));
    }
  });
});
