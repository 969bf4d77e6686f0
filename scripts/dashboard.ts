/**
 * `npm run dashboard`: the example dashboard (examples/dashboard) against a local gateway in demo mode,
 * with one command. Starts the gateway (simulated Braze, no credential needed) on GATEWAY_PORT (4000),
 * allowing the dashboard's origin in CORS (its queries, and its live panels' WebSocket, whose Origin is
 * checked against the same list), then Vite's dev server on DASHBOARD_PORT (5173) pointed at it.
 * Ctrl-C stops both.
 */
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import { ConfigError, loadConfig } from '../src/config/index.js';
import { createLogger } from '../src/observability/logger.js';
import { startServer } from '../src/startServer.js';

const gatewayPort = process.env['GATEWAY_PORT'] ?? '4000';
const dashboardPort = Number(process.env['DASHBOARD_PORT'] ?? '5173');
const dashboardOrigins = [`http://localhost:${dashboardPort}`, `http://127.0.0.1:${dashboardPort}`];

// Demo mode whatever the shell has set: this command never talks to a real Braze.
const { BRAZE_API_KEY: _ignoredKey, ...environment } = process.env;
let config;
try {
  config = loadConfig({ ...environment, PORT: gatewayPort, HOST: '127.0.0.1', CORS_ORIGINS: dashboardOrigins.join(',') });
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
const gateway = await startServer(config, createLogger({ level: config.logLevel }));
const gatewayUrl = gateway.url.href;

process.env['VITE_GATEWAY_URL'] = gatewayUrl;
const vite = await createServer({
  configFile: fileURLToPath(new URL('../examples/dashboard/vite.config.ts', import.meta.url)),
  server: { port: dashboardPort, strictPort: true, host: 'localhost' },
});
await vite.listen();
process.stdout.write(`\ngateway (demo mode): ${gatewayUrl}\ndashboard: http://localhost:${dashboardPort}/\n\n`);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void Promise.allSettled([vite.close(), gateway.close()]).then(() => process.exit(0));
  });
}
