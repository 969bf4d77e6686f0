/** What MCP reports of its use, for the metrics (src/observability/metrics.ts GatewayMetrics fits it). */
export interface McpObserver {
  /** A tool call ended: the tool's name (`unknown` for a name with no tool), `ok` or the tool error's code. */
  mcpToolCall(tool: string, outcome: string, seconds: number): void;
  mcpSessionOpened(): void;
  mcpSessionRefused(reason: 'max_sessions' | 'max_sessions_per_caller'): void;
}
