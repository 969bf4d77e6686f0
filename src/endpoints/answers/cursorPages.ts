import { TooManyUpstreamCallsError } from '../../errors/gatewayErrors.js';
import type { AnswerHeaders } from '../../data/endpoint.js';
import { invalidAnswer, list } from './answerFields.js';
import { nextPageCursor } from './linkHeader.js';
import { parseSuccessBody } from './lists.js';
import type { ListSlice, ListWindow } from './pages.js';
import { truncate } from '../../observability/redact.js';
import { ANY, keys, listOf, record, withUnknownKeys, type Shape } from './shape.js';

/**
 * Braze's cursor-paged lists (`/events`, `/custom_attributes`): the first page is asked with no
 * `cursor`, each next one with the cursor its predecessor's Link header names (see linkHeader.ts), and
 * the page without a `next` link is the last. A page is only reachable from the one before it, so a
 * list is read from its first page, page by page, each an ordinary call of the data path (deduplicated
 * per request, shared, cached by the list rules): reading on in a later request costs cache reads,
 * not Braze calls. Nothing here does I/O: `loadPage` is the caller's.
 */

/** One page of a cursor-paged list: the first (cursor null), or the one a Link header named. */
export interface CursorCall {
  readonly cursor: string | null;
}

/** A page: its entries, and the cursor of the next page (null on the last). */
export interface CursorPage<T> {
  readonly items: readonly T[];
  readonly next: string | null;
}

export type LoadCursorPage<T> = (cursor: string | null) => Promise<CursorPage<T>>;

/** The key of a page: its cursor, quoted (the first page's `null` can be no cursor's key). */
export const cursorKey = (call: CursorCall): string => JSON.stringify(call.cursor);

/** The first page is asked with no parameter; the others with their cursor, as the Link header gave it. */
export function cursorSearchParams(call: CursorCall): URLSearchParams {
  return new URLSearchParams(call.cursor === null ? {} : { cursor: call.cursor });
}

/** How one list's page is read: where it is, the field holding its entries, how many a page holds, and one entry's reader. */
export interface CursorList<T> {
  readonly path: string;
  readonly field: string;
  readonly pageSize: number;
  readonly entry: (value: unknown, path: string) => T;
  /** The keys Braze documents for one entry: others are noted as unknown (shape.ts), never an error. */
  readonly entryKeys: readonly string[];
}

/** What Braze documents of one page's body: `message` and the list of entries. */
export function cursorPageShape({ field, entryKeys }: Pick<CursorList<unknown>, 'field' | 'entryKeys'>): Shape {
  return record({ message: ANY, [field]: listOf(keys(entryKeys)) });
}

/** A page's body and Link header → the page, or UpstreamInvalidResponseError saying what is wrong. */
export function parseCursorPage<T>(text: string, headers: AnswerHeaders | undefined, pages: CursorList<T>): CursorPage<T> {
  const { path, field, pageSize, entry } = pages;
  const body = parseSuccessBody(text);
  const entries = list(body[field], field, pageSize);
  const page = { items: entries.map((value, index) => entry(value, `${field}[${index}]`)), next: nextPageCursor(headers?.['link'], path) };
  return withUnknownKeys(page, body, cursorPageShape(pages));
}

/**
 * Reads pages from the first, in order: `visit` gets each page and says whether to stop. A next
 * cursor already read in this walk (a loop, which would read forever or repeat entries) fails it with
 * UpstreamInvalidResponseError; more than `maxPages` pages fail it with TOO_MANY_UPSTREAM_CALLS.
 */
class CursorWalk<T> {
  readonly #seen = new Set<string | null>();
  #next: string | null | undefined = null;

  constructor(
    private readonly loadPage: LoadCursorPage<T>,
    private readonly maxPages: number,
  ) {}

  /** Whether a page is left to read. */
  get ended(): boolean {
    return this.#next === undefined;
  }

  /** The next page, or undefined when the list has ended. */
  async read(): Promise<CursorPage<T> | undefined> {
    const cursor = this.#next;
    if (cursor === undefined) return undefined;
    if (this.#seen.has(cursor)) throw invalidAnswer(`Braze's next page link leads back to a page already read (cursor "${truncate(String(cursor), 60)}")`);
    if (this.#seen.size >= this.maxPages) throw new TooManyUpstreamCallsError(this.maxPages);
    this.#seen.add(cursor);
    const page = await this.loadPage(cursor);
    this.#next = page.next ?? undefined;
    return page;
  }
}

/**
 * The window [offset, offset + limit) of a cursor-paged list: pages are read from the first until the
 * window is filled or the list ends. Offsets count the entries Braze sent, whatever a page held.
 * Whether more follow is known from what was read, except when the window ends exactly with a page
 * that names a next one: then that page (and any empty ones after it) is read once, when asked.
 */
export async function readCursorList<T>(loadPage: LoadCursorPage<T>, window: ListWindow, maxPages: number): Promise<ListSlice<T>> {
  const end = window.offset + window.limit;
  const walk = new CursorWalk(loadPage, maxPages);
  const read: T[] = [];
  while (read.length < end) {
    const page = await walk.read();
    if (!page) break;
    read.push(...page.items);
  }
  const items = read.slice(window.offset, end);
  if (read.length > end) return { items, hasMore: () => Promise.resolve(true) };
  if (walk.ended) return { items, hasMore: () => Promise.resolve(false) };
  let more: Promise<boolean> | undefined;
  const readOn = async (): Promise<boolean> => {
    for (;;) {
      const page = await walk.read();
      if (!page) return false;
      if (page.items.length > 0) return true;
    }
  };
  return { items, hasMore: () => (more ??= readOn()) };
}

/** The first entry `matches` accepts, reading pages from the first until it is found or the list ends; undefined when it is in no page. */
export async function findInCursorList<T>(loadPage: LoadCursorPage<T>, matches: (item: T) => boolean, maxPages: number): Promise<T | undefined> {
  const walk = new CursorWalk(loadPage, maxPages);
  for (;;) {
    const page = await walk.read();
    if (!page) return undefined;
    const found = page.items.find(matches);
    if (found !== undefined) return found;
  }
}
