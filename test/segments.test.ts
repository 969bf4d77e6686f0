import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../src/schema/cursor.js';
import { SegmentDocument, SegmentsDocument } from './generated/graphql.js';
import { defaultResponder } from '../testkit/fakeBraze.js';
import { FAKE_SEGMENT_IDS, fakeListedSegment } from '../testkit/answers/lists.js';
import { startTestGateway, useGatewayWithFakeBraze, type TestGateway } from './helpers/gateway.js';
import { withoutTypenames } from './helpers/typenames.js';

const { braze, gateway } = useGatewayWithFakeBraze();

const callsTo = (path: string): Record<string, string>[] => braze.calls.filter((call) => call.path === path).map((call) => call.query);

const ENTITIES = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Segment { id name tags description }
    ... on Product { name }
  }
}`;

describe('segments: /segments/list, 100 a page', () => {
  it('list fields come from the list alone: one call, page 0, exact values', async () => {
    const result = await gateway.execute(SegmentsDocument, { first: 2 });
    expect(result.errors).toEqual([]);
    expect(withoutTypenames(result.data?.segments)).toEqual({
      edges: [
        { cursor: encodeCursor(0), node: { id: 'segment-000', name: 'Segment 0', analyticsTrackingEnabled: true, tags: ['from-list'] } },
        { cursor: encodeCursor(1), node: { id: 'segment-001', name: 'Segment 1', analyticsTrackingEnabled: false, tags: ['from-list'] } },
      ],
      pageInfo: { hasNextPage: true, hasPreviousPage: false, startCursor: encodeCursor(0), endCursor: encodeCursor(1) },
    });
    expect(braze.calls.map(({ path, query }) => ({ path, query }))).toEqual([{ path: '/segments/list', query: { page: '0' } }]);
  });

  it('fields only /segments/details carries cost one details call per segment', async () => {
    const result = await gateway.query<{ segments: { nodes: { id: string; description: string; createdAt: string }[] } }>(
      '{ segments(first: 2) { nodes { id description createdAt } } }',
    );
    expect(result.data?.segments.nodes).toEqual([
      { id: 'segment-000', description: 'Filters of segment-000', createdAt: '2024-01-02T03:04:05.000Z' },
      { id: 'segment-001', description: 'Filters of segment-001', createdAt: '2024-01-02T03:04:05.000Z' },
    ]);
    expect(callsTo('/segments/list')).toEqual([{ page: '0' }]);
    expect(callsTo('/segments/details')).toEqual([{ segment_id: 'segment-000' }, { segment_id: 'segment-001' }]);
  });

  it('a window over two pages, ending with a full page: hasNextPage reads the next page', async () => {
    const result = await gateway.execute(SegmentsDocument, { first: 150, after: encodeCursor(49) });
    expect(result.data?.segments?.edges.map((edge) => edge.node.id)).toEqual(FAKE_SEGMENT_IDS.slice(50, 200));
    expect(withoutTypenames(result.data?.segments?.pageInfo)).toEqual({ hasNextPage: true, hasPreviousPage: true, startCursor: encodeCursor(50), endCursor: encodeCursor(199) });
    expect(callsTo('/segments/list')).toEqual([{ page: '0' }, { page: '1' }, { page: '2' }]);
  });

  it('sortDirection: DESC sends sort_direction=desc and pages newest first; ASC is Braze\'s default, not sent', async () => {
    const result = await gateway.query<{ desc: { nodes: { id: string }[] }; asc: { nodes: { id: string }[] } }>(
      `{ desc: segments(first: 2, after: "${encodeCursor(99)}", sortDirection: DESC) { nodes { id } } asc: segments(first: 1, sortDirection: ASC) { nodes { id } } }`,
    );
    expect(result.errors).toEqual([]);
    expect(result.data?.desc.nodes.map((node) => node.id)).toEqual(['segment-149', 'segment-148']);
    expect(result.data?.asc.nodes.map((node) => node.id)).toEqual(['segment-000']);
    expect(callsTo('/segments/list').sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)))).toEqual([{ page: '0' }, { page: '1', sort_direction: 'desc' }]);
  });

  it('the short last page ends the list', async () => {
    const result = await gateway.execute(SegmentsDocument, { first: 100, after: encodeCursor(199) });
    expect(withoutTypenames(result.data?.segments?.edges.map((edge) => edge.node))).toEqual(FAKE_SEGMENT_IDS.slice(200).map((id) => ({ ...listed(id) })));
    expect(result.data?.segments?.pageInfo.hasNextPage).toBe(false);
    expect(callsTo('/segments/list')).toEqual([{ page: '2' }]);
  });
});

/** A fake segment's list fields, as the schema names them. */
function listed(id: string): { id: string; name: string; analyticsTrackingEnabled: boolean; tags: string[] } {
  const { name, analytics_tracking_enabled: analyticsTrackingEnabled, tags } = fakeListedSegment(id);
  return { id, name, analyticsTrackingEnabled, tags };
}

describe('segment(id): /segments/details once, and /segments/data_series', () => {
  it('every field, exact upstream calls and parsed values', async () => {
    const result = await gateway.execute(SegmentDocument, { id: 'seg-a', length: 3, endingAt: '2024-03-10T12:00:00+02:00' });
    expect(result.errors).toEqual([]);
    expect(withoutTypenames(result.data?.segment)).toEqual({
      id: 'seg-a',
      name: 'Details of seg-a',
      analyticsTrackingEnabled: null,
      tags: ['from-details'],
      description: 'Filters of seg-a',
      textDescription: 'About seg-a',
      teams: ['Team A'],
      createdAt: '2024-01-02T03:04:05.000Z',
      updatedAt: '2024-02-03T00:00:00.000Z',
      sizeSeries: {
        segmentId: 'seg-a',
        length: 3,
        endingAt: '2024-03-10T10:00:00.000Z',
        points: [
          { time: '2024-03-08T00:00:00.000Z', date: '2024-03-08', value: 1 },
          { time: '2024-03-09T00:00:00.000Z', date: '2024-03-09', value: 2 },
          { time: '2024-03-10T00:00:00.000Z', date: '2024-03-10', value: 3 },
        ],
        latest: { date: '2024-03-10', value: 3 },
      },
    });
    // No unit and no app_id: Braze takes neither on this endpoint. analyticsTrackingEnabled is looked up
    // in /segments/list whatever the path: seg-a is on none of its three pages, so it is null.
    const calls = braze.calls.map(({ path, query }) => ({ path, query }));
    expect(calls).toHaveLength(5);
    expect(calls).toEqual(
      expect.arrayContaining([
        { path: '/segments/details', query: { segment_id: 'seg-a' } },
        { path: '/segments/data_series', query: { segment_id: 'seg-a', length: '3', ending_at: '2024-03-10T10:00:00Z' } },
        ...['0', '1', '2'].map((page) => ({ path: '/segments/list', query: { page } })),
      ]),
    );
  });

  it('aliases, _entities and segment(id) for the same id share one details call; series differing only in length share one', async () => {
    const result = await gateway.query<Record<string, unknown>>(
      `query ($representations: [_Any!]!) {
        a: segment(id: "x") { name }
        b: segment(id: "x") { tags description }
        _entities(representations: $representations) {
          ... on Segment {
            id
            name
            s3: sizeSeries(length: 3, endingAt: "2024-03-10T00:00:00Z") { latest { value } }
            s7: sizeSeries(length: 7, endingAt: "2024-03-10T00:00:00Z") { latest { value } }
          }
        }
      }`,
      { representations: [{ __typename: 'Segment', id: 'x' }, { __typename: 'Segment', id: 'x' }, { __typename: 'Segment', id: 'y' }] },
    );
    expect(result.errors).toEqual([]);
    expect(result.data?.['a']).toEqual({ name: 'Details of x' });
    expect(result.data?.['_entities']).toEqual([
      { id: 'x', name: 'Details of x', s3: { latest: { value: 7 } }, s7: { latest: { value: 7 } } },
      { id: 'x', name: 'Details of x', s3: { latest: { value: 7 } }, s7: { latest: { value: 7 } } },
      { id: 'y', name: 'Details of y', s3: { latest: { value: 7 } }, s7: { latest: { value: 7 } } },
    ]);
    expect(callsTo('/segments/details').map((query) => query['segment_id']).sort()).toEqual(['x', 'y']);
    expect(callsTo('/segments/data_series').map((query) => [query['segment_id'], query['length']]).sort()).toEqual([
      ['x', '7'],
      ['y', '7'],
    ]);
  });

  it('an id Braze refuses: segment is null with Braze\'s error, the rest of the response arrives', async () => {
    braze.respond((call) => (call.path === '/segments/details' ? { status: 400, body: { message: 'Invalid segment_id' } } : defaultResponder(call)));
    try {
      const result = await gateway.query('{ segment(id: "nope") { name sizeSeries(length: 1) { latest { value } } } customEvent(name: "purchase") { name } }');
      expect(result.data).toEqual({ segment: null, customEvent: { name: 'purchase' } });
      expect(result.errors.map((error) => ({ path: error.path, code: error.extensions?.['code'] }))).toEqual([{ path: ['segment'], code: 'UPSTREAM_BAD_REQUEST' }]);
      expect(callsTo('/segments/data_series')).toEqual([]);
    } finally {
      braze.respond(defaultResponder);
    }
  });

  it('details that are not what Braze documents are UPSTREAM_INVALID_RESPONSE for the fields needing them', async () => {
    braze.respond((call) => (call.path === '/segments/details' ? { body: { message: 'success', name: 'n', created_at: 'yesterday' } } : defaultResponder(call)));
    try {
      const result = await gateway.query('{ segments(first: 1) { nodes { id name createdAt } } }');
      expect(result.data).toEqual({ segments: { nodes: [{ id: 'segment-000', name: 'Segment 0', createdAt: null }] } });
      expect(result.errors.map((error) => ({ path: error.path, code: error.extensions?.['code'] }))).toEqual([
        { path: ['segments', 'nodes', 0, 'createdAt'], code: 'UPSTREAM_INVALID_RESPONSE' },
      ]);
    } finally {
      braze.respond(defaultResponder);
    }
  });

  const badArguments: [string, string, string][] = [
    ['an empty id', '{ segment(id: "") { id } }', 'id'],
    ['a blank id', '{ segment(id: "   ") { id } }', 'id'],
    ['an id longer than 128 characters', `{ segment(id: "${'s'.repeat(129)}") { id } }`, 'id'],
    ['length 0', '{ _entities(representations: [{ __typename: "Segment", id: "x" }]) { ... on Segment { sizeSeries(length: 0) { latest { value } } } } }', 'length'],
    ['length 1001 (over SERIES_MAX_LENGTH)', '{ _entities(representations: [{ __typename: "Segment", id: "x" }]) { ... on Segment { sizeSeries(length: 1001) { latest { value } } } } }', 'length'],
  ];
  for (const [name, query, argument] of badArguments) {
    it(`${name}: BAD_USER_INPUT naming ${argument}, no upstream call`, async () => {
      const result = await gateway.query(query);
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument });
      expect(braze.calls).toEqual([]);
    });
  }
});

describe('Segment and Product entities', () => {
  it('resolving a reference makes no call; Product needs none at all', async () => {
    const result = await gateway.query(
      `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Segment { id } ... on Product { name } } }`,
      { representations: [{ __typename: 'Segment', id: 'x' }, { __typename: 'Product', name: 'Rice Bowl' }] },
    );
    expect(result).toMatchObject({ data: { _entities: [{ id: 'x' }, { name: 'Rice Bowl' }] }, errors: [] });
    expect(braze.calls).toEqual([]);
  });

  const malformed: [string, unknown, string][] = [
    ['Segment without id', { __typename: 'Segment' }, 'A Segment representation needs its key: id, a non-empty string of at most 128 characters'],
    ['Segment id: 5', { __typename: 'Segment', id: 5 }, 'A Segment representation needs its key: id, a non-empty string of at most 128 characters'],
    ['Segment blank id', { __typename: 'Segment', id: ' ' }, 'A Segment representation needs its key: id, a non-empty string of at most 128 characters'],
    ['Segment id too long', { __typename: 'Segment', id: 'i'.repeat(129) }, 'A Segment representation needs its key: id, a non-empty string of at most 128 characters'],
    ['Product without name', { __typename: 'Product' }, 'A Product representation needs its key: name, a non-empty string of at most 255 characters'],
    ['Product name: null', { __typename: 'Product', name: null }, 'A Product representation needs its key: name, a non-empty string of at most 255 characters'],
    ['Product blank name', { __typename: 'Product', name: '' }, 'A Product representation needs its key: name, a non-empty string of at most 255 characters'],
    ['Product name too long', { __typename: 'Product', name: 'p'.repeat(256) }, 'A Product representation needs its key: name, a non-empty string of at most 255 characters'],
  ];
  for (const [name, representation, message] of malformed) {
    it(`${name}: BAD_USER_INPUT for that entry only, no call`, async () => {
      const result = await gateway.query(ENTITIES, { representations: [representation, { __typename: 'Product', name: 'Mug' }] });
      expect(result.data).toEqual({ _entities: [null, { name: 'Mug' }] });
      expect(result.errors.map(({ message: text, path, extensions }) => ({ text, path, extensions }))).toEqual([
        { text: message, path: ['_entities', 0], extensions: { code: 'BAD_USER_INPUT', argument: 'representations' } },
      ]);
      expect(braze.calls).toEqual([]);
    });
  }
});

describe('demo mode: segment(id) and the entities answer from the simulator, deterministically', () => {
  let demo: TestGateway;
  beforeAll(async () => {
    demo = await startTestGateway(undefined);
  });
  afterAll(() => demo.close());

  it('a listed segment has details and sizes; an unknown id is an error, not a made-up segment', async () => {
    const listedIds = await demo.query<{ segments: { nodes: { id: string; analyticsTrackingEnabled: boolean }[] } }>('{ segments(first: 1) { nodes { id analyticsTrackingEnabled } } }');
    const id = listedIds.data?.segments.nodes[0]?.id ?? '';
    const analyticsTrackingEnabled = listedIds.data?.segments.nodes[0]?.analyticsTrackingEnabled;
    const variables = { id, length: 7, endingAt: '2024-03-10T00:00:00Z' };
    const first = await demo.execute(SegmentDocument, variables);
    const second = await demo.execute(SegmentDocument, variables);
    expect(first.errors).toEqual([]);
    expect(second.data).toEqual(first.data);
    const segment = first.data?.segment;
    expect(segment).toMatchObject({ id, name: 'Active users', analyticsTrackingEnabled, createdAt: '2022-01-03T09:30:00.000Z' });
    expect(segment?.sizeSeries?.points).toHaveLength(7);
    expect(segment?.sizeSeries?.points.every((point) => point.value > 1_000)).toBe(true);
    expect(withoutTypenames(segment?.sizeSeries?.latest)).toEqual({ date: '2024-03-10', value: segment?.sizeSeries?.points[6]?.value });

    const unknown = await demo.execute(SegmentDocument, { ...variables, id: 'not-a-segment' });
    expect(withoutTypenames(unknown.data)).toEqual({ segment: null });
    expect(unknown.errors[0]?.extensions?.['code']).toBe('UPSTREAM_BAD_REQUEST');

    const entities = await demo.query(ENTITIES, { representations: [{ __typename: 'Segment', id }, { __typename: 'Product', name: 'Classic Mug' }] });
    expect(entities.data).toEqual({
      _entities: [
        { id, name: 'Active users', tags: segment?.tags, description: segment?.description },
        { name: 'Classic Mug' },
      ],
    });
  });
});
