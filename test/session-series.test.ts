import { describe, expect, it } from 'vitest';
import { SessionSeriesDocument } from './generated/graphql.js';
import { defaultSeries } from '../testkit/fakeBraze.js';
import { useGatewayWithFakeBraze } from './helpers/gateway.js';
import { withoutTypenames } from './helpers/typenames.js';

const { braze, gateway } = useGatewayWithFakeBraze({ BRAZE_RETRY_BASE_MS: '5', BRAZE_RETRY_MAX_MS: '10' });

const AT = '2024-03-10T12:00:00Z';

describe('sessionSeries: GET /sessions/data_series', () => {
  it('calls Braze with length, unit and ending_at, and answers its daily points exactly', async () => {
    const result = await gateway.execute(SessionSeriesDocument, { length: 3, endingAt: AT });
    expect(result.errors).toEqual([]);
    expect(braze.calls.map((c) => [c.method, c.path, c.query])).toEqual([['GET', '/sessions/data_series', { length: '3', unit: 'day', ending_at: AT }]]);
    expect(result.data?.sessionSeries).toMatchObject({ unit: 'DAY', length: 3, appId: null, segmentId: null, endingAt: '2024-03-10T12:00:00.000Z', total: 6 });
    expect(withoutTypenames(result.data?.sessionSeries?.points)).toEqual([
      { time: '2024-03-08T00:00:00.000Z', date: '2024-03-08', value: 1 },
      { time: '2024-03-09T00:00:00.000Z', date: '2024-03-09', value: 2 },
      { time: '2024-03-10T00:00:00.000Z', date: '2024-03-10', value: 3 },
    ]);
  });

  it('hourly, filtered by app and segment: every parameter sent, points without a date', async () => {
    const result = await gateway.execute(SessionSeriesDocument, { length: 2, unit: 'HOUR', endingAt: AT, appId: 'app-1', segmentId: 'seg-1' });
    expect(result.errors).toEqual([]);
    expect(braze.calls.map((c) => c.query)).toEqual([{ length: '2', unit: 'hour', ending_at: AT, app_id: 'app-1', segment_id: 'seg-1' }]);
    expect(result.data?.sessionSeries).toMatchObject({ unit: 'HOUR', appId: 'app-1', segmentId: 'seg-1', total: 3 });
    expect(withoutTypenames(result.data?.sessionSeries?.points)).toEqual([
      { time: '2024-03-10T11:00:00.000Z', date: null, value: 1 },
      { time: '2024-03-10T12:00:00.000Z', date: null, value: 2 },
    ]);
  });

  it.each([
    ['length 0', { length: 0 }, 'length'],
    ['length 1001 (over SERIES_MAX_LENGTH)', { length: 1001 }, 'length'],
    ['a blank appId', { length: 7, appId: '' }, 'appId'],
    ['a blank segmentId', { length: 7, segmentId: ' ' }, 'segmentId'],
    ['a segmentId over 128 characters', { length: 7, segmentId: 's'.repeat(129) }, 'segmentId'],
  ])('refuses %s with BAD_USER_INPUT naming the argument, and calls no one', async (_name, args, argument) => {
    const result = await gateway.execute(SessionSeriesDocument, { endingAt: AT, ...args });
    expect(result.data?.sessionSeries).toBeNull();
    expect(result.errors.map((e) => e.extensions)).toEqual([{ code: 'BAD_USER_INPUT', argument }]);
    expect(braze.calls).toHaveLength(0);
  });

  it('two aliases of one series are one call; lengths 7 and 30 of one window are one call of 30', async () => {
    const result = await gateway.query<Record<string, { total: number }>>(`{
      a: sessionSeries(length: 7, endingAt: "${AT}", appId: "x") { total }
      b: sessionSeries(length: 7, endingAt: "${AT}", appId: "x") { total }
      month: sessionSeries(length: 30, endingAt: "${AT}", appId: "x") { total }
      hourly: sessionSeries(length: 7, unit: HOUR, endingAt: "${AT}", appId: "x") { total }
    }`);
    expect(result.errors).toEqual([]);
    expect(result.data).toEqual({ a: { total: 189 }, b: { total: 189 }, month: { total: 465 }, hourly: { total: 28 } });
    expect(braze.calls.map((c) => [c.query['unit'], c.query['length']]).sort()).toEqual([
      ['day', '30'],
      ['hour', '7'],
    ]);
  });

  it('a Braze failure fails the session series only: a KPI series in the same request arrives', async () => {
    braze.respond((call) => (call.path === '/sessions/data_series' ? { status: 404, body: { message: 'Not Found' } } : { body: defaultSeries(call.query, call.path) }));
    const result = await gateway.query(`{
      sessionSeries(length: 2, endingAt: "${AT}") { total }
      kpiSeries(kpi: DAILY_ACTIVE_USERS, length: 2, endingAt: "${AT}") { total }
    }`);
    expect(result.data).toEqual({ sessionSeries: null, kpiSeries: { total: 3 } });
    expect(result.errors.map((e) => [e.path, e.extensions?.['code']])).toEqual([[['sessionSeries'], 'UPSTREAM_NOT_FOUND']]);
    braze.respond((call) => ({ body: defaultSeries(call.query, call.path) }));
  });

  it('sessions past 2^31 - 1 are carried; a total past 2^53 - 1 is RESULT_OUT_OF_RANGE', async () => {
    braze.respond(() => ({
      body: { message: 'success', data: [{ time: '2024-03-09', sessions: 3_000_000_000 }, { time: '2024-03-10', sessions: Number.MAX_SAFE_INTEGER }] },
    }));
    const points = await gateway.query(`{ sessionSeries(length: 2, endingAt: "${AT}") { points { value } } }`);
    expect(points.data).toEqual({ sessionSeries: { points: [{ value: 3_000_000_000 }, { value: Number.MAX_SAFE_INTEGER }] } });
    const total = await gateway.query(`{ sessionSeries(length: 2, endingAt: "${AT}") { total } }`);
    expect(total.data).toEqual({ sessionSeries: null });
    expect(total.errors.map((e) => [e.path, e.extensions?.['code']])).toEqual([[['sessionSeries', 'total'], 'RESULT_OUT_OF_RANGE']]);
    braze.respond((call) => ({ body: defaultSeries(call.query, call.path) }));
  });
});
