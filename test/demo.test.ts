import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulatedBraze } from '../src/simulator/server.js';
import { EventSeriesDocument } from './generated/graphql.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startTestGateway(undefined);
});
afterAll(async () => {
  await gateway.close();
});

describe('demo mode: no BRAZE_API_KEY serves the built-in simulated Braze', () => {
  it('says so in the log, /health and GraphiQL', async () => {
    expect(gateway.running.simulated).toBe(true);
    expect(gateway.logs.some((l) => l.includes('SIMULATED Braze'))).toBe(true);
    const health = await (await fetch(new URL('/health', gateway.url))).json();
    expect(health).toMatchObject({ status: 'ok', braze: 'simulated', upstream: { circuit: 'closed' } });
    const page = await (await fetch(gateway.url, { headers: { accept: 'text/html' } })).text();
    expect(page).toContain('braze-analytics-gateway (simulated Braze)');
    expect(page).toContain('SIMULATED Braze');
    expect(page).toContain('eventSeries(event: \\"purchase\\", length: 7, unit: DAY)');
  });

  it('answers through the real client with plausible, deterministic series', async () => {
    const variables = { event: 'purchase', length: 14, endingAt: '2024-03-10T00:00:00Z' };
    const first = await gateway.execute(EventSeriesDocument, variables);
    const second = await gateway.execute(EventSeriesDocument, variables);
    expect(first.errors).toEqual([]);
    const series = first.data?.eventSeries;
    expect(series?.points).toHaveLength(14);
    expect(series?.points[0]?.time).toBe('2024-02-26T00:00:00.000Z');
    expect(series?.points[13]?.time).toBe('2024-03-10T00:00:00.000Z');
    expect(series?.points.every((p) => p.count > 0)).toBe(true);
    expect(series?.total).toBe(series?.points.reduce((sum, p) => sum + p.count, 0));
    expect(second.data).toEqual(first.data);
  });

  it('differs per event, app and segment, and has an hourly rhythm', async () => {
    const result = await gateway.query<Record<string, { total: number; points: { count: number }[] }>>(`{
      a: eventSeries(event: "purchase", length: 7, endingAt: "2024-03-10T00:00:00Z") { total points { count } }
      b: eventSeries(event: "signup", length: 7, endingAt: "2024-03-10T00:00:00Z") { total points { count } }
      c: eventSeries(event: "purchase", length: 7, endingAt: "2024-03-10T00:00:00Z", appId: "ios") { total points { count } }
      d: eventSeries(event: "purchase", length: 7, endingAt: "2024-03-10T00:00:00Z", segmentId: "vip") { total points { count } }
      h: eventSeries(event: "purchase", length: 24, unit: HOUR, endingAt: "2024-03-10T23:00:00Z") { total points { count } }
    }`);
    expect(result.errors).toEqual([]);
    const totals = ['a', 'b', 'c', 'd'].map((k) => result.data?.[k]?.total);
    expect(new Set(totals).size).toBe(4);
    const hourly = result.data?.['h']?.points.map((p) => p.count) ?? [];
    // Evenings (UTC) are busier than the small hours.
    expect(Math.max(...hourly.slice(15, 21))).toBeGreaterThan(2 * Math.max(...hourly.slice(3, 9)));
  });

  it('the simulator behaves like Braze at the HTTP level: key required, parameters checked, rate-limit headers', async () => {
    const simulated = await startSimulatedBraze();
    try {
      const { endpoint, apiKey } = simulated.target;
      const call = (query: string, key = apiKey) =>
        fetch(new URL(`/events/data_series?${query}`, endpoint), { headers: { authorization: `Bearer ${key}` } });
      expect((await call('event=e&length=1', 'wrong')).status).toBe(401);
      expect((await call('event=e&length=101')).status).toBe(400);
      expect((await call('event=e&length=1&unit=week')).status).toBe(400);
      expect((await call('length=1')).status).toBe(400);
      const ok = await call('event=e&length=2&unit=hour&ending_at=2024-03-10T05:30:00Z');
      expect(ok.status).toBe(200);
      expect(Number(ok.headers.get('x-ratelimit-limit'))).toBe(250000);
      expect(Number(ok.headers.get('x-ratelimit-remaining'))).toBeLessThan(250000);
      expect(Number(ok.headers.get('x-ratelimit-reset')) % 3600).toBe(0);
      const body = (await ok.json()) as { message: string; data: { time: string }[] };
      expect(body.message).toBe('success');
      expect(body.data.map((p) => p.time)).toEqual(['2024-03-10T04:00:00', '2024-03-10T05:00:00']);
    } finally {
      await simulated.close();
    }
  });
});
