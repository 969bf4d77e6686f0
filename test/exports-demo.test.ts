import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMULATED_CAMPAIGNS } from '../src/endpoints/simulated/campaigns.js';
import { SIMULATED_ATTRIBUTES, SIMULATED_EVENT_DETAILS } from '../src/endpoints/simulated/exports.js';
import { simulatedSendDay } from '../src/endpoints/simulated/sends.js';
import { startTestGateway, type TestGateway, type WireResult } from './helpers/gateway.js';

/**
 * Demo mode (the simulated Braze, no key) answers the three endpoints of issue 21: custom attributes
 * and custom event details paged through Link headers as Braze pages them, and a send of an API
 * campaign per day.
 */
let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway(undefined);
});
afterAll(async () => {
  await gateway.close();
});

const DAY_MS = 86_400_000;

describe('demo mode: customAttributes and CustomEvent details (GET /custom_attributes, GET /events)', () => {
  it('customAttributes walks the simulated list through its Link headers: all 128, every field, in order', async () => {
    const seen: unknown[] = [];
    let after: string | null = null;
    for (let request = 0; request < 5; request++) {
      const result: WireResult<{ customAttributes: { nodes: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }> = await gateway.query(
        'query ($after: String) { customAttributes(first: 40, after: $after) { nodes { name dataType description tags status arrayLength } pageInfo { hasNextPage endCursor } } }',
        { after },
      );
      expect(result.errors).toEqual([]);
      seen.push(...(result.data?.customAttributes.nodes ?? []));
      if (!result.data?.customAttributes.pageInfo.hasNextPage) break;
      after = result.data.customAttributes.pageInfo.endCursor;
    }
    expect(seen).toEqual(
      SIMULATED_ATTRIBUTES.map((attribute) => ({
        name: attribute.name,
        dataType: attribute.data_type,
        description: attribute.description,
        tags: attribute.tag_names,
        status: attribute.status,
        arrayLength: attribute.array_length,
      })),
    );
    expect(new Set(SIMULATED_ATTRIBUTES.map((attribute) => attribute.data_type))).toEqual(new Set(['Number', 'Object', 'Boolean', 'Object Array', 'Time', 'String', 'Array']));
  });

  it('every listed event has its details, the last page too', async () => {
    const result = await gateway.query<{ customEvents: { nodes: unknown[] } }>(
      `{ customEvents(first: 250, after: "${Buffer.from('offset:49').toString('base64')}") { nodes { name description tags includedInAnalyticsReport status } } }`,
    );
    expect(result.errors).toEqual([]);
    expect(result.data?.customEvents.nodes).toEqual(
      SIMULATED_EVENT_DETAILS.slice(50, 300).map((event) => ({
        name: event.name,
        description: event.description,
        tags: event.tag_names,
        includedInAnalyticsReport: event.included_in_analytics_report,
        status: event.status,
      })),
    );
  });
});

describe('demo mode: Campaign.sendSeries (GET /sends/data_series)', () => {
  const apiCampaign = SIMULATED_CAMPAIGNS.find((campaign) => campaign.isApiCampaign && campaign.enabled)!;
  const otherCampaign = SIMULATED_CAMPAIGNS.find((campaign) => !campaign.isApiCampaign)!;

  it('any send id of an API campaign: nothing before its day, most on it, less after; the same numbers twice', async () => {
    const query = `{ campaign(id: "${apiCampaign.id}") { sendSeries(sendId: "demo-send-1", length: 20) { points { date uniqueRecipients revenue channels { channel sent: stats { name value } } } totals { conversions revenue } } } }`;
    const first = await gateway.query<{ campaign: { sendSeries: { points: { date: string; uniqueRecipients: number }[]; totals: { conversions: number } } } }>(query);
    const second = await gateway.query(query);
    expect(first.errors).toEqual([]);
    expect(second.data).toEqual(first.data);
    const points = first.data!.campaign.sendSeries.points;
    expect(points).toHaveLength(20);
    // The send's day (within the 14 days before now) and what Braze would have of it.
    const sentOn = new Date(simulatedSendDay('demo-send-1', Date.now())).toISOString().slice(0, 10);
    const before = points.filter((point) => point.date < sentOn);
    const on = points.find((point) => point.date === sentOn);
    expect(before.every((point) => point.uniqueRecipients === 0)).toBe(true);
    expect(on?.uniqueRecipients).toBeGreaterThan(0);
    for (const point of points.filter((candidate) => candidate.date > sentOn)) expect(point.uniqueRecipients).toBeLessThanOrEqual(on!.uniqueRecipients);
    expect(first.data!.campaign.sendSeries.totals.conversions).toBeGreaterThan(0);
  });

  it('a campaign that is not an API campaign: Braze\'s refusal on that field (its code says which)', async () => {
    const result = await gateway.query<{ campaign: { name: string; sendSeries: null } }>(`{ campaign(id: "${otherCampaign.id}") { name sendSeries(sendId: "s", length: 3) { length } } }`);
    expect(result.data?.campaign).toEqual({ name: otherCampaign.name, sendSeries: null });
    expect(result.errors.map((error) => error.extensions?.['code'])).toEqual(['UPSTREAM_BAD_REQUEST']);
  });

  it('simulated days are whole days of the series window', () => {
    expect(simulatedSendDay('x', Date.UTC(2024, 2, 10, 13)) % DAY_MS).toBe(0);
    expect(Date.UTC(2024, 2, 10) - simulatedSendDay('x', Date.UTC(2024, 2, 10, 13))).toBeLessThan(14 * DAY_MS);
  });
});
