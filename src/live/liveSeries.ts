import { TooManySubscriptionsError } from '../errors/gatewayErrors.js';
import type { Logger } from '../observability/logger.js';
import { classifyPollFailure, COMPLETE, LIVE, sameStatus, type LiveStatus } from './status.js';
import { type TimeUnit, isWindowClosed } from '../data/chunks.js';

/** Live series (subscriptions over SSE): how often one shared poll may ask Braze, and how many may watch. */
export interface LivePolicy {
  /**
   * The shortest time between two polls of one series. A poll's interval is the series' cache lifetime
   * (CACHE_TTL_LIVE_MS for a window still being counted), never below this.
   */
  readonly minIntervalMs: number;
  /** Open subscriptions in the whole process; 0 turns live series off. */
  readonly maxSubscriptions: number;
  /** Open subscriptions of one client: one credential, or one address when no credential is asked. */
  readonly maxSubscriptionsPerClient: number;
}

/** One series as a live subscription sees it: how to poll it, how long a poll's answer holds, how to compare two. */
export interface LiveSource<Value> {
  /**
   * Subscriptions with equal keys share one poll: the endpoint's call key, with an omitted `endingAt`
   * kept as "now" rather than an instant (every poll asks about its own now).
   */
  readonly key: string;
  /** The end the subscription gave; undefined: "now", at each poll. */
  readonly endingAt: Date | undefined;
  readonly unit: TimeUnit;
  /** How long the answer to the series asked at `instant` may be served again (the endpoint's TTL rule). */
  ttlMs(instant: Date, now: number): number;
  /** One poll, through the data service (cache, then a call in flight, then Braze). */
  load(instant: Date, signal: AbortSignal): Promise<Value>;
  /** Equal fingerprints are the same numbers, which are not pushed again. */
  fingerprint(value: Value): string;
}

/** What a subscriber is pushed: the latest value (undefined before any poll succeeded) and where the series stands. */
export interface LiveUpdate<Value> {
  readonly value: Value | undefined;
  readonly status: LiveStatus;
  /** The failure that ends the series (the last update): the subscription gets it as a query would. */
  readonly error?: unknown;
}

/** What is open right now: for tests, shutdown and metrics. */
export interface LiveStats {
  readonly polls: number;
  readonly subscriptions: number;
  /** Polls waiting for their next turn (a timer each) and polls asking right now. */
  readonly timers: number;
  readonly inFlight: number;
}

export interface LiveSeriesOptions {
  readonly policy: LivePolicy;
  readonly logger?: Logger | undefined;
  readonly now?: () => number;
}

/**
 * The process's live series: one poll per series however many subscribe to it, reference-counted.
 * A poll asks at once when its first subscriber reads, then every interval (the series' cache
 * lifetime, at least LIVE_MIN_INTERVAL_MS) until its last subscriber goes; a window wholly in the past
 * is asked once and completes. Subscribers are pushed a value only when the numbers or the status
 * changed; a failure Braze will get over (rate limit, breaker, outage) is a status beside the last
 * value, and the poll resumes by itself.
 */
export class LiveSeries {
  readonly #polls = new Map<string, Poll<unknown>>();
  readonly #perClient = new Map<string, number>();
  /** Subscriptions whose stream has not been read yet: they hold a cap slot, not a poll. */
  readonly #unread = new Set<{ end(): void }>();
  #open = 0;
  #closed = false;
  readonly #policy: LivePolicy;
  readonly #logger: Logger | undefined;
  readonly #now: () => number;

  constructor({ policy, logger, now = Date.now }: LiveSeriesOptions) {
    this.#policy = policy;
    this.#logger = logger;
    this.#now = now;
  }

  /**
   * Subscribes `client` (a caller or an address: what the per-client cap counts) to `source`.
   * Throws TooManySubscriptionsError at a cap, before anything is polled. The subscription takes its
   * cap slot at once, but joins the series' poll (starting it, when it is the first) only when its
   * stream is first read: a stream that is never sent costs no Braze call. It ends, releasing its slot
   * and leaving the poll, when the iterator is returned (the SSE stream closed), when `signal` aborts
   * (the request ended, however), or at shutdown.
   */
  subscribe<Value>(source: LiveSource<Value>, client: string, signal?: AbortSignal): AsyncIterableIterator<LiveUpdate<Value>> {
    const { maxSubscriptions, maxSubscriptionsPerClient } = this.#policy;
    if (this.#closed) throw new Error('the gateway is shutting down');
    if (this.#open >= maxSubscriptions) throw new TooManySubscriptionsError(maxSubscriptions, 'total');
    const mine = this.#perClient.get(client) ?? 0;
    if (mine >= maxSubscriptionsPerClient) throw new TooManySubscriptionsError(maxSubscriptionsPerClient, 'client');
    this.#open++;
    this.#perClient.set(client, mine + 1);

    let owner: Poll<Value> | undefined;
    // Needed only until the subscription joins its poll: a source holds its resolver's arguments and
    // resolve info, and only the poll's first subscriber's is ever polled with.
    let joining: LiveSource<Value> | undefined = source;
    const onAbort = (): void => void subscription.return();
    const subscription: Subscription<Value> = new Subscription<Value>({
      join: () => {
        const wanted = joining;
        joining = undefined;
        if (wanted === undefined) return;
        this.#unread.delete(subscription);
        const existing = this.#polls.get(wanted.key) as Poll<Value> | undefined;
        owner = existing ?? this.#newPoll(wanted);
        owner.add(subscription);
        if (!existing) owner.start();
      },
      release: () => {
        signal?.removeEventListener('abort', onAbort);
        this.#unread.delete(subscription);
        this.#open--;
        const left = (this.#perClient.get(client) ?? 1) - 1;
        if (left === 0) this.#perClient.delete(client);
        else this.#perClient.set(client, left);
        owner?.remove(subscription);
      },
    });
    this.#unread.add(subscription);
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) void subscription.return();
    return subscription;
  }

  /** A poll for `source`'s series, not started: it leaves the map when it stops. */
  #newPoll<Value>(source: LiveSource<Value>): Poll<Value> {
    const made: Poll<Value> = new Poll(source, this.#policy.minIntervalMs, this.#now, this.#logger, () => {
      if (this.#polls.get(source.key) === made) this.#polls.delete(source.key);
    });
    this.#polls.set(source.key, made as Poll<unknown>);
    return made;
  }

  stats(): LiveStats {
    let timers = 0;
    let inFlight = 0;
    for (const poll of this.#polls.values()) {
      if (poll.waiting) timers++;
      if (poll.asking) inFlight++;
    }
    return { polls: this.#polls.size, subscriptions: this.#open, timers, inFlight };
  }

  /** Ends every subscription (their streams complete) and stops every poll: for shutdown. */
  close(): void {
    this.#closed = true;
    for (const poll of [...this.#polls.values()]) poll.end();
    for (const subscription of [...this.#unread]) subscription.end();
  }
}

/**
 * One series' poll and its subscribers. Stops (timer cleared, call in flight aborted) when the last
 * subscriber leaves, or when the series completes or fails for good.
 */
class Poll<Value> {
  readonly #subscribers = new Set<Subscription<Value>>();
  #last: LiveUpdate<Value> | undefined;
  #lastFingerprint: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  #controller: AbortController | undefined;
  #stopped = false;

  constructor(
    private readonly source: LiveSource<Value>,
    private readonly minIntervalMs: number,
    private readonly now: () => number,
    private readonly logger: Logger | undefined,
    private readonly onStop: () => void,
  ) {}

  get waiting(): boolean {
    return this.#timer !== undefined;
  }

  get asking(): boolean {
    return this.#controller !== undefined;
  }

  add(subscriber: Subscription<Value>): void {
    this.#subscribers.add(subscriber);
    // A newcomer sees at once what the others last saw.
    if (this.#last) subscriber.deliver(this.#last);
  }

  remove(subscriber: Subscription<Value>): void {
    this.#subscribers.delete(subscriber);
    if (this.#subscribers.size === 0) this.#stop();
  }

  start(): void {
    void this.#poll();
  }

  /** Ends every subscriber's stream and stops. */
  end(): void {
    this.#stop();
    for (const subscriber of [...this.#subscribers]) subscriber.end();
  }

  #stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#controller?.abort();
    this.#controller = undefined;
    this.onStop();
  }

  async #poll(): Promise<void> {
    this.#timer = undefined;
    const started = this.now();
    const interval = Math.max(this.minIntervalMs, this.source.ttlMs(this.source.endingAt ?? new Date(started), started));
    // "Now" for a poll is the start of its interval: replicas polling the same series within one
    // interval ask Braze the same question, so with a shared cache the later ones find the answer.
    const instant = this.source.endingAt ?? new Date(Math.floor(started / interval) * interval);
    const controller = (this.#controller = new AbortController());
    let update: LiveUpdate<Value>;
    let nextAt: number;
    try {
      const value = await this.source.load(instant, controller.signal);
      if (this.#stopped) return;
      nextAt = this.#nextAt(started, interval);
      const ended = this.source.endingAt !== undefined && isWindowClosed({ endingAt: this.source.endingAt, unit: this.source.unit }, this.now());
      update = { value, status: ended ? COMPLETE : LIVE };
    } catch (error) {
      if (this.#stopped) return;
      nextAt = this.#nextAt(started, interval);
      const failure = classifyPollFailure(error, this.now(), nextAt);
      if (failure.kind === 'final') {
        this.logger?.info('live series ended by a failure', { reason: error instanceof Error ? error.message : String(error) });
        update = { value: this.#last?.value, status: this.#last?.status ?? LIVE, error: failure.error };
      } else {
        update = { value: this.#last?.value, status: failure.status };
        nextAt = failure.status.retryAt?.getTime() ?? nextAt;
      }
    } finally {
      if (this.#controller === controller) this.#controller = undefined;
    }
    this.#publish(update);
    if (update.error !== undefined || update.status.state === 'complete') {
      this.end();
      return;
    }
    this.#timer = setTimeout(() => void this.#poll(), Math.max(0, nextAt - this.now()));
    // A poll alone must not keep the process up: its subscribers' connections do.
    this.#timer.unref();
  }

  /**
   * A series asked about "now" keeps a steady cadence: every poll asks about a new interval, so a new
   * cache key. One with a fixed end asks the same key every time: its next poll is counted from the
   * answer, whose cache entry lives `interval` from its writing, else the poll would find that entry
   * instead of Braze's newer numbers.
   */
  #nextAt(started: number, interval: number): number {
    return (this.source.endingAt === undefined ? started : this.now()) + interval;
  }

  /** Pushes `update` unless subscribers already have the same numbers and the same status. */
  #publish(update: LiveUpdate<Value>): void {
    const fingerprint = update.value === undefined ? undefined : this.source.fingerprint(update.value);
    const last = this.#last;
    const unchanged = last !== undefined && update.error === undefined && fingerprint === this.#lastFingerprint && sameStatus(last.status, update.status);
    if (unchanged) return;
    this.#last = update;
    this.#lastFingerprint = fingerprint;
    for (const subscriber of this.#subscribers) subscriber.deliver(update);
  }
}

/**
 * One subscriber's stream of updates. It holds at most one update not yet read, the newest: a client
 * slower than the pushes skips to the latest numbers instead of building a backlog.
 */
class Subscription<Value> implements AsyncIterableIterator<LiveUpdate<Value>> {
  #pending: LiveUpdate<Value> | undefined;
  #waiting: ((result: IteratorResult<LiveUpdate<Value>>) => void) | undefined;
  #joined = false;
  #ended = false;
  #released = false;

  constructor(
    private readonly hooks: {
      /** Called at the first read: joins the series' poll (which pushes the last value at once, if any). */
      readonly join: () => void;
      /** Called once, when the subscription ends for whatever reason. */
      readonly release: () => void;
    },
  ) {}

  deliver(update: LiveUpdate<Value>): void {
    if (this.#ended) return;
    const waiting = this.#waiting;
    if (waiting) {
      this.#waiting = undefined;
      waiting({ value: update, done: false });
    } else this.#pending = update;
  }

  /** No more updates: what is pending is still read, then the stream completes. */
  end(): void {
    this.#ended = true;
    this.#release();
    if (this.#pending === undefined) this.#finish();
  }

  next(): Promise<IteratorResult<LiveUpdate<Value>>> {
    if (!this.#joined && !this.#ended) {
      this.#joined = true;
      this.hooks.join();
    }
    const pending = this.#pending;
    if (pending !== undefined) {
      this.#pending = undefined;
      return Promise.resolve({ value: pending, done: false });
    }
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.#waiting = resolve));
  }

  return(): Promise<IteratorResult<LiveUpdate<Value>>> {
    this.#ended = true;
    this.#pending = undefined;
    this.#release();
    this.#finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  #release(): void {
    if (this.#released) return;
    this.#released = true;
    this.hooks.release();
  }

  #finish(): void {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.({ value: undefined, done: true });
  }
}
