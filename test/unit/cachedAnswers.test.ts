import { describe, expect, it } from 'vitest';
import { bodyCodec } from '../../src/data/cache.js';
import type { Endpoint } from '../../src/data/endpoint.js';
import { campaignDetailsEndpoint } from '../../src/endpoints/campaignDetails.js';
import { campaignListEndpoint } from '../../src/endpoints/campaignList.js';
import { campaignSeriesEndpoint } from '../../src/endpoints/campaignSeries.js';
import { canvasDetailsEndpoint } from '../../src/endpoints/canvasDetails.js';
import { canvasListEndpoint } from '../../src/endpoints/canvasList.js';
import { canvasSeriesEndpoint, canvasSummaryEndpoint } from '../../src/endpoints/canvasSeries.js';
import { eventListEndpoint } from '../../src/endpoints/eventList.js';
import { eventSeriesEndpoint } from '../../src/endpoints/eventSeries.js';
import { KPI_SERIES_ENDPOINTS } from '../../src/endpoints/kpiSeries.js';
import { productListEndpoint } from '../../src/endpoints/productList.js';
import { PURCHASE_SERIES_ENDPOINTS } from '../../src/endpoints/purchaseSeries.js';
import { segmentDetailsEndpoint } from '../../src/endpoints/segmentDetails.js';
import { segmentListEndpoint } from '../../src/endpoints/segmentList.js';
import { segmentSizeEndpoint } from '../../src/endpoints/segmentSize.js';
import { sessionSeriesEndpoint } from '../../src/endpoints/sessionSeries.js';
import { sendSeriesEndpoint } from '../../src/endpoints/sendSeries.js';
import { SIMULATED_CAMPAIGNS } from '../../src/endpoints/simulated/campaigns.js';
import { SIMULATED_CANVASES } from '../../src/endpoints/simulated/canvases.js';
import { SIMULATED_SEGMENTS } from '../../src/endpoints/simulated/lists.js';

/**
 * What a store of text (Redis) keeps of an answer is Braze's body, read back by the endpoint's own
 * parser for the call (bodyCodec): for every endpoint, the body of Braze's answer (the simulator's,
 * which is Braze-shaped) read back is the same answer; altered the way a forger would (a number made
 * text or an object, an extra point), or read back for a call it could not answer, it is a miss.
 */
const NOW = Date.parse('2024-03-12T10:00:00Z');
const ENDING_AT = new Date('2024-03-10T00:00:00Z');

interface Case {
  readonly name: string;
  readonly endpoint: Endpoint<never, unknown>;
  readonly call: unknown;
}
const one = <Call, Answer>(name: string, endpoint: Endpoint<Call, Answer>, call: Call): Case => ({ name, endpoint: endpoint as unknown as Endpoint<never, unknown>, call });

const canvas = SIMULATED_CANVASES[0]!;
const canvasCall = { canvasId: canvas.id, length: 3, startingAt: undefined, endingAt: ENDING_AT, variants: true, steps: true, deletedSteps: false };
const CASES: readonly Case[] = [
  one('eventSeries', eventSeriesEndpoint, { event: 'e', length: 5, unit: 'day', endingAt: ENDING_AT, appId: undefined, segmentId: undefined }),
  one('eventSeries (hours)', eventSeriesEndpoint, { event: 'e', length: 5, unit: 'hour', endingAt: ENDING_AT, appId: undefined, segmentId: undefined }),
  one('kpiDau', KPI_SERIES_ENDPOINTS.dau, { length: 5, unit: 'day', endingAt: ENDING_AT, appId: undefined }),
  one('sessionSeries', sessionSeriesEndpoint, { length: 5, unit: 'hour', endingAt: ENDING_AT, appId: undefined, segmentId: undefined }),
  one('purchaseRevenueSeries', PURCHASE_SERIES_ENDPOINTS.revenue, { length: 5, unit: 'day', endingAt: ENDING_AT, appId: undefined, product: undefined }),
  one('segmentSize', segmentSizeEndpoint, { segmentId: SIMULATED_SEGMENTS[0]!.id, length: 5, unit: 'day', endingAt: ENDING_AT }),
  one('eventList', eventListEndpoint, { page: 0 }),
  one('productList', productListEndpoint, { page: 0 }),
  one('segmentList', segmentListEndpoint, { page: 0, sortDirection: 'asc' }),
  one('segmentDetails', segmentDetailsEndpoint, { segmentId: SIMULATED_SEGMENTS[0]!.id }),
  one('campaignList', campaignListEndpoint, { page: 0, includeArchived: true, lastEditedAfter: undefined, sortDirection: 'asc' }),
  one('campaignDetails', campaignDetailsEndpoint, { campaignId: SIMULATED_CAMPAIGNS[0]!.id }),
  one('campaignSeries', campaignSeriesEndpoint, { campaignId: SIMULATED_CAMPAIGNS[0]!.id, length: 5, unit: 'day', endingAt: ENDING_AT }),
  one('canvasList', canvasListEndpoint, { page: 0, includeArchived: true, lastEditedAfter: undefined, sortDirection: 'asc' }),
  one('canvasDetails', canvasDetailsEndpoint, { canvasId: canvas.id }),
  one('canvasSeries', canvasSeriesEndpoint, canvasCall),
  one('canvasSummary', canvasSummaryEndpoint, canvasCall),
  one('sendSeries', sendSeriesEndpoint, { campaignId: SIMULATED_CAMPAIGNS.find((campaign) => campaign.isApiCampaign && campaign.enabled)!.id, sendId: 'send-1', length: 5, unit: 'day', endingAt: ENDING_AT }),
];

/** Braze's (the simulator's) body for `call`, and the answer the endpoint parses from it. */
function fetched({ endpoint, call }: Case): { readonly body: string; readonly answer: unknown } {
  const params = endpoint.searchParams(call as never);
  const { status, body } = endpoint.simulate({ params, now: NOW });
  expect(status).toBe(200);
  const text = JSON.stringify(body);
  return { body: text, answer: endpoint.parse(text, call as never) };
}

/** What a Redis cache keeps (the codec's form, as JSON text read back), read back for `call`. */
function readBack({ endpoint }: Case, stored: unknown, call: unknown): unknown {
  const codec = bodyCodec(endpoint.parse, call as never);
  return codec.decode(JSON.parse(JSON.stringify(stored)) as unknown);
}

/** What is written for the answer `item` fetched. */
function written(item: Case): string {
  const { body, answer } = fetched(item);
  const text = bodyCodec(item.endpoint.parse, item.call as never).encode({ answer, fetchedAt: new Date(NOW), body });
  expect(text).toBe(body);
  return text ?? '';
}

/** Every path to a number in `value`, with the number. */
function numbersIn(value: unknown, path: (string | number)[] = []): { path: (string | number)[]; value: number }[] {
  if (typeof value === 'number') return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((entry, index) => numbersIn(entry, [...path, index]));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([key, entry]) => numbersIn(entry, [...path, key]));
  return [];
}

/** Every path to a string in `value`, with the string. */
function stringsIn(value: unknown, path: (string | number)[] = []): { path: (string | number)[]; value: string }[] {
  if (typeof value === 'string') return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((entry, index) => stringsIn(entry, [...path, index]));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([key, entry]) => stringsIn(entry, [...path, key]));
  return [];
}

/** `value` with the number (or string) at `path` replaced (a deep copy). */
function withNumber(value: unknown, path: readonly (string | number)[], replacement: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(value)) as Record<string | number, unknown>;
  let at: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[path[path.length - 1]!] = replacement;
  return copy;
}

describe('every endpoint reads back from a cache only what its parse makes of a body Braze could send', () => {
  it.each(CASES)('$name: its answer survives the cache exactly', (item) => {
    expect(readBack(item, written(item), item.call)).toEqual(fetched(item).answer);
  });

  /** Braze's list and detail bodies carry no number: their strings are forged instead. */
  const WITHOUT_NUMBERS = ['eventList', 'productList', 'segmentList', 'segmentDetails', 'campaignList', 'canvasList', 'canvasDetails'];

  it.each(CASES.filter(({ name }) => !WITHOUT_NUMBERS.includes(name)))('$name: no stored number may be text or an object', (item) => {
    const body = JSON.parse(written(item)) as unknown;
    const numbers = numbersIn(body);
    expect(numbers.length).toBeGreaterThan(0);
    for (const { path } of numbers) {
      for (const forged of ['7', { n: 7 }]) {
        expect(readBack(item, JSON.stringify(withNumber(body, path, forged)), item.call), `${path.join('.')} = ${JSON.stringify(forged)}`).toBeUndefined();
      }
    }
  });

  it.each(CASES.filter(({ name }) => WITHOUT_NUMBERS.includes(name)))('$name: no stored string may be a number or an object', (item) => {
    const body = JSON.parse(written(item)) as unknown;
    const strings = stringsIn(body).filter(({ path }) => path[0] !== 'message');
    expect(strings.length).toBeGreaterThan(0);
    for (const { path } of strings) {
      for (const forged of [7, { s: 'x' }]) {
        expect(readBack(item, JSON.stringify(withNumber(body, path, forged)), item.call), `${path.join('.')} = ${JSON.stringify(forged)}`).toBeUndefined();
      }
    }
  });

  it.each(CASES.filter(({ name }) => /Series|Size|kpi|sessionSeries/.test(name) && name !== 'canvasSeries'))('$name: no more points than the call asked for', (item) => {
    const body = JSON.parse(written(item)) as { data: unknown[] };
    expect(readBack(item, JSON.stringify({ ...body, data: [...body.data, ...body.data] }), item.call)).toBeUndefined();
  });

  it('a value that is not text (an answer stored by an older version) is a miss, not an error', () => {
    const item = CASES[0]!;
    expect(readBack(item, fetched(item).answer, item.call)).toBeUndefined();
    expect(readBack(item, null, item.call)).toBeUndefined();
  });
});
