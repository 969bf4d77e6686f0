// The options GraphQL over WebSocket takes, apart from the server that takes them (websocket.ts), so that
// the configuration that builds them (config/live.ts) depends on no module above it.

/** What one process allows of GraphQL over WebSocket (the graphql-ws protocol). */
export interface WebSocketLimits {
  /** Open WebSockets in the whole process; 0 turns the transport off (upgrades refused with 503). */
  readonly wsMaxConnections: number;
  /** Operations (subscriptions and queries) open at once on one socket. */
  readonly wsMaxOperationsPerConnection: number;
  /** A socket that has not sent `connection_init` this long after opening is closed (4408). */
  readonly wsConnectionInitTimeoutMs: number;
  /** A ping every this long; a socket whose pong has not come by the next one is dropped. */
  readonly wsKeepAliveMs: number;
}
