import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { SessionBudget } from './budget.js';
import type { GatewayAnswer, GraphQLRequest } from './gatewayCall.js';
import type { ObjectSchema } from './inputSchema.js';

/** What a tool call may use: the gateway, as this caller, and the session's budget. */
export interface ToolCall {
  /** Runs an operation through the gateway as the caller; spends the session's budget by what it cost. */
  graphql(request: GraphQLRequest): Promise<GatewayAnswer>;
  readonly budget: SessionBudget;
}

/** One MCP tool: what `tools/list` shows of it, and what `tools/call` runs. */
export interface McpTool {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: ObjectSchema;
  /** The shape of its results' structuredContent, when it is known before the call (operation tools). */
  readonly outputSchema?: ObjectSchema;
  /** True for tools that may call Braze (the budget is checked before they run); false for schema-only ones. */
  readonly spendsBraze: boolean;
  run(args: Readonly<Record<string, unknown>>, call: ToolCall): Promise<CallToolResult>;
}
