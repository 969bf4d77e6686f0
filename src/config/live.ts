import { defaultsOf, integer, type VariableReader, type VariableTable } from './read.js';
import type { ServerLimits } from './server.js';
import type { LivePolicy as SeriesPolicy } from '../live/liveSeries.js';
import type { WebSocketLimits } from '../server/websocketLimits.js';

/** Live series (shared polls and their caps), and what each transport may hold of the client connections. */
export type LivePolicy = SeriesPolicy &
  WebSocketLimits & {
    /** Subscriptions streamed over SSE at once (each holds a client connection): src/plugins/useSseStreamCap.ts. */
    readonly maxSseStreams: number;
  };

/**
 * 15 s: Braze's numbers do not move faster in any way a chart shows, and one poll per series costs
 * the workspace's shared bucket 240 calls an hour. 10,000 subscriptions: what `npm run bench:live`
 * measured one process to hold over WebSocket in a few hundred MB (docs/benchmarks.md); they no longer
 * hold a connection each. 20 per client: a dashboard of 20 live charts.
 *
 * What holds client connections the connection cap never closes for a newcomer is bounded below it:
 * SSE streams (one connection each) to 500, a half of the default cap; WebSockets to 250, a quarter
 * (a quarter stays free for queries and /health). 100 operations on one socket: a dashboard of 20
 * charts, five times over. graphql-ws's own 3 s for `connection_init` and 12 s between pings (a socket
 * that dies without a close frame is dropped within two of them).
 */
export const LIVE_VARIABLES: VariableTable<LivePolicy> = {
  minIntervalMs: integer('LIVE_MIN_INTERVAL_MS', { min: 100, max: 3_600_000, default: 15_000 }),
  maxSubscriptions: integer('LIVE_MAX_SUBSCRIPTIONS', { min: 0, max: 1_000_000, default: 10_000 }),
  maxSubscriptionsPerClient: integer('LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT', { min: 1, max: 1_000_000, default: 20 }),
  maxSseStreams: integer('LIVE_MAX_SSE_STREAMS', { min: 0, max: 1_000_000, default: 500 }),
  wsMaxConnections: integer('WS_MAX_CONNECTIONS', { min: 0, max: 1_000_000, default: 250 }),
  wsMaxOperationsPerConnection: integer('WS_MAX_OPERATIONS_PER_CONNECTION', { min: 1, max: 100_000, default: 100 }),
  wsConnectionInitTimeoutMs: integer('WS_CONNECTION_INIT_TIMEOUT_MS', { min: 100, max: 60_000, default: 3_000 }),
  wsKeepAliveMs: integer('WS_KEEPALIVE_MS', { min: 100, max: 600_000, default: 12_000 }),
};

export const DEFAULT_LIVE_POLICY: LivePolicy = Object.freeze(defaultsOf(LIVE_VARIABLES));

/**
 * SSE streams and WebSockets hold client connections the connection cap never closes for a newcomer:
 * as many as the cap would lock out queries and /health. Unset, SSE streams are lowered to half the
 * connections and sockets to a quarter; set so that either alone, or both together, reach the cap,
 * the start is refused. The total of subscriptions is not tied to connections (over WebSocket, many
 * share one).
 */
export function readLive(vars: VariableReader, server: Pick<ServerLimits, 'maxConnections'>): LivePolicy {
  const policy = vars.readAll(LIVE_VARIABLES);
  const { maxSubscriptions } = policy;
  const maxSseStreams = held(vars, LIVE_VARIABLES.maxSseStreams, policy.maxSseStreams, server.maxConnections, 2, 'each SSE subscription holds a connection');
  const wsMaxConnections = held(vars, LIVE_VARIABLES.wsMaxConnections, policy.wsMaxConnections, server.maxConnections, 4, 'each WebSocket holds a connection');
  const explicit = vars.isSet(LIVE_VARIABLES.maxSseStreams) || vars.isSet(LIVE_VARIABLES.wsMaxConnections);
  if (explicit && maxSseStreams < server.maxConnections && wsMaxConnections < server.maxConnections && maxSseStreams + wsMaxConnections >= server.maxConnections) {
    vars.report(
      `LIVE_MAX_SSE_STREAMS (${maxSseStreams}) and WS_MAX_CONNECTIONS (${wsMaxConnections}) together must be below SERVER_MAX_CONNECTIONS (${server.maxConnections}): the rest must stay free for queries and /health`,
    );
  }
  if (maxSubscriptions > 0 && policy.maxSubscriptionsPerClient > maxSubscriptions && vars.isSet(LIVE_VARIABLES.maxSubscriptionsPerClient)) {
    vars.report(`LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT=${policy.maxSubscriptionsPerClient} must not exceed LIVE_MAX_SUBSCRIPTIONS (${maxSubscriptions})`);
  }
  return Object.freeze({ ...policy, maxSseStreams, wsMaxConnections });
}

/** A count of held connections: explicit, it must be below the cap; unset, its default fits 1/`share` of it. */
function held(vars: VariableReader, variable: (typeof LIVE_VARIABLES)['maxSseStreams'], value: number, maxConnections: number, share: number, why: string): number {
  if (!vars.isSet(variable)) return Math.min(value, Math.floor(maxConnections / share));
  if (value >= maxConnections) {
    vars.report(`${variable.name}=${value} must be below SERVER_MAX_CONNECTIONS (${maxConnections}): ${why}, and the rest must stay free for queries and /health`);
  }
  return value;
}
