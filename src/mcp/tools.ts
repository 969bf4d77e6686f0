import { readFileSync } from 'node:fs';
import type { GraphQLSchema } from 'graphql';
import { loadOperationTools } from './operationTools.js';
import type { McpPolicy } from './policy.js';
import type { McpTool } from './tool.js';

/** Every tool a session offers: the curated operations' (one per `.graphql` file). */
export function createTools(schema: GraphQLSchema, policy: McpPolicy): McpTool[] {
  return loadOperationTools(schema, policy.operationsDir);
}

/** The gateway's version, as package.json says it (from src/mcp or dist/mcp alike), for MCP's serverInfo. */
export const GATEWAY_VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
