import type { SimulatedAnswer, SimulationInput } from '../../data/endpoint.js';
import { simulatedUuid, simulatePage } from './lists.js';
import { bucketStarts, fnv1a, formatBucket, rhythmicValue } from './rhythm.js';

/**
 * Demo mode's campaigns: a fixed set with names, channels, variations and dates that depend on nothing
 * but their index, and daily results shaped by the same rhythm as the other simulated series (zero
 * before the first send, after the last, and in the future).
 */

const DAY_MS = 86_400_000;
const FIRST_CREATED = Date.UTC(2023, 1, 6, 10, 0);
const PAGE_SIZE = 100;

const THEMES = ['Welcome', 'Spring Sale', 'Cart Reminder', 'Win-back', 'Weekly Digest', 'Feature Launch', 'Loyalty Tier', 'Birthday', 'Survey', 'Price Drop', 'Back in Stock', 'Renewal'];
const AUDIENCES = ['New users', 'Lapsed buyers', 'VIPs', 'Everyone', 'Trial users', 'Mobile users', 'Newsletter readers', 'Europe', 'Students', 'Beta testers', 'Families'];
/** Channel mixes a campaign may have: single-channel, multichannel, and one with a channel Braze added lately. */
const CHANNEL_MIXES: readonly (readonly string[])[] = [
  ['email'],
  ['ios_push', 'android_push'],
  ['email', 'ios_push', 'android_push'],
  ['sms'],
  ['in_app_message'],
  ['content_cards'],
  ['webhook'],
  ['whats_app'],
  ['email', 'sms'],
  ['web_push'],
  ['email', 'content_cards', 'line'],
];
const TAGS = ['lifecycle', 'promo', 'retention', 'onboarding', 'transactional'];
const SCHEDULE_TYPES = ['time_based', 'action_based', 'api_triggered'];

export interface SimulatedVariation {
  readonly id: string;
  readonly name: string;
  /** Its share of the campaign's sends, in percent. */
  readonly share: number;
}

export interface SimulatedCampaign {
  readonly id: string;
  readonly name: string;
  readonly isApiCampaign: boolean;
  readonly tags: readonly string[];
  readonly channels: readonly string[];
  readonly variations: readonly SimulatedVariation[];
  readonly archived: boolean;
  readonly draft: boolean;
  readonly enabled: boolean;
  readonly scheduleType: string;
  readonly createdAt: number;
  readonly lastEditedAt: number;
  /** Null for a draft that never sent. */
  readonly firstSentAt: number | null;
  /** Null while it still sends (an enabled campaign); else the day it stopped. */
  readonly lastSentAt: number | null;
}

/** 121 campaigns, oldest first (Braze's default order): two pages of /campaigns/list. Every 9th is archived. */
export const SIMULATED_CAMPAIGNS: readonly SimulatedCampaign[] = THEMES.flatMap((theme) => AUDIENCES.map((audience) => `${theme}: ${audience}`))
  .slice(0, 121)
  .map((name, index) => {
    const hash = fnv1a(name);
    const createdAt = FIRST_CREATED + index * 3 * DAY_MS;
    const archived = index % 9 === 8;
    const draft = !archived && index % 13 === 12;
    const scheduleType = SCHEDULE_TYPES[hash % SCHEDULE_TYPES.length] ?? 'time_based';
    const id = simulatedUuid(`campaign\u0000${name}`);
    const variationCount = 1 + (hash % 3);
    const variations = Array.from({ length: variationCount }, (_, variation) => ({
      id: simulatedUuid(`variation\u0000${name}\u0000${variation}`),
      name: `Variation ${variation + 1}`,
      share: variation === 0 ? 100 - 30 * (variationCount - 1) : 30,
    }));
    const firstSentAt = draft ? null : createdAt + 2 * DAY_MS;
    return {
      id,
      name,
      isApiCampaign: scheduleType === 'api_triggered',
      tags: TAGS.filter((_, tag) => (hash >>> (tag * 3)) % 3 === 0),
      channels: CHANNEL_MIXES[index % CHANNEL_MIXES.length] ?? ['email'],
      variations,
      archived,
      draft,
      enabled: !archived && !draft,
      scheduleType,
      createdAt,
      lastEditedAt: createdAt + (hash % 40) * DAY_MS + 3_600_000,
      firstSentAt,
      lastSentAt: archived && firstSentAt !== null ? firstSentAt + 60 * DAY_MS : null,
    };
  });

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

function invalid(errors: string[]): SimulatedAnswer {
  return { status: 400, body: { message: 'Invalid request', errors } };
}

/** GET /campaigns/list: `include_archived` and `last_edit.time[gt]` filter and `sort_direction` orders, as Braze does. */
export function simulateCampaignList(input: SimulationInput): SimulatedAnswer {
  const { params } = input;
  const includeArchived = params.get('include_archived') ?? 'false';
  if (includeArchived !== 'true' && includeArchived !== 'false') return invalid(['include_archived must be true or false']);
  const afterRaw = params.get('last_edit.time[gt]');
  const after = afterRaw === null ? Number.NEGATIVE_INFINITY : Date.parse(afterRaw);
  if (Number.isNaN(after)) return invalid(['last_edit.time[gt] must be a time']);
  const campaigns = SIMULATED_CAMPAIGNS.filter((campaign) => (includeArchived === 'true' || !campaign.archived) && campaign.lastEditedAt > after);
  return simulatePage(
    input,
    campaigns,
    PAGE_SIZE,
    'campaigns',
    (campaign) => ({
      id: campaign.id,
      last_edited: iso(campaign.lastEditedAt),
      name: campaign.name,
      is_api_campaign: campaign.isApiCampaign,
      tags: campaign.tags,
    }),
    { sorted: true },
  );
}

function findCampaign(params: URLSearchParams): SimulatedCampaign | SimulatedAnswer {
  const id = params.get('campaign_id') ?? '';
  if (id === '') return invalid(['campaign_id is required']);
  // Braze does not document its answer for an unknown id; the simulator says it is invalid.
  return SIMULATED_CAMPAIGNS.find((campaign) => campaign.id === id) ?? { status: 400, body: { message: 'Invalid campaign_id' } };
}

const isAnswer = (value: SimulatedCampaign | SimulatedAnswer): value is SimulatedAnswer => 'status' in value;

/** GET /campaigns/details: the campaign, one message per channel × variation. */
export function simulateCampaignDetails({ params }: SimulationInput): SimulatedAnswer {
  const campaign = findCampaign(params);
  if (isAnswer(campaign)) return campaign;
  const messages = Object.fromEntries(
    campaign.variations.flatMap((variation) => campaign.channels.map((channel) => [variation.id, { channel, name: variation.name }])),
  );
  return {
    status: 200,
    body: {
      message: 'success',
      created_at: iso(campaign.createdAt),
      updated_at: iso(campaign.lastEditedAt),
      archived: campaign.archived,
      draft: campaign.draft,
      enabled: campaign.enabled,
      has_post_launch_draft: false,
      name: campaign.name,
      description: `Demo campaign for ${campaign.name.split(': ')[1]?.toLowerCase() ?? 'everyone'}.`,
      schedule_type: campaign.scheduleType,
      channels: campaign.channels,
      first_sent: campaign.firstSentAt === null ? null : iso(campaign.firstSentAt),
      last_sent: campaign.lastSentAt === null ? null : iso(campaign.lastSentAt),
      tags: campaign.tags,
      teams: [],
      messages,
      conversion_behaviors: [{ type: 'Makes Any Purchase', window: 259_200 }, { type: 'Opens Email', window: 86_400 }],
    },
  };
}

/** A channel's stats for `sent` sends, in the shape Braze gives that channel. */
function channelEntry(channel: string, variation: SimulatedVariation, sent: number): Record<string, unknown> {
  const part = (percent: number): number => Math.round((sent * percent) / 100);
  const base = { variation_api_id: variation.id, variation_name: variation.name };
  if (channel === 'email') {
    return { ...base, sent, delivered: part(97), opens: part(38), unique_opens: part(31), clicks: part(6), unique_clicks: part(4), unsubscribes: part(0.4), bounces: part(3), reported_spam: part(0.05) };
  }
  if (channel.endsWith('_push')) return { ...base, sent, direct_opens: part(4), total_opens: part(9), bounces: part(1), body_clicks: part(5) };
  if (channel === 'sms') return { ...base, sent, sent_to_carrier: sent, delivered: part(96), rejected: part(1), delivery_failed: part(3), clicks: part(7), opt_out: part(0.3), help: part(0.1) };
  if (channel === 'in_app_message') return { ...base, impressions: sent, clicks: part(12), first_button_clicks: part(8), second_button_clicks: part(2) };
  if (channel === 'content_cards') {
    return { ...base, sent, total_impressions: part(70), unique_impressions: part(55), total_clicks: part(9), unique_clicks: part(7), total_dismissals: part(5), unique_dismissals: part(4) };
  }
  if (channel === 'webhook') return { ...base, sent, errors: part(0.5) };
  if (channel === 'whats_app') return { ...base, sent, delivered: part(98), failed: part(2), read: part(71) };
  // A channel the gateway does not know yet: stats it cannot name.
  return { ...base, sent, friends_added: part(2) };
}

/** GET /campaigns/data_series: `length` days ending with the one holding `ending_at`, checked as Braze checks. */
export function simulateCampaignSeries({ params, now }: SimulationInput): SimulatedAnswer {
  const length = Number(params.get('length'));
  const endingAtRaw = params.get('ending_at');
  const endingAt = endingAtRaw === null ? now : Date.parse(endingAtRaw);
  const problems: string[] = [];
  if (!Number.isInteger(length) || length < 1 || length > 100) problems.push('length must be between 1 and 100');
  if (Number.isNaN(endingAt)) problems.push('ending_at must be an ISO-8601 datetime');
  if ((params.get('campaign_id') ?? '') === '') problems.push('campaign_id is required');
  if (problems.length > 0) return invalid(problems);
  const campaign = findCampaign(params);
  if (isAnswer(campaign)) return campaign;

  const data = bucketStarts(endingAt, length, true).map((start) => {
    const sending = campaign.firstSentAt !== null && start + DAY_MS > campaign.firstSentAt && start <= now && (campaign.lastSentAt === null || start <= campaign.lastSentAt);
    const recipients = sending ? rhythmicValue(campaign.id, start, true, 400, 12_000) : 0;
    const messages: Record<string, Record<string, unknown>[]> = {};
    for (const channel of campaign.channels) {
      // Each channel reaches part of the audience; each variation its share of that.
      const reach = 40 + (fnv1a(`${campaign.id}\u0000${channel}`) % 61);
      messages[channel] = campaign.variations.map((variation) => channelEntry(channel, variation, Math.round((recipients * reach * variation.share) / 10_000)));
    }
    const conversions = Math.round(recipients * 0.031);
    return {
      time: formatBucket(start, true),
      unique_recipients: recipients,
      revenue: Math.round(conversions * 2_349) / 100,
      conversions,
      conversions_by_send_time: Math.round(recipients * 0.029),
      conversions1: Math.round(recipients * 0.12),
      conversions1_by_send_time: Math.round(recipients * 0.11),
      messages,
    };
  });
  return { status: 200, body: { message: 'success', data } };
}
