import type { SimulatedAnswer, SimulationInput } from '../../src/data/endpoint.js';
import { CAMPAIGN_LIST_PAGE_SIZE } from '../../src/endpoints/campaignList.js';
import { simulatePage } from '../../src/endpoints/simulated/lists.js';
import { dailyPoints } from './series.js';

/**
 * The fake Braze's default answers for the campaign endpoints, values chosen so totals are easy to
 * assert:
 * - /campaigns/list: 150 campaigns `campaign-000` … `campaign-149`, 100 a page; every 10th (…009, …019)
 *   archived and listed only with `include_archived=true`; `sort_direction=desc` reverses them;
 * - /campaigns/details: any id, named `Details of <id>`, two variations, channels email and ios_push;
 * - /campaigns/data_series: `length` days ending with the day of `ending_at`; day i (from 1) has
 *   unique_recipients 10·i, revenue i + 0.1, conversions i, conversions_by_send_time i, and messages
 *   for email (variation `<id>-v1`: sent 10·i, opens 4·i, unique_opens 3·i, clicks i) and ios_push
 *   (variation `<id>-v2`: sent 5·i, direct_opens i, total_opens 2·i, bounces 0, body_clicks i).
 *   The newest campaigns, `campaign-100` … `campaign-149` (the list's second page, its first newest
 *   first), differ so a ranking has an order to show: conversions and conversions_by_send_time
 *   i·(1 + n mod 7) and revenue i·(1 + n mod 5) + 0.1 for `campaign-<n>` (so `campaign-125`, `-132` and
 *   `-146` tie on conversions, and revenue orders them otherwise); every other id keeps the numbers above.
 */
export const FAKE_CAMPAIGN_IDS = Array.from({ length: 150 }, (_, index) => `campaign-${String(index).padStart(3, '0')}`);
const isArchived = (id: string): boolean => Number(id.slice('campaign-'.length)) % 10 === 9;

export function fakeListedCampaign(id: string): { id: string; last_edited: string; name: string; is_api_campaign: boolean; tags: string[] } {
  const index = Number(id.slice('campaign-'.length));
  return { id, last_edited: '2024-02-03T04:05:06Z', name: `Campaign ${index}`, is_api_campaign: index % 2 === 1, tags: ['from-list'] };
}

export function fakeCampaignDetails(id: string): Record<string, unknown> {
  return {
    message: 'success',
    created_at: '2024-01-02T03:04:05Z',
    updated_at: '2024-02-03T04:05:06Z',
    archived: false,
    draft: false,
    enabled: true,
    has_post_launch_draft: false,
    name: `Details of ${id}`,
    description: `About ${id}`,
    schedule_type: 'time_based',
    channels: ['email', 'ios_push'],
    first_sent: '2024-01-05T10:00:00Z',
    last_sent: '2024-03-01T10:00:00Z',
    tags: ['from-details'],
    teams: ['Team A'],
    messages: {
      [`${id}-v1`]: { channel: 'email', name: 'Variation 1', subject: 'Hello' },
      [`${id}-v2`]: { channel: 'ios_push', name: 'Variation 2', alert: 'Hi' },
    },
    conversion_behaviors: [{ type: 'Makes Any Purchase', window: 86_400 }],
  };
}

/** How many times day i's conversions and revenue a campaign has (see above): 1 but for `campaign-100` … `campaign-149`. */
export function fakeCampaignWeights(id: string): { readonly conversions: number; readonly revenue: number } {
  const match = /^campaign-(1[0-4]\d)$/.exec(id);
  if (!match) return { conversions: 1, revenue: 1 };
  const index = Number(match[1]);
  return { conversions: 1 + (index % 7), revenue: 1 + (index % 5) };
}

export function fakeCampaignSeries(query: Readonly<Record<string, string>>): Record<string, unknown> {
  const id = query['campaign_id'] ?? '';
  const weights = fakeCampaignWeights(id);
  const data = dailyPoints(query, (i) => ({
    unique_recipients: 10 * i,
    // Cents as Braze sends them: a JSON number with at most two decimals, never a float sum's tail.
    revenue: Math.round((i * weights.revenue + 0.1) * 100) / 100,
    conversions: i * weights.conversions,
    conversions_by_send_time: i * weights.conversions,
    messages: {
      email: [{ variation_api_id: `${id}-v1`, sent: 10 * i, opens: 4 * i, unique_opens: 3 * i, clicks: i, unique_clicks: i, unsubscribes: 0, bounces: 0, delivered: 10 * i, reported_spam: 0 }],
      ios_push: [{ variation_api_id: `${id}-v2`, sent: 5 * i, direct_opens: i, total_opens: 2 * i, bounces: 0, body_clicks: i }],
    },
  }));
  return { message: 'success', data };
}

/** The default answer of each campaign path. */
export const CAMPAIGN_ANSWERS: Readonly<Record<string, (input: SimulationInput) => SimulatedAnswer>> = {
  '/campaigns/list': (input) => {
    const ids = input.params.get('include_archived') === 'true' ? FAKE_CAMPAIGN_IDS : FAKE_CAMPAIGN_IDS.filter((id) => !isArchived(id));
    return simulatePage(input, ids, CAMPAIGN_LIST_PAGE_SIZE, 'campaigns', fakeListedCampaign, { sorted: true });
  },
  '/campaigns/details': ({ params }) => ({ status: 200, body: fakeCampaignDetails(params.get('campaign_id') ?? '') }),
  '/campaigns/data_series': ({ params }) => ({ status: 200, body: fakeCampaignSeries(Object.fromEntries(params)) }),
};
