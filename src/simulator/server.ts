import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrazeTarget } from '../braze/client.js';
import type { AnyEndpoint, SimulatedAnswer } from '../data/endpoint.js';
import { BUCKET_TABLE } from '../endpoints/buckets.js';
import { ENDPOINTS } from '../endpoints/index.js';
import { BucketMeter, type MeteredBucket } from './bucketMeter.js';

/**
 * A stand-in for Braze, served over a real loopback HTTP listener so that the gateway goes through the
 * same undici client, auth header and validation as against Braze. It routes each call to the
 * described endpoint at its path, counts it in that endpoint's bucket and says so in the x-ratelimit-*
 * headers, and answers with the endpoint's own simulated answer (deterministic: the same question gets
 * the same numbers). Demo mode runs it as it is (`startSimulatedBraze`); the test kit's fake Braze
 * (testkit/fakeBraze.ts) runs the same server with `receive`, to record calls and answer as a test says.
 */
export interface BrazeServer {
  readonly url: URL;
  close(): Promise<void>;
}

/** A call as the server routes it. */
export interface BrazeRequest {
  readonly method: string;
  readonly url: URL;
  /** The described endpoint asked for (a GET of its path); undefined for anything else, answered 404 by default. */
  readonly endpoint: AnyEndpoint | undefined;
}

/** An answer: a status (default 200), headers beside the bucket's, and a body (a string is sent as is, anything else as JSON). */
export interface BrazeAnswer {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** How one call is answered when not by the server's default (`simulatedAnswer`). */
export interface Handling {
  /** Wait this long before counting the call in its bucket and answering it: a slow Braze. Default 0. */
  readonly delayMs?: number;
  /** The answer instead of the simulated one. One that throws or rejects destroys the socket, as a failed answer would. */
  readonly answer?: () => BrazeAnswer | Promise<BrazeAnswer>;
  /** Full control over the socket (faults: resets, stalls, truncated bodies); the bucket's headers are already set on `response`. */
  readonly raw?: (request: IncomingMessage, response: ServerResponse) => void;
}

export interface BrazeServerOptions {
  readonly now?: () => number;
  /** The endpoints it serves; default every endpoint of the catalogue. */
  readonly endpoints?: readonly AnyEndpoint[];
  /** The key a caller of a described endpoint must send (`Authorization: Bearer …`) for the server's own answer, else 401; `null` takes any. */
  readonly apiKey: string | null;
  /** The buckets whose x-ratelimit-* headers answers carry; default the bucket table's, [] none. */
  readonly buckets?: readonly MeteredBucket[];
  /**
   * Sees every call as it arrives, before anything is counted or sent: returns how to answer it, or
   * 'answered' when it has answered the call itself (a route of its own: nothing is counted), or
   * undefined for the default.
   */
  readonly receive?: (request: BrazeRequest, incoming: IncomingMessage, response: ServerResponse) => Handling | 'answered' | undefined;
}

/**
 * The simulated Braze's one routing: the described endpoint a call asks for is the one at its path,
 * asked with GET; anything else is no endpoint.
 */
export function routerOf(endpoints: readonly AnyEndpoint[]): (method: string, path: string) => AnyEndpoint | undefined {
  const byPath = new Map(endpoints.map((endpoint) => [endpoint.path, endpoint]));
  return (method, path) => (method === 'GET' ? byPath.get(path) : undefined);
}

/** What the simulated Braze answers when nothing else is said: the endpoint's simulated answer, or 404 for a path it does not have. */
export function simulatedAnswer(endpoint: AnyEndpoint | undefined, params: URLSearchParams, now: number): SimulatedAnswer {
  if (!endpoint) return { status: 404, body: { message: 'Not Found' } };
  return endpoint.simulate({ params, now });
}

export async function startBrazeServer(options: BrazeServerOptions): Promise<BrazeServer> {
  const now = options.now ?? Date.now;
  const route = routerOf(options.endpoints ?? ENDPOINTS);
  const { apiKey } = options;
  const meter = new BucketMeter(options.buckets ?? BUCKET_TABLE, now);

  const server = createServer((incoming, response) => {
    const url = new URL(incoming.url ?? '/', 'http://braze.invalid');
    const method = incoming.method ?? '';
    const request: BrazeRequest = { method, url, endpoint: route(method, url.pathname) };
    const handling = options.receive?.(request, incoming, response);
    if (handling === 'answered') return;
    const serve = (): void => {
      // Braze counts every call of a bucket, failed ones too, and reports the bucket on every answer.
      if (request.endpoint) for (const [name, value] of Object.entries(meter.take(request.endpoint.bucket))) response.setHeader(name, value);
      if (handling?.raw) return handling.raw(incoming, response);
      const answer =
        handling?.answer ??
        ((): BrazeAnswer => {
          if (request.endpoint && apiKey !== null && incoming.headers.authorization !== `Bearer ${apiKey}`) return { status: 401, body: { message: 'Invalid API key' } };
          return simulatedAnswer(request.endpoint, url.searchParams, now());
        });
      new Promise<BrazeAnswer>((resolve) => resolve(answer())).then(
        (answered) => {
          // The caller may have given up on this call already.
          if (!response.destroyed) send(response, answered);
        },
        () => response.destroy(),
      );
    };
    const delayMs = handling?.delayMs ?? 0;
    if (delayMs > 0) setTimeout(serve, delayMs);
    else serve();
  });
  // Longer than the gateway's keep-alive towards Braze (10 s), so the client always closes an idle
  // connection first and never reuses one the server is closing.
  server.keepAliveTimeout = 15_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}`),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(response: ServerResponse, { status = 200, headers = {}, body }: BrazeAnswer): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body ?? {});
  // A 204, a 304 or a 1xx has no body (Node drops it), so no Content-Length either (RFC 9110 §8.6).
  const bodyless = status === 204 || status === 304 || (status >= 100 && status < 200);
  response.writeHead(status, { 'content-type': 'application/json', ...(bodyless ? {} : { 'content-length': Buffer.byteLength(text) }), ...headers });
  response.end(text);
}

/** Demo mode's Braze: the server as it is, behind a fresh random API key. */
export interface SimulatedBraze {
  readonly target: BrazeTarget;
  close(): Promise<void>;
}

export async function startSimulatedBraze(options: { now?: () => number; endpoints?: readonly AnyEndpoint[] } = {}): Promise<SimulatedBraze> {
  const apiKey = `simulated-${randomBytes(18).toString('hex')}`;
  const server = await startBrazeServer({ ...options, apiKey });
  return { target: { endpoint: server.url, apiKey }, close: () => server.close() };
}
