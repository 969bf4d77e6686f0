import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { authRequired, ConfigError, loadConfig, type Config } from './config/index.js';
import { createLogger } from './observability/logger.js';
import { FRAGMENT_LENGTH } from './observability/redact.js';
import { createGatewayCore } from './gatewayCore.js';
import { schema } from './schema/index.js';
import { SessionBudget } from './mcp/budget.js';
import { createMcpServer } from './mcp/server.js';
import { createTools, gatewayVersion } from './mcp/tools.js';

// `npm run --silent mcp`: the MCP server over stdio for a desktop assistant, reading the same
// environment as the gateway. stdout carries JSON-RPC and nothing else; every log line goes to stderr.

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

let loaded: Config;
try {
  loaded = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  fail(error.message);
}
// The gateway's core only: no HTTP listener, no /mcp, no port open (nothing but stdin and stdout
// is this process's interface; in demo mode the simulated Braze listens on loopback, as it always does).
const config: Config = { ...loaded, mcp: { ...loaded.mcp, enabled: false } };
if (config.persistedOperations !== undefined) {
  fail('MCP over stdio cannot work with PERSISTED_OPERATIONS_FILE (its tools send their own documents, which only the manifest may): unset it for this process');
}
// The same credential check as /graphql: with one configured, the session presents MCP_STDIO_TOKEN to it.
if (authRequired(config.auth) && config.mcp.stdioToken === undefined) {
  fail('This gateway checks credentials (AUTH_*): set MCP_STDIO_TOKEN to the bearer token the stdio session presents');
}

const logger = createLogger({
  level: config.logLevel,
  // As src/main.ts: nothing logs these, and if something ever did, the line is redacted.
  secrets: [
    ...(config.braze.mode === 'live' ? [config.braze.apiKey] : []),
    ...config.auth.tokens,
    ...(config.mcp.stdioToken !== undefined ? [config.mcp.stdioToken] : []),
    ...(config.auth.jwt && 'secret' in config.auth.jwt.key ? [config.auth.jwt.key.secret] : []),
    ...(config.tracing.enabled ? Object.values(config.tracing.headers).filter((value) => value.length >= FRAGMENT_LENGTH) : []),
  ],
});

let tools;
try {
  tools = createTools(schema, config.mcp, config);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
const gateway = await createGatewayCore(config, logger).catch((error: unknown) => {
  logger.error('could not start', error instanceof Error ? error : { reason: String(error) });
  process.exit(1);
});
const authorization = config.mcp.stdioToken !== undefined ? `Bearer ${config.mcp.stdioToken}` : undefined;
const server = createMcpServer({
  tools,
  fetchGraphQL: gateway.fetchGraphQL,
  // One session: the process's life.
  budget: new SessionBudget(config.mcp.sessionBudget),
  authorizationOf: () => authorization,
  version: gatewayVersion(),
});
const transport = new StdioServerTransport();

let stopping = false;
const stop = (why: string): void => {
  if (stopping) return;
  stopping = true;
  logger.info(`mcp stdio: ${why}; closing`);
  void server
    .close()
    .then(() => gateway.close())
    .then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('shutdown failed', error instanceof Error ? error : { reason: String(error) });
        process.exit(1);
      },
    );
};
// The client closing stdin ends the session (the MCP stdio transport's shutdown), as do the signals.
process.stdin.once('end', () => stop('stdin closed'));
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => stop(`${signal} received`));

await server.connect(transport);
logger.info(`mcp stdio: serving ${tools.length} tools`);
