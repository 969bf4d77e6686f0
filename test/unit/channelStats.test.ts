import { describe, expect, it } from 'vitest';
import { channelFamily, parseChannelMessages, sumChannelStats, type ChannelStats } from '../../src/endpoints/answers/channelStats.js';
import { UpstreamInvalidResponseError } from '../../src/errors/gatewayErrors.js';

/** A `messages` value shaped like Braze's /campaigns/data_series page example. */
const MESSAGES = {
  email: [{ variation_api_id: 'v-email', sent: 10, opens: 4, unique_opens: 3, clicks: 2, unique_clicks: 1, unsubscribes: 0, bounces: 1, delivered: 9, reported_spam: 0 }],
  ios_push: [{ variation_api_id: 'v-ios', variation_name: 'iOS_Push', sent: 7, direct_opens: 2, total_opens: 3, bounces: 0, body_clicks: 1, revenue: 10.1, unique_recipients: 5, conversions: 1, 'carousel_slide_1_Sale_click': 2 }],
  sms: [{ variation_api_id: 'v-sms', sent: 5, sent_to_carrier: 5, delivered: 4, rejected: 0, delivery_failed: 1, clicks: 1, opt_out: 0, help: 0 }],
  webhook: [{ variation_api_id: 'v-hook', sent: 3, errors: 1 }],
  whats_app: [{ variation_api_id: 'v-wa', sent: 2, delivered: 2, failed: 0, read: 1 }],
  content_cards: [{ variation_api_id: 'v-cc', sent: 8, total_clicks: 3, total_dismissals: 1, total_impressions: 6, unique_clicks: 2, unique_dismissals: 1, unique_impressions: 5 }],
  trigger_in_app_message: [{ variation_name: 'A', impressions: 9, clicks: 3, first_button_clicks: 1, second_button_clicks: 0 }],
  carrier_pigeon: [{ variation_api_id: 'v-new', sent: 1, landed: 1, note: 'not a number' }],
};

describe('channelFamily', () => {
  it('groups channels by the stats they share; any *_push is push; unknown names are other', () => {
    expect(['email', 'ios_push', 'android_push', 'web_push', 'kindle_push', 'windows_universal_push'].map(channelFamily)).toEqual(['email', 'push', 'push', 'push', 'push', 'push']);
    expect(['in_app_message', 'trigger_in_app_message', 'content_cards', 'content_card', 'sms', 'mms', 'webhook', 'whats_app'].map(channelFamily)).toEqual([
      'inApp',
      'inApp',
      'contentCards',
      'contentCards',
      'sms',
      'sms',
      'webhook',
      'messaging',
    ]);
    expect(channelFamily('carrier_pigeon')).toBe('other');
  });
});

describe('parseChannelMessages', () => {
  const parsed = parseChannelMessages(MESSAGES, 'data[0].messages');

  it('gives one typed entry per channel × variation, in Braze order', () => {
    expect(parsed.map((entry) => [entry.family, entry.channel, entry.variationId])).toEqual([
      ['email', 'email', 'v-email'],
      ['push', 'ios_push', 'v-ios'],
      ['sms', 'sms', 'v-sms'],
      ['webhook', 'webhook', 'v-hook'],
      ['messaging', 'whats_app', 'v-wa'],
      ['contentCards', 'content_cards', 'v-cc'],
      ['inApp', 'trigger_in_app_message', null],
      ['other', 'carrier_pigeon', 'v-new'],
    ]);
    expect(parsed[0]?.counts).toEqual({ sent: 10, delivered: 9, opens: 4, unique_opens: 3, clicks: 2, unique_clicks: 1, bounces: 1, unsubscribes: 0, reported_spam: 0 });
  });

  it('keeps stats a family lacks as null, revenue as an exact decimal, and every number by name', () => {
    const push = parsed[1] as Extract<ChannelStats, { family: 'push' }>;
    expect(push.counts).toEqual({ sent: 7, delivered: null, undelivered: null, delivery_failed: null, direct_opens: 2, total_opens: 3, opens: null, influenced_opens: null, bounces: 0, body_clicks: 1 });
    expect(push.revenue).toBe('10.1');
    expect(push.variationName).toBe('iOS_Push');
    expect(push.outcomes.unique_recipients).toBe(5);
    expect(push.outcomes.conversions2).toBeNull();
    expect(push.stats).toContainEqual({ name: 'carousel_slide_1_Sale_click', value: '2' });
  });

  it('keeps a channel it does not know, with its numeric stats by name', () => {
    const other = parsed[7];
    expect(other?.family).toBe('other');
    expect(other?.counts).toEqual({});
    expect(other?.stats).toEqual([
      { name: 'sent', value: '1' },
      { name: 'landed', value: '1' },
    ]);
  });

  it('reads absent or null messages as no entries', () => {
    expect(parseChannelMessages(undefined, 'data[0].messages')).toEqual([]);
    expect(parseChannelMessages(null, 'data[0].messages')).toEqual([]);
  });

  it.each([
    [[], 'data[2].messages is not an object keyed by channel'],
    [{ email: {} }, 'data[2].messages.email is not a list of variations'],
    [{ email: [7] }, 'data[2].messages.email[0] is not an object'],
    [{ email: [{ sent: -1 }] }, 'data[2].messages.email[0].sent is not a non-negative integer'],
    [{ sms: [{ sent: 1, delivered: 1.5 }] }, 'data[2].messages.sms[0].delivered is not a non-negative integer'],
    [{ ios_push: [{ sent: 1 }, { sent: '2' }] }, 'data[2].messages.ios_push[1].sent is not a non-negative integer'],
    [{ email: [{ conversions: 2 ** 53 }] }, 'data[2].messages.email[0].conversions is not a non-negative integer'],
    [{ email: [{ revenue: '1' }] }, 'data[2].messages.email[0].revenue is not a finite number'],
    [{ email: [{ variation_api_id: 5 }] }, 'data[2].messages.email[0].variation_api_id is not a string'],
  ])('refuses %j naming the path', (value, message) => {
    expect(() => parseChannelMessages(value, 'data[2].messages')).toThrow(new UpstreamInvalidResponseError(message));
  });
});

describe('revenue', () => {
  it('is an amount of either sign, as in Canvas stats and purchase series (a refund is negative revenue)', () => {
    const [entry] = parseChannelMessages({ email: [{ variation_api_id: 'v', revenue: -12.5 }] }, 'data[0].messages');
    expect(entry?.revenue).toBe('-12.5');
    const day2 = parseChannelMessages({ email: [{ variation_api_id: 'v', revenue: 2.25 }] }, 'data[1].messages');
    expect(sumChannelStats([[entry!], day2])[0]?.revenue).toBe('-10.25');
  });
});

describe('sumChannelStats', () => {
  it('sums per channel × variation; unique counts are null; revenue is exact', () => {
    const day1 = parseChannelMessages({ email: [{ variation_api_id: 'a', sent: 10, unique_opens: 3, revenue: 0.1, unique_recipients: 9 }] }, 'd1');
    const day2 = parseChannelMessages(
      { email: [{ variation_api_id: 'a', sent: 5, unique_opens: 2, revenue: 0.2, unique_recipients: 4 }, { variation_api_id: 'b', sent: 1 }] },
      'd2',
    );
    const [a, b] = sumChannelStats([day1, day2]);
    expect(a?.counts).toMatchObject({ sent: 15, unique_opens: null, opens: null });
    expect(a?.revenue).toBe('0.3');
    expect(a?.outcomes.unique_recipients).toBeNull();
    expect(a?.stats).toEqual([
      { name: 'sent', value: '15' },
      { name: 'revenue', value: '0.3' },
    ]);
    expect(b?.counts).toMatchObject({ sent: 1 });
  });

  it('tells variations apart by id, else by name (Braze multivariate answers), else by position: never one sum under one label', () => {
    // Braze's multivariate example: variations named only by `variation_name`, the control with `enrolled`.
    const day = (a: number, b: number) =>
      parseChannelMessages(
        {
          trigger_in_app_message: [
            { variation_name: 'Variant A', impressions: a },
            { variation_name: 'Variant B', impressions: b },
            { variation_name: 'Control', enrolled: 40 },
          ],
        },
        'd',
      );
    const totals = sumChannelStats([day(50, 60), day(5, 6)]);
    expect(totals.map((entry) => [entry.variationName, entry.family === 'inApp' ? entry.counts.impressions : undefined, entry.outcomes.enrolled])).toEqual([
      ['Variant A', 55, null],
      ['Variant B', 66, null],
      ['Control', null, 80],
    ]);
    // Neither id nor name: each day's first entry of a channel is summed with the other days' first, and so on.
    const unnamed = (first: number, second: number) => parseChannelMessages({ email: [{ sent: first }, { sent: second }] }, 'd');
    expect(sumChannelStats([unnamed(1, 10), unnamed(2, 20)]).map((entry) => entry.family === 'email' && entry.counts.sent)).toEqual([3, 30]);
    // An id wins over a name: the same id under two names is one variation (renamed), two ids under one name two.
    const named = parseChannelMessages({ email: [{ variation_api_id: 'v1', variation_name: 'Old', sent: 1 }, { variation_api_id: 'v2', variation_name: 'Old', sent: 2 }] }, 'd');
    const renamed = parseChannelMessages({ email: [{ variation_api_id: 'v1', variation_name: 'New', sent: 4 }] }, 'd');
    expect(sumChannelStats([named, renamed]).map((entry) => [entry.variationId, entry.family === 'email' && entry.counts.sent])).toEqual([
      ['v1', 5],
      ['v2', 2],
    ]);
  });
});

