import { TooManyUpstreamCallsError } from '../../errors/gatewayErrors.js';

/**
 * Braze's lists come in numbered pages; clients page by offset. This module turns a window of offsets
 * [offset, offset + limit) into the Braze pages it needs and back, reading pages one after another so
 * that a page past the end is never asked for. It does no I/O of its own: `loadPage` is the caller's
 * (the request's loader, so pages are deduplicated, shared and cached one by one).
 */

/** Items [offset, offset + limit) of a list: what one connection request asks for. */
export interface ListWindow {
  readonly offset: number;
  readonly limit: number;
}

/** What a window got: its items, and whether items follow them (decided lazily, see below). */
export interface ListSlice<T> {
  readonly items: readonly T[];
  /**
   * Whether the list goes on after the window. Known from the pages read unless the last one was
   * full and ended exactly where the window ends: then the next page is read, once, when asked.
   */
  hasMore(): Promise<boolean>;
}

export type LoadPage<T> = (page: number) => Promise<readonly T[]>;

/** The 0-based pages holding offsets [offset, offset + limit), first and last; undefined for an empty window. */
export function pagesCovering({ offset, limit }: ListWindow, pageSize: number): { first: number; last: number } | undefined {
  if (limit <= 0) return undefined;
  return { first: Math.floor(offset / pageSize), last: Math.floor((offset + limit - 1) / pageSize) };
}

/**
 * Reads a list of known page size (0-based pages of `pageSize`, the last one short or empty): only the
 * pages covering the window, in order, stopping at the first short page (the end of the list).
 */
export async function readSizedList<T>(loadPage: LoadPage<T>, pageSize: number, window: ListWindow): Promise<ListSlice<T>> {
  const span = pagesCovering(window, pageSize);
  if (span === undefined) return { items: [], hasMore: () => Promise.resolve(false) };
  const end = window.offset + window.limit;
  const items: T[] = [];
  let page = span.first;
  let pageItems: readonly T[] = [];
  for (; page <= span.last; page++) {
    pageItems = await loadPage(page);
    const start = page * pageSize;
    items.push(...pageItems.slice(Math.max(0, window.offset - start), Math.max(0, end - start)));
    if (pageItems.length < pageSize) {
      // The last page of the list: more follow only on it, after the window.
      const more = start + pageItems.length > end;
      return { items, hasMore: () => Promise.resolve(more) };
    }
  }
  // The last page read was full: items beyond the window are on it, unless the window ends with it.
  const lastPageEnd = span.last * pageSize + pageItems.length;
  if (lastPageEnd > end) return { items, hasMore: () => Promise.resolve(true) };
  return { items, hasMore: once(async () => (await loadPage(span.last + 1)).length > 0) };
}

/**
 * Reads a list whose page size is unknown (Braze's product list): pages 0, 1, 2, … until the window is
 * filled or a page is empty. Names seen on an earlier page are dropped, and a page that brings nothing
 * new ends the list: should Braze number pages from 1 and answer page 0 as page 1, or ignore `page`,
 * nothing is counted twice and reading stops. Reading more than `maxPages` pages for a window fails
 * with TOO_MANY_UPSTREAM_CALLS.
 */
export async function readUnsizedList(loadPage: LoadPage<string>, window: ListWindow, maxPages: number): Promise<ListSlice<string>> {
  const end = window.offset + window.limit;
  const seen = new Set<string>();
  const unique: string[] = [];
  let page = 0;
  let ended = false;
  /** Reads the next page; false when the list has ended (an empty page, or nothing new). */
  const readNext = async (): Promise<boolean> => {
    if (ended) return false;
    if (page >= maxPages) throw new TooManyUpstreamCallsError(maxPages);
    const names = await loadPage(page++);
    const before = unique.length;
    for (const name of names) {
      if (seen.has(name)) continue;
      seen.add(name);
      unique.push(name);
    }
    ended = unique.length === before;
    return !ended;
  };
  while (unique.length < end && (await readNext()));
  const items = unique.slice(window.offset, end);
  if (unique.length > end) return { items, hasMore: () => Promise.resolve(true) };
  if (ended) return { items, hasMore: () => Promise.resolve(false) };
  // Exactly filled by the pages read: whether more follow is on the next page.
  return { items, hasMore: once(async () => (await readNext()) && unique.length > end) };
}

/** `fn`, run at most once: asking twice (pageInfo in two aliases) reads the next page once. */
function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= fn());
}

/**
 * The first entry `matches` accepts in a list of known page size, reading pages 0, 1, 2, … until it
 * is found or a short page ends the list; undefined when no page has it. Needing more than `maxPages`
 * pages fails with TOO_MANY_UPSTREAM_CALLS rather than walk a list that may not end.
 */
export async function findInSizedList<T>(loadPage: LoadPage<T>, pageSize: number, matches: (item: T) => boolean, maxPages: number): Promise<T | undefined> {
  for (let page = 0; ; page++) {
    if (page >= maxPages) throw new TooManyUpstreamCallsError(maxPages);
    const items = await loadPage(page);
    const found = items.find(matches);
    if (found !== undefined) return found;
    if (items.length < pageSize) return undefined;
  }
}
