import { readDescriptorLimit } from '../server/fileDescriptorLimit.js';
import { AUTH_VARIABLES, readAuth, type AuthConfig } from './auth.js';
import { BRAZE_VARIABLES, readBraze, type BrazeConfig } from './braze.js';
import { CACHE_VARIABLES, readCache, type CachePolicy } from './cache.js';
import { CORS_ORIGINS, readCorsOrigins, type CorsOrigins } from './cors.js';
import { DOCUMENT_CACHE_VARIABLES, QUERY_LIMIT_VARIABLES, readDocumentCache, readQueryLimits, type DocumentCachePolicy, type QueryLimits } from './limits.js';
import { LIVE_VARIABLES, readLive, type LivePolicy } from './live.js';
import { MCP_VARIABLES, readMcp, type McpPolicy } from './mcp.js';
import { APQ_VARIABLES, PERSISTED_OPERATIONS_FILE, readApq, type AutomaticPersistedQueriesPolicy } from './persisted.js';
import { readResponseCache, RESPONSE_CACHE_VARIABLES, type ResponseCachePolicy } from './responseCache.js';
import { VariableReader, type Env, type Variable } from './read.js';
import { readServerLimits, SERVER_VARIABLES, type HostFacts, type ServerLimits } from './server.js';
import { readTracing, TRACING_VARIABLES, type TracingConfig } from './tracing.js';
import {
  GRAPHIQL_ENABLED,
  HOST,
  INTROSPECTION_ENABLED,
  LOG_LEVEL,
  METRICS_ENABLED,
  PORT,
  SHUTDOWN_GRACE_MS,
  type LogLevel,
} from './service.js';
import { checkUpstream, readUpstream, RESERVE_VARIABLES, UPSTREAM_VARIABLES, type UpstreamPolicy } from './upstream.js';

export { authRequired, MIN_JWT_SECRET_LENGTH, MIN_TOKEN_LENGTH, type AuthConfig, type JwtConfig } from './auth.js';
export { BRAZE_INSTANCES, type BrazeConfig } from './braze.js';
export { DEFAULT_CACHE_POLICY, type CachePolicy } from './cache.js';
export type { CorsOrigins } from './cors.js';
export { DEFAULT_LIVE_POLICY, type LivePolicy } from './live.js';
export { DEFAULT_RESPONSE_CACHE_POLICY, type ResponseCachePolicy } from './responseCache.js';
export { DEFAULT_DOCUMENT_CACHE_POLICY, DEFAULT_QUERY_LIMITS, type DocumentCachePolicy, type QueryLimits } from './limits.js';
export type { Env, Variable } from './read.js';
export { DEFAULT_SERVER_LIMITS, descriptorReserve, type HostFacts, type ServerLimits } from './server.js';
export { DEFAULTS, LOG_LEVELS, type LogLevel } from './service.js';
export { DEFAULT_UPSTREAM_POLICY, type UpstreamPolicy } from './upstream.js';
export type { OtlpProtocol, SamplerName, TracingConfig, TracingOn } from './tracing.js';

export interface Config {
  readonly braze: BrazeConfig;
  readonly cache: CachePolicy;
  readonly responseCache: ResponseCachePolicy;
  readonly auth: AuthConfig;
  /** 0 asks the OS for a free port (tests). */
  readonly port: number;
  /** undefined: Node's default, every interface. */
  readonly host: string | undefined;
  readonly upstream: UpstreamPolicy;
  readonly limits: QueryLimits;
  readonly documentCache: DocumentCachePolicy;
  readonly server: ServerLimits;
  /** Live series over SSE: poll interval floor and subscription caps. */
  readonly live: LivePolicy;
  /**
   * PERSISTED_OPERATIONS_FILE's manifest, { id: document }: when set, only these operations run.
   * undefined: any document is accepted.
   */
  readonly persistedOperations: ReadonlyMap<string, string> | undefined;
  /** Automatic persisted queries (APQ_*); undefined: off (APQ_MAX_BYTES=0, or a persisted-operations manifest). */
  readonly apq: AutomaticPersistedQueriesPolicy | undefined;
  /** On SIGTERM, how long in-flight requests may take before their sockets are closed. */
  readonly shutdownGraceMs: number;
  readonly graphiql: boolean;
  readonly introspection: boolean;
  /** Serve Prometheus metrics at /metrics (no GraphQL credential needed). */
  readonly metricsEnabled: boolean;
  /** OpenTelemetry traces (OTEL_* variables): off unless an OTLP destination is named. */
  readonly tracing: TracingConfig;
  /** Browser origins allowed to call the gateway: '*' for any, or an exact list (empty: none). */
  readonly corsOrigins: CorsOrigins;
  readonly logLevel: LogLevel;
  /** The MCP server: /mcp with MCP_ENABLED=true, and `npm run mcp` over stdio (docs/mcp.md). */
  readonly mcp: McpPolicy;
}

/** Every variable the gateway reads, for checks that the documentation names them all. */
export const VARIABLES: readonly Variable<unknown>[] = Object.freeze([
  ...BRAZE_VARIABLES,
  ...Object.values<Variable<unknown>>(UPSTREAM_VARIABLES),
  ...Object.values<Variable<unknown>>(RESERVE_VARIABLES),
  ...Object.values<Variable<unknown>>(CACHE_VARIABLES),
  ...Object.values<Variable<unknown>>(RESPONSE_CACHE_VARIABLES),
  ...Object.values<Variable<unknown>>(AUTH_VARIABLES),
  ...Object.values<Variable<unknown>>(QUERY_LIMIT_VARIABLES),
  ...Object.values<Variable<unknown>>(DOCUMENT_CACHE_VARIABLES),
  PERSISTED_OPERATIONS_FILE,
  ...Object.values<Variable<unknown>>(APQ_VARIABLES),
  METRICS_ENABLED,
  ...Object.values<Variable<unknown>>(TRACING_VARIABLES),
  SHUTDOWN_GRACE_MS,
  PORT,
  HOST,
  ...Object.values<Variable<unknown>>(SERVER_VARIABLES),
  ...Object.values<Variable<unknown>>(LIVE_VARIABLES),
  GRAPHIQL_ENABLED,
  INTROSPECTION_ENABLED,
  CORS_ORIGINS,
  LOG_LEVEL,
  ...Object.values<Variable<unknown>>(MCP_VARIABLES),
]);

/** Every variable that was wrong, so an operator fixes them all in one go. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads the environment once. Throws ConfigError naming every bad variable. The order of the reads is
 * the order of the problems an operator sees.
 */
export function loadConfig(env: Env, host: HostFacts = { descriptorLimit: readDescriptorLimit() }): Config {
  const vars = new VariableReader(env);
  const braze = readBraze(vars);
  const auth = readAuth(vars, braze?.mode);
  const port = vars.read(PORT);
  const upstream = readUpstream(vars);
  const limits = readQueryLimits(vars);
  const documentCache = readDocumentCache(vars);
  const server = readServerLimits(vars, upstream, host);
  const live = readLive(vars, server);
  const persistedOperations = vars.read(PERSISTED_OPERATIONS_FILE);
  const apq = readApq(vars, persistedOperations);
  const graphiql = vars.read(GRAPHIQL_ENABLED, GRAPHIQL_ENABLED.default && persistedOperations === undefined);
  checkUpstream(vars, upstream);
  const cache = readCache(vars);
  const responseCache = readResponseCache(vars, cache);
  const shutdownGraceMs = vars.read(SHUTDOWN_GRACE_MS);
  const introspection = vars.read(INTROSPECTION_ENABLED);
  const metricsEnabled = vars.read(METRICS_ENABLED);
  const tracing = readTracing(vars);
  const corsOrigins = readCorsOrigins(vars, braze?.mode);
  const logLevel = vars.read(LOG_LEVEL);
  const mcp = readMcp(vars, persistedOperations);

  if (vars.problems.length > 0 || braze === undefined) throw new ConfigError(vars.problems);
  return Object.freeze({
    braze: Object.freeze(braze),
    cache,
    responseCache,
    auth,
    port,
    host: vars.read(HOST),
    upstream,
    limits,
    documentCache,
    server,
    live,
    persistedOperations,
    apq,
    shutdownGraceMs,
    graphiql,
    introspection,
    metricsEnabled,
    tracing,
    corsOrigins,
    logLevel,
    mcp,
  });
}
