import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isCI } from './helpers/browser.js';
import { startTestGateway, TEST_AUTH_TOKEN, type TestGateway } from './helpers/gateway.js';
import { bodyOf } from './helpers/mcpClient.js';
import { FakeBraze } from '../testkit/fakeBraze.js';
import { haproxyAvailable, startHaproxy, type LoadBalancer } from '../testkit/haproxy.js';
import { redisAvailable, startRedis, type RedisServer } from '../testkit/redis.js';

/**
 * Two gateways sharing one redis-server behind haproxy's round-robin (no stickiness), MCP on: an
 * agent's session is answered by whichever replica its request reaches, against one budget and one
 * MCP_MAX_SESSIONS, and ends for both at one DELETE.
 */
const here = (await redisAvailable()) && (await haproxyAvailable());
if (!here) console.warn(`MCP replica tests ${isCI() ? 'FAIL' : 'skipped'}: /usr/bin/redis-server or /usr/sbin/haproxy is missing (bash .ci/install-debian-packages.sh)`);

const PREFIX = `mcp-replicas-${Date.now()}:`;
const auth = { authorization: `Bearer ${TEST_AUTH_TOKEN}` };
const braze = new FakeBraze();
let redis: RedisServer | undefined;
let inspector: Redis | undefined;
let replicas: TestGateway[] = [];
let balancer: LoadBalancer | undefined;
const clients: Client[] = [];

/** A distinct question each time (another window's end): each one a Braze call. */
const question = (day: number): { name: string; arguments: Record<string, unknown> } => ({
  name: 'kpi_series',
  arguments: { kpi: 'DAILY_ACTIVE_USERS', length: 2, endingAt: `2024-03-${String(day).padStart(2, '0')}T12:00:00Z` },
});

async function agent(url: URL): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(url, { requestInit: { headers: auth } });
  const client = new Client({ name: 'replica-agent', version: '1.0.0' });
  await client.connect(transport);
  clients.push(client);
  return { client, transport };
}

const mcpOf = (url: URL): URL => new URL('/mcp', url);

/** A raw JSON-RPC request of a session to one replica. */
function send(replica: TestGateway, session: string, method: 'POST' | 'DELETE', message?: object): Promise<Response> {
  return fetch(mcpOf(replica.url), {
    method,
    headers: { ...auth, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': session, 'mcp-protocol-version': '2025-06-18' },
    ...(message ? { body: JSON.stringify({ jsonrpc: '2.0', id: 1, ...message }) } : {}),
  });
}

async function startReplicas(env: Record<string, string>): Promise<void> {
  const shared = { MCP_ENABLED: 'true', REDIS_URL: redis!.url, REDIS_KEY_PREFIX: `${PREFIX}${Math.random()}:`, ...env };
  replicas = [await startTestGateway(braze, shared), await startTestGateway(braze, shared)];
  balancer = await startHaproxy(replicas.map((replica) => replica.url));
}

describe.skipIf(!here && !isCI())('MCP sessions over replicas sharing Redis', () => {
  beforeAll(async () => {
    if (!here) throw new Error('CI is set and /usr/bin/redis-server or /usr/sbin/haproxy is missing');
    redis = await startRedis();
    inspector = new Redis(redis.url);
    await braze.start();
  }, 30_000);
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await balancer?.stop();
    await Promise.all(replicas.map((replica) => replica.close()));
    balancer = undefined;
    replicas = [];
    braze.calls.length = 0;
  });
  afterAll(async () => {
    inspector?.disconnect();
    await braze.close();
    await redis?.kill();
  });

  it('an agent behind a round-robin balancer is answered by both replicas, one budget counting across them', async () => {
    await startReplicas({ MCP_SESSION_BUDGET: '3' });
    const { client } = await agent(mcpOf(balancer!.url));
    const answers = [];
    for (const day of [1, 2, 3, 4]) answers.push(bodyOf(await client.callTool(question(day))));
    expect(answers.slice(0, 3).map((body) => [body['errors'], (body['braze'] as { calls: number; sessionBudgetLeft: number }).sessionBudgetLeft])).toEqual([
      [undefined, 2],
      [undefined, 1],
      [undefined, 0],
    ]);
    // The fourth reached whichever replica, and was refused there: the budget is the session's, not a replica's.
    expect(answers[3]!['errors']).toEqual([expect.objectContaining({ code: 'TOO_MANY_UPSTREAM_CALLS', scope: 'session', limit: 3 })]);
    expect(braze.calls).toHaveLength(3);
    // Both replicas answered the session (initialize, the initialized notification, tools/list-free calls).
    expect(replicas.map((replica) => replica.running.mcp?.openSessions())).toEqual([1, 1]);
  });

  it('a session opened on one replica is used on the other, and a DELETE on either ends it for both', async () => {
    await startReplicas({});
    const { transport } = await agent(mcpOf(replicas[0]!.url));
    const session = transport.sessionId!;
    const listed = await send(replicas[1]!, session, 'POST', { method: 'tools/list' });
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { result: { tools: unknown[] } }).result.tools.length).toBeGreaterThan(10);
    // Another credential presenting the id is answered as an unknown one, on either replica.
    const stranger = await fetch(mcpOf(replicas[1]!.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: 'Bearer not-a-token', 'mcp-session-id': session },
      body: '{}',
    });
    expect(stranger.status).toBe(401);

    expect((await send(replicas[1]!, session, 'DELETE')).status).toBe(200);
    expect(await inspector!.keys(`${PREFIX}*session:${session}`)).toEqual([]);
    const afterEnd = await send(replicas[0]!, session, 'POST', { method: 'tools/list' });
    expect(afterEnd.status).toBe(404);
    expect(replicas.map((replica) => replica.running.mcp?.openSessions())).toEqual([0, 0]);
  });

  it('MCP_MAX_SESSIONS counts the sessions of every replica', async () => {
    await startReplicas({ MCP_MAX_SESSIONS: '2' });
    await agent(mcpOf(replicas[0]!.url));
    await agent(mcpOf(replicas[1]!.url));
    await expect(agent(mcpOf(replicas[0]!.url))).rejects.toThrow(/503|Too many MCP sessions/);
  });

  it('MCP_MAX_SESSIONS_PER_CALLER counts a caller’s sessions on every replica', async () => {
    await startReplicas({ MCP_MAX_SESSIONS_PER_CALLER: '2' });
    await agent(mcpOf(replicas[0]!.url));
    await agent(mcpOf(replicas[1]!.url));
    await expect(agent(mcpOf(replicas[0]!.url))).rejects.toThrow(/429|MCP_MAX_SESSIONS_PER_CALLER/);
  });

  it('a session record no replica can have written is no session: 404, counted in /health, nothing asked of Braze', async () => {
    await startReplicas({});
    const { transport } = await agent(mcpOf(replicas[0]!.url));
    const session = transport.sessionId!;
    const [key] = await inspector!.keys(`${PREFIX}*session:${session}`);
    await inspector!.hset(key!, 'spent', '-7');
    const forged = await send(replicas[1]!, session, 'POST', { method: 'tools/call', params: question(9) });
    expect(forged.status).toBe(404);
    expect(braze.calls).toHaveLength(0);
    const health = (await (await fetch(new URL('/health', replicas[1]!.url))).json()) as { redis?: { mcpSessions?: { rejectedValues?: number } } };
    expect(health.redis?.mcpSessions?.rejectedValues).toBe(1);
  });

  it('session ids that are not ones the gateway hands out are never looked up', async () => {
    await startReplicas({});
    const before = Number((await inspector!.info('stats')).match(/total_commands_processed:(\d+)/)?.[1]);
    const answer = await send(replicas[0]!, `x${'*'.repeat(40)}`, 'POST', { method: 'tools/list' });
    expect(answer.status).toBe(404);
    const after = Number((await inspector!.info('stats')).match(/total_commands_processed:(\d+)/)?.[1]);
    // The two INFO commands are the inspector's own: the gateway sent nothing for the bad id.
    expect(after - before).toBe(1);
  });

  // Last: it kills the file's Redis.
  it('Redis gone: each replica goes on with the sessions it knows and its own count, and opens new ones alone', async () => {
    await startReplicas({ MCP_SESSION_BUDGET: '2' });
    const { client, transport } = await agent(mcpOf(replicas[0]!.url));
    expect(bodyOf(await client.callTool(question(11)))['braze']).toMatchObject({ calls: 1, sessionBudgetLeft: 1 });
    await redis!.kill();
    inspector!.disconnect();
    expect(bodyOf(await client.callTool(question(12)))['braze']).toMatchObject({ calls: 1, sessionBudgetLeft: 0 });
    expect(bodyOf(await client.callTool(question(13)))['errors']).toEqual([expect.objectContaining({ code: 'TOO_MANY_UPSTREAM_CALLS', scope: 'session' })]);
    // The other replica never held it, and cannot look it up: the agent is told to initialize anew.
    expect((await send(replicas[1]!, transport.sessionId!, 'POST', { method: 'tools/list' })).status).toBe(404);
    const alone = await agent(mcpOf(replicas[1]!.url));
    expect(bodyOf(await alone.client.callTool(question(14)))['braze']).toMatchObject({ calls: 1, sessionBudgetLeft: 1 });
    expect(braze.calls).toHaveLength(3);
  });
});
