import type { BrazeClient, ResponseHeaders } from '../braze/client.js';
import { callDeadline } from '../braze/deadline.js';
import type { Logger } from '../observability/logger.js';
import type { AttemptTracer } from '../observability/tracing/requestTrace.js';
import { bodyCodec, type AnswerCache, type CallCodec, type Cached } from './cache.js';
import type { AnswerHeaders, Endpoint, TtlPolicy } from './endpoint.js';
import { InflightCalls } from './inflight.js';
import type { FlightResult, FlightTask, SharedFlight } from './sharedFlight.js';
import type { SharedStoreStatus } from '../redis/health.js';

/** Where an answer came from: Braze for this request, a call another request (or, with a shared flight, another replica) had in flight, or the cache. */
export type AnswerSource = 'braze' | 'shared' | 'cache';

export interface Loaded<Answer> extends Cached<Answer> {
  readonly source: AnswerSource;
  /** Epoch ms at which this answer stops being fresh (fetchedAt + the endpoint's TTL): a whole response built from it may be reused until then. */
  readonly expiresAt: number;
}

export interface LoadOptions {
  readonly signal?: AbortSignal | undefined;
  /** The client asked for fresh data (Cache-Control: no-cache): skip the cache read, still refresh it. */
  readonly bypassCache?: boolean;
  /** Spans for the HTTP attempts, when the request is traced (only a call this load starts makes any). */
  readonly trace?: AttemptTracer | undefined;
}

/** Without a configured deadline: what BRAZE_TIMEOUT_MS's default (15 s) gives (see patienceFor). */
const DEFAULT_WAIT_MS = 32_000;
/** The patience of a load no other replica can make wait (no shared flight): never runs out. */
const NEVER = new AbortController().signal;

/**
 * The process-wide way to get any endpoint's answer: the cross-request cache, then a call already in
 * flight for another request (in this process, then, with a shared flight, in another replica), then
 * Braze itself. Per-request deduplication and coalescing sit above this, in the request's loaders.
 *
 * Every wait on a shared store (the cache read, the lock, another replica's call) is bounded by the
 * load's own deadline, `waitMs` from its start (as long as a live holder may hold a lock: see
 * patienceFor), and by the request's signal: past the deadline the load stops waiting and calls Braze
 * here, whatever Redis or the other replicas say.
 * What a shared store gives back is Braze's body, parsed again by the endpoint for the call it answers.
 */
export class DataService {
  readonly #inflight = new InflightCalls<FlightResult<unknown>>();

  constructor(
    private readonly client: BrazeClient,
    private readonly cache: AnswerCache | undefined,
    private readonly ttl: TtlPolicy,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
    /** With replicas sharing Redis: one of them calls Braze for a missing answer, the others wait for it. */
    private readonly flight?: SharedFlight,
    /** How long a load may wait on the cache and other replicas before it calls Braze itself (see patienceFor). */
    private readonly waitMs: number = DEFAULT_WAIT_MS,
  ) {}

  async get<Call, Answer>(endpoint: Endpoint<Call, Answer>, call: Call, { signal, bypassCache = false, trace }: LoadOptions = {}): Promise<Loaded<Answer>> {
    const key = `${endpoint.name}:${endpoint.key(call)}`;
    const codec = bodyCodec(endpoint.parse, call, endpoint.headers);
    const started = this.now();
    if (this.cache && !bypassCache) {
      const cached = await this.#firstRead(this.cache, key, codec, signal);
      if (cached) return { ...cached, source: 'cache', expiresAt: this.#expiresAt(endpoint, call, cached.fetchedAt) };
    }
    const { promise, joined } = this.#inflight.run(key, signal, (shared) => {
      // The rest of the load's deadline, for the waits on Redis and other replicas of the call shared
      // here (the requests that join it may leave; the call goes on while one waits: see InflightCalls).
      const patience = this.flight ? callDeadline(Math.max(0, this.waitMs - (this.now() - started))) : undefined;
      const task: FlightTask<Answer> = {
        codec,
        lookup: this.cache && !bypassCache ? () => this.#read(key, codec, patience?.signal ?? NEVER) : undefined,
        call: async (callSignal) => {
          let body: string | undefined;
          let headers: AnswerHeaders | undefined;
          const parse = (text: string, received: ResponseHeaders = {}): Answer => {
            body = text;
            headers = endpoint.headers ? answerHeaders(received, endpoint.headers) : undefined;
            return endpoint.parse(text, call, headers);
          };
          let attempts = 0;
          const onAttempt = (): void => void attempts++;
          const answer = await this.client.call({ path: endpoint.path, params: endpoint.searchParams(call), bucket: endpoint.bucket, permission: endpoint.permission, parse, trace, onAttempt }, callSignal);
          return { answer, fetchedAt: new Date(this.now()), body, headers, attempts };
        },
        store: (fetched) => this.#store(key, endpoint, call, codec, fetched),
        patience: patience?.signal ?? NEVER,
      };
      if (!this.flight) return this.#callHere(task, shared);
      return this.flight.run(key, task, shared).finally(() => patience?.release());
    });
    // The key names the endpoint and its call, so what is in flight under it is this endpoint's answer.
    const { value, fromReplica } = (await promise) as FlightResult<Answer>;
    return { ...value, source: joined || fromReplica ? 'shared' : 'braze', expiresAt: this.#expiresAt(endpoint, call, value.fetchedAt) };
  }

  /** Without replicas to coordinate with: call, answer, and store behind the answer. */
  async #callHere<Answer>(task: FlightTask<Answer>, signal: AbortSignal): Promise<FlightResult<Answer>> {
    const value = await task.call(signal);
    // Not awaited: the answer does not wait for the cache write.
    void task.store(value);
    return { value, fromReplica: false };
  }

  /** The first look in the cache, bounded by the load's deadline and the request's signal; one in this process never waits. */
  async #firstRead<Answer>(cache: AnswerCache, key: string, codec: CallCodec<Answer>, signal: AbortSignal | undefined): Promise<Cached<Answer> | undefined> {
    if (cache.kind === 'memory') return cache.get(key, codec);
    const deadline = callDeadline(this.waitMs, signal);
    try {
      return await this.#read(key, codec, deadline.signal);
    } finally {
      deadline.release();
    }
  }

  /** The cache's answer for `key`, or a miss once the load's deadline passes first (the read is left to finish on its own). */
  #read<Answer>(key: string, codec: CallCodec<Answer>, patience: AbortSignal): Promise<Cached<Answer> | undefined> {
    const { cache } = this;
    if (!cache || patience.aborted) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const onDeadline = (): void => resolve(undefined);
      patience.addEventListener('abort', onDeadline, { once: true });
      cache.get(key, codec).then(
        (cached) => resolve(cached),
        () => resolve(undefined),
      ).finally(() => patience.removeEventListener('abort', onDeadline));
    });
  }

  async #store<Call, Answer>(key: string, endpoint: Endpoint<Call, Answer>, call: Call, codec: CallCodec<Answer>, fetched: Cached<Answer>): Promise<void> {
    if (!this.cache) return;
    const ttl = endpoint.ttlMs(call, this.now(), this.ttl);
    await this.cache.set(key, fetched, ttl, codec).catch((error: unknown) => this.logger.warn('cache write failed', { reason: String(error) }));
  }

  /** The TTL the cache write uses, counted from when the answer was fetched. */
  #expiresAt<Call, Answer>(endpoint: Endpoint<Call, Answer>, call: Call, fetchedAt: Date): number {
    const at = fetchedAt.getTime();
    return at + endpoint.ttlMs(call, at, this.ttl);
  }

  /** Waits (bounded) for the cache to connect, so the first requests after start can use it. */
  async ready(timeoutMs: number): Promise<boolean> {
    const [cache = true, flight = true] = await Promise.all([this.cache?.ready(timeoutMs), this.flight?.ready(timeoutMs)]);
    return cache && flight;
  }

  /** How the shared cache and the single flight are doing, for `/health` (each absent when not in use). */
  sharedStoreStatus(): { readonly cache?: SharedStoreStatus; readonly singleFlight?: SharedStoreStatus } {
    const cache = this.cache?.status?.();
    const singleFlight = this.flight?.status();
    return { ...(cache ? { cache } : {}), ...(singleFlight ? { singleFlight } : {}) };
  }

  async close(): Promise<void> {
    await Promise.all([this.cache?.close(), this.flight?.close()]);
  }
}

/** The headers named in `names` of those Braze sent; one sent more than once is its values joined by ", " (RFC 9110 §5.3). */
function answerHeaders(received: ResponseHeaders, names: readonly string[]): AnswerHeaders {
  const kept: Record<string, string> = {};
  for (const name of names) {
    const value = received[name];
    if (value !== undefined) kept[name] = typeof value === 'string' ? value : value.join(', ');
  }
  return kept;
}
