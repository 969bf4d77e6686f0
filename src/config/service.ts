import { LOG_LEVELS, type LogLevel } from '../observability/logger.js';
import { boolean, integer, oneOf, string } from './read.js';
export { LOG_LEVELS, type LogLevel } from '../observability/logger.js';

/** 0 asks the OS for a free port (tests). */
export const PORT = integer('PORT', { min: 0, max: 65_535, default: 4000 });
/** Unset: Node's default, every interface. */
export const HOST = string('HOST');
/** On SIGTERM, how long in-flight requests may take before their sockets are closed. */
export const SHUTDOWN_GRACE_MS = integer('SHUTDOWN_GRACE_MS', { min: 0, max: 600_000, default: 10_000 });
/** Its default is off with persisted operations: GraphiQL sends documents of its own, which that mode refuses. */
export const GRAPHIQL_ENABLED = boolean('GRAPHIQL_ENABLED', true);
export const INTROSPECTION_ENABLED = boolean('INTROSPECTION_ENABLED', true);
/** Serve Prometheus metrics at /metrics (no GraphQL credential needed). */
export const METRICS_ENABLED = boolean('METRICS_ENABLED', true);
export const LOG_LEVEL = oneOf<LogLevel>('LOG_LEVEL', LOG_LEVELS, 'info');

export const DEFAULTS = Object.freeze({
  port: PORT.default,
  shutdownGraceMs: SHUTDOWN_GRACE_MS.default,
  graphiql: GRAPHIQL_ENABLED.default,
  introspection: INTROSPECTION_ENABLED.default,
  metricsEnabled: METRICS_ENABLED.default,
  logLevel: LOG_LEVEL.default,
});
