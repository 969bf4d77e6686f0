// npm run bench:mcp (tsx bench/scenarios/mcp.ts): what an MCP tool call costs over a GraphQL request.
// Starts a fake Braze and the gateway (MCP_ENABLED=true, cache on) twice: sessions in the replica's
// memory, and sessions in Redis (REDIS_URL; each call then reads its session and budget there). The
// question is answered once, so every measured request is a cache hit: the gateway's own cost only.
//  - Latency: BENCH_MCP_REQUESTS requests one after another, each kind in turn (a /graphql POST of the
//    tool's query, a tools/call of kpi_series in one session): p50 and p95 of each, and what MCP adds.
//    Target: MCP adds at most 5 ms (p50) to the GraphQL request it makes, with sessions in memory or Redis.
//  - Throughput: BENCH_MCP_AGENTS agents (a session each) calling at once for BENCH_MCP_SECONDS: calls a second.
// Needs /usr/bin/redis-server for the Redis part (bash .ci/install-debian-packages.sh); without it, that part is skipped.
import { numberEnv } from '../lib/common.js';
import { BENCH_TOKEN, spawnedGatewayEnv } from '../lib/protocol.js';
import { startFakeBraze } from '../../testkit/fakeBraze.js';
import { redisAvailable, startRedis, type RedisServer } from '../../testkit/redis.js';
import { spawnServer, type ServerProcess } from '../../testkit/serverProcess.js';

const REQUESTS = numberEnv('BENCH_MCP_REQUESTS', 1_000, 10);
const AGENTS = numberEnv('BENCH_MCP_AGENTS', 20, 1);
const SECONDS = numberEnv('BENCH_MCP_SECONDS', 5, 1);
const ADDED_TARGET_MS = 5;
const ENDING_AT = '2024-03-10T00:00:00Z';
const QUERY = `query KpiSeries($kpi: Kpi!, $length: Int!, $endingAt: DateTime) { kpiSeries(kpi: $kpi, length: $length, endingAt: $endingAt) { kpi endingAt total points { time value } } }`;
const ARGS = { kpi: 'DAILY_ACTIVE_USERS', length: 30, endingAt: ENDING_AT };
const AUTH = { authorization: `Bearer ${BENCH_TOKEN}` };
const MCP_HEADERS = { ...AUTH, 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

const braze = await startFakeBraze({ record: false });
const redis: RedisServer | undefined = (await redisAvailable()) ? await startRedis() : undefined;
const children: ServerProcess[] = [];

async function gateway(env: Record<string, string>): Promise<URL> {
  const child = spawnServer({
    ...spawnedGatewayEnv(braze.url),
    MCP_ENABLED: 'true',
    MCP_SESSION_BUDGET: '1000000',
    MCP_MAX_SESSIONS_PER_CALLER: String(Math.max(10, AGENTS + 1)),
    MCP_MAX_SESSIONS: String(Math.max(100, AGENTS + 1)),
    ...env,
  });
  children.push(child);
  return child.listening;
}

/** An initialized session: its id and the headers its requests carry. */
async function session(mcp: URL): Promise<Record<string, string>> {
  const init = await fetch(mcp, {
    method: 'POST',
    headers: MCP_HEADERS,
    body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } } }),
  });
  await init.arrayBuffer();
  const id = init.headers.get('mcp-session-id');
  if (init.status !== 200 || id === null) throw new Error(`initialize answered ${init.status}`);
  return { ...MCP_HEADERS, 'mcp-session-id': id, 'mcp-protocol-version': '2025-06-18' };
}

async function toolCall(mcp: URL, headers: Record<string, string>): Promise<void> {
  const response = await fetch(mcp, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'kpi_series', arguments: ARGS } }) });
  const body = (await response.json()) as { result?: { isError?: boolean } };
  if (response.status !== 200 || body.result === undefined || body.result.isError) throw new Error(`tools/call answered ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
}

async function graphql(url: URL): Promise<void> {
  const response = await fetch(url, { method: 'POST', headers: { ...AUTH, 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERY, variables: ARGS }) });
  const body = (await response.json()) as { data?: unknown; errors?: unknown };
  if (response.status !== 200 || body.errors !== undefined) throw new Error(`/graphql answered ${response.status}`);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;
}

async function measure(label: string, url: URL): Promise<{ label: string; graphqlP50: number; mcpP50: number; mcpP95: number; graphqlP95: number; perSecond: number }> {
  const mcp = new URL('/mcp', url);
  const headers = await session(mcp);
  // Warm: the answer cached, the documents parsed, the code paths compiled.
  for (let i = 0; i < 50; i++) {
    await graphql(url);
    await toolCall(mcp, headers);
  }
  const times: { graphql: number[]; mcp: number[] } = { graphql: [], mcp: [] };
  for (let i = 0; i < REQUESTS; i++) {
    let started = performance.now();
    await graphql(url);
    times.graphql.push(performance.now() - started);
    started = performance.now();
    await toolCall(mcp, headers);
    times.mcp.push(performance.now() - started);
  }
  const agents = await Promise.all(Array.from({ length: AGENTS }, () => session(mcp)));
  const until = performance.now() + SECONDS * 1000;
  let calls = 0;
  await Promise.all(
    agents.map(async (agentHeaders) => {
      while (performance.now() < until) {
        await toolCall(mcp, agentHeaders);
        calls++;
      }
    }),
  );
  const g = times.graphql.sort((a, b) => a - b);
  const m = times.mcp.sort((a, b) => a - b);
  return { label, graphqlP50: percentile(g, 50), graphqlP95: percentile(g, 95), mcpP50: percentile(m, 50), mcpP95: percentile(m, 95), perSecond: calls / SECONDS };
}

try {
  const results = [await measure('sessions in memory', await gateway({}))];
  if (redis) results.push(await measure('sessions in Redis', await gateway({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: `bench-mcp-${Date.now()}:` })));
  else console.log('(no /usr/bin/redis-server: the Redis part is skipped)');
  console.log(`\nMCP tool call (kpi_series, a cache hit) against the /graphql POST it makes; ${REQUESTS} of each, one after another; then ${AGENTS} agents at once for ${SECONDS} s (Node ${process.version})\n`);
  console.log('| sessions | /graphql p50 / p95 | tools/call p50 / p95 | MCP adds (p50) | calls/s, ' + AGENTS + ' agents |');
  console.log('|---|---|---|---|---|');
  for (const r of results) {
    console.log(`| ${r.label} | ${r.graphqlP50.toFixed(2)} / ${r.graphqlP95.toFixed(2)} ms | ${r.mcpP50.toFixed(2)} / ${r.mcpP95.toFixed(2)} ms | ${(r.mcpP50 - r.graphqlP50).toFixed(2)} ms | ${r.perSecond.toFixed(0)} |`);
  }
  console.log('');
  for (const r of results) {
    const added = r.mcpP50 - r.graphqlP50;
    console.log(`| MCP adds ≤ ${ADDED_TARGET_MS} ms (p50), ${r.label} | ${added <= ADDED_TARGET_MS ? 'MET' : 'MISSED'}: ${added.toFixed(2)} ms |`);
  }
} finally {
  for (const child of children) if (child.child.exitCode === null) child.child.kill('SIGTERM');
  await Promise.all(children.map((child) => child.exited));
  await braze.close();
  await redis?.kill();
}
