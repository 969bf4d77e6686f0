import { afterEach, describe, expect, it } from 'vitest';
import { encodeCursor } from '../src/schema/cursor.js';
import { defaultResponder } from '../testkit/fakeBraze.js';
import { FAKE_CAMPAIGN_IDS } from '../testkit/answers/campaigns.js';
import { useGatewayWithFakeBraze } from './helpers/gateway.js';

const { braze, gateway } = useGatewayWithFakeBraze();
// Scripted answers last one test; answers are cached across tests, so scripted ones use ids of their own.
afterEach(() => braze.respond(defaultResponder));

const calls = (): { path: string; query: Record<string, string> }[] => braze.calls.map(({ path, query }) => ({ path, query: { ...query } }));
const AT = '2024-03-10T12:00:00Z';

describe('campaigns: /campaigns/list, 100 a page', () => {
  it('list fields come from the list alone: one call with include_archived=false, exact values', async () => {
    const result = await gateway.query('{ campaigns(first: 2) { edges { cursor node { id name tags isApiCampaign lastEditedAt } } pageInfo { hasNextPage } } }');
    expect(result.errors).toEqual([]);
    expect(result.data).toEqual({
      campaigns: {
        edges: [
          { cursor: encodeCursor(0), node: { id: 'campaign-000', name: 'Campaign 0', tags: ['from-list'], isApiCampaign: false, lastEditedAt: '2024-02-03T04:05:06.000Z' } },
          { cursor: encodeCursor(1), node: { id: 'campaign-001', name: 'Campaign 1', tags: ['from-list'], isApiCampaign: true, lastEditedAt: '2024-02-03T04:05:06.000Z' } },
        ],
        pageInfo: { hasNextPage: true },
      },
    });
    expect(calls()).toEqual([{ path: '/campaigns/list', query: { page: '0', include_archived: 'false' } }]);
  });

  it('includeArchived and lastEditedAfter are sent (the instant in UTC) and are part of the page identity', async () => {
    const result = await gateway.query<{ a: { nodes: { id: string }[] }; b: { nodes: { id: string }[] } }>(
      `{ a: campaigns(first: 10, includeArchived: true, lastEditedAfter: "2024-01-01T01:00:00+01:00") { nodes { id } } b: campaigns(first: 10) { nodes { id } } }`,
    );
    expect(result.errors).toEqual([]);
    expect(result.data?.a.nodes.map((n) => n.id)).toEqual(FAKE_CAMPAIGN_IDS.slice(0, 10));
    expect(result.data?.b.nodes.map((n) => n.id)).toEqual(FAKE_CAMPAIGN_IDS.filter((id) => !id.endsWith('9')).slice(0, 10));
    expect(calls().map((c) => c.query).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)))).toEqual([
      { page: '0', include_archived: 'false' },
      { page: '0', include_archived: 'true', 'last_edit.time[gt]': '2024-01-01T00:00:00Z' },
    ]);
  });

  it('lastEditedAfter is sent to the second, cut down (as Braze documents and as Canvases send it), never with milliseconds', async () => {
    const result = await gateway.query('{ campaigns(first: 1, lastEditedAfter: "2024-01-01T01:00:00.750+01:00") { nodes { id } } }');
    expect(result.errors).toEqual([]);
    expect(calls()).toEqual([{ path: '/campaigns/list', query: { page: '0', include_archived: 'false', 'last_edit.time[gt]': '2024-01-01T00:00:00Z' } }]);
  });

  it('sortDirection: DESC sends sort_direction=desc and pages newest first; it is part of the page identity', async () => {
    const result = await gateway.query<{ a: { nodes: { id: string }[] }; b: { nodes: { id: string }[] } }>(
      '{ a: campaigns(first: 2, includeArchived: true, sortDirection: DESC) { nodes { id } } b: campaigns(first: 2, includeArchived: true, sortDirection: ASC) { nodes { id } } }',
    );
    expect(result.errors).toEqual([]);
    expect(result.data?.a.nodes.map((n) => n.id)).toEqual(['campaign-149', 'campaign-148']);
    expect(result.data?.b.nodes.map((n) => n.id)).toEqual(['campaign-000', 'campaign-001']);
    expect(calls().map((c) => c.query).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)))).toEqual([
      { page: '0', include_archived: 'true', sort_direction: 'desc' },
      { page: '0', include_archived: 'true' },
    ]);
  });

  it('fields only details carry cost one details call per campaign, however many fields', async () => {
    const result = await gateway.query('{ campaigns(first: 2) { nodes { id archived draft enabled channels scheduleType firstSentAt lastSentAt description variations { id channel name control } } } }');
    expect(result.errors).toEqual([]);
    expect((result.data as { campaigns: { nodes: unknown[] } }).campaigns.nodes[0]).toEqual({
      id: 'campaign-000',
      archived: false,
      draft: false,
      enabled: true,
      channels: ['email', 'ios_push'],
      scheduleType: 'time_based',
      firstSentAt: '2024-01-05T10:00:00.000Z',
      lastSentAt: '2024-03-01T10:00:00.000Z',
      description: 'About campaign-000',
      variations: [
        { id: 'campaign-000-v1', channel: 'email', name: 'Variation 1', control: false },
        { id: 'campaign-000-v2', channel: 'ios_push', name: 'Variation 2', control: false },
      ],
    });
    expect(calls().filter((c) => c.path === '/campaigns/details').map((c) => c.query)).toEqual([{ campaign_id: 'campaign-000' }, { campaign_id: 'campaign-001' }]);
  });

  it.each([
    ['{ campaigns(first: 0) { nodes { id } } }', 'first'],
    ['{ campaigns(first: 251) { nodes { id } } }', 'first'],
    ['{ campaigns(after: "nope") { nodes { id } } }', 'after'],
    ['{ campaign(id: "") { name } }', 'id'],
    [`{ campaign(id: "${'x'.repeat(129)}") { name } }`, 'id'],
  ])('%s: BAD_USER_INPUT naming %s, no upstream call', async (query, argument) => {
    const result = await gateway.query(query);
    expect(result.errors.map((e) => [e.extensions?.['code'], e.extensions?.['argument']])).toEqual([['BAD_USER_INPUT', argument]]);
    expect(braze.calls).toEqual([]);
  });
});

const SERIES = `query ($length: Int!) { campaign(id: "c-1") { name series(length: $length, endingAt: "${AT}") {
  campaignId length endingAt
  points { time date uniqueRecipients revenue conversions conversionsBySendTime conversions1
    channels { __typename channel variationId variationName revenue
      ... on EmailStats { sent opens uniqueOpens clicks }
      ... on PushStats { sent directOpens totalOpens opens } } }
  totals { days revenue conversions conversionsBySendTime conversions1
    channels { channel variationId ... on EmailStats { sent opens uniqueOpens } ... on PushStats { sent directOpens } } } } } }`;

const DATES = ['2024-03-09', '2024-03-10'];

describe('campaign series: /campaigns/data_series', () => {
  it('exact path and parameters, typed channels per family, totals that sum only what sums', async () => {
    const result = await gateway.query(SERIES, { length: 2 });
    expect(result.errors).toEqual([]);
    expect(result.data).toEqual({
      campaign: {
        name: 'Details of c-1',
        series: {
          campaignId: 'c-1',
          length: 2,
          endingAt: '2024-03-10T12:00:00.000Z',
          points: [1, 2].map((i) => ({
            time: `${DATES[i - 1]}T00:00:00.000Z`,
            date: DATES[i - 1],
            uniqueRecipients: 10 * i,
            revenue: `${i}.1`,
            conversions: i,
            conversionsBySendTime: i,
            conversions1: null,
            channels: [
              { __typename: 'EmailStats', channel: 'email', variationId: 'c-1-v1', variationName: null, revenue: null, sent: 10 * i, opens: 4 * i, uniqueOpens: 3 * i, clicks: i },
              { __typename: 'PushStats', channel: 'ios_push', variationId: 'c-1-v2', variationName: null, revenue: null, sent: 5 * i, directOpens: i, totalOpens: 2 * i, opens: null },
            ],
          })),
          totals: {
            days: 2,
            revenue: '3.2',
            conversions: 3,
            conversionsBySendTime: 3,
            conversions1: null,
            channels: [
              { channel: 'email', variationId: 'c-1-v1', sent: 30, opens: 12, uniqueOpens: null },
              { channel: 'ios_push', variationId: 'c-1-v2', sent: 15, directOpens: 3 },
            ],
          },
        },
      },
    });
    expect(calls()).toEqual([
      { path: '/campaigns/details', query: { campaign_id: 'c-1' } },
      { path: '/campaigns/data_series', query: { campaign_id: 'c-1', length: '2', ending_at: AT } },
    ]);
  });

  it.each([0, 1001])('length %i: BAD_USER_INPUT on the series only, no series call', async (length) => {
    const result = await gateway.query<{ campaign: { name: string; series: unknown } }>(SERIES, { length });
    expect(result.data?.campaign).toEqual({ name: 'Details of c-1', series: null });
    expect(result.errors.map((e) => [e.path, e.extensions?.['code'], e.extensions?.['argument']])).toEqual([[['campaign', 'series'], 'BAD_USER_INPUT', 'length']]);
    expect(braze.calls.filter((c) => c.path === '/campaigns/data_series')).toEqual([]);
  });

  it('a malformed channel entry nulls only the series, naming the path', async () => {
    braze.respond((call) =>
      call.path === '/campaigns/data_series'
        ? { body: { message: 'success', data: [{ time: '2024-03-10', unique_recipients: 1, messages: { email: [{ sent: -3 }] } }] } }
        : defaultResponder(call),
    );
    const result = await gateway.query<{ campaign: { name: string; series: unknown } }>(SERIES, { length: 1 });
    expect(result.data?.campaign).toEqual({ name: 'Details of c-1', series: null });
    expect(result.errors.map((e) => [e.path, e.extensions?.['code'], e.message])).toEqual([
      [['campaign', 'series'], 'UPSTREAM_INVALID_RESPONSE', expect.stringContaining('data[0].messages.email[0].sent is not a non-negative integer')],
    ]);
  });

  it('a negative revenue (refunds) is read, as Canvas stats and purchase series read it, and summed exactly', async () => {
    braze.respond((call) =>
      call.path === '/campaigns/data_series'
        ? {
            body: {
              message: 'success',
              data: [
                { time: '2024-03-09', unique_recipients: 1, revenue: 10.5, messages: { email: [{ variation_api_id: 'v', revenue: 10.5 }] } },
                { time: '2024-03-10', unique_recipients: 1, revenue: -20.25, messages: { email: [{ variation_api_id: 'v', revenue: -20.25 }] } },
              ],
            },
          }
        : defaultResponder(call),
    );
    const result = await gateway.query(`{ campaign(id: "c-refund") { series(length: 2, endingAt: "${AT}") { points { revenue channels { revenue } } totals { revenue channels { revenue } } } } }`);
    expect(result.errors).toEqual([]);
    expect(result.data).toEqual({
      campaign: {
        series: {
          points: [
            { revenue: '10.5', channels: [{ revenue: '10.5' }] },
            { revenue: '-20.25', channels: [{ revenue: '-20.25' }] },
          ],
          totals: { revenue: '-9.75', channels: [{ revenue: '-9.75' }] },
        },
      },
    });
  });

  it('conversions of every conversion event, past the fourth too, as lists by index on points, channel entries and totals', async () => {
    const counts = (n: number) => ({ conversions: 8 * n, conversions_by_send_time: 7 * n, conversions1: 4 * n, conversions3_by_send_time: n, conversions4: n, conversions4_by_send_time: n });
    const events = (n: number) => [
      { index: 0, conversions: 8 * n, bySendTime: 7 * n },
      { index: 1, conversions: 4 * n, bySendTime: null },
      { index: 3, conversions: null, bySendTime: n },
      { index: 4, conversions: n, bySendTime: n },
    ];
    braze.respond((call) =>
      call.path === '/campaigns/data_series'
        ? {
            body: {
              message: 'success',
              data: [1, 2].map((n) => ({ time: `2024-03-0${7 + n}`, unique_recipients: 1, ...counts(n), messages: { email: [{ variation_api_id: 'v', ...counts(n) }] } })),
            },
          }
        : defaultResponder(call),
    );
    const FIELDS = 'conversionEvents { index conversions bySendTime }';
    const result = await gateway.query(
      `{ campaign(id: "c-conversions") { series(length: 2, endingAt: "${AT}") { points { conversions3BySendTime ${FIELDS} channels { ${FIELDS} } } totals { ${FIELDS} channels { ${FIELDS} } } } } }`,
    );
    expect(result.errors).toEqual([]);
    expect(result.data).toEqual({
      campaign: {
        series: {
          points: [1, 2].map((n) => ({ conversions3BySendTime: n, conversionEvents: events(n), channels: [{ conversionEvents: events(n) }] })),
          totals: { conversionEvents: events(3), channels: [{ conversionEvents: events(3) }] },
        },
      },
    });
  });

  it('a channel Braze added later is kept, its stats by name, and does not fail the answer', async () => {
    braze.respond((call) =>
      call.path === '/campaigns/data_series'
        ? { body: { message: 'success', data: [{ time: '2024-03-10', unique_recipients: 1, messages: { line: [{ variation_api_id: 'v', sent: 4, friends_added: 1 }] } }] } }
        : defaultResponder(call),
    );
    const result = await gateway.query(`{ campaign(id: "c-line") { series(length: 1, endingAt: "${AT}") { points { channels { __typename channel stats { name value } } } } } }`);
    expect(result.errors).toEqual([]);
    expect(result.data).toEqual({
      campaign: { series: { points: [{ channels: [{ __typename: 'OtherChannelStats', channel: 'line', stats: [{ name: 'sent', value: '4' }, { name: 'friends_added', value: '1' }] }] }] } },
    });
  });

  it('the same series through two aliases and a shorter window is one call', async () => {
    const result = await gateway.query(
      `{ a: campaign(id: "c-1") { series(length: 3, endingAt: "${AT}") { length } } b: campaign(id: "c-1") { series(length: 3, endingAt: "${AT}") { length } short: series(length: 2, endingAt: "${AT}") { points { date } } } }`,
    );
    expect(result.errors).toEqual([]);
    expect(result.data).toEqual({ a: { series: { length: 3 } }, b: { series: { length: 3 }, short: { points: [{ date: '2024-03-09' }, { date: '2024-03-10' }] } } });
    expect(calls().filter((c) => c.path === '/campaigns/data_series')).toEqual([{ path: '/campaigns/data_series', query: { campaign_id: 'c-1', length: '3', ending_at: AT } }]);
  });
});

describe('Campaign as a federation entity and with long windows', () => {
  it('_entities for 6 representations of 3 distinct ids: one details and one series call per id', async () => {
    const representations = ['c-e1', 'c-e2', 'c-e1', 'c-e3', 'c-e2', 'c-e1'].map((id) => ({ __typename: 'Campaign', id }));
    const result = await gateway.query<{ _entities: { id: string; name: string; series: { totals: { conversions: number } } }[] }>(
      `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Campaign { id name series(length: 3, endingAt: "${AT}") { totals { conversions } } } } }`,
      { representations },
    );
    expect(result.errors).toEqual([]);
    expect(result.data?._entities).toEqual(representations.map(({ id }) => ({ id, name: `Details of ${id}`, series: { totals: { conversions: 6 } } })));
    expect(calls().map((c) => `${c.path} ${c.query['campaign_id']}`).sort()).toEqual([
      '/campaigns/data_series c-e1',
      '/campaigns/data_series c-e2',
      '/campaigns/data_series c-e3',
      '/campaigns/details c-e1',
      '/campaigns/details c-e2',
      '/campaigns/details c-e3',
    ]);
  });

  it('a 150-day series is two calls on the grid, stitched into 150 consecutive days', async () => {
    const result = await gateway.query<{ campaign: { series: { brazeCalls: number; length: number; points: { date: string; conversions: number }[]; totals: { days: number } } } }>(
      `{ campaign(id: "c-long") { series(length: 150, endingAt: "2025-06-15T15:30:00Z") { brazeCalls length points { date conversions } totals { days } } } }`,
    );
    expect(result.errors).toEqual([]);
    expect(calls().filter((c) => c.path === '/campaigns/data_series').map((c) => c.query).sort((a, b) => a['ending_at']!.localeCompare(b['ending_at']!))).toEqual([
      { campaign_id: 'c-long', length: '100', ending_at: '2025-04-18T18:00:00Z' },
      { campaign_id: 'c-long', length: '58', ending_at: '2025-06-15T15:30:00Z' },
    ]);
    const series = result.data!.campaign.series;
    expect(series).toMatchObject({ brazeCalls: 2, length: 150, totals: { days: 150 } });
    const days = series.points.map((p) => Date.parse(p.date));
    expect(days).toHaveLength(150);
    expect(series.points.at(-1)?.date).toBe('2025-06-15');
    expect(days.every((d, i) => i === 0 || d - days[i - 1]! === 86_400_000)).toBe(true);
    // The fake numbers each chunk's days from 1: the newest chunk's are its 1st…58th (2025-04-19 … 06-15);
    // the 92 days before come from the grid chunk ending 2025-04-18, its 9th…100th (2025-01-17 … 04-18).
    expect(series.points.slice(92).map((p) => p.conversions)).toEqual(Array.from({ length: 58 }, (_, i) => i + 1));
    expect(series.points.slice(0, 92).map((p) => p.conversions)).toEqual(Array.from({ length: 92 }, (_, i) => 9 + i));
  });
});
