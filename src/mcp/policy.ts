/** What the MCP server is allowed to do and hold (MCP_* variables, src/config/mcp.ts). */
export interface McpPolicy {
  /** Serve MCP over Streamable HTTP at /mcp next to /graphql (MCP_ENABLED). stdio is its own command and needs no switch. */
  readonly enabled: boolean;
  /** The `execute` tool (ad-hoc operations, under the same query limits as /graphql); off: only curated and read-only tools. */
  readonly executeEnabled: boolean;
  /** Braze calls one session may spend; the call that reaches it is answered, every later one refused before Braze is asked. */
  readonly sessionBudget: number;
  /** Open MCP sessions at once, all callers together; an initialize beyond is refused 503. */
  readonly maxSessions: number;
  /** Open MCP sessions of one caller (a credential, or a peer address without a credential check); an initialize beyond is refused 429. */
  readonly maxSessionsPerCaller: number;
  /** A session unused this long is closed and forgotten. */
  readonly sessionIdleMs: number;
  /** The folder of `.graphql` operations that become tools. */
  readonly operationsDir: string;
  /** The bearer credential a stdio session presents to the gateway's credential check (MCP_STDIO_TOKEN); never logged. */
  readonly stdioToken: string | undefined;
}
