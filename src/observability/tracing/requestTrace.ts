import { AsyncLocalStorage } from 'node:async_hooks';
import { SpanKind, SpanStatusCode, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_RESEND_COUNT,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
} from '@opentelemetry/semantic-conventions';
import type { GraphQLResolveInfo } from 'graphql';
import { findGatewayError } from '../../errors/gatewayErrors.js';
import {
  BRAZE_ATTEMPT,
  BRAZE_BUCKET,
  BRAZE_COALESCED,
  BRAZE_DEDUPLICATED,
  BRAZE_ENDPOINT,
  BRAZE_RETRY_WAIT_MS,
  BRAZE_SOURCE,
  GRAPHQL_ERROR_CODES,
  GRAPHQL_FIELD_NAME,
  GRAPHQL_FIELD_PATH,
  GRAPHQL_OPERATION_NAME,
  GRAPHQL_OPERATION_TYPE,
  GRAPHQL_PARENT_TYPE,
} from './attributes.js';

/** What a request's spans are made with: the started SDK (tracing.ts's TraceSource is one). */
export interface TraceSource {
  readonly tracer: Tracer;
  /** The caller's trace (W3C `traceparent` / `tracestate`) from request headers; the root context when none or malformed. */
  extract(headers: Headers): Context;
  /** Braze as attempt spans name it: server.address, server.port, url.scheme and the base path. */
  readonly braze: BrazeServer;
}

export interface BrazeServer {
  readonly address: string;
  readonly port: number;
  readonly scheme: string;
  /** The endpoint's own path, without a trailing slash (usually empty). */
  readonly basePath: string;
}

/** What a traced load needs to know of its endpoint. */
export interface TracedEndpoint {
  readonly name: string;
  readonly path: string;
  readonly bucket: string;
}

/** How an HTTP attempt to Braze ended, as the client knows it. */
export interface AttemptOutcome {
  /** Braze's HTTP status, when it answered. */
  readonly status?: number | undefined;
  /** The failure's code (UPSTREAM_UNAVAILABLE, …), when it failed. */
  readonly code?: string | undefined;
  /** When a retry follows: the wait before it. */
  readonly retryWaitMs?: number | undefined;
}

/** Given to the Braze client with a call: one span per HTTP attempt. */
export interface AttemptTracer {
  startAttempt(attempt: number): { end(outcome: AttemptOutcome): void };
}

/** What a resolver scope holds: the field, when it started, and its span once it loads something. */
interface FieldScope {
  readonly trace: RequestTrace;
  readonly info: GraphQLResolveInfo;
  /** performance.now() when the resolver started (the SDK reads such a number on its own clock). */
  readonly startTime: number;
  span: Span | undefined;
  context: Context | undefined;
}

const fields = new AsyncLocalStorage<FieldScope>();

/**
 * One GraphQL request's spans: the operation (continuing the caller's trace), a span per resolver that
 * loads Braze data (made when it first loads, dated from when it started), a span per load (one per
 * long-window chunk), and a client span per HTTP attempt below the load that made the call.
 */
export class RequestTrace {
  readonly #tracing: TraceSource;
  #context: Context;
  #operation: Span | undefined;
  #ended = false;
  /** The first load of each call key in this request: where that call's attempts are recorded. */
  readonly #firstLoads = new Map<string, Load>();

  constructor(tracing: TraceSource, headers: Headers) {
    this.#tracing = tracing;
    this.#context = tracing.extract(headers);
  }

  /**
   * Sampled (set when the operation starts): resolvers are scoped and spans made. When not, a field
   * costs one read of this more. A field, not a getter: every field resolution reads it.
   */
  recording = false;

  startOperation(type: string, name: string | undefined): void {
    if (this.#operation) return;
    this.#operation = this.#tracing.tracer.startSpan(
      name ? `${type} ${name}` : type,
      { kind: SpanKind.SERVER, attributes: { [GRAPHQL_OPERATION_TYPE]: type, ...(name ? { [GRAPHQL_OPERATION_NAME]: name } : {}) } },
      this.#context,
    );
    this.#context = trace.setSpan(this.#context, this.#operation);
    this.recording = this.#operation.isRecording();
  }

  /** Ends the operation span; once only (a stream's last payload and its end both call this). */
  endOperation(errors: readonly unknown[]): void {
    const span = this.#operation;
    if (!span || this.#ended) return;
    this.#ended = true;
    if (errors.length > 0) {
      const codes = [...new Set(errors.map(errorCode))];
      span.setAttribute(GRAPHQL_ERROR_CODES, codes);
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end();
  }

  /**
   * Runs a resolver in a scope of its own, so that a load it makes (however many awaits later) is
   * recorded under a span for it. Its span, if any, ends when its value settles.
   */
  resolve<A extends unknown[], T>(info: GraphQLResolveInfo, resolver: (...args: A) => T, ...args: A): T {
    const scope: FieldScope = { trace: this, info, startTime: performance.now(), span: undefined, context: undefined };
    let result: T;
    try {
      result = fields.run(scope, resolver, ...args);
    } catch (error) {
      endField(scope, error);
      throw error;
    }
    if (isPromiseLike(result)) {
      result.then(
        () => endField(scope, undefined),
        (error: unknown) => endField(scope, error),
      );
    } else endField(scope, undefined);
    return result;
  }

  /** A load of `endpoint`'s call `key`, under the resolver asking for it. */
  startLoad(endpoint: TracedEndpoint, key: string): Load {
    const callKey = `${endpoint.name}:${key}`;
    const first = this.#firstLoads.get(callKey);
    const load = new Load(this.#tracing, endpoint, this.#parentOfLoad(), first !== undefined);
    if (!first) this.#firstLoads.set(callKey, load);
    return load;
  }

  /** Attempts of the call `key` go below the request's first load of it (undefined: not loaded in this request). */
  attemptsOf(endpoint: TracedEndpoint, key: string): AttemptTracer | undefined {
    return this.#firstLoads.get(`${endpoint.name}:${key}`);
  }

  #parentOfLoad(): Context {
    const scope = fields.getStore();
    if (scope?.trace !== this) return this.#context;
    if (!scope.context) {
      const { info } = scope;
      scope.span = this.#tracing.tracer.startSpan(
        `graphql.resolve ${info.parentType.name}.${info.fieldName}`,
        {
          startTime: scope.startTime,
          attributes: {
            [GRAPHQL_FIELD_NAME]: info.fieldName,
            [GRAPHQL_PARENT_TYPE]: info.parentType.name,
            [GRAPHQL_FIELD_PATH]: pathOf(info.path),
          },
        },
        this.#context,
      );
      scope.context = trace.setSpan(this.#context, scope.span);
    }
    return scope.context;
  }
}

/** One load of a field (one chunk of a long window): where its answer came from. */
export class Load implements AttemptTracer {
  readonly #tracing: TraceSource;
  readonly #endpoint: TracedEndpoint;
  readonly #span: Span;
  readonly #context: Context;

  constructor(tracing: TraceSource, endpoint: TracedEndpoint, parent: Context, deduplicated: boolean) {
    this.#tracing = tracing;
    this.#endpoint = endpoint;
    this.#span = tracing.tracer.startSpan(
      `braze.load ${endpoint.name}`,
      { attributes: { [BRAZE_ENDPOINT]: endpoint.name, [BRAZE_BUCKET]: endpoint.bucket, [BRAZE_DEDUPLICATED]: deduplicated } },
      parent,
    );
    this.#context = trace.setSpan(parent, this.#span);
  }

  /** Ends the span when `answer` settles, saying where it came from; hands `answer` on unchanged. */
  follow<T extends { readonly source: string; readonly coalesced?: boolean }>(answer: Promise<T>): Promise<T> {
    return answer.then(
      (loaded) => {
        this.#span.setAttributes({ [BRAZE_SOURCE]: loaded.source, [BRAZE_COALESCED]: loaded.coalesced === true });
        this.#span.end();
        return loaded;
      },
      (error: unknown) => {
        failed(this.#span, error);
        this.#span.end();
        throw error;
      },
    );
  }

  startAttempt(attempt: number): { end(outcome: AttemptOutcome): void } {
    const { braze } = this.#tracing;
    const path = `${braze.basePath}${this.#endpoint.path}`;
    const span = this.#tracing.tracer.startSpan(
      `GET ${path}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          [ATTR_HTTP_REQUEST_METHOD]: 'GET',
          [ATTR_SERVER_ADDRESS]: braze.address,
          [ATTR_SERVER_PORT]: braze.port,
          [ATTR_URL_SCHEME]: braze.scheme,
          // The path only: the query string names segments, campaigns and events, which is the
          // callers' business. braze.endpoint and the resolver span say what was asked.
          [ATTR_URL_PATH]: path,
          [BRAZE_ENDPOINT]: this.#endpoint.name,
          [BRAZE_BUCKET]: this.#endpoint.bucket,
          [BRAZE_ATTEMPT]: attempt,
          ...(attempt > 1 ? { [ATTR_HTTP_REQUEST_RESEND_COUNT]: attempt - 1 } : {}),
        },
      },
      this.#context,
    );
    return {
      end: ({ status, code, retryWaitMs }) => {
        if (status !== undefined) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
        if (retryWaitMs !== undefined) span.setAttribute(BRAZE_RETRY_WAIT_MS, Math.round(retryWaitMs));
        if (code !== undefined) {
          span.setAttribute(ATTR_ERROR_TYPE, status !== undefined && status >= 400 ? String(status) : code);
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
        span.end();
      },
    };
  }
}

function endField(scope: FieldScope, error: unknown): void {
  if (!scope.span) return;
  if (error !== undefined) failed(scope.span, error);
  // Its start was given, so the SDK would date the end by Date.now() (whole milliseconds): given too.
  scope.span.end(performance.now());
}

/** A failure's stable code only: messages may quote Braze. */
function failed(span: Span, error: unknown): void {
  span.setAttribute(ATTR_ERROR_TYPE, errorCode(error));
  span.setStatus({ code: SpanStatusCode.ERROR });
}

function errorCode(error: unknown): string {
  const code = findGatewayError(error)?.code ?? (error as { extensions?: { code?: unknown } } | undefined)?.extensions?.code;
  return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
}

function pathOf(path: GraphQLResolveInfo['path'] | undefined): string {
  const keys: (string | number)[] = [];
  for (let at = path; at; at = at.prev) keys.push(at.key);
  return keys.reverse().join('.');
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
