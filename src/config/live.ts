import { defaultsOf, integer, type VariableReader, type VariableTable } from './read.js';
import type { ServerLimits } from './server.js';
import type { LivePolicy } from '../live/liveSeries.js';
export type { LivePolicy } from '../live/liveSeries.js';

/**
 * 15 s: Braze's numbers do not move faster in any way a chart shows, and one poll per series costs
 * the workspace's shared bucket 240 calls an hour. 500 subscriptions: each holds a client connection
 * for as long as it is open (HTTP/1.1 carries one stream per connection), so the default stays well
 * under SERVER_MAX_CONNECTIONS' 1,000. 20 per client: a dashboard of 20 live charts.
 */
export const LIVE_VARIABLES: VariableTable<LivePolicy> = {
  minIntervalMs: integer('LIVE_MIN_INTERVAL_MS', { min: 100, max: 3_600_000, default: 15_000 }),
  maxSubscriptions: integer('LIVE_MAX_SUBSCRIPTIONS', { min: 0, max: 1_000_000, default: 500 }),
  maxSubscriptionsPerClient: integer('LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT', { min: 1, max: 1_000_000, default: 20 }),
};

export const DEFAULT_LIVE_POLICY: LivePolicy = Object.freeze(defaultsOf(LIVE_VARIABLES));

/**
 * Every open subscription holds a client connection that is being answered, which the connection cap
 * never closes for a newcomer: subscriptions as many as the cap would lock out queries and /health.
 * Unset, the total is lowered to half the connections; set at or above them, the start is refused.
 */
export function readLive(vars: VariableReader, server: Pick<ServerLimits, 'maxConnections'>): LivePolicy {
  const policy = vars.readAll(LIVE_VARIABLES);
  let { maxSubscriptions } = policy;
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
  return Object.freeze({ ...policy, maxSubscriptions });
}
