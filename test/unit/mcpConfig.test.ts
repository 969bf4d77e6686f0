import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { DEFAULT_MCP_POLICY, SHIPPED_OPERATIONS_DIR } from '../../src/config/mcp.js';

const NO_LIMIT = { descriptorLimit: undefined };

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env, NO_LIMIT);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('MCP_* configuration', () => {
  it('is off by default, with the shipped operations, a budget of 100 and bounded sessions', () => {
    expect(loadConfig({}, NO_LIMIT).mcp).toEqual(DEFAULT_MCP_POLICY);
    expect(DEFAULT_MCP_POLICY).toEqual({
      enabled: false,
      executeEnabled: true,
      sessionBudget: 100,
      maxSessions: 100,
      maxSessionsPerCaller: 10,
      sessionIdleMs: 900_000,
      operationsDir: SHIPPED_OPERATIONS_DIR,
      stdioToken: undefined,
    });
    expect(SHIPPED_OPERATIONS_DIR).toMatch(/[/\\]mcp[/\\]operations[/\\]$/);
  });

  it('reads every variable', () => {
    const env = { MCP_ENABLED: 'true', MCP_EXECUTE_ENABLED: 'false', MCP_SESSION_BUDGET: '7', MCP_MAX_SESSIONS: '3', MCP_SESSION_IDLE_MS: '60000', MCP_OPERATIONS_DIR: '/srv/ops', MCP_STDIO_TOKEN: 'tok-0123456789abcdef' };
    expect(loadConfig(env, NO_LIMIT).mcp).toEqual({
      enabled: true,
      executeEnabled: false,
      sessionBudget: 7,
      maxSessions: 3,
      // Unset, and MCP_MAX_SESSIONS below its default: a caller may hold every session.
      maxSessionsPerCaller: 3,
      sessionIdleMs: 60_000,
      operationsDir: '/srv/ops',
      stdioToken: 'tok-0123456789abcdef',
    });
    expect(loadConfig({ MCP_ENABLED: 'true', MCP_MAX_SESSIONS_PER_CALLER: '2' }, NO_LIMIT).mcp.maxSessionsPerCaller).toBe(2);
  });

  it('fails closed on values that cannot be meant, naming each', () => {
    expect(problemsOf({ MCP_ENABLED: 'yes please', MCP_SESSION_BUDGET: '0', MCP_SESSION_IDLE_MS: '10' })).toEqual([
      'MCP_ENABLED must be true or false (got "yes please")',
      'MCP_SESSION_BUDGET must be a whole number from 1 to 1000000 (got "0")',
      'MCP_SESSION_IDLE_MS must be a whole number from 1000 to 86400000 (got "10")',
      'MCP_SESSION_IDLE_MS is for /mcp sessions, which only MCP_ENABLED=true serves: set MCP_ENABLED=true or unset MCP_SESSION_IDLE_MS',
    ]);
    const manifest = join(mkdtempSync(join(tmpdir(), 'mcp-manifest-')), 'persisted.json');
    writeFileSync(manifest, JSON.stringify({ abc: '{ segments { nodes { id } } }' }));
    expect(problemsOf({ MCP_ENABLED: 'true', PERSISTED_OPERATIONS_FILE: manifest })).toEqual([
      'MCP_ENABLED=true cannot work with PERSISTED_OPERATIONS_FILE (MCP tools send their own documents, which only the manifest may): unset one',
    ]);
    expect(problemsOf({ MCP_MAX_SESSIONS: '5' })).toEqual(['MCP_MAX_SESSIONS is for /mcp sessions, which only MCP_ENABLED=true serves: set MCP_ENABLED=true or unset MCP_MAX_SESSIONS']);
    expect(problemsOf({ MCP_ENABLED: 'true', MCP_MAX_SESSIONS: '5', MCP_MAX_SESSIONS_PER_CALLER: '6' })).toEqual(['MCP_MAX_SESSIONS_PER_CALLER=6 must not exceed MCP_MAX_SESSIONS (5)']);
  });
});
