import { describe, expect, it } from 'vitest';
import { isNewerFigure, parseBucketState, sharedRefusal, sharedRemaining, type SharedBucketState } from '../../src/braze/sharedFigure.js';

const NOW = 1_700_000_000_000;
const RESET = NOW + 3_600_000;
const state = (remaining: number, onTheWire = 0, lost = 0, resetAt = RESET): SharedBucketState => ({ figure: { limit: 250_000, remaining, resetAt, observedAt: NOW }, onTheWire, lost });

describe('isNewerFigure: which of two replicas\' figures is newer news of Braze\'s counter', () => {
  it('anything is newer than nothing', () => {
    expect(isNewerFigure({ remaining: 5, resetAt: RESET }, undefined)).toBe(true);
  });

  it('within a window the lower remaining is newer, whichever arrived last: the counter only goes down', () => {
    expect(isNewerFigure({ remaining: 990, resetAt: RESET }, { remaining: 1000, resetAt: RESET })).toBe(true);
    expect(isNewerFigure({ remaining: 1000, resetAt: RESET }, { remaining: 990, resetAt: RESET })).toBe(false);
  });

  it('an equal figure is no news', () => {
    expect(isNewerFigure({ remaining: 990, resetAt: RESET }, { remaining: 990, resetAt: RESET })).toBe(false);
  });

  it('a later window wins even when higher; an earlier window never does', () => {
    expect(isNewerFigure({ remaining: 249_999, resetAt: RESET + 3_600_000 }, { remaining: 10, resetAt: RESET })).toBe(true);
    expect(isNewerFigure({ remaining: 10, resetAt: RESET - 3_600_000 }, { remaining: 249_999, resetAt: RESET })).toBe(false);
  });
});

describe('sharedRefusal: the reserve applied to the workspace as a whole', () => {
  it('no figure, or a window that has reset: no refusal', () => {
    expect(sharedRefusal(undefined, 3, 100, NOW)).toBeUndefined();
    expect(sharedRefusal(state(50), 0, 100, RESET)).toBeUndefined();
  });

  it("every replica's calls on the wire, and this replica's not yet counted, bring the figure down to the reserve", () => {
    expect(sharedRefusal(state(105, 4), 0, 100, NOW)).toBeUndefined();
    expect(sharedRefusal(state(105, 5), 0, 100, NOW)).toBe(RESET);
    expect(sharedRefusal(state(105, 4), 1, 100, NOW)).toBe(RESET);
  });

  it('held only by lost calls with nothing on the wire anywhere: one call may go to fetch a fresh figure', () => {
    expect(sharedRefusal(state(105, 0, 5), 0, 100, NOW)).toBeUndefined();
    expect(sharedRefusal(state(105, 1, 5), 0, 100, NOW)).toBe(RESET);
    expect(sharedRefusal(state(105, 0, 5), 1, 100, NOW)).toBe(RESET);
    // Braze's own figure at the reserve: no exception.
    expect(sharedRefusal(state(100, 0, 5), 0, 100, NOW)).toBe(RESET);
  });
});

describe('sharedRemaining', () => {
  it('is the figure less the calls on the wire, pending and lost, never below 0', () => {
    expect(sharedRemaining(state(105, 2, 1), 1, NOW)).toBe(101);
    expect(sharedRemaining(state(2, 2, 1), 1, NOW)).toBe(0);
    expect(sharedRemaining(state(105), 0, RESET)).toBeUndefined();
  });
});

describe('parseBucketState', () => {
  it('reads what the scripts return (hash values as text)', () => {
    expect(parseBucketState(['250000', '990', String(RESET), String(NOW), '2', '1'], NOW)).toEqual(state(990, 2, 1));
    // An integer reply is a whole number too; a window that is over is a state (the rules treat it as none).
    expect(parseBucketState([250_000, 990, RESET, NOW, 2, 1], NOW)).toEqual(state(990, 2, 1));
    expect(parseBucketState(['250000', '990', String(NOW - 60_000), String(NOW), '0', '0'], NOW)).toEqual(state(990, 0, 0, NOW - 60_000));
  });

  const good = ['250000', '990', String(RESET), String(NOW), '2', '1'];
  const hostile: readonly [string, number, unknown][] = [
    ['a reset of 1e23 ms (x-ratelimit-reset 1e20), as Lua writes it', 2, '1e+23'],
    ['a reset of 30 digits', 2, '1'.repeat(30)],
    ['a reset a day ahead', 2, String(NOW + 86_400_000)],
    ['a reset past Date', 2, String(8.64e15 + 1)],
    ['a fractional reset', 2, `${RESET}.5`],
    ['a hex reset', 2, '0x18BCFE56800'],
    ['a limit of 0', 0, '0'],
    ['a limit of 1e300', 0, '1e300'],
    ['a limit past a 32-bit count', 0, '2147483648'],
    ['a remaining above the limit', 1, '250001'],
    ['a remaining of -5', 1, '-5'],
    ['a remaining with spaces', 1, ' 990 '],
    ['a remaining in other digits', 1, '٩٩٠'],
    ['a fractional remaining', 1, '990.5'],
    ['an empty remaining', 1, ''],
    ['an observedAt far ahead', 3, String(NOW + 86_400_000)],
    ['calls on the wire of 1e300', 4, '1e300'],
    ['lost calls of NaN', 5, 'NaN'],
    ['a number reply that is no whole number', 1, 990.5],
    ['an Infinity reply', 4, Number.POSITIVE_INFINITY],
  ];
  it.each(hostile)('refuses %s: no replica of this gateway writes it', (_name, index, value) => {
    const reply = [...good];
    reply[index] = value as string;
    expect(parseBucketState(reply, NOW)).toBeUndefined();
  });

  it('takes anything else for no state: a missing key, a missing field, text that is no count', () => {
    expect(parseBucketState(null, NOW)).toBeUndefined();
    expect(parseBucketState([null, null, null, null, null, null], NOW)).toBeUndefined();
    expect(parseBucketState(['250000', '990', String(RESET), String(NOW), '2'], NOW)).toBeUndefined();
    expect(parseBucketState(['250000', 'lots', String(RESET), String(NOW), '2', '0'], NOW)).toBeUndefined();
    expect(parseBucketState(['250000', '-1', String(RESET), String(NOW), '2', '0'], NOW)).toBeUndefined();
  });
});
