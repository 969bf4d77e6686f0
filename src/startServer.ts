import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config/index.js';
import { createGatewayCore } from './gatewayCore.js';
import { guardConnections, httpServerOptions } from './server/connections.js';
import { attachGraphQLWebSocket, type GraphQLWebSocketServer } from './websocket/graphqlOverWebSocket.js';
import { withErrorBoundary } from './server/errorBoundary.js';
import { GRAPHQL_ENDPOINT, SERVED_PATHS } from './yoga.js';
import type { Logger } from './observability/logger.js';
import type { LiveSeries } from './live/liveSeries.js';
import { withRequestId } from './observability/requestId.js';
import { onlyServedPaths } from './server/servedPaths.js';
import type { McpHttpEndpoint } from './mcp/httpEndpoint.js';
import { schema } from './schema/index.js';

/** The MCP modules and the SDK under them (about 200 ms of imports), loaded only with MCP_ENABLED=true. */
type McpModules = typeof import('./mcp/httpEndpoint.js') & typeof import('./mcp/tools.js');

async function mcpModules(enabled: boolean): Promise<McpModules | undefined> {
  if (!enabled) return undefined;
  const [http, tools] = await Promise.all([import('./mcp/httpEndpoint.js'), import('./mcp/tools.js')]);
  return { ...http, ...tools };
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

/** Puts a listener in front of the gateway's core (src/gatewayCore.ts): HTTP, GraphQL over WebSocket, and /mcp when MCP_ENABLED=true. */
export async function startServer(config: Config, logger: Logger): Promise<RunningGateway> {
  // First: an operation file that cannot be a tool stops the start before anything is opened.
  const mcpKit = await mcpModules(config.mcp.enabled);
  const mcpTools = mcpKit?.createTools(schema, config.mcp, config);
  const core = await createGatewayCore(config, logger);
  const { yoga, fetchGraphQL, live, metrics, authenticate, callers, sharedSessions } = core;
  // MCP_ENABLED=true: /mcp beside /graphql, each tool call through this yoga as its caller (src/mcp/).
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
    await core.close();
    throw error;
  }

  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? (address.address === '::' ? 'localhost' : `[${address.address}]`) : address.address === '0.0.0.0' ? 'localhost' : address.address;
  const url = new URL(`http://${host}:${address.port}${GRAPHQL_ENDPOINT}`);

  if (core.simulated) {
    logger.warn('No BRAZE_API_KEY is set: serving the built-in SIMULATED Braze. Numbers are made up.');
  }
  if (config.auth.disabled) {
    logger.warn('AUTH_DISABLED=true: GraphQL requests need no credential; anyone who reaches this port can spend the Braze rate limit');
  }
  const upstream = core.simulated ? 'simulated Braze' : core.upstream.origin;
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
      await core.close();
    })();
    return closing;
  };

  return { url, server, simulated: core.simulated, live, websockets, mcp, fetchGraphQL, close };
}
