import { describe, expect, it } from 'vitest';
import { rankByValue, type Candidate } from '../../src/schema/ranking.js';

const candidate = (id: string, value: string | null): Candidate<string> => ({ id, value, item: `item ${id}` });
const order = (ranked: readonly { rank: number; id: string }[]): string[] => ranked.map(({ rank, id }) => `${rank}:${id}`);

describe('rankByValue', () => {
  it('ranks highest first, compared as decimals (not as text, not as floats)', () => {
    const ranked = rankByValue([candidate('a', '9'), candidate('b', '10'), candidate('c', '9.5'), candidate('d', '100.01')], 10);
    expect(order(ranked)).toEqual(['1:d', '2:b', '3:c', '4:a']);
    expect(ranked[0]).toEqual({ id: 'd', value: '100.01', item: 'item d', rank: 1 });
    // One double for both (2^53 + 1 is none): as floats a tie, ordered by id; as decimals, x first.
    expect(order(rankByValue([candidate('a', '9007199254740992'), candidate('x', '9007199254740993')], 2))).toEqual(['1:x', '2:a']);
    expect(order(rankByValue([candidate('a', '0.30000000000000001'), candidate('b', '0.3')], 2))).toEqual(['1:a', '2:b']);
  });

  it('orders equal values by id, so the order the candidates came in does not matter', () => {
    const candidates = [candidate('campaign-146', '21'), candidate('campaign-125', '21'), candidate('campaign-2', '7'), candidate('campaign-132', '21.0')];
    const expected = ['1:campaign-125', '2:campaign-132', '3:campaign-146', '4:campaign-2'];
    expect(order(rankByValue(candidates, 10))).toEqual(expected);
    expect(order(rankByValue([...candidates].reverse(), 10))).toEqual(expected);
  });

  it('ids in code-unit order, whatever the locale would say', () => {
    expect(order(rankByValue([candidate('b', '1'), candidate('B', '1'), candidate('a', '1'), candidate('Ä', '1')], 10))).toEqual(['1:B', '2:a', '3:b', '4:Ä']);
  });

  it('puts candidates without a value after every one with a value, zero and negatives included, by id', () => {
    const ranked = rankByValue([candidate('n2', null), candidate('z', '0'), candidate('n1', null), candidate('m', '-1')], 10);
    expect(order(ranked)).toEqual(['1:z', '2:m', '3:n1', '4:n2']);
  });

  it('returns at most `first`, ranked among all of them', () => {
    const candidates = ['1', '5', '3', '4', '2'].map((value, index) => candidate(`c${index}`, value));
    expect(order(rankByValue(candidates, 2))).toEqual(['1:c1', '2:c3']);
    expect(rankByValue(candidates, 0)).toEqual([]);
    expect(rankByValue([], 3)).toEqual([]);
  });

  it('leaves its input as it was', () => {
    const candidates = [candidate('a', '1'), candidate('b', '2')];
    rankByValue(candidates, 2);
    expect(candidates.map(({ id }) => id)).toEqual(['a', 'b']);
  });
});
