import type { RequestLoader } from '../data/loader.js';
import { findInSizedList } from '../endpoints/answers/pages.js';

/**
 * Pages of a numbered Braze list (`/segments/list`, `/campaigns/list`, `/canvas/list`: 100 a page)
 * one request may read to find an entity by id: 4,000 entities. Each page is one call of the export
 * bucket the first time, a cache read until the list rule's lifetime ends; past the cap the field
 * fails with TOO_MANY_UPSTREAM_CALLS.
 */
export const MAX_LOOKUP_PAGES = 40;

/**
 * Finds an entry of a numbered list by its id, for the fields only that list carries, once per request
 * however many fields and entities ask: the pages are read from the first (oldest first, Braze's
 * default order) through the request's loader until the id is found, so lookups of other ids share
 * the pages already read. Undefined when the list does not have the id (an archived segment, one
 * created after the cached pages).
 */
export function byIdIn<T extends { readonly id: string }>(
  loadPage: (loader: RequestLoader, page: number) => Promise<readonly T[]>,
  pageSize: number,
): (loader: RequestLoader, id: string) => Promise<T | undefined> {
  // Keyed by the request's loader: nothing outlives the request.
  const found = new WeakMap<RequestLoader, Map<string, Promise<T | undefined>>>();
  return (loader, id) => {
    let byId = found.get(loader);
    if (!byId) found.set(loader, (byId = new Map()));
    let entry = byId.get(id);
    if (!entry) byId.set(id, (entry = findInSizedList((page) => loadPage(loader, page), pageSize, (item) => item.id === id, MAX_LOOKUP_PAGES)));
    return entry;
  };
}
