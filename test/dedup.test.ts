import { describe, expect, it } from 'vitest';
import { DashboardDocument } from './generated/graphql.js';
import { useGatewayWithFakeBraze } from './helpers/gateway.js';

const { braze, gateway } = useGatewayWithFakeBraze({ BRAZE_RETRY_BASE_MS: '5', BRAZE_RETRY_MAX_MS: '10' });

describe('within one GraphQL request, identical upstream calls are made once', () => {
  it('aliases, a fragment and the same instant in another offset share one call; other parameters do not', async () => {
    const result = await gateway.execute(DashboardDocument, {
      event: 'purchase',
      endingAt: '2024-03-10T12:00:00Z',
      sameInstantOtherOffset: '2024-03-10T07:00:00-05:00',
    });
    expect(result.errors).toEqual([]);
    expect(result.data?.daily?.total).toBe(28);
    expect(result.data?.dailyAgain?.total).toBe(28);
    expect(result.data?.dailyOtherOffset?.total).toBe(28);
    expect(result.data?.hourly?.total).toBe(300);
    expect(braze.seriesCalls.map((c) => [c.query['unit'], c.query['length'], c.query['ending_at']]).sort()).toEqual([
      ['day', '7', '2024-03-10T12:00:00Z'],
      ['hour', '24', '2024-03-10T12:00:00Z'],
    ]);
  });

  it('omitting endingAt in several fields is one call, at one instant', async () => {
    const result = await gateway.query<Record<string, { endingAt: string; total: number }>>(`{
      a: eventSeries(event: "e", length: 3) { endingAt total }
      b: eventSeries(event: "e", length: 3) { endingAt total }
      c: eventSeries(event: "e", length: 3, unit: DAY) { endingAt }
    }`);
    expect(result.errors).toEqual([]);
    expect(braze.seriesCalls).toHaveLength(1);
    expect(result.data?.['a']?.endingAt).toBe(result.data?.['b']?.endingAt);
    expect(result.data?.['a']?.endingAt).toBe(result.data?.['c']?.endingAt);
  });

  it('fields inside inline fragments and named fragments are deduplicated too', async () => {
    const result = await gateway.query(`
      query {
        ... on Query { x: eventSeries(event: "e", length: 2, endingAt: "2024-01-01T00:00:00Z") { total } }
        ...More
      }
      fragment More on Query {
        y: eventSeries(event: "e", length: 2, endingAt: "2024-01-01T01:00:00+01:00") { total }
      }`);
    expect(result.errors).toEqual([]);
    expect(result.data).toEqual({ x: { total: 3 }, y: { total: 3 } });
    expect(braze.seriesCalls).toHaveLength(1);
  });

  it('each parameter that differs makes its own call (length aside: a longer window covers it)', async () => {
    const result = await gateway.query(`{
      base: eventSeries(event: "e", length: 2, endingAt: "2024-01-01T00:00:00Z") { total }
      event: eventSeries(event: "f", length: 2, endingAt: "2024-01-01T00:00:00Z") { total }
      length: eventSeries(event: "e", length: 3, endingAt: "2024-01-01T00:00:00Z") { total }
      unit: eventSeries(event: "e", length: 2, unit: HOUR, endingAt: "2024-01-01T00:00:00Z") { total }
      endingAt: eventSeries(event: "e", length: 2, endingAt: "2024-01-01T00:00:01Z") { total }
      appId: eventSeries(event: "e", length: 2, endingAt: "2024-01-01T00:00:00Z", appId: "a") { total }
      segmentId: eventSeries(event: "e", length: 2, endingAt: "2024-01-01T00:00:00Z", segmentId: "s") { total }
      both: eventSeries(event: "e", length: 2, endingAt: "2024-01-01T00:00:00Z", appId: "s") { total }
    }`);
    expect(result.errors).toEqual([]);
    expect(braze.seriesCalls).toHaveLength(7);
    expect(braze.seriesCalls.filter((c) => c.query['event'] === 'e' && c.query['unit'] === 'day' && !c.query['app_id'] && !c.query['segment_id'] && c.query['ending_at'] === '2024-01-01T00:00:00Z').map((c) => c.query['length'])).toEqual(['3']);
  });

  it('two requests make two calls: the loader lives for one request only', async () => {
    const query = `{ eventSeries(event: "e", length: 2, endingAt: "2024-01-01T00:00:00Z") { total } }`;
    await gateway.query(query);
    await gateway.query(query);
    expect(braze.seriesCalls).toHaveLength(2);
  });

  it('a failed call is shared by the fields that asked for it: its retries are made once, not per field', async () => {
    braze.respond(() => ({ status: 503, body: { message: 'no capacity' } }));
    const result = await gateway.query(`{
      a: eventSeries(event: "e", length: 2, endingAt: "2024-01-01T00:00:00Z") { total }
      b: eventSeries(event: "e", length: 2, endingAt: "2024-01-01T00:00:00Z") { total }
    }`);
    expect(result.data).toEqual({ a: null, b: null });
    expect(result.errors.map((e) => [e.extensions?.['code'], e.extensions?.['attempts']])).toEqual([
      ['UPSTREAM_UNAVAILABLE', 3],
      ['UPSTREAM_UNAVAILABLE', 3],
    ]);
    expect(braze.seriesCalls).toHaveLength(3);
  });
});
