/**
 * Runs one GraphQL operation through the gateway's own yoga (`yoga.fetch`, in process), as the MCP
 * caller: with their Authorization header, so authentication, query limits, cache, in-flight sharing,
 * buckets and reserves, metrics, traces and logs apply exactly as to a POST on /graphql. What the
 * operation cost is read from the response's own extensions (`brazeCache`, `brazeRateLimit`), never
 * guessed.
 */

/** A fetch-shaped handler: yoga's `fetch`. */
export type GraphQLFetch = (request: Request) => Promise<Response>;

export interface GraphQLRequest {
  readonly query: string;
  readonly variables?: Readonly<Record<string, unknown>> | undefined;
  readonly operationName?: string | undefined;
}

/** A GraphQL error as the gateway sends it. */
export interface WireError {
  readonly message: string;
  readonly path?: readonly (string | number)[];
  readonly extensions?: Readonly<Record<string, unknown>>;
}

/** One rate-limit bucket as `extensions.brazeRateLimit.buckets` reports it. */
export interface BucketLeft {
  readonly limit: number;
  readonly remaining: number;
  readonly resetAt: string;
}

/** What answering cost Braze, from the response's extensions. */
export interface CallCost {
  /** Calls made to Braze for this answer (`brazeCache.misses`; 0 when the response loaded nothing). */
  readonly brazeCalls: number;
  /** HTTP attempts of those calls, retries included (`brazeCache.attempts`; never fewer than the calls). */
  readonly answeredAttempts: number;
  /** Answers served from the gateway's cache (`brazeCache.hits`). */
  readonly cachedAnswers: number;
  /** Answers shared with a call another request had in flight (`brazeCache.shared`). */
  readonly sharedAnswers: number;
  /** The whole response came from the whole-response cache. */
  readonly wholeResponseCached: boolean;
  /**
   * HTTP attempts of Braze calls that failed, as their errors report them (`extensions.attempts`):
   * those calls gave no answer, so `brazeCalls` leaves them out, but Braze was asked. A failed call
   * that several fields shared is reported by each of their errors, so this may count it more than once.
   */
  readonly failedAttempts: number;
  /** Each bucket Braze has reported on, as it stands after this answer; empty before any report. */
  readonly buckets: Readonly<Record<string, BucketLeft>>;
}

export interface GatewayAnswer {
  readonly status: number;
  readonly data: Record<string, unknown> | null | undefined;
  readonly errors: readonly WireError[];
  readonly cost: CallCost;
}

/** The origin of in-process requests: never resolved, only parsed (yoga matches the path). */
const IN_PROCESS_URL = 'http://gateway.invalid/graphql';

export async function callGateway(
  fetchGraphQL: GraphQLFetch,
  request: GraphQLRequest,
  options: { readonly authorization?: string | undefined; readonly signal?: AbortSignal | undefined },
): Promise<GatewayAnswer> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json' };
  if (options.authorization !== undefined) headers['authorization'] = options.authorization;
  const response = await fetchGraphQL(
    new Request(IN_PROCESS_URL, {
      method: 'POST',
      headers,
      body: JSON.stringify(request),
      ...(options.signal ? { signal: options.signal } : {}),
    }),
  );
  const body = parseBody(await response.text());
  return { status: response.status, data: body.data, errors: body.errors, cost: costOf(body.extensions, body.errors) };
}

interface Body {
  data: Record<string, unknown> | null | undefined;
  errors: WireError[];
  extensions: Record<string, unknown> | undefined;
}

/** The gateway always answers JSON here; anything else is reported as an error, not thrown. */
function parseBody(text: string): Body {
  try {
    const parsed = JSON.parse(text) as { data?: Record<string, unknown> | null; errors?: WireError[]; extensions?: Record<string, unknown> };
    return { data: parsed.data, errors: Array.isArray(parsed.errors) ? parsed.errors : [], extensions: record(parsed.extensions) };
  } catch {
    return { data: undefined, errors: [{ message: 'Unexpected error.' }], extensions: undefined };
  }
}

export function costOf(extensions: Record<string, unknown> | undefined, errors: readonly WireError[] = []): CallCost {
  const cache = record(extensions?.['brazeCache']);
  const limits = record(record(extensions?.['brazeRateLimit'])?.['buckets']);
  const buckets: Record<string, BucketLeft> = {};
  for (const [name, value] of Object.entries(limits ?? {})) {
    const bucket = record(value);
    if (bucket && typeof bucket['limit'] === 'number' && typeof bucket['remaining'] === 'number' && typeof bucket['resetAt'] === 'string') {
      buckets[name] = { limit: bucket['limit'], remaining: bucket['remaining'], resetAt: bucket['resetAt'] };
    }
  }
  return {
    brazeCalls: count(cache?.['misses']),
    answeredAttempts: Math.max(count(cache?.['misses']), count(cache?.['attempts'])),
    cachedAnswers: count(cache?.['hits']),
    sharedAnswers: count(cache?.['shared']),
    wholeResponseCached: cache?.['wholeResponse'] === true,
    failedAttempts: errors.reduce((sum, error) => sum + count(error.extensions?.['attempts']), 0),
    buckets,
  };
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : 0;
}
