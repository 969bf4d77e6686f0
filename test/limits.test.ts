import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestGateway, startTestGateway, useGatewayWithFakeBraze } from './helpers/gateway.js';

const AT = '2024-03-10T12:00:00Z';

/** A dashboard of `charts` charts: each its own event and segment, 30 days, every field a chart draws. */
function dashboard(charts: number): string {
  const fields = Array.from(
    { length: charts },
    (_, i) =>
      `  chart${i + 1}: eventSeries(event: "event-${i + 1}", length: 30, unit: DAY, endingAt: "${AT}", segmentId: "segment-${i + 1}") {\n    total\n    points { time count }\n  }`,
  );
  return `query Dashboard {\n${fields.join('\n')}\n}`;
}

/**
 * How Relay writes documents: one fragment per component, named `<Component>_<prop>`, each spreading
 * its children's fragments; the compiler sends the operation with every fragment after it.
 */
const RELAY_DASHBOARD = `query DashboardPageQuery {
  eventSeries(event: "purchase", length: 3, unit: DAY, endingAt: "${AT}") {
    ...DashboardPage_series
  }
}
fragment DashboardPage_series on EventSeries { ...ChartCard_series }
fragment ChartCard_series on EventSeries { event ...ChartHeader_series }
fragment ChartHeader_series on EventSeries { total ...ChartBody_series }
fragment ChartBody_series on EventSeries { unit ...PointList_series }
fragment PointList_series on EventSeries { points { ...PointRow_point } }
fragment PointRow_point on EventSeriesPoint { time ...PointCount_point }
fragment PointCount_point on EventSeriesPoint { count }`;

const RELAY_EVENT_PAGE = `query EventPageQuery {
  customEvent(name: "purchase") {
    ...EventPage_event
  }
}
fragment EventPage_event on CustomEvent { name ...EventSeriesPanel_event }
fragment EventSeriesPanel_event on CustomEvent { series(length: 3, endingAt: "${AT}") { ...SeriesChart_series } }
fragment SeriesChart_series on EventSeries { total ...SeriesPoints_series }
fragment SeriesPoints_series on EventSeries { points { ...SeriesPoint_point } }
fragment SeriesPoint_point on EventSeriesPoint { ...SeriesPointValue_point }
fragment SeriesPointValue_point on EventSeriesPoint { time count }`;

/**
 * How Apollo Client users write them: named fragments per type, reused, inline fragments on a type,
 * and the `__typename` Apollo adds to every selection set for its cache.
 */
const APOLLO_DASHBOARD = `query Dashboard {
  purchases: eventSeries(event: "purchase", length: 3, endingAt: "${AT}") { ...ChartFields __typename }
  signups: eventSeries(event: "signup", length: 3, endingAt: "${AT}") { ... on EventSeries { ...ChartFields } __typename }
  purchaseEvent: customEvent(name: "purchase") { ...EventFields __typename }
}
fragment ChartFields on EventSeries { event total points { ...PointFields __typename } __typename }
fragment PointFields on EventSeriesPoint { time count __typename }
fragment EventFields on CustomEvent {
  name
  series(length: 3, endingAt: "${AT}") { ... on EventSeries { ...ChartFields } __typename }
  __typename
}`;

const THREE_DAYS = [
  { time: '2024-03-08T00:00:00.000Z', count: 1 },
  { time: '2024-03-09T00:00:00.000Z', count: 2 },
  { time: '2024-03-10T00:00:00.000Z', count: 3 },
];

const { braze, gateway } = useGatewayWithFakeBraze();

/** Asserts a refusal by `limit` with QUERY_TOO_COMPLEX, 400, and no upstream call. */
function expectRefused(result: Awaited<ReturnType<TestGateway['query']>>, limit: string, message: RegExp): void {
  expect(result.status).toBe(400);
  expect(result.data).toBeUndefined();
  expect(result.errors).toHaveLength(1);
  expect(result.errors[0]?.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit });
  expect(result.errors[0]?.message).toMatch(message);
  expect(braze.calls).toHaveLength(0);
}

describe('query limits with the documented defaults', () => {
  it('a 20-chart dashboard (20 aliased eventSeries with points { time count }) is answered in full', async () => {
    const result = await gateway.query<Record<string, { total: number; points: { time: string; count: number }[] }>>(dashboard(20));
    expect(result.status).toBe(200);
    expect(result.errors).toEqual([]);
    expect(Object.keys(result.data ?? {})).toHaveLength(20);
    for (const chart of Object.values(result.data ?? {})) {
      expect(chart.total).toBe((30 * 31) / 2);
      expect(chart.points).toHaveLength(30);
      expect(chart.points[29]).toEqual({ time: '2024-03-10T00:00:00.000Z', count: 30 });
    }
    expect(braze.seriesCalls).toHaveLength(20);
  });

  it('so is the largest dashboard the aliases allow (50 charts)', async () => {
    const result = await gateway.query(dashboard(50));
    expect(result.errors).toEqual([]);
    expect(braze.seriesCalls).toHaveLength(50);
  });

  it('51 aliases are refused', async () => {
    expectRefused(await gateway.query(dashboard(51)), 'maxAliases', /^Aliases limit of 50 exceeded, found 51\.$/);
  });

  it('a document deeper than 6 is refused before validation looks at its fields', async () => {
    expectRefused(await gateway.query('{ a { b { c { d { e { f { g } } } } } } }'), 'maxDepth', /^Query depth limit of 6 exceeded, found 7\.$/);
  });

  it('a document of more than 2000 tokens is refused while parsing', async () => {
    const query = `{ ${'__typename '.repeat(2000)}eventSeries(event: "e", length: 1) { total } }`;
    expectRefused(await gateway.query(query), 'maxTokens', /^Token limit of 2000 exceeded\.$/);
  });

  it('more than 50 directives are refused', async () => {
    const query = `{ eventSeries(event: "e", length: 1, endingAt: "${AT}") { total ${'@include(if: true) '.repeat(51)} } }`;
    expectRefused(await gateway.query(query), 'maxDirectives', /^Directives limit of 50 exceeded, found 51\.$/);
  });

  it('GraphiQL\'s introspection query still passes', async () => {
    const { getIntrospectionQuery } = await import('graphql');
    const result = await gateway.query(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, inputValueDeprecation: true }));
    expect(result.status).toBe(200);
    expect(result.errors).toEqual([]);
  });
});

describe('configured limits', () => {
  let strict: TestGateway;
  beforeAll(async () => {
    strict = await startTestGateway(braze, { QUERY_MAX_DEPTH: '3', QUERY_MAX_COST: '100', MAX_REQUEST_BODY_BYTES: '2048' });
  });
  afterAll(async () => {
    await strict.close();
  });

  it('QUERY_MAX_DEPTH: a federation-style path of depth 4 is refused at 3', async () => {
    expectRefused(
      await strict.query(`{ customEvent(name: "e") { series(length: 1, endingAt: "${AT}") { points { time } } } }`),
      'maxDepth',
      /^Query depth limit of 3 exceeded, found 4\.$/,
    );
  });

  it('QUERY_MAX_DEPTH: the same path of depth 4 through Relay fragments is refused at 3, counted as 4', async () => {
    expectRefused(await strict.query(RELAY_EVENT_PAGE), 'maxDepth', /^Query depth limit of 3 exceeded, found 4\.$/);
  });

  it('QUERY_MAX_COST: ten charts cost more than 100', async () => {
    expectRefused(await strict.query(dashboard(10)), 'maxCost', /^Query Cost limit of 100 exceeded, found \d+\.$/);
  });

  it('MAX_REQUEST_BODY_BYTES: a larger body is refused with 413 before it is parsed', async () => {
    const body = JSON.stringify({ query: `{ eventSeries(event: "e", length: 1) { total } }`, variables: { padding: 'x'.repeat(3000) } });
    const response = await fetch(strict.url, { method: 'POST', headers: { 'content-type': 'application/json', ...strict.authHeaders }, body });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ errors: [{ message: 'Request body too large', extensions: { code: 'REQUEST_ENTITY_TOO_LARGE' } }] });
    expect(braze.calls).toHaveLength(0);
  });

  it('the default body limit (100 KiB) refuses 200 KB', async () => {
    const body = JSON.stringify({ query: `{ __typename }`, variables: { padding: 'x'.repeat(200_000) } });
    const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...gateway.authHeaders }, body });
    expect(response.status).toBe(413);
  });
});

describe('colocated fragments: depth and cost count fields, not fragment levels', () => {
  it('Relay: eventSeries → points → count through seven nested fragments is answered, with one upstream call', async () => {
    const result = await gateway.query(RELAY_DASHBOARD);
    expect(result.errors).toEqual([]);
    expect(result.data).toEqual({ eventSeries: { event: 'purchase', total: 6, unit: 'DAY', points: THREE_DAYS } });
    expect(braze.seriesCalls).toHaveLength(1);
  });

  it('Relay: customEvent → series → points → time through six nested fragments is answered, with one upstream call', async () => {
    const result = await gateway.query(RELAY_EVENT_PAGE);
    expect(result.errors).toEqual([]);
    expect(result.data).toEqual({ customEvent: { name: 'purchase', series: { total: 6, points: THREE_DAYS } } });
    expect(braze.seriesCalls).toHaveLength(1);
  });

  it('Apollo: reused named fragments, inline fragments and __typename everywhere are answered; the two purchase series share one call', async () => {
    const result = await gateway.query(APOLLO_DASHBOARD);
    expect(result.errors).toEqual([]);
    const points = THREE_DAYS.map((point) => ({ ...point, __typename: 'EventSeriesPoint' }));
    const chart = (event: string) => ({ event, total: 6, points, __typename: 'EventSeries' });
    expect(result.data).toEqual({
      purchases: chart('purchase'),
      signups: chart('signup'),
      purchaseEvent: { name: 'purchase', series: chart('purchase'), __typename: 'CustomEvent' },
    });
    expect(braze.seriesCalls.map((call) => call.query['event']).sort()).toEqual(['purchase', 'signup']);
  });

  it('fields really nested 7 deep are refused, however many fragments they pass through', async () => {
    const query = `query { ...L1 }
fragment L1 on Query { a { ...L2 } }
fragment L2 on A { b { ... on B { c { ...L4 } } } }
fragment L4 on C { d { ...L5 } }
fragment L5 on D { e { ...L6 } }
fragment L6 on E { f { g } }`;
    expectRefused(await gateway.query(query), 'maxDepth', /^Query depth limit of 6 exceeded, found 7\.$/);
  });

  it('fragment cycles are refused by validation, without an upstream call', async () => {
    const query = `{ eventSeries(event: "e", length: 1) { ...A } }
fragment A on EventSeries { points { ...B } }
fragment B on EventSeriesPoint { ... on EventSeriesPoint { ...C } }
fragment C on EventSeriesPoint { count ...B }`;
    const result = await gateway.query(query);
    expect(result.status).toBe(400);
    expect(result.errors.map(({ message, extensions }) => ({ message, extensions }))).toEqual([
      { message: 'Cannot spread fragment "B" within itself via "C".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
    ]);
    expect(braze.calls).toHaveLength(0);
  });

  /** `uses` aliased charts, each `{ ...Heavy }`; Heavy repeats `total points { time count }` 11 times. */
  const heavyCharts = (uses: number): string =>
    `query Heavy {\n${Array.from({ length: uses }, (_, i) => `  c${i}: eventSeries(event: "e", length: 1, endingAt: "${AT}") { ...Heavy }`).join('\n')}\n}\n` +
    `fragment Heavy on EventSeries { ${'total points { time count } '.repeat(11)}}`;

  it('a fragment is counted at every use: once is answered, 50 times is over the cost limit', async () => {
    const once = await gateway.query<{ c0: { total: number } }>(heavyCharts(1));
    expect(once.errors).toEqual([]);
    expect(once.data).toEqual({ c0: { total: 1, points: [{ time: '2024-03-10T00:00:00.000Z', count: 1 }] } });
    braze.calls.length = 0;
    // Inline, the 50 charts cost 50 × 101 = 5050; armor counts a fragment's later uses at 1.5× (7674.5).
    expectRefused(await gateway.query(heavyCharts(50)), 'maxCost', /^Query Cost limit of 5000 exceeded, found 7674\.5\.$/);
  });
});
