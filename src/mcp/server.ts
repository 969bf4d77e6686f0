import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type CallToolRequest,
  type CallToolResult,
  type ServerNotification,
  type ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
import { budgetRefusal, type SessionBudget } from './budget.js';
import { callGateway, type GraphQLFetch } from './gatewayCall.js';
import type { McpObserver } from './observer.js';
import type { McpTool } from './tool.js';
import { refusalResult } from './toolResults.js';

export const MCP_SERVER_NAME = 'braze-analytics-gateway';

export interface McpServerOptions {
  readonly tools: readonly McpTool[];
  /** The gateway's yoga (`yoga.fetch`): every operation goes through it. */
  readonly fetchGraphQL: GraphQLFetch;
  /** The session's budget (shared by the servers answering its requests). */
  readonly budget: SessionBudget;
  /** The Authorization header a call is made with: the HTTP request's that carried it, or stdio's configured token. */
  readonly authorizationOf: (authInfo: { token: string } | undefined) => string | undefined;
  readonly version: string;
  /** Told of each tool call's outcome (the gateway's metrics). */
  readonly observer?: McpObserver;
}

/**
 * An MCP server for one session (over HTTP, one per request: src/mcp/httpEndpoint.ts), its tools registered from a list. The low-level `Server` rather than
 * `McpServer`: `McpServer.registerTool` takes Zod schemas, and these tools' JSON Schemas come from
 * GraphQL (the variables of an operation); arguments are checked by GraphQL's own coercion.
 */
export function createMcpServer({ tools, fetchGraphQL, budget, authorizationOf, version, observer }: McpServerOptions): Server {
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  const server = new Server({ name: MCP_SERVER_NAME, version }, { capabilities: { tools: { listChanged: false } } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: tools.map((tool) => ({
      name: tool.name,
      description: tool.description,
      inputSchema: tool.inputSchema,
      ...(tool.outputSchema ? { outputSchema: tool.outputSchema } : {}),
      annotations: { readOnlyHint: true, openWorldHint: tool.spendsBraze },
    })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const started = performance.now();
    const tool = byName.get(request.params.name);
    // Labelled by a name of ours only: a client's made-up names are one label, not a series each.
    const name = tool ? tool.name : 'unknown';
    try {
      const result = await callTool(request, extra);
      observer?.mcpToolCall(name, outcomeOf(result), (performance.now() - started) / 1000);
      return result;
    } catch (error) {
      observer?.mcpToolCall(name, tool ? 'INTERNAL_SERVER_ERROR' : 'UNKNOWN_TOOL', (performance.now() - started) / 1000);
      throw error;
    }
  });

  const callTool = async (request: CallToolRequest, extra: RequestExtra): Promise<CallToolResult> => {
    const tool = byName.get(request.params.name);
    // Named in the protocol's words: an unknown tool is a bad request, not a tool's failure.
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${truncate(request.params.name)}`);
    const args = request.params.arguments ?? {};
    const unknown = Object.keys(args).filter((name) => !Object.hasOwn(tool.inputSchema.properties, name));
    if (unknown.length > 0) {
      return refusalResult('BAD_USER_INPUT', `${tool.name} takes no argument ${unknown.map((name) => truncate(name)).join(', ')}; it takes ${Object.keys(tool.inputSchema.properties).join(', ') || 'none'}`);
    }
    const authorization = authorizationOf(extra.authInfo);
    const run = (): Promise<CallToolResult> =>
      tool.run(args, {
        budget,
        async graphql(operation) {
          const answer = await callGateway(fetchGraphQL, operation, { authorization, signal: extra.signal });
          // Every HTTP attempt asked Braze: a retry, and a call that failed, spend the budget as an answered call does.
          await budget.spend(answer.cost.answeredAttempts + answer.cost.failedAttempts);
          return answer;
        },
      });
    if (!tool.spendsBraze) return run();
    // Checked after the session's previous call has spent (other sessions, and the schema tools, are not held).
    return budget.turn(run, () => refusalResult('TOO_MANY_UPSTREAM_CALLS', budgetRefusal(budget), { limit: budget.limit, scope: 'session' }));
  };
  return server;
}

type RequestExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** `ok`, or the code of a tool error's first error (every tool error of ours carries one). */
function outcomeOf(result: CallToolResult): string {
  if (!result.isError) return 'ok';
  const errors = (result.structuredContent as { errors?: readonly { code?: unknown }[] } | undefined)?.errors;
  const code = errors?.[0]?.code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(code) ? code : 'INTERNAL_SERVER_ERROR';
}

/** A name from the client, echoed at most this long. */
function truncate(text: string): string {
  return text.length > 64 ? `${text.slice(0, 64)}…` : text;
}
