import type { SchemaTypes } from '@pothos/core';
import { FAMILY_STATS, OUTCOME_COUNTS, type ChannelFamily, type ChannelStats, type NamedStat, type OutcomeName } from '../endpoints/answers/channelStats.js';
import { builder } from './builder.js';
import { CampaignConversionEventRef, CONVERSION_EVENTS_DESCRIPTION } from './conversionEvents.js';

/**
 * Per-channel message statistics (campaign series points, Canvas step stats) as GraphQL types: an
 * interface `ChannelStats` with what every channel entry has, and one object type per channel family
 * with only that family's stats, so a client writes
 * `channels { channel variationId ... on EmailStats { opens } ... on PushStats { directOpens } }`.
 *
 * Why an interface and not a union: every entry, whatever its channel, has a channel name, a variation
 * and the same conversion results. With an interface a client selects those without a fragment (a
 * chart of sends by channel needs no `... on` at all), and a family added later (Braze adds channels)
 * is one more implementation that old queries keep working against. A union would force a fragment
 * per family even for `channel`, and a new member would silently drop out of every existing query.
 *
 * A family's stats are nullable, each alone: null means Braze did not report that stat for that entry
 * (its pages disagree, e.g. Canvas push steps report `opens`/`influencedOpens` where campaigns report
 * `directOpens`/`totalOpens`), or, in a total, that it counts unique people and cannot be summed over
 * days. A zero is always a zero Braze sent.
 */

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T extends SchemaTypes> ? T : never;

/** `unique_opens` → `uniqueOpens`; `conversions1_by_send_time` → `conversions1BySendTime`. */
function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

/** What each stat means, from Braze's pages; the GraphQL field says its Braze name too. */
const STAT_DESCRIPTIONS: Readonly<Record<string, string>> = {
  sent: 'The number of sends.',
  delivered: 'The number of messages delivered.',
  undelivered: 'The number of messages not delivered (named on an older campaign page for SMS, and on the sends page for push).',
  opens: 'The number of opens.',
  unique_opens: 'The number of unique opens (people, per day).',
  clicks: 'The number of clicks (for SMS: clicks on shortened links).',
  unique_clicks: 'The number of unique clicks (people, per day).',
  bounces: 'The number of bounces.',
  unsubscribes: 'The number of unsubscribes.',
  reported_spam: 'The number of messages reported as spam.',
  direct_opens: 'The number of direct opens.',
  total_opens: 'The number of total opens (direct and influenced).',
  influenced_opens: 'The number of influenced opens (reported for Canvas steps).',
  body_clicks: 'The number of body clicks.',
  impressions: 'The number of impressions.',
  first_button_clicks: 'The number of first button clicks.',
  second_button_clicks: 'The number of second button clicks.',
  total_impressions: 'The number of total impressions.',
  unique_impressions: 'The number of unique impressions (people, per day).',
  total_clicks: 'The number of total clicks.',
  total_dismissals: 'The number of total dismissals.',
  unique_dismissals: 'The number of unique dismissals (people, per day).',
  sent_to_carrier: 'The number of messages sent to the carrier.',
  rejected: 'The number of rejected messages.',
  delivery_failed: 'The number of failed deliveries.',
  opt_out: 'The number of opt-outs.',
  help: 'The number of help messages received.',
  errors: 'The number of errors.',
  failed: 'The number of failed deliveries.',
  read: 'The number of messages read.',
};

const OUTCOME_DESCRIPTIONS: Readonly<Record<OutcomeName, string>> = {
  unique_recipients: 'The number of unique recipients (people, per day).',
  conversions: 'The number of conversions (primary conversion event).',
  conversions_by_send_time: 'The number of conversions attributed to the date the message was sent.',
  conversions1: 'The number of conversions for the second conversion event.',
  conversions1_by_send_time: 'The number of conversions for the second conversion event, attributed to the send date.',
  conversions2: 'The number of conversions for the third conversion event.',
  conversions2_by_send_time: 'The number of conversions for the third conversion event, attributed to the send date.',
  conversions3: 'The number of conversions for the fourth conversion event.',
  conversions3_by_send_time: 'The number of conversions for the fourth conversion event, attributed to the send date.',
  enrolled: 'The number of enrolled users (control groups).',
};

const NULL_MEANS = 'Null when Braze did not report it for this entry, or, in a total, when it counts unique people (not summable over days).';

/** The GraphQL type of each family, and what it is. */
const FAMILY_TYPES: Readonly<Record<ChannelFamily, { readonly name: string; readonly description: string }>> = {
  email: { name: 'EmailStats', description: 'Email statistics of one variation (Braze channel `email`).' },
  push: {
    name: 'PushStats',
    description: 'Push statistics of one variation: every push channel (`ios_push`, `android_push`, `web_push`, `kindle_push`, …) reports the same stats.',
  },
  inApp: { name: 'InAppMessageStats', description: 'In-app message statistics of one variation (Braze `in_app_message`, `trigger_in_app_message`).' },
  contentCards: { name: 'ContentCardStats', description: 'Content Card statistics of one variation (Braze `content_cards`).' },
  sms: { name: 'SmsStats', description: 'SMS and MMS statistics of one variation (Braze `sms`, `mms`).' },
  webhook: { name: 'WebhookStats', description: 'Webhook statistics of one variation (Braze `webhook`).' },
  messaging: { name: 'MessagingStats', description: 'Messaging-app statistics of one variation (Braze `whats_app`).' },
  other: {
    name: 'OtherChannelStats',
    description:
      'Statistics of a channel this gateway does not know yet (Braze adds channels): every numeric stat Braze sent is in `stats`, by its Braze name. The answer never fails for a new channel name.',
  },
};

export const ChannelStatRef = builder.objectRef<NamedStat>('ChannelStat').implement({
  description: 'One numeric stat of a channel entry, as Braze named and sent it.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The stat\'s Braze name, e.g. `sent`, `carousel_slide_1_Sale_click`.' }),
    value: t.field({ type: 'Decimal', description: 'Its value, exactly as sent (counts are integers; revenue may have cents).', resolve: ({ value }) => value }),
  }),
});

export const ChannelStatsRef = builder.interfaceRef<ChannelStats>('ChannelStats').implement({
  description:
    "Statistics of one message variation on one channel (one entry of Braze's `messages` object). Select a family's stats with a fragment: `... on EmailStats { opens }`. An interface, not a union, so the fields every channel has need no fragment and a family added later keeps old queries working.",
  resolveType: (entry) => FAMILY_TYPES[entry.family].name,
  fields: (t) => ({
    channel: t.string({ description: 'Braze\'s channel name (`email`, `ios_push`, `sms`, …), the key of `messages`.', resolve: (entry) => entry.channel }),
    variationId: t.id({
      nullable: true,
      description: 'The variation API identifier (Braze `variation_api_id`). Null where Braze sends none (Canvas step stats).',
      resolve: (entry) => entry.variationId,
    }),
    variationName: t.string({ nullable: true, description: 'The variation name (Braze `variation_name`), when Braze sends it.', resolve: (entry) => entry.variationName }),
    revenue: t.field({
      type: 'Decimal',
      nullable: true,
      description: 'Revenue attributed to this variation, in dollars (USD), exact. Null when Braze does not report it.',
      resolve: (entry) => entry.revenue,
    }),
    ...outcomeFields(t),
    conversionEvents: t.field({
      type: [CampaignConversionEventRef],
      description: `${CONVERSION_EVENTS_DESCRIPTION} By send time as campaign series report it (Braze \`conversions<n>_by_send_time\`). In a total: the sums.`,
      resolve: (entry) => entry.conversionEvents,
    }),
    stats: t.field({
      type: [ChannelStatRef],
      description: 'Every numeric stat Braze sent for this entry, by its Braze name (including button and carousel clicks). In a total: the sums, without unique counts.',
      resolve: (entry) => entry.stats,
    }),
  }),
});

function outcomeFields(t: PothosSchemaTypes.InterfaceFieldBuilder<Types, ChannelStats>) {
  return Object.fromEntries(
    OUTCOME_COUNTS.map((name) => [
      camelCase(name),
      t.field({
        type: 'SafeInt',
        nullable: true,
        description: `${OUTCOME_DESCRIPTIONS[name]} Braze \`${name}\`. ${NULL_MEANS}`,
        resolve: (entry) => entry.outcomes[name],
      }),
    ]),
  );
}

for (const family of Object.keys(FAMILY_STATS) as ChannelFamily[]) {
  const names: readonly string[] = FAMILY_STATS[family];
  builder.objectRef<ChannelStats>(FAMILY_TYPES[family].name).implement({
    description: FAMILY_TYPES[family].description,
    interfaces: [ChannelStatsRef],
    isTypeOf: (entry) => (entry as ChannelStats).family === family,
    fields: (t) =>
      Object.fromEntries(
        names.map((name) => [
          camelCase(name),
          t.field({
            type: 'SafeInt',
            nullable: true,
            description: `${STAT_DESCRIPTIONS[name] ?? ''} Braze \`${name}\`. ${NULL_MEANS}`.trim(),
            resolve: (entry) => (entry.counts as Readonly<Record<string, number | null>>)[name] ?? null,
          }),
        ]),
      ),
  });
}

/**
 * The `channels` field of anything that carries per-channel stats (a campaign series point, a Canvas
 * step's stats): `[ChannelStats!]!`, each entry typed by its family.
 */
export function channelStatsField<Parent>(
  t: PothosSchemaTypes.ObjectFieldBuilder<Types, Parent>,
  description: string,
  resolve: (parent: Parent) => readonly ChannelStats[],
) {
  return t.field({ type: [ChannelStatsRef], description, resolve: (parent) => resolve(parent) });
}
