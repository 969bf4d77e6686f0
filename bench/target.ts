// The system under load, in its own process so the load generator does not share its event loop:
// a local upstream playing Braze with a fixed latency, and the gateway in front of it.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startGateway } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';

const LATENCY_MS = Number(process.env['BENCH_UPSTREAM_LATENCY_MS'] ?? 20);
let calls = 0;

const upstream = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://upstream.invalid');
  if (url.pathname === '/__calls') {
    response.end(JSON.stringify({ calls }));
    return;
  }
  calls++;
  const length = Number(url.searchParams.get('length') ?? 1);
  const daily = url.searchParams.get('unit') !== 'hour';
  const step = daily ? 86_400_000 : 3_600_000;
  const last = Math.floor(Date.parse(url.searchParams.get('ending_at') ?? '') / step) * step;
  const data = Array.from({ length }, (_, i) => {
    const iso = new Date(last - (length - 1 - i) * step).toISOString();
    return { time: daily ? iso.slice(0, 10) : iso.slice(0, 19), count: 100 + i };
  });
  const body = JSON.stringify({ message: 'success', data });
  setTimeout(() => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    response.end(body);
  }, LATENCY_MS);
});
await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;

const config = loadConfig({
  PORT: '0',
  HOST: '127.0.0.1',
  BRAZE_REST_ENDPOINT: upstreamUrl,
  BRAZE_API_KEY: 'bench-key',
  // A local load test against a fake upstream: no credential to send (live mode requires saying so).
  AUTH_DISABLED: 'true',
  LOG_LEVEL: 'silent',
});
const gateway = await startGateway(config, createLogger({ level: 'silent' }));
process.stdout.write(`${JSON.stringify({ gateway: gateway.url.href, upstream: upstreamUrl })}\n`);
process.once('SIGTERM', () => {
  void gateway.close(1000).then(() => upstream.close(() => process.exit(0)));
});
