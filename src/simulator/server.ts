import { randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BUCKET_TABLE } from '../endpoints/buckets.js';
import type { BrazeTarget } from '../braze/client.js';
import type { AnyEndpoint } from '../data/endpoint.js';
import { ENDPOINTS } from '../endpoints/index.js';

/**
 * A stand-in for Braze, served over a real loopback HTTP listener so demo mode goes through the same
 * undici client, auth header and validation as production. It answers every described endpoint with
 * that endpoint's own simulated answer (deterministic: the same question gets the same numbers), and
 * sends each bucket's x-ratelimit-* headers as Braze does.
 */
export interface SimulatedBraze {
  readonly target: BrazeTarget;
  close(): Promise<void>;
}


export async function startSimulatedBraze(options: { now?: () => number; endpoints?: readonly AnyEndpoint[] } = {}): Promise<SimulatedBraze> {
  const now = options.now ?? Date.now;
  const byPath = new Map((options.endpoints ?? ENDPOINTS).map((endpoint) => [endpoint.path, endpoint]));
  const apiKey = `simulated-${randomBytes(18).toString('hex')}`;
  // Each bucket's limit and window from the table: hourly, but /campaigns/data_series's resets every minute.
  const buckets = new Map<string, { readonly limit: number; readonly windowMs: number; remaining: number; resetsAt: number }>(
    BUCKET_TABLE.map(({ name, limit, windowMs }) => [name, { limit, windowMs, remaining: limit, resetsAt: nextWindow(now(), windowMs) }]),
  );

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://simulated.invalid');
    const endpoint = request.method === 'GET' ? byPath.get(url.pathname) : undefined;
    if (!endpoint) return answer(response, 404, { message: 'Not Found' });
    spend(endpoint.bucket, response);
    if (request.headers.authorization !== `Bearer ${apiKey}`) return answer(response, 401, { message: 'Invalid API key' });
    const simulated = endpoint.simulate({ params: url.searchParams, now: now() });
    answer(response, simulated.status, simulated.body);
  });
  server.keepAliveTimeout = 15_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  /** Counts the call in its bucket and says so in the headers, as Braze does on every answer. */
  function spend(name: string, response: ServerResponse): void {
    const bucket = buckets.get(name);
    if (!bucket) return;
    if (now() >= bucket.resetsAt) {
      bucket.remaining = bucket.limit;
      bucket.resetsAt = nextWindow(now(), bucket.windowMs);
    }
    bucket.remaining = Math.max(0, bucket.remaining - 1);
    response.setHeader('x-ratelimit-limit', String(bucket.limit));
    response.setHeader('x-ratelimit-remaining', String(bucket.remaining));
    response.setHeader('x-ratelimit-reset', String(Math.floor(bucket.resetsAt / 1000)));
  }

  return {
    target: { endpoint: new URL(`http://127.0.0.1:${port}`), apiKey },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The start of the next window of `windowMs` (the next hour, the next minute). */
function nextWindow(nowMs: number, windowMs: number): number {
  return (Math.floor(nowMs / windowMs) + 1) * windowMs;
}

function answer(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

