import { createServer, type Server } from 'node:http';
import { Redis } from 'ioredis';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatedCursor } from '../src/endpoints/simulated/exports.js';
import { encodeCursor } from '../src/schema/cursor.js';
import { FAKE_ATTRIBUTES, FAKE_EXPORTED_EVENTS, type FakeAttribute, type FakeEvent } from '../testkit/answers/exports.js';
import { defaultResponder, type CannedAnswer, type RecordedCall } from '../testkit/fakeBraze.js';
import { redisAvailable, startRedis, type RedisServer } from '../testkit/redis.js';
import { useFakeBrazeWithGatewaysPerTest, type TestGateway } from './helpers/gateway.js';

/**
 * GET /custom_attributes and GET /events: cursor-paged lists, 50 a page, each page naming the next in
 * a Link header. Pages are read from the first, only as far as a field needs, each an ordinary call
 * (deduplicated, cached by the list rule); the Link header is as untrusted as the body.
 */
const { braze, start } = useFakeBrazeWithGatewaysPerTest();

const ATTRIBUTES = `query Attributes($first: Int, $after: String) {
  customAttributes(first: $first, after: $after) {
    nodes { name dataType description tags status arrayLength }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

interface AttributeNode {
  name: string;
  dataType: string | null;
  description: string | null;
  tags: string[] | null;
  status: string | null;
  arrayLength: number | null;
}
interface Attributes {
  customAttributes: { nodes: AttributeNode[]; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null } } | null;
}

const node = (attribute: FakeAttribute): AttributeNode => ({
  name: attribute.name,
  dataType: attribute.data_type,
  description: attribute.description,
  tags: [...attribute.tag_names],
  status: attribute.status,
  arrayLength: attribute.array_length,
});
const eventFields = (event: FakeEvent) => ({
  name: event.name,
  description: event.description,
  tags: [...event.tag_names],
  includedInAnalyticsReport: event.included_in_analytics_report,
  status: event.status,
});

/** The calls of `path`, as Braze saw them (method and query). */
const callsOf = (path: string): { method: string; query: Readonly<Record<string, string>> }[] =>
  braze.calls.filter((call) => call.path === path).map(({ method, query }) => ({ method, query }));
const firstPage = { method: 'GET', query: {} };
const pageAt = (offset: number) => ({ method: 'GET', query: { cursor: simulatedCursor(offset) } });

/** Braze's page of attributes [from, to), with `link` as its Link header (none when undefined). */
function attributePage(from: number, to: number, link: string | undefined): CannedAnswer {
  return { status: 200, headers: link === undefined ? {} : { link }, body: { message: 'success', attributes: FAKE_ATTRIBUTES.slice(from, to) } };
}

describe('customAttributes: GET /custom_attributes, pages read in order through their Link headers', () => {
  let gateway: TestGateway;

  it('first: 10 → one call, without a cursor; every field exact', async () => {
    gateway = await start();
    const result = await gateway.query<Attributes>(ATTRIBUTES, { first: 10 });
    expect(result.errors).toEqual([]);
    expect(result.data?.customAttributes).toEqual({
      nodes: FAKE_ATTRIBUTES.slice(0, 10).map(node),
      pageInfo: { hasNextPage: true, hasPreviousPage: false, startCursor: encodeCursor(0), endCursor: encodeCursor(9) },
    });
    expect(braze.calls.map(({ method, path, query }) => ({ method, path, query }))).toEqual([{ method: 'GET', path: '/custom_attributes', query: {} }]);
  });

  it('a window across a page boundary follows the first page\'s Link: the second call sends its cursor', async () => {
    gateway = await start();
    const result = await gateway.query<Attributes>(ATTRIBUTES, { first: 20, after: encodeCursor(39) });
    expect(result.errors).toEqual([]);
    expect(result.data?.customAttributes).toEqual({
      nodes: FAKE_ATTRIBUTES.slice(40, 60).map(node),
      pageInfo: { hasNextPage: true, hasPreviousPage: true, startCursor: encodeCursor(40), endCursor: encodeCursor(59) },
    });
    // The cursor is sent as the Link gave it (`c2tpcDo1MA%3D%3D` there: the fake reads `c2tpcDo1MA==`).
    expect(callsOf('/custom_attributes')).toEqual([firstPage, pageAt(50)]);
  });

  it('the page without a next link ends the list: hasNextPage false, no call after it', async () => {
    gateway = await start();
    const result = await gateway.query<Attributes>(ATTRIBUTES, { first: 250, after: encodeCursor(69) });
    expect(result.data?.customAttributes?.nodes).toEqual(FAKE_ATTRIBUTES.slice(70).map(node));
    expect(result.data?.customAttributes?.pageInfo.hasNextPage).toBe(false);
    expect(callsOf('/custom_attributes')).toEqual([firstPage, pageAt(50)]);
  });

  it('with the cache on, paging with endCursor reads each Braze page once in all: later requests walk the pages before theirs from the cache', async () => {
    gateway = await start({ CACHE_ENABLED: 'true', RESPONSE_CACHE_ENABLED: 'false' });
    const seen: AttributeNode[] = [];
    const callsPerRequest: unknown[][] = [];
    let after: string | null | undefined;
    for (let request = 0; request < 4; request++) {
      braze.calls.length = 0;
      const result = await gateway.query<Attributes>(ATTRIBUTES, { first: 25, ...(after ? { after } : {}) });
      expect(result.errors).toEqual([]);
      const connection = result.data?.customAttributes;
      seen.push(...(connection?.nodes ?? []));
      callsPerRequest.push(callsOf('/custom_attributes'));
      after = connection?.pageInfo.endCursor;
      if (!connection?.pageInfo.hasNextPage) break;
    }
    expect(seen).toEqual(FAKE_ATTRIBUTES.map(node));
    // The second window ends with the first page, which names a next one: hasNextPage reads it; the
    // third window's pages are both in the cache, and the second page names none: the end.
    expect(callsPerRequest).toEqual([[firstPage], [pageAt(50)], []]);
  });

  it('the same page asked by several fields of one request is one call', async () => {
    gateway = await start();
    const result = await gateway.query<{ a: { nodes: unknown[] }; b: { nodes: unknown[] } }>(
      `{ a: customAttributes(first: 5) { nodes { name } } b: customAttributes(first: 30, after: "${encodeCursor(29)}") { nodes { name dataType } } }`,
    );
    expect(result.errors).toEqual([]);
    expect(result.data?.b.nodes).toHaveLength(30);
    expect(callsOf('/custom_attributes')).toEqual([firstPage, pageAt(50)]);
  });

  it('a bad first or after: BAD_USER_INPUT, no call', async () => {
    gateway = await start();
    for (const variables of [{ first: 0 }, { first: 251 }, { after: 'bm9wZQ==' }]) {
      const result = await gateway.query<Attributes>(ATTRIBUTES, variables);
      expect(result.data?.customAttributes).toBeNull();
      expect(result.errors[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    }
    expect(braze.calls).toEqual([]);
  });
});

describe('a hostile Link header', () => {
  let foreign: Server;
  let foreignCalls = 0;
  beforeAll(async () => {
    foreign = createServer((_request, response) => {
      foreignCalls++;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: 'success', attributes: [{ name: 'from_the_foreign_host' }] }));
    });
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => foreign.close(() => resolve())));

  it('naming another host: only its cursor is taken, sent to the configured Braze; the host is never contacted', async () => {
    const gateway = await start();
    const { port } = foreign.address() as AddressInfo;
    braze.respond((call) =>
      call.query['cursor'] === undefined ? attributePage(0, 50, `<http://127.0.0.1:${port}/custom_attributes?cursor=from-elsewhere>; rel="next"`) : attributePage(50, 60, undefined),
    );
    const result = await gateway.query<Attributes>(ATTRIBUTES, { first: 100 });
    expect(result.errors).toEqual([]);
    expect(result.data?.customAttributes?.nodes).toEqual(FAKE_ATTRIBUTES.slice(0, 60).map(node));
    expect(callsOf('/custom_attributes')).toEqual([firstPage, { method: 'GET', query: { cursor: 'from-elsewhere' } }]);
    expect(foreignCalls).toBe(0);
  });

  it.each([
    ['garbage', 'garbage', 'Braze\'s Link header is not a list of links ("garbage")'],
    ['a link to another endpoint', '</users/export/ids?cursor=abc>; rel="next"', "Braze's next page link is to /users/export/ids, not to /custom_attributes"],
    ['a javascript: link', '<javascript:alert(1)>; rel="next"', 'Braze\'s next page link is not an HTTP URL ("javascript:alert(1)")'],
    ['a next link without a cursor', '</custom_attributes?page=2>; rel="next"', 'Braze\'s next page link has no usable cursor ("/custom_attributes?page=2")'],
    ['two next pages', '</custom_attributes?cursor=a>; rel="next", </custom_attributes?cursor=b>; rel="next"', "Braze's Link header names 2 different next pages"],
  ])('%s: UPSTREAM_INVALID_RESPONSE for the field, one call, nothing followed', async (_, link, message) => {
    const gateway = await start();
    braze.respond(() => attributePage(0, 50, link));
    const result = await gateway.query<Attributes>(ATTRIBUTES, { first: 100 });
    expect(result.data?.customAttributes).toBeNull();
    expect(result.errors.map((error) => ({ path: error.path, code: error.extensions?.['code'], message: error.message }))).toEqual([
      { path: ['customAttributes'], code: 'UPSTREAM_INVALID_RESPONSE', message },
    ]);
    expect(braze.calls.map((call) => call.path)).toEqual(['/custom_attributes']);
  });

  it('a cursor loop (a page naming itself as next): UPSTREAM_INVALID_RESPONSE after two calls, never a third', async () => {
    const gateway = await start();
    braze.respond((call) => attributePage(call.query['cursor'] === undefined ? 0 : 50, call.query['cursor'] === undefined ? 50 : 100, '</custom_attributes?cursor=again>; rel="next"'));
    const result = await gateway.query<Attributes>(ATTRIBUTES, { first: 250 });
    expect(result.data?.customAttributes).toBeNull();
    expect(result.errors.map((error) => ({ code: error.extensions?.['code'], message: error.message }))).toEqual([
      { code: 'UPSTREAM_INVALID_RESPONSE', message: 'Braze\'s next page link leads back to a page already read (cursor "again")' },
    ]);
    expect(callsOf('/custom_attributes')).toEqual([firstPage, { method: 'GET', query: { cursor: 'again' } }]);
  });

  it('a loop through the first page\'s documented cursor back to a page read: stopped at the repeat', async () => {
    const gateway = await start();
    // c2tpcDow ("skip:0") names the first page again; it then leads on to `again`, read already.
    const links: Record<string, string> = { none: '</custom_attributes?cursor=again>; rel="next"', again: '</custom_attributes?cursor=c2tpcDow>; rel="next"', c2tpcDow: '</custom_attributes?cursor=again>; rel="next"' };
    braze.respond((call: RecordedCall) => attributePage(0, 1, links[call.query['cursor'] ?? 'none']));
    const result = await gateway.query<Attributes>(ATTRIBUTES, { first: 250 });
    expect(result.errors[0]?.extensions?.['code']).toBe('UPSTREAM_INVALID_RESPONSE');
    expect(callsOf('/custom_attributes').map((call) => call.query['cursor'] ?? null)).toEqual([null, 'again', 'c2tpcDow']);
  });

  it('a list that never ends: TOO_MANY_UPSTREAM_CALLS after 40 pages (2,000 attributes at 50 a page)', async () => {
    const gateway = await start();
    braze.respond((call) => {
      const page = Number(call.query['cursor'] ?? '0');
      return { status: 200, headers: { link: `</custom_attributes?cursor=${page + 1}>; rel="next"` }, body: { message: 'success', attributes: [{ name: `endless_${page}` }] } };
    });
    const result = await gateway.query<Attributes>(ATTRIBUTES, { first: 250 });
    expect(result.data?.customAttributes).toBeNull();
    expect(result.errors[0]?.extensions).toEqual({ code: 'TOO_MANY_UPSTREAM_CALLS', limit: 40 });
    expect(callsOf('/custom_attributes')).toHaveLength(40);
  });
});

describe('CustomEvent: /events/list names it, GET /events describes it, read only when asked', () => {
  const EVENT_FIELDS = 'name description tags includedInAnalyticsReport status';

  it('customEvents with the new fields: the names from /events/list as before, their details from the first page of /events', async () => {
    const gateway = await start();
    const result = await gateway.query<{ customEvents: { nodes: unknown[] } }>(`{ customEvents(first: 3) { nodes { ${EVENT_FIELDS} } } }`);
    expect(result.errors).toEqual([]);
    expect(result.data?.customEvents.nodes).toEqual(FAKE_EXPORTED_EVENTS.slice(0, 3).map(eventFields));
    expect(braze.calls.map(({ path, query }) => ({ path, query }))).toEqual([
      { path: '/events/list', query: { page: '0' } },
      { path: '/events', query: {} },
    ]);
  });

  it('names alone never call /events', async () => {
    const gateway = await start();
    const result = await gateway.query('{ customEvents(first: 250) { nodes { name } } customEvent(name: "event_110") { name } }');
    expect(result.errors).toEqual([]);
    expect(callsOf('/events')).toEqual([]);
  });

  it('an event further down: /events read page by page until it is found, each page once for every field and event of the request', async () => {
    const gateway = await start();
    const result = await gateway.query<Record<string, unknown>>(`{
      a: customEvent(name: "event_110") { ${EVENT_FIELDS} }
      b: customEvent(name: "event_060") { description status }
      c: customEvent(name: "event_110") { tags }
    }`);
    expect(result.errors).toEqual([]);
    expect(result.data).toEqual({
      a: eventFields(FAKE_EXPORTED_EVENTS[110]!),
      b: { description: 'About event_060', status: 'Active' },
      c: { tags: ['even'] },
    });
    expect(callsOf('/events')).toEqual([firstPage, pageAt(50), pageAt(100)]);
  });

  it('an event /events does not list: its details are null, no error, after reading the whole list', async () => {
    const gateway = await start();
    const result = await gateway.query<Record<string, unknown>>(`{ customEvent(name: "event_500") { ${EVENT_FIELDS} } }`);
    expect(result.errors).toEqual([]);
    expect(result.data).toEqual({ customEvent: { name: 'event_500', description: null, tags: null, includedInAnalyticsReport: null, status: null } });
    expect(callsOf('/events')).toEqual([firstPage, pageAt(50), pageAt(100)]);
  });

  it('Braze refusing /events (a key without events.get) fails those fields alone; names still answer', async () => {
    const gateway = await start();
    braze.respond((call) => (call.path === '/events' ? { status: 403, body: { message: 'forbidden' } } : defaultResponder(call)));
    const result = await gateway.query<{ customEvents: { nodes: { name: string; description: string | null }[] } }>('{ customEvents(first: 2) { nodes { name description } } }');
    expect(result.data?.customEvents.nodes).toEqual([
      { name: 'event_000', description: null },
      { name: 'event_001', description: null },
    ]);
    expect(result.errors.map((error) => ({ path: error.path, code: error.extensions?.['code'] }))).toEqual([
      { path: ['customEvents', 'nodes', 0, 'description'], code: 'UPSTREAM_FORBIDDEN' },
      { path: ['customEvents', 'nodes', 1, 'description'], code: 'UPSTREAM_FORBIDDEN' },
    ]);
    // One call for both: a failed page is shared by the fields asking for it.
    expect(callsOf('/events')).toEqual([firstPage]);
  });

  it('an entity representation gets its details too (federation: a router asks by name)', async () => {
    const gateway = await start();
    const result = await gateway.query<{ _entities: unknown[] }>(
      `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on CustomEvent { name description } ... on CustomAttribute { name dataType arrayLength tags } } }`,
      {
        representations: [
          { __typename: 'CustomEvent', name: 'event_002' },
          { __typename: 'CustomAttribute', name: 'attribute_64' },
          { __typename: 'CustomAttribute', name: 'not_an_attribute' },
        ],
      },
    );
    expect(result.errors).toEqual([]);
    expect(result.data?._entities).toEqual([
      { name: 'event_002', description: 'About event_002' },
      { name: 'attribute_64', dataType: 'Array', arrayLength: 100, tags: ['tag-1'] },
      { name: 'not_an_attribute', dataType: null, arrayLength: null, tags: null },
    ]);
    expect(callsOf('/events')).toEqual([firstPage]);
    expect(callsOf('/custom_attributes')).toEqual([firstPage, pageAt(50)]);
  });
});

const here = await redisAvailable();

describe.skipIf(!here)('replicas sharing Redis: a page is kept with its Link header', () => {
  let redis: RedisServer | undefined;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.kill());

  it('a second replica pages through the list from Redis alone, Link headers included', async () => {
    const prefix = `cursor-lists-${Date.now()}:`;
    const env = { CACHE_ENABLED: 'true', RESPONSE_CACHE_ENABLED: 'false', REDIS_URL: redis!.url, REDIS_KEY_PREFIX: prefix };
    const first = await start(env);
    const second = await start(env);
    const a = await first.query<Attributes>(ATTRIBUTES, { first: 75 });
    expect(a.errors).toEqual([]);
    expect(callsOf('/custom_attributes')).toEqual([firstPage, pageAt(50)]);
    // The writes go behind the answers: wait for both pages to be in Redis.
    const raw = new Redis(redis!.url);
    try {
      await expect.poll(async () => (await raw.keys(`${prefix}customAttributeExport:*`)).length, { timeout: 10_000 }).toBe(2);
      const stored = JSON.parse((await raw.get(`${prefix}customAttributeExport:null`)) ?? '{}') as { b?: string };
      expect(JSON.parse(stored.b ?? '{}')).toMatchObject({ headers: { link: `</custom_attributes?cursor=${encodeURIComponent(simulatedCursor(50))}>; rel="next"` } });
    } finally {
      raw.disconnect();
    }
    braze.calls.length = 0;
    const b = await second.query<Attributes>(ATTRIBUTES, { first: 75 });
    // Without the Link kept, the first page would read as the last: 50 attributes and no next page.
    expect(b.data).toEqual({ customAttributes: { nodes: FAKE_ATTRIBUTES.map(node), pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: encodeCursor(0), endCursor: encodeCursor(74) } } });
    expect(braze.calls).toEqual([]);
  });
});
