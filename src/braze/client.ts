import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, type Dispatcher } from 'undici';
import {
  UpstreamBadRequestError,
  UpstreamError,
  UpstreamForbiddenError,
  UpstreamInvalidResponseError,
  RateLimitReserveError,
  UpstreamNotFoundError,
  UpstreamRateLimitedError,
  UpstreamTimeoutError,
  UpstreamUnauthorizedError,
  UpstreamUnavailableError,
  type TimeoutPhase,
} from '../errors/gatewayErrors.js';
import type { Logger } from '../observability/logger.js';
import { CircuitBreaker, type Admission, type CircuitStatus } from './circuitBreaker.js';
import { createRedactor, truncate, type Redact } from '../observability/redact.js';
import { RateLimitTracker, type RateLimitSnapshot } from './rateLimit.js';
import { ImplausibleFigureLog, readRateLimitReset } from './rateLimitHeaders.js';
import { SharedCircuitBreaker, type Breaker } from './sharedBreaker.js';
import { SharedRateLimitTracker, type RateLimitGate } from './sharedRateLimit.js';
import type { SharedUpstreamState } from './sharedStore.js';
import { countCallsWhenSent } from './rateLimitInterceptor.js';
import { callDeadline, type CallDeadline } from './deadline.js';
import { backoffDelay, isRetryable } from './retry.js';
import type { AttemptTracer } from '../observability/tracing/requestTrace.js';

const USER_AGENT = 'braze-analytics-gateway';

export interface BrazeTarget {
  /** Base URL, without a trailing slash. */
  readonly endpoint: URL;
  readonly apiKey: string;
}

/** Braze's response headers as undici gives them: lower-case names; a header sent more than once is a list. */
export type ResponseHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** One GET to Braze, as the data path describes it; the client knows nothing of what it asks. */
export interface BrazeRequest<T> {
  /** Below the endpoint's base path, e.g. `/events/data_series`. */
  readonly path: string;
  readonly params: URLSearchParams;
  /** Which rate-limit bucket the call spends (a key of the policy's reserves). */
  readonly bucket: string;
  /** The API key permission Braze requires for `path` (`kpi.dau.data_series`): a 403 names it. */
  readonly permission: string;
  /**
   * A 2xx body → the answer; throws UpstreamInvalidResponseError. Also given the redacted body, to word
   * errors. Given the response's headers too: what the data path's parser reads of them is its business.
   */
  parse(text: string, headers?: ResponseHeaders): T;
  /** A span per HTTP attempt, when the request is traced. */
  readonly trace?: AttemptTracer | undefined;
  /** Told of each HTTP attempt as it starts (the data path counts a call's retries with it). */
  readonly onAttempt?: (() => void) | undefined;
}

/** What one HTTP attempt did; `status` is Braze's HTTP status when it answered, `code` the failure. */
export interface AttemptOutcome {
  /** Braze's path, e.g. `/events/data_series`: which endpoint was asked. */
  readonly path: string;
  readonly status: number | undefined;
  readonly code: UpstreamError['code'] | undefined;
  readonly seconds: number;
}

/**
 * Told about every HTTP attempt (metrics), so the client needs no idea of who watches. Must not
 * throw: it runs on the request path.
 */
export interface UpstreamObserver {
  attempt(outcome: AttemptOutcome): void;
}

/** How the client treats Braze (config builds it from the BRAZE_* variables). */
export interface BrazeClientPolicy {
  /** Overall deadline of one upstream call, covering its retries and waits. */
  readonly timeoutMs: number;
  /** Per attempt: TCP/TLS connect. */
  readonly connectTimeoutMs: number;
  /** Per attempt: request sent → response headers. */
  readonly headersTimeoutMs: number;
  /** Per attempt: longest silence between two body chunks. */
  readonly bodyTimeoutMs: number;
  /** Attempts per call, the first included (1 = never retry). */
  readonly maxAttempts: number;
  /** Exponential backoff with full jitter: a random wait in [0, min(max, base·2^(n-1))]. */
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /** A 429 whose x-ratelimit-reset is at most this far away is waited out and retried. */
  readonly rateLimitWaitMs: number;
  /**
   * Per rate-limit bucket (its name, as requests name it): with its `remaining` at or below this, no
   * call of that bucket is made until the reset. Every bucket a request names must be here.
   */
  readonly reserves: Readonly<Record<string, number>>;
  /** Consecutive failed attempts (5xx, timeout, connection) that open the breaker; 0 = no breaker. */
  readonly breakerThreshold: number;
  readonly breakerCooldownMs: number;
  /** Concurrent connections to Braze, for the whole process. */
  readonly maxConnections: number;
  /** Larger answers are refused, not buffered. */
  readonly maxBodyBytes: number;
}

export interface BrazeClientOptions extends BrazeTarget {
  readonly dispatcher: Dispatcher;
  readonly policy: BrazeClientPolicy;
  readonly logger: Logger;
  /** Injected in tests of time-dependent behaviour; Date.now otherwise. */
  readonly now?: () => number;
  readonly observer?: UpstreamObserver | undefined;
  /** The buckets and breaker shared with other replicas through Redis; each replica's own when absent. */
  readonly shared?: SharedUpstreamState | undefined;
}

/** One rate-limit bucket as the gateway sees it. */
export interface BucketStatus {
  /** Undefined before Braze has answered a call of this bucket. */
  readonly rateLimit: RateLimitSnapshot | undefined;
  readonly reserve: number;
  readonly paused: boolean;
}

export interface UpstreamStatus {
  readonly circuit: CircuitStatus;
  readonly buckets: Readonly<Record<string, BucketStatus>>;
  /**
   * With Redis configured for shared state: `redis` while the buckets and breaker shown are the
   * workspace-wide ones, `local` while Redis is out of use and this replica shows (and follows) its own.
   */
  readonly shared?: 'redis' | 'local';
}

/** The keep-alive connection pool for Braze, shared by every request of the process. */
export function createBrazeDispatcher(policy: Pick<BrazeClientPolicy, 'maxConnections' | 'connectTimeoutMs' | 'headersTimeoutMs' | 'bodyTimeoutMs'>): Agent {
  return new Agent({
    keepAliveTimeout: 10_000,
    connections: policy.maxConnections,
    connectTimeout: policy.connectTimeoutMs,
    headersTimeout: policy.headersTimeoutMs,
    bodyTimeout: policy.bodyTimeoutMs,
  });
}

/**
 * Calls Braze like a careful production client: one overall deadline per call covering its retries,
 * exponential backoff with full jitter on 5xx and connection failures, 429s waited out when the reset
 * is near, a reserve of the shared rate-limit bucket left to others, and a circuit breaker.
 */
export class BrazeClient {
  readonly #options: BrazeClientOptions;
  readonly #breaker: Breaker;
  /** Per bucket: its tracker, and the shared pool with that tracker counting each call as it is written to a socket. */
  readonly #buckets: ReadonlyMap<string, { readonly tracker: RateLimitGate; readonly dispatcher: Dispatcher }>;
  readonly #now: () => number;
  /** Hides the key, whole, cut or encoded, in anything quoted from Braze's answers. */
  readonly #redact: Redact;

  constructor(options: BrazeClientOptions) {
    this.#options = options;
    this.#redact = createRedactor([options.apiKey]);
    this.#now = options.now ?? Date.now;
    const { shared } = options;
    const implausible = new ImplausibleFigureLog(options.logger, this.#now);
    const bucket = (name: string, reserve: number) => {
      const local = new RateLimitTracker(reserve, this.#now, (problem) => implausible.report(name, this.#redact(problem)));
      const tracker = shared ? new SharedRateLimitTracker(local, shared, name, this.#now) : local;
      return { tracker, dispatcher: options.dispatcher.compose(countCallsWhenSent(tracker)) };
    };
    this.#buckets = new Map(Object.entries(options.policy.reserves).map(([name, reserve]) => [name, bucket(name, reserve)]));
    const breaker = new CircuitBreaker({
      threshold: options.policy.breakerThreshold,
      cooldownMs: options.policy.breakerCooldownMs,
      now: this.#now,
      onChange: (status) => {
        const log = status.state === 'open' ? options.logger.warn : options.logger.info;
        log(`braze circuit ${status.state}`, { circuit: status });
      },
    });
    this.#breaker = shared
      ? new SharedCircuitBreaker(breaker, shared, { threshold: options.policy.breakerThreshold, cooldownMs: options.policy.breakerCooldownMs, now: this.#now })
      : breaker;
  }

  status(): UpstreamStatus {
    const buckets = Object.fromEntries(
      [...this.#buckets].map(([name, { tracker }]) => [name, { rateLimit: tracker.snapshot(), reserve: tracker.reserve, paused: tracker.paused() }]),
    );
    const { shared } = this.#options;
    return { circuit: this.#breaker.status(), buckets, ...(shared ? { shared: shared.available() ? 'redis' : 'local' } : {}) };
  }

  /**
   * One GET to Braze. Throws only UpstreamError subclasses, whose `attempts` says how many HTTP
   * attempts were made. `signal` is the GraphQL request's: when its client goes away, the call and any
   * backoff wait stop.
   */
  async call<T>(request: BrazeRequest<T>, signal?: AbortSignal): Promise<T> {
    const { policy } = this.#options;
    const bucket = this.#buckets.get(request.bucket);
    // A descriptor naming a bucket the table lacks: a bug of ours, found by the endpoints' unit tests.
    if (!bucket) throw new Error(`no rate-limit bucket "${request.bucket}" is configured`);
    const { tracker, dispatcher } = bucket;
    const path = `${this.#options.endpoint.pathname.replace(/\/+$/, '')}${request.path}?${request.params.toString()}`;
    const deadline = callDeadline(policy.timeoutMs, signal);
    try {
      return await this.#attempts(request, signal, deadline, path, tracker, dispatcher);
    } finally {
      deadline.release();
    }
  }

  /** The attempts of one call, until an answer, a final failure, or the deadline. */
  async #attempts<T>(
    request: BrazeRequest<T>,
    signal: AbortSignal | undefined,
    deadline: CallDeadline,
    path: string,
    tracker: RateLimitGate,
    dispatcher: Dispatcher,
  ): Promise<T> {
    const { policy, logger } = this.#options;
    const combined = deadline.signal;
    const started = this.#now();
    let attempts = 0;
    let lastError: UpstreamError | undefined;

    for (;;) {
      let admission: Admission;
      try {
        tracker.admit();
        admission = await this.#breaker.admit();
      } catch (refused) {
        // Refused before a first attempt: that is the answer. Refused before a retry: the last real
        // failure says more than "paused".
        throw this.#final(lastError ?? (refused as UpstreamError), attempts);
      }
      attempts++;
      request.onAttempt?.();
      const attemptStarted = performance.now();
      const traced = request.trace?.startAttempt(attempts);
      try {
        const { answer, status } = await this.#attempt(dispatcher, path, request, combined);
        traced?.end({ status });
        this.#observe(request.path, status, undefined, attemptStarted);
        this.#breaker.success(admission);
        logger.debug('braze call', { upstream: { path, attempts, ms: this.#now() - started } });
        return answer;
      } catch (caught) {
        const error = this.#scrub(classify(caught, deadline, signal, policy.timeoutMs));
        if (error instanceof RateLimitReserveError) {
          // Refused at the socket (calls sent while this one queued reached the reserve): nothing
          // left, so this was no attempt and says nothing of Braze's health.
          this.#breaker.release(admission);
          traced?.end({ code: error.code });
          throw this.#final(lastError ?? error, attempts - 1);
        }
        this.#observe(request.path, error.status, error.code, attemptStarted);
        this.#record(admission, error, signal);
        lastError = error;
        const delay = this.#retryDelay(error, attempts, started);
        traced?.end({ status: error.status, code: error.code, retryWaitMs: delay });
        logger.warn(delay === undefined ? 'braze call failed' : 'braze attempt failed, retrying', {
          upstream: { path, attempt: attempts, status: error.status, code: error.code, ms: this.#now() - started },
          reason: error.message,
          ...(delay === undefined ? {} : { retryInMs: delay }),
        });
        if (delay === undefined) throw this.#final(error, attempts);
        try {
          await sleep(delay, undefined, { signal: combined });
        } catch (aborted) {
          throw this.#final(this.#scrub(classify(aborted, deadline, signal, policy.timeoutMs)), attempts);
        }
      }
    }
  }

  #observe(path: string, status: number | undefined, code: UpstreamError['code'] | undefined, started: number): void {
    this.#options.observer?.attempt({ path, status, code, seconds: (performance.now() - started) / 1000 });
  }

  /** One HTTP exchange: request, status, bounded body, validation. */
  async #attempt<T>(dispatcher: Dispatcher, path: string, request: BrazeRequest<T>, signal: AbortSignal): Promise<{ answer: T; status: number }> {
    const { endpoint, policy } = this.#options;
    const response = await dispatcher.request({
      origin: endpoint.origin,
      path,
      method: 'GET',
      headers: {
        authorization: `Bearer ${this.#options.apiKey}`,
        accept: 'application/json',
        'user-agent': USER_AGENT,
      },
      signal,
    });
    const status = response.statusCode;
    // The status is looked at before the body is parsed: error pages are often not JSON.
    const text = await readBoundedText(response, policy.maxBodyBytes);
    // Braze's words are redacted before anything quotes and cuts them: a cut can split the key.
    if (status < 200 || status > 299) throw this.#statusError(status, this.#redact(text), response.headers, request);
    try {
      return { answer: request.parse(text, response.headers), status };
    } catch (invalid) {
      if (invalid instanceof UpstreamInvalidResponseError) {
        throw new UpstreamInvalidResponseError(this.#invalidAnswerMessage(text, response.headers, request, invalid), status);
      }
      throw invalid;
    }
  }

  /**
   * The parser's message quotes the body, cut short. Parsing is done on the raw body (no cost on the
   * hot path); only when it fails is the message built again from the redacted body.
   */
  #invalidAnswerMessage(text: string, headers: ResponseHeaders, request: BrazeRequest<unknown>, invalid: UpstreamInvalidResponseError): string {
    try {
      request.parse(this.#redact(text), headers);
    } catch (again) {
      if (again instanceof UpstreamInvalidResponseError) return again.message;
    }
    return this.#redact(invalid.message);
  }

  /** Tells the breaker what this attempt said about Braze's health. */
  #record(admission: Admission, error: UpstreamError, signal: AbortSignal | undefined): void {
    if (signal?.aborted) this.#breaker.release(admission);
    else if (error instanceof UpstreamUnavailableError || error instanceof UpstreamTimeoutError) {
      this.#breaker.failure(admission);
    } else this.#breaker.success(admission);
  }

  /** How long to wait before the next attempt, or undefined to give up now. */
  #retryDelay(error: UpstreamError, attempts: number, started: number): number | undefined {
    const { policy } = this.#options;
    if (attempts >= policy.maxAttempts) return undefined;
    const left = policy.timeoutMs - (this.#now() - started);
    if (error instanceof UpstreamRateLimitedError) {
      if (!error.resetAt) return undefined;
      // Braze documents no Retry-After: the window's reset is when calls are accepted again.
      const wait = Math.max(0, error.resetAt.getTime() - this.#now()) + 50;
      return wait <= policy.rateLimitWaitMs && wait < left ? wait : undefined;
    }
    if (!isRetryable(error)) return undefined;
    const delay = backoffDelay(attempts, policy.retryBaseMs, policy.retryMaxMs);
    return delay < left ? delay : undefined;
  }

  #final(error: UpstreamError, attempts: number): UpstreamError {
    error.attempts = attempts;
    return error;
  }

  #statusError(status: number, text: string, headers: Dispatcher.ResponseData['headers'], request: BrazeRequest<unknown>): UpstreamError {
    const said = brazeMessage(text);
    const suffix = said ? `: ${said}` : '';
    const saidLast = said ? ` Braze said: ${said}` : '';
    switch (status) {
      case 400:
        return new UpstreamBadRequestError(`Braze rejected the request as malformed (400)${suffix}`, status);
      // What 401 and 403 mean is Braze's errors page's word (docs/permissions.md quotes it).
      case 401:
        return new UpstreamUnauthorizedError(
          `Braze rejected the gateway's REST API key (401): Braze does not know this key on this instance (a wrong or deleted key, or one of another instance than BRAZE_INSTANCE or BRAZE_REST_ENDPOINT names). Not a missing permission: Braze answers that with 403.${saidLast}`,
          status,
        );
      case 403:
        return new UpstreamForbiddenError(
          `Braze refused ${request.path} to the gateway's REST API key (403): it needs the key permission ${request.permission}. A Braze key's permissions are set when it is created: create a key with this one (Braze dashboard, Settings > APIs and Identifiers) and set BRAZE_API_KEY to it. Braze also answers 403 when the plan does not include this export or the account is inactive.${saidLast}`,
          status,
          request.permission,
        );
      case 404:
        return new UpstreamNotFoundError(`Braze does not know this URL (404)${suffix}`, status);
      case 429: {
        const resetMs = readRateLimitReset(headers, this.#now());
        const resetAt = resetMs === undefined ? undefined : new Date(resetMs);
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
  #scrub<E extends Error>(error: E): E {
    error.message = this.#redact(error.message);
    return error;
  }
}

/** Braze's own `message`, shortened (`text` is already redacted). */
function brazeMessage(text: string): string | undefined {
  let message: unknown;
  try {
    message = (JSON.parse(text) as { message?: unknown }).message;
  } catch {
    return undefined;
  }
  if (typeof message !== 'string' || message.trim() === '') return undefined;
  return truncate(message, 200);
}

/**
 * Reads the whole body as UTF-8, refusing one larger than `maxBytes` (by its content-length before
 * reading, or as it streams). The body is always consumed or destroyed, so no socket is left hanging.
 */
async function readBoundedText(response: Dispatcher.ResponseData, maxBytes: number): Promise<string> {
  const { body, statusCode } = response;
  const tooLarge = () =>
    new UpstreamInvalidResponseError(`Braze's answer is larger than ${maxBytes} bytes`, statusCode);
  // Only plain digits are a length (undici fails a body that does not match a malformed one anyway).
  const length = response.headers['content-length'];
  const declared = typeof length === 'string' && /^[0-9]{1,16}$/.test(length) ? Number(length) : undefined;
  if (declared !== undefined && declared > maxBytes) {
    body.destroy();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBytes) {
      body.destroy();
      throw tooLarge();
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const TIMEOUT_CODES = new Map<string, TimeoutPhase>([
  ['UND_ERR_CONNECT_TIMEOUT', 'connect'],
  ['UND_ERR_HEADERS_TIMEOUT', 'headers'],
  ['UND_ERR_BODY_TIMEOUT', 'body'],
]);

/** Maps whatever the transport threw to our error classes. */
function classify(
  caught: unknown,
  deadline: Pick<CallDeadline, 'timedOut'>,
  signal: AbortSignal | undefined,
  timeoutMs: number,
): UpstreamError {
  if (caught instanceof UpstreamError) return caught;
  if (signal?.aborted && !deadline.timedOut) {
    return new UpstreamUnavailableError('The request was cancelled before Braze answered', undefined, { cause: caught });
  }
  if (deadline.timedOut) {
    return new UpstreamTimeoutError(`Braze did not answer within ${timeoutMs} ms`, 'deadline', { cause: caught });
  }
  const code = errorCode(caught);
  if (code !== undefined && TIMEOUT_CODES.has(code)) {
    const phase = TIMEOUT_CODES.get(code) ?? 'deadline';
    return new UpstreamTimeoutError(`Braze did not answer in time (${phase} timeout)`, phase, { cause: caught });
  }
  // Refused, reset, closed before the whole body arrived, DNS failure: Braze could not be reached.
  const what = code ?? (caught instanceof Error ? caught.name : 'unknown error');
  return new UpstreamUnavailableError(`Braze could not be reached (${what})`, undefined, { cause: caught });
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
