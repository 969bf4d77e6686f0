import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { budgetRefusal, type SessionBudget } from './budget.js';
import { callGateway, type GraphQLFetch } from './gatewayCall.js';
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
}

/**
 * An MCP server for one session (over HTTP, one per request: src/mcp/httpEndpoint.ts), its tools registered from a list. The low-level `Server` rather than
 * `McpServer`: `McpServer.registerTool` takes Zod schemas, and these tools' JSON Schemas come from
 * GraphQL (the variables of an operation); arguments are checked by GraphQL's own coercion.
 */
export function createMcpServer({ tools, fetchGraphQL, budget, authorizationOf, version }: McpServerOptions): Server {
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  const server = new Server({ name: MCP_SERVER_NAME, version }, { capabilities: { tools: { listChanged: false } } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: tools.map((tool) => ({
      name: tool.name,
      description: tool.description,
      inputSchema: tool.inputSchema,
      annotations: { readOnlyHint: true, openWorldHint: tool.spendsBraze },
    })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
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
          // A failed call asked Braze too: it spends the budget like an answered one.
          await budget.spend(answer.cost.brazeCalls + answer.cost.failedAttempts);
          return answer;
        },
      });
    if (!tool.spendsBraze) return run();
    // Checked after the session's previous call has spent (other sessions, and the schema tools, are not held).
    return budget.turn(run, () => refusalResult('TOO_MANY_UPSTREAM_CALLS', budgetRefusal(budget), { limit: budget.limit, scope: 'session' }));
  });
  return server;
}

/** A name from the client, echoed at most this long. */
function truncate(text: string): string {
  return text.length > 64 ? `${text.slice(0, 64)}…` : text;
}
