import { describe, expect, it } from 'vitest';
import { defaultResponder, type RecordedCall } from '../testkit/fakeBraze.js';
import { useGatewayPerTest } from './helpers/gateway.js';

/**
 * /campaigns/data_series spends its own bucket (50,000 a minute, braze-docs PR 6748): a campaign
 * series moves only that bucket, its reserve holds back only campaign series, and a 429 there fails
 * only campaign-series fields.
 */
const AT = '2024-03-10T12:00:00Z';
const BOTH = `{
  campaign(id: "c-1") { name series(length: 2, endingAt: "${AT}") { totals { conversions } } }
  kpi: kpiSeries(kpi: DAILY_ACTIVE_USERS, length: 2, endingAt: "${AT}") { total }
}`;
const RATE_LIMITS = `{ brazeRateLimits { bucket limit remaining paused } }`;

const start = useGatewayPerTest();

const isCampaignSeries = (call: RecordedCall): boolean => call.path === '/campaigns/data_series';
const resetIn = (seconds: number): string => String(Math.floor(Date.now() / 1000) + seconds);

describe('the campaign-series bucket', () => {
  it('a campaign series moves only its own bucket (50,000 a minute); details and KPI series the export bucket', async () => {
    const { gateway } = await start({ rateLimit: 5000 });
    const result = await gateway.query(`{ campaign(id: "c-1") { series(length: 2, endingAt: "${AT}") { length } } }`);
    expect(result.errors).toEqual([]);
    expect((await gateway.query(RATE_LIMITS)).data).toEqual({
      brazeRateLimits: [
        { bucket: 'EXPORT', limit: 5000, remaining: 4999, paused: false },
        { bucket: 'CAMPAIGN_SERIES', limit: 50000, remaining: 49999, paused: false },
      ],
    });
    expect((await gateway.query(`{ kpiSeries(kpi: NEW_USERS, length: 2, endingAt: "${AT}") { total } }`)).errors).toEqual([]);
    expect((await gateway.query(RATE_LIMITS)).data).toEqual({
      brazeRateLimits: [
        { bucket: 'EXPORT', limit: 5000, remaining: 4998, paused: false },
        { bucket: 'CAMPAIGN_SERIES', limit: 50000, remaining: 49999, paused: false },
      ],
    });
  });

  it('at its reserve: campaign series are held back with no call; details and KPI series are still made', async () => {
    const { braze, gateway } = await start();
    braze.respond(async (call) => ({
      ...(await defaultResponder(call)),
      // 400 left of the campaign-series bucket: below its default reserve of 500. The export bucket has room.
      headers: isCampaignSeries(call)
        ? { 'x-ratelimit-limit': '50000', 'x-ratelimit-remaining': '400', 'x-ratelimit-reset': resetIn(60) }
        : { 'x-ratelimit-limit': '250000', 'x-ratelimit-remaining': '200000', 'x-ratelimit-reset': resetIn(3600) },
    }));
    expect((await gateway.query(BOTH)).errors).toEqual([]);
    braze.calls.length = 0;

    const held = await gateway.query(BOTH.replaceAll('length: 2', 'length: 3'));
    expect(held.data).toEqual({ campaign: { name: 'Details of c-1', series: null }, kpi: { total: 6 } });
    expect(held.errors.map((e) => [e.path, e.extensions?.['code'], e.extensions?.['reserve'], e.extensions?.['attempts']])).toEqual([
      [['campaign', 'series'], 'UPSTREAM_RATE_LIMITED', true, 0],
    ]);
    // Details (export bucket) and the KPI series are asked; the campaign series is not.
    expect(braze.calls.map((c) => c.path).sort()).toEqual(['/campaigns/details', '/kpi/dau/data_series']);
    expect((await gateway.query(RATE_LIMITS)).data).toEqual({
      brazeRateLimits: [
        { bucket: 'EXPORT', limit: 250000, remaining: 200000, paused: false },
        { bucket: 'CAMPAIGN_SERIES', limit: 50000, remaining: 400, paused: true },
      ],
    });
  });

  it('a 429 there fails only campaign-series fields, in this request and the next', async () => {
    const { braze, gateway } = await start();
    braze.respond((call) =>
      isCampaignSeries(call)
        ? { status: 429, headers: { 'x-ratelimit-limit': '50000', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': resetIn(60) }, body: { message: 'slow down' } }
        : defaultResponder(call),
    );
    const first = await gateway.query(BOTH);
    expect(first.data).toEqual({ campaign: { name: 'Details of c-1', series: null }, kpi: { total: 3 } });
    expect(first.errors.map((e) => [e.path, e.extensions?.['code']])).toEqual([[['campaign', 'series'], 'UPSTREAM_RATE_LIMITED']]);

    braze.calls.length = 0;
    const second = await gateway.query(BOTH.replaceAll('length: 2', 'length: 3'));
    expect(second.data).toEqual({ campaign: { name: 'Details of c-1', series: null }, kpi: { total: 6 } });
    expect(braze.calls.filter((c) => !isCampaignSeries(c)).map((c) => c.path).sort()).toEqual(['/campaigns/details', '/kpi/dau/data_series']);
  });
});
