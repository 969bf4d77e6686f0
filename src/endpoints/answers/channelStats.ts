import { UpstreamInvalidResponseError } from '../../errors/gatewayErrors.js';
import { invalidAnswer, isRecord, optionalAmount, optionalCount, optionalString } from './answerFields.js';
import { isConversionKey, parseConversionEvents, sumConversionEvents, type ConversionEventCounts } from './conversions.js';
import { keyedBy, keys, listOf, type Shape } from './shape.js';
import { decimalFromNumber, sumDecimals } from './decimal.js';

/**
 * Per-channel message statistics, as Braze reports them in a `messages` object: in every point of
 * `/campaigns/data_series`, and in every step of `/canvas/data_series` and `/canvas/data_summary`.
 * The object is keyed by channel name (`email`, `ios_push`, `sms`, …), each an array with one entry
 * per message variation:
 *
 *   "messages": { "email": [{ "variation_api_id": "…", "sent": 10, "opens": 4, … }], "sms": [ … ] }
 *
 * Which stats an entry has depends on the channel. Channels are grouped into families that share their
 * stats (every push channel has the same ones); a channel name this module does not know (Braze adds
 * channels) becomes the `other` family and keeps its numeric stats by name, so a new channel never
 * fails an answer. Nothing here knows GraphQL.
 */

/**
 * The stats each family has, by Braze name, from Braze's pages (`/campaigns/data_series`,
 * `/canvas/data_series`, `/canvas/data_summary`). Some are named on one page only (SMS `undelivered`
 * on an older campaign page, push `opens` and `influenced_opens` on Canvas summaries, push `delivered`,
 * `undelivered` and `delivery_failed` on `/sends/data_series`'s): all are kept,
 * and a stat Braze did not send for an entry is null.
 */
export const FAMILY_STATS = {
  email: ['sent', 'delivered', 'opens', 'unique_opens', 'clicks', 'unique_clicks', 'bounces', 'unsubscribes', 'reported_spam'],
  push: ['sent', 'delivered', 'undelivered', 'delivery_failed', 'direct_opens', 'total_opens', 'opens', 'influenced_opens', 'bounces', 'body_clicks'],
  inApp: ['impressions', 'clicks', 'first_button_clicks', 'second_button_clicks'],
  contentCards: ['sent', 'total_impressions', 'unique_impressions', 'total_clicks', 'unique_clicks', 'total_dismissals', 'unique_dismissals'],
  sms: ['sent', 'sent_to_carrier', 'delivered', 'undelivered', 'rejected', 'delivery_failed', 'clicks', 'opt_out', 'help'],
  webhook: ['sent', 'errors'],
  messaging: ['sent', 'delivered', 'failed', 'read'],
  other: [],
} as const satisfies Record<string, readonly string[]>;

export type ChannelFamily = keyof typeof FAMILY_STATS;
export type FamilyStatName<F extends ChannelFamily> = (typeof FAMILY_STATS)[F][number];

/** Channels Braze names on its pages, by family. Any other name ending in `_push` is push too. */
const CHANNEL_FAMILIES: Readonly<Record<string, ChannelFamily>> = {
  email: 'email',
  in_app_message: 'inApp',
  trigger_in_app_message: 'inApp',
  // `content_cards` in the stats; `content_card` is how /campaigns/details spells the channel.
  content_cards: 'contentCards',
  content_card: 'contentCards',
  sms: 'sms',
  mms: 'sms',
  webhook: 'webhook',
  whats_app: 'messaging',
};

/** The family a channel name belongs to; `other` for a name Braze added after this was written. */
export function channelFamily(channel: string): ChannelFamily {
  return CHANNEL_FAMILIES[channel] ?? (channel.endsWith('_push') ? 'push' : 'other');
}

/** Conversions of a campaign's conversion events A…D, by day and by send time, by Braze name. */
export const CONVERSION_COUNTS = [
  'conversions',
  'conversions_by_send_time',
  'conversions1',
  'conversions1_by_send_time',
  'conversions2',
  'conversions2_by_send_time',
  'conversions3',
  'conversions3_by_send_time',
] as const;

/**
 * The results every variation entry may carry whatever its channel (Braze's multivariate answers put
 * them there): all optional, null when absent. `revenue` is an exact decimal string.
 */
export const OUTCOME_COUNTS = ['unique_recipients', ...CONVERSION_COUNTS, 'enrolled'] as const;
export type OutcomeName = (typeof OUTCOME_COUNTS)[number];

/** A numeric stat exactly as Braze named it, its value an exact decimal string. */
export interface NamedStat {
  readonly name: string;
  readonly value: string;
}

interface ChannelEntryOf<F extends ChannelFamily> {
  readonly family: F;
  /** Braze's channel name (`ios_push`, `email`, …), as the `messages` key. */
  readonly channel: string;
  /** Braze `variation_api_id`; Canvas step stats have none. */
  readonly variationId: string | null;
  /** Braze `variation_name`, when sent. */
  readonly variationName: string | null;
  readonly revenue: string | null;
  readonly outcomes: Readonly<Record<OutcomeName, number | null>>;
  /** Conversions per conversion event, by index, by send time as the twin (`conversions<n>`, however many). */
  readonly conversionEvents: readonly ConversionEventCounts[];
  /** This family's stats; null for one Braze did not send (or, in totals, one that cannot be summed). */
  readonly counts: Readonly<Record<FamilyStatName<F>, number | null>>;
  /** Every numeric value of the entry by its Braze name, known or not (carousel and button clicks too). */
  readonly stats: readonly NamedStat[];
}

/** One channel × variation entry: a discriminated union on `family`. */
export type ChannelStats = { [F in ChannelFamily]: ChannelEntryOf<F> }[ChannelFamily];

/** Button and carousel clicks an older campaign page names: `carousel_slide_[NUM]_[TITLE]_click`, `notif_button_[NUM]_[TITLE]_click`. */
const CLICK_STAT = /^(?:carousel_slide|notif_button)_\d+_.*_click$/;

/** What Braze documents of one entry of a `channel`: who it is, its results, and its family's stats. */
export function channelEntryShape(channel: string): Shape {
  return keys(['variation_api_id', 'variation_name', 'revenue', ...OUTCOME_COUNTS, ...FAMILY_STATS[channelFamily(channel)]], (name) => isConversionKey(name, 'send') || CLICK_STAT.test(name));
}

/** What Braze documents of a `messages` object: channels, each a list of entries. */
export const CHANNEL_MESSAGES_SHAPE: Shape = keyedBy((channel) => listOf(channelEntryShape(channel)));

/** Fields of an entry that are not stats; anything else numeric is one. */
const IDENTITY_FIELDS = new Set(['variation_api_id', 'variation_name']);

/**
 * A `messages` value → one entry per channel × variation, channels in Braze's order. Absent or null is
 * no messages (a day without sends). Anything malformed throws UpstreamInvalidResponseError naming the
 * path within the answer (`path` is where `messages` sits, e.g. `data[3].messages`).
 */
export function parseChannelMessages(value: unknown, path: string): ChannelStats[] {
  if (value === undefined || value === null) return [];
  if (!isRecord(value)) throw invalidAnswer(`${path} is not an object keyed by channel`);
  const entries: ChannelStats[] = [];
  for (const [channel, variations] of Object.entries(value)) {
    const channelPath = `${path}.${channel}`;
    if (!Array.isArray(variations)) throw invalidAnswer(`${channelPath} is not a list of variations`);
    variations.forEach((entry: unknown, index) => entries.push(parseEntry(channel, entry, `${channelPath}[${index}]`)));
  }
  return entries;
}

function parseEntry(channel: string, entry: unknown, path: string): ChannelStats {
  if (!isRecord(entry)) throw invalidAnswer(`${path} is not an object`);
  const family = channelFamily(channel);
  const counts: Record<string, number | null> = {};
  for (const name of FAMILY_STATS[family]) counts[name] = optionalCount(entry[name], `${path}.${name}`);
  const outcomes: Record<string, number | null> = {};
  for (const name of OUTCOME_COUNTS) outcomes[name] = optionalCount(entry[name], `${path}.${name}`);
  const revenue = optionalAmount(entry['revenue'], `${path}.revenue`);
  const stats: NamedStat[] = [];
  for (const [name, stat] of Object.entries(entry)) {
    if (IDENTITY_FIELDS.has(name) || typeof stat !== 'number') continue;
    // Known stats were checked above; an unknown one is kept as sent when it is a finite number.
    if (Number.isFinite(stat)) stats.push({ name, value: decimalFromNumber(stat) });
  }
  return {
    family,
    channel,
    variationId: optionalString(entry['variation_api_id'], `${path}.variation_api_id`),
    variationName: optionalString(entry['variation_name'], `${path}.variation_name`),
    revenue: revenue === null ? null : decimalFromNumber(revenue),
    outcomes: outcomes as Record<OutcomeName, number | null>,
    conversionEvents: parseConversionEvents(entry, path, 'send'),
    counts,
    stats,
    // `counts` was built from FAMILY_STATS[family]: exactly this family's names, which TypeScript cannot follow.
  } as ChannelStats;
}

/** Stats that count people once per day: a sum over days would count someone active on two days twice. */
export function isUniqueStat(name: string): boolean {
  return name.startsWith('unique_');
}

/**
 * Who an entry is within its channel, to sum it with the same variation of other days and never with
 * another: its variation id; else, as Braze's multivariate answers name variations only by
 * `variation_name`, its name; else its position among the channel's entries of its day.
 */
function variationKey(entry: ChannelStats, position: number): string {
  if (entry.variationId !== null) return JSON.stringify([entry.channel, 'id', entry.variationId]);
  if (entry.variationName !== null) return JSON.stringify([entry.channel, 'name', entry.variationName]);
  return JSON.stringify([entry.channel, 'position', position]);
}

/**
 * Sums entries over points, one entry per channel × variation (first-seen order), variations told
 * apart as variationKey says. Counts that may be summed are (sends, opens, clicks, conversions,
 * revenue exactly); counts of unique people are null in a total (see isUniqueStat), and so is a stat
 * no point reported.
 */
export function sumChannelStats(lists: readonly (readonly ChannelStats[])[]): ChannelStats[] {
  const groups = new Map<string, ChannelStats[]>();
  for (const list of lists) {
    const positions = new Map<string, number>();
    for (const entry of list) {
      const position = positions.get(entry.channel) ?? 0;
      positions.set(entry.channel, position + 1);
      const key = variationKey(entry, position);
      const group = groups.get(key);
      if (group) group.push(entry);
      else groups.set(key, [entry]);
    }
  }
  return [...groups.values()].map(sumGroup);
}

function sumGroup(group: readonly ChannelStats[]): ChannelStats {
  const first = group[0] as ChannelStats;
  const counts: Record<string, number | null> = {};
  for (const name of FAMILY_STATS[first.family]) counts[name] = isUniqueStat(name) ? null : sumNullable(group.map((entry) => (entry.counts as Record<string, number | null>)[name] ?? null));
  const outcomes: Record<string, number | null> = {};
  for (const name of OUTCOME_COUNTS) outcomes[name] = isUniqueStat(name) ? null : sumNullable(group.map((entry) => entry.outcomes[name]));
  const revenues = group.map((entry) => entry.revenue).filter((value): value is string => value !== null);
  const statSums = new Map<string, string[]>();
  for (const entry of group) {
    for (const { name, value } of entry.stats) {
      if (isUniqueStat(name)) continue;
      const values = statSums.get(name);
      if (values) values.push(value);
      else statSums.set(name, [value]);
    }
  }
  return {
    ...first,
    variationName: group.find((entry) => entry.variationName !== null)?.variationName ?? null,
    revenue: revenues.length === 0 ? null : sumDecimals(revenues),
    outcomes: outcomes as Record<OutcomeName, number | null>,
    conversionEvents: sumConversionEvents(group.map((entry) => entry.conversionEvents)),
    counts,
    stats: [...statSums].map(([name, values]) => ({ name, value: sumDecimals(values) })),
  } as ChannelStats;
}

/** The sum of the values present; null when none is. Past 2^53 - 1 the sum is not exact: refused. */
function sumNullable(values: readonly (number | null)[]): number | null {
  let total: number | null = null;
  for (const value of values) {
    if (value === null) continue;
    total = (total ?? 0) + value;
    if (!Number.isSafeInteger(total)) throw new UpstreamInvalidResponseError(`a total exceeds ${Number.MAX_SAFE_INTEGER} (2^53 - 1)`);
  }
  return total;
}


