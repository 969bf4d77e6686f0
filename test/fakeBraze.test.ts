// The fake Braze itself: the benchmarks measure the gateway against it, so what they rely on (latency,
// the call count over HTTP, rate-limit headers, the soak's failure mix) is proven here over real HTTP.
import { afterEach, describe, expect, it } from 'vitest';
import type { Endpoint } from '../src/data/endpoint.js';
import { campaignDetailsEndpoint } from '../src/endpoints/campaignDetails.js';
import { campaignListEndpoint } from '../src/endpoints/campaignList.js';
import { campaignSeriesEndpoint } from '../src/endpoints/campaignSeries.js';
import { canvasDetailsEndpoint } from '../src/endpoints/canvasDetails.js';
import { canvasListEndpoint } from '../src/endpoints/canvasList.js';
import { canvasSeriesEndpoint, canvasSummaryEndpoint } from '../src/endpoints/canvasSeries.js';
import { customAttributeExportEndpoint } from '../src/endpoints/customAttributeExport.js';
import { eventExportEndpoint } from '../src/endpoints/eventExport.js';
import { eventListEndpoint } from '../src/endpoints/eventList.js';
import { eventSeriesEndpoint } from '../src/endpoints/eventSeries.js';
import { ENDPOINTS } from '../src/endpoints/index.js';
import { KPI_SERIES_ENDPOINTS } from '../src/endpoints/kpiSeries.js';
import { productListEndpoint } from '../src/endpoints/productList.js';
import { PURCHASE_SERIES_ENDPOINTS } from '../src/endpoints/purchaseSeries.js';
import { segmentDetailsEndpoint } from '../src/endpoints/segmentDetails.js';
import { segmentListEndpoint } from '../src/endpoints/segmentList.js';
import { segmentSizeEndpoint } from '../src/endpoints/segmentSize.js';
import { sendSeriesEndpoint } from '../src/endpoints/sendSeries.js';
import { sessionSeriesEndpoint } from '../src/endpoints/sessionSeries.js';
import { createFaults, OUTCOMES, SOAK_PLAN, type FaultStats, type Outcome, type Plan } from '../testkit/faults.js';
import { CALLS_PATH, defaultSeries, startFakeBraze, type FakeBraze, type FakeBrazeOptions } from '../testkit/fakeBraze.js';

const SERIES_QUERY = { event: 'purchase', length: '3', unit: 'day', ending_at: '2024-03-10T00:00:00Z' };
const HOUR_S = 3600;

let started: FakeBraze[] = [];
afterEach(async () => {
  await Promise.all(started.map((braze) => braze.close()));
  started = [];
});

async function fake(options: FakeBrazeOptions = {}): Promise<FakeBraze> {
  const braze = await startFakeBraze(options);
  started.push(braze);
  return braze;
}

function seriesUrl(braze: FakeBraze, query: Record<string, string> = SERIES_QUERY): URL {
  return new URL(`/events/data_series?${new URLSearchParams(query)}`, braze.url);
}

async function countsOf(braze: FakeBraze): Promise<Record<string, unknown>> {
  const response = await fetch(new URL(CALLS_PATH, braze.url));
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

describe('FakeBraze options', () => {
  it('answers after latencyMs, and counts the call as soon as it arrives', async () => {
    const braze = await fake({ latencyMs: 300 });
    const sentAt = performance.now();
    let answeredAt: number | undefined;
    const answered = fetch(seriesUrl(braze)).then(async (response) => {
      answeredAt = performance.now();
      return { status: response.status, body: await response.json() };
    });
    await expect.poll(() => braze.callCount, { interval: 5 }).toBe(1);
    expect(answeredAt).toBeUndefined();
    expect(await countsOf(braze)).toEqual({ calls: 1 });

    expect(await answered).toEqual({ status: 200, body: defaultSeries(SERIES_QUERY) });
    // Timers never fire early by Node's clock; performance.now() may read a hair less.
    expect(answeredAt! - sentAt).toBeGreaterThanOrEqual(299);
  });

  it('with record: false, counts every call without keeping it, and GET /__calls is not a call', async () => {
    const braze = await fake({ record: false });
    for (let i = 0; i < 3; i++) expect((await fetch(seriesUrl(braze))).status).toBe(200);
    // A path Braze does not have is answered as Braze would, and counted all the same.
    expect((await fetch(new URL('/anything/else', braze.url))).status).toBe(404);

    expect(braze.callCount).toBe(4);
    expect(await countsOf(braze)).toEqual({ calls: 4 });
    expect(await countsOf(braze)).toEqual({ calls: 4 });
    expect(() => braze.calls).toThrow('record: false');
  });

  it('records every call by default, beside the count', async () => {
    const braze = await fake();
    await fetch(seriesUrl(braze));
    await fetch(new URL('/other?x=1', braze.url));
    expect(braze.callCount).toBe(2);
    expect(braze.calls.map((call) => [call.path, call.query])).toEqual([
      ['/events/data_series', SERIES_QUERY],
      ['/other', { x: '1' }],
    ]);
    expect(await countsOf(braze)).toEqual({ calls: 2 });
  });

  it('adds what `counts` returns to GET /__calls', async () => {
    let extra = 0;
    const braze = await fake({ counts: () => ({ extra: ++extra }) });
    await fetch(seriesUrl(braze));
    expect(await countsOf(braze)).toEqual({ calls: 1, extra: 1 });
    expect(await countsOf(braze)).toEqual({ calls: 1, extra: 2 });
  });

  it('sends x-ratelimit-* on every answer, counting every call down from the hourly limit', async () => {
    const braze = await fake({ rateLimit: 5 });
    const headers: Record<string, string | null>[] = [];
    for (let i = 0; i < 3; i++) {
      const before = Date.now();
      const response = await fetch(seriesUrl(braze));
      const after = Date.now();
      await response.arrayBuffer();
      const reset = Number(response.headers.get('x-ratelimit-reset'));
      // The top of the next hour, in epoch seconds (as seen on either side of the call).
      expect([nextHourS(before), nextHourS(after)]).toContain(reset);
      headers.push({ limit: response.headers.get('x-ratelimit-limit'), remaining: response.headers.get('x-ratelimit-remaining') });
    }
    expect(headers).toEqual([
      { limit: '5', remaining: '4' },
      { limit: '5', remaining: '3' },
      { limit: '5', remaining: '2' },
    ]);

    // A scripted answer's own headers win; a failed answer still counts against the bucket.
    braze.respond(() => ({ status: 503, headers: { 'x-ratelimit-remaining': '4999' }, body: { message: 'no' } }));
    const scripted = await fetch(seriesUrl(braze));
    expect(scripted.status).toBe(503);
    expect(scripted.headers.get('x-ratelimit-remaining')).toBe('4999');
    braze.handleRaw((_request, response) => response.end('raw'));
    const raw = await fetch(seriesUrl(braze));
    expect(await raw.text()).toBe('raw');
    expect(raw.headers.get('x-ratelimit-remaining')).toBe('0');
  });

  it('counts each bucket of the table on its own: a list call moves the list bucket, a campaign series its minute bucket', async () => {
    const braze = await fake({ rateLimit: 5 });
    const figures = async (path: string, query: Record<string, string>): Promise<[string | null, string | null, number]> => {
      const response = await fetch(new URL(`${path}?${new URLSearchParams(query)}`, braze.url));
      await response.arrayBuffer();
      return [response.headers.get('x-ratelimit-limit'), response.headers.get('x-ratelimit-remaining'), Number(response.headers.get('x-ratelimit-reset'))];
    };
    const series = await figures('/events/data_series', SERIES_QUERY);
    expect(series.slice(0, 2)).toEqual(['5', '4']);
    expect(series[2] % HOUR_S).toBe(0);
    expect((await figures('/events/list', {})).slice(0, 2)).toEqual(['5', '4']);
    expect((await figures('/events/list', { page: '1' })).slice(0, 2)).toEqual(['5', '3']);
    const campaign = await figures('/campaigns/data_series', { campaign_id: 'c-1', length: '1', ending_at: '2024-03-10T00:00:00Z' });
    expect(campaign.slice(0, 2)).toEqual(['50000', '49999']);
    expect(campaign[2] % 60).toBe(0);
    expect(campaign[2] - Date.now() / 1000).toBeLessThanOrEqual(60);
    expect((await figures('/events/data_series', SERIES_QUERY)).slice(0, 2)).toEqual(['5', '3']);
    // No bucket for a path Braze does not have.
    expect((await figures('/anything/else', {}))[0]).toBeNull();
  });

  it('sends no x-ratelimit-* header unless asked', async () => {
    const braze = await fake();
    const response = await fetch(seriesUrl(braze));
    expect([...response.headers.keys()].filter((name) => name.startsWith('x-ratelimit'))).toEqual([]);
  });
});

describe('the default answers (testkit/answers/)', () => {
  const ENDING_AT = new Date('2024-03-10T00:00:00Z');
  const series = { length: 3, unit: 'day', endingAt: ENDING_AT, appId: undefined, segmentId: undefined, product: undefined } as const;
  const stats = { canvasId: 'canvas-001', length: 3, startingAt: undefined, endingAt: ENDING_AT, variants: true, steps: true, deletedSteps: true };
  const one = <Call, Answer>(endpoint: Endpoint<Call, Answer>, call: Call): [Endpoint<never, unknown>, unknown] => [endpoint as unknown as Endpoint<never, unknown>, call];
  const CALLS = [
    one(eventSeriesEndpoint, { ...series, event: 'purchase' }),
    ...Object.values(KPI_SERIES_ENDPOINTS).map((endpoint) => one(endpoint, { ...series, unit: 'day' as const })),
    one(sessionSeriesEndpoint, { ...series, unit: 'hour' }),
    ...Object.values(PURCHASE_SERIES_ENDPOINTS).map((endpoint) => one(endpoint, series)),
    one(eventListEndpoint, { page: 2 }),
    one(productListEndpoint, { page: 0 }),
    one(segmentListEndpoint, { page: 1, sortDirection: 'asc' }),
    one(segmentDetailsEndpoint, { segmentId: 'segment-001' }),
    one(segmentSizeEndpoint, { segmentId: 'segment-001', length: 3, unit: 'day', endingAt: ENDING_AT }),
    one(campaignListEndpoint, { page: 0, includeArchived: true, lastEditedAfter: undefined, sortDirection: 'asc' }),
    one(campaignDetailsEndpoint, { campaignId: 'campaign-001' }),
    one(campaignSeriesEndpoint, { campaignId: 'campaign-001', length: 3, unit: 'day', endingAt: ENDING_AT }),
    one(canvasListEndpoint, { page: 1, includeArchived: false, lastEditedAfter: undefined, sortDirection: 'asc' }),
    one(canvasDetailsEndpoint, { canvasId: 'canvas-001' }),
    one(canvasSeriesEndpoint, stats),
    one(canvasSummaryEndpoint, stats),
    one(sendSeriesEndpoint, { campaignId: 'campaign-001', sendId: 'send-1', length: 3, unit: 'day', endingAt: ENDING_AT }),
    one(eventExportEndpoint, { cursor: null }),
    one(customAttributeExportEndpoint, { cursor: 'c2tpcDo1MA==' }),
  ];

  it('cover every described endpoint, each with an answer its own reader accepts', async () => {
    expect(CALLS.map(([endpoint]) => endpoint.path).sort()).toEqual(ENDPOINTS.map((endpoint) => endpoint.path).sort());
    const braze = await fake();
    for (const [endpoint, call] of CALLS) {
      const response = await fetch(new URL(`${endpoint.path}?${endpoint.searchParams(call as never)}`, braze.url));
      expect(response.status, endpoint.path).toBe(200);
      const text = await response.text();
      // The headers a reader reads (a list's Link to its next page) come with the body.
      const headers = Object.fromEntries((endpoint.headers ?? []).flatMap((name) => [[name, response.headers.get(name)]]).filter(([, value]) => value !== null));
      expect(() => endpoint.parse(text, call as never, headers), endpoint.path).not.toThrow();
    }
  });
});

function nextHourS(ms: number): number {
  return (Math.floor(ms / 1000 / HOUR_S) + 1) * HOUR_S;
}

describe("the soak's failure mix (testkit/faults.ts) plugged into the fake", () => {
  const only = (outcome: Outcome): Plan => ({ ...Object.fromEntries(OUTCOMES.map((o) => [o, 0])), [outcome]: 1000 }) as Plan;

  async function faulty(plan: Plan, seed = 1): Promise<FakeBraze> {
    const faults = createFaults({ seed, plan });
    const braze = await fake({ record: false, rateLimit: 250_000, counts: () => ({ faults: faults.stats() }) });
    braze.handleRaw(faults.handle);
    return braze;
  }

  async function statsOf(braze: FakeBraze): Promise<FaultStats> {
    return (await countsOf(braze))['faults'] as FaultStats;
  }

  it('answers a series with rate-limit headers when the draw is ok', async () => {
    const braze = await faulty(only('ok'));
    const response = await fetch(seriesUrl(braze));
    expect(response.status).toBe(200);
    expect(response.headers.get('x-ratelimit-remaining')).toBe('249999');
    expect(await response.json()).toEqual(defaultSeries(SERIES_QUERY));
    expect((await statsOf(braze)).byOutcome.ok).toBe(1);
  });

  it('answers 503 with a JSON body', async () => {
    const braze = await faulty(only('http503'));
    const response = await fetch(seriesUrl(braze));
    expect(response.status).toBe(503);
    expect(response.headers.get('x-ratelimit-limit')).toBe('250000');
    expect(await response.json()).toEqual({ message: 'Service Unavailable' });
  });

  it("answers 500 with a load balancer's HTML page, without Braze's headers", async () => {
    const braze = await faulty(only('http500Html'));
    const response = await fetch(seriesUrl(braze));
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('x-ratelimit-limit')).toBeNull();
    expect(await response.text()).toContain('<h1>Internal Server Error</h1>');
  });

  it('resets the socket before any byte of the answer', async () => {
    const braze = await faulty(only('reset'));
    await expect(fetch(seriesUrl(braze))).rejects.toThrow('fetch failed');
  });

  it('resets the socket half-way through a 200 body', async () => {
    const braze = await faulty(only('resetMidBody'));
    const response = await fetch(seriesUrl(braze));
    expect(response.status).toBe(200);
    const declared = Number(response.headers.get('content-length'));
    expect(declared).toBe(JSON.stringify(defaultSeries(SERIES_QUERY)).length);
    await expect(response.text()).rejects.toThrow();
  });

  it('hangs until the client lets go, and counts the hang as open meanwhile', async () => {
    const braze = await faulty(only('hang'));
    const aborter = new AbortController();
    const hanging = fetch(seriesUrl(braze), { signal: aborter.signal });
    await expect.poll(async () => (await statsOf(braze)).hangsOpen).toBe(1);
    aborter.abort();
    await expect(hanging).rejects.toThrow();
    await expect.poll(async () => (await statsOf(braze)).hangsOpen).toBe(0);
    expect((await statsOf(braze)).byOutcome.hang).toBe(1);
  });

  it('refuses parameters Braze would refuse, with 400, and draws no outcome for them', async () => {
    const braze = await faulty(SOAK_PLAN);
    const response = await fetch(seriesUrl(braze, { ...SERIES_QUERY, length: '101' }));
    expect(response.status).toBe(400);
    const stats = await statsOf(braze);
    expect(stats).toMatchObject({ total: 1, rejected: 1 });
    expect(Object.values(stats.byOutcome).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('draws the same outcomes from the same seed, in the planned proportions', async () => {
    const CALLS = 1000;
    const byOutcome = async (seed: number): Promise<Readonly<Record<Outcome, number>>> => {
      const braze = await faulty(SOAK_PLAN, seed);
      // Ten at a time; a hang ends at the client's deadline.
      for (let i = 0; i < CALLS; i += 10) {
        await Promise.all(
          Array.from({ length: 10 }, () =>
            fetch(seriesUrl(braze), { signal: AbortSignal.timeout(200) }).then((r) => r.arrayBuffer(), () => undefined).catch(() => undefined),
          ),
        );
      }
      const stats = await statsOf(braze);
      expect(stats).toMatchObject({ total: CALLS, rejected: 0, plan: SOAK_PLAN });
      return stats.byOutcome;
    };
    const first = await byOutcome(1);
    expect(await byOutcome(1)).toEqual(first);
    expect(Object.values(first).reduce((a, b) => a + b, 0)).toBe(CALLS);
    // Every outcome occurs, and ok is about 90 % of 1000 calls.
    for (const outcome of OUTCOMES) expect(first[outcome], outcome).toBeGreaterThan(0);
    expect(first.ok).toBeGreaterThan(860);
    expect(first.ok).toBeLessThan(940);
  });
});
