import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulatedBraze } from '../src/simulator/server.js';
import { KpiSeriesDocument, PurchaseSeriesDocument, SessionSeriesDocument } from './generated/graphql.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startTestGateway(undefined);
});
afterAll(async () => {
  await gateway.close();
});

const AT = '2024-03-10T00:00:00Z';

interface Series {
  total: number | string | null;
  points: { value: number | string }[];
}

const EVERY_FIELD = `{
  dau: kpiSeries(kpi: DAILY_ACTIVE_USERS, length: 14, endingAt: "${AT}") { total points { value } }
  mau: kpiSeries(kpi: MONTHLY_ACTIVE_USERS, length: 14, endingAt: "${AT}") { total points { value } }
  newUsers: kpiSeries(kpi: NEW_USERS, length: 14, endingAt: "${AT}") { total points { value } }
  uninstalls: kpiSeries(kpi: UNINSTALLS, length: 14, endingAt: "${AT}") { total points { value } }
  sessions: sessionSeries(length: 14, endingAt: "${AT}") { total points { value } }
  hourlySessions: sessionSeries(length: 24, unit: HOUR, endingAt: "2024-03-10T23:00:00Z") { total points { value } }
  quantity: purchaseSeries(measure: QUANTITY, length: 14, endingAt: "${AT}") { ... on PurchaseQuantitySeries { total points { value } } }
  revenue: purchaseSeries(measure: REVENUE, length: 14, endingAt: "${AT}") { ... on PurchaseRevenueSeries { total points { value } } }
  hourlyRevenue: purchaseSeries(measure: REVENUE, length: 24, unit: HOUR, endingAt: "2024-03-10T23:00:00Z", product: "Rice Bowl") { ... on PurchaseRevenueSeries { total points { value } } }
}`;

const values = (series: Series | undefined): number[] => (series?.points ?? []).map((p) => Number(p.value));

describe('demo mode answers the KPI, session and purchase series with plausible, deterministic data', () => {
  it('every field answers, the same query twice gives the same numbers', async () => {
    const first = await gateway.query<Record<string, Series>>(EVERY_FIELD);
    const second = await gateway.query<Record<string, Series>>(EVERY_FIELD);
    expect(first.errors).toEqual([]);
    expect(second.data).toEqual(first.data);
    for (const [name, series] of Object.entries(first.data ?? {})) {
      expect(series.points.length, name).toBe(name.startsWith('hourly') ? 24 : 14);
      expect(values(series).every((v) => v > 0), name).toBe(true);
    }
  });

  it('different KPIs, measures, apps and products are different numbers', async () => {
    const { data, errors } = await gateway.query<Record<string, Series>>(`{
      dau: kpiSeries(kpi: DAILY_ACTIVE_USERS, length: 7, endingAt: "${AT}") { total points { value } }
      newUsers: kpiSeries(kpi: NEW_USERS, length: 7, endingAt: "${AT}") { total points { value } }
      uninstalls: kpiSeries(kpi: UNINSTALLS, length: 7, endingAt: "${AT}") { total points { value } }
      dauIos: kpiSeries(kpi: DAILY_ACTIVE_USERS, length: 7, endingAt: "${AT}", appId: "ios") { total points { value } }
      sessionsVip: sessionSeries(length: 7, endingAt: "${AT}", segmentId: "vip") { total points { value } }
      sessions: sessionSeries(length: 7, endingAt: "${AT}") { total points { value } }
      a: purchaseSeries(measure: QUANTITY, length: 7, endingAt: "${AT}", product: "a") { ... on PurchaseQuantitySeries { total points { value } } }
      b: purchaseSeries(measure: QUANTITY, length: 7, endingAt: "${AT}", product: "b") { ... on PurchaseQuantitySeries { total points { value } } }
    }`);
    expect(errors).toEqual([]);
    const totals = Object.values(data ?? {}).map((series) => series.total);
    expect(new Set(totals).size).toBe(totals.length);
  });

  it('looks like one workspace: DAU in the thousands, MAU above it and smooth, fewer new users, few uninstalls, sessions above DAU', async () => {
    const { data } = await gateway.query<Record<string, Series>>(EVERY_FIELD);
    const dau = values(data?.['dau']);
    const mau = values(data?.['mau']);
    expect(Math.min(...dau)).toBeGreaterThanOrEqual(1_000);
    expect(Math.min(...mau)).toBeGreaterThan(Math.max(...dau));
    // A rolling 30-day count barely moves from one day to the next.
    for (let i = 1; i < mau.length; i++) expect(Math.abs((mau[i] ?? 0) - (mau[i - 1] ?? 0)) / (mau[i - 1] ?? 1)).toBeLessThan(0.01);
    expect(data?.['mau']?.total).toBeNull();
    expect(Math.max(...values(data?.['newUsers']))).toBeLessThan(Math.min(...dau));
    expect(Math.max(...values(data?.['uninstalls']))).toBeLessThan(Math.max(...values(data?.['newUsers'])));
    expect(Math.min(...values(data?.['sessions']))).toBeGreaterThan(Math.max(...dau));
  });

  it('revenue has cents, as exact decimals whose total is their exact sum', async () => {
    const { data } = await gateway.query<Record<string, { total: string; points: { value: string }[] }>>(EVERY_FIELD);
    for (const name of ['revenue', 'hourlyRevenue']) {
      const series = data?.[name];
      expect(series?.points.every((p) => /^\d+(\.\d{1,2})?$/.test(p.value)), name).toBe(true);
      expect(series?.points.some((p) => /\.\d*[1-9]$/.test(p.value)), name).toBe(true);
      const cents = series?.points.reduce((sum, p) => sum + BigInt(Math.round(Number(p.value) * 100)), 0n) ?? 0n;
      expect(series?.total, name).toBe((Number(cents) / 100).toString());
    }
  });

  it('through the typed operations: DAY points carry their date, HOUR points none; buckets in the future are zero', async () => {
    const kpi = await gateway.execute(KpiSeriesDocument, { kpi: 'NEW_USERS', length: 3, endingAt: AT });
    expect(kpi.data?.kpiSeries?.points.map((p) => p.date)).toEqual(['2024-03-08', '2024-03-09', '2024-03-10']);
    const sessions = await gateway.execute(SessionSeriesDocument, { length: 2, unit: 'HOUR', endingAt: AT });
    expect(sessions.data?.sessionSeries?.points.map((p) => [p.time, p.date])).toEqual([
      ['2024-03-09T23:00:00.000Z', null],
      ['2024-03-10T00:00:00.000Z', null],
    ]);
    const future = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const revenue = await gateway.execute(PurchaseSeriesDocument, { measure: 'REVENUE', length: 7, endingAt: future });
    const series = revenue.data?.purchaseSeries;
    const points = series && 'revenuePoints' in series ? series.revenuePoints : [];
    expect(points.slice(-3).map((p) => p.value)).toEqual(['0', '0', '0']);
    expect(Number(points[0]?.value)).toBeGreaterThan(0);
  });

  it('the simulator serves every new path, in its own bucket, and checks parameters like Braze', async () => {
    const simulated = await startSimulatedBraze();
    try {
      const { endpoint, apiKey } = simulated.target;
      const call = (path: string, query: string) => fetch(new URL(`${path}?${query}`, endpoint), { headers: { authorization: `Bearer ${apiKey}` } });
      for (const [path, measure, limit] of [
        ['/kpi/dau/data_series', 'dau', 250_000],
        ['/kpi/mau/data_series', 'mau', 250_000],
        ['/kpi/new_users/data_series', 'new_users', 250_000],
        ['/kpi/uninstalls/data_series', 'uninstalls', 250_000],
        ['/sessions/data_series', 'sessions', 250_000],
        ['/purchases/quantity_series', 'purchase_quantity', 1_000],
        ['/purchases/revenue_series', 'revenue', 1_000],
      ] as const) {
        const ok = await call(path, 'length=2&ending_at=2024-03-10T05:30:00Z');
        expect(ok.status, path).toBe(200);
        expect(Number(ok.headers.get('x-ratelimit-limit')), path).toBe(limit);
        const body = (await ok.json()) as { message: string; data: Record<string, unknown>[] };
        expect(body.data.map((p) => p['time']), path).toEqual(['2024-03-09', '2024-03-10']);
        expect(body.data.every((p) => typeof p[measure] === 'number'), path).toBe(true);
        expect((await call(path, 'length=101')).status, path).toBe(400);
      }
    } finally {
      await simulated.close();
    }
  });
});
