import { fileURLToPath } from 'node:url';
import { boolean, defaultsOf, integer, string, type VariableReader, type VariableTable } from './read.js';
import type { McpPolicy } from '../mcp/policy.js';
export type { McpPolicy } from '../mcp/policy.js';

/** The curated operations shipped with the gateway: `mcp/operations/` at the top of the checkout (from src/config or dist/config alike). */
export const SHIPPED_OPERATIONS_DIR = fileURLToPath(new URL('../../mcp/operations/', import.meta.url));

/**
 * The MCP server (docs/mcp.md). A budget of 100 Braze calls is a long conversation's worth of distinct
 * questions (a series of up to 100 days is one call) and a tenth of the 1,000-an-hour list bucket;
 * 100 sessions of 15 idle minutes bound what sessions hold to a few hundred kilobytes; 10 a caller
 * leave the other 90 to other agents when one opens sessions in a loop.
 */
export const MCP_VARIABLES: VariableTable<McpPolicy> = {
  enabled: boolean('MCP_ENABLED', false),
  executeEnabled: boolean('MCP_EXECUTE_ENABLED', true),
  sessionBudget: integer('MCP_SESSION_BUDGET', { min: 1, max: 1_000_000, default: 100 }),
  maxSessions: integer('MCP_MAX_SESSIONS', { min: 1, max: 10_000, default: 100 }),
  maxSessionsPerCaller: integer('MCP_MAX_SESSIONS_PER_CALLER', { min: 1, max: 10_000, default: 10 }),
  sessionIdleMs: integer('MCP_SESSION_IDLE_MS', { min: 1_000, max: 24 * 60 * 60 * 1000, default: 15 * 60 * 1000 }),
  operationsDir: string('MCP_OPERATIONS_DIR', { default: SHIPPED_OPERATIONS_DIR }),
  // Compared with what AUTH_TOKENS holds (or checked as a JWT): a quote or a blank is never meant.
  stdioToken: string('MCP_STDIO_TOKEN', { refuseBlank: true, refuseQuoted: true }),
};

export const DEFAULT_MCP_POLICY: McpPolicy = Object.freeze(defaultsOf(MCP_VARIABLES));

/**
 * The MCP policy. Session settings without MCP_ENABLED=true cannot be what the operator meant (nothing
 * would hold sessions): a problem. So is MCP_ENABLED=true with PERSISTED_OPERATIONS_FILE: every tool
 * sends its own document, which that mode refuses. The budget, execute switch and operations folder
 * also apply to stdio.
 */
export function readMcp(vars: VariableReader, persistedOperations: ReadonlyMap<string, string> | undefined): McpPolicy {
  const read = vars.readAll(MCP_VARIABLES);
  // Left unset, a caller may hold at most all sessions (MCP_MAX_SESSIONS below 10 needs no second setting).
  const policy = vars.isSet(MCP_VARIABLES.maxSessionsPerCaller) ? read : { ...read, maxSessionsPerCaller: Math.min(read.maxSessionsPerCaller, read.maxSessions) };
  if (policy.enabled && persistedOperations !== undefined) {
    vars.report('MCP_ENABLED=true cannot work with PERSISTED_OPERATIONS_FILE (MCP tools send their own documents, which only the manifest may): unset one');
  }
  if (!policy.enabled) {
    const named = [MCP_VARIABLES.maxSessions, MCP_VARIABLES.maxSessionsPerCaller, MCP_VARIABLES.sessionIdleMs].filter((variable) => vars.isSet(variable));
    for (const variable of named) vars.report(`${variable.name} is for /mcp sessions, which only MCP_ENABLED=true serves: set MCP_ENABLED=true or unset ${variable.name}`);
  }
  if (vars.isSet(MCP_VARIABLES.maxSessionsPerCaller) && policy.maxSessionsPerCaller > policy.maxSessions) {
    vars.report(`MCP_MAX_SESSIONS_PER_CALLER=${policy.maxSessionsPerCaller} must not exceed MCP_MAX_SESSIONS (${policy.maxSessions})`);
  }
  return Object.freeze(policy);
}
