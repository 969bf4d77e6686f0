import { startServer } from './startServer.js';
import { ConfigError, loadConfig } from './config/index.js';
import { createLogger } from './observability/logger.js';
import { FRAGMENT_LENGTH } from './observability/redact.js';
import type { CompileCacheOutcome } from './compileCache.js';

/** What the process entry (main.ts) runs: read the environment once, start, and stop on a signal. */
export async function runGateway(compileCache: CompileCacheOutcome): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }

  const logger = createLogger({
    level: config.logLevel,
    // Belt and braces: nothing logs these, and if something ever did, the line is redacted.
    secrets: [
      ...(config.braze.mode === 'live' ? [config.braze.apiKey] : []),
      ...config.auth.tokens,
      ...(config.auth.jwt && 'secret' in config.auth.jwt.key ? [config.auth.jwt.key.secret] : []),
      // OTEL_EXPORTER_OTLP_HEADERS often carries the collector's token. Short values are no tokens, and
      // would have the redactor hide every short run of their characters in every line.
      ...(config.tracing.enabled ? Object.values(config.tracing.headers).filter((value) => value.length >= FRAGMENT_LENGTH) : []),
    ],
  });

  logger.debug(compileCache.enabled ? `compile cache in ${compileCache.directory}` : `no compile cache: ${compileCache.reason}`);

  const gateway = await startServer(config, logger).catch((error: unknown) => {
    logger.error('could not start', error instanceof Error ? error : { reason: String(error) });
    process.exit(1);
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info(`${signal} received: draining in-flight requests, then exiting`);
      gateway.close().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error('shutdown failed', error instanceof Error ? error : { reason: String(error) });
          process.exit(1);
        },
      );
    });
  }
}
