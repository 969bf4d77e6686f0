import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeBraze } from './helpers/fakeBraze.js';
import { type TestGateway, startGatewayWithFakeBraze, startTestGateway, stopGatewayWithFakeBraze } from './helpers/gateway.js';

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

let braze: FakeBraze;
let gateway: TestGateway;
beforeAll(async () => ({ braze, gateway } = await startGatewayWithFakeBraze()));
afterAll(() => stopGatewayWithFakeBraze({ braze, gateway }));
beforeEach(() => {
  braze.calls.length = 0;
});

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
