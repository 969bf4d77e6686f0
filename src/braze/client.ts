import { Agent, type Dispatcher } from 'undici';
import {
  UpstreamBadRequestError,
  UpstreamError,
  UpstreamForbiddenError,
  UpstreamInvalidResponseError,
  UpstreamNotFoundError,
  UpstreamRateLimitedError,
  UpstreamTimeoutError,
  UpstreamUnauthorizedError,
  UpstreamUnavailableError,
} from '../errors.js';
import type { Logger } from '../logger.js';
import { eventSeriesSearchParams, parseEventSeriesBody, type EventSeriesCall, type EventSeriesPoint } from './eventSeries.js';

/** A real answer is ~40 bytes a point and at most 100 points; anything near this is not Braze's data. */
export const MAX_BODY_BYTES = 1024 * 1024;
const USER_AGENT = 'braze-analytics-gateway';

export interface BrazeTarget {
  /** Base URL, without a trailing slash. */
  readonly endpoint: URL;
  readonly apiKey: string;
}

export interface BrazeClientOptions extends BrazeTarget {
  readonly dispatcher: Dispatcher;
  /** Deadline of one call, from connect to the last byte. */
  readonly timeoutMs: number;
  readonly logger: Logger;
}

/** The keep-alive connection pool for Braze, shared by every request of the process. */
export function createBrazeDispatcher(timeoutMs: number): Agent {
  return new Agent({
    keepAliveTimeout: 10_000,
    connectTimeout: Math.min(timeoutMs, 10_000),
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
}

export class BrazeClient {
  readonly #options: BrazeClientOptions;

  constructor(options: BrazeClientOptions) {
    this.#options = options;
  }

  /** GET /events/data_series. Throws only UpstreamError subclasses (or the caller's own abort). */
  async eventSeries(call: EventSeriesCall, signal?: AbortSignal): Promise<EventSeriesPoint[]> {
    const { endpoint, dispatcher, timeoutMs, logger } = this.#options;
    const path = `${endpoint.pathname.replace(/\/+$/, '')}/events/data_series?${eventSeriesSearchParams(call).toString()}`;
    const deadline = AbortSignal.timeout(timeoutMs);
    const started = performance.now();
    let status: number | undefined;
    try {
      const response = await dispatcher.request({
        origin: endpoint.origin,
        path,
        method: 'GET',
        headers: {
          authorization: `Bearer ${this.#options.apiKey}`,
          accept: 'application/json',
          'user-agent': USER_AGENT,
        },
        signal: signal ? AbortSignal.any([deadline, signal]) : deadline,
      });
      status = response.statusCode;
      // The status is looked at before the body is parsed: error pages are often not JSON.
      const text = await readBoundedText(response.body, status);
      if (status < 200 || status > 299) throw this.#statusError(status, text, response.headers);
      const points = parseEventSeriesBody(text, call.unit);
      logger.debug('braze call', { upstream: { path, status, ms: elapsed(started), points: points.length } });
      return points;
    } catch (caught) {
      const error = this.#scrub(classify(caught, deadline, signal, timeoutMs, status));
      logger.warn('braze call failed', {
        upstream: { path, status, ms: elapsed(started), code: error instanceof UpstreamError ? error.code : 'ABORTED' },
        reason: error.message,
      });
      throw error;
    }
  }

  #statusError(status: number, text: string, headers: Dispatcher.ResponseData['headers']): UpstreamError {
    const said = this.#brazeMessage(text);
    const suffix = said ? `: ${said}` : '';
    switch (status) {
      case 400:
        return new UpstreamBadRequestError(`Braze rejected the request as malformed (400)${suffix}`, status);
      case 401:
        return new UpstreamUnauthorizedError(`Braze rejected the gateway's REST API key (401)${suffix}`, status);
      case 403:
        return new UpstreamForbiddenError(
          `Braze refused access: the plan, account or key permission does not allow it (403)${suffix}`,
          status,
        );
      case 404:
        return new UpstreamNotFoundError(`Braze does not know this URL (404)${suffix}`, status);
      case 429: {
        const resetAt = readResetAt(headers);
        const when = resetAt ? `; the window resets at ${resetAt.toISOString()}` : '';
        return new UpstreamRateLimitedError(`Braze's rate limit is exhausted (429)${when}`, status, resetAt);
      }
    }
    if (status >= 500) return new UpstreamUnavailableError(`Braze is unavailable (${status})${suffix}`, status);
    if (status >= 400) return new UpstreamBadRequestError(`Braze refused the request (${status})${suffix}`, status);
    return new UpstreamInvalidResponseError(`Braze answered with unexpected status ${status}`, status);
  }

  /**
   * Error messages quote Braze (its `message`, a bad value); an error page or proxy that echoes the
   * request's headers would put the key there. Every message leaving the client is scrubbed here.
   */
  #scrub(error: Error): Error {
    const { apiKey } = this.#options;
    if (error.message.includes(apiKey)) error.message = error.message.split(apiKey).join('[REDACTED]');
    return error;
  }

  /** Braze's own `message`, shortened. */
  #brazeMessage(text: string): string | undefined {
    let message: unknown;
    try {
      message = (JSON.parse(text) as { message?: unknown }).message;
    } catch {
      return undefined;
    }
    if (typeof message !== 'string' || message.trim() === '') return undefined;
    return message.length > 200 ? `${message.slice(0, 200)}…` : message;
  }
}

/** Reads the whole body as UTF-8, refusing one larger than MAX_BODY_BYTES. Always consumes or destroys it. */
async function readBoundedText(body: Dispatcher.ResponseData['body'], status: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) {
      body.destroy();
      throw new UpstreamInvalidResponseError(`Braze's answer is larger than ${MAX_BODY_BYTES} bytes`, status);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function readResetAt(headers: Dispatcher.ResponseData['headers']): Date | undefined {
  const raw = headers['x-ratelimit-reset'];
  const value = Number(Array.isArray(raw) ? raw[0] : raw);
  if (raw === undefined || !Number.isFinite(value) || value <= 0) return undefined;
  const date = new Date(value * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** Maps whatever the transport threw to our error classes. */
function classify(
  caught: unknown,
  deadline: AbortSignal,
  signal: AbortSignal | undefined,
  timeoutMs: number,
  status: number | undefined,
): Error {
  if (caught instanceof UpstreamError) return caught;
  if (signal?.aborted && !deadline.aborted) {
    return new UpstreamUnavailableError('The request was cancelled before Braze answered', status, { cause: caught });
  }
  const code = errorCode(caught);
  if (deadline.aborted || (code !== undefined && TIMEOUT_CODES.has(code))) {
    return new UpstreamTimeoutError(`Braze did not answer within ${timeoutMs} ms`, status, { cause: caught });
  }
  // Refused, reset, closed before the whole body arrived, DNS failure: Braze could not be reached.
  const what = code ?? (caught instanceof Error ? caught.name : 'unknown error');
  return new UpstreamUnavailableError(`Braze could not be reached (${what})`, status, { cause: caught });
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 3 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return undefined;
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
