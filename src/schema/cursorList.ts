import type { Endpoint } from '../data/endpoint.js';
import type { RequestLoader } from '../data/loader.js';
import { findInCursorList, readCursorList, type CursorCall, type CursorPage, type LoadCursorPage } from '../endpoints/answers/cursorPages.js';
import { toListWindow } from './arguments.js';
import type { ConnectionView } from './connection.js';

/**
 * Pages of a cursor-paged Braze list (`/events`, `/custom_attributes`) one request may read, from the
 * first: 2,000 entries at Braze's 50 a page. Each page is one call of the 1,000-an-hour list bucket
 * the first time, a cache read until the list rule's lifetime ends; past the cap a field fails with
 * TOO_MANY_UPSTREAM_CALLS rather than spend the bucket on a list that may never end.
 */
export const MAX_CURSOR_PAGES = 40;

/** A page of `endpoint`'s list through the request's loader (deduplicated, shared, cached). */
function pageLoader<T>(loader: RequestLoader, endpoint: Endpoint<CursorCall, CursorPage<T>>): LoadCursorPage<T> {
  return async (cursor) => (await loader.load(endpoint, { cursor })).answer;
}

/** The window `first`/`after` ask for of a cursor-paged list, its entries made nodes by `node` (BAD_USER_INPUT before any call for bad arguments). */
export async function cursorConnection<T, Node>(
  args: { readonly first?: number | null | undefined; readonly after?: string | null | undefined },
  loader: RequestLoader,
  endpoint: Endpoint<CursorCall, CursorPage<T>>,
  node: (entry: T) => Node,
): Promise<ConnectionView<Node>> {
  const window = toListWindow(args);
  const slice = await readCursorList(pageLoader(loader, endpoint), window, MAX_CURSOR_PAGES);
  return { offset: window.offset, slice: { items: slice.items.map(node), hasMore: slice.hasMore } };
}

/**
 * Finds an entry of a cursor-paged list by its name, once per request however many fields (and
 * entities) ask for it: the pages are read from the first until it is found, each through the
 * request's loader, so lookups of other names share the pages already read. Undefined when the list
 * does not have the name.
 */
export function byNameIn<T extends { readonly name: string }>(endpoint: Endpoint<CursorCall, CursorPage<T>>): (loader: RequestLoader, name: string) => Promise<T | undefined> {
  // Keyed by the request's loader: nothing outlives the request.
  const found = new WeakMap<RequestLoader, Map<string, Promise<T | undefined>>>();
  return (loader, name) => {
    let byName = found.get(loader);
    if (!byName) found.set(loader, (byName = new Map()));
    let entry = byName.get(name);
    if (!entry) byName.set(name, (entry = findInCursorList(pageLoader(loader, endpoint), (item) => item.name === name, MAX_CURSOR_PAGES)));
    return entry;
  };
}
