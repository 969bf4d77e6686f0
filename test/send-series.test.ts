import { afterEach, describe, expect, it } from 'vitest';
import { defaultResponder } from '../testkit/fakeBraze.js';
import { useGatewayWithFakeBraze } from './helpers/gateway.js';
import { LIVE_TEST_ENV, liveClient, subscribe } from './helpers/live.js';

/**
 * Campaign.sendSeries: GET /sends/data_series, one send of an API campaign per day, its points typed
 * as campaign series points. The fake Braze's default (testkit/answers/sends.ts): day i (from 1) has
 * unique_recipients 2·i, revenue i + 0.25, conversions i, conversions_by_send_time i, conversions1 2·i,
 * and one ios_push variation named `Variant of <send_id>` (no id, as Braze's page shows it).
 */
const { braze, gateway } = useGatewayWithFakeBraze(LIVE_TEST_ENV);

const AT = '2024-03-10T00:00:00Z';
const POINT_FIELDS = `date time uniqueRecipients revenue conversions conversionsBySendTime conversions1 conversions2
  channels { channel variationId variationName revenue uniqueRecipients conversions ... on PushStats { sent delivered undelivered deliveryFailed directOpens totalOpens bounces bodyClicks } stats { name value } }`;

/** Day i of the fake's send series, as the graph gives it. */
function expectedPoint(date: string, i: number, sendId: string) {
  return {
    date,
    time: `${date}T00:00:00.000Z`,
    uniqueRecipients: 2 * i,
    revenue: `${i}.25`,
    conversions: i,
    conversionsBySendTime: i,
    conversions1: 2 * i,
    conversions2: null,
    channels: [
      {
        channel: 'ios_push',
        variationId: null,
        variationName: `Variant of ${sendId}`,
        revenue: `${i}.25`,
        uniqueRecipients: 2 * i,
        conversions: i,
        sent: 3 * i,
        delivered: 3 * i,
        undelivered: 0,
        deliveryFailed: 0,
        directOpens: i,
        totalOpens: 2 * i,
        bounces: 0,
        bodyClicks: i,
        stats: [
          { name: 'sent', value: String(3 * i) },
          { name: 'delivered', value: String(3 * i) },
          { name: 'undelivered', value: '0' },
          { name: 'delivery_failed', value: '0' },
          { name: 'direct_opens', value: String(i) },
          { name: 'total_opens', value: String(2 * i) },
          { name: 'bounces', value: '0' },
          { name: 'body_clicks', value: String(i) },
          { name: 'revenue', value: `${i}.25` },
          { name: 'unique_recipients', value: String(2 * i) },
          { name: 'conversions', value: String(i) },
          { name: 'conversions_by_send_time', value: String(i) },
        ],
      },
    ],
  };
}

const calls = () => braze.calls.map(({ method, path, query }) => ({ method, path, query }));

describe('Campaign.sendSeries: GET /sends/data_series', () => {
  afterEach(() => braze.respond(defaultResponder));

  it('asks for the send of the campaign, exact call, every field exact', async () => {
    const result = await gateway.query<Record<string, unknown>>(
      `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Campaign { id sendSeries(sendId: "send-42", length: 3, endingAt: "${AT}") {
        campaignId sendId length endingAt brazeCalls points { ${POINT_FIELDS} } totals { days revenue conversions conversions1 conversions2 }
      } } } }`,
      { reps: [{ __typename: 'Campaign', id: 'campaign-007' }] },
    );
    expect(result.errors).toEqual([]);
    expect(result.data).toEqual({
      _entities: [
        {
          id: 'campaign-007',
          sendSeries: {
            campaignId: 'campaign-007',
            sendId: 'send-42',
            length: 3,
            endingAt: '2024-03-10T00:00:00.000Z',
            brazeCalls: 1,
            points: [expectedPoint('2024-03-08', 1, 'send-42'), expectedPoint('2024-03-09', 2, 'send-42'), expectedPoint('2024-03-10', 3, 'send-42')],
            totals: { days: 3, revenue: '6.75', conversions: 6, conversions1: 12, conversions2: null },
          },
        },
      ],
    });
    // The entity costs nothing: the only call is the send's, with Braze's parameters in its page's order.
    expect(calls()).toEqual([
      { method: 'GET', path: '/sends/data_series', query: { campaign_id: 'campaign-007', send_id: 'send-42', length: '3', ending_at: '2024-03-10T00:00:00Z' } },
    ]);
  });

  it('ending_at is sent in UTC; a window reaching past the 14 days Braze keeps is asked as it is (Braze\'s own example asks 30)', async () => {
    const result = await gateway.query<{ campaign: { sendSeries: { points: unknown[] } } }>(
      '{ campaign(id: "campaign-001") { sendSeries(sendId: "3456789", length: 30, endingAt: "2014-12-10T23:59:59-05:00") { points { date } } } }',
    );
    expect(result.errors).toEqual([]);
    expect(result.data?.campaign.sendSeries.points).toHaveLength(30);
    expect(calls()).toEqual([
      { method: 'GET', path: '/campaigns/details', query: { campaign_id: 'campaign-001' } },
      { method: 'GET', path: '/sends/data_series', query: { campaign_id: 'campaign-001', send_id: '3456789', length: '30', ending_at: '2014-12-11T04:59:59Z' } },
    ]);
  });

  it('shorter windows of the same send share the longest call; another send is its own', async () => {
    const result = await gateway.query<{ _entities: { a: { points: { date: string }[] }; b: { points: { date: string }[] }; c: { sendId: string } }[] }>(
      `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Campaign {
        a: sendSeries(sendId: "s1", length: 2, endingAt: "${AT}") { points { date } }
        b: sendSeries(sendId: "s1", length: 5, endingAt: "${AT}") { points { date } }
        c: sendSeries(sendId: "s2", length: 2, endingAt: "${AT}") { sendId }
      } } }`,
      { reps: [{ __typename: 'Campaign', id: 'campaign-001' }] },
    );
    expect(result.errors).toEqual([]);
    expect(result.data?._entities[0]?.a.points.map((point) => point.date)).toEqual(['2024-03-09', '2024-03-10']);
    expect(result.data?._entities[0]?.b.points).toHaveLength(5);
    expect(calls().map((call) => [call.query['send_id'], call.query['length']])).toEqual([
      ['s1', '5'],
      ['s2', '2'],
    ]);
  });

  it.each([
    ['length 0', 'sendId: "s1", length: 0', 'length', 'length must be between 1 and 100 (inclusive), got 0'],
    ['length 101 (Braze\'s bound: never asked in chunks)', 'sendId: "s1", length: 101', 'length', 'length must be between 1 and 100 (inclusive), got 101'],
    ['a blank sendId', 'sendId: "  ", length: 3', 'sendId', 'sendId must not be empty'],
    ['a sendId past 128 characters', `sendId: "${'s'.repeat(129)}", length: 3`, 'sendId', 'sendId must be at most 128 characters, got 129'],
    ['an endingAt before Braze began', 'sendId: "s1", length: 3, endingAt: "2010-12-31T00:00:00Z"', 'endingAt', undefined],
  ])('%s: BAD_USER_INPUT for that field, no call', async (_, args, argument, message) => {
    const result = await gateway.query<{ _entities: unknown[] }>(
      `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Campaign { id sendSeries(${args}) { length } } } }`,
      { reps: [{ __typename: 'Campaign', id: 'campaign-001' }] },
    );
    expect(result.data?._entities).toEqual([{ id: 'campaign-001', sendSeries: null }]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument });
    if (message) expect(result.errors[0]?.message).toBe(message);
    expect(braze.calls).toEqual([]);
  });

  it('Braze refusing the send (not an API campaign, an unknown send) fails that field alone, with Braze\'s words', async () => {
    braze.respond((call) => (call.path === '/sends/data_series' ? { status: 400, body: { message: 'Invalid send_id' } } : { body: {} }));
    const result = await gateway.query<{ _entities: unknown[] }>(
      `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Campaign { id sendSeries(sendId: "nope", length: 3, endingAt: "${AT}") { length } } } }`,
      { reps: [{ __typename: 'Campaign', id: 'campaign-001' }] },
    );
    expect(result.data?._entities).toEqual([{ id: 'campaign-001', sendSeries: null }]);
    expect(result.errors.map((error) => ({ path: error.path, code: error.extensions?.['code'], message: error.message }))).toEqual([
      { path: ['_entities', 0, 'sendSeries'], code: 'UPSTREAM_BAD_REQUEST', message: 'Braze rejected the request as malformed (400): Invalid send_id' },
    ]);
  });

  it('campaignSendSeries, the live twin: a past window is sent once (COMPLETE) with the same numbers, one call', async () => {
    const stream = subscribe<{ campaignSendSeries: { series: { sendId: string; points: { date: string; uniqueRecipients: number }[] }; status: { state: string } } }>(
      liveClient(gateway),
      `subscription { campaignSendSeries(campaignId: "campaign-003", sendId: "send-9", length: 2, endingAt: "${AT}") { series { sendId points { date uniqueRecipients } } status { state } } }`,
    );
    await stream.done;
    expect(stream.results.map((result) => result.data)).toEqual([
      {
        campaignSendSeries: {
          series: { sendId: 'send-9', points: [{ date: '2024-03-09', uniqueRecipients: 2 }, { date: '2024-03-10', uniqueRecipients: 4 }] },
          status: { state: 'COMPLETE' },
        },
      },
    ]);
    expect(calls()).toEqual([{ method: 'GET', path: '/sends/data_series', query: { campaign_id: 'campaign-003', send_id: 'send-9', length: '2', ending_at: '2024-03-10T00:00:00Z' } }]);
  });
});
