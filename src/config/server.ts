import { defaultsOf, integer, type VariableReader, type VariableTable } from './read.js';
import type { UpstreamPolicy } from './upstream.js';
import type { ServerLimits } from '../server/connections.js';
export type { ServerLimits } from '../server/connections.js';

/** What loadConfig needs to know about the machine it runs on. */
export interface HostFacts {
  /** The process's file descriptor limit; undefined when unknown or unlimited. */
  readonly descriptorLimit: number | undefined;
}

/**
 * Headers of a GraphQL request are a few hundred bytes: 10 s allows a very slow link. 30 s for the
 * whole request is 3.4 KB/s for the largest body MAX_REQUEST_BODY_BYTES allows by default. Keep-alive
 * is Node's own default. 5 s of silence from a client the gateway is waiting on is several TCP
 * retransmissions. 1,000 connections is far more than a gateway behind a proxy or used by dashboards
 * needs, and is lowered at start to what the descriptor limit leaves room for (see `descriptorReserve`).
 */
export const SERVER_VARIABLES: VariableTable<ServerLimits> = {
  headersTimeoutMs: integer('SERVER_HEADERS_TIMEOUT_MS', { min: 100, max: 300_000, default: 10_000 }),
  requestTimeoutMs: integer('SERVER_REQUEST_TIMEOUT_MS', { min: 100, max: 3_600_000, default: 30_000 }),
  // 0 would mean "never" to Node: an idle keep-alive connection held forever.
  keepAliveTimeoutMs: integer('SERVER_KEEP_ALIVE_TIMEOUT_MS', { min: 100, max: 600_000, default: 5_000 }),
  idleTimeoutMs: integer('SERVER_IDLE_TIMEOUT_MS', { min: 100, max: 600_000, default: 5_000 }),
  maxConnections: integer('SERVER_MAX_CONNECTIONS', { min: 1, max: 1_000_000, default: 1_000 }),
};

export const DEFAULT_SERVER_LIMITS: ServerLimits = Object.freeze(defaultsOf(SERVER_VARIABLES));

/**
 * Descriptors the process needs besides its client connections: about 40 for Node itself, its
 * standard streams, the listener, Redis and a JWKS fetch, with room to spare; and two per upstream
 * connection (in demo mode the simulator's end of each one is in this process too).
 */
export function descriptorReserve(upstream: Pick<UpstreamPolicy, 'maxConnections'>): number {
  return 64 + 2 * upstream.maxConnections;
}

/** The fewest client connections worth starting with. */
const MIN_USEFUL_CONNECTIONS = 16;

export function readServerLimits(vars: VariableReader, upstream: Pick<UpstreamPolicy, 'maxConnections'>, host: HostFacts): ServerLimits {
  const server = vars.readAll(SERVER_VARIABLES);
  if (server.headersTimeoutMs > server.requestTimeoutMs) {
    vars.report('SERVER_HEADERS_TIMEOUT_MS must not exceed SERVER_REQUEST_TIMEOUT_MS: the headers are part of the request');
  }
  if (host.descriptorLimit === undefined) return Object.freeze(server);
  // Past the limit, Node accepts and at once drops every new connection, /health's included, so the
  // cap must stop short of it for the oldest idle connection to be closed for a new one instead.
  const reserve = descriptorReserve(upstream);
  const room = host.descriptorLimit - reserve;
  const explicit = vars.isSet(SERVER_VARIABLES.maxConnections);
  let { maxConnections } = server;
  if (room < MIN_USEFUL_CONNECTIONS) {
    vars.report(
      `the process may open only ${host.descriptorLimit} file descriptors and keeps ${reserve} for Node and BRAZE_MAX_CONNECTIONS, leaving fewer than ${MIN_USEFUL_CONNECTIONS} client connections: raise the limit (ulimit -n) or lower BRAZE_MAX_CONNECTIONS`,
    );
  } else if (explicit && server.maxConnections > room) {
    vars.report(
      `SERVER_MAX_CONNECTIONS=${server.maxConnections} does not fit the process's limit of ${host.descriptorLimit} file descriptors, ${reserve} of which are kept for Node and BRAZE_MAX_CONNECTIONS: set it to at most ${room} or raise the limit (ulimit -n)`,
    );
  } else if (!explicit) {
    maxConnections = Math.min(maxConnections, room);
  }
  return Object.freeze({ ...server, maxConnections });
}
