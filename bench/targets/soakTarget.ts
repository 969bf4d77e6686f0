// The system under soak, in its own process (started by bench/scenarios/soak.ts): the fake Braze
// (testkit/fakeBraze.ts) with a fixed latency, Braze's rate-limit headers and the soak's failure
// mix (testkit/faults.ts: about one call in ten fails), and the gateway in front of it.
//
// Environment: SOAK_UPSTREAM_LATENCY_MS (20), SOAK_SEED (1), and SOAK_ENV_<NAME>=value, handed to the
// gateway's loadConfig as NAME=value (e.g. SOAK_ENV_BRAZE_TIMEOUT_MS=5000). The wiring (endpoint, key,
// port, host) cannot be overridden that way.
//
// Prints one JSON line on stdout, { gateway, upstream, pid }, then serves until SIGTERM/SIGINT or until
// the parent's IPC channel closes (so a parent killed with SIGKILL does not leave this process behind).
// The fake's GET /__calls carries the failure tallies under `faults` (FaultStats).
import { startServer } from '../../src/startServer.js';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/observability/logger.js';
import { startFakeBraze } from '../../testkit/fakeBraze.js';
import { createFaults } from '../../testkit/faults.js';
import { exitWhenAsked } from '../lib/process.js';

const LATENCY_MS = Number(process.env['SOAK_UPSTREAM_LATENCY_MS'] ?? 20);
const SEED = Number(process.env['SOAK_SEED'] ?? 1);
/** Braze's default hourly bucket. */
const RATE_LIMIT = 250_000;

const faults = createFaults({ seed: SEED });
// No call is recorded: a soak makes hundreds of thousands; the count and the fault tallies suffice.
const braze = await startFakeBraze({ latencyMs: LATENCY_MS, record: false, rateLimit: RATE_LIMIT, counts: () => ({ faults: faults.stats() }) });
braze.handleRaw(faults.handle);
const upstreamUrl = braze.url.origin;

const PASS_THROUGH = 'SOAK_ENV_';
const extraEnv = Object.fromEntries(
  Object.entries(process.env)
    .filter(([name]) => name.startsWith(PASS_THROUGH) && name.length > PASS_THROUGH.length)
    .map(([name, value]) => [name.slice(PASS_THROUGH.length), value]),
);
const config = loadConfig({
  BRAZE_TIMEOUT_MS: '2000',
  LOG_LEVEL: 'silent',
  ...extraEnv,
  PORT: '0',
  HOST: '127.0.0.1',
  BRAZE_REST_ENDPOINT: upstreamUrl,
  BRAZE_API_KEY: 'soak-dummy-key-0123456789abcdef012345',
  // A local load test against a fake upstream: no credential to send (live mode requires saying so).
  AUTH_DISABLED: 'true',
});
const gateway = await startServer(config, createLogger({ level: 'silent' }));
process.stdout.write(`${JSON.stringify({ gateway: gateway.url.href, upstream: upstreamUrl, pid: process.pid })}\n`);

exitWhenAsked(async () => {
  faults.releaseHangs();
  await gateway.close(1000);
  await braze.close();
});
