import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startFakeBraze, type FakeBraze } from '../testkit/fakeBraze.js';
import { TEST_API_KEY, TEST_AUTH_TOKEN } from './helpers/gateway.js';
import { bodyOf } from './helpers/mcpClient.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const AT = '2024-03-10T12:00:00Z';

let braze: FakeBraze;
beforeAll(async () => {
  braze = await startFakeBraze();
});
afterAll(() => braze.close());

const open: { client: Client; errors: Error[]; stderr: string[]; pid: number | null }[] = [];
/** The stderr of the last process spawned, kept even when it failed to start. */
let lastStderr: string[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map(({ client }) => client.close()));
  braze.calls.length = 0;
});

/**
 * `npm run --silent mcp` spawned by the SDK's stdio client, as a desktop assistant does, with `env`
 * only (the SDK passes no other variable but PATH, HOME and the like). Any line on stdout that is not
 * JSON-RPC would reach `errors` (the SDK's reader fails on it).
 */
async function spawnMcp(env: Record<string, string>): Promise<{ client: Client; errors: Error[]; stderr: string[]; pid: number | null }> {
  const transport = new StdioClientTransport({ command: 'npm', args: ['run', '--silent', 'mcp'], cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', ...env }, stderr: 'pipe' });
  const stderr: string[] = (lastStderr = []);
  transport.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
  const client = new Client({ name: 'desktop-assistant', version: '1.0.0' });
  const errors: Error[] = [];
  client.onerror = (error) => errors.push(error);
  await client.connect(transport);
  const spawned = { client, errors, stderr, pid: transport.pid };
  open.push(spawned);
  return spawned;
}

/** The TCP ports the process `root` and its descendants listen on (Linux's /proc: no tool needed). */
function listeningPorts(root: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const tree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, parent] of parentOf) if (tree.has(parent) && !tree.has(pid)) grew = tree.add(pid) !== undefined;
  }
  const sockets = new Set<string>();
  for (const pid of tree) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (target.startsWith('socket:[')) sockets.add(target.slice(8, -1));
      } catch {
        // closed meanwhile
      }
    }
  }
  const ports: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // st 0A is LISTEN; field 9 the socket's inode.
      if (fields[3] === '0A' && sockets.has(fields[9] ?? '')) ports.push(parseInt(fields[1]!.split(':')[1]!, 16));
    }
  }
  return ports;
}

describe('MCP over stdio: npm run --silent mcp', () => {
  it('in demo mode: lists the tools and answers from the simulated Braze; stdout carries JSON-RPC only, logs go to stderr', async () => {
    const { client, errors, stderr } = await spawnMcp({ LOG_LEVEL: 'info' });
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('kpi_series');
    const result = await client.callTool({ name: 'kpi_series', arguments: { kpi: 'DAILY_ACTIVE_USERS', length: 7, endingAt: AT } });
    const body = bodyOf(result);
    expect(result.isError).toBeUndefined();
    expect((body['data'] as { kpiSeries: { points: unknown[] } }).kpiSeries.points).toHaveLength(7);
    expect(body['braze']).toMatchObject({ calls: 1, fromCache: false });
    expect(errors).toEqual([]);
    expect(stderr.join('')).toContain('mcp stdio: serving');
  }, 60_000);

  it('against Braze: the session presents MCP_STDIO_TOKEN to the credential check; exact calls, the cache shared within the process', async () => {
    const env = {
      BRAZE_REST_ENDPOINT: braze.url.href,
      BRAZE_API_KEY: TEST_API_KEY,
      AUTH_TOKENS: TEST_AUTH_TOKEN,
      MCP_STDIO_TOKEN: TEST_AUTH_TOKEN,
      LOG_LEVEL: 'debug',
    };
    const { client, errors, stderr, pid } = await spawnMcp(env);
    const question = { name: 'event_series', arguments: { event: 'purchase', length: 7, endingAt: AT } };
    const first = bodyOf(await client.callTool(question));
    const second = bodyOf(await client.callTool(question));
    expect(braze.calls.map((call) => call.path)).toEqual(['/events/data_series']);
    expect(first['braze']).toMatchObject({ calls: 1, fromCache: false, sessionBudgetLeft: 99 });
    expect(second['braze']).toMatchObject({ calls: 0, fromCache: true, sessionBudgetLeft: 99 });
    expect(errors).toEqual([]);
    const logs = stderr.join('');
    expect(logs).toContain('"msg":"authenticated"');
    expect(logs).not.toContain(TEST_AUTH_TOKEN);
    expect(logs).not.toContain(TEST_API_KEY);
    // stdin and stdout are its whole interface: no port is open that another local user could reach.
    expect(pid).toBeGreaterThan(0);
    expect(listeningPorts(pid!)).toEqual([]);
  }, 60_000);

  it('a wrong MCP_STDIO_TOKEN is refused by the same check: a tool error UNAUTHENTICATED, no Braze call', async () => {
    const { client } = await spawnMcp({ BRAZE_REST_ENDPOINT: braze.url.href, BRAZE_API_KEY: TEST_API_KEY, AUTH_TOKENS: TEST_AUTH_TOKEN, MCP_STDIO_TOKEN: 'tok-not-the-one-0123456789abcdef' });
    const result = await client.callTool({ name: 'segments', arguments: {} });
    expect(result.isError).toBe(true);
    expect(bodyOf(result)['errors']).toEqual([expect.objectContaining({ code: 'UNAUTHENTICATED' })]);
    expect(braze.calls).toEqual([]);
  }, 60_000);

  it('with a credential check and no MCP_STDIO_TOKEN, it does not start, and says why on stderr', async () => {
    await expect(spawnMcp({ BRAZE_REST_ENDPOINT: braze.url.href, BRAZE_API_KEY: TEST_API_KEY, AUTH_TOKENS: TEST_AUTH_TOKEN })).rejects.toThrow();
    expect(open).toHaveLength(0);
    expect(lastStderr.join('')).toContain('set MCP_STDIO_TOKEN to the bearer token the stdio session presents');
  }, 60_000);
});
