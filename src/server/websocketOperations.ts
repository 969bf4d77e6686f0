/**
 * The stand-in Requests of operations that arrived over WebSocket (src/websocket/graphqlOverWebSocket.ts): their
 * results are sent as graphql-ws messages, not by yoga's HTTP result processors, so a plugin that
 * refuses what HTTP cannot stream (useSubscriptionsOverSse) lets them through.
 */
const overWebSocket = new WeakSet<Request>();

export function markWebSocketOperation(request: Request): void {
  overWebSocket.add(request);
}

export function isWebSocketOperation(request: Request): boolean {
  return overWebSocket.has(request);
}
