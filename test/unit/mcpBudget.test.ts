import { describe, expect, it } from 'vitest';
import { SessionBudget, type BudgetLedger } from '../../src/mcp/budget.js';

/** A ledger standing for Redis: `others` is what other replicas spent; `down` answers nothing. */
function ledger(state: { others: number; down?: boolean; mine: number }): BudgetLedger {
  return {
    spent: async () => (state.down ? undefined : state.others + state.mine),
    add: async (calls) => {
      if (state.down) return undefined;
      state.mine += calls;
      return state.others + state.mine;
    },
  };
}

describe('SessionBudget', () => {
  it('runs a session’s spending calls one after another, each checked after the previous one spent', async () => {
    const budget = new SessionBudget(2);
    const order: string[] = [];
    const call = (name: string, cost: number) => async (): Promise<string> => {
      order.push(`start ${name}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      await budget.spend(cost);
      order.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all([budget.turn(call('a', 1), () => 'refused a'), budget.turn(call('b', 1), () => 'refused b'), budget.turn(call('c', 1), () => 'refused c')]);
    expect(results).toEqual(['a', 'b', 'refused c']);
    expect(order).toEqual(['start a', 'end a', 'start b', 'end b']);
    expect(budget.left).toBe(0);
  });

  it('a failed call does not stop the next turn', async () => {
    const budget = new SessionBudget(5);
    const failed = budget.turn(() => Promise.reject(new Error('boom')), () => 'refused');
    await expect(failed).rejects.toThrow('boom');
    await expect(budget.turn(async () => 'next', () => 'refused')).resolves.toBe('next');
  });

  it('counts what other replicas spent, read from the ledger before each turn and after each spend', async () => {
    const state = { others: 0, mine: 0 };
    const budget = new SessionBudget(10, ledger(state));
    await budget.spend(2);
    expect(budget.spent).toBe(2);
    state.others = 7;
    expect(await budget.turn(async () => budget.left, () => -1)).toBe(1);
    await budget.spend(1);
    expect(budget.exhausted).toBe(true);
    expect(await budget.turn(async () => 'asked', () => 'refused')).toBe('refused');
  });

  it('never counts less than this replica counted: a ledger that is down, or says less, is not believed below it', async () => {
    const state = { others: 0, mine: 0, down: true };
    const budget = new SessionBudget(3, ledger(state));
    await budget.spend(2);
    expect(budget.spent).toBe(2);
    const lower: BudgetLedger = { spent: async () => 0, add: async () => 0 };
    const forgetful = new SessionBudget(3, lower, 2);
    await forgetful.spend(1);
    expect(forgetful.exhausted).toBe(true);
  });
});
