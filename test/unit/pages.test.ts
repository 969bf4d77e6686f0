import { describe, expect, it } from 'vitest';
import { findInSizedList, pagesCovering, readSizedList, readUnsizedList } from '../../src/endpoints/answers/pages.js';
import { TooManyUpstreamCallsError } from '../../src/errors/gatewayErrors.js';

/** A list of `total` items `i0, i1, …` served in pages of `pageSize`, recording which pages were read. */
function pagedList(total: number, pageSize: number): { loadPage: (page: number) => Promise<string[]>; read: number[] } {
  const items = Array.from({ length: total }, (_, index) => `i${index}`);
  const read: number[] = [];
  return {
    read,
    loadPage: (page) => {
      read.push(page);
      return Promise.resolve(items.slice(page * pageSize, (page + 1) * pageSize));
    },
  };
}

const range = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, index) => `i${from + index}`);

describe('pagesCovering', () => {
  it('names the first and last page holding offsets [offset, offset + limit)', () => {
    expect(pagesCovering({ offset: 0, limit: 10 }, 250)).toEqual({ first: 0, last: 0 });
    expect(pagesCovering({ offset: 0, limit: 250 }, 250)).toEqual({ first: 0, last: 0 });
    expect(pagesCovering({ offset: 0, limit: 251 }, 250)).toEqual({ first: 0, last: 1 });
    expect(pagesCovering({ offset: 240, limit: 300 }, 250)).toEqual({ first: 0, last: 2 });
    expect(pagesCovering({ offset: 250, limit: 250 }, 250)).toEqual({ first: 1, last: 1 });
    expect(pagesCovering({ offset: 99, limit: 250 }, 100)).toEqual({ first: 0, last: 3 });
  });

  it('an empty window needs no page', () => {
    expect(pagesCovering({ offset: 40, limit: 0 }, 100)).toBeUndefined();
  });
});

describe('readSizedList', () => {
  it('reads only the page a small window needs, and knows more follow from that page', async () => {
    const list = pagedList(600, 250);
    const slice = await readSizedList(list.loadPage, 250, { offset: 0, limit: 10 });
    expect(slice.items).toEqual(range(0, 10));
    expect(await slice.hasMore()).toBe(true);
    expect(list.read).toEqual([0]);
  });

  it('slices a window spanning three pages, reading them in order', async () => {
    const list = pagedList(600, 250);
    const slice = await readSizedList(list.loadPage, 250, { offset: 240, limit: 300 });
    expect(slice.items).toEqual(range(240, 540));
    expect(await slice.hasMore()).toBe(true);
    expect(list.read).toEqual([0, 1, 2]);
  });

  it('the last, short page can still hold items after the window', async () => {
    const list = pagedList(300, 250);
    const slice = await readSizedList(list.loadPage, 250, { offset: 250, limit: 10 });
    expect(slice.items).toEqual(range(250, 260));
    expect(await slice.hasMore()).toBe(true);
    expect(list.read).toEqual([1]);
  });

  it('stops at a short page: pages after the end of the list are never read', async () => {
    const list = pagedList(260, 250);
    const slice = await readSizedList(list.loadPage, 250, { offset: 240, limit: 300 });
    expect(slice.items).toEqual(range(240, 260));
    expect(await slice.hasMore()).toBe(false);
    expect(list.read).toEqual([0, 1]);
  });

  it('a window past the end reads its one page and gets nothing', async () => {
    const list = pagedList(260, 250);
    const slice = await readSizedList(list.loadPage, 250, { offset: 600, limit: 50 });
    expect(slice.items).toEqual([]);
    expect(await slice.hasMore()).toBe(false);
    expect(list.read).toEqual([2]);
  });

  it('a window ending exactly with a full page: the next page is read once, only when asked', async () => {
    const list = pagedList(500, 250);
    const slice = await readSizedList(list.loadPage, 250, { offset: 0, limit: 250 });
    expect(slice.items).toEqual(range(0, 250));
    expect(list.read).toEqual([0]);
    expect(await slice.hasMore()).toBe(true);
    expect(await slice.hasMore()).toBe(true);
    expect(list.read).toEqual([0, 1]);
  });

  it('a window ending exactly with the last full page: the empty next page says no more', async () => {
    const list = pagedList(500, 250);
    const slice = await readSizedList(list.loadPage, 250, { offset: 250, limit: 250 });
    expect(slice.items).toEqual(range(250, 500));
    expect(await slice.hasMore()).toBe(false);
    expect(list.read).toEqual([1, 2]);
  });

  it('a window ending inside a full page knows more follow without another read', async () => {
    const list = pagedList(200, 100);
    const slice = await readSizedList(list.loadPage, 100, { offset: 150, limit: 49 });
    expect(slice.items).toEqual(range(150, 199));
    expect(await slice.hasMore()).toBe(true);
    expect(list.read).toEqual([1]);
  });

  it('an empty window reads nothing', async () => {
    const list = pagedList(10, 100);
    const slice = await readSizedList(list.loadPage, 100, { offset: 0, limit: 0 });
    expect(slice.items).toEqual([]);
    expect(await slice.hasMore()).toBe(false);
    expect(list.read).toEqual([]);
  });
});

describe('readUnsizedList', () => {
  it('reads pages from 0 until the window is filled, and knows more follow when a page overfills it', async () => {
    const list = pagedList(120, 50);
    const slice = await readUnsizedList(list.loadPage, { offset: 40, limit: 20 }, 20);
    expect(slice.items).toEqual(range(40, 60));
    expect(await slice.hasMore()).toBe(true);
    expect(list.read).toEqual([0, 1]);
  });

  it('stops on an empty page', async () => {
    const list = pagedList(120, 50);
    const slice = await readUnsizedList(list.loadPage, { offset: 100, limit: 50 }, 20);
    expect(slice.items).toEqual(range(100, 120));
    expect(await slice.hasMore()).toBe(false);
    expect(list.read).toEqual([0, 1, 2, 3]);
  });

  it('exactly filled: the next page is read once, only when asked', async () => {
    const list = pagedList(120, 50);
    const slice = await readUnsizedList(list.loadPage, { offset: 0, limit: 50 }, 20);
    expect(slice.items).toEqual(range(0, 50));
    expect(list.read).toEqual([0]);
    expect(await slice.hasMore()).toBe(true);
    expect(await slice.hasMore()).toBe(true);
    expect(list.read).toEqual([0, 1]);
  });

  it('drops names already seen, and a page bringing nothing new ends the list (pages numbered from 1, or page ignored)', async () => {
    const pages = [['a', 'b'], ['a', 'b'], ['c'], []];
    const read: number[] = [];
    const loadPage = (page: number): Promise<string[]> => {
      read.push(page);
      return Promise.resolve(pages[page] ?? []);
    };
    const all = await readUnsizedList(loadPage, { offset: 0, limit: 10 }, 20);
    expect(all.items).toEqual(['a', 'b']);
    expect(await all.hasMore()).toBe(false);
    expect(read).toEqual([0, 1]);

    const ignored = await readUnsizedList(() => Promise.resolve(['x', 'y']), { offset: 0, limit: 5 }, 20);
    expect(ignored.items).toEqual(['x', 'y']);
    expect(await ignored.hasMore()).toBe(false);
  });

  it('more pages than allowed fail with TOO_MANY_UPSTREAM_CALLS instead of walking on', async () => {
    const list = pagedList(1_000, 1);
    await expect(readUnsizedList(list.loadPage, { offset: 0, limit: 10 }, 5)).rejects.toBeInstanceOf(TooManyUpstreamCallsError);
    expect(list.read).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('findInSizedList', () => {
  it('reads pages from the first only up to the one holding the entry', async () => {
    const list = pagedList(250, 100);
    expect(await findInSizedList(list.loadPage, 100, (item) => item === 'i120', 40)).toBe('i120');
    expect(list.read).toEqual([0, 1]);
  });

  it('undefined when no page has it: the short last page ends the list', async () => {
    const list = pagedList(250, 100);
    expect(await findInSizedList(list.loadPage, 100, (item) => item === 'nope', 40)).toBeUndefined();
    expect(list.read).toEqual([0, 1, 2]);
  });

  it('an empty page after full ones ends the list too', async () => {
    const list = pagedList(200, 100);
    expect(await findInSizedList(list.loadPage, 100, (item) => item === 'nope', 40)).toBeUndefined();
    expect(list.read).toEqual([0, 1, 2]);
  });

  it('more than maxPages pages: TOO_MANY_UPSTREAM_CALLS, the page past the cap never read', async () => {
    const list = pagedList(1_000, 100);
    await expect(findInSizedList(list.loadPage, 100, (item) => item === 'i950', 3)).rejects.toBeInstanceOf(TooManyUpstreamCallsError);
    expect(list.read).toEqual([0, 1, 2]);
  });
});
