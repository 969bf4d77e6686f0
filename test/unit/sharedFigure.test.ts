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
    expect(parseBucketState(['250000', '990', String(RESET), String(NOW), '2', '1'])).toEqual(state(990, 2, 1));
  });

  it('takes anything else for no state: a missing key, a missing field, text that is no count', () => {
    expect(parseBucketState(null)).toBeUndefined();
    expect(parseBucketState([null, null, null, null, null, null])).toBeUndefined();
    expect(parseBucketState(['250000', '990', String(RESET), String(NOW), '2'])).toBeUndefined();
    expect(parseBucketState(['250000', 'lots', String(RESET), String(NOW), '2', '0'])).toBeUndefined();
    expect(parseBucketState(['250000', '-1', String(RESET), String(NOW), '2', '0'])).toBeUndefined();
  });
});
