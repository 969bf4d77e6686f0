// The system under test for npm run bench:memory (bench/scenarios/memory.ts), in a process of its own run with
// --expose-gc, so that its heap is the gateway's alone: the fake Braze (testkit/fakeBraze.ts, no
// latency, recording nothing) and one gateway. Prints one JSON line { url, upstream, pid }; answers IPC
// "heap" with { heapUsed, rss } after two full garbage collections; stops when the parent's IPC channel
// closes or on SIGTERM/SIGINT.
//
// Environment: BENCH_MEMORY_GATEWAY_ENV, a JSON object of gateway settings laid over the defaults below;
// BENCH_MEMORY_BIG_COUNTS=1: every event series point counts 2^31 − 1 − its index (the largest a
// GraphQL Int carries; V8 boxes them where pointers are compressed, 31-bit small integers).
import { startServer } from '../../src/startServer.js';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/observability/logger.js';
import { defaultResponder, defaultSeries, startFakeBraze } from '../../testkit/fakeBraze.js';
import { BENCH_API_KEY, BENCH_TOKEN } from '../lib/protocol.js';
import { exitWhenAsked } from '../lib/process.js';

const overrides = JSON.parse(process.env['BENCH_MEMORY_GATEWAY_ENV'] ?? '{}') as Record<string, string>;
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('bench/targets/memoryTarget.ts needs --expose-gc');

const braze = await startFakeBraze({ record: false });
if (process.env['BENCH_MEMORY_BIG_COUNTS'] === '1') {
  braze.respond((call) => {
    if (call.path !== '/events/data_series') return defaultResponder(call);
    const series = defaultSeries(call.query) as { data: { time: string; count: number }[] };
    return { body: { ...series, data: series.data.map((point) => ({ ...point, count: 2 ** 31 - 1 - point.count })) } };
  });
}
const gateway = await startServer(
  loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    BRAZE_REST_ENDPOINT: braze.url.origin,
    BRAZE_API_KEY: BENCH_API_KEY,
    AUTH_TOKENS: BENCH_TOKEN,
    BRAZE_MAX_CONNECTIONS: '64',
    BRAZE_MAX_CALLS_PER_REQUEST: '100',
    CACHE_ENABLED: 'true',
    // Nothing expires during a run: only the byte bounds limit the caches.
    CACHE_TTL_LIVE_MS: '600000',
    CACHE_TTL_PAST_MS: '600000',
    ...overrides,
  }),
  createLogger({ level: 'silent' }),
);

exitWhenAsked(async () => {
  await gateway.close(1000);
  await braze.close();
});

process.on('message', (message) => {
  if (message !== 'heap') return;
  gc();
  gc();
  const { heapUsed, rss } = process.memoryUsage();
  process.send?.({ heapUsed, rss });
});

process.stdout.write(`${JSON.stringify({ url: gateway.url.href.replace('localhost', '127.0.0.1'), upstream: braze.url.origin, pid: process.pid })}\n`);
