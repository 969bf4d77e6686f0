import type { BrazeClient } from '../braze/client.js';
import type { Logger } from '../logger.js';
import type { AttemptTracer } from '../tracing/requestTrace.js';
import type { AnswerCache, Cached } from './cache.js';
import type { Endpoint, TtlPolicy } from './endpoint.js';
import { InflightCalls } from './inflight.js';
import type { FlightResult, FlightTask, SharedFlight } from './sharedFlight.js';

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

/**
 * The process-wide way to get any endpoint's answer: the cross-request cache, then a call already in
 * flight for another request (in this process, then, with a shared flight, in another replica), then
 * Braze itself. Per-request deduplication and coalescing sit above this, in the request's loaders.
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
  ) {}

  async get<Call, Answer>(endpoint: Endpoint<Call, Answer>, call: Call, { signal, bypassCache = false, trace }: LoadOptions = {}): Promise<Loaded<Answer>> {
    const key = `${endpoint.name}:${endpoint.key(call)}`;
    if (this.cache && !bypassCache) {
      const cached = await this.cache.get(key, endpoint.codec);
      if (cached) return { ...cached, source: 'cache', expiresAt: this.#expiresAt(endpoint, call, cached.fetchedAt) };
    }
    const { promise, joined } = this.#inflight.run(key, signal, (shared) => {
      const task: FlightTask<Answer> = {
        codec: endpoint.codec,
        lookup: this.cache && !bypassCache ? () => this.#lookup(key, endpoint) : undefined,
        call: async (callSignal) => {
          const params = { path: endpoint.path, params: endpoint.searchParams(call), bucket: endpoint.bucket, parse: (text: string) => endpoint.parse(text, call), trace };
          return { answer: await this.client.call(params, callSignal), fetchedAt: new Date(this.now()) };
        },
        store: (fetched) => this.#store(key, endpoint, call, fetched),
      };
      return this.flight ? this.flight.run(key, task, shared) : this.#callHere(task, shared);
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

  #lookup<Call, Answer>(key: string, endpoint: Endpoint<Call, Answer>): Promise<Cached<Answer> | undefined> {
    return this.cache ? this.cache.get(key, endpoint.codec) : Promise.resolve(undefined);
  }

  async #store<Call, Answer>(key: string, endpoint: Endpoint<Call, Answer>, call: Call, fetched: Cached<Answer>): Promise<void> {
    if (!this.cache) return;
    const ttl = endpoint.ttlMs(call, this.now(), this.ttl);
    await this.cache.set(key, fetched, ttl, endpoint.codec).catch((error: unknown) => this.logger.warn('cache write failed', { reason: String(error) }));
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

  async close(): Promise<void> {
    await Promise.all([this.cache?.close(), this.flight?.close()]);
  }
}
