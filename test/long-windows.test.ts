import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultResponder, seriesInTimeZone, type FakeBraze } from '../testkit/fakeBraze.js';
import { startGatewayWithFakeBraze, startTestGateway, stopGatewayWithFakeBraze, useGatewayWithFakeBraze, type TestGateway } from './helpers/gateway.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Days since 1970-01-01 of a `YYYY-MM-DD`: what seriesInTimeZone puts in each DAY point. */
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY;
const dateOfDay = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);

interface Point {
  time: string;
  count: number;
}
interface Series {
  length: number;
  brazeCalls: number;
  total: number;
  points: Point[];
}

describe('windows longer than Braze serves in one call (local fake Braze in New York time)', () => {
  const { braze, gateway } = useGatewayWithFakeBraze({ BRAZE_RETRY_BASE_MS: '5', BRAZE_RETRY_MAX_MS: '10', BRAZE_MAX_ATTEMPTS: '1' });
  const inNewYork = () => braze.respond((call) => ({ body: seriesInTimeZone(call.query, 'America/New_York', call.path) }));
  afterEach(() => braze.respond(defaultResponder));

  it('365 days ending mid-day: 5 calls on the grid, stitched into the 365 local days ending with endingAt’s, each once', async () => {
    inNewYork();
    // 15:30Z is 10:30 in New York: the last bucket is New York's 2025-06-15.
    const result = await gateway.query<{ s: Series }>(`{ s: eventSeries(event: "e", length: 365, endingAt: "2025-06-15T15:30:00Z") { length brazeCalls total points { time count } } }`);
    expect(result.errors).toEqual([]);
    // 2025-06-15T15:30Z is 20,253 whole days after the grid's anchor (1970-01-01T18:00Z), 57 days past its
    // last grid point (99 × 204 days: 2025-04-18T18:00Z). The newest chunk holds 2025-04-19 … 2025-06-15 (58
    // days); grid chunks of 100 days step back 99 days until one reaches the window's first day, 2024-06-16.
    expect(braze.calls.map((c) => c.query).sort((a, b) => a['ending_at']!.localeCompare(b['ending_at']!))).toEqual([
      { event: 'e', length: '100', unit: 'day', ending_at: '2024-06-25T18:00:00Z' },
      { event: 'e', length: '100', unit: 'day', ending_at: '2024-10-02T18:00:00Z' },
      { event: 'e', length: '100', unit: 'day', ending_at: '2025-01-09T18:00:00Z' },
      { event: 'e', length: '100', unit: 'day', ending_at: '2025-04-18T18:00:00Z' },
      { event: 'e', length: '58', unit: 'day', ending_at: '2025-06-15T15:30:00Z' },
    ]);
    const last = dayNumber('2025-06-15');
    const days = Array.from({ length: 365 }, (_, i) => last - 364 + i);
    const series = result.data!.s;
    expect(series.length).toBe(365);
    expect(series.brazeCalls).toBe(5);
    expect(series.points.map((p) => p.count)).toEqual(days);
    expect(series.points.map((p) => p.time)).toEqual(days.map((d) => `${dateOfDay(d)}T00:00:00.000Z`));
    expect(series.total).toBe(days.reduce((a, b) => a + b, 0));
  });

  it('a window ending just after New York’s midnight (04:30Z, 00:30 EDT) starts and ends on New York’s days', async () => {
    inNewYork();
    const result = await gateway.query<{ s: Series }>(`{ s: eventSeries(event: "e", length: 150, endingAt: "2025-06-16T04:30:00Z") { brazeCalls points { time count } } }`);
    expect(result.errors).toEqual([]);
    const counts = result.data!.s.points.map((p) => p.count);
    const last = dayNumber('2025-06-16');
    expect(counts).toEqual(Array.from({ length: 150 }, (_, i) => last - 149 + i));
    expect(result.data!.s.brazeCalls).toBe(braze.calls.length);
  });

  it('a week by hour ending mid-hour: 168 consecutive hours, the last holding endingAt, in 3 calls', async () => {
    inNewYork();
    const result = await gateway.query<{ s: Series }>(`{ s: eventSeries(event: "e", length: 168, unit: HOUR, endingAt: "2025-06-15T15:30:00Z") { brazeCalls points { time count } } }`);
    expect(result.errors).toEqual([]);
    // Hour grid points are :50 past the hour, every 99 hours; the newest chunk holds 2025-06-14T19:00 … 15:00.
    expect(braze.calls.map((c) => [c.query['length'], c.query['unit'], c.query['ending_at']]).sort((a, b) => a[2]!.localeCompare(b[2]!))).toEqual([
      ['100', 'hour', '2025-06-10T15:50:00Z'],
      ['100', 'hour', '2025-06-14T18:50:00Z'],
      ['21', 'hour', '2025-06-15T15:30:00Z'],
    ]);
    const lastHour = Date.parse('2025-06-15T15:00:00Z');
    const hours = Array.from({ length: 168 }, (_, i) => lastHour - (167 - i) * HOUR);
    expect(result.data!.s.points.map((p) => p.time)).toEqual(hours.map((h) => new Date(h).toISOString()));
    expect(result.data!.s.points.map((p) => p.count)).toEqual(hours.map((h) => h / HOUR));
    expect(result.data!.s.brazeCalls).toBe(3);
  });

  it('a shorter series of the same window is served by the newest chunk (coalescing), and chunks shared by two series are one call', async () => {
    inNewYork();
    const result = await gateway.query<{ short: Series; long: Series; longer: Series }>(`{
      short: eventSeries(event: "e", length: 20, endingAt: "2025-06-15T15:30:00Z") { brazeCalls points { count } }
      long: eventSeries(event: "e", length: 365, endingAt: "2025-06-15T15:30:00Z") { brazeCalls points { count } }
      longer: eventSeries(event: "e", length: 460, endingAt: "2025-06-15T15:30:00Z") { brazeCalls points { count } }
    }`);
    expect(result.errors).toEqual([]);
    // 460 days reach 2024-03-13, one grid chunk further back than 365 days; everything else is shared.
    expect(result.data!.long.brazeCalls).toBe(5);
    expect(result.data!.longer.brazeCalls).toBe(6);
    expect(braze.calls).toHaveLength(6);
    expect(result.data!.short.brazeCalls).toBe(1);
    expect(result.data!.short.points).toEqual(result.data!.long.points.slice(-20));
    expect(result.data!.long.points).toEqual(result.data!.longer.points.slice(-365));
  });

  it('every series field takes long windows, each with its own endpoint’s parameters', async () => {
    const result = await gateway.query<Record<string, { brazeCalls: number; points: unknown[] }>>(`{
      dau: kpiSeries(kpi: DAILY_ACTIVE_USERS, length: 120, endingAt: "2025-06-15T15:30:00Z") { brazeCalls points { value } }
      sessions: sessionSeries(length: 120, unit: HOUR, endingAt: "2025-06-15T15:30:00Z") { brazeCalls points { value } }
      revenue: purchaseSeries(measure: REVENUE, length: 120, endingAt: "2025-06-15T15:30:00Z") { brazeCalls ... on PurchaseRevenueSeries { points { date } } }
      segment: segment(id: "segment-001") { sizeSeries(length: 120, endingAt: "2025-06-15T15:30:00Z") { brazeCalls points { value } } }
    }`);
    expect(result.errors).toEqual([]);
    const seriesCalls = braze.calls.filter((c) => c.path.endsWith('_series'));
    expect(seriesCalls.map((c) => `${c.path} ${c.query['length']} ${c.query['unit'] ?? '-'} ${c.query['ending_at']}`).sort()).toEqual(
      [
        '/kpi/dau/data_series 100 - 2025-04-18T18:00:00Z',
        '/kpi/dau/data_series 58 - 2025-06-15T15:30:00Z',
        '/sessions/data_series 100 hour 2025-06-10T15:50:00Z',
        '/sessions/data_series 100 hour 2025-06-14T18:50:00Z',
        '/sessions/data_series 21 hour 2025-06-15T15:30:00Z',
        '/purchases/revenue_series 100 day 2025-04-18T18:00:00Z',
        '/purchases/revenue_series 58 day 2025-06-15T15:30:00Z',
        '/segments/data_series 100 - 2025-04-18T18:00:00Z',
        '/segments/data_series 58 - 2025-06-15T15:30:00Z',
      ].sort(),
    );
    for (const series of [result.data!['dau'], result.data!['revenue']]) expect(series).toMatchObject({ brazeCalls: 2 });
    expect(result.data!['sessions']).toMatchObject({ brazeCalls: 3 });
    expect(result.data!['segment']).toMatchObject({ sizeSeries: { brazeCalls: 2 } });
    expect(result.data!['dau']!.points).toHaveLength(120);
    expect(result.data!['sessions']!.points).toHaveLength(120);
  });

  it('one chunk failing fails its series alone, with the upstream code; the other fields still arrive', async () => {
    braze.respond((call) => (call.query['ending_at'] === '2025-04-18T18:00:00Z' && call.query['event'] === 'broken' ? { status: 500, body: {} } : { body: seriesInTimeZone(call.query, 'UTC', call.path) }));
    const result = await gateway.query<{ broken: Series | null; fine: Series }>(`{
      broken: eventSeries(event: "broken", length: 120, endingAt: "2025-06-15T15:30:00Z") { total }
      fine: eventSeries(event: "fine", length: 120, endingAt: "2025-06-15T15:30:00Z") { brazeCalls points { count } }
    }`);
    expect(result.data?.broken).toBeNull();
    expect(result.errors.map((e) => [e.path, e.extensions?.['code']])).toEqual([[['broken'], 'UPSTREAM_UNAVAILABLE']]);
    expect(result.data?.fine.points).toHaveLength(120);
  });

  it('beyond SERIES_MAX_LENGTH: BAD_USER_INPUT naming the bound, and no call', async () => {
    const result = await gateway.query(`{ eventSeries(event: "e", length: 1001) { total } }`);
    expect(result.errors.map((e) => [e.message, e.extensions?.['code']])).toEqual([['length must be between 1 and 1000 (inclusive), got 1001', 'BAD_USER_INPUT']]);
    expect(braze.calls).toEqual([]);
  });
});

describe('chunks count against BRAZE_MAX_CALLS_PER_REQUEST', () => {
  const { braze, gateway } = useGatewayWithFakeBraze({ BRAZE_MAX_CALLS_PER_REQUEST: '15' });

  it('three 365-day series take 15 calls; a fourth series fails with TOO_MANY_UPSTREAM_CALLS and makes none', async () => {
    const at = '2025-06-15T15:30:00Z';
    const result = await gateway.query<Record<string, Series | null>>(`{
      a: eventSeries(event: "a", length: 365, endingAt: "${at}") { brazeCalls }
      b: eventSeries(event: "b", length: 365, endingAt: "${at}") { brazeCalls }
      c: eventSeries(event: "c", length: 365, endingAt: "${at}") { brazeCalls }
      d: eventSeries(event: "d", length: 365, endingAt: "${at}") { brazeCalls }
    }`);
    expect(braze.calls).toHaveLength(15);
    expect(braze.calls.filter((c) => c.query['event'] === 'd')).toEqual([]);
    expect(result.data).toEqual({ a: { brazeCalls: 5 }, b: { brazeCalls: 5 }, c: { brazeCalls: 5 }, d: null });
    expect(result.errors.map((e) => [e.path, e.extensions?.['code']])).toEqual([[['d'], 'TOO_MANY_UPSTREAM_CALLS']]);
  });
});

describe('a moving "last 365 days" with the cache on', () => {
  let braze: FakeBraze | undefined;
  let gateway: TestGateway | undefined;
  beforeAll(async () => {
    ({ braze, gateway } = await startGatewayWithFakeBraze({ CACHE_ENABLED: 'true' }));
    braze.respond((call) => ({ body: seriesInTimeZone(call.query, 'UTC', call.path) }));
  });
  afterAll(() => stopGatewayWithFakeBraze({ braze, gateway }));

  it('the next day costs one call: the grid chunks, settled, come from the cache', async () => {
    const query = (at: string) => gateway!.post(`{ eventSeries(event: "e", length: 365, endingAt: "${at}") { brazeCalls points { count } } }`);
    const first = await (await query('2025-06-15T15:30:00Z')).json();
    expect(first.extensions.brazeCache).toMatchObject({ hits: 0, misses: 5 });
    expect(braze!.calls).toHaveLength(5);
    const next = await (await query('2025-06-16T15:30:00Z')).json();
    expect(next.errors).toBeUndefined();
    expect(next.extensions.brazeCache).toMatchObject({ hits: 4, misses: 1 });
    expect(braze!.calls).toHaveLength(6);
    expect(braze!.calls[5]?.query).toMatchObject({ length: '59', ending_at: '2025-06-16T15:30:00Z' });
    const counts = next.data.eventSeries.points.map((p: { count: number }) => p.count);
    const last = dayNumber('2025-06-16');
    expect(counts).toEqual(Array.from({ length: 365 }, (_, i) => last - 364 + i));
  });
});

describe('long windows in demo mode (the built-in simulator)', () => {
  let gateway: TestGateway | undefined;
  beforeAll(async () => {
    gateway = await startTestGateway(undefined, {});
  });
  afterAll(() => gateway?.close());

  it('a year by day is 365 consecutive days from 5 simulated calls', async () => {
    const result = await gateway!.query<{ s: { brazeCalls: number; points: { time: string }[] } }>(`{ s: eventSeries(event: "purchase", length: 365, endingAt: "2025-06-15T15:30:00Z") { brazeCalls points { time } } }`);
    expect(result.errors).toEqual([]);
    const times = result.data!.s.points.map((p) => Date.parse(p.time));
    expect(times).toHaveLength(365);
    expect(times.at(-1)).toBe(Date.parse('2025-06-15T00:00:00Z'));
    expect(times.every((t, i) => i === 0 || t - times[i - 1]! === DAY)).toBe(true);
    expect(result.data!.s.brazeCalls).toBe(5);
  });
});
