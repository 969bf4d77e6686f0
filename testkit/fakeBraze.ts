import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AnyEndpoint } from '../src/data/endpoint.js';
import { BUCKET_TABLE } from '../src/endpoints/buckets.js';
import { ENDPOINTS } from '../src/endpoints/index.js';
import { routerOf, simulatedAnswer, startBrazeServer, type BrazeRequest, type BrazeServer, type Handling } from '../src/simulator/server.js';
import { TEST_ANSWERS } from './answers/index.js';

export { defaultSeries, localDate, seriesInTimeZone } from './answers/series.js';

/** What the gateway sent, as Braze would have seen it. */
export interface RecordedCall {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: IncomingMessage['headers'];
}

/** A scripted answer: status, headers and a body (an object is sent as JSON, a string as is). */
export interface CannedAnswer {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * Full control over the socket, for faults (resets, stalls, truncated bodies). With a latency, the
 * client may have left by the time it runs: check `response.destroyed`.
 */
export type RawHandler = (request: IncomingMessage, response: ServerResponse, call: RecordedCall) => void;
export type Responder = (call: RecordedCall) => CannedAnswer | Promise<CannedAnswer>;

/** The fake's own route, never a Braze one: GET answers `{"calls": n, ...}` (see `FakeBrazeOptions.counts`). */
export const CALLS_PATH = '/__calls';

const HOUR_MS = 3_600_000;

export interface FakeBrazeOptions {
  /** Every call waits this long before it is answered (or handed to `handleRaw`). Default 0: at once. */
  readonly latencyMs?: number;
  /**
   * Keep every call in `calls` (default true). A benchmark making millions of calls turns this off and
   * reads `callCount`, which is always kept.
   */
  readonly record?: boolean;
  /**
   * Send Braze's x-ratelimit-* headers on every answer of a described endpoint, each bucket of the
   * table (src/endpoints/buckets.ts) counted on its own: this is the limit of the hourly buckets
   * (export, lists); the campaign-series bucket keeps Braze's 50,000 a minute. Default: no headers.
   */
  readonly rateLimit?: number;
  /** More counts for GET /__calls, beside `calls` (a fault handler's tallies, say). */
  readonly counts?: () => Readonly<Record<string, unknown>>;
}

/**
 * The fake's catalogue: every described endpoint, answering with the test kit's data
 * (testkit/answers/) where it has some, else with its own simulated answer.
 */
const TEST_ENDPOINTS: readonly AnyEndpoint[] = ENDPOINTS.map((endpoint) => {
  const answer = TEST_ANSWERS[endpoint.path];
  return answer ? { ...endpoint, simulate: answer } : endpoint;
});
for (const path of Object.keys(TEST_ANSWERS)) if (!ENDPOINTS.some((endpoint) => endpoint.path === path)) throw new Error(`testkit/answers: ${path} is no described endpoint`);
const route = routerOf(TEST_ENDPOINTS);

/** What the fake answers unless a test says otherwise (what the server answers by itself); pass it to `respond` to go back to it. */
export const defaultResponder: Responder = (call) => simulatedAnswer(route(call.method, call.path), new URLSearchParams(call.query), Date.now());

/**
 * Braze for tests and benchmarks: the simulated Braze of demo mode (src/simulator/server.ts: the same
 * listener, routing and bucket headers), answering with the test kit's data (testkit/answers/) and
 * recording every call; a test replaces the answers with `respond` or `handleRaw`. A path Braze does
 * not have is answered 404. Every call but GET /__calls is counted, so another process can read the
 * count over HTTP.
 */
export class FakeBraze {
  readonly #calls: RecordedCall[] = [];
  #callCount = 0;
  #responder: Responder = defaultResponder;
  #raw: RawHandler | undefined;
  readonly #latencyMs: number;
  readonly #record: boolean;
  readonly #rateLimit: number | undefined;
  readonly #counts: (() => Readonly<Record<string, unknown>>) | undefined;
  #server: BrazeServer | undefined;

  constructor(options: FakeBrazeOptions = {}) {
    const { latencyMs = 0, record = true, rateLimit, counts } = options;
    if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new Error(`latencyMs must be ≥ 0 (got ${latencyMs})`);
    if (rateLimit !== undefined && (!Number.isInteger(rateLimit) || rateLimit < 1)) throw new Error(`a rate limit must be a positive integer (got ${rateLimit})`);
    this.#latencyMs = latencyMs;
    this.#record = record;
    this.#rateLimit = rateLimit;
    this.#counts = counts;
  }

  get url(): URL {
    if (!this.#server) throw new Error('FakeBraze is not started');
    return this.#server.url;
  }

  /** Every call received, in order. Throws when recording is off, so no test reads an empty list by mistake. */
  get calls(): RecordedCall[] {
    if (!this.#record) throw new Error('FakeBraze was started with record: false; read callCount');
    return this.#calls;
  }

  /** Calls to GET /events/data_series only. */
  get seriesCalls(): RecordedCall[] {
    return this.calls.filter((c) => c.path === '/events/data_series');
  }

  /** Every call received since the start, recorded or not (GET /__calls excepted). */
  get callCount(): number {
    return this.#callCount;
  }

  async start(): Promise<this> {
    const limit = this.#rateLimit;
    this.#server = await startBrazeServer({
      // Tests assert what the gateway sends (the key among it), not that the fake refuses it.
      apiKey: null,
      endpoints: TEST_ENDPOINTS,
      buckets: limit === undefined ? [] : BUCKET_TABLE.map((bucket) => (bucket.windowMs === HOUR_MS ? { ...bucket, limit } : bucket)),
      receive: (request, incoming, response) => this.#receive(request, incoming, response),
    });
    return this;
  }

  respond(responder: Responder): void {
    this.#raw = undefined;
    this.#responder = responder;
  }

  handleRaw(handler: RawHandler): void {
    this.#raw = handler;
  }

  async close(): Promise<void> {
    await this.#server?.close();
  }

  #receive({ method, url }: BrazeRequest, incoming: IncomingMessage, response: ServerResponse): Handling | 'answered' {
    if (url.pathname === CALLS_PATH && method === 'GET') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ ...this.#counts?.(), calls: this.#callCount }));
      return 'answered';
    }
    const call: RecordedCall = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: incoming.headers };
    this.#callCount++;
    if (this.#record) this.#calls.push(call);
    // Each call is answered by what was scripted when it arrived, even if a test re-scripts meanwhile.
    const raw = this.#raw;
    const responder = this.#responder;
    if (raw) return { delayMs: this.#latencyMs, raw: (request, rawResponse) => raw(request, rawResponse, call) };
    // The default is the server's own answer (its routing to the fake's catalogue); anything else the test's.
    if (responder === defaultResponder) return { delayMs: this.#latencyMs };
    return { delayMs: this.#latencyMs, answer: () => responder(call) };
  }
}

export async function startFakeBraze(options: FakeBrazeOptions = {}): Promise<FakeBraze> {
  return new FakeBraze(options).start();
}
