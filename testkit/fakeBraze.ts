import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultCampaignAnswer } from './answers/campaigns.js';
import { defaultCanvasAnswer } from './answers/canvases.js';
import { defaultListAnswer } from './answers/lists.js';
import { FakeRateLimit } from './fakeRateLimit.js';

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

/**
 * Full control over the socket, for faults (resets, stalls, truncated bodies). With a latency, the
 * client may have left by the time it runs: check `response.destroyed`.
 */
export type RawHandler = (request: IncomingMessage, response: ServerResponse, call: RecordedCall) => void;
export type Responder = (call: RecordedCall) => CannedAnswer | Promise<CannedAnswer>;

/** Braze meters this path in its own bucket, 50,000 a minute (braze-docs PR 6748). */
const CAMPAIGN_SERIES_PATH = '/campaigns/data_series';
const CAMPAIGN_SERIES_RATE_LIMIT = 50_000;
const MINUTE_MS = 60_000;

/** The fake's own route, never a Braze one: GET answers `{"calls": n, ...}` (see `FakeBrazeOptions.counts`). */
export const CALLS_PATH = '/__calls';

export interface FakeBrazeOptions {
  /** Every call waits this long before it is answered (or handed to `handleRaw`). Default 0: at once. */
  readonly latencyMs?: number;
  /**
   * Keep every call in `calls` (default true). A benchmark making millions of calls turns this off and
   * reads `callCount`, which is always kept.
   */
  readonly record?: boolean;
  /**
   * Send Braze's x-ratelimit-* headers on every answer, counting down from this hourly limit;
   * /campaigns/data_series answers report that path's own bucket instead (50,000 a minute).
   */
  readonly rateLimit?: number;
  /** More counts for GET /__calls, beside `calls` (a fault handler's tallies, say). */
  readonly counts?: () => Readonly<Record<string, unknown>>;
}

/** What the fake answers unless a test says otherwise; pass it to `respond` to go back to it. */
export const defaultResponder: Responder = (call) => ({
  body: defaultCanvasAnswer(call) ?? defaultListAnswer(call, (query) => defaultSeries(query)) ?? defaultCampaignAnswer(call) ?? defaultSeries(call.query, call.path),
});

/**
 * A local HTTP server playing Braze. By default it answers every data_series call with a
 * deterministic series (see `defaultSeries`), and the list and segment endpoints with the lists of
 * answers/lists.ts; a test replaces that with `respond` or `handleRaw`.
 * Every call but GET /__calls is counted, so another process can read the count over HTTP.
 */
export class FakeBraze {
  readonly #calls: RecordedCall[] = [];
  #callCount = 0;
  #responder: Responder = defaultResponder;
  #raw: RawHandler | undefined;
  readonly #latencyMs: number;
  readonly #record: boolean;
  readonly #rateLimit: FakeRateLimit | undefined;
  /** /campaigns/data_series's own bucket (50,000 a minute), reported on its answers only. */
  readonly #campaignSeriesRateLimit: FakeRateLimit | undefined;
  readonly #counts: (() => Readonly<Record<string, unknown>>) | undefined;
  readonly #server = createServer((request, response) => this.#handle(request, response));
  #url: URL | undefined;

  constructor(options: FakeBrazeOptions = {}) {
    const { latencyMs = 0, record = true, rateLimit, counts } = options;
    if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new Error(`latencyMs must be ≥ 0 (got ${latencyMs})`);
    this.#latencyMs = latencyMs;
    this.#record = record;
    this.#rateLimit = rateLimit === undefined ? undefined : new FakeRateLimit(rateLimit);
    this.#campaignSeriesRateLimit = rateLimit === undefined ? undefined : new FakeRateLimit(CAMPAIGN_SERIES_RATE_LIMIT, Date.now, MINUTE_MS);
    this.#counts = counts;
  }

  get url(): URL {
    if (!this.#url) throw new Error('FakeBraze is not started');
    return this.#url;
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
    if (url.pathname === CALLS_PATH && request.method === 'GET') return this.#serveCounts(response);
    const call: RecordedCall = {
      method: request.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: request.headers,
    };
    this.#callCount++;
    if (this.#record) this.#calls.push(call);
    // Each call is answered by what was scripted when it arrived, even if a test re-scripts meanwhile.
    const raw = this.#raw;
    const responder = this.#responder;
    const answer = (): void => {
      const rateLimit = call.path === CAMPAIGN_SERIES_PATH ? this.#campaignSeriesRateLimit : this.#rateLimit;
      if (rateLimit) for (const [name, value] of Object.entries(rateLimit.take())) response.setHeader(name, value);
      if (raw) return raw(request, response, call);
      this.#answer(responder, call, response);
    };
    if (this.#latencyMs > 0) setTimeout(answer, this.#latencyMs);
    else answer();
  }

  #answer(responder: Responder, call: RecordedCall, response: ServerResponse): void {
    // A responder that throws is a failed answer like a rejected one: the socket is destroyed.
    new Promise<CannedAnswer>((resolve) => resolve(responder(call))).then(
      ({ status = 200, headers = {}, body }) => {
        // The gateway may have given up on this call already.
        if (response.destroyed) return;
        const text = typeof body === 'string' ? body : JSON.stringify(body ?? {});
        response.writeHead(status, { 'content-type': 'application/json', ...headers });
        response.end(text);
      },
      () => response.destroy(),
    );
  }

  #serveCounts(response: ServerResponse): void {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ ...this.#counts?.(), calls: this.#callCount }));
  }
}

export async function startFakeBraze(options: FakeBrazeOptions = {}): Promise<FakeBraze> {
  return new FakeBraze(options).start();
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * The field Braze puts each point's value in, by series path; `count` (GET /events/data_series) for
 * any other path.
 */
const SERIES_MEASURES: Readonly<Record<string, string>> = {
  '/kpi/dau/data_series': 'dau',
  '/kpi/mau/data_series': 'mau',
  '/kpi/new_users/data_series': 'new_users',
  '/kpi/uninstalls/data_series': 'uninstalls',
  '/sessions/data_series': 'sessions',
  '/purchases/quantity_series': 'purchase_quantity',
  '/purchases/revenue_series': 'revenue',
};

/**
 * A Braze-shaped answer for any query: `length` buckets ending at the bucket of `ending_at`, with
 * value = index + 1 (so totals are easy to assert: n(n+1)/2), in the field `path`'s series names
 * (`count` by default). Revenue has cents: index + 1.1, which float sums get wrong (n(n+1)/2 + n/10 exactly).
 * Days as dates, hours without offset.
 */
export function defaultSeries(query: Readonly<Record<string, string>>, path = '/events/data_series'): unknown {
  const length = Number(query['length']);
  const daily = (query['unit'] ?? 'day') === 'day';
  const step = daily ? DAY_MS : HOUR_MS;
  const last = Math.floor(Date.parse(query['ending_at'] ?? '') / step) * step;
  const measure = SERIES_MEASURES[path] ?? 'count';
  const data = Array.from({ length }, (_, index) => {
    const iso = new Date(last - (length - 1 - index) * step).toISOString();
    return { time: daily ? iso.slice(0, 10) : iso.slice(0, 19), [measure]: measure === 'revenue' ? index + 1.1 : index + 1 };
  });
  return { message: 'success', data };
}

/**
 * A Braze-shaped answer from a workspace in `timeZone`: DAY buckets are that zone's calendar days
 * (the last one holding `ending_at`), HOUR buckets start on that zone's whole hours (at :30 UTC in
 * India, say), sent as UTC date-times. Each value names its bucket: days since 1970-01-01 for a DAY,
 * hours since 1970-01-01T00:00Z (rounded down) for an HOUR, so a stitched series shows exactly which
 * buckets it holds. For the seams of long windows.
 */
export function seriesInTimeZone(query: Readonly<Record<string, string>>, timeZone: string, path = '/events/data_series'): unknown {
  const length = Number(query['length']);
  const endingAt = Date.parse(query['ending_at'] ?? '');
  const measure = SERIES_MEASURES[path] ?? 'count';
  if ((query['unit'] ?? 'day') === 'day') {
    const lastDay = Date.parse(localDate(endingAt, timeZone)) / DAY_MS;
    const data = Array.from({ length }, (_, index) => {
      const day = lastDay - (length - 1 - index);
      return { time: new Date(day * DAY_MS).toISOString().slice(0, 10), [measure]: day };
    });
    return { message: 'success', data };
  }
  // Start of the local hour holding `ending_at`: whole hours of local time, whatever the offset.
  const offsetMs = utcOffsetMs(endingAt, timeZone);
  const lastHourStart = Math.floor((endingAt + offsetMs) / HOUR_MS) * HOUR_MS - offsetMs;
  const data = Array.from({ length }, (_, index) => {
    const start = lastHourStart - (length - 1 - index) * HOUR_MS;
    return { time: new Date(start).toISOString().slice(0, 19) + 'Z', [measure]: Math.floor(start / HOUR_MS) };
  });
  return { message: 'success', data };
}

/** `YYYY-MM-DD` of `instant` on the calendar of `timeZone`. */
export function localDate(instant: number, timeZone: string): string {
  return formatter(`date ${timeZone}`, () => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })).format(instant);
}

// Building a formatter costs far more than using one; property tests format thousands of instants.
const FORMATTERS = new Map<string, Intl.DateTimeFormat>();
function formatter(key: string, create: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let made = FORMATTERS.get(key);
  if (!made) FORMATTERS.set(key, (made = create()));
  return made;
}

function utcOffsetMs(instant: number, timeZone: string): number {
  const parts = formatter(`offset ${timeZone}`, () => new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })).formatToParts(instant);
  const name = parts.find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name);
  if (!match) throw new Error(`unexpected offset "${name}" for ${timeZone}`);
  if (match[1] === undefined) return 0;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) * 60_000;
}
