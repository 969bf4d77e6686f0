import { describe, expect, it } from 'vitest';
import { cursorKey, cursorSearchParams, findInCursorList, parseCursorPage, readCursorList, type CursorPage } from '../../src/endpoints/answers/cursorPages.js';
import { EVENT_EXPORT } from '../../src/endpoints/eventExport.js';
import { TooManyUpstreamCallsError, UpstreamInvalidResponseError } from '../../src/errors/gatewayErrors.js';

/** A cursor-paged list of `sizes.length` pages `c0`, `c1`, … (the first asked with null), page p holding sizes[p] items `p.i`; records the cursors read. */
function cursorList(sizes: readonly number[], next: (page: number) => string | null = (page) => (page + 1 < sizes.length ? `c${page + 1}` : null)) {
  const read: (string | null)[] = [];
  const pageOf = (cursor: string | null): number => (cursor === null ? 0 : Number(cursor.slice(1)));
  return {
    read,
    loadPage: (cursor: string | null): Promise<CursorPage<string>> => {
      read.push(cursor);
      const page = pageOf(cursor);
      return Promise.resolve({ items: Array.from({ length: sizes[page] ?? 0 }, (_, i) => `${page}.${i}`), next: next(page) });
    },
  };
}

const itemsOf = (sizes: readonly number[]): string[] => sizes.flatMap((size, page) => Array.from({ length: size }, (_, i) => `${page}.${i}`));

describe('cursor calls', () => {
  it('the first page has no cursor parameter and a key no cursor has', () => {
    expect(cursorSearchParams({ cursor: null }).toString()).toBe('');
    expect(cursorSearchParams({ cursor: 'c2tp+cDo=' }).toString()).toBe('cursor=c2tp%2BcDo%3D');
    expect(cursorKey({ cursor: null })).toBe('null');
    expect(cursorKey({ cursor: 'null' })).toBe('"null"');
  });
});

describe('readCursorList', () => {
  it('reads from the first page only as far as the window needs', async () => {
    const list = cursorList([50, 50, 20]);
    const slice = await readCursorList(list.loadPage, { offset: 0, limit: 10 }, 40);
    expect(slice.items).toEqual(itemsOf([50]).slice(0, 10));
    expect(await slice.hasMore()).toBe(true);
    expect(list.read).toEqual([null]);
  });

  it('a window deeper in the list walks the pages before it, in order, and knows the end from the missing next link', async () => {
    const list = cursorList([50, 50, 20]);
    const slice = await readCursorList(list.loadPage, { offset: 90, limit: 50 }, 40);
    expect(slice.items).toEqual(itemsOf([50, 50, 20]).slice(90, 120));
    expect(await slice.hasMore()).toBe(false);
    expect(list.read).toEqual([null, 'c1', 'c2']);
  });

  it('offsets count what Braze sent, whatever a page held', async () => {
    const list = cursorList([3, 0, 5, 2]);
    const slice = await readCursorList(list.loadPage, { offset: 2, limit: 4 }, 40);
    expect(slice.items).toEqual(['0.2', '2.0', '2.1', '2.2']);
    expect(await slice.hasMore()).toBe(true);
    expect(list.read).toEqual([null, 'c1', 'c2']);
  });

  it('a window ending with a page that names a next one reads it only when asked whether more follow, once, past empty pages', async () => {
    const list = cursorList([50, 0, 0, 7]);
    const slice = await readCursorList(list.loadPage, { offset: 0, limit: 50 }, 40);
    expect(list.read).toEqual([null]);
    const [first, second] = await Promise.all([slice.hasMore(), slice.hasMore()]);
    expect([first, second]).toEqual([true, true]);
    expect(list.read).toEqual([null, 'c1', 'c2', 'c3']);

    const ending = cursorList([50, 0]);
    const whole = await readCursorList(ending.loadPage, { offset: 0, limit: 50 }, 40);
    expect(await whole.hasMore()).toBe(false);
    expect(ending.read).toEqual([null, 'c1']);
  });

  it('past the end: no items, no more', async () => {
    const list = cursorList([50, 20]);
    const slice = await readCursorList(list.loadPage, { offset: 500, limit: 10 }, 40);
    expect(slice.items).toEqual([]);
    expect(await slice.hasMore()).toBe(false);
    expect(list.read).toEqual([null, 'c1']);
  });

  it('a next cursor already read is a loop: UPSTREAM_INVALID_RESPONSE, never a second read of it', async () => {
    const selfLoop = cursorList([50, 50], (page) => (page === 0 ? 'c1' : 'c1'));
    await expect(readCursorList(selfLoop.loadPage, { offset: 0, limit: 250 }, 40)).rejects.toThrow(
      new UpstreamInvalidResponseError('Braze\'s next page link leads back to a page already read (cursor "c1")'),
    );
    expect(selfLoop.read).toEqual([null, 'c1']);
    const backToFirst = cursorList([50, 50, 50], (page) => `c${(page + 1) % 2}`);
    await expect(readCursorList(backToFirst.loadPage, { offset: 0, limit: 250 }, 40)).rejects.toThrow(UpstreamInvalidResponseError);
    expect(backToFirst.read).toEqual([null, 'c1', 'c0']);
  });

  it('a list that never ends stops at maxPages with TOO_MANY_UPSTREAM_CALLS', async () => {
    const endless = cursorList(Array.from({ length: 1000 }, () => 1));
    await expect(readCursorList(endless.loadPage, { offset: 0, limit: 250 }, 40)).rejects.toThrow(TooManyUpstreamCallsError);
    expect(endless.read).toHaveLength(40);
  });
});

describe('findInCursorList', () => {
  it('reads pages until the entry is found, and all of them when it is in none', async () => {
    const list = cursorList([50, 50, 20]);
    expect(await findInCursorList(list.loadPage, (item) => item === '1.3', 40)).toBe('1.3');
    expect(list.read).toEqual([null, 'c1']);
    const again = cursorList([50, 50, 20]);
    expect(await findInCursorList(again.loadPage, (item) => item === 'nope', 40)).toBeUndefined();
    expect(again.read).toEqual([null, 'c1', 'c2']);
  });
});

describe("a page of /events (Braze's body and Link header)", () => {
  const body = (events: unknown): string => JSON.stringify({ message: 'success', events });
  const event = { name: 'The event name', description: 'The event description', included_in_analytics_report: false, status: 'Active', tag_names: ['Tag One', 'Tag Two'] };

  it('reads each entry and the next cursor; optional fields absent or null are null (tags empty); unknown fields are ignored', () => {
    expect(parseCursorPage(body([event, { name: 'bare' }, { name: 'nulls', description: null, included_in_analytics_report: null, status: null, tag_names: null, extra: 1 }]), { link: '</events?cursor=abc>; rel="next"' }, EVENT_EXPORT)).toEqual({
      items: [
        { name: 'The event name', description: 'The event description', includedInAnalyticsReport: false, status: 'Active', tags: ['Tag One', 'Tag Two'] },
        { name: 'bare', description: null, includedInAnalyticsReport: null, status: null, tags: [] },
        { name: 'nulls', description: null, includedInAnalyticsReport: null, status: null, tags: [] },
      ],
      next: 'abc',
    });
    expect(parseCursorPage(body([]), undefined, EVENT_EXPORT)).toEqual({ items: [], next: null });
  });

  it.each([
    ['not JSON', 'nope', 'Braze answered with a body that is not JSON (starts with "nope")'],
    ['without success', JSON.stringify({ message: 'error', events: [] }), 'Braze answered without success (message: "error")'],
    ['without the list', JSON.stringify({ message: 'success' }), 'events is not a list'],
    ['more than 50 on a page', body(Array.from({ length: 51 }, (_, i) => ({ name: `e${i}` }))), 'events has 51 entries, more than 50'],
    ['an entry without a name', body([{ description: 'x' }]), 'events[0].name is not a non-empty string'],
    ['an empty name', body([{ name: '' }]), 'events[0].name is not a non-empty string'],
    ['a description that is no string', body([{ name: 'a', description: 5 }]), 'events[0].description is not a string'],
    ['an inclusion that is no boolean', body([{ name: 'a', included_in_analytics_report: 'false' }]), 'events[0].included_in_analytics_report is not a boolean'],
    ['tags that are no strings', body([{ name: 'a', tag_names: [1] }]), 'events[0].tag_names is not a list of strings'],
  ])('refuses %s', (_, text, message) => {
    expect(() => parseCursorPage(text, {}, EVENT_EXPORT)).toThrow(new UpstreamInvalidResponseError(message));
  });
});
