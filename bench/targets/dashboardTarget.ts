// The system under load for the dashboard bench (bench/scenarios/dashboard.ts), in a process of its own so the
// load generator does not share its event loop: the fake Braze (testkit/fakeBraze.ts) with a fixed latency, and
// one gateway with its default settings (cache on, the default TTLs), only what BENCH_DASHBOARD_GATEWAY_ENV
// (a JSON object of gateway variables) lays over them.
//
// Prints one JSON line, DashboardTargetInfo: the gateway's URL, the fake's origin (GET /__calls answers
// {"calls": n, "byPath": {path: n}}), the pid, and the cache settings the gateway really runs with (read from
// its loaded configuration, so the bench computes what the TTLs allow from them, not from a copy). Serves until
// SIGTERM/SIGINT or until the parent's IPC channel closes. Everything listens on 127.0.0.1 only.
import { startServer, type RunningGateway } from '../../src/startServer.js';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/observability/logger.js';
import { startFakeBraze, type FakeBraze } from '../../testkit/fakeBraze.js';
import { BENCH_API_KEY, BENCH_TOKEN } from '../lib/protocol.js';
import { exitWhenAsked } from '../lib/process.js';

/** What the dashboard bench reads from this target's one line. */
export interface DashboardTargetInfo {
  readonly gateway: string;
  readonly upstream: string;
  readonly pid: number;
  readonly cache: {
    readonly liveTtlMs: number;
    readonly pastTtlMs: number;
    readonly settledTtlMs: number;
    readonly requestTimeGranularityMs: number;
    readonly responseCache: boolean;
  };
}

const LATENCY_MS = Number(process.env['BENCH_UPSTREAM_LATENCY_MS'] ?? 20);
const overrides = JSON.parse(process.env['BENCH_DASHBOARD_GATEWAY_ENV'] ?? '{}') as Record<string, string>;

let gateway: RunningGateway | undefined;
let braze: FakeBraze | undefined;
exitWhenAsked(async () => {
  await gateway?.close(1000);
  await braze?.close();
});

// Recorded: a dashboard run makes hundreds of calls, not millions; the count per path says which panels called.
const byPath = new Map<string, number>();
braze = await startFakeBraze({
  latencyMs: LATENCY_MS,
  record: true,
  counts: () => {
    byPath.clear();
    for (const call of braze!.calls) byPath.set(call.path, (byPath.get(call.path) ?? 0) + 1);
    // Distinct questions: a key asked twice (an expired entry, or two replicas) shows as calls > keys.
    const keys = new Set(braze!.calls.map((call) => `${call.path}?${new URLSearchParams(call.query).toString()}`));
    return { byPath: Object.fromEntries(byPath), keys: keys.size };
  },
});

const config = loadConfig({
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'silent',
  BRAZE_REST_ENDPOINT: braze.url.origin,
  BRAZE_API_KEY: BENCH_API_KEY,
  AUTH_TOKENS: BENCH_TOKEN,
  ...overrides,
});
gateway = await startServer(config, createLogger({ level: 'silent' }));

const info: DashboardTargetInfo = {
  gateway: gateway.url.href.replace('localhost', '127.0.0.1'),
  upstream: braze.url.origin,
  pid: process.pid,
  cache: {
    liveTtlMs: config.cache.liveTtlMs,
    pastTtlMs: config.cache.pastTtlMs,
    settledTtlMs: config.cache.settledTtlMs,
    requestTimeGranularityMs: config.cache.requestTimeGranularityMs,
    responseCache: config.responseCache.enabled,
  },
};
process.stdout.write(`${JSON.stringify(info)}\n`);
