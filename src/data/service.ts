import type { BrazeClient } from '../braze/client.js';
import type { Logger } from '../logger.js';
import type { AnswerCache, Cached } from './cache.js';
import type { Endpoint, TtlPolicy } from './endpoint.js';
import { InflightCalls } from './inflight.js';

/** Where an answer came from: Braze for this request, a call another request had in flight, or the cache. */
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
}

/**
 * The process-wide way to get any endpoint's answer: the cross-request cache, then a call already in
 * flight for another request, then Braze itself. Per-request deduplication and coalescing sit above
 * this, in the request's loaders.
 */
export class DataService {
  readonly #inflight = new InflightCalls<Cached<unknown>>();

  constructor(
    private readonly client: BrazeClient,
    private readonly cache: AnswerCache | undefined,
    private readonly ttl: TtlPolicy,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async get<Call, Answer>(endpoint: Endpoint<Call, Answer>, call: Call, { signal, bypassCache = false }: LoadOptions = {}): Promise<Loaded<Answer>> {
    const key = `${endpoint.name}:${endpoint.key(call)}`;
    if (this.cache && !bypassCache) {
      const cached = await this.cache.get(key, endpoint.codec);
      if (cached) return { ...cached, source: 'cache', expiresAt: this.#expiresAt(endpoint, call, cached.fetchedAt) };
    }
    const { promise, joined } = this.#inflight.run(key, signal, async (shared) => {
      const answer = await this.client.call(
        { path: endpoint.path, params: endpoint.searchParams(call), bucket: endpoint.bucket, parse: (text) => endpoint.parse(text, call) },
        shared,
      );
      const fetched: Cached<Answer> = { answer, fetchedAt: new Date(this.now()) };
      if (this.cache) {
        const ttl = endpoint.ttlMs(call, this.now(), this.ttl);
        // Not awaited: the answer does not wait for the cache write.
        void this.cache
          .set(key, fetched, ttl, endpoint.codec)
          .catch((error: unknown) => this.logger.warn('cache write failed', { reason: String(error) }));
      }
      return fetched;
    });
    // The key names the endpoint and its call, so what is in flight under it is this endpoint's answer.
    const loaded = (await promise) as Cached<Answer>;
    return { ...loaded, source: joined ? 'shared' : 'braze', expiresAt: this.#expiresAt(endpoint, call, loaded.fetchedAt) };
  }

  /** The TTL the cache write uses, counted from when the answer was fetched. */
  #expiresAt<Call, Answer>(endpoint: Endpoint<Call, Answer>, call: Call, fetchedAt: Date): number {
    const at = fetchedAt.getTime();
    return at + endpoint.ttlMs(call, at, this.ttl);
  }

  /** Waits (bounded) for the cache to connect, so the first requests after start can use it. */
  async ready(timeoutMs: number): Promise<boolean> {
    return this.cache ? this.cache.ready(timeoutMs) : true;
  }

  close(): Promise<void> {
    return this.cache?.close() ?? Promise.resolve();
  }
}
