import { describe, expect, it } from 'vitest';
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
import { SIMULATED_CAMPAIGNS } from '../../src/endpoints/simulated/campaigns.js';
import { SIMULATED_CANVASES } from '../../src/endpoints/simulated/canvases.js';
import { SIMULATED_SEGMENTS } from '../../src/endpoints/simulated/lists.js';

/**
 * Every endpoint's codec against what its own parse makes of Braze's answer (the simulator's, which is
 * Braze-shaped): written and read back through JSON it is the same answer; read back for a call it
 * could not answer, or altered the way a forger would (a count of -5 or 1e300, an extra point, an
 * instant no date names), it is a miss.
 */
const NOW = Date.parse('2024-03-12T10:00:00Z');
/** Fields the codecs keep as epoch milliseconds. */
const INSTANT_FIELDS = new Set(['t', 'time', 'lastEdited', 'lastEditedAt', 'createdAt', 'updatedAt', 'firstSentAt', 'lastSentAt', 'firstEntry', 'lastEntry']);
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
  one('segmentList', segmentListEndpoint, { page: 0 }),
  one('segmentDetails', segmentDetailsEndpoint, { segmentId: SIMULATED_SEGMENTS[0]!.id }),
  one('campaignList', campaignListEndpoint, { page: 0, includeArchived: true, lastEditedAfter: undefined }),
  one('campaignDetails', campaignDetailsEndpoint, { campaignId: SIMULATED_CAMPAIGNS[0]!.id }),
  one('campaignSeries', campaignSeriesEndpoint, { campaignId: SIMULATED_CAMPAIGNS[0]!.id, length: 5, unit: 'day', endingAt: ENDING_AT }),
  one('canvasList', canvasListEndpoint, { page: 0, includeArchived: true, lastEditedAfter: undefined }),
  one('canvasDetails', canvasDetailsEndpoint, { canvasId: canvas.id }),
  one('canvasSeries', canvasSeriesEndpoint, canvasCall),
  one('canvasSummary', canvasSummaryEndpoint, canvasCall),
];

/** Braze's (the simulator's) answer to `call`, parsed as the endpoint parses Braze's. */
function parsed({ endpoint, call }: Case): unknown {
  const params = endpoint.searchParams(call as never);
  const { status, body } = endpoint.simulate({ params, now: NOW });
  expect(status).toBe(200);
  return endpoint.parse(JSON.stringify(body), call as never);
}

/** What a Redis cache keeps: the codec's form, as JSON text read back. */
function stored({ endpoint }: Case, answer: unknown): unknown {
  return JSON.parse(JSON.stringify(endpoint.codec.encode(answer))) as unknown;
}

/** Every path to a number in `value`, with the number. */
function numbersIn(value: unknown, path: (string | number)[] = []): { path: (string | number)[]; value: number }[] {
  if (typeof value === 'number') return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((entry, index) => numbersIn(entry, [...path, index]));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([key, entry]) => numbersIn(entry, [...path, key]));
  return [];
}

/** `value` with the number at `path` replaced (a deep copy). */
function withNumber(value: unknown, path: readonly (string | number)[], replacement: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(value)) as Record<string | number, unknown>;
  let at: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[path[path.length - 1]!] = replacement;
  return copy;
}

describe('every endpoint reads back from a cache only what its parse could have made of Braze', () => {
  it.each(CASES)('$name: its answer survives the cache exactly', (item) => {
    const answer = parsed(item);
    expect(item.endpoint.codec.decode(stored(item, answer), item.call as never)).toEqual(answer);
  });

  it.each(CASES.filter(({ name }) => !['eventList', 'productList', 'segmentList'].includes(name)))('$name: no stored count may be -5, 1e300 or text, no instant one no date names', (item) => {
    const value = stored(item, parsed(item));
    const numbers = numbersIn(value);
    expect(numbers.length).toBeGreaterThan(0);
    for (const { path } of numbers) {
      const field = String(path.findLast((key) => typeof key === 'string'));
      // Instants (epoch ms) may be any integer within the years Braze writes; amounts any finite number
      // Braze's parser takes (Canvas revenue may be negative, with refunds; a revenue series' values have
      // cents but no sign): each is forged as what it cannot be.
      const amount = field === 'revenue' || (field === 'v' && item.name === 'purchaseRevenueSeries');
      const forgeries = INSTANT_FIELDS.has(field) ? [1e300, 1.5, '7'] : amount ? (field === 'v' ? [-5, '7'] : ['7', null]) : [-5, 1e300, 1e20, 1.5, '7'];
      for (const forged of forgeries) {
        expect(item.endpoint.codec.decode(withNumber(value, path, forged), item.call as never), `${path.join('.')} = ${String(forged)}`).toBeUndefined();
      }
    }
  });

  it.each(CASES.filter(({ name }) => /Series|Size|kpi|sessionSeries/.test(name)))('$name: no more points than the call asked for', (item) => {
    const value = stored(item, parsed(item));
    const longer = Array.isArray(value) ? [...value, ...value] : { t: [...(value as { t: number[] }).t, 0], v: [...(value as { v: number[] }).v, 1] };
    expect(item.endpoint.codec.decode(longer, item.call as never)).toBeUndefined();
  });
});
