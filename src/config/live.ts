import { defaultsOf, integer, type VariableReader, type VariableTable } from './read.js';
import type { ServerLimits } from './server.js';
import type { LivePolicy as SeriesPolicy } from '../live/liveSeries.js';
import type { WebSocketLimits } from '../server/websocket.js';

/** Live series (shared polls and their caps) and the GraphQL-over-WebSocket transport that carries them. */
export type LivePolicy = SeriesPolicy & WebSocketLimits;

/**
 * 15 s: Braze's numbers do not move faster in any way a chart shows, and one poll per series costs
 * the workspace's shared bucket 240 calls an hour. 500 subscriptions: each SSE one holds a client
 * connection for as long as it is open (HTTP/1.1 carries one stream per connection), so the default
 * stays well under SERVER_MAX_CONNECTIONS' 1,000. 20 per client: a dashboard of 20 live charts.
 *
 * WebSocket: 250 sockets (a quarter of the connection cap: with SSE's half, a quarter stays free for
 * queries and /health); 100 operations on one socket (a dashboard of 20 charts, five times over);
 * graphql-ws's own 3 s for `connection_init` and 12 s between pings (a socket that dies without a close
 * frame is dropped within two of them).
 */
export const LIVE_VARIABLES: VariableTable<LivePolicy> = {
  minIntervalMs: integer('LIVE_MIN_INTERVAL_MS', { min: 100, max: 3_600_000, default: 15_000 }),
  maxSubscriptions: integer('LIVE_MAX_SUBSCRIPTIONS', { min: 0, max: 1_000_000, default: 500 }),
  maxSubscriptionsPerClient: integer('LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT', { min: 1, max: 1_000_000, default: 20 }),
  wsMaxConnections: integer('WS_MAX_CONNECTIONS', { min: 0, max: 1_000_000, default: 250 }),
  wsMaxOperationsPerConnection: integer('WS_MAX_OPERATIONS_PER_CONNECTION', { min: 1, max: 100_000, default: 100 }),
  wsConnectionInitTimeoutMs: integer('WS_CONNECTION_INIT_TIMEOUT_MS', { min: 100, max: 60_000, default: 3_000 }),
  wsKeepAliveMs: integer('WS_KEEPALIVE_MS', { min: 100, max: 600_000, default: 12_000 }),
};

export const DEFAULT_LIVE_POLICY: LivePolicy = Object.freeze(defaultsOf(LIVE_VARIABLES));

/**
 * Every open SSE subscription holds a client connection that is being answered, and every WebSocket
 * is a connection the cap never closes for a newcomer either: together as many as the cap would lock
 * out queries and /health. Unset, subscriptions are lowered to half the connections and sockets to a
 * quarter; set so that either alone reaches the cap, the start is refused.
 */
export function readLive(vars: VariableReader, server: Pick<ServerLimits, 'maxConnections'>): LivePolicy {
  const policy = vars.readAll(LIVE_VARIABLES);
  let { maxSubscriptions, wsMaxConnections } = policy;
  if (vars.isSet(LIVE_VARIABLES.maxSubscriptions)) {
    if (maxSubscriptions >= server.maxConnections) {
      vars.report(
        `LIVE_MAX_SUBSCRIPTIONS=${maxSubscriptions} must be below SERVER_MAX_CONNECTIONS (${server.maxConnections}): each subscription holds a connection, and the rest must stay free for queries and /health`,
      );
    }
  } else {
    maxSubscriptions = Math.min(maxSubscriptions, Math.floor(server.maxConnections / 2));
  }
  if (maxSubscriptions > 0 && policy.maxSubscriptionsPerClient > maxSubscriptions && vars.isSet(LIVE_VARIABLES.maxSubscriptionsPerClient)) {
    vars.report(`LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT=${policy.maxSubscriptionsPerClient} must not exceed LIVE_MAX_SUBSCRIPTIONS (${maxSubscriptions})`);
  }
  if (vars.isSet(LIVE_VARIABLES.wsMaxConnections)) {
    if (wsMaxConnections >= server.maxConnections) {
      vars.report(
        `WS_MAX_CONNECTIONS=${wsMaxConnections} must be below SERVER_MAX_CONNECTIONS (${server.maxConnections}): each WebSocket holds a connection, and the rest must stay free for queries and /health`,
      );
    }
  } else {
    wsMaxConnections = Math.min(wsMaxConnections, Math.floor(server.maxConnections / 4));
  }
  return Object.freeze({ ...policy, maxSubscriptions, wsMaxConnections });
}
