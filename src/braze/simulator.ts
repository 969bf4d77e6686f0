import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrazeTarget } from './client.js';

/**
 * A stand-in for Braze's GET /events/data_series, served over a real loopback HTTP listener so demo
 * mode goes through the same undici client, auth header and validation as production.
 *
 * Numbers are deterministic (a hash of event, app, segment and bucket) with a daily and weekly rhythm,
 * so a chart looks plausible and the same question always gets the same answer.
 */
export interface SimulatedBraze {
  readonly target: BrazeTarget;
  close(): Promise<void>;
}

const RATE_LIMIT = 250_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Sunday first, as Date#getUTCDay counts. Weekends are quieter. */
const WEEKDAY_FACTOR = [0.72, 1.04, 1.1, 1.12, 1.08, 0.98, 0.78] as const;

export async function startSimulatedBraze(options: { now?: () => number } = {}): Promise<SimulatedBraze> {
  const now = options.now ?? Date.now;
  const apiKey = `simulated-${randomBytes(18).toString('hex')}`;
  let remaining = RATE_LIMIT;
  let windowResetsAt = nextHour(now());

  const server = createServer((request, response) => {
    if (now() >= windowResetsAt) {
      remaining = RATE_LIMIT;
      windowResetsAt = nextHour(now());
    }
    remaining = Math.max(0, remaining - 1);
    response.setHeader('x-ratelimit-limit', String(RATE_LIMIT));
    response.setHeader('x-ratelimit-remaining', String(remaining));
    response.setHeader('x-ratelimit-reset', String(Math.floor(windowResetsAt / 1000)));
    handle(request, response, apiKey, now());
  });
  server.keepAliveTimeout = 15_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    target: { endpoint: new URL(`http://127.0.0.1:${port}`), apiKey },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function handle(request: IncomingMessage, response: ServerResponse, apiKey: string, nowMs: number): void {
  const url = new URL(request.url ?? '/', 'http://simulated.invalid');
  if (request.method !== 'GET' || url.pathname !== '/events/data_series') {
    return answer(response, 404, { message: 'Not Found' });
  }
  if (request.headers.authorization !== `Bearer ${apiKey}`) {
    return answer(response, 401, { message: 'Invalid API key' });
  }
  const params = url.searchParams;
  const event = params.get('event') ?? '';
  const length = Number(params.get('length'));
  const unit = params.get('unit') ?? 'day';
  const endingAtRaw = params.get('ending_at');
  const endingAt = endingAtRaw === null ? nowMs : Date.parse(endingAtRaw);
  const problems: string[] = [];
  if (event === '') problems.push('event is required');
  if (!Number.isInteger(length) || length < 1 || length > 100) problems.push('length must be between 1 and 100');
  if (unit !== 'day' && unit !== 'hour') problems.push('unit must be day or hour');
  if (Number.isNaN(endingAt)) problems.push('ending_at must be an ISO-8601 datetime');
  if (problems.length > 0) return answer(response, 400, { message: 'Invalid request', errors: problems });

  const seed = `${event}\u0000${params.get('app_id') ?? ''}\u0000${params.get('segment_id') ?? ''}`;
  const step = unit === 'day' ? DAY_MS : HOUR_MS;
  const last = Math.floor(endingAt / step) * step;
  const data = Array.from({ length }, (_, index) => {
    const start = last - (length - 1 - index) * step;
    const count = start > nowMs ? 0 : simulatedCount(seed, start, unit === 'day');
    return { time: formatBucket(start, unit === 'day'), count };
  });
  answer(response, 200, { message: 'success', data });
}

/** A steady base per event/app/segment, shaped by weekday and hour of day, with ±15% noise per bucket. */
function simulatedCount(seed: string, start: number, daily: boolean): number {
  const base = 150 + (fnv1a(seed) % 4850);
  const date = new Date(start);
  const weekday = WEEKDAY_FACTOR[date.getUTCDay()] ?? 1;
  const noise = 0.85 + (fnv1a(`${seed}\u0000${start}`) % 3001) / 10_000;
  if (daily) return Math.round(base * weekday * noise);
  // Quiet at night, peaking in the (UTC) evening; the 24 hourly shapes average to 1.
  const hourShape = 1 + 0.75 * Math.sin(((date.getUTCHours() - 12) / 24) * 2 * Math.PI);
  return Math.round((base / 24) * hourShape * weekday * noise);
}

function formatBucket(start: number, daily: boolean): string {
  const iso = new Date(start).toISOString();
  // Braze writes a date for days and an extended date-time (here without offset) for hours.
  return daily ? iso.slice(0, 10) : iso.slice(0, 19);
}

function nextHour(nowMs: number): number {
  return (Math.floor(nowMs / HOUR_MS) + 1) * HOUR_MS;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function answer(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}
