// The system under test for npm run bench:live (bench/scenarios/live.ts), in its own process so that its memory
// is the gateway's alone (over SSE or WebSocket), the gateway built (dist/, BENCH_LIVE_FROM=src for the sources): the fake Braze (testkit/fakeBraze.ts, fixed latency, counting calls at
// GET /__calls, and the time of each series' calls, counted per series in a window on IPC) and one gateway with live series. Prints one JSON line { url, upstream, pid }, answers
// IPC "memory" with process.memoryUsage() after a full GC (run with --expose-gc), { snapshot: path } with a
// heap snapshot written there, and stops when the
// parent's IPC channel closes or on SIGTERM/SIGINT.
import { writeHeapSnapshot } from 'node:v8';
import type * as StartServer from '../../src/startServer.js';
import type * as ConfigModule from '../../src/config/index.js';
import type * as LoggerModule from '../../src/observability/logger.js';
import { defaultResponder, startFakeBraze } from '../../testkit/fakeBraze.js';
import { BENCH_API_KEY, BENCH_TOKEN } from '../lib/protocol.js';
import { exitWhenAsked } from '../lib/process.js';

const SUBSCRIBERS = Number(process.env['BENCH_LIVE_SUBSCRIBERS'] ?? 1000);
const INTERVAL_MS = Number(process.env['BENCH_LIVE_INTERVAL_MS'] ?? 1000);
/** WebSockets the subscribers share (bench:live over WebSocket); 0 over SSE. */
const SOCKETS = Number(process.env['BENCH_LIVE_SOCKETS'] ?? 0);
/**
 * Where the gateway's modules come from: dist/ (built by tsc, what ships: the default) or src/ (through
 * tsx, whose transform names every function: about 1.5 KiB more per subscriber than a built gateway).
 */
const FROM = process.env['BENCH_LIVE_FROM'] === 'src' ? 'src' : 'dist';
const gatewayModule = async <T>(path: string): Promise<T> => (await import(new URL(`../../${FROM}/${path}.js`, import.meta.url).href)) as T;
const { startServer } = await gatewayModule<typeof StartServer>('startServer');
const { loadConfig } = await gatewayModule<typeof ConfigModule>('config/index');
const { createLogger } = await gatewayModule<typeof LoggerModule>('observability/logger');

const braze = await startFakeBraze({ latencyMs: 20, record: false });
/** When each event series was called (this process's clock): counted per series in a window on IPC "window". */
const callTimes = new Map<string, number[]>();
/**
 * IPC "change": from then on every event series' counts are one higher, so each series' next poll
 * pushes to all its subscribers. `answeredAt`: when each series' first changed answer left (the
 * responder runs once the fake's latency has passed, as the answer is written).
 */
let changed = false;
const answeredAt = new Map<string, number>();
braze.respond(async (call) => {
  const event = call.query['event'];
  const answer = await defaultResponder(call);
  if (call.path !== '/events/data_series' || event === undefined) return answer;
  const now = Date.now();
  const times = callTimes.get(event) ?? [];
  times.push(now);
  callTimes.set(event, times);
  if (!changed) return answer;
  if (!answeredAt.has(event)) answeredAt.set(event, now);
  const body = answer.body as { data: { count: number }[] };
  return { ...answer, body: { ...body, data: body.data.map((point) => ({ ...point, count: point.count + 1 })) } };
});
let windowStart = 0;
const gateway = await startServer(
  loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    BRAZE_REST_ENDPOINT: braze.url.origin,
    BRAZE_API_KEY: BENCH_API_KEY,
    AUTH_TOKENS: BENCH_TOKEN,
    CACHE_ENABLED: 'true',
    CACHE_TTL_LIVE_MS: String(INTERVAL_MS),
    LIVE_MIN_INTERVAL_MS: String(Math.min(INTERVAL_MS, 1000)),
    // Over SSE each subscriber holds a connection; over WebSocket only the sockets do.
    SERVER_MAX_CONNECTIONS: String((SOCKETS > 0 ? SOCKETS : SUBSCRIBERS) * 2 + 100),
    LIVE_MAX_SSE_STREAMS: String(SOCKETS > 0 ? 1 : SUBSCRIBERS),
    WS_MAX_CONNECTIONS: String(Math.max(SOCKETS, 1)),
    WS_MAX_OPERATIONS_PER_CONNECTION: String(SOCKETS > 0 ? Math.ceil(SUBSCRIBERS / SOCKETS) + 1 : 1),
    LIVE_MAX_SUBSCRIPTIONS: String(SUBSCRIBERS + 1),
    LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT: String(SUBSCRIBERS + 1),
  }),
  createLogger({ level: 'silent' }),
);

exitWhenAsked(async () => {
  await gateway.close(1000);
  await braze.close();
});

process.on('message', (message) => {
  // "mark": a counting window starts now; { window: ms }: each series' calls in [mark, mark + ms).
  if (message === 'mark') {
    windowStart = Date.now();
    process.send?.({ marked: windowStart });
    return;
  }
  if (typeof message === 'object' && message !== null && 'window' in message) {
    const end = windowStart + Number((message as { window: number }).window);
    const perSeries: Record<string, number> = {};
    const gaps: number[] = [];
    for (const [event, times] of callTimes) {
      const inside = times.filter((time) => time >= windowStart && time < end);
      perSeries[event] = inside.length;
      gaps.push(...inside.slice(1).map((time, i) => time - inside[i]!));
    }
    process.send?.({ perSeries, gaps: { min: Math.min(...gaps), max: Math.max(...gaps), mean: gaps.reduce((a, b) => a + b, 0) / gaps.length } });
    return;
  }
  // "change": the series' answers change now; "answered": when each series' first changed answer left.
  if (message === 'change') {
    changed = true;
    process.send?.({ changedAt: Date.now() });
    return;
  }
  if (message === 'answered') {
    process.send?.({ answeredAt: Object.fromEntries(answeredAt) });
    return;
  }
  // { snapshot: path }: a heap snapshot after a full GC (BENCH_LIVE_HEAP_SNAPSHOTS in bench/scenarios/live.ts).
  if (typeof message === 'object' && message !== null && 'snapshot' in message) {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    process.send?.({ snapshot: writeHeapSnapshot(String((message as { snapshot: unknown }).snapshot)) });
    return;
  }
  if (message !== 'memory') return;
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  process.send?.({ memory: process.memoryUsage(), live: gateway.live.stats() });
});

process.stdout.write(`${JSON.stringify({ url: gateway.url.href.replace('localhost', '127.0.0.1'), upstream: braze.url.origin, pid: process.pid })}\n`);
