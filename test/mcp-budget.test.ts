import { describe, expect, it } from 'vitest';
import { defaultResponder } from '../testkit/fakeBraze.js';
import { useGatewayPerTest } from './helpers/gateway.js';
import { bodyOf, mcpClientsClosedAfterEach } from './helpers/mcpClient.js';

/** Braze's export bucket at 10 calls an hour, 4 of them the reserve; a session may spend 3. */
const start = useGatewayPerTest({ MCP_ENABLED: 'true', MCP_SESSION_BUDGET: '3', BRAZE_RATE_LIMIT_RESERVE: '4' });

const connect = mcpClientsClosedAfterEach();

/** A distinct question each time (another window's end): each one a Braze call of the export bucket. */
const question = (day: number): { name: string; arguments: Record<string, unknown> } => ({
  name: 'kpi_series',
  arguments: { kpi: 'DAILY_ACTIVE_USERS', length: 2, endingAt: `2024-03-${String(day).padStart(2, '0')}T12:00:00Z` },
});

describe('MCP per-session budget of Braze calls', () => {
  it('refuses the session’s calls past MCP_SESSION_BUDGET before Braze is asked, long before the reserve', async () => {
    const { braze, gateway } = await start({ rateLimit: 10 });
    const agent = await connect(gateway);
    const answered = [];
    for (const day of [1, 2, 3]) answered.push(bodyOf(await agent.callTool(question(day))));
    expect(answered.map((body) => body['braze'])).toEqual([
      expect.objectContaining({ calls: 1, sessionBudgetLeft: 2, buckets: { export: expect.objectContaining({ limit: 10, remaining: 9 }) } }),
      expect.objectContaining({ calls: 1, sessionBudgetLeft: 1, buckets: { export: expect.objectContaining({ remaining: 8 }) } }),
      expect.objectContaining({ calls: 1, sessionBudgetLeft: 0, buckets: { export: expect.objectContaining({ remaining: 7 }) } }),
    ]);

    const refused = await agent.callTool(question(4));
    expect(refused.isError).toBe(true);
    expect(bodyOf(refused)['errors']).toEqual([
      {
        code: 'TOO_MANY_UPSTREAM_CALLS',
        scope: 'session',
        limit: 3,
        message: expect.stringMatching(/^This MCP session has spent its budget of 3 Braze calls \(MCP_SESSION_BUDGET\)/),
      },
    ]);
    // A question already answered would cost nothing, but the budget is checked first: still refused.
    expect((await agent.callTool(question(1))).isError).toBe(true);
    expect(braze.calls).toHaveLength(3);
    // The bucket still holds 7, above its reserve of 4: every other integration is untouched.
    const schemaTool = await agent.callTool({ name: 'search_schema', arguments: { words: 'kpi' } });
    expect(schemaTool.isError).toBeUndefined();

    // The budget is the session's: another agent is served.
    const other = bodyOf(await (await connect(gateway)).callTool(question(5)));
    expect(other['braze']).toMatchObject({ calls: 1, sessionBudgetLeft: 2, buckets: { export: { remaining: 6 } } });
    expect(braze.calls).toHaveLength(4);
  });

  it('an agent’s parallel calls cannot pass the budget together: they are answered one after another', async () => {
    const { braze, gateway } = await start({ rateLimit: 10 });
    const agent = await connect(gateway);
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((day) => agent.callTool(question(day))));
    expect(results.filter((result) => result.isError === true)).toHaveLength(3);
    expect(braze.calls).toHaveLength(3);
  });

  it('execute spends the same budget: a two-call query leaves one', async () => {
    const { braze, gateway } = await start({ rateLimit: 10 });
    const agent = await connect(gateway);
    const body = bodyOf(
      await agent.callTool({
        name: 'execute',
        arguments: { query: '{ a: kpiSeries(kpi: NEW_USERS, length: 2, endingAt: "2024-03-01T00:00:00Z") { total } b: kpiSeries(kpi: UNINSTALLS, length: 2, endingAt: "2024-03-01T00:00:00Z") { total } }' },
      }),
    );
    expect(body['braze']).toMatchObject({ calls: 2, sessionBudgetLeft: 1 });
    expect(bodyOf(await agent.callTool(question(2)))['braze']).toMatchObject({ calls: 1, sessionBudgetLeft: 0 });
    expect((await agent.callTool(question(3))).isError).toBe(true);
    expect(braze.calls).toHaveLength(3);
  });

  it('a retried call spends every attempt: Braze answered 503, then the answer; calls 1, attempts 2, two of the budget', async () => {
    const { braze, gateway } = await start({ rateLimit: 10 });
    let first = true;
    braze.respond((call) => {
      if (!first) return defaultResponder(call);
      first = false;
      return { status: 503, body: { message: 'no capacity' } };
    });
    const agent = await connect(gateway);
    const body = bodyOf(await agent.callTool(question(7)));
    expect(body['errors']).toBeUndefined();
    expect(body['braze']).toMatchObject({ calls: 1, attempts: 2, failedAttempts: 0, sessionBudgetLeft: 1 });
    expect(braze.calls).toHaveLength(2);
  });
});
