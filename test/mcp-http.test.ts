import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SignJWT } from 'jose';
import { defaultResponder } from '../testkit/fakeBraze.js';
import { startTestGateway, useFakeBrazeWithGatewaysPerTest, TEST_API_KEY, TEST_AUTH_TOKEN, type TestGateway } from './helpers/gateway.js';
import { bodyOf, connectMcp, mcpUrl } from './helpers/mcpClient.js';
import { sampleValue } from './helpers/prometheus.js';

const { braze, start } = useFakeBrazeWithGatewaysPerTest();
const MCP = { MCP_ENABLED: 'true' };
const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const AT = '2024-03-10T12:00:00Z';

const clients: Client[] = [];
const demo: TestGateway[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(demo.splice(0).map((gateway) => gateway.close()));
});

async function connect(gateway: TestGateway, headers?: Record<string, string>): Promise<Client> {
  const { client } = await connectMcp(gateway, headers);
  clients.push(client);
  return client;
}

/** Polls until `condition` holds (a session's release happens after the response that ends it). */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Every operation tool with arguments the fake Braze answers, and the Braze paths each one calls. */
const OPERATION_CALLS: [tool: string, args: Record<string, unknown>, paths: string[]][] = [
  ['campaign_results', { id: 'c-1', length: 3, endingAt: AT }, ['/campaigns/data_series', '/campaigns/details']],
  ['campaigns', { first: 2 }, ['/campaigns/list']],
  ['canvas_results', { id: 'canvas-1', endingAt: AT, length: 3 }, ['/canvas/data_summary', '/canvas/details']],
  ['canvases', { first: 2 }, ['/canvas/list']],
  ['custom_events', { first: 2 }, ['/events/list']],
  ['event_series', { event: 'purchase', length: 7, endingAt: AT }, ['/events/data_series']],
  ['kpi_series', { kpi: 'DAILY_ACTIVE_USERS', length: 7, endingAt: AT }, ['/kpi/dau/data_series']],
  ['segment_size', { id: 'segment-000', length: 3, endingAt: AT }, ['/segments/data_series', '/segments/details']],
  ['segments', { first: 2 }, ['/segments/list']],
  ['session_series', { length: 3, endingAt: AT }, ['/sessions/data_series']],
  ['top_campaigns', { length: 3, endingAt: AT, candidates: 3 }, ['/campaigns/data_series', '/campaigns/data_series', '/campaigns/data_series', '/campaigns/list']],
];

describe('MCP over Streamable HTTP at /mcp', () => {
  it('lists one tool per curated operation, with JSON Schema input from its variables and the schema’s descriptions', async () => {
    const gateway = await start(MCP);
    const client = await connect(gateway);
    expect(client.getServerVersion()).toEqual({ name: 'braze-analytics-gateway', version: PACKAGE_VERSION });
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual([...OPERATION_CALLS.map(([name]) => name), 'search_schema', 'introspect_type', 'validate', 'execute']);
    const kpi = tools.find((tool) => tool.name === 'kpi_series');
    expect(kpi?.inputSchema).toMatchObject({
      type: 'object',
      required: ['kpi', 'length'],
      additionalProperties: false,
      properties: {
        kpi: { type: 'string', enum: ['DAILY_ACTIVE_USERS', 'MONTHLY_ACTIVE_USERS', 'NEW_USERS', 'UNINSTALLS'], description: 'Which KPI: selects the Braze endpoint.' },
        length: { type: 'integer' },
        endingAt: { type: ['string', 'null'], format: 'date-time' },
        appId: { type: ['string', 'null'] },
      },
    });
    expect(kpi?.description).toMatch(/^A workspace KPI day by day/);
    expect(kpi?.description).toContain('kpiSeries: A daily series of one KPI');
    expect(braze.calls).toEqual([]);
  });

  it.each(OPERATION_CALLS)('%s answers through the gateway, with the Braze calls it cost', async (tool, args, paths) => {
    const gateway = await start(MCP);
    const client = await connect(gateway);
    const result = await client.callTool({ name: tool, arguments: args });
    const body = bodyOf(result);
    expect(result.isError, JSON.stringify(body)).toBeUndefined();
    expect(braze.calls.map((call) => call.path).sort()).toEqual(paths);
    expect(body['braze']).toMatchObject({ calls: paths.length, fromCache: false, cachedAnswers: 0, sessionBudgetLeft: 100 - paths.length });
  });

  it('tool calls are GraphQL requests to the gateway: counted in its metrics and logged, the Braze attempts too; MCP’s own metrics count calls by tool and outcome, and sessions', async () => {
    const gateway = await start(MCP);
    const metrics = async (): Promise<string> => (await fetch(new URL('/metrics', gateway.url))).text();
    const before = sampleValue(await metrics(), 'braze_gateway_graphql_requests_total') ?? 0;
    const client = await connect(gateway);
    await client.callTool({ name: 'kpi_series', arguments: { kpi: 'UNINSTALLS', length: 3, endingAt: AT } });
    await client.callTool({ name: 'kpi_series', arguments: { kpi: 'UNINSTALLS', length: 0 } });
    const after = await metrics();
    expect(sampleValue(after, 'braze_gateway_graphql_requests_total')).toBe(before + 2);
    expect(sampleValue(after, 'braze_gateway_graphql_errors_total', { code: 'BAD_USER_INPUT' })).toBe(1);
    expect(sampleValue(after, 'braze_gateway_upstream_attempts_total', { endpoint: '/kpi/uninstalls/data_series', status: '200', outcome: 'ok' })).toBe(1);
    // MCP's own: the tool calls by tool and outcome, their durations, the sessions.
    await expect(client.callTool({ name: `no_such_tool_${'x'.repeat(100)}`, arguments: {} })).rejects.toThrow(/Unknown tool/);
    const withMcp = await metrics();
    expect(sampleValue(withMcp, 'braze_gateway_mcp_tool_calls_total', { tool: 'kpi_series', outcome: 'ok' })).toBe(1);
    expect(sampleValue(withMcp, 'braze_gateway_mcp_tool_calls_total', { tool: 'kpi_series', outcome: 'BAD_USER_INPUT' })).toBe(1);
    expect(sampleValue(withMcp, 'braze_gateway_mcp_tool_calls_total', { tool: 'unknown', outcome: 'UNKNOWN_TOOL' })).toBe(1);
    expect(sampleValue(withMcp, 'braze_gateway_mcp_tool_call_duration_seconds_count', { tool: 'kpi_series' })).toBe(2);
    expect(sampleValue(withMcp, 'braze_gateway_mcp_sessions')).toBe(1);
    expect(sampleValue(withMcp, 'braze_gateway_mcp_sessions_opened_total')).toBe(1);
    expect(withMcp).not.toContain('no_such_tool');
    expect(gateway.logs.some((line) => line.includes('"msg":"authenticated"'))).toBe(true);
    expect(gateway.logs.join('\n')).not.toContain(TEST_AUTH_TOKEN);
  });

  it('a series comes as [time, value] pairs with its total; a list flat, with its cursor', async () => {
    const gateway = await start(MCP);
    const client = await connect(gateway);
    const series = bodyOf(await client.callTool({ name: 'event_series', arguments: { event: 'purchase', length: 3, endingAt: AT } }));
    const graphql = await gateway.query<{ eventSeries: { sum: number; points: { time: string; count: number }[] } }>(
      `{ eventSeries(event: "purchase", length: 3, endingAt: "${AT}") { sum points { time count } } }`,
    );
    const expected = graphql.data?.eventSeries;
    expect(series['data']).toEqual({
      eventSeries: { event: 'purchase', unit: 'DAY', endingAt: '2024-03-10T12:00:00.000Z', sum: expected?.sum, points: expected?.points.map(({ time, count }) => [time, count]) },
    });
    const list = bodyOf(await client.callTool({ name: 'segments', arguments: { first: 2 } }));
    expect(list['data']).toEqual({
      segments: {
        nodes: [
          { id: 'segment-000', name: 'Segment 0', analyticsTrackingEnabled: true },
          { id: 'segment-001', name: 'Segment 1', analyticsTrackingEnabled: false },
        ],
        endCursor: expect.any(String),
        hasNextPage: true,
      },
    });
  });

  it('top_campaigns ranks the candidates it names, compactly, one Braze call per candidate plus the list page', async () => {
    const gateway = await start(MCP);
    const client = await connect(gateway);
    const tool = (await client.listTools()).tools.find((listed) => listed.name === 'top_campaigns');
    expect(tool?.inputSchema).toMatchObject({
      required: ['length'],
      properties: { by: { type: ['string', 'null'], enum: ['CONVERSIONS', 'REVENUE'] }, campaignIds: { type: ['array', 'null'], items: { type: 'string' } }, candidates: { type: ['integer', 'null'] } },
    });
    expect(tool?.description).toMatch(/^Top campaigns by conversions/);
    expect(tool?.description).toContain('topCampaigns: Campaigns ranked by their conversions');
    const result = await client.callTool({ name: 'top_campaigns', arguments: { length: 3, endingAt: AT, candidates: 5, first: 3 } });
    const body = bodyOf(result);
    expect(result.isError, JSON.stringify(body)).toBeUndefined();
    // The fake's five newest campaigns not archived (148 … 144) convert 6·(1 + n mod 7) over 3 days.
    expect(body['data']).toEqual({
      topCampaigns: {
        by: 'CONVERSIONS',
        length: 3,
        endingAt: '2024-03-10T12:00:00.000Z',
        candidates: 5,
        moreCandidates: true,
        entries: [
          { rank: 1, value: '42', campaign: { id: 'campaign-146', name: 'Campaign 146' } },
          { rank: 2, value: '36', campaign: { id: 'campaign-145', name: 'Campaign 145' } },
          { rank: 3, value: '30', campaign: { id: 'campaign-144', name: 'Campaign 144' } },
        ],
      },
    });
    expect(braze.calls.map((call) => `${call.path} ${call.query['campaign_id'] ?? call.query['sort_direction']}`).sort()).toEqual([
      '/campaigns/data_series campaign-144',
      '/campaigns/data_series campaign-145',
      '/campaigns/data_series campaign-146',
      '/campaigns/data_series campaign-147',
      '/campaigns/data_series campaign-148',
      '/campaigns/list desc',
    ]);
    expect(body['braze']).toMatchObject({ calls: 6, fromCache: false, sessionBudgetLeft: 94 });
    // Over the request's cap: refused by the gateway before any call, a tool error with its code.
    braze.calls.length = 0;
    const refused = await client.callTool({ name: 'top_campaigns', arguments: { length: 3, candidates: 50 } });
    expect(refused.isError).toBe(true);
    expect(bodyOf(refused)['errors']).toEqual([expect.objectContaining({ code: 'TOO_MANY_UPSTREAM_CALLS', limit: 50, path: ['topCampaigns'] })]);
    expect(bodyOf(refused)['braze']).toMatchObject({ calls: 0, sessionBudgetLeft: 94 });
    expect(braze.calls).toEqual([]);
  });

  it('two agents asking the same question make one Braze call: the second is told it came from the cache', async () => {
    const gateway = await start({ ...MCP, CACHE_ENABLED: 'true' });
    const question = { name: 'kpi_series', arguments: { kpi: 'NEW_USERS', length: 7, endingAt: AT } };
    const first = bodyOf(await (await connect(gateway)).callTool(question));
    const second = bodyOf(await (await connect(gateway)).callTool(question));
    expect(braze.calls.map((call) => call.path)).toEqual(['/kpi/new_users/data_series']);
    expect(first['braze']).toMatchObject({ calls: 1, fromCache: false });
    expect(second['braze']).toMatchObject({ calls: 0, fromCache: true, cachedAnswers: 1, sessionBudgetLeft: 100 });
    expect(second['data']).toEqual(first['data']);
  });

  it('two agents asking at the same moment share the one call in flight, even with the cache off', async () => {
    const gateway = await start(MCP);
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    braze.respond(async (call) => {
      await held;
      return defaultResponder(call);
    });
    const question = { name: 'kpi_series', arguments: { kpi: 'NEW_USERS', length: 7, endingAt: AT } };
    const [a, b] = [await connect(gateway), await connect(gateway)];
    const answers = Promise.all([a.callTool(question), b.callTool(question)]);
    await until(() => braze.calls.length === 1, 'the first call to reach Braze');
    await until(() => gateway.logs.filter((line) => line.includes('"msg":"authenticated"')).length === 2, 'the second question to reach the gateway');
    // From its credential check to joining the flight is parse, validate and execute: a generous margin.
    await new Promise((resolve) => setTimeout(resolve, 500));
    release();
    const uses = (await answers).map((result) => bodyOf(result)['braze']);
    expect(braze.calls).toHaveLength(1);
    expect(uses).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ calls: 1, sharedAnswers: 0, fromCache: false }),
        expect.objectContaining({ calls: 0, sharedAnswers: 1, fromCache: false }),
      ]),
    );
  });

  it('with the whole-response cache, a repeated question is told it came from the cache', async () => {
    const gateway = await start({ ...MCP, CACHE_ENABLED: 'true', RESPONSE_CACHE_ENABLED: 'true' });
    const question = { name: 'session_series', arguments: { length: 3, endingAt: AT } };
    const client = await connect(gateway);
    const first = bodyOf(await client.callTool(question));
    const second = bodyOf(await client.callTool(question));
    expect(braze.calls).toHaveLength(1);
    expect(first['braze']).toMatchObject({ calls: 1, fromCache: false });
    expect(second['braze']).toMatchObject({ calls: 0, fromCache: true, sessionBudgetLeft: 99 });
    expect(second['data']).toEqual(first['data']);
  });

  it('a GraphQL error is a tool error with the gateway’s code and sentence, and no Braze call', async () => {
    const gateway = await start(MCP);
    const client = await connect(gateway);
    const result = await client.callTool({ name: 'kpi_series', arguments: { kpi: 'NEW_USERS', length: 0 } });
    expect(result.isError).toBe(true);
    const body = bodyOf(result);
    expect(body['errors']).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', argument: 'length', path: ['kpiSeries'] })]);
    expect(braze.calls).toEqual([]);
  });

  it('a key without the permission: a tool error UPSTREAM_FORBIDDEN naming it, the key nowhere', async () => {
    const gateway = await start(MCP);
    braze.respond((call) => (call.path === '/kpi/dau/data_series' ? { status: 403, body: { message: `Access Denied for ${TEST_API_KEY}` } } : defaultResponder(call)));
    const client = await connect(gateway);
    const result = await client.callTool({ name: 'kpi_series', arguments: { kpi: 'DAILY_ACTIVE_USERS', length: 3, endingAt: AT } });
    expect(result.isError).toBe(true);
    const body = bodyOf(result);
    expect(body['errors']).toEqual([expect.objectContaining({ code: 'UPSTREAM_FORBIDDEN', permission: 'kpi.dau.data_series', path: ['kpiSeries'] })]);
    // Braze was asked once and refused: no answer used, one failed attempt, spent from the budget.
    expect(body['braze']).toMatchObject({ calls: 0, failedAttempts: 1, sessionBudgetLeft: 99 });
    expect(JSON.stringify(result)).not.toContain(TEST_API_KEY);
    expect(braze.calls).toHaveLength(1);
  });

  it('an argument the operation does not take is refused, before the gateway is asked', async () => {
    const gateway = await start(MCP);
    const client = await connect(gateway);
    const result = await client.callTool({ name: 'kpi_series', arguments: { kpi: 'NEW_USERS', length: 3, unit: 'HOUR' } });
    expect(result.isError).toBe(true);
    expect(bodyOf(result)['errors']).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', message: expect.stringContaining('takes no argument unit') })]);
    expect(braze.calls).toEqual([]);
  });

  it('without a credential, or with a wrong one, /mcp answers 401 with WWW-Authenticate and calls nothing', async () => {
    const gateway = await start(MCP);
    for (const headers of [{}, { authorization: 'Bearer not-the-token-0123456789' }]) {
      const response = await fetch(mcpUrl(gateway), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } } }),
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
      expect(await response.json()).toMatchObject({ error: { data: { code: 'UNAUTHENTICATED' } } });
    }
    await expect(connect(gateway, {})).rejects.toThrow(/needs a credential/);
    expect(gateway.running.mcp?.openSessions()).toBe(0);
    expect(braze.calls).toEqual([]);
  });

  it('a session is only its opener’s: another credential presenting its id is answered 404', async () => {
    const other = 'tok-test-other-0123456789abcdef0123';
    const gateway = await start({ ...MCP, AUTH_TOKENS: `${TEST_AUTH_TOKEN},${other}` });
    const { transport } = await connectMcp(gateway);
    const response = await fetch(mcpUrl(gateway), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${other}`, 'mcp-session-id': transport.sessionId ?? '' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(response.status).toBe(404);
    await transport.terminateSession();
    await transport.close();
  });

  it('a JWT is a credential for /mcp as for /graphql; its session is its subject’s, kept across a refreshed token', async () => {
    const secret = 'hs256-secret-for-mcp-tests-0a1b2c3d4e5f6a7b';
    const gateway = await start({ ...MCP, AUTH_JWT_SECRET: secret, AUTH_JWT_ISSUER: 'https://idp.example.com/', AUTH_JWT_AUDIENCE: 'braze-analytics-gateway' });
    const jwt = (sub: string, seconds: number): Promise<string> =>
      new SignJWT({ sub, iss: 'https://idp.example.com/', aud: 'braze-analytics-gateway' }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime(`${seconds}s`).sign(new TextEncoder().encode(secret));
    const { client, transport } = await connectMcp(gateway, { authorization: `Bearer ${await jwt('agent-7', 60)}` });
    clients.push(client);
    expect(bodyOf(await client.callTool({ name: 'kpi_series', arguments: { kpi: 'NEW_USERS', length: 2, endingAt: AT } }))['braze']).toMatchObject({ calls: 1 });
    const ask = async (token: string): Promise<number> => {
      const response = await fetch(mcpUrl(gateway), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${token}`, 'mcp-session-id': transport.sessionId ?? '', 'mcp-protocol-version': '2025-06-18' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }),
      });
      await response.arrayBuffer();
      return response.status;
    };
    // The same subject with a new token (another expiry): the same session.
    expect(await ask(await jwt('agent-7', 120))).toBe(200);
    // Another subject presenting the id: no session of its. A token signed with another key: 401.
    expect(await ask(await jwt('agent-8', 60))).toBe(404);
    const forged = await new SignJWT({ sub: 'agent-7', iss: 'https://idp.example.com/', aud: 'braze-analytics-gateway' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('60s').sign(new TextEncoder().encode('not-the-secret-0123456789abcdef0123'));
    expect(await ask(forged)).toBe(401);
    expect(braze.calls).toHaveLength(1);
  });

  it('a session ends on DELETE and when the gateway closes, holding nothing after', async () => {
    const gateway = await start(MCP);
    const { client, transport } = await connectMcp(gateway);
    await connect(gateway);
    expect(gateway.running.mcp?.openSessions()).toBe(2);
    await transport.terminateSession();
    await client.close();
    await until(() => gateway.running.mcp?.openSessions() === 1, 'the deleted session to go');
    await gateway.close();
    expect(gateway.running.mcp?.openSessions()).toBe(0);
  });

  it('GET /mcp is 405 (no server-to-client stream: nothing is pushed to an agent), which the SDK’s client takes as no stream', async () => {
    const gateway = await start(MCP);
    const { client, transport } = await connectMcp(gateway);
    const stream = await fetch(mcpUrl(gateway), { headers: { accept: 'text/event-stream', ...gateway.authHeaders, 'mcp-session-id': transport.sessionId ?? '' } });
    expect([stream.status, stream.headers.get('allow')]).toEqual([405, 'POST, DELETE']);
    await stream.arrayBuffer();
    // The SDK's client takes the 405 as "no stream" and goes on.
    expect((await client.listTools()).tools.length).toBeGreaterThan(10);
    await client.close();
  });

  it('MCP_MAX_SESSIONS_PER_CALLER: one agent opening sessions in a loop is refused 429 at its cap, and the others are still served', async () => {
    const other = 'tok-test-other-0123456789abcdef0123';
    const gateway = await start({ ...MCP, AUTH_TOKENS: `${TEST_AUTH_TOKEN},${other}`, MCP_MAX_SESSIONS_PER_CALLER: '2' });
    const first = await connectMcp(gateway);
    await connect(gateway);
    const initialize = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } } });
    const loop = await Promise.all(
      Array.from({ length: 5 }, () =>
        fetch(mcpUrl(gateway), { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...gateway.authHeaders }, body: initialize }).then(async (response) => [response.status, ((await response.json()) as { error?: { message: string } }).error?.message]),
      ),
    );
    expect(loop).toEqual(Array.from({ length: 5 }, () => [429, 'This caller has 2 MCP sessions open (MCP_MAX_SESSIONS_PER_CALLER): end one (DELETE) or reuse it']));
    // Another credential is another caller.
    await connect(gateway, { authorization: `Bearer ${other}` });
    expect(gateway.running.mcp?.openSessions()).toBe(3);
    const metrics = await (await fetch(new URL('/metrics', gateway.url))).text();
    expect(sampleValue(metrics, 'braze_gateway_mcp_sessions_refused_total', { reason: 'max_sessions_per_caller' })).toBe(5);
    // One ended, one more may open.
    await first.transport.terminateSession();
    await first.client.close();
    await connect(gateway);
  });

  it('MCP_MAX_SESSIONS holds for initializations at the same moment too', async () => {
    const gateway = await start({ ...MCP, MCP_MAX_SESSIONS: '2' });
    const initialize = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } } });
    const statuses = await Promise.all(
      Array.from({ length: 20 }, () =>
        fetch(mcpUrl(gateway), { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...gateway.authHeaders }, body: initialize }).then(
          async (response) => (await response.text(), response.status),
        ),
      ),
    );
    expect(statuses.filter((status) => status === 200)).toHaveLength(2);
    expect(statuses.filter((status) => status === 503)).toHaveLength(18);
    expect(gateway.running.mcp?.openSessions()).toBe(2);
  });

  it('MCP_MAX_SESSIONS bounds open sessions; MCP_SESSION_IDLE_MS closes an unused one', async () => {
    const gateway = await start({ ...MCP, MCP_MAX_SESSIONS: '1', MCP_SESSION_IDLE_MS: '1000' });
    await connect(gateway);
    await expect(connect(gateway)).rejects.toThrow(/503|Too many MCP sessions/);
    const metrics = await (await fetch(new URL('/metrics', gateway.url))).text();
    expect(sampleValue(metrics, 'braze_gateway_mcp_sessions_refused_total', { reason: 'max_sessions' })).toBe(1);
    await until(() => gateway.running.mcp?.openSessions() === 0, 'the idle session to close');
    await connect(gateway);
    expect(gateway.running.mcp?.openSessions()).toBe(1);
  });

  it('in demo mode, an agent picks ids from the lists and asks each curated question of the simulated Braze; each answer fits its tool’s outputSchema', async () => {
    // No key: the built-in simulated Braze, open without a credential.
    const gateway = await startTestGateway(undefined, MCP);
    demo.push(gateway);
    const client = await connect(gateway, {});
    // Listed first, so that the SDK's client checks every result below against its tool's outputSchema
    // (a result that does not fit is an error there): the schemas say what the answers really are.
    const { tools } = await client.listTools();
    expect(tools.filter((tool) => tool.outputSchema?.type === 'object').map((tool) => tool.name).sort()).toEqual(
      readdirSync(new URL('../mcp/operations/', import.meta.url)).map((file) => file.replace('.graphql', '').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()).sort(),
    );
    const first = async (tool: string, list: string): Promise<string> => {
      const body = bodyOf(await client.callTool({ name: tool, arguments: { first: 1 } }));
      const nodes = (body['data'] as Record<string, { nodes: { id?: string; name: string }[] }>)[list]?.nodes ?? [];
      expect(nodes).toHaveLength(1);
      return nodes[0]?.id ?? nodes[0]?.name ?? '';
    };
    const ids = { campaign: await first('campaigns', 'campaigns'), canvas: await first('canvases', 'canvases'), segment: await first('segments', 'segments'), event: await first('custom_events', 'customEvents') };
    const calls: [string, Record<string, unknown>][] = [
      ['campaign_results', { id: ids.campaign, length: 7 }],
      ['canvas_results', { id: ids.canvas, endingAt: new Date().toISOString(), length: 7 }],
      ['segment_size', { id: ids.segment, length: 7 }],
      ['event_series', { event: ids.event, length: 7 }],
      ['kpi_series', { kpi: 'MONTHLY_ACTIVE_USERS', length: 7 }],
      ['session_series', { length: 24, unit: 'HOUR' }],
      ['top_campaigns', { length: 7, candidates: 5 }],
    ];
    for (const [name, args] of calls) {
      const result = await client.callTool({ name, arguments: args });
      expect(result.isError, `${name}: ${JSON.stringify(bodyOf(result))}`).toBeUndefined();
      expect(bodyOf(result)['braze']).toMatchObject({ calls: expect.any(Number), fromCache: false });
    }
    // The ranking of the five newest simulated campaigns: its list page and five series, values highest first.
    const ranking = bodyOf(await client.callTool({ name: 'top_campaigns', arguments: { length: 7, candidates: 5, by: 'REVENUE' } }));
    expect(ranking['braze']).toMatchObject({ calls: 6, fromCache: false });
    const top = (ranking['data'] as { topCampaigns: { by: string; candidates: number; entries: { rank: number; value: string }[] } }).topCampaigns;
    expect(top).toMatchObject({ by: 'REVENUE', candidates: 5 });
    expect(top.entries.map((entry) => entry.rank)).toEqual([1, 2, 3, 4, 5]);
    const values = top.entries.map((entry) => Number(entry.value));
    expect(values).toEqual([...values].sort((a, b) => b - a));
    expect(braze.calls).toEqual([]);
  });

  it('a session is not idle while a tool call is being answered, however long Braze takes', async () => {
    const gateway = await start({ ...MCP, MCP_SESSION_IDLE_MS: '1000' });
    braze.respond(async (call) => {
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      return defaultResponder(call);
    });
    const client = await connect(gateway);
    const result = await client.callTool({ name: 'session_series', arguments: { length: 2, endingAt: AT } });
    expect(result.isError).toBeUndefined();
    expect(gateway.running.mcp?.openSessions()).toBe(1);
    await until(() => gateway.running.mcp?.openSessions() === 0, 'the session to go idle after the call');
  });

  it('an operations folder that cannot give tools stops the start, with the reason', async () => {
    await expect(start({ ...MCP, MCP_OPERATIONS_DIR: '/no/such/folder' })).rejects.toThrow('MCP operations folder cannot be read (/no/such/folder: ENOENT)');
  });

  it('without MCP_ENABLED=true, /mcp is not served', async () => {
    const gateway = await start();
    const response = await fetch(mcpUrl(gateway), { method: 'POST', headers: { 'content-type': 'application/json', ...gateway.authHeaders }, body: '{}' });
    expect(response.status).toBe(404);
    expect(gateway.running.mcp).toBeUndefined();
  });

  it('an Origin CORS_ORIGINS does not allow is refused 403 (no DNS rebinding); a form post is refused as CSRF', async () => {
    const gateway = await start({ ...MCP, CORS_ORIGINS: 'https://app.example.com' });
    const init = { method: 'POST', body: '{"jsonrpc":"2.0","id":1,"method":"ping"}' };
    const foreign = await fetch(mcpUrl(gateway), { ...init, headers: { 'content-type': 'application/json', origin: 'https://evil.example', ...gateway.authHeaders } });
    expect(foreign.status).toBe(403);
    const form = await fetch(mcpUrl(gateway), { ...init, headers: { 'content-type': 'text/plain' } });
    expect(form.status).toBe(401);
    const formWithToken = await fetch(mcpUrl(gateway), { ...init, headers: { 'content-type': 'text/plain', ...gateway.authHeaders } });
    // A bearer credential is something a page cannot send without a preflight: past CSRF, refused by the protocol.
    expect(formWithToken.status).toBe(400);
    expect(braze.calls).toEqual([]);
  });
});
