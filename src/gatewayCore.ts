import { BrazeClient, createBrazeDispatcher } from './braze/client.js';
import type { SharedUpstreamState } from './braze/sharedStore.js';
import { createMemoryCache } from './cache/memoryCache.js';
import type { RedisStatus } from './redis/health.js';
import type { CachePolicy, Config, UpstreamPolicy } from './config/index.js';
import type { AnswerCache } from './data/cache.js';
import type { SharedFlight } from './data/sharedFlight.js';
import { DataService } from './data/service.js';
import { createAuthenticator, type Authenticate } from './auth/authenticator.js';
import { createCallers, type Callers } from './auth/callers.js';
import { authRequired } from './config/index.js';
import { createGatewayYoga, type Gateway } from './yoga.js';
import type { Logger } from './observability/logger.js';
import { LiveSeries } from './live/liveSeries.js';
import { GatewayMetrics } from './observability/metrics.js';
import { startSimulatedBraze } from './simulator/server.js';
import type { Tracing } from './observability/tracing/tracing.js';
import type { RedisSessions } from './mcp/redisSessions.js';

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

/** MCP sessions every replica can answer: kept in Redis when MCP is on and REDIS_URL is set. */
async function createSharedSessions(config: Config, logger: Logger): Promise<RedisSessions | undefined> {
  if (!config.mcp.enabled || !config.cache.redisUrl) return undefined;
  const { RedisSessions } = await import('./mcp/redisSessions.js');
  const { maxSessions, maxSessionsPerCaller, sessionIdleMs: idleMs } = config.mcp;
  return new RedisSessions({ url: config.cache.redisUrl, keyPrefix: config.cache.redisKeyPrefix, logger, maxSessions, maxSessionsPerCaller, idleMs });
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

/**
 * The gateway without a listener: Braze (or the simulator), the data path, caches and Redis, live
 * series, the credential check and yoga. startServer puts HTTP, WebSocket and /mcp in front of it;
 * the stdio MCP server (src/mcpStdio.ts) calls its yoga in process and opens no port.
 */
export interface GatewayCore {
  readonly yoga: Gateway;
  /** The yoga's fetch, in process. */
  readonly fetchGraphQL: (request: Request) => Promise<Response>;
  readonly live: LiveSeries;
  readonly metrics: GatewayMetrics | undefined;
  readonly authenticate: Authenticate | undefined;
  readonly callers: Callers | undefined;
  /** MCP sessions kept in Redis (MCP_ENABLED with REDIS_URL), for /mcp. */
  readonly sharedSessions: RedisSessions | undefined;
  readonly simulated: boolean;
  /** Where Braze is: the simulator, or the live endpoint. */
  readonly upstream: URL;
  /** Releases everything after the requests have ended: yoga, traces (flushed), caches, Redis, the upstream pool, the simulator. */
  close(): Promise<void>;
}

export async function createGatewayCore(config: Config, logger: Logger): Promise<GatewayCore> {
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
  const redisStatus = config.cache.redisUrl
    ? (): RedisStatus => ({
        ...data.sharedStoreStatus(),
        ...(shared ? { sharedState: shared.status() } : {}),
        ...(sharedSessions ? { mcpSessions: sharedSessions.status() } : {}),
      })
    : undefined;
  // One credential check and one caller identity for both transports: the per-client live cap counts a
  // credential's SSE and WebSocket subscriptions together.
  const authenticate = authRequired(config.auth) ? createAuthenticator(config.auth) : undefined;
  const callers = authenticate ? createCallers() : undefined;
  const yoga = createGatewayYoga(config, { client, data, logger, simulated: simulator !== undefined, metrics, live, tracing, redisStatus, authenticate, callers });
  const fetchGraphQL = (request: Request): Promise<Response> => Promise.resolve(yoga.fetch(request));
  return {
    yoga,
    fetchGraphQL,
    live,
    metrics,
    authenticate,
    callers,
    sharedSessions,
    simulated: simulator !== undefined,
    upstream: target.endpoint,
    async close() {
      live.close();
      await sharedSessions?.disconnect();
      await yoga.dispose();
      // Every request has finished: its spans are ended, and go to the collector before the process does.
      await tracing?.shutdown();
      await data.close();
      await shared?.close();
      await dispatcher.close();
      await simulator?.close();
    },
  };
}
