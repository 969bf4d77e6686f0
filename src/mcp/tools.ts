import { readFileSync } from 'node:fs';
import type { GraphQLSchema } from 'graphql';
import { explorationTools } from './exploration.js';
import { loadOperationTools } from './operationTools.js';
import type { McpPolicy } from './policy.js';
import type { McpTool } from './tool.js';

/**
 * Every tool a session offers: the curated operations' (one per `.graphql` file), then the
 * exploration tools (search and introspect only with introspection on; execute unless switched off).
 */
export function createTools(schema: GraphQLSchema, policy: McpPolicy, { introspection }: { introspection: boolean }): McpTool[] {
  const tools = [...loadOperationTools(schema, policy.operationsDir), ...explorationTools(schema, { introspection, execute: policy.executeEnabled })];
  const names = new Set<string>();
  for (const tool of tools) {
    if (names.has(tool.name)) throw new Error(`MCP operations: ${tool.name} is the name of a built-in tool; rename the operation`);
    names.add(tool.name);
  }
  return tools;
}

/**
 * The gateway's version, as package.json says it (from src/mcp or dist/mcp alike), for MCP's
 * serverInfo. Read when MCP is served, not when this module loads: a gateway without MCP never
 * depends on where package.json lies.
 */
export function gatewayVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}
