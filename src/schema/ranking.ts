import { compareDecimals } from '../endpoints/answers/decimal.js';

/** A candidate of a ranking: its id, its value as an exact decimal (null: nothing to rank it by), and what it is. */
export interface Candidate<T> {
  readonly id: string;
  readonly value: string | null;
  readonly item: T;
}

/** A candidate in its place: `rank` is its position, from 1. */
export interface Ranked<T> extends Candidate<T> {
  readonly rank: number;
}

/**
 * The `first` highest of `candidates`, highest value first, compared exactly (decimals, no float).
 * Equal values are ordered by id (code-unit order, not the locale's), so the same candidates give the
 * same ranking whatever order they came in; candidates without a value come after every one with a
 * value, by id. Ranks are positions: equal values get consecutive ranks, in id order.
 */
export function rankByValue<T>(candidates: readonly Candidate<T>[], first: number): Ranked<T>[] {
  return [...candidates]
    .sort((a, b) => byValueDescending(a.value, b.value) || byId(a.id, b.id))
    .slice(0, Math.max(0, first))
    .map((candidate, index) => ({ ...candidate, rank: index + 1 }));
}

function byValueDescending(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return compareDecimals(b, a);
}

function byId(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
