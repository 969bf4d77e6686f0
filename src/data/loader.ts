import DataLoader from 'dataloader';
import { TooManyUpstreamCallsError } from '../errors/gatewayErrors.js';
import type { RequestTrace } from '../observability/tracing/requestTrace.js';
import { unknownKeysOf } from './answerNotes.js';
import { planChunks, stitchChunks, type SeriesWindow } from './chunks.js';
import type { Endpoint } from './endpoint.js';
import type { AnswerSource, DataService, Loaded } from './service.js';

/** What one request's loads cost, for `extensions.brazeCache` and metrics. */
export interface LoadStats {
  /** Answers served, by where they came from. */
  readonly sources: Record<AnswerSource, number>;
  /** Fields that asked for an answer (loads), and the distinct calls among them: the rest were deduplicated. */
  loads: number;
  distinct: number;
  /** Fields answered from a covering call (further-reaching, or asking more) instead of a call of their own. */
  coalesced: number;
  /** HTTP attempts of the calls this request made (`sources.braze`), retries included. */
  brazeAttempts: number;
  /** The oldest answer served, epoch ms (undefined before any). */
  oldestFetchedAt: number | undefined;
  /**
   * Epoch ms until which everything the response is built from stays current: the earliest expiry of
   * the answers served, and the end of the request's "now" slice once a field used it (see
   * createContext). undefined: nothing time-bound was used.
   */
  freshUntil: number | undefined;
}

export function createLoadStats(): LoadStats {
  return { sources: { braze: 0, shared: 0, cache: 0 }, loads: 0, distinct: 0, coalesced: 0, brazeAttempts: 0, oldestFetchedAt: undefined, freshUntil: undefined };
}

/** Lowers `stats.freshUntil` to `instant` when that is earlier. */
export function freshAtMostUntil(stats: LoadStats, instant: number): void {
  if (stats.freshUntil === undefined || instant < stats.freshUntil) stats.freshUntil = instant;
}

export interface RequestLoaderOptions {
  /** The GraphQL request's signal: its client going away aborts the calls (once no one else waits). */
  signal?: AbortSignal | undefined;
  /** Distinct upstream calls this request may make, all endpoints together; the ones beyond fail with TOO_MANY_UPSTREAM_CALLS. */
  maxCalls: number;
  bypassCache?: boolean;
  stats?: LoadStats;
  /** The request's spans, when it is traced: a span per load, the Braze attempts below the first load of each call. */
  trace?: RequestTrace | undefined;
  /**
   * Told the keys an answer fresh from Braze carried that its endpoint does not know (noted by the
   * endpoint's parse, data/answerNotes.ts), with the endpoint's path. Answers from a cache or shared
   * with another request are not told again: each answer Braze gave is reported by the load that made
   * its call.
   */
  reportUnknownKeys?: ((endpoint: string, keys: readonly string[]) => void) | undefined;
}

/** Loads any endpoint's answer for the resolvers of one GraphQL request. */
export interface RequestLoader {
  load<Call, Answer>(endpoint: Endpoint<Call, Answer>, call: Call): Promise<Loaded<Answer>>;
}

/**
 * One per GraphQL request. For each endpoint a DataLoader makes identical calls (aliases, fragments,
 * the same instant in other offsets) one key; then, for endpoints that coalesce, calls that one answer
 * can serve are one call (the furthest-reaching, or the covering call the endpoint builds from them),
 * each field getting its part. The cap
 * counts the calls made, whatever the endpoint. Created per request so that nothing, failures
 * included, outlives the request here.
 */
export function createRequestLoader(service: DataService, { signal, maxCalls, bypassCache = false, stats = createLoadStats(), trace, reportUnknownKeys }: RequestLoaderOptions): RequestLoader {
  let made = 0;
  /** `askedBy`: the field's call whose load span the attempts go under (the covering call may be no field's). */
  const fetch = <Call, Answer>(endpoint: Endpoint<Call, Answer>, call: Call, askedBy: Call = call): Promise<Served<Answer>> => {
    // Counts upstream calls (windows), not fields: the cap bounds the work one request can cause.
    if (made >= maxCalls) return Promise.reject(new TooManyUpstreamCallsError(maxCalls));
    made++;
    const attempts = trace?.attemptsOf(endpoint, endpoint.key(askedBy));
    return service.get(endpoint, call, { signal, bypassCache, trace: attempts }).then((loaded) => {
      stats.sources[loaded.source]++;
      // An answer from Braze took at least one attempt, whatever a client that counts none says.
      if (loaded.source === 'braze') stats.brazeAttempts += Math.max(1, loaded.attempts ?? 1);
      if (loaded.source === 'braze' && reportUnknownKeys) {
        const keys = unknownKeysOf(loaded.answer);
        if (keys.length > 0) reportUnknownKeys(endpoint.path, keys);
      }
      const fetchedAt = loaded.fetchedAt.getTime();
      if (stats.oldestFetchedAt === undefined || fetchedAt < stats.oldestFetchedAt) stats.oldestFetchedAt = fetchedAt;
      freshAtMostUntil(stats, loaded.expiresAt);
      return loaded;
    });
  };

  const loaders = new Map<string, DataLoader<unknown, Pending<unknown>, string>>();
  const loaderFor = <Call, Answer>(endpoint: Endpoint<Call, Answer>): DataLoader<Call, Pending<Answer>, string> => {
    let loader = loaders.get(endpoint.name);
    if (!loader) {
      const created = new DataLoader<Call, Pending<Answer>, string>((calls) => batch(endpoint, calls), { cacheKeyFn: (call) => endpoint.key(call) });
      loader = created as unknown as DataLoader<unknown, Pending<unknown>, string>;
      loaders.set(endpoint.name, loader);
    }
    // Loaders are registered under their endpoint's name, so this one was made for this endpoint.
    return loader as unknown as DataLoader<Call, Pending<Answer>, string>;
  };

  function batch<Call, Answer>(endpoint: Endpoint<Call, Answer>, calls: readonly Call[]): Promise<Pending<Answer>[]> {
    // DataLoader hands over each distinct key once; loads of a key already asked for never get here.
    stats.distinct += calls.length;
    const answers = new Map<Call, Promise<Served<Answer>>>();
    const { coalescing } = endpoint;
    if (!coalescing) {
      for (const call of calls) answers.set(call, fetch(endpoint, call));
    } else {
      const windows = new Map<string, Call[]>();
      for (const call of calls) {
        const key = coalescing.windowKey(call);
        windows.set(key, [...(windows.get(key) ?? []), call]);
      }
      for (const group of windows.values()) {
        const furthest = group.reduce((a, b) => (coalescing.reach(b) > coalescing.reach(a) ? b : a));
        const built = group.length > 1 && coalescing.cover ? coalescing.cover(group) : furthest;
        // A covering call equal to one of the group is that call: its field gets the answer whole.
        const covering = group.find((call) => endpoint.key(call) === endpoint.key(built)) ?? built;
        const whole = fetch(endpoint, covering, group.includes(covering) ? covering : furthest);
        if (group.includes(covering)) answers.set(covering, whole);
        // A call none of the group is: a later load of exactly it in this request gets this answer too.
        else loaderFor(endpoint).prime(covering, pending(whole));
        for (const call of group) {
          if (call === covering) continue;
          answers.set(
            call,
            whole.then((loaded) => {
              const part = coalescing.slice(loaded.answer, covering, call);
              // Not derivable from the longer answer (Braze sent fewer points than asked): a call of its own.
              if (part === undefined) return fetch(endpoint, call);
              stats.coalesced++;
              return { ...loaded, answer: part, coalesced: true };
            }),
          );
        }
      }
    }
    // Each answer is handed over as it comes: a field waits for its own call, not for the batch's
    // slowest (with @defer, a fast field and a slow deferred one load in the same batch). A failed
    // call fails only the fields asking for it.
    return Promise.resolve(calls.map((call) => pending(answers.get(call)!)));
  }

  return {
    load(endpoint, call) {
      stats.loads++;
      const span = trace?.recording ? trace.startLoad(endpoint, endpoint.key(call)) : undefined;
      const answer = loaderFor(endpoint)
        .load(call)
        .then(({ answer }) => answer);
      return span ? span.follow(answer) : answer;
    },
  };
}

/** An answer as a field gets it: `coalesced` when cut from a covering call made for another field. */
type Served<Answer> = Loaded<Answer> & { readonly coalesced?: true };

/**
 * An answer still on its way, boxed so that DataLoader (which settles a batch's loads together)
 * hands it over at once; every load of the key shares the box, failures included.
 */
interface Pending<Answer> {
  readonly answer: Promise<Served<Answer>>;
}

function pending<Answer>(answer: Promise<Served<Answer>>): Pending<Answer> {
  const failingWithErrors = answer.catch((error: unknown) => Promise.reject(toError(error)));
  // Its loads handle a failure; until they attach (a microtask later) it must not count as unhandled.
  failingWithErrors.catch(() => undefined);
  return { answer: failingWithErrors };
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** A series as loaded: its points, when Braze gave the oldest of them, and how many calls it is made of. */
export interface LoadedSeries<Point> {
  readonly points: readonly Point[];
  readonly fetchedAt: Date;
  readonly calls: number;
}

/**
 * Loads a series of any length through the request's loader: one call when Braze serves the window
 * whole, else its chunks, each an ordinary call (deduplicated, coalesced, shared, cached, counted
 * against the request's cap). The series fails when any chunk fails: a series with a hole in it
 * would chart as a real drop.
 */
export function loadSeries<Call extends SeriesWindow, Point extends { readonly time: Date }>(
  loader: RequestLoader,
  endpoint: Endpoint<Call, readonly Point[]>,
  call: Call,
  maxUnits: number,
): Promise<LoadedSeries<Point>> {
  return loadWindow(loader, endpoint, call, (window) => (window === call ? call : { ...call, ...window }), maxUnits);
}

/**
 * The same for an endpoint whose calls are not windows themselves (Canvas series, whose calls carry
 * `length` or `starting_at`): `callFor` makes the call that asks Braze for one chunk.
 */
export async function loadWindow<Call, Point extends { readonly time: Date }>(
  loader: RequestLoader,
  endpoint: Endpoint<Call, readonly Point[]>,
  window: SeriesWindow,
  callFor: (chunk: SeriesWindow) => Call,
  maxUnits: number,
): Promise<LoadedSeries<Point>> {
  const chunks = planChunks(window, maxUnits);
  if (chunks.length === 1) {
    const { answer, fetchedAt } = await loader.load(endpoint, callFor(window));
    return { points: answer, fetchedAt, calls: 1 };
  }
  const loaded = await Promise.all(chunks.map((chunk) => loader.load(endpoint, callFor(chunk))));
  const fetchedAt = new Date(Math.min(...loaded.map((chunk) => chunk.fetchedAt.getTime())));
  return { points: stitchChunks(loaded.map((chunk) => chunk.answer), window), fetchedAt, calls: chunks.length };
}
