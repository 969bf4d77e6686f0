import DataLoader from 'dataloader';
import { TooManyUpstreamCallsError } from '../errors.js';
import { eventSeriesCallKey, eventSeriesWindowKey, type EventSeriesCall } from './eventSeries.js';
import type { EventSeriesService, LoadedSeries, SeriesSource } from './seriesService.js';

export type EventSeriesLoader = DataLoader<EventSeriesCall, LoadedSeries, string>;

/** What one request's series cost, for `extensions.brazeCache` and metrics. */
export interface LoadStats {
  /** Series answered, by where the answer came from. */
  readonly sources: Record<SeriesSource, number>;
  /** Fields that asked for a series (loads), and the distinct calls among them: the rest were deduplicated. */
  loads: number;
  distinct: number;
  /** Fields answered from a longer window's call instead of a call of their own. */
  coalesced: number;
  /** The oldest answer served, epoch ms (undefined before any). */
  oldestFetchedAt: number | undefined;
}

export function createLoadStats(): LoadStats {
  return { sources: { braze: 0, shared: 0, cache: 0 }, loads: 0, distinct: 0, coalesced: 0, oldestFetchedAt: undefined };
}

export interface EventSeriesLoaderOptions {
  /** The GraphQL request's signal: its client going away aborts the calls (once no one else waits). */
  signal?: AbortSignal | undefined;
  /** Distinct upstream calls (windows) this request may make; the ones beyond fail with TOO_MANY_UPSTREAM_CALLS. */
  maxCalls: number;
  bypassCache?: boolean;
  stats?: LoadStats;
}

/**
 * One loader per GraphQL request. DataLoader makes identical calls (aliases, fragments, the same instant
 * in other offsets) one key. Then, within a batch, calls that differ only in `length` are one window:
 * the longest is fetched once and each field gets its slice, exactly what Braze answers for its length.
 * Created per request so that nothing, failures included, outlives the request here.
 */
export function createEventSeriesLoader(
  service: EventSeriesService,
  { signal, maxCalls, bypassCache = false, stats = createLoadStats() }: EventSeriesLoaderOptions,
): EventSeriesLoader {
  let made = 0;
  const fetch = (call: EventSeriesCall): Promise<LoadedSeries> => {
    // Counts windows, not fields: the cap bounds the work one request can cause.
    if (made >= maxCalls) return Promise.reject(new TooManyUpstreamCallsError(maxCalls));
    made++;
    return service.get(call, { signal, bypassCache }).then((loaded) => {
      stats.sources[loaded.source]++;
      const fetchedAt = loaded.fetchedAt.getTime();
      if (stats.oldestFetchedAt === undefined || fetchedAt < stats.oldestFetchedAt) stats.oldestFetchedAt = fetchedAt;
      return loaded;
    });
  };

  const loader = new DataLoader<EventSeriesCall, LoadedSeries, string>(
    (calls) => {
      // DataLoader hands over each distinct key once; loads of a key already asked for never get here.
      stats.distinct += calls.length;
      const windows = new Map<string, EventSeriesCall[]>();
      for (const call of calls) {
        const key = eventSeriesWindowKey(call);
        windows.set(key, [...(windows.get(key) ?? []), call]);
      }
      const answers = new Map<EventSeriesCall, Promise<LoadedSeries>>();
      for (const group of windows.values()) {
        const longest = group.reduce((a, b) => (b.length > a.length ? b : a));
        const whole = fetch(longest);
        answers.set(longest, whole);
        for (const call of group) {
          if (call !== longest) answers.set(call, whole.then((loaded) => slice(loaded, longest, call)));
        }
      }
      // A failed call becomes that key's Error, so only the fields asking for it fail.
      return Promise.all(calls.map((call) => answers.get(call)!.catch((error: unknown) => toError(error))));
    },
    { cacheKeyFn: eventSeriesCallKey },
  );
  const load = loader.load.bind(loader);
  loader.load = (call) => {
    stats.loads++;
    return load(call);
  };
  return loader;

  /**
   * The last `call.length` points of the longest answer, when that answer is complete (one point per
   * unit). Braze may send fewer points than asked (its `length` is a maximum); then which points a
   * shorter call would get is not known, so it gets a call of its own.
   */
  function slice(loaded: LoadedSeries, longest: EventSeriesCall, call: EventSeriesCall): Promise<LoadedSeries> {
    if (loaded.points.length !== longest.length) return fetch(call);
    stats.coalesced++;
    return Promise.resolve({ ...loaded, points: loaded.points.slice(loaded.points.length - call.length) });
  }
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
