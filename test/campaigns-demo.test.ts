import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMULATED_CAMPAIGNS } from '../src/endpoints/simulated/campaigns.js';
import { CampaignPickerDocument, CampaignResultsDocument } from './generated/graphql.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway(undefined);
});
afterAll(() => gateway.close());

const LIST = '{ campaigns(first: 3, includeArchived: true) { nodes { id name channels enabled } pageInfo { hasNextPage } } }';

describe('demo mode: campaigns with no key', () => {
  it('lists the simulated campaigns with their details, deterministically', async () => {
    const first = await gateway.query<{ campaigns: { nodes: { id: string; name: string; channels: string[] }[] } }>(LIST);
    expect(first.errors).toEqual([]);
    expect(first.data?.campaigns.nodes.map((n) => [n.id, n.name, n.channels])).toEqual(SIMULATED_CAMPAIGNS.slice(0, 3).map((c) => [c.id, c.name, c.channels]));
    expect((await gateway.query(LIST)).data).toEqual(first.data);
  });

  it('answers a series with per-family channel stats, zero after the campaign ends and plausible while it sends', async () => {
    const campaign = SIMULATED_CAMPAIGNS[2]!; // email, ios_push and android_push
    const endingAt = new Date((campaign.firstSentAt ?? 0) + 20 * 86_400_000).toISOString();
    const query = `{ campaign(id: "${campaign.id}") { series(length: 7, endingAt: "${endingAt}") { points { date uniqueRecipients channels { __typename channel ... on EmailStats { sent opens } ... on PushStats { sent directOpens } } } totals { conversions revenue } } } }`;
    const result = await gateway.query<{ campaign: { series: { points: { uniqueRecipients: number; channels: { __typename: string; sent: number }[] }[]; totals: { conversions: number } } } }>(query);
    expect(result.errors).toEqual([]);
    const { points, totals } = result.data!.campaign.series;
    expect(points).toHaveLength(7);
    for (const point of points) {
      expect(point.uniqueRecipients).toBeGreaterThan(0);
      expect(point.channels.map((c) => c.__typename)).toEqual(['EmailStats', 'PushStats', 'PushStats'].flatMap((type) => campaign.variations.map(() => type)));
      for (const channel of point.channels) expect(channel.sent).toBeLessThanOrEqual(point.uniqueRecipients);
    }
    expect(totals.conversions).toBeGreaterThan(0);
    expect((await gateway.query(query)).data).toEqual(result.data);
  });

  it('an unknown id: the field fails with Braze\'s error, no crash', async () => {
    const result = await gateway.query('{ campaign(id: "not-a-campaign") { name } }');
    expect(result.data).toEqual({ campaign: null });
    expect(result.errors.map((e) => e.extensions?.['code'])).toEqual(['UPSTREAM_BAD_REQUEST']);
  });

  it('the typed operations (codegen) pick a campaign and chart a year of it, explorable with no key', async () => {
    const picker = await gateway.execute(CampaignPickerDocument, { first: 5 });
    expect(picker.errors).toEqual([]);
    const id = picker.data?.campaigns?.nodes[0]?.id ?? '';
    expect(id).toBe(SIMULATED_CAMPAIGNS.find((c) => !c.archived)?.id);
    const results = await gateway.execute(CampaignResultsDocument, { id, length: 365, endingAt: '2025-06-15T15:30:00Z' });
    expect(results.errors).toEqual([]);
    const series = results.data?.campaign?.series;
    expect(series?.length).toBe(365);
    expect(series?.brazeCalls).toBe(5);
    expect(series?.points.at(-1)?.date).toBe('2025-06-15');
    expect(new Set(series?.points.map((p) => p.date)).size).toBe(series?.points.length);
  });
});
