// Braze's own documented example answers (test/fixtures/braze-docs/, see test/helpers/brazeDocs.ts),
// each served verbatim by the fake Braze and queried through the gateway over HTTP: every value of the
// example that the schema exposes comes back with its exact value, and the gateway asked exactly the
// example's request. Each case says which keys of the example the schema does not expose.
import { describe, expect, it } from 'vitest';
import { ENDPOINTS } from '../src/endpoints/index.js';
import { encodeCursor } from '../src/schema/cursor.js';
import { brazeDocsExample, loadBrazeDocsExamples, serveBrazeDocsExample, type BrazeDocsExample } from './helpers/brazeDocs.js';
import { useGatewayWithFakeBraze, type WireResult } from './helpers/gateway.js';
import type { Responder } from '../testkit/fakeBraze.js';

const { braze, gateway } = useGatewayWithFakeBraze({ BRAZE_RETRY_BASE_MS: '5', BRAZE_RETRY_MAX_MS: '10', // A step's channel stats sit 7 deep under `canvas`.
  QUERY_MAX_DEPTH: '8' });

const EXAMPLES = loadBrazeDocsExamples();

type Json = Record<string, unknown>;

/** The body of an example as an object (every documented answer is one). */
const body = (example: BrazeDocsExample): Json => example.response as Json;
const pointsOf = (example: BrazeDocsExample): Json[] => body(example)['data'] as Json[];
/** A Braze date as the DateTime the gateway gives a DAY point: midnight UTC of it. */
const midnight = (date: unknown): string => `${String(date)}T00:00:00.000Z`;
/** A Braze date-time as the DateTime scalar writes it: the same instant in UTC, with milliseconds. */
const instant = (text: unknown): string => new Date(String(text)).toISOString();
/** A JSON number as the Decimal the gateway writes for it (the examples' numbers have no exponent). */
const decimal = (value: unknown): string => String(value);
const camel = (name: string): string => name.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());

/** Every field of every channel family, so an entry shows all of its stats whatever its channel. */
const CHANNEL_FIELDS = `channel variationId variationName revenue uniqueRecipients enrolled
  conversions conversionsBySendTime conversions1 conversions1BySendTime conversions2 conversions2BySendTime conversions3 conversions3BySendTime
  stats { name value } conversionEvents { index conversions bySendTime }
  ... on EmailStats { sent delivered opens uniqueOpens clicks uniqueClicks bounces unsubscribes reportedSpam }
  ... on PushStats { sent directOpens totalOpens opens influencedOpens bounces bodyClicks }
  ... on InAppMessageStats { impressions clicks firstButtonClicks secondButtonClicks }
  ... on ContentCardStats { sent totalImpressions uniqueImpressions totalClicks uniqueClicks totalDismissals uniqueDismissals }
  ... on SmsStats { sent sentToCarrier delivered undelivered rejected deliveryFailed clicks optOut help }
  ... on WebhookStats { sent errors }
  ... on MessagingStats { sent delivered failed read }`;

/**
 * The conversion events a stats object reports (the examples name at most four: `conversions`,
 * `conversions1`…`conversions3`), each with its twin by send or entry time, as the gateway lists them.
 */
function conversionEventsOf(stats: Json, twin: 'bySendTime' | 'byEntryTime'): Json[] {
  const suffix = twin === 'bySendTime' ? '_by_send_time' : '_by_entry_time';
  return ['conversions', 'conversions1', 'conversions2', 'conversions3']
    .map((name, index) => ({ index, conversions: stats[name] ?? null, [twin]: stats[`${name}${suffix}`] ?? null }))
    .filter((event) => event.conversions !== null || event[twin] !== null);
}

/** Braze's names of a channel entry that are who it is, not a stat. */
const IDENTITY = new Set(['variation_api_id', 'variation_name']);

/**
 * What the gateway must give for one entry of Braze's `messages`: its channel and variation, and every
 * stat Braze sent, by its GraphQL name and in `stats` by its Braze name, with its exact value.
 */
function channelEntry(channel: string, entry: Json): Json {
  const expected: Json = {
    channel,
    variationId: entry['variation_api_id'] ?? null,
    variationName: entry['variation_name'] ?? null,
    revenue: entry['revenue'] === undefined ? null : decimal(entry['revenue']),
    stats: Object.entries(entry)
      .filter(([name, value]) => !IDENTITY.has(name) && typeof value === 'number')
      .map(([name, value]) => ({ name, value: decimal(value) })),
    conversionEvents: conversionEventsOf(entry, 'bySendTime'),
  };
  for (const [name, value] of Object.entries(entry)) if (!IDENTITY.has(name) && name !== 'revenue') expected[camel(name)] = value;
  return expected;
}

function channelEntries(messages: unknown): Json[] {
  return Object.entries((messages ?? {}) as Record<string, Json[]>).flatMap(([channel, entries]) => entries.map((entry) => channelEntry(channel, entry)));
}

/** One case: the query that makes the gateway ask the example's request, and what must come back. */
interface Case {
  readonly query: string;
  /** Answers to the calls the query makes besides the example's (another example, an empty page). */
  readonly otherwise?: Responder;
  /** Checks the GraphQL data against the example. */
  readonly check: (data: Json, example: BrazeDocsExample) => void;
}

const answerWith =
  (...examples: string[]): Responder =>
  (call) => {
    for (const name of examples) {
      const other = brazeDocsExample(name);
      if (call.path === other.request.path) return { status: 200, body: other.response };
    }
    return { status: 404, body: { message: 'not a documented request' } };
  };

/** The entry of `id` in a list example's `field`. */
function listed(example: string, field: string, id: unknown): Json {
  const entry = (body(brazeDocsExample(example))[field] as Json[]).find((item) => item['id'] === id);
  if (!entry) throw new Error(`${example} has no ${String(id)}`);
  return entry;
}

/** A DAY count series (KPIs, sessions, segment sizes, purchase quantities): every point's date and count. */
function dayCounts(series: Json, example: BrazeDocsExample, measure: string): void {
  expect(series['points']).toEqual(pointsOf(example).map((point) => ({ time: midnight(point['time']), date: point['time'], value: point[measure] })));
}

const SERIES_WINDOW = 'length endingAt brazeCalls';

/** Campaign-wide counts of a point, by Braze name. */
const CAMPAIGN_COUNTS = ['conversions', 'conversions_by_send_time', 'conversions1', 'conversions1_by_send_time', 'conversions2', 'conversions2_by_send_time', 'conversions3', 'conversions3_by_send_time'];

const CANVAS_EVENTS = 'conversionEvents { index conversions byEntryTime }';
const CANVAS_STATS = `total { revenue conversions conversionsByEntryTime entries ${CANVAS_EVENTS} }
  variants { variantId name revenue conversions conversionsByEntryTime entries ${CANVAS_EVENTS} }
  steps { stepId name revenue conversions conversionsByEntryTime ${CANVAS_EVENTS} channels { ${CHANNEL_FIELDS} } }`;


const CASES: Readonly<Record<string, Case>> = {
  // Every key exposed.
  'eventSeries.day': {
    query: `{ eventSeries(event: "event_name", length: 3, unit: DAY, endingAt: "2014-12-10T23:59:59-05:00", appId: "app-ios-1", segmentId: "segment-vip") {
      event unit appId segmentId ${SERIES_WINDOW} points { time date value count } sum total } }`,
    check: (data, example) => {
      const points = pointsOf(example);
      const sum = points.reduce((total, point) => total + (point['count'] as number), 0);
      expect(data['eventSeries']).toEqual({
        event: 'event_name', unit: 'DAY', appId: 'app-ios-1', segmentId: 'segment-vip', length: 3, endingAt: '2014-12-11T04:59:59.000Z', brazeCalls: 1,
        points: points.map((point) => ({ time: midnight(point['time']), date: point['time'], value: point['count'], count: point['count'] })),
        sum,
        total: sum,
      });
    },
  },
  // Every key exposed; each hour's `time` carries the workspace's offset, given back as the same instant in UTC.
  'eventSeries.hour': {
    query: `{ eventSeries(event: "event_name", length: 24, unit: HOUR, endingAt: "2014-12-10T23:59:59-05:00", appId: "app-ios-1", segmentId: "segment-vip") {
      unit ${SERIES_WINDOW} points { time date value } sum } }`,
    check: (data, example) => {
      const points = pointsOf(example);
      expect(data['eventSeries']).toEqual({
        unit: 'HOUR', length: 24, endingAt: '2014-12-11T04:59:59.000Z', brazeCalls: 1,
        points: points.map((point) => ({ time: instant(point['time']), date: null, value: point['count'] })),
        sum: points.reduce((total, point) => total + (point['count'] as number), 0),
      });
      expect((data['eventSeries'] as Json)['points']).toContainEqual({ time: '2014-12-11T04:00:00.000Z', date: null, value: 9 });
    },
  },
  // Every key exposed: the names, and (from the page's size, 250, and the example's 3) that no page follows.
  'eventList.page': {
    query: `{ customEvents(first: 3, after: "${encodeCursor(749)}") { nodes { name } pageInfo { hasNextPage hasPreviousPage } } }`,
    check: (data, example) => {
      expect(data['customEvents']).toEqual({ nodes: (body(example)['events'] as string[]).map((name) => ({ name })), pageInfo: { hasNextPage: false, hasPreviousPage: true } });
    },
  },
  // Every key exposed (for all four KPIs).
  'kpiDau.day': kpiCase('DAILY_ACTIVE_USERS', 10, 'dau'),
  'kpiMau.day': kpiCase('MONTHLY_ACTIVE_USERS', 7, 'mau'),
  'kpiNewUsers.day': kpiCase('NEW_USERS', 14, 'new_users'),
  'kpiUninstalls.day': kpiCase('UNINSTALLS', 14, 'uninstalls'),
  // Every key exposed.
  'sessionSeries.day': {
    query: `{ sessionSeries(length: 14, unit: DAY, endingAt: "2018-06-28T23:59:59-05:00", appId: "app-ios-1", segmentId: "segment-vip") {
      unit appId segmentId ${SERIES_WINDOW} points { time date value } total } }`,
    check: (data, example) => {
      const series = data['sessionSeries'] as Json;
      expect(series).toMatchObject({ unit: 'DAY', appId: 'app-ios-1', segmentId: 'segment-vip', length: 14, endingAt: '2018-06-29T04:59:59.000Z', brazeCalls: 1 });
      dayCounts(series, example, 'sessions');
      expect(series['total']).toBe(pointsOf(example).reduce((sum, point) => sum + (point['sessions'] as number), 0));
    },
  },
  // Every key exposed.
  'sessionSeries.hour': {
    query: `{ sessionSeries(length: 24, unit: HOUR, endingAt: "2018-06-28T23:59:59-05:00", appId: "app-ios-1", segmentId: "segment-vip") { unit points { time date value } } }`,
    check: (data, example) => {
      expect(data['sessionSeries']).toEqual({ unit: 'HOUR', points: pointsOf(example).map((point) => ({ time: instant(point['time']), date: null, value: point['sessions'] })) });
    },
  },
  // Every key exposed; two pages are read (the first, then an empty one that ends the list: their size is undocumented).
  'productList.page': {
    query: '{ products(first: 10) { nodes { name } pageInfo { hasNextPage } } }',
    otherwise: (call) => (call.path === '/purchases/product_list' && call.query['page'] === '1' ? { status: 200, body: { message: 'success', products: [] } } : { status: 404 }),
    check: (data, example) => {
      expect(data['products']).toEqual({ nodes: (body(example)['products'] as string[]).map((name) => ({ name })), pageInfo: { hasNextPage: false } });
    },
  },
  // Every key exposed.
  'purchaseQuantitySeries.day': {
    query: `{ purchaseSeries(measure: QUANTITY, length: 7, unit: DAY, endingAt: "2018-06-28T23:59:59-05:00", appId: "app-ios-1", product: "Feline Body Armor") {
      measure unit product appId length endingAt ... on PurchaseQuantitySeries { points { time date value } total } } }`,
    check: (data, example) => {
      const series = data['purchaseSeries'] as Json;
      expect(series).toMatchObject({ measure: 'QUANTITY', unit: 'DAY', product: 'Feline Body Armor', appId: 'app-ios-1', length: 7, endingAt: '2018-06-29T04:59:59.000Z' });
      dayCounts(series, example, 'purchase_quantity');
      expect(series['total']).toBe(pointsOf(example).reduce((sum, point) => sum + (point['purchase_quantity'] as number), 0));
    },
  },
  // Every key exposed. The page types `time` as a date even for hours: each hour is the hour of its position in the window.
  'purchaseQuantitySeries.hour': {
    query: `{ purchaseSeries(measure: QUANTITY, length: 24, unit: HOUR, endingAt: "2018-06-28T23:59:59-05:00", appId: "app-ios-1", product: "Feline Body Armor") {
      unit ... on PurchaseQuantitySeries { points { time date value } total } } }`,
    check: (data, example) => {
      const points = pointsOf(example);
      expect(data['purchaseSeries']).toEqual({
        unit: 'HOUR',
        points: points.map((point, index) => ({ time: hourOfPosition('2018-06-29T04:59:59Z', points.length, index), date: null, value: point['purchase_quantity'] })),
        total: points.reduce((sum, point) => sum + (point['purchase_quantity'] as number), 0),
      });
    },
  },
  // Every key exposed.
  'purchaseRevenueSeries.day': {
    query: `{ purchaseSeries(measure: REVENUE, length: 7, unit: DAY, endingAt: "2018-06-28T23:59:59-05:00", appId: "app-ios-1", product: "Feline Body Armor") {
      measure ... on PurchaseRevenueSeries { points { time date value } total } } }`,
    check: (data, example) => {
      const points = pointsOf(example);
      expect(data['purchaseSeries']).toEqual({
        measure: 'REVENUE',
        points: points.map((point) => ({ time: midnight(point['time']), date: point['time'], value: decimal(point['revenue']) })),
        total: decimal(points.reduce((sum, point) => sum + (point['revenue'] as number), 0)),
      });
    },
  },
  // Every key exposed, each hour from its position (as for quantities).
  'purchaseRevenueSeries.hour': {
    query: `{ purchaseSeries(measure: REVENUE, length: 24, unit: HOUR, endingAt: "2018-06-28T23:59:59-05:00", appId: "app-ios-1", product: "Feline Body Armor") {
      ... on PurchaseRevenueSeries { points { time date value } } } }`,
    check: (data, example) => {
      const points = pointsOf(example);
      expect(data['purchaseSeries']).toEqual({
        points: points.map((point, index) => ({ time: hourOfPosition('2018-06-29T04:59:59Z', points.length, index), date: null, value: decimal(point['revenue']) })),
      });
    },
  },
  // Every key exposed.
  'segmentList.page': {
    query: `{ segments(first: 2, after: "${encodeCursor(99)}", sortDirection: DESC) { nodes { id name analyticsTrackingEnabled tags } } }`,
    check: (data, example) => {
      expect(data['segments']).toEqual({
        nodes: (body(example)['segments'] as Json[]).map((segment) => ({ id: segment['id'], name: segment['name'], analyticsTrackingEnabled: segment['analytics_tracking_enabled'], tags: segment['tags'] })),
      });
    },
  },
  // Every key exposed.
  'segmentDetails.segment': {
    query: '{ segment(id: "1d6f1bd5-6b7a-4e0d-9a3f-0f1d8c2b7e40") { id name description textDescription tags teams createdAt updatedAt analyticsTrackingEnabled } }',
    // The list example's first entry is this segment.
    otherwise: answerWith('segmentList.page'),
    check: (data, example) => {
      const segment = body(example);
      expect(data['segment']).toEqual({
        id: '1d6f1bd5-6b7a-4e0d-9a3f-0f1d8c2b7e40', name: segment['name'], description: segment['description'], textDescription: segment['text_description'],
        tags: segment['tags'], teams: segment['teams'], createdAt: instant(segment['created_at']), updatedAt: instant(segment['updated_at']),
        // /segments/details does not carry it: looked up in the list, as `segments` gives it.
        analyticsTrackingEnabled: listed('segmentList.page', 'segments', '1d6f1bd5-6b7a-4e0d-9a3f-0f1d8c2b7e40')['analytics_tracking_enabled'],
      });
    },
  },
  // Every key exposed (the segment's details come from its own example).
  'segmentSize.day': {
    query: '{ segment(id: "1d6f1bd5-6b7a-4e0d-9a3f-0f1d8c2b7e40") { sizeSeries(length: 14, endingAt: "2018-06-27T23:59:59-05:00") { length endingAt points { time date value } } } }',
    otherwise: answerWith('segmentDetails.segment'),
    check: (data, example) => {
      const series = (data['segment'] as Json)['sizeSeries'] as Json;
      expect(series).toMatchObject({ length: 14, endingAt: '2018-06-28T04:59:59.000Z' });
      dayCounts(series, example, 'size');
    },
  },
  // Every key exposed.
  'campaignList.page': {
    query: '{ campaigns(first: 2, includeArchived: false, lastEditedAfter: "2020-06-28T23:59:59-05:00", sortDirection: DESC) { nodes { id name isApiCampaign tags lastEditedAt } } }',
    check: (data, example) => {
      expect(data['campaigns']).toEqual({
        nodes: (body(example)['campaigns'] as Json[]).map((campaign) => ({
          id: campaign['id'], name: campaign['name'], isApiCampaign: campaign['is_api_campaign'], tags: campaign['tags'], lastEditedAt: instant(campaign['last_edited']),
        })),
      });
    },
  },
  // Not exposed: the messages' contents (alert, subject, body, extras, URLs, headers, in-app survey pages,
  // WhatsApp template fields) and `app_ids` of "Upgrades App" and "Starts Session" behaviors.
  'campaignDetails.campaign': {
    query: `{ campaign(id: "3bbc4555-8fa0-4c9b-a5c0-4505edf3e064") {
      id name description archived draft enabled hasPostLaunchDraft scheduleType channels tags teams createdAt updatedAt firstSentAt lastSentAt lastEditedAt isApiCampaign
      variations { id channel name control } conversionBehaviors { type windowSeconds customEventName product } } }`,
    // The list example's first entry is this campaign.
    otherwise: answerWith('campaignList.page'),
    check: (data, example) => {
      const campaign = body(example);
      expect(data['campaign']).toEqual({
        id: '3bbc4555-8fa0-4c9b-a5c0-4505edf3e064', name: campaign['name'], description: campaign['description'],
        archived: campaign['archived'], draft: campaign['draft'], enabled: campaign['enabled'], hasPostLaunchDraft: campaign['has_post_launch_draft'],
        scheduleType: campaign['schedule_type'], channels: campaign['channels'], tags: campaign['tags'], teams: campaign['teams'],
        createdAt: instant(campaign['created_at']), updatedAt: instant(campaign['updated_at']), firstSentAt: instant(campaign['first_sent']), lastSentAt: instant(campaign['last_sent']),
        // Only the list says these: looked up in it, as `campaigns` gives them.
        lastEditedAt: instant(listed('campaignList.page', 'campaigns', '3bbc4555-8fa0-4c9b-a5c0-4505edf3e064')['last_edited']),
        isApiCampaign: listed('campaignList.page', 'campaigns', '3bbc4555-8fa0-4c9b-a5c0-4505edf3e064')['is_api_campaign'],
        variations: Object.entries(campaign['messages'] as Record<string, Json>).map(([id, message]) => ({
          id, channel: message['channel'] ?? null, name: message['name'] ?? null, control: message['type'] === 'control',
        })),
        conversionBehaviors: (campaign['conversion_behaviors'] as Json[]).map((behavior) => ({
          type: behavior['type'], windowSeconds: behavior['window'], customEventName: behavior['custom_event_name'] ?? null, product: behavior['product'] ?? null,
        })),
      });
    },
  },
  // Every key exposed: the point's results and each channel × variation's stats.
  'campaignSeries.multichannel': campaignSeriesCase(),
  // Every key exposed. Variations named only by `variation_name` stay apart, in the totals too.
  'campaignSeries.multivariate': campaignSeriesCase(),
  // Every key exposed.
  'canvasList.page': {
    query: `{ canvases(first: 2, after: "${encodeCursor(99)}", lastEditedAfter: "2020-06-28T23:59:59-05:00", sortDirection: DESC) { nodes { id name tags lastEditedAt } } }`,
    check: (data, example) => {
      expect(data['canvases']).toEqual({
        nodes: (body(example)['canvases'] as Json[]).map((canvas) => ({ id: canvas['id'], name: canvas['name'], tags: canvas['tags'], lastEditedAt: instant(canvas['last_edited']) })),
      });
    },
  },
  // Not exposed: `first_step_id` (deprecated; the same step as `first_step_ids`), the names of
  // `next_paths`, and the steps' `messages` (message contents).
  'canvasDetails.schema': canvasDetailsCase(),
  // Not exposed: the names of `next_paths` and the steps' `messages` (subjects, bodies, their dates).
  'canvasDetails.messages-by-channel': canvasDetailsCase(),
  // Not exposed: `data.name` (the Canvas's name, asked of /canvas/details instead).
  'canvasSeries.breakdowns': {
    query: `{ canvas(id: "0d7c7f3e-2b1a-4c5d-8e9f-a0b1c2d3e4f5") { series(startingAt: "2018-05-28T23:59:59-05:00", endingAt: "2018-05-30T23:59:59-05:00", variants: true, steps: true, deletedSteps: true) {
      canvasId startingAt endingAt length includesVariants includesSteps includesDeletedSteps
      points { time date ${CANVAS_STATS} }
      totals { revenue conversions conversionsByEntryTime entries } } } }`,
    otherwise: answerWith('canvasDetails.schema'),
    check: (data, example) => {
      const days = (body(example)['data'] as Json)['stats'] as Json[];
      const series = (data['canvas'] as Json)['series'] as Json;
      expect(series).toMatchObject({
        canvasId: '0d7c7f3e-2b1a-4c5d-8e9f-a0b1c2d3e4f5', startingAt: '2018-05-29T04:59:59.000Z', endingAt: '2018-05-31T04:59:59.000Z', length: null,
        includesVariants: true, includesSteps: true, includesDeletedSteps: true,
      });
      const points = series['points'] as Json[];
      expect(points).toHaveLength(days.length);
      days.forEach((day, index) => {
        expect(points[index]).toMatchObject({ time: midnight(day['time']), date: day['time'] });
        expectCanvasStats(points[index]!, day);
      });
      const sum = (key: string): number => days.reduce((total, day) => total + ((day['total_stats'] as Json)[key] as number), 0);
      expect(series['totals']).toEqual({ revenue: decimal(sum('revenue')), conversions: sum('conversions'), conversionsByEntryTime: sum('conversions_by_entry_time'), entries: sum('entries') });
    },
  },
  // Not exposed: `data.name` (as for the series).
  'canvasSummary.breakdowns': {
    query: `{ canvas(id: "0d7c7f3e-2b1a-4c5d-8e9f-a0b1c2d3e4f5") { summary(startingAt: "2018-05-28T23:59:59-05:00", endingAt: "2018-05-30T23:59:59-05:00", variants: true, steps: true, deletedSteps: true) {
      canvasId startingAt endingAt ${CANVAS_STATS} } } }`,
    otherwise: answerWith('canvasDetails.schema'),
    check: (data, example) => {
      const summary = (data['canvas'] as Json)['summary'] as Json;
      expect(summary).toMatchObject({ canvasId: '0d7c7f3e-2b1a-4c5d-8e9f-a0b1c2d3e4f5', startingAt: '2018-05-29T04:59:59.000Z', endingAt: '2018-05-31T04:59:59.000Z' });
      expectCanvasStats(summary, body(example)['data'] as Json);
    },
  },
};

/** The hour a point at `index` of `length` hourly points stands for: the last is the hour holding `endingAt`. */
function hourOfPosition(endingAt: string, length: number, index: number): string {
  const last = Math.floor(Date.parse(endingAt) / 3_600_000) * 3_600_000;
  return new Date(last - (length - 1 - index) * 3_600_000).toISOString();
}

function kpiCase(kpi: string, length: number, measure: string): Case {
  return {
    query: `{ kpiSeries(kpi: ${kpi}, length: ${length}, endingAt: "2018-06-28T23:59:59-05:00", appId: "app-ios-1") { kpi appId ${SERIES_WINDOW} points { time date value } } }`,
    check: (data, example) => {
      const series = data['kpiSeries'] as Json;
      expect(series).toMatchObject({ kpi, appId: 'app-ios-1', length, endingAt: '2018-06-29T04:59:59.000Z', brazeCalls: 1 });
      dayCounts(series, example, measure);
    },
  };
}

function campaignSeriesCase(): Case {
  return {
    query: `{ campaign(id: "3bbc4555-8fa0-4c9b-a5c0-4505edf3e064") { series(length: 7, endingAt: "2020-06-28T23:59:59-05:00") {
      campaignId length endingAt
      points { time date uniqueRecipients revenue ${CAMPAIGN_COUNTS.map(camel).join(' ')} conversionEvents { index conversions bySendTime } channels { ${CHANNEL_FIELDS} } }
      totals { days revenue channels { channel variationId variationName ... on InAppMessageStats { impressions } } } } } }`,
    otherwise: answerWith('campaignDetails.campaign'),
    check: (data, example) => {
      const series = (data['campaign'] as Json)['series'] as Json;
      const days = pointsOf(example);
      expect(series).toMatchObject({ campaignId: '3bbc4555-8fa0-4c9b-a5c0-4505edf3e064', length: 7, endingAt: '2020-06-29T04:59:59.000Z' });
      const points = series['points'] as Json[];
      expect(points).toHaveLength(days.length);
      days.forEach((day, index) => {
        const point = points[index]!;
        expect(point).toMatchObject({
          time: midnight(day['time']), date: day['time'], uniqueRecipients: day['unique_recipients'], revenue: day['revenue'] === undefined ? null : decimal(day['revenue']),
          ...Object.fromEntries(CAMPAIGN_COUNTS.map((name) => [camel(name), day[name] ?? null])),
          conversionEvents: conversionEventsOf(day, 'bySendTime'),
        });
        const entries = channelEntries(day['messages']);
        expect(point['channels']).toHaveLength(entries.length);
        entries.forEach((entry, at) => expect((point['channels'] as Json[])[at]).toMatchObject(entry));
      });
      // One total per channel × variation, each named as Braze named it, with its own numbers: never two
      // variations as one (the examples have one day, so each total is its entry).
      const who = (entry: Json) => [entry['channel'], entry['variationId'], entry['variationName'], entry['impressions'] ?? null];
      const totals = series['totals'] as Json;
      expect((totals['channels'] as Json[]).map(who)).toEqual(days.flatMap((day) => channelEntries(day['messages'])).map(who));
      expect(totals['revenue']).toBe(decimal(days.reduce((sum, day) => sum + ((day['revenue'] as number | undefined) ?? 0), 0)));
    },
  };
}

function canvasDetailsCase(): Case {
  return {
    query: `{ canvas(id: "0d7c7f3e-2b1a-4c5d-8e9f-a0b1c2d3e4f5") {
      id name description createdAt updatedAt archived draft enabled hasPostLaunchDraft scheduleType firstEntryAt lastEntryAt lastEditedAt channels tags teams
      variants { id name firstStepIds } steps { id name type channels nextStepIds } } }`,
    // The list example's first entry is this Canvas.
    otherwise: answerWith('canvasList.page'),
    check: (data, example) => {
      const canvas = body(example);
      expect(data['canvas']).toEqual({
        id: '0d7c7f3e-2b1a-4c5d-8e9f-a0b1c2d3e4f5', name: canvas['name'], description: canvas['description'],
        createdAt: instant(canvas['created_at']), updatedAt: instant(canvas['updated_at']),
        // Braze `last_edited`: only the list says it; looked up in it, as `canvases` gives it.
        lastEditedAt: instant(listed('canvasList.page', 'canvases', '0d7c7f3e-2b1a-4c5d-8e9f-a0b1c2d3e4f5')['last_edited']),
        archived: canvas['archived'], draft: canvas['draft'], enabled: canvas['enabled'], hasPostLaunchDraft: canvas['has_post_launch_draft'], scheduleType: canvas['schedule_type'],
        firstEntryAt: instant(canvas['first_entry']), lastEntryAt: instant(canvas['last_entry']), channels: canvas['channels'], tags: canvas['tags'], teams: canvas['teams'],
        variants: (canvas['variants'] as Json[]).map((variant) => ({ id: variant['id'], name: variant['name'], firstStepIds: variant['first_step_ids'] })),
        steps: (canvas['steps'] as Json[]).map((step) => ({
          id: step['id'], name: step['name'], type: step['type'], channels: step['channels'],
          nextStepIds: [...new Set([...(step['next_step_ids'] as string[]), ...(step['next_paths'] as Json[]).map((path) => path['next_step_id'] as string)])],
        })),
      });
    },
  };
}

/** Totals, variants and steps of a Canvas day or summary, as Braze's stats object has them. */
function expectCanvasStats(stats: Json, braze: Json): void {
  const totals = braze['total_stats'] as Json;
  expect(stats['total']).toEqual({
    revenue: decimal(totals['revenue']), conversions: totals['conversions'], conversionsByEntryTime: totals['conversions_by_entry_time'], entries: totals['entries'],
    conversionEvents: conversionEventsOf(totals, 'byEntryTime'),
  });
  expect(stats['variants']).toEqual(
    Object.entries(braze['variant_stats'] as Record<string, Json>).map(([variantId, variant]) => ({
      variantId, name: variant['name'], revenue: decimal(variant['revenue']), conversions: variant['conversions'], conversionsByEntryTime: variant['conversions_by_entry_time'] ?? null, entries: variant['entries'],
      conversionEvents: conversionEventsOf(variant, 'byEntryTime'),
    })),
  );
  const steps = Object.entries(braze['step_stats'] as Record<string, Json>);
  expect(stats['steps']).toHaveLength(steps.length);
  steps.forEach(([stepId, step], index) => {
    const got = (stats['steps'] as Json[])[index]!;
    expect(got).toMatchObject({
      stepId, name: step['name'], revenue: decimal(step['revenue']), conversions: step['conversions'], conversionsByEntryTime: step['conversions_by_entry_time'] ?? null,
      conversionEvents: conversionEventsOf(step, 'byEntryTime'),
    });
    const entries = channelEntries(step['messages']);
    expect(got['channels']).toHaveLength(entries.length);
    entries.forEach((entry, at) => expect((got['channels'] as Json[])[at]).toMatchObject(entry));
  });
}

describe("the corpus of Braze's documented examples", () => {
  it('follows the format, names a descriptor of the catalogue and its path, and covers every descriptor', () => {
    const names = new Map(ENDPOINTS.map((endpoint) => [endpoint.name, endpoint.path]));
    for (const example of EXAMPLES) {
      expect(names.get(example.descriptor), `${example.name}: no such descriptor`).toBeDefined();
      expect(example.request.path, example.name).toBe(names.get(example.descriptor));
      expect(example.source.repo, example.name).toBe('braze-inc/braze-docs');
    }
    const covered = new Set(EXAMPLES.map((example) => example.descriptor));
    expect(ENDPOINTS.map((endpoint) => endpoint.name).filter((name) => !covered.has(name))).toEqual([]);
  });

  it('has a case in this file for each of its examples of the endpoints this file covers', () => {
    const mine = new Set(Object.keys(CASES).map((name) => name.split('.')[0]));
    expect(EXAMPLES.filter((example) => mine.has(example.descriptor)).map((example) => example.name).sort()).toEqual(Object.keys(CASES).sort());
  });
});

describe("each documented example, served verbatim, comes back through the gateway with every exposed value exact", () => {
  it.each(Object.keys(CASES))('%s', async (name) => {
    const example = brazeDocsExample(name);
    const { query, otherwise, check } = CASES[name]!;
    serveBrazeDocsExample(braze, example, otherwise);
    const result: WireResult<Json> = await gateway.query<Json>(query);
    expect(result.errors).toEqual([]);
    // The gateway asked exactly the documented request (besides what `otherwise` answers).
    expect(braze.calls.filter((call) => call.path === example.request.path).map((call) => call.query)).toContainEqual(example.request.query);
    check(result.data as Json, example);
  });
});
