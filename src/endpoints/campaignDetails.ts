import { UpstreamInvalidResponseError } from '../errors/gatewayErrors.js';
import { simulateCampaignDetails } from './simulated/campaigns.js';
import { isRecord, optionalInstant, optionalString, requiredBoolean, stringList } from './answers/answerFields.js';
import type { Endpoint } from '../data/endpoint.js';
import { keyedBy, keys, leaves, listOf, record, withUnknownKeys } from './answers/shape.js';
import { listTtlMs, parseSuccessBody } from './answers/lists.js';

export interface CampaignDetailsCall {
  readonly campaignId: string;
}

/** One message variation of a campaign (an entry of Braze's `messages`, keyed by variation id). */
export interface CampaignVariation {
  readonly id: string;
  /** Braze `channel` (`email`, `ios_push`, …); null when Braze leaves it out. */
  readonly channel: string | null;
  /** Braze `name`, e.g. "Variation 1". */
  readonly name: string | null;
  /** Braze `type: "control"`: the control group, which sends nothing. */
  readonly control: boolean;
}

/** One conversion event of the campaign, in Braze's order (A is `conversions`, B `conversions1`, …). */
export interface ConversionBehavior {
  /** Braze `type`, e.g. "Makes Any Purchase", "Performs Custom Event". */
  readonly type: string;
  /** Braze `window`: seconds during which a user can convert. */
  readonly windowSeconds: number | null;
  readonly customEventName: string | null;
  readonly product: string | null;
}

/** A campaign as /campaigns/details tells of it. */
export interface CampaignDetails {
  readonly name: string;
  readonly description: string | null;
  readonly archived: boolean;
  readonly draft: boolean;
  readonly enabled: boolean;
  readonly hasPostLaunchDraft: boolean | null;
  readonly scheduleType: string | null;
  readonly channels: readonly string[];
  readonly tags: readonly string[];
  readonly teams: readonly string[];
  readonly createdAt: Date | null;
  readonly updatedAt: Date | null;
  readonly firstSentAt: Date | null;
  readonly lastSentAt: Date | null;
  readonly variations: readonly CampaignVariation[];
  readonly conversionBehaviors: readonly ConversionBehavior[];
}

function parseVariations(value: unknown): CampaignVariation[] {
  if (value === undefined || value === null) return [];
  if (!isRecord(value)) throw new UpstreamInvalidResponseError('messages is not an object keyed by variation id');
  return Object.entries(value).map(([id, message]) => {
    if (!isRecord(message)) throw new UpstreamInvalidResponseError(`messages.${id} is not an object`);
    return {
      id,
      channel: optionalString(message['channel'], `messages.${id}.channel`),
      name: optionalString(message['name'], `messages.${id}.name`),
      control: message['type'] === 'control',
    };
  });
}

function parseConversionBehaviors(value: unknown): ConversionBehavior[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new UpstreamInvalidResponseError('conversion_behaviors is not a list');
  return value.map((behavior: unknown, index) => {
    const at = `conversion_behaviors[${index}]`;
    if (!isRecord(behavior)) throw new UpstreamInvalidResponseError(`${at} is not an object`);
    const window = behavior['window'];
    if (window !== undefined && window !== null && (typeof window !== 'number' || !Number.isSafeInteger(window) || window < 0)) {
      throw new UpstreamInvalidResponseError(`${at}.window is not a non-negative integer`);
    }
    return {
      type: optionalString(behavior['type'], `${at}.type`) ?? '',
      windowSeconds: typeof window === 'number' ? window : null,
      customEventName: optionalString(behavior['custom_event_name'], `${at}.custom_event_name`),
      product: optionalString(behavior['product'], `${at}.product`),
    };
  });
}

/**
 * A message's fields, as /campaigns/details documents them per channel ("Messages by channel": push,
 * email, in-app, Content Cards, webhook, SMS, WhatsApp, control) and /canvas/details's example adds
 * (`header`, `created_at`, `updated_at`). Only `channel`, `name` and `type` are read; the contents
 * (bodies, extras, survey pages) are not looked into.
 */
export const MESSAGE_SHAPE = keys([
  'channel', 'name', 'type', 'alert', 'extras', 'title', 'action', 'image_url', 'large_image_url', 'subject', 'body', 'from', 'reply_to', 'amp_body',
  'preheader', 'custom_plain_text', 'should_inline_css', 'should_whitespace_header', 'email_headers', 'data', 'url', 'headers', 'method',
  'subscription_group_id', 'template_name', 'template_language_code', 'header_variables', 'body_variables', 'button_variables', 'layout',
  'header_text', 'body_text', 'footer_text', 'buttons', 'header', 'created_at', 'updated_at',
]);

/** What Braze documents of a /campaigns/details answer. */
export const CAMPAIGN_DETAILS_SHAPE = record({
  ...leaves(['message', 'created_at', 'updated_at', 'archived', 'draft', 'enabled', 'has_post_launch_draft', 'name', 'description', 'schedule_type', 'channels', 'first_sent', 'last_sent', 'tags', 'teams']),
  messages: keyedBy(MESSAGE_SHAPE),
  conversion_behaviors: listOf(keys(['type', 'window', 'custom_event_name', 'product', 'app_ids'])),
});

/**
 * GET /campaigns/details: one campaign's settings, dates, channels and variations. Only what a
 * dashboard uses is kept (message bodies, subjects and headers are dropped). Braze does not document
 * its answer for an unknown id; whatever it is, the field asking gets that error.
 */
export const campaignDetailsEndpoint: Endpoint<CampaignDetailsCall, CampaignDetails> = {
  name: 'campaignDetails',
  path: '/campaigns/details',
  permission: 'campaigns.details',
  bucket: 'export',
  key: (call) => call.campaignId,
  searchParams: (call) => new URLSearchParams({ campaign_id: call.campaignId }),
  parse(text) {
    const body = parseSuccessBody(text);
    if (typeof body['name'] !== 'string') throw new UpstreamInvalidResponseError('Braze answered campaign details without a "name" string');
    const hasDraft = body['has_post_launch_draft'];
    if (hasDraft !== undefined && hasDraft !== null && typeof hasDraft !== 'boolean') throw new UpstreamInvalidResponseError('has_post_launch_draft is not a boolean');
    return withUnknownKeys(
      {
        name: body['name'],
        description: optionalString(body['description'], 'description'),
        archived: requiredBoolean(body['archived'], 'archived'),
        draft: requiredBoolean(body['draft'], 'draft'),
        enabled: requiredBoolean(body['enabled'], 'enabled'),
        hasPostLaunchDraft: hasDraft ?? null,
        scheduleType: optionalString(body['schedule_type'], 'schedule_type'),
        channels: stringList(body['channels'], 'channels'),
        tags: stringList(body['tags'], 'tags'),
        teams: stringList(body['teams'], 'teams'),
        createdAt: optionalInstant(body['created_at'], 'created_at'),
        updatedAt: optionalInstant(body['updated_at'], 'updated_at'),
        firstSentAt: optionalInstant(body['first_sent'], 'first_sent'),
        lastSentAt: optionalInstant(body['last_sent'], 'last_sent'),
        variations: parseVariations(body['messages']),
        conversionBehaviors: parseConversionBehaviors(body['conversion_behaviors']),
      },
      body,
      CAMPAIGN_DETAILS_SHAPE,
    );
  },
  // A campaign's settings change rarely: kept as long as a list page.
  ttlMs: listTtlMs,
  simulate: simulateCampaignDetails,
};
