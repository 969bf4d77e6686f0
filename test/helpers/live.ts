import { request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { createClient, type Client } from 'graphql-sse';
import { expect } from 'vitest';
import type { FakeBraze } from '../../testkit/fakeBraze.js';
import type { TestGateway } from './gateway.js';
import { sampleValue } from './prometheus.js';

/** Poll interval in the live tests: the live cache lifetime (above the minimum, so the TTL rule decides). */
export const LIVE_INTERVAL_MS = 600;

/** A gateway for the live tests: polls every LIVE_INTERVAL_MS, room for a few hundred subscriptions, no waits on a 429. */
export const LIVE_TEST_ENV: Readonly<Record<string, string>> = {
  CACHE_TTL_LIVE_MS: String(LIVE_INTERVAL_MS),
  LIVE_MIN_INTERVAL_MS: '300',
  LIVE_MAX_SUBSCRIPTIONS: '400',
  LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT: '300',
  BRAZE_RATE_LIMIT_WAIT_MS: '0',
};

/** One live subscription as a client sees it: every result pushed, and how it ended. */
export interface LiveStream<T = Record<string, unknown>> {
  readonly results: { data?: T | null; errors?: readonly { message: string; extensions?: Record<string, unknown> }[] }[];
  /** Set once the stream ends: 'complete', or the error that ended it. */
  readonly ended: 'complete' | Error | undefined;
  /** Resolves when `results` holds at least `count` results (rejects if the stream ends before). */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  /** Resolves when the stream ends. */
  done: Promise<void>;
  /** Unsubscribes (aborts the SSE request). */
  close(): void;
}

/**
 * A graphql-sse client (distinct connections mode: one SSE request per subscription, what yoga serves
 * without a plugin) sending the gateway's credential unless `headers` say otherwise. No retries: a
 * dropped stream must show as an error.
 */
export function liveClient(gateway: TestGateway, headers: Record<string, string> = gateway.authHeaders): Client {
  return createClient({ url: gateway.url.href, headers, retryAttempts: 0 });
}

export function subscribe<T = Record<string, unknown>>(client: Client, query: string, variables: Record<string, unknown> = {}): LiveStream<T> {
  return streamOf<T>((sink) => client.subscribe<T>({ query, variables }, sink), (error) => new Error(JSON.stringify(error)));
}

/** What a graphql-sse or graphql-ws client calls on one operation's results. */
export interface StreamSink {
  next(result: unknown): void;
  error(error: unknown): void;
  complete(): void;
}

/**
 * One operation of a client whose `subscribe(payload, sink)` returns its dispose (graphql-sse's and
 * graphql-ws's alike), collected as a LiveStream; `asError` says what a non-Error failure was.
 */
export function streamOf<T>(subscribe: (sink: StreamSink) => () => void, asError: (error: unknown) => Error): LiveStream<T> {
  const results: LiveStream<T>['results'] = [];
  const waiters = new Set<() => void>();
  let ended: LiveStream<T>['ended'];
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const notify = (): void => {
    for (const waiter of [...waiters]) waiter();
  };
  const dispose = subscribe({
    next: (result) => {
      results.push(result as LiveStream<T>['results'][number]);
      notify();
    },
    error: (error) => {
      ended = error instanceof Error ? error : asError(error);
      finish();
      notify();
    },
    complete: () => {
      ended ??= 'complete';
      finish();
      notify();
    },
  });
  return {
    results,
    get ended() {
      return ended;
    },
    done,
    close: dispose,
    waitFor(count, timeoutMs = 10_000) {
      return new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (results.length >= count) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve();
          } else if (ended !== undefined) {
            waiters.delete(check);
            clearTimeout(timer);
            reject(new Error(`stream ended (${String(ended)}) after ${results.length} results, waiting for ${count}`));
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out with ${results.length} results, waiting for ${count}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` until it holds (or fails the test after `timeoutMs`). */
export async function until(condition: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/**
 * Once every subscriber has left: nothing of the polls is left (no poll, timer or call in flight), and
 * Braze hears no more calls for `quietMs`.
 */
export async function expectPollingStopped(gateway: TestGateway, braze: FakeBraze, quietMs: number): Promise<void> {
  await until(() => gateway.running.live.stats().subscriptions === 0, 5_000, 'every subscription released');
  expect(gateway.running.live.stats()).toEqual({ polls: 0, subscriptions: 0, timers: 0, inFlight: 0 });
  // A poll whose call was on the wire as the last subscriber left is aborted, but Braze may still see it arrive.
  await sleep(100);
  const stopped = braze.calls.length;
  await sleep(quietMs);
  expect(braze.calls.length).toBe(stopped);
}

/**
 * The times Braze was called for one series show one poll per interval, not one per subscriber: no two
 * calls close together (a second poller would make gaps near 0), and an interval apart on average. A
 * call reaches Braze some milliseconds after its poll starts, more on a loaded machine, so one gap may
 * be short by what the next one is long: single gaps are held to half an interval, their mean to 0.8.
 * Nor fewer: a poll that finds its own previous answer in the cache skips Braze for a whole interval
 * (gaps of two intervals), so the mean is held to 1.6 intervals, room for a loaded machine's late timers.
 */
export function expectOneCallPerInterval(times: readonly number[], intervalMs: number, what: string): void {
  const gaps = times.slice(1).map((time, i) => time - times[i]!);
  expect(gaps.length, what).toBeGreaterThanOrEqual(2);
  for (const gap of gaps) expect(gap, what).toBeGreaterThanOrEqual(intervalMs * 0.5);
  const mean = gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length;
  expect(mean, what).toBeGreaterThanOrEqual(intervalMs * 0.8);
  expect(mean, what).toBeLessThanOrEqual(intervalMs * 1.6);
}

/** The live gauges /metrics shows: braze_gateway_live_subscriptions and braze_gateway_live_polls. */
export async function liveGauges(gateway: TestGateway): Promise<{ subscriptions: number | undefined; polls: number | undefined }> {
  const text = await (await fetch(new URL('/metrics', gateway.url))).text();
  return { subscriptions: sampleValue(text, 'braze_gateway_live_subscriptions'), polls: sampleValue(text, 'braze_gateway_live_polls') };
}

/** Nothing of the live series is held: no subscription, poll, timer or call in flight, and /metrics says 0 and 0. */
export async function expectNothingHeld(gateway: TestGateway, what = 'every subscription released'): Promise<void> {
  await until(() => gateway.running.live.stats().subscriptions === 0 && gateway.running.live.stats().polls === 0, 5_000, what);
  expect(gateway.running.live.stats(), what).toEqual({ polls: 0, subscriptions: 0, timers: 0, inFlight: 0 });
  expect(await liveGauges(gateway), what).toEqual({ subscriptions: 0, polls: 0 });
}

/** One HTTP exchange sent with node:http: exactly the headers given (none added, an array sends a header once per value). */
export interface Exchange {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The body received so far. */
  body(): string;
  /** Resolves once the body holds an SSE `next` event, with its data parsed. */
  nextEvent(timeoutMs?: number): Promise<{ data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] }>;
  /** Resolves when the response ended (or the connection closed). */
  readonly ended: Promise<void>;
  /** Drops the connection, as a client going away. */
  close(): void;
}

export interface ExchangeOptions {
  readonly method: 'GET' | 'POST';
  readonly query: string;
  readonly variables?: Record<string, unknown>;
  readonly headers: OutgoingHttpHeaders;
}

/** POSTs `query` as JSON, or GETs it in the query string; resolves once the status and headers arrived. */
export function exchange(url: URL, { method, query, variables, headers }: ExchangeOptions): Promise<Exchange> {
  const target = new URL(url);
  let body: string | undefined;
  if (method === 'GET') {
    target.searchParams.set('query', query);
    if (variables) target.searchParams.set('variables', JSON.stringify(variables));
  } else body = JSON.stringify({ query, variables });
  return new Promise((resolve, reject) => {
    // A connection of its own (no agent): the exchange's end is its connection's, and no pooled socket the gateway closed is reused.
    const request = httpRequest(target, { method, agent: false, headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers } });
    request.once('error', reject);
    request.once('response', (response) => {
      let text = '';
      const listeners = new Set<() => void>();
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
        listeners.forEach((listener) => listener());
      });
      response.on('error', () => undefined);
      const ended = new Promise<void>((done) => {
        response.once('end', done);
        response.once('close', done);
      });
      resolve({
        status: response.statusCode ?? 0,
        headers: response.headers,
        body: () => text,
        ended,
        close: () => request.destroy(),
        nextEvent: (timeoutMs = 10_000) =>
          new Promise((found, failed) => {
            const check = (): void => {
              const match = /event: next\ndata: (.*)\n\n/.exec(text);
              if (!match) return;
              listeners.delete(check);
              clearTimeout(timer);
              found(JSON.parse(match[1] ?? 'null') as never);
            };
            const timer = setTimeout(() => {
              listeners.delete(check);
              failed(new Error(`no SSE next event within ${timeoutMs} ms; got ${JSON.stringify(text.slice(0, 500))}`));
            }, timeoutMs);
            listeners.add(check);
            check();
          }),
      });
    });
    request.end(body);
  });
}
