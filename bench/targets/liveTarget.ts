// The system under test for npm run bench:live (bench/scenarios/live.ts), in its own process so that its memory
// is the gateway's alone: the fake Braze (testkit/fakeBraze.ts, fixed latency, counting calls at
// GET /__calls) and one gateway with live series. Prints one JSON line { url, upstream, pid }, answers
// IPC "memory" with process.memoryUsage() after a full GC (run with --expose-gc), and stops when the
// parent's IPC channel closes or on SIGTERM/SIGINT.
import { startServer } from '../../src/startServer.js';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/observability/logger.js';
import { startFakeBraze } from '../../testkit/fakeBraze.js';
import { BENCH_TOKEN } from '../lib/protocol.js';
import { exitWhenAsked } from '../lib/process.js';

const SUBSCRIBERS = Number(process.env['BENCH_LIVE_SUBSCRIBERS'] ?? 1000);
const INTERVAL_MS = Number(process.env['BENCH_LIVE_INTERVAL_MS'] ?? 1000);

const braze = await startFakeBraze({ latencyMs: 20, record: false });
const gateway = await startServer(
  loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    BRAZE_REST_ENDPOINT: braze.url.origin,
    BRAZE_API_KEY: 'bench-key-0123456789abcdef0123456789',
    AUTH_TOKENS: BENCH_TOKEN,
    CACHE_ENABLED: 'true',
    CACHE_TTL_LIVE_MS: String(INTERVAL_MS),
    LIVE_MIN_INTERVAL_MS: String(Math.min(INTERVAL_MS, 1000)),
    SERVER_MAX_CONNECTIONS: String(SUBSCRIBERS * 2 + 100),
    LIVE_MAX_SUBSCRIPTIONS: String(SUBSCRIBERS),
    LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT: String(SUBSCRIBERS),
  }),
  createLogger({ level: 'silent' }),
);

exitWhenAsked(async () => {
  await gateway.close(1000);
  await braze.close();
});

process.on('message', (message) => {
  if (message !== 'memory') return;
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  process.send?.({ memory: process.memoryUsage(), live: gateway.live.stats() });
});

process.stdout.write(`${JSON.stringify({ url: gateway.url.href.replace('localhost', '127.0.0.1'), upstream: braze.url.origin, pid: process.pid })}\n`);
