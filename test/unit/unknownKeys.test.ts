import { describe, expect, it } from 'vitest';
import { unknownKeysOf } from '../../src/data/answerNotes.js';
import type { Endpoint } from '../../src/data/endpoint.js';
import { CAMPAIGN_DETAILS_SHAPE, campaignDetailsEndpoint } from '../../src/endpoints/campaignDetails.js';
import { CAMPAIGN_LIST_SHAPE, campaignListEndpoint } from '../../src/endpoints/campaignList.js';
import { CAMPAIGN_SERIES_SHAPE, campaignSeriesEndpoint } from '../../src/endpoints/campaignSeries.js';
import { CANVAS_DETAILS_SHAPE, canvasDetailsEndpoint } from '../../src/endpoints/canvasDetails.js';
import { CANVAS_LIST_SHAPE, canvasListEndpoint } from '../../src/endpoints/canvasList.js';
import { canvasSeriesEndpoint, canvasSummaryEndpoint } from '../../src/endpoints/canvasSeries.js';
import { CANVAS_SERIES_SHAPE, CANVAS_SUMMARY_SHAPE } from '../../src/endpoints/answers/canvasStats.js';
import { namePageShape } from '../../src/endpoints/answers/lists.js';
import { seriesShape } from '../../src/endpoints/answers/series.js';
import { ANY, MAX_UNKNOWN_KEYS, keyedBy, keys, listOf, record, unknownKeys, type Shape } from '../../src/endpoints/answers/shape.js';
import { eventListEndpoint } from '../../src/endpoints/eventList.js';
import { eventSeriesEndpoint } from '../../src/endpoints/eventSeries.js';
import { KPI_SERIES_ENDPOINTS } from '../../src/endpoints/kpiSeries.js';
import { productListEndpoint } from '../../src/endpoints/productList.js';
import { PURCHASE_SERIES_ENDPOINTS } from '../../src/endpoints/purchaseSeries.js';
import { SEGMENT_DETAILS_SHAPE, segmentDetailsEndpoint } from '../../src/endpoints/segmentDetails.js';
import { SEGMENT_LIST_SHAPE, segmentListEndpoint } from '../../src/endpoints/segmentList.js';
import { segmentSizeEndpoint } from '../../src/endpoints/segmentSize.js';
import { sessionSeriesEndpoint } from '../../src/endpoints/sessionSeries.js';
import { sendSeriesEndpoint } from '../../src/endpoints/sendSeries.js';
import { EVENT_EXPORT, eventExportEndpoint } from '../../src/endpoints/eventExport.js';
import { ATTRIBUTE_EXPORT, customAttributeExportEndpoint } from '../../src/endpoints/customAttributeExport.js';
import { cursorPageShape } from '../../src/endpoints/answers/cursorPages.js';
import { loadBrazeDocsExamples, type BrazeDocsExample } from '../helpers/brazeDocs.js';

/** The call an example's request stands for, as the endpoint's parser reads it (only its window and flags matter). */
type CallOf = (query: Readonly<Record<string, string>>) => unknown;

const seriesCall: CallOf = (query) => ({ length: Number(query['length']), unit: query['unit'] ?? 'day', endingAt: new Date(query['ending_at'] ?? '') });
const pageCall: CallOf = (query) => ({ page: Number(query['page']), sortDirection: query['sort_direction'] ?? 'asc', includeArchived: query['include_archived'] === 'true', lastEditedAfter: undefined });
const canvasCall: CallOf = (query) => ({
  canvasId: query['canvas_id'],
  length: query['length'] === undefined ? undefined : Number(query['length']),
  startingAt: query['starting_at'] === undefined ? undefined : new Date(query['starting_at']),
  endingAt: new Date(query['ending_at'] ?? ''),
  variants: query['include_variant_breakdown'] === 'true',
  steps: query['include_step_breakdown'] === 'true',
  deletedSteps: query['include_deleted_step_data'] === 'true',
});
const detailsCall: CallOf = () => ({});
const cursorCall: CallOf = (query) => ({ cursor: query['cursor'] ?? null });

/** Each descriptor this file knows: its endpoint, the shape its answers are checked against, and its calls. */
const DESCRIPTORS: Readonly<Record<string, { endpoint: Endpoint<never, unknown>; shape: Shape; call: CallOf }>> = {
  eventSeries: { endpoint: eventSeriesEndpoint as never, shape: seriesShape('count'), call: seriesCall },
  kpiDau: { endpoint: KPI_SERIES_ENDPOINTS.dau as never, shape: seriesShape('dau'), call: seriesCall },
  kpiMau: { endpoint: KPI_SERIES_ENDPOINTS.mau as never, shape: seriesShape('mau'), call: seriesCall },
  kpiNewUsers: { endpoint: KPI_SERIES_ENDPOINTS.new_users as never, shape: seriesShape('new_users'), call: seriesCall },
  kpiUninstalls: { endpoint: KPI_SERIES_ENDPOINTS.uninstalls as never, shape: seriesShape('uninstalls'), call: seriesCall },
  sessionSeries: { endpoint: sessionSeriesEndpoint as never, shape: seriesShape('sessions'), call: seriesCall },
  purchaseQuantitySeries: { endpoint: PURCHASE_SERIES_ENDPOINTS.quantity as never, shape: seriesShape('purchase_quantity'), call: seriesCall },
  purchaseRevenueSeries: { endpoint: PURCHASE_SERIES_ENDPOINTS.revenue as never, shape: seriesShape('revenue'), call: seriesCall },
  segmentSize: { endpoint: segmentSizeEndpoint as never, shape: seriesShape('size'), call: seriesCall },
  eventList: { endpoint: eventListEndpoint as never, shape: namePageShape('events'), call: pageCall },
  productList: { endpoint: productListEndpoint as never, shape: namePageShape('products'), call: pageCall },
  segmentList: { endpoint: segmentListEndpoint as never, shape: SEGMENT_LIST_SHAPE, call: pageCall },
  segmentDetails: { endpoint: segmentDetailsEndpoint as never, shape: SEGMENT_DETAILS_SHAPE, call: detailsCall },
  campaignList: { endpoint: campaignListEndpoint as never, shape: CAMPAIGN_LIST_SHAPE, call: pageCall },
  campaignDetails: { endpoint: campaignDetailsEndpoint as never, shape: CAMPAIGN_DETAILS_SHAPE, call: detailsCall },
  campaignSeries: { endpoint: campaignSeriesEndpoint as never, shape: CAMPAIGN_SERIES_SHAPE, call: seriesCall },
  canvasList: { endpoint: canvasListEndpoint as never, shape: CANVAS_LIST_SHAPE, call: pageCall },
  canvasDetails: { endpoint: canvasDetailsEndpoint as never, shape: CANVAS_DETAILS_SHAPE, call: detailsCall },
  canvasSeries: { endpoint: canvasSeriesEndpoint as never, shape: CANVAS_SERIES_SHAPE, call: canvasCall },
  canvasSummary: { endpoint: canvasSummaryEndpoint as never, shape: CANVAS_SUMMARY_SHAPE, call: canvasCall },
  sendSeries: { endpoint: sendSeriesEndpoint as never, shape: CAMPAIGN_SERIES_SHAPE, call: seriesCall },
  eventExport: { endpoint: eventExportEndpoint as never, shape: cursorPageShape(EVENT_EXPORT), call: cursorCall },
  customAttributeExport: { endpoint: customAttributeExportEndpoint as never, shape: cursorPageShape(ATTRIBUTE_EXPORT), call: cursorCall },
};

const EXAMPLES = loadBrazeDocsExamples().filter((example) => example.descriptor in DESCRIPTORS);

const DRIFT = 'zz_added_by_braze';

/** `value` with DRIFT added to every object `shape` names fields of (never to an object keyed by ids), and the paths it was added at. */
function withDriftEverywhere(value: unknown, shape: Shape, path = ''): { value: unknown; paths: string[] } {
  if (shape.kind === 'list' && Array.isArray(value)) {
    const items = value.map((item) => withDriftEverywhere(item, shape.item, `${path}[]`));
    return { value: items.map((item) => item.value), paths: items.flatMap((item) => item.paths) };
  }
  if (shape.kind === 'keyed' && isObject(value)) {
    const entries = Object.entries(value).map(([key, entry]) => [key, withDriftEverywhere(entry, shape.entry(key), `${path}.*`)] as const);
    return { value: Object.fromEntries(entries.map(([key, entry]) => [key, entry.value])), paths: entries.flatMap(([, entry]) => entry.paths) };
  }
  if (shape.kind === 'record' && isObject(value)) {
    const fields = Object.entries(value).map(([key, field]) => [key, withDriftEverywhere(field, shape.fields[key] ?? ANY, path === '' ? key : `${path}.${key}`)] as const);
    return {
      value: { ...Object.fromEntries(fields.map(([key, field]) => [key, field.value])), [DRIFT]: { any: ['value'] } },
      paths: [path === '' ? DRIFT : `${path}.${DRIFT}`, ...fields.flatMap(([, field]) => field.paths)],
    };
  }
  return { value, paths: [] };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function parse(example: BrazeDocsExample, body: unknown): unknown {
  const { endpoint, call } = DESCRIPTORS[example.descriptor]!;
  return endpoint.parse(JSON.stringify(body), call(example.request.query) as never);
}

describe('unknown keys: what Braze sends that its endpoint does not know', () => {
  it('covers every descriptor of the corpus this file knows', () => {
    expect(new Set(EXAMPLES.map((example) => example.descriptor))).toEqual(new Set(Object.keys(DESCRIPTORS)));
  });

  it.each(EXAMPLES.map((example) => [example.name, example] as const))('%s: every key of the documented example is known', (_name, example) => {
    expect(unknownKeys(example.response, DESCRIPTORS[example.descriptor]!.shape)).toEqual([]);
    expect(unknownKeysOf(parse(example, example.response))).toEqual([]);
  });

  it.each(EXAMPLES.map((example) => [example.name, example] as const))('%s: a key added to every object is never an error, changes nothing, and is noted once per path', (_name, example) => {
    const { value, paths } = withDriftEverywhere(example.response, DESCRIPTORS[example.descriptor]!.shape);
    expect(paths.length).toBeGreaterThan(0);
    const drifted = parse(example, value);
    expect(drifted).toEqual(parse(example, example.response));
    expect([...unknownKeysOf(drifted)].sort()).toEqual([...new Set(paths)].sort());
  });
});

describe('unknownKeys', () => {
  const shape = record({ message: ANY, data: listOf(keys(['time', 'count'])), by_id: keyedBy((id) => (id === 'special' ? keys(['x']) : keys(['y']))) }, (name) => name.startsWith('known_'));

  it('names each unknown key once by its path: [] for list entries, * for ids; a documented pattern is known', () => {
    const body = { message: 'success', known_7: 1, extra: { deep: 1 }, data: [{ time: 't', count: 1, note: 'a' }, { time: 't', count: 2, note: 'b' }], by_id: { special: { x: 1, y: 2 }, other: { y: 1 } } };
    expect(unknownKeys(body, shape)).toEqual(['extra', 'data[].note', 'by_id.*.y']);
  });

  it("looks at keys only: a value of another type is the parser's to refuse", () => {
    expect(unknownKeys({ data: 'nope', by_id: [1] }, shape)).toEqual([]);
    expect(unknownKeys([{ a: 1 }], shape)).toEqual([]);
  });

  it(`lists at most ${MAX_UNKNOWN_KEYS} keys, each name cut to 80 characters (and an ellipsis)`, () => {
    const body = Object.fromEntries(Array.from({ length: 500 }, (_, index) => [`k${index}${'x'.repeat(200)}`, index]));
    const found = unknownKeys({ data: [body] }, shape);
    expect(found).toHaveLength(MAX_UNKNOWN_KEYS);
    expect(found.every((path) => path.length <= 'data[].'.length + 81)).toBe(true);
  });
});
