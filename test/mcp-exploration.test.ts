import { describe, expect, it } from 'vitest';
import { useFakeBrazeWithGatewaysPerTest } from './helpers/gateway.js';
import { bodyOf, mcpClientsClosedAfterEach } from './helpers/mcpClient.js';

const { braze, start } = useFakeBrazeWithGatewaysPerTest();
const MCP = { MCP_ENABLED: 'true' };
const AT = '2024-03-10T12:00:00Z';

const connect = mcpClientsClosedAfterEach();

describe('MCP exploration tools', () => {
  it('search_schema finds where words appear, best first, without calling Braze', async () => {
    const client = await connect(await start(MCP));
    const body = bodyOf(await client.callTool({ name: 'search_schema', arguments: { words: 'active users' } }));
    const coordinates = (body['matches'] as { coordinate: string }[]).map((match) => match.coordinate);
    expect(coordinates).toContain('Kpi.DAILY_ACTIVE_USERS');
    expect(coordinates).toContain('Query.kpiSeries');
    expect(coordinates.length).toBeLessThanOrEqual(25);
    const none = bodyOf(await client.callTool({ name: 'search_schema', arguments: { words: 'zzzz-no-such-word' } }));
    expect(none).toEqual({ matches: [] });
    const tooLong = await client.callTool({ name: 'search_schema', arguments: { words: 'x'.repeat(201) } });
    expect(tooLong.isError).toBe(true);
    expect(braze.calls).toEqual([]);
  });

  it('introspect_type shows one type: fields with arguments, or an enum’s values; an unknown name is a tool error', async () => {
    const client = await connect(await start(MCP));
    const kpi = bodyOf(await client.callTool({ name: 'introspect_type', arguments: { name: 'Kpi' } }));
    expect(kpi).toMatchObject({ name: 'Kpi', kind: 'ENUM', values: [{ name: 'DAILY_ACTIVE_USERS' }, { name: 'MONTHLY_ACTIVE_USERS' }, { name: 'NEW_USERS' }, { name: 'UNINSTALLS' }] });
    const query = bodyOf(await client.callTool({ name: 'introspect_type', arguments: { name: 'Query' } }));
    const kpiSeries = (query['fields'] as { name: string; args?: { name: string; type: string }[] }[]).find((field) => field.name === 'kpiSeries');
    expect(kpiSeries?.args?.map((arg) => `${arg.name}: ${arg.type}`)).toEqual(['appId: String', 'endingAt: DateTime', 'kpi: Kpi!', 'length: Int!']);
    for (const name of ['NoSuchType', '__Schema']) {
      const unknown = await client.callTool({ name: 'introspect_type', arguments: { name } });
      expect(unknown.isError).toBe(true);
      expect(bodyOf(unknown)['errors']).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', argument: 'name' })]);
    }
    expect(braze.calls).toEqual([]);
  });

  it('validate checks a document against the schema without running it', async () => {
    const client = await connect(await start(MCP));
    expect(bodyOf(await client.callTool({ name: 'validate', arguments: { query: '{ kpiSeries(kpi: NEW_USERS, length: 3) { total } }' } }))).toEqual({ valid: true });
    const wrong = await client.callTool({ name: 'validate', arguments: { query: '{ kpiSeries(kpi: NEW_USERS) { totl } }' } });
    expect(wrong.isError).toBe(true);
    const errors = bodyOf(wrong)['errors'] as { code: string; message: string }[];
    expect(errors.map((error) => error.code)).toEqual(['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_VALIDATION_FAILED']);
    expect(errors.map((error) => error.message).join(' ')).toMatch(/totl.*length|length.*totl/s);
    const broken = await client.callTool({ name: 'validate', arguments: { query: '{ kpiSeries(' } });
    expect(broken.isError).toBe(true);
    expect(braze.calls).toEqual([]);
  });

  it('execute runs an ad-hoc query through the gateway and reports its Braze calls', async () => {
    const client = await connect(await start(MCP));
    const result = await client.callTool({
      name: 'execute',
      arguments: { query: `query Q($n: Int!) { a: kpiSeries(kpi: NEW_USERS, length: $n, endingAt: "${AT}") { total } b: sessionSeries(length: 2, endingAt: "${AT}") { total } }`, variables: { n: 3 } },
    });
    expect(result.isError).toBeUndefined();
    const body = bodyOf(result);
    expect(Object.keys(body['data'] as object)).toEqual(['a', 'b']);
    expect(braze.calls.map((call) => call.path).sort()).toEqual(['/kpi/new_users/data_series', '/sessions/data_series']);
    expect(body['braze']).toMatchObject({ calls: 2, sessionBudgetLeft: 98 });
  });

  it('execute is bounded by the same query limits as /graphql: refused before any Braze call', async () => {
    const client = await connect(await start({ ...MCP, QUERY_MAX_ALIASES: '2', QUERY_MAX_DEPTH: '3' }));
    const aliases = await client.callTool({
      name: 'execute',
      arguments: { query: `{ a: sessionSeries(length: 1) { total } b: sessionSeries(length: 2) { total } c: sessionSeries(length: 3) { total } }` },
    });
    expect(aliases.isError).toBe(true);
    expect(bodyOf(aliases)['errors']).toEqual([expect.objectContaining({ code: 'QUERY_TOO_COMPLEX' })]);
    const deep = await client.callTool({ name: 'execute', arguments: { query: '{ campaign(id: "c-1") { series(length: 2) { totals { channels { channel } } } } }' } });
    expect(deep.isError).toBe(true);
    expect(bodyOf(deep)['errors']).toEqual([expect.objectContaining({ code: 'QUERY_TOO_COMPLEX' })]);
    expect(bodyOf(deep)['braze']).toMatchObject({ calls: 0 });
    expect(braze.calls).toEqual([]);
  });

  it('MCP_EXECUTE_ENABLED=false leaves execute out: not listed, and calling it is an unknown tool', async () => {
    const client = await connect(await start({ ...MCP, MCP_EXECUTE_ENABLED: 'false' }));
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).not.toContain('execute');
    expect(tools.map((tool) => tool.name)).toContain('search_schema');
    const called = await client.callTool({ name: 'execute', arguments: { query: '{ sessionSeries(length: 1) { total } }' } }).catch((error: unknown) => error);
    expect(String(called)).toMatch(/Unknown tool: execute/);
    expect(braze.calls).toEqual([]);
  });

  it('with INTROSPECTION_ENABLED=false the schema is not shown: no search, introspect or validate', async () => {
    const client = await connect(await start({ ...MCP, INTROSPECTION_ENABLED: 'false' }));
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).not.toContain('search_schema');
    expect(names).not.toContain('introspect_type');
    expect(names).not.toContain('validate');
    expect(names).toContain('execute');
  });
});
