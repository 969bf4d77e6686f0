import { describe, expect, it } from 'vitest';
import { defaultSeries, type CannedAnswer, type RecordedCall } from '../testkit/fakeBraze.js';
import { useGatewayPerTest } from './helpers/gateway.js';

/**
 * Purchase series spend Braze's 1,000-an-hour list bucket, KPI and session series the export bucket.
 * Each bucket is metered on its own: a 429 or the reserve in one must not stop calls of the other.
 */
const AT = '2024-03-10T12:00:00Z';
const BOTH = `{
  purchase: purchaseSeries(measure: QUANTITY, length: 2, endingAt: "${AT}") { measure }
  kpi: kpiSeries(kpi: DAILY_ACTIVE_USERS, length: 2, endingAt: "${AT}") { total }
  sessions: sessionSeries(length: 2, endingAt: "${AT}") { total }
}`;
const RATE_LIMITS = `{ brazeRateLimits { bucket limit remaining paused } }`;

const start = useGatewayPerTest();

const isPurchase = (call: RecordedCall): boolean => call.path.startsWith('/purchases/');
const series = (call: RecordedCall): CannedAnswer => ({ body: defaultSeries(call.query, call.path) });
const resetInAnHour = (): string => String(Math.floor(Date.now() / 1000) + 3600);

describe('the bucket a series call spends', () => {
  it('a purchase series moves the list bucket, not the export bucket; a KPI series the export bucket only', async () => {
    const { gateway } = await start({ rateLimit: 5000 });
    const purchase = await gateway.query(`{ purchaseSeries(measure: REVENUE, length: 2, endingAt: "${AT}") { measure } }`);
    expect(purchase.errors).toEqual([]);
    expect((await gateway.query(RATE_LIMITS)).data).toEqual({ brazeRateLimits: [{ bucket: 'LISTS', limit: 5000, remaining: 4999, paused: false }] });

    const kpi = await gateway.query(`{ kpiSeries(kpi: NEW_USERS, length: 2, endingAt: "${AT}") { total } }`);
    expect(kpi.errors).toEqual([]);
    // Each bucket counts its own calls, as Braze's do: the KPI series is the export bucket's first; the list bucket keeps its 4,999.
    expect((await gateway.query(RATE_LIMITS)).data).toEqual({
      brazeRateLimits: [
        { bucket: 'EXPORT', limit: 5000, remaining: 4999, paused: false },
        { bucket: 'LISTS', limit: 5000, remaining: 4999, paused: false },
      ],
    });
  });
});

describe('a 429 or the reserve in one bucket does not stop series calls of the other', () => {
  it('a 429 in the list bucket: the purchase series fails, the KPI and session series of the same and the next request arrive', async () => {
    const { braze, gateway } = await start();
    braze.respond((call) =>
      isPurchase(call)
        ? { status: 429, headers: { 'x-ratelimit-limit': '1000', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': resetInAnHour() }, body: { message: 'slow down' } }
        : series(call),
    );
    const first = await gateway.query(BOTH);
    expect(first.data).toEqual({ purchase: null, kpi: { total: 3 }, sessions: { total: 3 } });
    expect(first.errors.map((e) => [e.path, e.extensions?.['code']])).toEqual([[['purchase'], 'UPSTREAM_RATE_LIMITED']]);

    braze.calls.length = 0;
    const second = await gateway.query(BOTH);
    expect(second.data).toMatchObject({ purchase: null, kpi: { total: 3 }, sessions: { total: 3 } });
    expect(braze.calls.filter((c) => !isPurchase(c)).map((c) => c.path).sort()).toEqual(['/kpi/dau/data_series', '/sessions/data_series']);
  });

  it('a 429 in the export bucket: the KPI and session series fail, the purchase series of the same and the next request arrives', async () => {
    const { braze, gateway } = await start();
    braze.respond((call) =>
      isPurchase(call)
        ? series(call)
        : { status: 429, headers: { 'x-ratelimit-limit': '250000', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': resetInAnHour() }, body: { message: 'slow down' } },
    );
    const first = await gateway.query(BOTH);
    expect(first.data).toEqual({ purchase: { measure: 'QUANTITY' }, kpi: null, sessions: null });
    expect(first.errors.map((e) => e.extensions?.['code'])).toEqual(['UPSTREAM_RATE_LIMITED', 'UPSTREAM_RATE_LIMITED']);

    braze.calls.length = 0;
    const second = await gateway.query(BOTH);
    expect(second.data).toMatchObject({ purchase: { measure: 'QUANTITY' }, kpi: null, sessions: null });
    expect(braze.calls.filter(isPurchase).map((c) => c.path)).toEqual(['/purchases/quantity_series']);
  });

  it('the list bucket at its reserve: purchase series are held back without a call, export-bucket series are still made', async () => {
    const { braze, gateway } = await start();
    braze.respond((call) => ({
      // 50 left of the list bucket: below the default list reserve of 100. The export bucket has room.
      headers: isPurchase(call)
        ? { 'x-ratelimit-limit': '1000', 'x-ratelimit-remaining': '50', 'x-ratelimit-reset': resetInAnHour() }
        : { 'x-ratelimit-limit': '250000', 'x-ratelimit-remaining': '200000', 'x-ratelimit-reset': resetInAnHour() },
      body: defaultSeries(call.query, call.path),
    }));
    expect((await gateway.query(BOTH)).errors).toEqual([]);
    braze.calls.length = 0;

    const held = await gateway.query(BOTH);
    expect(held.data).toEqual({ purchase: null, kpi: { total: 3 }, sessions: { total: 3 } });
    expect(held.errors.map((e) => [e.path, e.extensions?.['code'], e.extensions?.['reserve'], e.extensions?.['attempts']])).toEqual([
      [['purchase'], 'UPSTREAM_RATE_LIMITED', true, 0],
    ]);
    expect(braze.calls.map((c) => c.path).sort()).toEqual(['/kpi/dau/data_series', '/sessions/data_series']);
    expect((await gateway.query(RATE_LIMITS)).data).toEqual({
      brazeRateLimits: [
        { bucket: 'EXPORT', limit: 250000, remaining: 200000, paused: false },
        { bucket: 'LISTS', limit: 1000, remaining: 50, paused: true },
      ],
    });
  });

  it('the export bucket at its reserve: KPI and session series are held back without a call, purchase series are still made', async () => {
    const { braze, gateway } = await start();
    braze.respond((call) => ({
      // 500 left of the export bucket: below the default reserve of 1,000. The list bucket has room.
      headers: isPurchase(call)
        ? { 'x-ratelimit-limit': '1000', 'x-ratelimit-remaining': '900', 'x-ratelimit-reset': resetInAnHour() }
        : { 'x-ratelimit-limit': '250000', 'x-ratelimit-remaining': '500', 'x-ratelimit-reset': resetInAnHour() },
      body: defaultSeries(call.query, call.path),
    }));
    expect((await gateway.query(BOTH)).errors).toEqual([]);
    braze.calls.length = 0;

    const held = await gateway.query(BOTH);
    expect(held.data).toEqual({ purchase: { measure: 'QUANTITY' }, kpi: null, sessions: null });
    expect(held.errors.map((e) => [e.extensions?.['code'], e.extensions?.['reserve']])).toEqual([
      ['UPSTREAM_RATE_LIMITED', true],
      ['UPSTREAM_RATE_LIMITED', true],
    ]);
    expect(braze.calls.map((c) => c.path)).toEqual(['/purchases/quantity_series']);
  });
});
