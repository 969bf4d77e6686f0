import { describe, expect, it } from 'vitest';
import { KpiSeriesDocument, type Kpi } from './generated/graphql.js';
import { defaultSeries } from '../testkit/fakeBraze.js';
import { useGatewayWithFakeBraze } from './helpers/gateway.js';

const { braze, gateway } = useGatewayWithFakeBraze({ BRAZE_RETRY_BASE_MS: '5', BRAZE_RETRY_MAX_MS: '10' });

const AT = '2024-03-10T12:00:00Z';
const DATES = ['2024-03-04', '2024-03-05', '2024-03-06', '2024-03-07', '2024-03-08', '2024-03-09', '2024-03-10'];
const KPI_PATHS: readonly [Kpi, string][] = [
  ['DAILY_ACTIVE_USERS', '/kpi/dau/data_series'],
  ['MONTHLY_ACTIVE_USERS', '/kpi/mau/data_series'],
  ['NEW_USERS', '/kpi/new_users/data_series'],
  ['UNINSTALLS', '/kpi/uninstalls/data_series'],
];

describe('kpiSeries: GET /kpi/{dau,mau,new_users,uninstalls}/data_series', () => {
  it.each(KPI_PATHS)('%s calls %s with length and ending_at only (no unit: KPIs are daily)', async (kpi, path) => {
    const result = await gateway.execute(KpiSeriesDocument, { kpi, length: 7, endingAt: '2024-03-10T07:00:00-05:00' });
    expect(result.errors).toEqual([]);
    expect(braze.calls.map((c) => [c.method, c.path, c.query])).toEqual([['GET', path, { length: '7', ending_at: AT }]]);
    const series = result.data?.kpiSeries;
    expect(series).toMatchObject({ kpi, length: 7, appId: null, endingAt: '2024-03-10T12:00:00.000Z' });
    expect(series?.points.map((p) => p.date)).toEqual(DATES);
    expect(series?.points.map((p) => p.time)).toEqual(DATES.map((d) => `${d}T00:00:00.000Z`));
    expect(series?.points.map((p) => p.value)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('sends app_id when given, and totals every KPI but MAU (a rolling window: a sum means nothing)', async () => {
    const result = await gateway.query<Record<string, { total: number | null; appId: string | null }>>(`{
      dau: kpiSeries(kpi: DAILY_ACTIVE_USERS, length: 7, endingAt: "${AT}", appId: "app-1") { total appId }
      mau: kpiSeries(kpi: MONTHLY_ACTIVE_USERS, length: 7, endingAt: "${AT}", appId: "app-1") { total appId }
      newUsers: kpiSeries(kpi: NEW_USERS, length: 7, endingAt: "${AT}", appId: "app-1") { total appId }
      uninstalls: kpiSeries(kpi: UNINSTALLS, length: 7, endingAt: "${AT}", appId: "app-1") { total appId }
    }`);
    expect(result.errors).toEqual([]);
    expect(result.data).toEqual({
      dau: { total: 28, appId: 'app-1' },
      mau: { total: null, appId: 'app-1' },
      newUsers: { total: 28, appId: 'app-1' },
      uninstalls: { total: 28, appId: 'app-1' },
    });
    expect(braze.calls.map((c) => [c.path, c.query['app_id'], c.query['unit']]).sort()).toEqual([
      ['/kpi/dau/data_series', 'app-1', undefined],
      ['/kpi/mau/data_series', 'app-1', undefined],
      ['/kpi/new_users/data_series', 'app-1', undefined],
      ['/kpi/uninstalls/data_series', 'app-1', undefined],
    ]);
  });

  it('omitting endingAt asks Braze about the time of the request, rounded down to the minute (REQUEST_TIME_GRANULARITY_MS)', async () => {
    const before = Date.now();
    const result = await gateway.execute(KpiSeriesDocument, { kpi: 'DAILY_ACTIVE_USERS', length: 1 });
    expect(result.errors).toEqual([]);
    const sent = Date.parse(braze.calls[0]?.query['ending_at'] ?? '');
    expect(sent % 60_000).toBe(0);
    expect(sent).toBeGreaterThanOrEqual(Math.floor(before / 60_000) * 60_000);
    expect(sent).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(result.data?.kpiSeries?.endingAt ?? '')).toBe(sent);
  });

  it.each([
    ['length 0', { length: 0 }, 'length'],
    ['length 1001 (over SERIES_MAX_LENGTH)', { length: 1001 }, 'length'],
    ['a blank appId', { length: 7, appId: '  ' }, 'appId'],
    ['an appId over 128 characters', { length: 7, appId: 'a'.repeat(129) }, 'appId'],
  ])('refuses %s with BAD_USER_INPUT naming the argument, and calls no one', async (_name, args, argument) => {
    const result = await gateway.execute(KpiSeriesDocument, { kpi: 'DAILY_ACTIVE_USERS', endingAt: AT, ...args });
    expect(result.data?.kpiSeries).toBeNull();
    expect(result.errors.map((e) => e.extensions)).toEqual([{ code: 'BAD_USER_INPUT', argument }]);
    expect(result.errors[0]?.path).toEqual(['kpiSeries']);
    expect(braze.calls).toHaveLength(0);
  });

  it('an unknown KPI is refused by validation, before any call', async () => {
    const result = await gateway.query(`{ kpiSeries(kpi: WEEKLY_ACTIVE_USERS, length: 7) { total } }`);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.message).toContain('WEEKLY_ACTIVE_USERS');
    expect(braze.calls).toHaveLength(0);
  });

  it('the same KPI asked twice in one request is one call; another KPI is its own', async () => {
    const result = await gateway.query(`{
      a: kpiSeries(kpi: DAILY_ACTIVE_USERS, length: 7, endingAt: "${AT}") { total }
      b: kpiSeries(kpi: DAILY_ACTIVE_USERS, length: 7, endingAt: "2024-03-10T13:00:00+01:00") { total }
      c: kpiSeries(kpi: NEW_USERS, length: 7, endingAt: "${AT}") { total }
    }`);
    expect(result.errors).toEqual([]);
    expect(result.data).toEqual({ a: { total: 28 }, b: { total: 28 }, c: { total: 28 } });
    expect(braze.calls.map((c) => c.path).sort()).toEqual(['/kpi/dau/data_series', '/kpi/new_users/data_series']);
  });

  it('lengths 7 and 30 of one window are one call of 30: the 7 days are its last points', async () => {
    const result = await gateway.query<Record<string, { total: number; points: { date: string; value: number }[] }>>(`{
      week: kpiSeries(kpi: DAILY_ACTIVE_USERS, length: 7, endingAt: "${AT}") { total points { date value } }
      month: kpiSeries(kpi: DAILY_ACTIVE_USERS, length: 30, endingAt: "${AT}") { total }
    }`);
    expect(result.errors).toEqual([]);
    expect(braze.calls.map((c) => c.query)).toEqual([{ length: '30', ending_at: AT }]);
    expect(result.data?.['month']?.total).toBe(465);
    expect(result.data?.['week']?.points).toEqual(DATES.map((date, index) => ({ date, value: 24 + index })));
    expect(result.data?.['week']?.total).toBe(24 + 25 + 26 + 27 + 28 + 29 + 30);
  });

  it('a Braze failure fails that KPI only: the rest of the response arrives', async () => {
    braze.respond((call) =>
      call.path === '/kpi/mau/data_series' ? { status: 403, body: { message: 'no kpi.mau.data_series permission' } } : { body: defaultSeries(call.query, call.path) },
    );
    const result = await gateway.query(`{
      dau: kpiSeries(kpi: DAILY_ACTIVE_USERS, length: 7, endingAt: "${AT}") { total }
      mau: kpiSeries(kpi: MONTHLY_ACTIVE_USERS, length: 7, endingAt: "${AT}") { total }
    }`);
    expect(result.data).toEqual({ dau: { total: 28 }, mau: null });
    expect(result.errors.map((e) => [e.path, e.extensions?.['code'], e.extensions?.['upstreamStatus']])).toEqual([[['mau'], 'UPSTREAM_FORBIDDEN', 403]]);
    braze.respond((call) => ({ body: defaultSeries(call.query, call.path) }));
  });

  it("an answer in the wrong measure field is UPSTREAM_INVALID_RESPONSE naming Braze's field", async () => {
    braze.respond(() => ({ body: { message: 'success', data: [{ time: '2024-03-10', count: 5 }] } }));
    const result = await gateway.execute(KpiSeriesDocument, { kpi: 'UNINSTALLS', length: 1, endingAt: AT });
    expect(result.data?.kpiSeries).toBeNull();
    expect(result.errors[0]?.extensions?.['code']).toBe('UPSTREAM_INVALID_RESPONSE');
    expect(result.errors[0]?.message).toContain('data[0].uninstalls is not a non-negative integer');
    braze.respond((call) => ({ body: defaultSeries(call.query, call.path) }));
  });

  it('counts past 2^31 - 1 are carried (SafeInt); a total past 2^53 - 1 is RESULT_OUT_OF_RANGE, the points still arrive', async () => {
    const big = Number.MAX_SAFE_INTEGER - 1;
    braze.respond(() => ({ body: { message: 'success', data: [{ time: '2024-03-09', dau: big }, { time: '2024-03-10', dau: 2 }] } }));
    const result = await gateway.query<{ kpiSeries: { total: number | null; points: { value: number }[] } }>(
      `{ kpiSeries(kpi: DAILY_ACTIVE_USERS, length: 2, endingAt: "${AT}") { points { value } total } }`,
    );
    expect(result.data?.kpiSeries).toEqual({ points: [{ value: big }, { value: 2 }], total: null });
    expect(result.errors.map((e) => [e.path, e.extensions?.['code']])).toEqual([[['kpiSeries', 'total'], 'RESULT_OUT_OF_RANGE']]);
    braze.respond((call) => ({ body: defaultSeries(call.query, call.path) }));
  });
});
