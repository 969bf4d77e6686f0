// The system under load for npm run bench (bench/scenarios/run.ts) and the RSS run (bench/scenarios/rss.ts), in its own
// process so the load generator does not share its event loop:
//   - the fake Braze (testkit/fakeBraze.ts) with a fixed latency, recording nothing but its call
//     count, which it serves at GET /__calls ({"calls": n});
//   - BENCH_TARGET=all (default): two gateways against it, one with CACHE_ENABLED=false and one with
//     CACHE_ENABLED=true, and a peer: Apollo Server 5 with a RESTDataSource over the same upstream
//     (bench/targets/peers/apolloRest.ts). The "ceiling" (bare yoga) runs in a process of its own (bench/targets/ceilingTarget.ts);
//   - BENCH_TARGET=cache: only the cache-on gateway (the RSS run measures this process alone).
//
// Environment: BENCH_UPSTREAM_LATENCY_MS (20); BENCH_CACHE_MAX_ENTRIES (unset: the gateway's default),
// given to the cache-on gateway as CACHE_MAX_ENTRIES; BENCH_OTLP_SINK=1: the gateways trace every request
// to an OTLP/HTTP sink in this process that counts and drops what it gets (GET /__exports answers
// {"exports": n, "bytes": b}), for bench/scenarios/tracing.ts.
//
// Prints one JSON line on stdout, { upstream, gatewayNoCache?, gatewayCache, apollo?, pid } (TargetInfo in
// bench/lib/protocol.ts), then serves until SIGTERM/SIGINT or until the parent's IPC channel closes, so it
// never outlives the parent however the parent ends. Everything listens on 127.0.0.1 only.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startServer, type RunningGateway } from '../../src/startServer.js';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/observability/logger.js';
import { startFakeBraze, type FakeBraze } from '../../testkit/fakeBraze.js';
import { startApolloRestPeer, type ApolloRestPeer } from './peers/apolloRest.js';
import { BENCH_API_KEY, BENCH_TOKEN, type TargetInfo } from '../lib/protocol.js';
import { exitWhenAsked } from '../lib/process.js';

const MODE = process.env['BENCH_TARGET'] ?? 'all';
if (MODE !== 'all' && MODE !== 'cache') throw new Error(`BENCH_TARGET must be all or cache (got "${MODE}")`);
const LATENCY_MS = Number(process.env['BENCH_UPSTREAM_LATENCY_MS'] ?? 20);
const CACHE_MAX_ENTRIES = process.env['BENCH_CACHE_MAX_ENTRIES'];
const OTLP_SINK = process.env['BENCH_OTLP_SINK'] === '1';

// ---------------------------------------------------------------------------------------------------
// Stopping: registered before anything starts, so a parent gone during start-up is noticed too.

const gateways: RunningGateway[] = [];
/** The OTLP sink's server, when traced. */
const servers: Server[] = [];
let braze: FakeBraze | undefined;
let apollo: ApolloRestPeer | undefined;
exitWhenAsked(async () => {
  await Promise.allSettled([...gateways.map((gateway) => gateway.close(1000)), apollo?.close()]);
  await braze?.close();
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

// ---------------------------------------------------------------------------------------------------
// The upstream: the fake Braze. No call is recorded (a run makes millions); the count is always kept.

braze = await startFakeBraze({ latencyMs: LATENCY_MS, record: false });
const upstreamUrl = braze.url.origin;

// The collector, when traced: it takes every export and keeps only counts.
let sink: string | undefined;
if (OTLP_SINK) {
  const counts = { exports: 0, bytes: 0 };
  const server = createServer((request, response) => {
    if (request.method === 'GET') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(counts));
      return;
    }
    request.on('data', (chunk: Buffer) => (counts.bytes += chunk.length));
    request.on('end', () => {
      counts.exports++;
      response.writeHead(200, { 'content-type': 'application/x-protobuf' });
      response.end();
    });
  });
  await listen(server);
  servers.push(server);
  sink = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

// ---------------------------------------------------------------------------------------------------
// The gateways. loadConfig gets an explicit environment (not process.env), so nothing from the shell
// (REDIS_URL, CACHE_*, …) changes what is measured. Variables the gateway does not know yet are ignored.

function gatewayEnv(cache: boolean): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    BRAZE_REST_ENDPOINT: upstreamUrl,
    BRAZE_API_KEY: BENCH_API_KEY,
    // The connection cap and the per-request cap must not be what the scenarios measure.
    BRAZE_MAX_CONNECTIONS: '256',
    BRAZE_MAX_CALLS_PER_REQUEST: '100',
    AUTH_TOKENS: BENCH_TOKEN,
    CACHE_ENABLED: cache ? 'true' : 'false',
    // Long enough that nothing expires during a run: only size bounds the cache.
    CACHE_TTL_LIVE_MS: '600000',
    CACHE_TTL_PAST_MS: '600000',
    ...(cache && CACHE_MAX_ENTRIES !== undefined ? { CACHE_MAX_ENTRIES } : {}),
    ...(sink ? { OTEL_EXPORTER_OTLP_ENDPOINT: sink } : {}),
  };
}

const logger = createLogger({ level: 'silent' });
const noCache = MODE === 'all' ? await startServer(loadConfig(gatewayEnv(false)), logger) : undefined;
if (noCache) gateways.push(noCache);
const withCache = await startServer(loadConfig(gatewayEnv(true)), logger);
gateways.push(withCache);

// The peer the cache-off scenario is compared with.
if (MODE === 'all') apollo = await startApolloRestPeer(upstreamUrl, BENCH_TOKEN);

const info: TargetInfo = {
  upstream: upstreamUrl,
  ...(noCache ? { gatewayNoCache: noCache.url.href } : {}),
  gatewayCache: withCache.url.href,
  ...(apollo ? { apollo: apollo.url } : {}),
  ...(sink ? { otlpSink: sink } : {}),
  pid: process.pid,
};
process.stdout.write(`${JSON.stringify(info)}\n`);

function listen(server: Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}
