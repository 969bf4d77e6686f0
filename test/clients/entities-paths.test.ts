import { beforeEach, describe, expect, it } from 'vitest';
import { defaultResponder, type CannedAnswer, type RecordedCall } from '../../testkit/fakeBraze.js';
import { fakeListedCampaign } from '../../testkit/answers/campaigns.js';
import { fakeListedCanvas } from '../../testkit/answers/canvases.js';
import { fakeListedSegment } from '../../testkit/answers/lists.js';
import { useGatewayWithFakeBraze } from '../helpers/gateway.js';

/**
 * One value per entity field, whatever the path: every scalar field of Segment, Campaign and Canvas,
 * asked alone through the list (`segments`), the root field (`segment(id)`) and `_entities`, gives
 * the same value, at an exact Braze cost. No field of the schema returns one of these types from
 * another type, so these three paths are all there are.
 *
 * The fake's details answers name an entity and tag it differently from its list (so other tests can
 * tell which answered); Braze's two answers carry one `name` and one `tags` per entity, so here the
 * details say what the list says, as Braze's do. `last_edited` (list) and `updated_at` (details) are
 * two Braze fields and stay different: the fake Canvas's differ.
 */
const { braze, gateway } = useGatewayWithFakeBraze();

type Json = Record<string, unknown>;

const DETAILS_OF: Readonly<Record<string, { param: string; listed: (id: string) => { name: string; tags: string[] } }>> = {
  '/segments/details': { param: 'segment_id', listed: fakeListedSegment },
  '/campaigns/details': { param: 'campaign_id', listed: fakeListedCampaign },
  '/canvas/details': { param: 'canvas_id', listed: fakeListedCanvas },
};

beforeEach(() => {
  braze.respond(async (call) => {
    const answer: CannedAnswer = await defaultResponder(call);
    const details = DETAILS_OF[call.path];
    if (!details) return answer;
    const { name, tags } = details.listed(call.query[details.param] ?? '');
    return { ...answer, body: { ...(answer.body as Json), name, tags } };
  });
});

/** Where a field's value comes from, which says what each path costs. */
type Source = 'list' | 'details' | 'either';

interface EntityCase {
  readonly type: string;
  readonly id: string;
  /** The list field and the root field. */
  readonly list: string;
  readonly root: string;
  readonly listPath: string;
  readonly detailsPath: string;
  /** The query parameters of the list page the lookup reads (Braze's default order, archived included where Braze can leave them out). */
  readonly lookupPage0: Readonly<Record<string, string>>;
  readonly listPage0: Readonly<Record<string, string>>;
  readonly fields: Readonly<Record<string, Source>>;
}

const CASES: readonly EntityCase[] = [
  {
    type: 'Segment',
    id: 'segment-001',
    list: 'segments',
    root: 'segment',
    listPath: '/segments/list',
    detailsPath: '/segments/details',
    lookupPage0: { page: '0' },
    listPage0: { page: '0' },
    fields: { name: 'either', tags: 'either', analyticsTrackingEnabled: 'list', description: 'details', textDescription: 'details', teams: 'details', createdAt: 'details', updatedAt: 'details' },
  },
  {
    type: 'Campaign',
    id: 'campaign-001',
    list: 'campaigns',
    root: 'campaign',
    listPath: '/campaigns/list',
    detailsPath: '/campaigns/details',
    lookupPage0: { page: '0', include_archived: 'true' },
    listPage0: { page: '0', include_archived: 'false' },
    fields: {
      name: 'either',
      tags: 'either',
      isApiCampaign: 'list',
      lastEditedAt: 'list',
      archived: 'details',
      draft: 'details',
      enabled: 'details',
      hasPostLaunchDraft: 'details',
      description: 'details',
      scheduleType: 'details',
      channels: 'details',
      teams: 'details',
      createdAt: 'details',
      updatedAt: 'details',
      firstSentAt: 'details',
      lastSentAt: 'details',
      'variations { id channel name control }': 'details',
      'conversionBehaviors { type windowSeconds customEventName product }': 'details',
    },
  },
  {
    type: 'Canvas',
    id: 'canvas-001',
    list: 'canvases',
    root: 'canvas',
    listPath: '/canvas/list',
    detailsPath: '/canvas/details',
    lookupPage0: { page: '0', include_archived: 'true' },
    listPage0: { page: '0' },
    fields: {
      name: 'either',
      tags: 'either',
      lastEditedAt: 'list',
      description: 'details',
      archived: 'details',
      draft: 'details',
      enabled: 'details',
      hasPostLaunchDraft: 'details',
      scheduleType: 'details',
      channels: 'details',
      teams: 'details',
      createdAt: 'details',
      updatedAt: 'details',
      firstEntryAt: 'details',
      lastEntryAt: 'details',
      'variants { id name firstStepIds }': 'details',
      'steps { id name type channels nextStepIds }': 'details',
    },
  },
];

const calls = (): { path: string; query: Readonly<Record<string, string>> }[] => braze.calls.map(({ path, query }: RecordedCall) => ({ path, query }));

/** The entity's data through one path, and the Braze calls that cost. */
async function through(path: 'list' | 'root' | 'entities', entity: EntityCase, selection: string): Promise<{ value: unknown; calls: ReturnType<typeof calls> }> {
  braze.calls.length = 0;
  const query =
    path === 'list'
      ? `{ ${entity.list}(first: 2) { nodes { id ${selection} } } }`
      : path === 'root'
        ? `{ ${entity.root}(id: "${entity.id}") { id ${selection} } }`
        : `query ($r: [_Any!]!) { _entities(representations: $r) { ... on ${entity.type} { id ${selection} } } }`;
  const result = await gateway.query<Json>(query, path === 'entities' ? { r: [{ __typename: entity.type, id: entity.id }] } : undefined);
  expect(result.errors).toEqual([]);
  const data = result.data!;
  const value =
    path === 'list' ? (data[entity.list] as { nodes: Json[] }).nodes.find((node) => node['id'] === entity.id) : path === 'root' ? data[entity.root] : (data['_entities'] as Json[])[0];
  return { value, calls: calls() };
}

describe('each field × each path gives one value, at an exact Braze cost', () => {
  for (const entity of CASES) {
    describe(entity.type, () => {
      for (const [selection, source] of Object.entries(entity.fields)) {
        it(`${entity.type}.${selection.split(' ')[0]!} (from ${source === 'either' ? 'whichever answer the path has' : `the ${source}`})`, async () => {
          const list = await through('list', entity, selection);
          const root = await through('root', entity, selection);
          const entities = await through('entities', entity, selection);
          expect(list.value).toBeDefined();
          expect(root.value).toEqual(list.value);
          expect(entities.value).toEqual(list.value);

          const listPage = { path: entity.listPath, query: entity.listPage0 };
          const lookupPage = { path: entity.listPath, query: entity.lookupPage0 };
          const details = (id: string): { path: string; query: Record<string, string> } => ({ path: entity.detailsPath, query: { [`${entity.type.toLowerCase()}_id`]: id } });
          // The list path asks the details of each listed entity when the field needs them: two on the page.
          const listDetails = source === 'details' ? [details(entity.id.replace(/1$/, '0')), details(entity.id)] : [];
          expect(sortCalls(list.calls)).toEqual(sortCalls([listPage, ...listDetails]));
          // The root field always asks the details (an unknown id fails there); a list-only field adds the page holding the entity.
          expect(root.calls).toEqual(source === 'list' ? [details(entity.id), lookupPage] : [details(entity.id)]);
          expect(entities.calls).toEqual(source === 'list' ? [lookupPage] : [details(entity.id)]);
        });
      }
    });
  }
});

function sortCalls<T extends { path: string; query: Readonly<Record<string, string>> }>(list: readonly T[]): T[] {
  return [...list].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

describe('list-only fields of entities reached by id: the lookup', () => {
  it('reads the pages up to the entity once per request, shared by every field and entity that asks', async () => {
    braze.calls.length = 0;
    const result = await gateway.query<{ _entities: Json[] }>(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Campaign { id isApiCampaign lastEditedAt } } }`,
      { r: ['campaign-001', 'campaign-120', 'campaign-003', 'campaign-120'].map((id) => ({ __typename: 'Campaign', id })) },
    );
    expect(result.errors).toEqual([]);
    expect(result.data?._entities).toEqual([
      { id: 'campaign-001', isApiCampaign: true, lastEditedAt: '2024-02-03T04:05:06.000Z' },
      { id: 'campaign-120', isApiCampaign: false, lastEditedAt: '2024-02-03T04:05:06.000Z' },
      { id: 'campaign-003', isApiCampaign: true, lastEditedAt: '2024-02-03T04:05:06.000Z' },
      { id: 'campaign-120', isApiCampaign: false, lastEditedAt: '2024-02-03T04:05:06.000Z' },
    ]);
    expect(calls()).toEqual([
      { path: '/campaigns/list', query: { page: '0', include_archived: 'true' } },
      { path: '/campaigns/list', query: { page: '1', include_archived: 'true' } },
    ]);
  });

  it('finds archived campaigns (the lookup includes them) with the value the list gives with includeArchived', async () => {
    const listed = await gateway.query<{ campaigns: { nodes: Json[] } }>('{ campaigns(first: 12, includeArchived: true) { nodes { id isApiCampaign } } }');
    const archived = listed.data!.campaigns.nodes.find((node) => node['id'] === 'campaign-009');
    expect(archived).toEqual({ id: 'campaign-009', isApiCampaign: true });
    braze.calls.length = 0;
    const byId = await gateway.query<{ campaign: Json }>('{ campaign(id: "campaign-009") { id isApiCampaign } }');
    expect(byId.data?.campaign).toEqual(archived);
    expect(calls()).toEqual([
      { path: '/campaigns/details', query: { campaign_id: 'campaign-009' } },
      { path: '/campaigns/list', query: { page: '0', include_archived: 'true' } },
    ]);
  });

  it('a segment the list does not have: null, after reading the whole list once (3 pages of 250 segments)', async () => {
    braze.calls.length = 0;
    const result = await gateway.query<{ segment: Json }>('{ segment(id: "segment-archived") { id analyticsTrackingEnabled } }');
    expect(result.errors).toEqual([]);
    expect(result.data?.segment).toEqual({ id: 'segment-archived', analyticsTrackingEnabled: null });
    expect(calls()).toEqual([
      { path: '/segments/details', query: { segment_id: 'segment-archived' } },
      { path: '/segments/list', query: { page: '0' } },
      { path: '/segments/list', query: { page: '1' } },
      { path: '/segments/list', query: { page: '2' } },
    ]);
  });

  it('fields the root field already has cost nothing more: no list page for name, tags or details fields', async () => {
    braze.calls.length = 0;
    const result = await gateway.query<{ campaign: Json }>('{ campaign(id: "campaign-001") { id name tags enabled } }');
    expect(result.errors).toEqual([]);
    expect(calls()).toEqual([{ path: '/campaigns/details', query: { campaign_id: 'campaign-001' } }]);
  });
});

/** The entities Braze knows by name (the second node of their list, by name at their root field, as an entity, by node(id:)). */
interface NamedCase {
  readonly type: string;
  readonly name: string;
  /** Each field, and the Braze paths it adds on a path that did not list the entity with it (its lookup). */
  readonly fields: Readonly<Record<string, readonly string[]>>;
  /** The path whose list already carries what a looked-up field needs (no lookup there). */
  readonly listCarries?: string;
}

const nodes = (field: string) => (data: Json) => (data[field] as { nodes: Json[] }).nodes[1];
const first = (field: string) => (data: Json) => (data[field] as Json[])[0];
const named = (type: string, name: string, selection: string): Record<string, { query: string; pick: (data: Json) => unknown; cost: string[] }> => ({
  entities: {
    query: `{ _entities(representations: [{ __typename: "${type}", name: "${name}" }]) { ... on ${type} { ${selection} } } }`,
    pick: first('_entities'),
    cost: [],
  },
  node: { query: `{ node(id: "${type}:${name}") { ... on ${type} { ${selection} } } }`, pick: (data) => data['node'], cost: [] },
});

const NAMED: readonly NamedCase[] = [
  {
    type: 'CustomEvent',
    name: 'event_001',
    fields: { id: [], name: [], description: ['/events'], tags: ['/events'], includedInAnalyticsReport: ['/events'], status: ['/events'] },
  },
  {
    type: 'CustomAttribute',
    name: 'attribute_01',
    fields: { id: [], name: [], dataType: ['/custom_attributes'], description: ['/custom_attributes'], tags: ['/custom_attributes'], status: ['/custom_attributes'], arrayLength: ['/custom_attributes'] },
    listCarries: 'list',
  },
  { type: 'Product', name: 'product_001', fields: { id: [], name: [] } },
];

function pathsOf(entity: NamedCase, selection: string): Record<string, { query: string; pick: (data: Json) => unknown; cost: readonly string[] }> {
  const byType: Record<string, Record<string, { query: string; pick: (data: Json) => unknown; cost: string[] }>> = {
    CustomEvent: {
      list: { query: `{ customEvents(first: 2) { nodes { ${selection} } } }`, pick: nodes('customEvents'), cost: ['/events/list'] },
      root: { query: `{ customEvent(name: "${entity.name}") { ${selection} } }`, pick: (data) => data['customEvent'], cost: [] },
    },
    CustomAttribute: { list: { query: `{ customAttributes(first: 2) { nodes { ${selection} } } }`, pick: nodes('customAttributes'), cost: ['/custom_attributes'] } },
    Product: { list: { query: `{ products(first: 2) { nodes { ${selection} } } }`, pick: nodes('products'), cost: ['/purchases/product_list'] } },
  };
  return { ...byType[entity.type], ...named(entity.type, entity.name, selection) };
}

describe('entities known by name: each field × each path (list, root field, _entities, node) gives one value, at an exact Braze cost', () => {
  for (const entity of NAMED) {
    for (const [field, lookup] of Object.entries(entity.fields)) {
      it(`${entity.type}.${field}`, async () => {
        const values: Record<string, unknown> = {};
        for (const [path, { query, pick, cost }] of Object.entries(pathsOf(entity, field))) {
          braze.calls.length = 0;
          const result = await gateway.query<Json>(query);
          expect(result.errors, path).toEqual([]);
          values[path] = pick(result.data!);
          const expected = path === entity.listCarries ? cost : [...cost, ...lookup];
          expect(braze.calls.map((call) => call.path), `${path}: Braze calls`).toEqual(expected);
        }
        const [firstValue, ...others] = Object.values(values);
        expect(firstValue).toBeDefined();
        for (const value of others) expect(value).toEqual(firstValue);
        expect(Object.keys(values).sort()).toEqual(entity.type === 'CustomEvent' ? ['entities', 'list', 'node', 'root'] : ['entities', 'list', 'node']);
      });
    }
  }
});
