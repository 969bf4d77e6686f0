import type { GraphQLError } from 'graphql';
import { createYoga, maskError, type YogaServerInstance } from 'graphql-yoga';
import { createAuthenticator, type Authenticate } from './auth/authenticator.js';
import { createCallers, type Callers } from './auth/callers.js';
import type { BrazeClient } from './braze/client.js';
import type { RedisStatus } from './redis/health.js';
import { authRequired, type Config } from './config/index.js';
import type { DataService } from './data/service.js';
import { createContext, createPollScope, type GatewayContext } from './schema/context.js';
import { createDocumentCache, useForgetInvalidDocuments } from './yoga/documentCache.js';
import { findGatewayError } from './errors/gatewayErrors.js';
import { toGraphQLError } from './plugins/graphqlErrors.js';
import { BUILT_GRAPHIQL } from './graphiqlSite/manifest.js';
import { createGraphiQLSite } from './graphiqlSite/page.js';
import type { Logger } from './observability/logger.js';
import type { GatewayMetrics } from './observability/metrics.js';
import { createUnknownKeysReporter } from './observability/unknownKeys.js';
import { useAcceptableAnswers } from './plugins/useAcceptableAnswers.js';
import { useAutomaticPersistedQueries, useNoAutomaticPersistedQueries } from './plugins/useAutomaticPersistedQueries.js';
import { useAuth } from './plugins/useAuth.js';
import { useBrazeCacheExtension } from './plugins/useBrazeCacheExtension.js';
import { rateLimitExtension, useBrazeRateLimitExtension } from './plugins/useBrazeRateLimitExtension.js';
import { useCorsPolicy } from './plugins/useCorsPolicy.js';
import { useCompression } from './plugins/useCompression.js';
import { useCsrfPrevention } from './plugins/useCsrfPrevention.js';
import { useGraphiQLAssets } from './plugins/useGraphiQLAssets.js';
import { useDisableIntrospection } from './plugins/useDisableIntrospection.js';
import { useIncrementalDelivery } from './plugins/useIncrementalDelivery.js';
import { useMaskedIncrementalErrors } from './plugins/useMaskedIncrementalErrors.js';
import { useMetrics } from './plugins/useMetrics.js';
import { PERSISTED_OPERATION_PARAMS, usePersistedOperationsOnly } from './plugins/usePersistedOperationsOnly.js';
import { useQueryLimits } from './plugins/useQueryLimits.js';
import { useRequestBodyLimit } from './plugins/useRequestBodyLimit.js';
import { useNoOriginalErrors } from './plugins/useNoOriginalErrors.js';
import { useServiceRoutes } from './plugins/useServiceRoutes.js';
import { useSseStreamCap } from './plugins/useSseStreamCap.js';
import { useSubscriptionsOverSse } from './plugins/useSubscriptionsOverSse.js';
import { useTracing } from './plugins/useTracing.js';
import { traceResolvers } from './observability/tracing/resolvers.js';
import type { Tracing } from './observability/tracing/tracing.js';
import { useUnsendableResults } from './plugins/useUnsendableResults.js';
import { useWholeResponseCache } from './plugins/useWholeResponseCache.js';
import type { LiveContext } from './schema/context.js';
import { LiveSeries } from './live/liveSeries.js';
import { schema } from './schema/index.js';
import { isWebSocketOperation } from './server/websocketOperations.js';

export const GRAPHQL_ENDPOINT = '/graphql';

/** Every path the gateway answers (src/server/servedPaths.ts refuses the rest before yoga sees them). */
export const SERVED_PATHS: ReadonlySet<string> = new Set([GRAPHQL_ENDPOINT, '/', '/health', '/healthz', '/ready', '/metrics']);

/**
 * Yoga always installs its own health check, matched with `url.endsWith(endpoint)`, so
 * `/graphql?x=/healthz` would be answered as a health check. No request URL can end with a raw space
 * (URLs arrive percent-encoded), so this one never matches; `/healthz` is served by useServiceRoutes.
 */
const UNMATCHABLE_PATH = '/ never';

export interface GatewayDeps {
  readonly client: BrazeClient;
  /** Cache, in-flight sharing and the client, behind every request's loader. */
  readonly data: DataService;
  readonly logger: Logger;
  /** True when `client` talks to the built-in simulator: GraphiQL says so. */
  readonly simulated: boolean;
  /** This gateway's metrics (also `client`'s observer); none: no /metrics and nothing counted. */
  readonly metrics?: GatewayMetrics | undefined;
  /** The process's live series (one poll per series); made here when not given, then nothing closes it at shutdown. */
  readonly live?: LiveSeries | undefined;
  /** A started OpenTelemetry SDK (src/observability/tracing/sdk.ts); none: tracing off, nothing traced. */
  readonly tracing?: Tracing | undefined;
  /** With REDIS_URL: whether the cache, single flight and shared state can use Redis, for `/health`. */
  readonly redisStatus?: (() => RedisStatus) | undefined;
  /** The credential check and caller identities, when another transport (WebSocket) shares them; made here when not given. */
  readonly authenticate?: Authenticate | undefined;
  readonly callers?: Callers | undefined;
}

export type Gateway = YogaServerInstance<Record<string, never>, GatewayContext>;

/** The GraphQL server, without a listener: tests build one per case. */
export function createGatewayYoga(config: Config, deps: GatewayDeps): Gateway {
  // loadConfig already refuses this; a second check where the auth plugin is chosen keeps any other
  // way of building a Config (tests, embedding) from serving a real key to anonymous callers.
  if (config.braze.mode === 'live' && !config.auth.disabled && !authRequired(config.auth)) {
    throw new Error('A real Braze key needs a credential check: configure AUTH_TOKENS, AUTH_JWKS_URL or AUTH_JWT_SECRET, or AUTH_DISABLED=true');
  }
  const documents =
    config.documentCache.maxBytes > 0 ? createDocumentCache({ ...config.documentCache, observer: deps.metrics }) : undefined;
  if (documents) deps.metrics?.watchDocumentCache(() => documents.bytes);
  const needsCredential = authRequired(config.auth);
  // One caller identity, from the credential the check accepted, for everything keyed on a caller.
  const callers = needsCredential ? (deps.callers ?? createCallers()) : undefined;
  const live: LiveContext = {
    series: deps.live ?? new LiveSeries({ policy: config.live, logger: deps.logger }),
    callerOf: callers ? (request) => callers.keyOf(request) : undefined,
    ttl: config.cache,
    poll: (instant, signal) =>
      createPollScope(deps.data, instant, signal, {
        maxCallsPerRequest: config.upstream.maxCallsPerRequest,
        seriesMaxLength: config.upstream.seriesMaxLength,
        reportUnknownKeys,
      }),
  };
  // One per gateway: its debug lines are rate-limited per endpoint across requests and polls.
  const reportUnknownKeys = createUnknownKeysReporter({ metrics: deps.metrics, logger: deps.logger });
  const logging = quietExpectedErrors(deps.logger);
  const { tracing } = deps;
  if (tracing) traceResolvers(schema);
  const graphiql = createGraphiQLSite(deps.logger, undefined, BUILT_GRAPHIQL);
  return createYoga<Record<string, never>, GatewayContext>({
    schema,
    // Yoga's default keeps 1,024 parsed documents whatever their size: bounded in bytes instead.
    parserAndValidationCache: documents ? { documentCache: documents.documentCache, errorCache: documents.errorCache } : false,
    graphqlEndpoint: GRAPHQL_ENDPOINT,
    landingPage: false,
    healthCheckEndpoint: UNMATCHABLE_PATH,
    logging,
    context: ({ request }) =>
      createContext(deps.client, deps.data, {
        signal: request.signal,
        maxCallsPerRequest: config.upstream.maxCallsPerRequest,
        seriesMaxLength: config.upstream.seriesMaxLength,
        bypassCache: wantsFreshData(request),
        requestTimeGranularityMs: config.cache.requestTimeGranularityMs,
        live,
        trace: tracing?.startRequest(request.headers),
        reportUnknownKeys,
      }),
    maskedErrors: {
      // Never attach original errors to responses, whatever NODE_ENV says: they may carry internals.
      isDev: false,
      maskError: maskGatewayError,
    },
    graphiql: config.graphiql
      ? {
          title: deps.simulated ? 'braze-analytics-gateway (simulated Braze)' : 'braze-analytics-gateway',
          defaultQuery: exampleQuery(deps.simulated, authRequired(config.auth)),
        }
      : false,
    renderGraphiQL: graphiql.render,
    // useRequestBodyLimit below enforces MAX_REQUEST_BODY_BYTES at a fraction of the cost.
    maxRequestBodySize: false,
    ...(config.persistedOperations ? { extraParamNames: PERSISTED_OPERATION_PARAMS } : {}),
    // useCorsPolicy below replaces yoga's default, which allows every origin with credentials.
    cors: false,
    plugins: [
      // First, so that the operation span covers what every other plugin does during execution.
      ...(tracing ? [useTracing()] : []),
      // Before the plugins that count or rewrite results, so they see what it makes of an unsendable one.
      useUnsendableResults(),
      // Counts every GraphQL request, so it goes before the hooks below that may refuse one.
      ...(deps.metrics ? [useMetrics({ metrics: deps.metrics })] : []),
      // First of the refusing onRequestParse hooks: an anonymous request is told 401 before anything else.
      ...(needsCredential ? [useAuth({ authenticate: deps.authenticate ?? createAuthenticator(config.auth), logger: deps.logger, callers })] : []),
      useCsrfPrevention(),
      useRequestBodyLimit({ maxBytes: config.limits.maxRequestBodyBytes }),
      useCorsPolicy({ origins: config.corsOrigins }),
      useNoOriginalErrors(),
      useServiceRoutes({
        graphqlEndpoint: GRAPHQL_ENDPOINT,
        brazeMode: deps.simulated ? 'simulated' : 'live',
        upstreamStatus: () => deps.client.status(),
        redisStatus: deps.redisStatus,
      }),
      ...(config.graphiql ? [useGraphiQLAssets({ site: graphiql, graphqlEndpoint: GRAPHQL_ENDPOINT })] : []),
      useBrazeRateLimitExtension({ buckets: () => deps.client.status().buckets }),
      useBrazeCacheExtension(),
      ...(config.introspection ? [] : [useDisableIntrospection()]),
      ...(config.persistedOperations
        ? [usePersistedOperationsOnly({ operations: config.persistedOperations })]
        : config.apq
          ? useAutomaticPersistedQueries(config.apq, deps.metrics)
          : [useNoAutomaticPersistedQueries()]),
      // After persisted operations (a hit must not skip their check) and after the extension plugins
      // above (their extensions are on the result it stores, and it rewrites them on a hit).
      ...(config.responseCache.enabled
        ? [
            useWholeResponseCache({
              maxEntries: config.responseCache.maxEntries,
              maxBytes: config.responseCache.maxBytes,
              // The longest any answer stays fresh: a response that loaded no answer is kept no longer.
              maxTtlMs: Math.max(config.cache.liveTtlMs, config.cache.pastTtlMs, config.cache.settledTtlMs),
              // With a credential check, the caller it accepted; without one, every caller is the same
              // anonymous one (what they may see cannot differ).
              callerOf: callers ? (request) => callers.keyOf(request) : () => 'anonymous',
              bypass: wantsFreshData,
              rateLimit: () => rateLimitExtension(deps.client.status().buckets),
              onHit: (answers) => {
                if (answers > 0) deps.metrics?.saved('response-cache', answers);
              },
            }),
          ]
        : []),
      ...useQueryLimits({ limits: config.limits, blockFieldSuggestions: !config.introspection }),
      // A document that failed validation is not kept: its cached errors would cost three times it.
      ...(documents ? [useForgetInvalidDocuments(documents)] : []),
      ...useIncrementalDelivery(),
      useSubscriptionsOverSse({ streamedElsewhere: isWebSocketOperation }),
      useSseStreamCap({ maxStreams: config.live.maxSseStreams }),
      useAcceptableAnswers(),
      useMaskedIncrementalErrors({ maskError: maskGatewayError, onMasked: (error) => logging.error(error) }),
      // Last: its onResponse sees every header the others set.
      useCompression(),
    ],
  });
}

/** What a client sees of an error: a GatewayError with its code, anything else as `Unexpected error.`. */
function maskGatewayError(error: unknown, message: string): Error {
  const gatewayError = findGatewayError(error);
  if (gatewayError) return toGraphQLError(gatewayError, isLocated(error) ? error : undefined);
  return maskError(error, message, false);
}

/** `Cache-Control: no-cache` (or `no-store`) on the request: skip the cross-request cache for it. */
function wantsFreshData(request: Request): boolean {
  return /\bno-(cache|store)\b/i.test(request.headers.get('cache-control') ?? '');
}

/** A GraphQLError from any copy of graphql: it knows where in the document it happened. */
function isLocated(error: unknown): error is GraphQLError {
  return error instanceof Error && 'path' in error && 'locations' in error;
}

/**
 * Yoga logs every error it masks or rewrites at error level, with a stack. Expected failures (bad
 * input, Braze errors) are not faults of the gateway, and the Braze client already logs upstream ones,
 * so they go to debug; anything else stays an error.
 */
function quietExpectedErrors(logger: Logger): Logger {
  return {
    ...logger,
    error: (message, ...rest) =>
      findGatewayError(message) ? logger.debug('expected error', { reason: String((message as Error).message) }) : logger.error(message, ...rest),
  };
}

function exampleQuery(simulated: boolean, needsCredential: boolean): string {
  const banner = simulated
    ? [
        '# Demo mode: no BRAZE_API_KEY is set, so answers',
        '# come from the built-in SIMULATED Braze: the numbers',
        '# are made up (deterministic, daily and weekly rhythm).',
      ]
    : ['# Answers come from Braze: each distinct series costs', "# one call from the workspace's shared rate limit."];
  const credential = needsCredential
    ? ['# Put your credential in the Headers tab below:', '# {"authorization": "Bearer <token or JWT>"}']
    : [];
  return [
    ...banner,
    ...credential,
    '# Press the run button: 7 days of an event, of daily',
    '# active users and of sessions; segments to pick from.',
    'query LastWeek {',
    '  eventSeries(event: "purchase", length: 7, unit: DAY) {',
    '    event',
    '    unit',
    '    endingAt',
    '    total',
    '    points {',
    '      time',
    '      count',
    '    }',
    '  }',
    '  dau: kpiSeries(kpi: DAILY_ACTIVE_USERS, length: 7) {',
    '    total',
    '    points { date value }',
    '  }',
    '  sessions: sessionSeries(length: 7) { total }',
    '  segments(first: 3) { nodes { id name } }',
    '}',
    '',
  ].join('\n');
}
