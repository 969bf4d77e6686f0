import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/*
 * What the metrics read of the parts they watch, declared here (the parts hand it in; their own types
 * fit these): metrics sit below every part they observe and import none of them.
 */

/** One HTTP attempt to Braze, as the client reports it: its path, Braze's status, the failure's code, its time. */
export interface AttemptRecord {
  readonly path: string;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly seconds: number;
}

/** The upstream as read when scraped: the breaker's state, and each bucket's remaining and pause. */
export interface UpstreamReading {
  readonly circuit: { readonly state: string };
  readonly buckets: Readonly<Record<string, { readonly rateLimit: { readonly remaining: number } | undefined; readonly paused: boolean }>>;
}

/** Live series as read when scraped. */
export interface LiveReading {
  readonly polls: number;
  readonly subscriptions: number;
}

/** Why an MCP session was not opened (src/mcp/httpEndpoint.ts): MCP_MAX_SESSIONS were open. */
export type McpSessionRefusal = 'max_sessions' | 'max_sessions_per_caller';

/**
 * Why an upstream call was not needed: another field of the request asked the same (deduplication),
 * a longer window of the request covered it (coalescing), the cross-request cache answered it (cache),
 * or another request's call in flight answered it (sharing).
 */
/** 'response-cache': answers a response served whole from the response cache did not load. */
export type SavedReason = 'deduplication' | 'coalescing' | 'cache' | 'sharing' | 'response-cache';

/**
 * Braze's statuses that get a label of their own: the ones the client tells apart (src/braze/client.ts)
 * and the usual gateway failures. Any other status is counted under its class (`2xx` … `5xx`, `other`
 * outside 100…599): the status comes from whatever answers at Braze's address (a proxy, an error page),
 * and each distinct value would otherwise be a new series for as long as the process runs.
 */
const STATUSES_LABELLED = new Set([200, 400, 401, 403, 404, 408, 429, 500, 502, 503, 504]);

/** The `status` label of an attempt: `none` (no answer), one of STATUSES_LABELLED, or a class. */
export function statusLabel(status: number | undefined): string {
  if (status === undefined) return 'none';
  if (STATUSES_LABELLED.has(status)) return String(status);
  return status >= 100 && status <= 599 ? `${Math.floor(status / 100)}xx` : 'other';
}

/** Upper bounds of the attempt-duration buckets, in seconds: Braze answers in 50 ms…15 s (the deadline). */
const ATTEMPT_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15];

/**
 * The gateway's Prometheus metrics, in a registry of their own (never prom-client's global one), so
 * that several gateways in one process (tests) each count their own. Names follow Prometheus's
 * conventions: a `braze_gateway_` prefix, `_total` counters, base units (`_seconds`).
 */
export class GatewayMetrics {
  readonly registry = new Registry();

  readonly #requests = new Counter({
    name: 'braze_gateway_graphql_requests_total',
    help: 'GraphQL requests received (each operation of a batch counts once), refused ones included.',
    registers: [this.registry],
  });
  readonly #errors = new Counter({
    name: 'braze_gateway_graphql_errors_total',
    help: 'Errors in GraphQL responses, by extensions.code (NONE when an error has no code).',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly #attempts = new Counter({
    name: 'braze_gateway_upstream_attempts_total',
    help: 'HTTP attempts to Braze, by endpoint path, Braze\'s status (the usual ones by number, others by class such as "5xx"; "none": no answer) and outcome ("ok" or the error code).',
    labelNames: ['endpoint', 'status', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly #attemptSeconds = new Histogram({
    name: 'braze_gateway_upstream_attempt_duration_seconds',
    help: 'Duration of one HTTP attempt to Braze, request sent to body read, failures included.',
    buckets: ATTEMPT_BUCKETS,
    registers: [this.registry],
  });
  readonly #saved = new Counter({
    name: 'braze_gateway_upstream_calls_saved_total',
    help: 'Upstream calls not made, by reason: deduplication, coalescing (a longer window covered it), cache, sharing (another request\'s call in flight), response-cache (a whole response served again).',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly #unknownKeys = new Counter({
    name: 'braze_gateway_upstream_unknown_keys_total',
    help: "Keys in Braze's answers that the gateway does not know (Braze's API drifting from its docs), by endpoint path: each key path once per answer; answers read back from a cache are not counted again.",
    labelNames: ['endpoint'] as const,
    registers: [this.registry],
  });

  readonly #documentLookups = new Counter({
    name: 'braze_gateway_document_cache_lookups_total',
    help: 'GraphQL documents looked up in the parsed-document cache, by result: hit (not parsed again) or miss.',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly #documentsTooLarge = new Counter({
    name: 'braze_gateway_document_cache_too_large_total',
    help: 'Parsed documents not kept because their estimated size exceeds DOCUMENT_CACHE_MAX_DOCUMENT_BYTES.',
    registers: [this.registry],
  });
  readonly #apqLookups = new Counter({
    name: 'braze_gateway_apq_lookups_total',
    help: 'Automatic persisted queries named by hash alone, by result: hit (the document was known) or miss (PERSISTED_QUERY_NOT_FOUND: the client sends it).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  /** Read when scraped; none until a gateway says where (watchDocumentCache). */
  #documentCacheBytes: (() => number) | undefined;
  /** Read when scraped; none until a gateway says where (watchApq). */
  #apqBytes: (() => number) | undefined;
  /** Read when scraped; none until a gateway says where (watchLive). */
  #live: (() => LiveReading) | undefined;

  readonly #mcpToolCalls = new Counter({
    name: 'braze_gateway_mcp_tool_calls_total',
    help: 'MCP tool calls, by tool (`unknown` for a name the gateway has no tool by) and outcome (`ok`, or the code of the tool error: the gateway\'s extensions.code, or a refusal made before it was asked).',
    labelNames: ['tool', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly #mcpToolSeconds = new Histogram({
    name: 'braze_gateway_mcp_tool_call_duration_seconds',
    help: 'Duration of one MCP tool call, its wait for the session\'s earlier calls included.',
    labelNames: ['tool'] as const,
    buckets: ATTEMPT_BUCKETS,
    registers: [this.registry],
  });
  readonly #mcpSessionsOpened = new Counter({
    name: 'braze_gateway_mcp_sessions_opened_total',
    help: 'MCP sessions opened by this replica.',
    registers: [this.registry],
  });
  readonly #mcpSessionsRefused = new Counter({
    name: 'braze_gateway_mcp_sessions_refused_total',
    help: 'MCP initializations refused, by reason (`max_sessions`: MCP_MAX_SESSIONS were open; `max_sessions_per_caller`: the caller had MCP_MAX_SESSIONS_PER_CALLER open).',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  /** Read when scraped; none until a gateway says where (watchMcp). */
  #mcpSessions: (() => number) | undefined;

  constructor(upstreamStatus: () => UpstreamReading) {
    // Both results from zero, so rate() and a hit ratio work from the first scrape.
    this.#documentLookups.inc({ result: 'hit' }, 0);
    this.#documentLookups.inc({ result: 'miss' }, 0);
    this.#apqLookups.inc({ result: 'hit' }, 0);
    this.#apqLookups.inc({ result: 'miss' }, 0);
    // Read when scraped, from what each part says (0 until a gateway says where: watchX below).
    const readGauge = (name: string, help: string, read: () => number): void => {
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.set(read());
        },
      });
    };
    const live = (): LiveReading => this.#live?.() ?? { polls: 0, subscriptions: 0 };
    readGauge('braze_gateway_apq_bytes', 'Bytes of document text held by the automatic-persisted-query store (bounded by APQ_MAX_BYTES).', () => this.#apqBytes?.() ?? 0);
    readGauge(
      'braze_gateway_document_cache_bytes',
      'Estimated heap bytes held by the parsed-document cache (bounded by DOCUMENT_CACHE_MAX_BYTES).',
      () => this.#documentCacheBytes?.() ?? 0,
    );
    readGauge('braze_gateway_live_subscriptions', 'Live series subscriptions open now (bounded by LIVE_MAX_SUBSCRIPTIONS).', () => live().subscriptions);
    readGauge(
      'braze_gateway_live_polls',
      'Live series polled now: one per distinct series however many subscribe to it (each makes at most one Braze call per interval).',
      () => live().polls,
    );
    readGauge(
      'braze_gateway_mcp_sessions',
      'MCP sessions this replica holds now (opened here, or answered here after another replica opened them).',
      () => this.#mcpSessions?.() ?? 0,
    );
    // Read when scraped: the client already keeps the latest x-ratelimit-* and breaker state.
    new Gauge({
      name: 'braze_gateway_upstream_rate_limit_remaining',
      help: "Requests left in each of Braze's rate-limit buckets (x-ratelimit-remaining less calls in flight; NaN until Braze has said).",
      labelNames: ['bucket'] as const,
      registers: [this.registry],
      collect() {
        for (const [bucket, status] of Object.entries(upstreamStatus().buckets)) this.set({ bucket }, status.rateLimit?.remaining ?? Number.NaN);
      },
    });
    new Gauge({
      name: 'braze_gateway_upstream_rate_limit_paused',
      help: 'Whether calls of a bucket are held back by its reserve (1) or not (0).',
      labelNames: ['bucket'] as const,
      registers: [this.registry],
      collect() {
        for (const [bucket, status] of Object.entries(upstreamStatus().buckets)) this.set({ bucket }, status.paused ? 1 : 0);
      },
    });
    new Gauge({
      name: 'braze_gateway_upstream_circuit_open',
      help: 'Whether the circuit breaker to Braze is open (1) or not (0; half-open counts as 0).',
      registers: [this.registry],
      collect() {
        this.set(upstreamStatus().circuit.state === 'open' ? 1 : 0);
      },
    });
  }

  /** The client's observer (braze/client.ts UpstreamObserver). */
  attempt({ path, status, code, seconds }: AttemptRecord): void {
    this.#attempts.inc({ endpoint: path, status: statusLabel(status), outcome: code ?? 'ok' });
    this.#attemptSeconds.observe(seconds);
  }

  /** `keys` unknown keys in an answer of `endpoint` (a descriptor's path, as the attempts are labelled): observability/unknownKeys.ts. */
  unknownKeys(endpoint: string, keys: number): void {
    this.#unknownKeys.inc({ endpoint }, keys);
  }

  documentLookup(hit: boolean): void {
    this.#documentLookups.inc({ result: hit ? 'hit' : 'miss' });
  }

  documentTooLarge(): void {
    this.#documentsTooLarge.inc();
  }

  /** A request named its document by an automatic-persisted-query hash alone: known (hit) or not. */
  apqLookup(hit: boolean): void {
    this.#apqLookups.inc({ result: hit ? 'hit' : 'miss' });
  }

  /** Where braze_gateway_apq_bytes is read from. */
  watchApq(bytes: () => number): void {
    this.#apqBytes = bytes;
  }

  /** Where braze_gateway_document_cache_bytes is read from. */
  watchDocumentCache(bytes: () => number): void {
    this.#documentCacheBytes = bytes;
  }

  /** Where braze_gateway_live_subscriptions and braze_gateway_live_polls are read from. */
  watchLive(stats: () => LiveReading): void {
    this.#live = stats;
  }

  /** Where braze_gateway_mcp_sessions is read from. */
  watchMcp(sessions: () => number): void {
    this.#mcpSessions = sessions;
  }

  /** One MCP tool call ended (src/mcp/server.ts's observer). */
  mcpToolCall(tool: string, outcome: string, seconds: number): void {
    this.#mcpToolCalls.inc({ tool, outcome });
    this.#mcpToolSeconds.observe({ tool }, seconds);
  }

  mcpSessionOpened(): void {
    this.#mcpSessionsOpened.inc();
  }

  mcpSessionRefused(reason: McpSessionRefusal): void {
    this.#mcpSessionsRefused.inc({ reason });
  }

  request(): void {
    this.#requests.inc();
  }

  error(code: string | undefined): void {
    this.#errors.inc({ code: code ?? 'NONE' });
  }

  saved(reason: SavedReason, calls = 1): void {
    this.#saved.inc({ reason }, calls);
  }
}
