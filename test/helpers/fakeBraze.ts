import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the gateway sent, as Braze would have seen it. */
export interface RecordedCall {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: IncomingMessage['headers'];
}

/** A scripted answer: status, headers and a body (an object is sent as JSON). */
export interface CannedAnswer {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Full control over the socket, for faults (resets, stalls, truncated bodies). */
export type RawHandler = (request: IncomingMessage, response: ServerResponse, call: RecordedCall) => void;
export type Responder = (call: RecordedCall) => CannedAnswer | Promise<CannedAnswer>;

/**
 * A local HTTP server playing Braze. By default it answers every data_series call with a
 * deterministic series (see `defaultSeries`); a test replaces that with `respond` or `handleRaw`.
 */
export class FakeBraze {
  readonly calls: RecordedCall[] = [];
  #responder: Responder = (call) => ({ body: defaultSeries(call.query) });
  #raw: RawHandler | undefined;
  readonly #server = createServer((request, response) => this.#handle(request, response));
  #url: URL | undefined;

  get url(): URL {
    if (!this.#url) throw new Error('FakeBraze is not started');
    return this.#url;
  }

  /** Calls to GET /events/data_series only. */
  get seriesCalls(): RecordedCall[] {
    return this.calls.filter((c) => c.path === '/events/data_series');
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    const { port } = this.#server.address() as AddressInfo;
    this.#url = new URL(`http://127.0.0.1:${port}`);
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
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://fake.invalid');
    const call: RecordedCall = {
      method: request.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: request.headers,
    };
    this.calls.push(call);
    if (this.#raw) return this.#raw(request, response, call);
    Promise.resolve(this.#responder(call)).then(
      ({ status = 200, headers = {}, body }) => {
        const text = typeof body === 'string' ? body : JSON.stringify(body ?? {});
        response.writeHead(status, { 'content-type': 'application/json', ...headers });
        response.end(text);
      },
      () => response.destroy(),
    );
  }
}

export async function startFakeBraze(): Promise<FakeBraze> {
  return new FakeBraze().start();
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * A Braze-shaped answer for any query: `length` buckets ending at the bucket of `ending_at`, with
 * count = index + 1 (so totals are easy to assert: n(n+1)/2). Days as dates, hours without offset.
 */
export function defaultSeries(query: Readonly<Record<string, string>>): unknown {
  const length = Number(query['length']);
  const daily = (query['unit'] ?? 'day') === 'day';
  const step = daily ? DAY_MS : HOUR_MS;
  const last = Math.floor(Date.parse(query['ending_at'] ?? '') / step) * step;
  const data = Array.from({ length }, (_, index) => {
    const iso = new Date(last - (length - 1 - index) * step).toISOString();
    return { time: daily ? iso.slice(0, 10) : iso.slice(0, 19), count: index + 1 };
  });
  return { message: 'success', data };
}
