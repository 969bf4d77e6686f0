/**
 * Every failure a client is meant to see has one of these codes in `extensions.code`.
 * Frontends branch on them, so they are part of the public contract: add, never rename.
 */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'CSRF_PREVENTED'
  | 'QUERY_TOO_COMPLEX'
  | 'PERSISTED_QUERY_ID_REQUIRED'
  | 'PERSISTED_QUERY_NOT_IN_LIST'
  | 'PERSISTED_QUERY_NOT_SUPPORTED'
  // Automatic persisted queries: written by @graphql-yoga/plugin-apq itself (src/plugins/useAutomaticPersistedQueries.ts).
  | 'PERSISTED_QUERY_NOT_FOUND'
  | 'PERSISTED_QUERY_MISMATCH'
  | 'INCREMENTAL_DELIVERY_NOT_ACCEPTED'
  | 'SUBSCRIPTION_NOT_ACCEPTED'
  | 'MEDIA_TYPE_NOT_ACCEPTED'
  | 'BAD_USER_INPUT'
  | 'RESULT_OUT_OF_RANGE'
  | 'TOO_MANY_UPSTREAM_CALLS'
  | 'TOO_MANY_SUBSCRIPTIONS'
  | 'UPSTREAM_BAD_REQUEST'
  | 'UPSTREAM_UNAUTHORIZED'
  | 'UPSTREAM_FORBIDDEN'
  | 'UPSTREAM_NOT_FOUND'
  | 'UPSTREAM_RATE_LIMITED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_TIMEOUT'
  | 'UPSTREAM_INVALID_RESPONSE';

type ExtensionValue = string | number | boolean;

/** Base of every expected failure. Anything thrown that is not one of these is masked. */
export abstract class GatewayError extends Error {
  abstract readonly code: ErrorCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    // Logs and stack traces name the class (UpstreamTimeoutError), not a bare "Error".
    this.name = new.target.name;
  }

  /** Extra `extensions` entries beyond `code`; only safe, client-facing values. */
  details(): Record<string, ExtensionValue> {
    return {};
  }

  /**
   * For errors that refuse the whole request: the HTTP status and headers of the response. Yoga reads
   * them from `extensions.http` and strips that key from the body.
   */
  http(): { status: number; headers?: Record<string, string> } | undefined {
    return undefined;
  }
}

/**
 * The request carried no acceptable credential. `reason` goes to the log only (RFC 6750 says what a
 * client may be told: that the token is invalid, not why), so a prober learns nothing.
 */
export class UnauthenticatedError extends GatewayError {
  readonly code = 'UNAUTHENTICATED';
  constructor(
    /** A credential was sent but refused (as opposed to none sent). */
    readonly presented: boolean,
    readonly reason: string,
  ) {
    super(
      presented
        ? 'The bearer credential was not accepted: it is unknown, expired, or not meant for this gateway'
        : 'This gateway needs a credential: send Authorization: Bearer <token>',
    );
  }
  override http(): { status: number; headers: Record<string, string> } {
    const challenge = this.presented ? 'Bearer realm="braze-analytics-gateway", error="invalid_token"' : 'Bearer realm="braze-analytics-gateway"';
    return { status: 401, headers: { 'WWW-Authenticate': challenge } };
  }
}

/** A request a browser could have sent cross-origin without a preflight (see useCsrfPrevention). */
export class CsrfPreventionError extends GatewayError {
  readonly code = 'CSRF_PREVENTED';
  constructor(readonly requestHeaders: readonly string[]) {
    super(
      `GET requests and form or text/plain POSTs need the header ${requestHeaders.join(' or ')} (CSRF prevention); or POST application/json`,
    );
  }
  override http(): { status: number } {
    return { status: 403 };
  }
}

/** Which of the query limits (src/plugins/useQueryLimits.ts) a document broke. */
export type QueryLimit = 'maxDepth' | 'maxAliases' | 'maxTokens' | 'maxCost' | 'maxDirectives' | 'maxNesting';

/** The document is deeper, wider or longer than the gateway allows; refused before execution. */
export class QueryTooComplexError extends GatewayError {
  readonly code = 'QUERY_TOO_COMPLEX';
  constructor(
    message: string,
    readonly limit: QueryLimit,
  ) {
    super(message);
  }
  override details(): Record<string, ExtensionValue> {
    return { limit: this.limit };
  }
  override http(): { status: number } {
    return { status: 400 };
  }
}

/**
 * With PERSISTED_OPERATIONS_FILE, a request sent a document instead of an id (ID_REQUIRED), or an id
 * the manifest lacks (NOT_IN_LIST). The codes are the ones Apollo Router and yoga use. NOT_SUPPORTED:
 * a persisted-query extension the gateway cannot use (APQ off, or malformed), on which Apollo Client
 * and urql send documents instead.
 */
export class PersistedOperationError extends GatewayError {
  constructor(
    readonly code: 'PERSISTED_QUERY_ID_REQUIRED' | 'PERSISTED_QUERY_NOT_IN_LIST' | 'PERSISTED_QUERY_NOT_SUPPORTED',
    message: string,
  ) {
    super(message);
  }
  override http(): { status: number } {
    return { status: 400 };
  }
}

/** The request's Accept takes nothing the gateway can answer this operation in: HTTP 406, refused before execution. */
abstract class NotAcceptedError extends GatewayError {
  override http(): { status: number } {
    return { status: 406 };
  }
}

/**
 * The operation uses @defer or @stream, whose answer comes in parts, and the request's Accept takes
 * neither multipart/mixed nor text/event-stream. Refused before execution: no upstream call.
 */
export class IncrementalDeliveryNotAcceptedError extends NotAcceptedError {
  readonly code = 'INCREMENTAL_DELIVERY_NOT_ACCEPTED';
  constructor() {
    super('This operation uses @defer or @stream, whose answer comes in parts: send Accept: multipart/mixed (or text/event-stream), or remove the directives');
  }
}

/**
 * The request's Accept takes none of the media types a GraphQL answer is written in (application/json,
 * application/graphql-response+json, text/event-stream, multipart/mixed): refused before execution, so
 * nothing is asked of Braze for an answer that could not be sent.
 */
export class MediaTypeNotAcceptedError extends NotAcceptedError {
  readonly code = 'MEDIA_TYPE_NOT_ACCEPTED';
  constructor() {
    super('The Accept header takes no media type a GraphQL answer is sent in: send Accept: application/graphql-response+json or application/json');
  }
}

/**
 * A subscription whose request's Accept does not take text/event-stream, the one way the gateway
 * streams one (GraphQL over SSE, distinct connections). Refused before anything subscribes: no poll,
 * no upstream call, no cap slot.
 */
export class SubscriptionNotAcceptedError extends NotAcceptedError {
  readonly code = 'SUBSCRIPTION_NOT_ACCEPTED';
  constructor() {
    super(
      'Subscriptions are streamed as Server-Sent Events only: send Accept: text/event-stream (GraphQL over SSE, distinct connections mode, as the graphql-sse client does); multipart/mixed subscriptions are not served',
    );
  }
}

export class BadUserInputError extends GatewayError {
  readonly code = 'BAD_USER_INPUT';
  constructor(
    message: string,
    readonly argumentName: string,
  ) {
    super(message);
  }
  override details(): Record<string, ExtensionValue> {
    return { argument: this.argumentName };
  }
}

/** A value is real but cannot be carried by the schema's types (GraphQL Int is 32-bit). */
export class ResultOutOfRangeError extends GatewayError {
  readonly code = 'RESULT_OUT_OF_RANGE';
}

/** One GraphQL request asked for more distinct upstream calls than it may make. */
export class TooManyUpstreamCallsError extends GatewayError {
  readonly code = 'TOO_MANY_UPSTREAM_CALLS';
  /** `message`: a field that knows its cost before any call (a ranking) says what it would have taken. */
  constructor(
    readonly limit: number,
    message = `This request needs more than ${limit} distinct Braze calls; split it into smaller requests`,
  ) {
    super(message);
  }
  override details(): Record<string, ExtensionValue> {
    return { limit: this.limit };
  }
}

/**
 * A result made of many calls lost some of them (a ranking of campaigns, one series each). Answered
 * without them it would be wrong without saying so, so the field fails instead: with the code and
 * details of the first failure (UPSTREAM_FORBIDDEN and the permission the key lacks, say), how many
 * parts failed (`failed`), and the HTTP attempts of all of them (`attempts`, what the MCP budget counts).
 * The message names what failed.
 */
export class IncompleteResultError extends GatewayError {
  readonly code: ErrorCode;
  readonly #details: Record<string, ExtensionValue>;

  constructor(message: string, failures: readonly GatewayError[]) {
    const [first] = failures;
    if (first === undefined) throw new RangeError('an incomplete result needs at least one failure');
    super(message, { cause: first });
    this.code = first.code;
    const attempts = failures.reduce((sum, failure) => sum + attemptsOf(failure), 0);
    this.#details = { ...first.details(), failed: failures.length, ...(attempts > 0 ? { attempts } : {}) };
  }
  override details(): Record<string, ExtensionValue> {
    return { ...this.#details };
  }
}

function attemptsOf(error: GatewayError): number {
  const attempts = error.details()['attempts'];
  return typeof attempts === 'number' ? attempts : 0;
}

/** A live series cannot be opened: the client's or the process's open subscriptions are at their cap. */
export class TooManySubscriptionsError extends GatewayError {
  readonly code = 'TOO_MANY_SUBSCRIPTIONS';
  constructor(
    readonly limit: number,
    /**
     * Whose cap: this client's (LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT), the process's (LIVE_MAX_SUBSCRIPTIONS),
     * one WebSocket's operations (WS_MAX_OPERATIONS_PER_CONNECTION) or the process's SSE streams
     * (LIVE_MAX_SSE_STREAMS).
     */
    readonly scope: 'client' | 'total' | 'connection' | 'sse',
  ) {
    super(
      scope === 'client'
        ? `This client already has ${limit} live series open, the most it may; close one first`
        : scope === 'connection'
          ? `This connection already has ${limit} operations open, the most it may; complete one first or open another connection`
          : scope === 'sse'
            ? `The gateway already streams ${limit} live series over SSE, the most it may; subscribe over WebSocket (graphql-ws), which carries many on one connection, or try again later`
            : limit === 0
          ? 'Live series are turned off on this gateway (LIVE_MAX_SUBSCRIPTIONS=0); query the series instead'
          : `The gateway already serves ${limit} live series, the most it may; try again later or query the series instead`,
    );
  }
  override details(): Record<string, ExtensionValue> {
    return { limit: this.limit, scope: this.scope };
  }
}

/** Braze could not give us usable data. `status` is Braze's HTTP status, when there was one. */
export abstract class UpstreamError extends GatewayError {
  /** How many HTTP attempts were made before giving up; set by the client on the final error. */
  attempts: number | undefined;

  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
  override details(): Record<string, ExtensionValue> {
    const details: Record<string, ExtensionValue> = {};
    if (this.status !== undefined) details['upstreamStatus'] = this.status;
    if (this.attempts !== undefined) details['attempts'] = this.attempts;
    return details;
  }
}

export class UpstreamBadRequestError extends UpstreamError {
  readonly code = 'UPSTREAM_BAD_REQUEST';
}
/**
 * Braze answered 401: by Braze's errors page, a key it does not know (wrong, deleted, quoted, or another
 * instance's). Not a missing permission (that is 403), so it names none.
 */
export class UpstreamUnauthorizedError extends UpstreamError {
  readonly code = 'UPSTREAM_UNAUTHORIZED';
}

/**
 * Braze answered 403: by Braze's errors page, the key lacks the endpoint's permission ("Access
 * Denied"), or the plan does not include it or the account is inactive ("Forbidden"). `permission` is
 * the one Braze's page names for the endpoint that was called, so a client can say which to grant.
 */
export class UpstreamForbiddenError extends UpstreamError {
  readonly code = 'UPSTREAM_FORBIDDEN';
  constructor(
    message: string,
    status: number,
    /** The API key permission the refused endpoint needs (`kpi.dau.data_series`). */
    readonly permission: string,
  ) {
    super(message, status);
  }
  override details(): Record<string, ExtensionValue> {
    return { ...super.details(), permission: this.permission };
  }
}
export class UpstreamNotFoundError extends UpstreamError {
  readonly code = 'UPSTREAM_NOT_FOUND';
}
export class UpstreamUnavailableError extends UpstreamError {
  readonly code = 'UPSTREAM_UNAVAILABLE';
}

/** The circuit breaker is open: Braze failed repeatedly, so calls fail fast until `retryAt`. */
export class CircuitOpenError extends UpstreamUnavailableError {
  constructor(readonly retryAt: Date) {
    super(`Braze failed repeatedly; calls are paused until ${retryAt.toISOString()} (circuit breaker open)`);
  }
  override details(): Record<string, ExtensionValue> {
    return { ...super.details(), circuit: 'open', retryAt: this.retryAt.toISOString() };
  }
}
export type TimeoutPhase = 'connect' | 'headers' | 'body' | 'deadline';

export class UpstreamTimeoutError extends UpstreamError {
  readonly code = 'UPSTREAM_TIMEOUT';
  constructor(
    message: string,
    /** Which limit ran out: a per-attempt one of the dispatcher, or the call's overall deadline. */
    readonly phase: TimeoutPhase,
    options?: { cause?: unknown },
  ) {
    super(message, undefined, options);
  }
}
export class UpstreamInvalidResponseError extends UpstreamError {
  readonly code = 'UPSTREAM_INVALID_RESPONSE';
}

export class UpstreamRateLimitedError extends UpstreamError {
  readonly code = 'UPSTREAM_RATE_LIMITED';
  constructor(
    message: string,
    status: number | undefined,
    /** When Braze's window resets (from `x-ratelimit-reset`); undefined when Braze did not say. */
    readonly resetAt: Date | undefined,
  ) {
    super(message, status);
  }
  override details(): Record<string, ExtensionValue> {
    const details = super.details();
    if (this.resetAt) details['resetAt'] = this.resetAt.toISOString();
    return details;
  }
}

/**
 * The gateway itself holds back: Braze's bucket, shared with the customer's other integrations, is at
 * or below the configured reserve. No call was made.
 */
export class RateLimitReserveError extends UpstreamRateLimitedError {
  constructor(resetAt: Date, reserve: number) {
    super(
      `Braze's shared rate-limit bucket is at or below the reserve of ${reserve} requests kept for other integrations; calls resume at ${resetAt.toISOString()}`,
      undefined,
      resetAt,
    );
  }
  override details(): Record<string, ExtensionValue> {
    return { ...super.details(), reserve: true };
  }
}

/**
 * Finds a GatewayError behind whatever graphql-js or yoga wrapped around it. Wrappers are followed by
 * property, not `instanceof GraphQLError`: a second copy of graphql (ESM and CJS) defeats instanceof.
 */
export function findGatewayError(error: unknown): GatewayError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current instanceof GatewayError) return current;
    const { originalError } = current as { originalError?: unknown };
    current = originalError ?? current.cause;
  }
  return undefined;
}
