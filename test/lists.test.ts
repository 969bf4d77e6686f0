import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../src/schema/cursor.js';
import { CustomEventsDocument, ProductsDocument } from './generated/graphql.js';
import { defaultResponder, startFakeBraze, type FakeBraze } from '../testkit/fakeBraze.js';
import { FAKE_EVENTS, FAKE_PRODUCTS } from '../testkit/answers/lists.js';
import { startTestGateway, useGatewayWithFakeBraze, type TestGateway } from './helpers/gateway.js';
import { withoutTypenames } from './helpers/typenames.js';

const { braze, gateway } = useGatewayWithFakeBraze();

/** The pages asked of `path`, in order. */
const pagesOf = (path: string): string[] => braze.calls.filter((call) => call.path === path).map((call) => call.query['page'] ?? '(none)');

const edgesOf = (names: readonly string[], from: number): { cursor: string; node: { name: string } }[] =>
  names.map((name, index) => ({ cursor: encodeCursor(from + index), node: { name } }));

describe('customEvents: /events/list, 250 names a page, pages read only as needed', () => {
  it('first: 10 → one call for page 0; names, cursors and pageInfo exact', async () => {
    const result = await gateway.execute(CustomEventsDocument, { first: 10 });
    expect(result.errors).toEqual([]);
    expect(withoutTypenames(result.data?.customEvents)).toEqual({
      edges: edgesOf(FAKE_EVENTS.slice(0, 10), 0),
      pageInfo: { hasNextPage: true, hasPreviousPage: false, startCursor: encodeCursor(0), endCursor: encodeCursor(9) },
    });
    expect(braze.calls.map(({ method, path, query }) => ({ method, path, query }))).toEqual([{ method: 'GET', path: '/events/list', query: { page: '0' } }]);
  });

  it('defaults to the first 50', async () => {
    const result = await gateway.query<{ customEvents: { nodes: { name: string }[] } }>('{ customEvents { nodes { name } } }');
    expect(result.data?.customEvents.nodes.map((node) => node.name)).toEqual(FAKE_EVENTS.slice(0, 50));
    expect(pagesOf('/events/list')).toEqual(['0']);
  });

  it('a window across a page boundary reads both pages, in order', async () => {
    const result = await gateway.execute(CustomEventsDocument, { first: 250, after: encodeCursor(239) });
    expect(result.errors).toEqual([]);
    expect(withoutTypenames(result.data?.customEvents?.edges)).toEqual(edgesOf(FAKE_EVENTS.slice(240, 490), 240));
    expect(withoutTypenames(result.data?.customEvents?.pageInfo)).toEqual({ hasNextPage: true, hasPreviousPage: true, startCursor: encodeCursor(240), endCursor: encodeCursor(489) });
    expect(pagesOf('/events/list')).toEqual(['0', '1']);
  });

  it('the short last page ends the list: hasNextPage false, no page after it asked for', async () => {
    const result = await gateway.execute(CustomEventsDocument, { first: 250, after: encodeCursor(489) });
    expect(withoutTypenames(result.data?.customEvents?.edges)).toEqual(edgesOf(FAKE_EVENTS.slice(490, 600), 490));
    expect(result.data?.customEvents?.pageInfo.hasNextPage).toBe(false);
    expect(pagesOf('/events/list')).toEqual(['1', '2']);
  });

  it('paging with endCursor walks the whole list exactly once; a full page ending the window reads the next only for hasNextPage', async () => {
    const seen: string[] = [];
    const pagesPerRequest: string[][] = [];
    let after: string | null | undefined;
    for (let request = 0; request < 5; request++) {
      braze.calls.length = 0;
      const result = await gateway.execute(CustomEventsDocument, { first: 250, ...(after ? { after } : {}) });
      expect(result.errors).toEqual([]);
      const connection = result.data?.customEvents;
      seen.push(...(connection?.edges.map((edge) => edge.node.name) ?? []));
      pagesPerRequest.push(pagesOf('/events/list'));
      after = connection?.pageInfo.endCursor;
      if (!connection?.pageInfo.hasNextPage) break;
    }
    expect(seen).toEqual(FAKE_EVENTS);
    expect(pagesPerRequest).toEqual([
      ['0', '1'],
      ['1', '2'],
      ['2'],
    ]);
  });

  it('without hasNextPage in the query, a full page ending the window costs no further call', async () => {
    const result = await gateway.query<{ customEvents: { nodes: unknown[]; pageInfo: { endCursor: string } } }>('{ customEvents(first: 250) { nodes { name } pageInfo { endCursor } } }');
    expect(result.data?.customEvents.nodes).toHaveLength(250);
    expect(result.data?.customEvents.pageInfo.endCursor).toBe(encodeCursor(249));
    expect(pagesOf('/events/list')).toEqual(['0']);
  });

  it('a cursor past the end: an empty page, null cursors, one call', async () => {
    const result = await gateway.execute(CustomEventsDocument, { first: 10, after: encodeCursor(999) });
    expect(withoutTypenames(result.data?.customEvents)).toEqual({ edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null } });
    expect(pagesOf('/events/list')).toEqual(['4']);
  });

  it('aliases and overlapping windows in one request share one call per page', async () => {
    const result = await gateway.query<Record<string, { nodes: { name: string }[] }>>(`{
      a: customEvents(first: 10) { nodes { name } }
      b: customEvents(first: 20) { nodes { name } pageInfo { hasNextPage } }
      c: customEvents(first: 5, after: "${encodeCursor(3)}") { nodes { name } }
    }`);
    expect(result.errors).toEqual([]);
    expect(result.data?.['c']?.nodes.map((node) => node.name)).toEqual(FAKE_EVENTS.slice(4, 9));
    expect(pagesOf('/events/list')).toEqual(['0']);
  });

  it('the nodes are the CustomEvent entity: their series work as anywhere', async () => {
    const result = await gateway.query<{ customEvents: { nodes: { name: string; series: { total: number } }[] } }>(
      '{ customEvents(first: 2) { nodes { name series(length: 3, endingAt: "2024-03-10T00:00:00Z") { total } } } }',
    );
    expect(result.data?.customEvents.nodes).toEqual([
      { name: 'event_000', series: { total: 6 } },
      { name: 'event_001', series: { total: 6 } },
    ]);
    expect(braze.seriesCalls.map((call) => call.query['event'])).toEqual(['event_000', 'event_001']);
  });
});

describe('bad first / after: BAD_USER_INPUT naming the argument, no upstream call', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['first: 0', { first: 0 }, 'first'],
    ['first: -1', { first: -1 }, 'first'],
    ['first: 251', { first: 251 }, 'first'],
    ['first: 300', { first: 300 }, 'first'],
    ['a malformed cursor', { after: 'not-a-cursor' }, 'after'],
    ['a cursor of another shape', { after: Buffer.from('page:3').toString('base64') }, 'after'],
    ['a negative offset', { after: Buffer.from('offset:-1').toString('base64') }, 'after'],
    ['an empty cursor', { after: '' }, 'after'],
  ];
  for (const [name, variables, argument] of cases) {
    it(`${name} (customEvents, products, segments)`, async () => {
      for (const field of ['customEvents', 'products', 'segments']) {
        const result = await gateway.query(`query ($first: Int, $after: String) { ${field}(first: $first, after: $after) { nodes { __typename } } }`, variables);
        expect(result.data).toEqual({ [field]: null });
        expect(result.errors).toHaveLength(1);
        expect(result.errors[0]?.path).toEqual([field]);
        expect(result.errors[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument });
      }
      expect(braze.calls).toHaveLength(0);
    });
  }
});

describe('products: /purchases/product_list, page size undocumented: pages from 0 until filled or empty', () => {
  it('first: 60 reads pages 0 and 1 (50 a page at the fake), exact names', async () => {
    const result = await gateway.execute(ProductsDocument, { first: 60 });
    expect(result.errors).toEqual([]);
    expect(withoutTypenames(result.data?.products)).toEqual({
      nodes: FAKE_PRODUCTS.slice(0, 60).map((name) => ({ name })),
      pageInfo: { hasNextPage: true, hasPreviousPage: false, startCursor: encodeCursor(0), endCursor: encodeCursor(59) },
    });
    expect(braze.calls.map(({ path, query }) => ({ path, query }))).toEqual([
      { path: '/purchases/product_list', query: { page: '0' } },
      { path: '/purchases/product_list', query: { page: '1' } },
    ]);
  });

  it('the end of the list is the first empty page', async () => {
    const result = await gateway.execute(ProductsDocument, { first: 50, after: encodeCursor(99) });
    expect(withoutTypenames(result.data?.products?.nodes)).toEqual(FAKE_PRODUCTS.slice(100).map((name) => ({ name })));
    expect(result.data?.products?.pageInfo.hasNextPage).toBe(false);
    expect(pagesOf('/purchases/product_list')).toEqual(['0', '1', '2', '3']);
  });

  it('names repeated on the next page are listed once, and a page with nothing new ends the list', async () => {
    // As if Braze numbered pages from 1 and answered page 0 as page 1.
    const pages: Record<string, string[]> = { '0': ['Mug', 'Tea Set'], '1': ['Mug', 'Tea Set'], '2': ['Umbrella'] };
    braze.respond((call) => ({ body: { message: 'success', products: pages[call.query['page'] ?? ''] ?? [] } }));
    try {
      const result = await gateway.execute(ProductsDocument, { first: 10 });
      expect(withoutTypenames(result.data?.products?.nodes)).toEqual([{ name: 'Mug' }, { name: 'Tea Set' }]);
      expect(result.data?.products?.pageInfo.hasNextPage).toBe(false);
      expect(pagesOf('/purchases/product_list')).toEqual(['0', '1']);
    } finally {
      braze.respond(defaultResponder);
    }
  });
});

describe('upstream failures are typed per field; the rest of the response arrives', () => {
  it('a 403 on /events/list nulls customEvents only', async () => {
    braze.respond((call) => (call.path === '/events/list' ? { status: 403, body: { message: 'no permission' } } : defaultResponder(call)));
    try {
      const result = await gateway.query<{ customEvents: unknown; products: { nodes: unknown[] } }>('{ customEvents(first: 1) { nodes { name } } products(first: 1) { nodes { name } } }');
      expect(result.data).toEqual({ customEvents: null, products: { nodes: [{ name: 'product_000' }] } });
      expect(result.errors.map((error) => ({ path: error.path, code: error.extensions?.['code'] }))).toEqual([{ path: ['customEvents'], code: 'UPSTREAM_FORBIDDEN' }]);
    } finally {
      braze.respond(defaultResponder);
    }
  });

  it('a page that is not a list of names is UPSTREAM_INVALID_RESPONSE', async () => {
    braze.respond(() => ({ body: { message: 'success', events: ['ok', 5] } }));
    try {
      const result = await gateway.execute(CustomEventsDocument, { first: 1 });
      expect(withoutTypenames(result.data)).toEqual({ customEvents: null });
      expect(result.errors[0]?.extensions?.['code']).toBe('UPSTREAM_INVALID_RESPONSE');
      expect(result.errors[0]?.message).toContain('events[1] is not a string');
    } finally {
      braze.respond(defaultResponder);
    }
  });
});

describe('rate-limit buckets: the event and product lists spend the list bucket, segments the export bucket', () => {
  let fake: FakeBraze;
  let own: TestGateway;
  beforeAll(async () => {
    fake = await startFakeBraze({ rateLimit: 1_000 });
    own = await startTestGateway(fake);
  });
  afterAll(async () => {
    await own.close();
    await fake.close();
  });

  const buckets = async (): Promise<{ bucket: string; remaining: number }[]> =>
    ((await own.query<{ brazeRateLimits: { bucket: string; remaining: number }[] }>('{ brazeRateLimits { bucket remaining } }')).data?.brazeRateLimits ?? []);

  it('moves LISTS for /events/list and /purchases/product_list, EXPORT only for /segments/list', async () => {
    expect(await buckets()).toEqual([]);
    await own.query('{ customEvents(first: 1) { nodes { name } } }');
    expect(await buckets()).toEqual([{ bucket: 'LISTS', remaining: 999 }]);
    await own.query('{ products(first: 1) { nodes { name } } }');
    expect(await buckets()).toEqual([{ bucket: 'LISTS', remaining: 998 }]);
    await own.query('{ segments(first: 1) { nodes { id } } }');
    // Each bucket counts its own calls, as Braze's do: the segment list is the export bucket's first.
    expect(await buckets()).toEqual([
      { bucket: 'EXPORT', remaining: 999 },
      { bucket: 'LISTS', remaining: 998 },
    ]);
    expect(fake.calls.map((call) => call.path)).toEqual(['/events/list', '/purchases/product_list', '/segments/list']);
  });
});

describe('with the cache on, list pages are served from it', () => {
  let fake: FakeBraze;
  let own: TestGateway;
  beforeAll(async () => {
    fake = await startFakeBraze();
    own = await startTestGateway(fake, { CACHE_ENABLED: 'true' });
  });
  afterAll(async () => {
    await own.close();
    await fake.close();
  });

  it('the same pages asked again cost no call until they expire (CACHE_TTL_PAST_MS)', async () => {
    const query = '{ customEvents(first: 10) { nodes { name } } products(first: 10) { nodes { name } } segments(first: 10) { nodes { id } } }';
    const first = await own.query(query);
    expect(first.errors).toEqual([]);
    expect(fake.calls.map((call) => call.path).sort()).toEqual(['/events/list', '/purchases/product_list', '/segments/list']);
    const again = await own.query(query);
    expect(again.data).toEqual(first.data);
    expect(fake.calls).toHaveLength(3);
  });
});

describe('demo mode: every list answers from the simulator, deterministically', () => {
  let demo: TestGateway;
  beforeAll(async () => {
    demo = await startTestGateway(undefined);
  });
  afterAll(() => demo.close());

  // Several requests: the cost limit counts a list field `first` times, and first: 250 costs 3,125.
  const NAMES = `{
    customEvents(first: 3) { nodes { name } pageInfo { hasNextPage endCursor } }
    products(first: 3) { nodes { name } pageInfo { hasNextPage } }
  }`;
  const LAST_EVENTS = `{ lastEvents: customEvents(first: 250, after: "${encodeCursor(249)}") { nodes { name } pageInfo { hasNextPage } } }`;
  const ALL_PRODUCTS = `{ allProducts: products(first: 250) { nodes { name } pageInfo { hasNextPage } } }`;
  const SEGMENTS = `{
    segments(first: 2) { nodes { id name analyticsTrackingEnabled tags description createdAt sizeSeries(length: 3, endingAt: "2024-03-10T00:00:00Z") { points { date value } } } }
  }`;
  const LAST_SEGMENTS = `{ lastSegments: segments(first: 100, after: "${encodeCursor(99)}") { nodes { id } pageInfo { hasNextPage } } }`;

  interface DemoLists {
    customEvents: { nodes: { name: string }[]; pageInfo: { hasNextPage: boolean } };
    lastEvents: { nodes: { name: string }[]; pageInfo: { hasNextPage: boolean } };
    products: { nodes: { name: string }[]; pageInfo: { hasNextPage: boolean } };
    allProducts: { nodes: { name: string }[]; pageInfo: { hasNextPage: boolean } };
    segments: { nodes: { id: string; name: string; tags: string[]; description: string; createdAt: string; sizeSeries: { points: { date: string; value: number }[] } }[] };
    lastSegments: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean } };
  }

  it('answers every list field, the same twice, with more than one Braze page each', async () => {
    const ask = async (): Promise<{ data: DemoLists; errors: unknown[] }> => {
      const results = await Promise.all([NAMES, LAST_EVENTS, ALL_PRODUCTS, SEGMENTS, LAST_SEGMENTS].map((query) => demo.query<Partial<DemoLists>>(query)));
      return { data: Object.assign({}, ...results.map((result) => result.data)) as DemoLists, errors: results.flatMap((result) => result.errors) };
    };
    const first = await ask();
    const second = await ask();
    expect(first.errors).toEqual([]);
    expect(second.data).toEqual(first.data);
    const { data } = first;
    expect(data.customEvents.nodes.map((node) => node.name)).toEqual(['added_article', 'added_badge', 'added_cart']);
    expect(data.customEvents.pageInfo.hasNextPage).toBe(true);
    expect(data.lastEvents.nodes).toHaveLength(50);
    expect(data.lastEvents.pageInfo.hasNextPage).toBe(false);
    expect(data.products.nodes.map((node) => node.name)).toEqual(['Classic Backpack', 'Classic Candle', 'Classic Face Mask']);
    expect(data.allProducts.nodes).toHaveLength(120);
    expect(data.allProducts.pageInfo.hasNextPage).toBe(false);
    expect(data.segments.nodes).toHaveLength(2);
    for (const segment of data.segments.nodes) {
      expect(segment.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(segment.description).not.toBe('');
      expect(segment.sizeSeries.points.map((point) => point.date)).toEqual(['2024-03-08', '2024-03-09', '2024-03-10']);
      expect(segment.sizeSeries.points.every((point) => point.value > 0)).toBe(true);
    }
    expect(data.segments.nodes[0]?.name).toBe('Active users');
    expect(data.lastSegments.nodes).toHaveLength(30);
    expect(data.lastSegments.pageInfo.hasNextPage).toBe(false);
  });
});
