// The system under soak, in its own process (started by bench/soak.ts): a local upstream playing Braze
// GET /events/data_series with a fixed latency that fails about one call in ten, and the gateway in
// front of it. Which calls fail is drawn from a seeded PRNG, so every run draws the same sequence of
// outcomes (which GraphQL request meets which outcome still depends on arrival order).
//
// Environment: SOAK_UPSTREAM_LATENCY_MS (20), SOAK_SEED (1), and SOAK_ENV_<NAME>=value, handed to the
// gateway's loadConfig as NAME=value (e.g. SOAK_ENV_BRAZE_TIMEOUT_MS=5000). The wiring (endpoint, key,
// port, host) cannot be overridden that way.
//
// Prints one JSON line on stdout, { gateway, upstream, pid }, then serves until SIGTERM/SIGINT or until
// the parent's IPC channel closes (so a parent killed with SIGKILL does not leave this process behind).
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startGateway } from '../src/app.js';
import { loadConfig } from '../src/config/index.js';
import { createLogger } from '../src/logger.js';
import { prng } from './prng.js';

/** What the upstream does with one data_series call, and how often, per mille. */
const PLAN = {
  ok: 900,
  http503: 30, // 503 with a JSON body
  http500Html: 20, // 500 with an HTML error page, as a load balancer would send
  reset: 20, // socket destroyed before any byte of the answer
  resetMidBody: 25, // 200 with a content-length, part of the body, then the socket destroyed
  hang: 5, // never answers: only the gateway's own deadline ends it
} as const;

export type Outcome = keyof typeof PLAN;

/** The body of GET /__stats. */
export interface UpstreamStats {
  /** Every data_series call received. */
  readonly total: number;
  readonly byOutcome: Readonly<Record<Outcome, number>>;
  /** Calls with parameters Braze would refuse (answered 400): the gateway should never send one. */
  readonly rejected: number;
  /** Hung calls whose connection the gateway has not closed yet. */
  readonly hangsOpen: number;
  /** PLAN, so the report can put expected shares beside the observed ones. */
  readonly plan: Readonly<Record<Outcome, number>>;
}

const LATENCY_MS = Number(process.env['SOAK_UPSTREAM_LATENCY_MS'] ?? 20);
const SEED = Number(process.env['SOAK_SEED'] ?? 1);
const RATE_LIMIT = 250_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

const OUTCOMES = Object.keys(PLAN) as Outcome[];
if (OUTCOMES.reduce((sum, outcome) => sum + PLAN[outcome], 0) !== 1000) throw new Error('PLAN must add up to 1000');


const random = prng(SEED);
function drawOutcome(): Outcome {
  let roll = random() * 1000;
  for (const outcome of OUTCOMES) {
    roll -= PLAN[outcome];
    if (roll < 0) return outcome;
  }
  return 'ok';
}

const byOutcome = Object.fromEntries(OUTCOMES.map((outcome) => [outcome, 0])) as Record<Outcome, number>;
let total = 0;
let rejected = 0;
const hung = new Set<ServerResponse>();

// Braze's rate-limit headers: one hourly bucket, counted down by every call (failed ones too).
let windowStart = 0;
let usedInWindow = 0;
function rateLimitHeaders(): Record<string, string> {
  const now = Date.now();
  const hourStart = Math.floor(now / HOUR_MS) * HOUR_MS;
  if (hourStart !== windowStart) {
    windowStart = hourStart;
    usedInWindow = 0;
  }
  usedInWindow++;
  return {
    'x-ratelimit-limit': String(RATE_LIMIT),
    'x-ratelimit-remaining': String(Math.max(0, RATE_LIMIT - usedInWindow)),
    'x-ratelimit-reset': String((hourStart + HOUR_MS) / 1000),
  };
}

interface SeriesQuery {
  readonly event: string;
  readonly length: number;
  readonly unit: 'day' | 'hour';
  readonly endingAt: number;
}

/** The parameters as Braze checks them, or undefined when Braze would answer 400. */
function readQuery(params: URLSearchParams): SeriesQuery | undefined {
  const event = params.get('event') ?? '';
  const length = Number(params.get('length'));
  const unit = params.get('unit') ?? 'day';
  const endingAt = Date.parse(params.get('ending_at') ?? '');
  if (event === '' || !Number.isInteger(length) || length < 1 || length > 100) return undefined;
  if ((unit !== 'day' && unit !== 'hour') || Number.isNaN(endingAt)) return undefined;
  if (params.get('app_id') === '' || params.get('segment_id') === '') return undefined;
  return { event, length, unit, endingAt };
}

/** A success body with `length` points, oldest first, ending in the bucket of `ending_at`. */
function seriesBody({ event, length, unit, endingAt }: SeriesQuery): string {
  const step = unit === 'day' ? DAY_MS : HOUR_MS;
  const last = Math.floor(endingAt / step) * step;
  const salt = [...event].reduce((sum, char) => sum + char.charCodeAt(0), 0);
  const data = Array.from({ length }, (_, i) => {
    const iso = new Date(last - (length - 1 - i) * step).toISOString();
    return { time: unit === 'day' ? iso.slice(0, 10) : `${iso.slice(0, 13)}:00:00`, count: (salt * 7 + i * 13) % 1000 };
  });
  return JSON.stringify({ message: 'success', data });
}

function sendJson(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    ...headers,
  });
  response.end(body);
}

function answer(outcome: Exclude<Outcome, 'hang'>, query: SeriesQuery, response: ServerResponse): void {
  // The gateway may have given up on this call already (its own request was cancelled).
  if (response.destroyed) return;
  switch (outcome) {
    case 'ok':
      sendJson(response, 200, seriesBody(query), rateLimitHeaders());
      return;
    case 'http503':
      sendJson(response, 503, JSON.stringify({ message: 'Service Unavailable' }), rateLimitHeaders());
      return;
    case 'http500Html': {
      const html = '<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1></body></html>';
      response.writeHead(500, { 'content-type': 'text/html; charset=utf-8', 'content-length': String(Buffer.byteLength(html)) });
      response.end(html);
      return;
    }
    case 'reset':
      response.socket?.destroy();
      return;
    case 'resetMidBody': {
      const body = seriesBody(query);
      response.writeHead(200, {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        ...rateLimitHeaders(),
      });
      // Destroy only once the partial chunk is handed to the kernel, so the gateway really sees
      // headers and a truncated body rather than a plain reset.
      response.write(body.slice(0, Math.floor(body.length / 2)), () => response.socket?.destroy());
      return;
    }
  }
}

const upstream = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://upstream.invalid');
  if (url.pathname === '/__stats') {
    const stats: UpstreamStats = { total, byOutcome: { ...byOutcome }, rejected, hangsOpen: hung.size, plan: PLAN };
    sendJson(response, 200, JSON.stringify(stats));
    return;
  }
  if (request.method !== 'GET' || url.pathname !== '/events/data_series') {
    sendJson(response, 404, JSON.stringify({ message: 'Not Found' }));
    return;
  }
  total++;
  const query = readQuery(url.searchParams);
  if (query === undefined) {
    rejected++;
    sendJson(response, 400, JSON.stringify({ message: 'Invalid parameters' }));
    return;
  }
  const outcome = drawOutcome();
  byOutcome[outcome]++;
  if (outcome === 'hang') {
    // Kept so shutdown can release it, and so /__stats shows whether the gateway lets go of it.
    hung.add(response);
    response.once('close', () => hung.delete(response));
    return;
  }
  setTimeout(() => answer(outcome, query, response), LATENCY_MS);
});
await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;

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
  BRAZE_API_KEY: 'soak-dummy-key',
  // A local load test against a fake upstream: no credential to send (live mode requires saying so).
  AUTH_DISABLED: 'true',
});
const gateway = await startGateway(config, createLogger({ level: 'silent' }));
process.stdout.write(`${JSON.stringify({ gateway: gateway.url.href, upstream: upstreamUrl, pid: process.pid })}\n`);

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  // Draining should take well under a second; never let a stuck socket keep this process alive.
  setTimeout(() => process.exit(1), 5000).unref();
  for (const response of hung) response.socket?.destroy();
  void gateway.close(1000).then(() => {
    upstream.closeAllConnections();
    upstream.close(() => process.exit(0));
  });
}
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
// Spawned with an IPC channel: it closes when the parent exits, however it exits.
if (process.send !== undefined) {
  process.once('disconnect', stop);
}
