import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BrazeClient, createBrazeDispatcher } from './braze/client.js';
import type { SharedUpstreamState } from './braze/sharedStore.js';
import { createMemoryCache } from './cache/memoryCache.js';
import type { RedisStatus } from './redis/health.js';
import type { CachePolicy, Config, UpstreamPolicy } from './config/index.js';
import type { AnswerCache } from './data/cache.js';
import type { SharedFlight } from './data/sharedFlight.js';
import { DataService } from './data/service.js';
import { createAuthenticator } from './auth/authenticator.js';
import { createCallers } from './auth/callers.js';
import { authRequired } from './config/index.js';
import { guardConnections, httpServerOptions } from './server/connections.js';
import { attachGraphQLWebSocket, type GraphQLWebSocketServer } from './websocket/graphqlOverWebSocket.js';
import { withErrorBoundary } from './server/errorBoundary.js';
import { createGatewayYoga, GRAPHQL_ENDPOINT, SERVED_PATHS } from './yoga.js';
import type { Logger } from './observability/logger.js';
import { LiveSeries } from './live/liveSeries.js';
import { GatewayMetrics } from './observability/metrics.js';
import { withRequestId } from './observability/requestId.js';
import { startSimulatedBraze } from './simulator/server.js';
import { onlyServedPaths } from './server/servedPaths.js';
import type { Tracing } from './observability/tracing/tracing.js';
import type { McpHttpEndpoint } from './mcp/httpEndpoint.js';
import type { RedisSessions } from './mcp/redisSessions.js';
import { schema } from './schema/index.js';

const CACHE_CONNECT_WAIT_MS = 2_000;

/**
 * The modules of what uses Redis (and ioredis under them), loaded only when REDIS_URL is set: without
 * it they would cost every start their imports (ioredis alone about 50 ms), for nothing.
 */
type RedisModules = typeof import('./cache/redisCache.js') & typeof import('./cache/redisFlight.js') & typeof import('./braze/sharedStore.js');

async function redisModules(policy: CachePolicy): Promise<RedisModules | undefined> {
  if (!policy.redisUrl) return undefined;
  const [cache, flight, shared] = await Promise.all([import('./cache/redisCache.js'), import('./cache/redisFlight.js'), import('./braze/sharedStore.js')]);
  return { ...cache, ...flight, ...shared };
}

/** The MCP modules and the SDK under them (about 200 ms of imports), loaded only with MCP_ENABLED=true. */
type McpModules = typeof import('./mcp/httpEndpoint.js') & typeof import('./mcp/tools.js');

/** MCP sessions every replica can answer: kept in Redis when MCP is on and REDIS_URL is set. */
async function createSharedSessions(config: Config, logger: Logger): Promise<RedisSessions | undefined> {
  if (!config.mcp.enabled || !config.cache.redisUrl) return undefined;
  const { RedisSessions } = await import('./mcp/redisSessions.js');
  const { maxSessions, sessionIdleMs: idleMs } = config.mcp;
  return new RedisSessions({ url: config.cache.redisUrl, keyPrefix: config.cache.redisKeyPrefix, logger, maxSessions, idleMs });
}

async function mcpModules(enabled: boolean): Promise<McpModules | undefined> {
  if (!enabled) return undefined;
  const [http, tools] = await Promise.all([import('./mcp/httpEndpoint.js'), import('./mcp/tools.js')]);
  return { ...http, ...tools };
}

/** The cross-request cache the configuration asks for, if any. The Redis URL is never logged (it may hold a password). */
function createCache(policy: CachePolicy, logger: Logger, redis: RedisModules | undefined): AnswerCache | undefined {
  if (!policy.enabled) return undefined;
  if (policy.redisUrl && redis) return redis.createRedisCache({ url: policy.redisUrl, keyPrefix: policy.redisKeyPrefix, logger });
  return createMemoryCache({ maxEntries: policy.maxEntries, maxBytes: policy.maxBytes });
}

/** The rate-limit buckets and breaker shared through Redis, when REDIS_URL is set and BRAZE_SHARED_STATE is not off. */
function createSharedState(config: Config, logger: Logger, redis: RedisModules | undefined): SharedUpstreamState | undefined {
  const { redisUrl, redisKeyPrefix } = config.cache;
  if (!redisUrl || !redis || !config.upstream.sharedState) return undefined;
  return new redis.SharedUpstreamState({
    url: redisUrl,
    keyPrefix: redisKeyPrefix,
    logger,
    buckets: Object.keys(config.upstream.reserves),
    refreshMs: config.upstream.sharedRefreshMs,
    probeWindowMs: config.upstream.timeoutMs,
  });
}

/** Single flight across replicas: only with the cache in Redis, where the answers are shared. */
function createFlight(policy: CachePolicy, upstream: UpstreamPolicy, logger: Logger, redis: RedisModules | undefined): SharedFlight | undefined {
  if (!policy.enabled || !policy.redisUrl || !redis || !policy.redisSingleFlight) return undefined;
  return redis.createRedisFlight({ url: policy.redisUrl, keyPrefix: policy.redisKeyPrefix, logger, lockTtlMs: redis.lockTtlFor(upstream.timeoutMs) });
}

export interface RunningGateway {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. */
  readonly url: URL;
  readonly server: Server;
  readonly simulated: boolean;
  /** The live series' polls and subscriptions (what is open, for tests and shutdown). */
  readonly live: LiveSeries;
  /** GraphQL over WebSocket on the same listener (its open sockets, for tests). */
  readonly websockets: GraphQLWebSocketServer;
  /** MCP over Streamable HTTP at /mcp (its open sessions, for tests); undefined unless MCP_ENABLED=true. */
  readonly mcp: McpHttpEndpoint | undefined;
  /** This gateway's yoga, in process (the stdio MCP server's way in: src/mcpStdio.ts). */
  readonly fetchGraphQL: (request: Request) => Promise<Response>;
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), then releases every socket. */
  close(graceMs?: number): Promise<void>;
}

/** Wires config into a listening gateway: simulator (when no key), upstream pool, yoga, HTTP server. */
export async function startServer(config: Config, logger: Logger): Promise<RunningGateway> {
  // First: an operation file that cannot be a tool stops the start before anything is opened.
  const mcpKit = await mcpModules(config.mcp.enabled);
  const mcpTools = mcpKit?.createTools(schema, config.mcp, config);
  const simulator = config.braze.mode === 'simulated' ? await startSimulatedBraze() : undefined;
  const target = simulator?.target ?? (config.braze.mode === 'live' ? config.braze : undefined);
  if (target === undefined) throw new Error('unreachable: Braze mode is neither live nor simulated');

  const dispatcher = createBrazeDispatcher(config.upstream);
  // Metrics observe the client's attempts and read its state when scraped (after `client` exists).
  const metrics: GatewayMetrics | undefined = config.metricsEnabled ? new GatewayMetrics(() => client.status()) : undefined;
  // Its own Redis connection, not the answer cache's: a slow cache value must not hold up admissions.
  const redis = await redisModules(config.cache);
  const shared = createSharedState(config, logger, redis);
  const client: BrazeClient = new BrazeClient({ ...target, dispatcher, policy: config.upstream, logger, observer: metrics, shared });
  const flight = createFlight(config.cache, config.upstream, logger, redis);
  const sharedSessions = await createSharedSessions(config, logger);
  // The patience only matters to a shared flight (DataService waits on nothing else).
  const data = new DataService(client, createCache(config.cache, logger, redis), config.cache, logger, Date.now, flight, redis?.patienceFor(config.upstream.timeoutMs));
  // A Redis that is down must not stop the gateway from starting: it serves from Braze meanwhile, and
  // each replica follows its own rate-limit view and breaker until the shared ones can be read.
  const [cacheReady, sharedReady, sessionsReady] = await Promise.all([
    data.ready(CACHE_CONNECT_WAIT_MS),
    shared?.ready(CACHE_CONNECT_WAIT_MS) ?? true,
    sharedSessions?.ready(CACHE_CONNECT_WAIT_MS) ?? true,
  ]);
  if (!cacheReady) logger.warn('cache not reachable at start; serving from Braze until it is');
  if (!sessionsReady) logger.warn('mcp sessions store not reachable at start; this replica answers only the MCP sessions it opens until it is');
  if (!sharedReady) logger.warn('shared upstream state not reachable at start; this replica follows its own rate-limit view and breaker until it is');
  const live = new LiveSeries({ policy: config.live, logger });
  metrics?.watchLive(() => live.stats());
  // The SDK's modules are loaded only when tracing is on: off, it costs nothing, not even their memory.
  const tracing: Tracing | undefined = config.tracing.enabled
    ? (await import('./observability/tracing/sdk.js')).startTracing(config.tracing, target.endpoint, logger)
    : undefined;
  // For `/health`: each part that uses Redis, whether it can (absent without REDIS_URL).
  const redisStatus = config.cache.redisUrl ? (): RedisStatus => ({
        ...data.sharedStoreStatus(),
        ...(shared ? { sharedState: shared.status() } : {}),
        ...(sharedSessions ? { mcpSessions: sharedSessions.status() } : {}),
      }) : undefined;
  // One credential check and one caller identity for both transports: the per-client live cap counts a
  // credential's SSE and WebSocket subscriptions together.
  const authenticate = authRequired(config.auth) ? createAuthenticator(config.auth) : undefined;
  const callers = authenticate ? createCallers() : undefined;
  const yoga = createGatewayYoga(config, { client, data, logger, simulated: simulator !== undefined, metrics, live, tracing, redisStatus, authenticate, callers });
  // MCP_ENABLED=true: /mcp beside /graphql, each tool call through this yoga as its caller (src/mcp/).
  const fetchGraphQL = (request: Request): Promise<Response> => Promise.resolve(yoga.fetch(request));
  const mcp: McpHttpEndpoint | undefined =
    mcpKit && mcpTools
      ? mcpKit.createMcpHttpEndpoint({
          policy: config.mcp,
          tools: mcpTools,
          fetchGraphQL,
          authenticate,
          corsOrigins: config.corsOrigins,
          maxBodyBytes: config.limits.maxRequestBodyBytes,
          logger,
          version: mcpKit.gatewayVersion(),
          ...(sharedSessions ? { shared: sharedSessions } : {}),
          ...(metrics ? { observer: metrics } : {}),
        })
      : undefined;
  if (mcp) metrics?.watchMcp(() => mcp.openSessions());
  const gatewayListener = withErrorBoundary(yoga, logger);
  const paths = mcpKit ? new Set([...SERVED_PATHS, mcpKit.MCP_ENDPOINT]) : SERVED_PATHS;
  const listener = mcpKit ? mcpKit.withMcpRoute(mcp, gatewayListener) : gatewayListener;
  const server = createServer(httpServerOptions(config.server), withRequestId(onlyServedPaths(paths, listener)));
  guardConnections(server, config.server);
  const websockets = attachGraphQLWebSocket(server, {
    yoga,
    path: GRAPHQL_ENDPOINT,
    limits: config.live,
    maxMessageBytes: config.limits.maxRequestBodyBytes,
    corsOrigins: config.corsOrigins,
    authenticate,
    callers,
    logger,
    metrics,
  });
  let draining = false;
  server.on('request', (_request, response) => {
    // While draining, a keep-alive socket must not outlive its last response: close it once idle.
    response.once('finish', () => {
      if (draining) setImmediate(() => server.closeIdleConnections());
    });
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await mcp?.close();
    await tracing?.shutdown();
    await shared?.close();
    await data.close();
    await dispatcher.close();
    await simulator?.close();
    throw error;
  }

  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? (address.address === '::' ? 'localhost' : `[${address.address}]`) : address.address === '0.0.0.0' ? 'localhost' : address.address;
  const url = new URL(`http://${host}:${address.port}${GRAPHQL_ENDPOINT}`);

  if (simulator) {
    logger.warn('No BRAZE_API_KEY is set: serving the built-in SIMULATED Braze. Numbers are made up.');
  }
  if (config.auth.disabled) {
    logger.warn('AUTH_DISABLED=true: GraphQL requests need no credential; anyone who reaches this port can spend the Braze rate limit');
  }
  const upstream = simulator ? 'simulated Braze' : target.endpoint.origin;
  const cache = !config.cache.enabled ? 'off' : config.cache.redisUrl ? 'redis' : 'memory';
  logger.info(`braze-analytics-gateway listening on ${url.href} (upstream: ${upstream}, cache: ${cache})`);
  logger.info(`client connections: at most ${config.server.maxConnections}`, { ...config.server });

  let closing: Promise<void> | undefined;
  const close = (graceMs = config.shutdownGraceMs): Promise<void> => {
    closing ??= (async () => {
      draining = true;
      // Live streams never finish on their own: ended first (SSE streams end, WebSocket subscriptions
      // get `complete`), so their connections drain like the rest; then every WebSocket is closed with
      // 1001 (going away), which graphql-ws clients take as "reconnect elsewhere".
      live.close();
      await mcp?.close();
      const socketsClosed = websockets.close();
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      await Promise.all([drained, socketsClosed]);
      clearTimeout(timer);
      await yoga.dispose();
      // Every request has finished: its spans are ended, and go to the collector before the process does.
      await tracing?.shutdown();
      await data.close();
      await shared?.close();
      await dispatcher.close();
      await simulator?.close();
    })();
    return closing;
  };

  return { url, server, simulated: simulator !== undefined, live, websockets, mcp, fetchGraphQL, close };
}
