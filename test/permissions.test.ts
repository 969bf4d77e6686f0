import { describe, expect, it } from 'vitest';
import { ENDPOINTS } from '../src/endpoints/index.js';
import { defaultResponder, type RecordedCall } from '../testkit/fakeBraze.js';
import { TEST_API_KEY, useGatewayWithFakeBraze, type WireError } from './helpers/gateway.js';
import { LIVE_TEST_ENV, liveClient, subscribe, until } from './helpers/live.js';

const AT = '"2024-03-10T00:00:00Z"';

/**
 * One field per Braze endpoint the gateway calls, none reached through another's answer (the series of
 * a segment, campaign or Canvas through `_entities`, which costs no call): a refusal of one endpoint
 * nulls its own fields and takes no other call away.
 */
const EVERY_ENDPOINT = `query Every($entities: [_Any!]!) {
  eventSeries(event: "purchase", length: 2, endingAt: ${AT}) { total }
  dau: kpiSeries(kpi: DAILY_ACTIVE_USERS, length: 2, endingAt: ${AT}) { total }
  mau: kpiSeries(kpi: MONTHLY_ACTIVE_USERS, length: 2, endingAt: ${AT}) { points { value } }
  newUsers: kpiSeries(kpi: NEW_USERS, length: 2, endingAt: ${AT}) { total }
  uninstalls: kpiSeries(kpi: UNINSTALLS, length: 2, endingAt: ${AT}) { total }
  sessionSeries(length: 2, endingAt: ${AT}) { total }
  quantity: purchaseSeries(measure: QUANTITY, length: 2, endingAt: ${AT}) { ... on PurchaseQuantitySeries { total } }
  revenue: purchaseSeries(measure: REVENUE, length: 2, endingAt: ${AT}) { ... on PurchaseRevenueSeries { total } }
  customEvents(first: 2) { nodes { name } }
  products(first: 2) { nodes { name } }
  segments(first: 2) { nodes { id name } }
  segment(id: "segment-001") { name }
  campaigns(first: 2) { nodes { id name } }
  campaign(id: "campaign-001") { name }
  canvases(first: 2) { nodes { id name } }
  canvas(id: "canvas-001") { name }
  customEvent(name: "event_000") { description }
  customAttributes(first: 2) { nodes { name } }
  _entities(representations: $entities) {
    ... on Segment { sizeSeries(length: 2, endingAt: ${AT}) { points { time value } } }
    ... on Campaign {
      series(length: 2, endingAt: ${AT}) { totals { days conversions revenue } }
      sendSeries(sendId: "send-001", length: 2, endingAt: ${AT}) { totals { days conversions revenue } }
    }
    ... on Canvas {
      series(length: 2, endingAt: ${AT}) { totals { entries revenue } }
      summary(length: 2, endingAt: ${AT}) { total { entries revenue } }
    }
  }
}`;
const ENTITIES = {
  entities: [
    { __typename: 'Segment', id: 'segment-001' },
    { __typename: 'Campaign', id: 'campaign-001' },
    { __typename: 'Canvas', id: 'canvas-001' },
  ],
};

/** Every field answered, as the fake Braze's test data has them: what a key with every permission gets. */
const ALL_GRANTED = {
  eventSeries: { total: 3 },
  dau: { total: 3 },
  mau: { points: [{ value: 1 }, { value: 2 }] },
  newUsers: { total: 3 },
  uninstalls: { total: 3 },
  sessionSeries: { total: 3 },
  quantity: { total: 3 },
  revenue: { total: '3.2' },
  customEvents: { nodes: [{ name: 'event_000' }, { name: 'event_001' }] },
  products: { nodes: [{ name: 'product_000' }, { name: 'product_001' }] },
  segments: { nodes: [{ id: 'segment-000', name: 'Segment 0' }, { id: 'segment-001', name: 'Segment 1' }] },
  segment: { name: 'Details of segment-001' },
  campaigns: { nodes: [{ id: 'campaign-000', name: 'Campaign 0' }, { id: 'campaign-001', name: 'Campaign 1' }] },
  campaign: { name: 'Details of campaign-001' },
  canvases: { nodes: [{ id: 'canvas-000', name: 'Canvas 0' }, { id: 'canvas-001', name: 'Canvas 1' }] },
  canvas: { name: 'Details of canvas-001' },
  customEvent: { description: 'About event_000' },
  customAttributes: { nodes: [{ name: 'attribute_00' }, { name: 'attribute_01' }] },
  _entities: [
    { sizeSeries: { points: [{ time: '2024-03-09T00:00:00.000Z', value: 1 }, { time: '2024-03-10T00:00:00.000Z', value: 2 }] } },
    { series: { totals: { days: 2, conversions: 3, revenue: '3.2' } }, sendSeries: { totals: { days: 2, conversions: 3, revenue: '3.5' } } },
    { series: { totals: { entries: 30, revenue: '3.2' } }, summary: { total: { entries: 30, revenue: '3.2' } } },
  ],
};

const ENDING = 'ending_at=2024-03-10T00%3A00%3A00Z';
/** The one call each endpoint gets for EVERY_ENDPOINT, by path (query strings as Braze receives them). */
const CALLS: Readonly<Record<string, string>> = {
  '/events/data_series': `event=purchase&length=2&unit=day&${ENDING}`,
  '/kpi/dau/data_series': `length=2&${ENDING}`,
  '/kpi/mau/data_series': `length=2&${ENDING}`,
  '/kpi/new_users/data_series': `length=2&${ENDING}`,
  '/kpi/uninstalls/data_series': `length=2&${ENDING}`,
  '/sessions/data_series': `length=2&unit=day&${ENDING}`,
  '/purchases/quantity_series': `length=2&unit=day&${ENDING}`,
  '/purchases/revenue_series': `length=2&unit=day&${ENDING}`,
  '/events/list': 'page=0',
  '/purchases/product_list': 'page=0',
  '/segments/list': 'page=0',
  '/segments/details': 'segment_id=segment-001',
  '/segments/data_series': `segment_id=segment-001&length=2&${ENDING}`,
  '/campaigns/list': 'page=0&include_archived=false',
  '/campaigns/details': 'campaign_id=campaign-001',
  '/campaigns/data_series': `campaign_id=campaign-001&length=2&${ENDING}`,
  '/canvas/list': 'page=0',
  '/canvas/details': 'canvas_id=canvas-001',
  '/canvas/data_series': `canvas_id=canvas-001&length=2&${ENDING}`,
  '/canvas/data_summary': `canvas_id=canvas-001&length=2&${ENDING}`,
  '/sends/data_series': `campaign_id=campaign-001&send_id=send-001&length=2&${ENDING}`,
  '/events': '',
  '/custom_attributes': '',
};
const EVERY_CALL = Object.entries(CALLS).map(([path, query]) => `${path}?${query}`).sort();

/** Where each endpoint's answer lands in EVERY_ENDPOINT's result: the field (or `_entities` entry field) that is null when it fails. */
const FIELD_OF: Readonly<Record<string, readonly (string | number)[]>> = {
  '/events/data_series': ['eventSeries'],
  '/kpi/dau/data_series': ['dau'],
  '/kpi/mau/data_series': ['mau'],
  '/kpi/new_users/data_series': ['newUsers'],
  '/kpi/uninstalls/data_series': ['uninstalls'],
  '/sessions/data_series': ['sessionSeries'],
  '/purchases/quantity_series': ['quantity'],
  '/purchases/revenue_series': ['revenue'],
  '/events/list': ['customEvents'],
  '/purchases/product_list': ['products'],
  '/segments/list': ['segments'],
  '/segments/details': ['segment'],
  '/segments/data_series': ['_entities', 0, 'sizeSeries'],
  '/campaigns/list': ['campaigns'],
  '/campaigns/details': ['campaign'],
  '/campaigns/data_series': ['_entities', 1, 'series'],
  '/canvas/list': ['canvases'],
  '/canvas/details': ['canvas'],
  '/canvas/data_series': ['_entities', 2, 'series'],
  '/canvas/data_summary': ['_entities', 2, 'summary'],
  '/sends/data_series': ['_entities', 1, 'sendSeries'],
  '/events': ['customEvent', 'description'],
  '/custom_attributes': ['customAttributes'],
};

/** ALL_GRANTED with the value at `path` null. */
function withNull(path: readonly (string | number)[]): unknown {
  const copy = structuredClone(ALL_GRANTED) as Record<string | number, unknown>;
  let at: Record<string | number, unknown> = copy;
  for (const step of path.slice(0, -1)) at = at[step] as Record<string | number, unknown>;
  at[path[path.length - 1] as string | number] = null;
  return copy;
}

const callsOf = (calls: readonly RecordedCall[]): string[] => calls.map((call) => `${call.path}?${new URLSearchParams(call.query).toString()}`).sort();

describe("a key without one permission: that endpoint's fields fail naming it, every other field still resolves", () => {
  const { braze, gateway } = useGatewayWithFakeBraze();

  it('the query reaches every described endpoint once (with every permission, every field answers)', async () => {
    expect(Object.keys(CALLS).sort()).toEqual(ENDPOINTS.map((endpoint) => endpoint.path).sort());
    const result = await gateway.query(EVERY_ENDPOINT, ENTITIES);
    expect(result.errors).toEqual([]);
    expect(result.data).toEqual(ALL_GRANTED);
    expect(callsOf(braze.calls)).toEqual(EVERY_CALL);
  });

  it.each(ENDPOINTS.map((endpoint) => [endpoint.path, endpoint.permission]))('403 from %s: its field alone fails, naming %s', async (path, permission) => {
    braze.respond((call) => (call.path === path ? { status: 403, body: { message: 'Access Denied' } } : defaultResponder(call)));
    const result = await gateway.query(EVERY_ENDPOINT, ENTITIES);
    expect(result.status).toBe(200);
    expect(result.data).toEqual(withNull(FIELD_OF[path] ?? []));
    expect(result.errors.map(({ path: at, extensions }: WireError) => ({ path: at, extensions }))).toEqual([
      { path: FIELD_OF[path], extensions: { code: 'UPSTREAM_FORBIDDEN', upstreamStatus: 403, attempts: 1, permission } },
    ]);
    expect(result.errors[0]?.message).toBe(
      `Braze refused ${path} to the gateway's REST API key (403): it needs the key permission ${permission}. A Braze key's permissions are set when it is created: create a key with this one (Braze dashboard, Settings > APIs and Identifiers) and set BRAZE_API_KEY to it. Braze also answers 403 when the plan does not include this export or the account is inactive. Braze said: Access Denied`,
    );
    // Every call the query needs, each once: the refused one was asked once (403 is not retried), none other was lost.
    expect(callsOf(braze.calls)).toEqual(EVERY_CALL);
  });
});

describe('401 is no missing permission', () => {
  const { braze, gateway } = useGatewayWithFakeBraze();

  it("a 401 from one endpoint says the key is not known to this instance, names no permission, and leaves the other fields", async () => {
    braze.respond((call) => (call.path === '/kpi/dau/data_series' ? { status: 401, body: { message: `Invalid API key: ${TEST_API_KEY}` } } : defaultResponder(call)));
    const result = await gateway.query(EVERY_ENDPOINT, ENTITIES);
    expect(result.data).toEqual(withNull(['dau']));
    expect(result.errors.map(({ path, extensions }) => ({ path, extensions }))).toEqual([{ path: ['dau'], extensions: { code: 'UPSTREAM_UNAUTHORIZED', upstreamStatus: 401, attempts: 1 } }]);
    // Braze's words are quoted with the key it echoed hidden.
    expect(result.errors[0]?.message).toBe(
      "Braze rejected the gateway's REST API key (401): Braze does not know this key on this instance (a wrong or deleted key, or one of another instance than BRAZE_INSTANCE or BRAZE_REST_ENDPOINT names). Not a missing permission: Braze answers that with 403. Braze said: Invalid API key: [REDACTED]",
    );
    expect(result.body).not.toContain(TEST_API_KEY);
    expect(callsOf(braze.calls)).toEqual(EVERY_CALL);
  });
});

const DENIED = { status: 403, body: { message: 'Access Denied' } };
const refusing = (path: string) => (call: RecordedCall) => (call.path === path ? DENIED : defaultResponder(call));

describe('a live series whose endpoint the key may not read', () => {
  const { braze, gateway } = useGatewayWithFakeBraze(LIVE_TEST_ENV);

  it('ends with UPSTREAM_FORBIDDEN naming the permission; Braze is not asked for it again; another series keeps polling', async () => {
    const client = liveClient(gateway);
    const dau = subscribe(client, 'subscription { kpiSeries(kpi: DAILY_ACTIVE_USERS, length: 3) { series { total } status { state } } }');
    const sessions = subscribe(client, 'subscription { sessionSeries(length: 3) { series { total } status { state } } }');
    await Promise.all([dau.waitFor(1), sessions.waitFor(1)]);
    braze.respond(refusing('/kpi/dau/data_series'));
    await dau.done;
    expect(dau.ended).toBe('complete');
    expect(dau.results.map(({ data, errors }) => ({ data, errors: errors?.map(({ extensions }) => extensions) }))).toEqual([
      { data: { kpiSeries: { series: { total: 6 }, status: { state: 'LIVE' } } }, errors: undefined },
      { data: null, errors: [{ code: 'UPSTREAM_FORBIDDEN', upstreamStatus: 403, attempts: 1, permission: 'kpi.dau.data_series' }] },
    ]);
    expect(dau.results[1]?.errors?.[0]?.message).toContain('it needs the key permission kpi.dau.data_series');
    const count = (path: string): number => braze.calls.filter((call) => call.path === path).length;
    const refusedCalls = count('/kpi/dau/data_series');
    const sessionCalls = count('/sessions/data_series');
    // Two more polls of the other series: the refused one was not asked again meanwhile.
    await until(() => count('/sessions/data_series') >= sessionCalls + 2, 10_000, 'two more session polls');
    expect(count('/kpi/dau/data_series')).toBe(refusedCalls);
    expect(sessions.ended).toBeUndefined();
    sessions.close();
  }, 20_000);
});

describe('with the caches on, a refusal is never kept', () => {
  const { braze, gateway } = useGatewayWithFakeBraze({ CACHE_ENABLED: 'true', RESPONSE_CACHE_ENABLED: 'true' });
  const PAIR = `{
    dau: kpiSeries(kpi: DAILY_ACTIVE_USERS, length: 2, endingAt: ${AT}) { total }
    sessionSeries(length: 2, endingAt: ${AT}) { total }
  }`;

  it('the refused field is asked of Braze again at every request (its neighbour comes from the cache), and answers once the key may', async () => {
    braze.respond(refusing('/kpi/dau/data_series'));
    const refused = { data: { dau: null, sessionSeries: { total: 3 } }, codes: ['UPSTREAM_FORBIDDEN'] };
    const ask = async () => {
      const before = braze.calls.length;
      const result = await gateway.query(PAIR);
      return { data: result.data, codes: result.errors.map((error) => error.extensions?.['code']), calls: braze.calls.slice(before).map((call) => call.path).sort() };
    };
    expect(await ask()).toEqual({ ...refused, calls: ['/kpi/dau/data_series', '/sessions/data_series'] });
    expect(await ask()).toEqual({ ...refused, calls: ['/kpi/dau/data_series'] });
    braze.respond(defaultResponder);
    const answered = { data: { dau: { total: 3 }, sessionSeries: { total: 3 } }, codes: [] };
    expect(await ask()).toEqual({ ...answered, calls: ['/kpi/dau/data_series'] });
    // Now whole, the response is kept: the next one costs no call.
    expect(await ask()).toEqual({ ...answered, calls: [] });
  });
});
