import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { composeServices as apolloCompose } from '@apollo/composition';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { composeServices as guildCompose } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { composeSupergraph } from '../scripts/compose-supergraph.js';
import { SUBGRAPH_FILE } from '../scripts/print-schema.js';
import { INITIATIVE_CANVAS_IDS, INITIATIVES_SDL, startInitiativeSubgraph, type InitiativeSubgraph } from './fixtures/initiativeSubgraph.js';
import { startFakeBraze, type FakeBraze } from '../testkit/fakeBraze.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

const BRAZE_SDL = readFileSync(SUBGRAPH_FILE, 'utf8');

describe('composition of the committed subgraph SDL with another subgraph', () => {
  const services = [
    { name: 'braze', url: 'http://braze.invalid/graphql', typeDefs: parse(BRAZE_SDL) },
    { name: 'crm', url: 'http://crm.invalid/graphql', typeDefs: parse(INITIATIVES_SDL) },
  ];

  it('composes with @theguild/federation-composition, without errors', () => {
    const result = guildCompose(services);
    expect(result.errors).toBeUndefined();
    expect(result.supergraphSdl).toContain('type CustomEvent');
    expect(result.supergraphSdl).toContain('@join__type(graph: BRAZE, key: "name")');
    expect(result.supergraphSdl).toContain('@join__type(graph: CRM, key: "name", resolvable: false)');
    expect(result.supergraphSdl).toContain('type Segment');
    expect(result.supergraphSdl).toContain('@join__type(graph: BRAZE, key: "id")');
    expect(result.supergraphSdl).toContain('@join__type(graph: CRM, key: "id", resolvable: false)');
    expect(result.supergraphSdl).toMatch(/type Product implements Node\s+@join__type\(graph: BRAZE, key: "name"\)\s+@join__implements\(graph: BRAZE, interface: "Node"\)/);
    expect(result.supergraphSdl).toMatch(/type Canvas\s+@join__type\(graph: BRAZE, key: "id"\)\s+@join__type\(graph: CRM, key: "id", resolvable: false\)/);
  });

  it('composes with @apollo/composition, without errors or hints', () => {
    const result = apolloCompose(services);
    expect(result.errors).toBeUndefined();
    expect(result.hints?.map((h) => `${h.definition.code}: ${h.message}`)).toEqual([]);
    expect(result.supergraphSdl).toContain('type CustomEvent');
  });

  it('`npm run compose` refuses an incompatible subgraph with the composition errors', () => {
    const clash = INITIATIVES_SDL.replace('type Query {', 'type EventSeries { total: String }\ntype Query {');
    expect(() =>
      composeSupergraph([
        { name: 'braze', url: 'http://braze.invalid/graphql', sdl: BRAZE_SDL },
        { name: 'crm', url: 'http://crm.invalid/graphql', sdl: clash },
      ]),
    ).toThrow(/composition failed:\n  - /);
  });
});

describe('end to end through Hive Gateway serving the composed supergraph', () => {
  let braze: FakeBraze;
  let subgraph: TestGateway;
  let initiatives: InitiativeSubgraph;
  let router: Server;
  let routerUrl: string;

  beforeAll(async () => {
    braze = await startFakeBraze();
    subgraph = await startTestGateway(braze);
    initiatives = await startInitiativeSubgraph();
    const supergraph = composeSupergraph([
      { name: 'braze', url: subgraph.url.href, sdl: BRAZE_SDL },
      { name: 'crm', url: initiatives.url.href, sdl: INITIATIVES_SDL },
    ]);
    const runtime = createGatewayRuntime({
      supergraph,
      logging: false,
      // The subgraph asks for a credential like any client: the router passes on its client's.
      propagateHeaders: {
        fromClientToSubgraphs: ({ request }) => ({ authorization: request.headers.get('authorization') }),
      },
    });
    router = createServer(runtime);
    await new Promise<void>((resolve) => router.listen(0, '127.0.0.1', resolve));
    routerUrl = `http://127.0.0.1:${(router.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    router.closeAllConnections();
    await new Promise((resolve) => router.close(resolve));
    await initiatives.close();
    await subgraph.close();
    await braze.close();
  });
  beforeEach(() => {
    braze.calls.length = 0;
  });

  async function route(query: string): Promise<{ data?: unknown; errors?: unknown[] }> {
    const response = await fetch(routerUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...subgraph.authHeaders },
      body: JSON.stringify({ query }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { data?: unknown; errors?: unknown[] };
  }

  it('10 initiatives sharing 2 conversion events cost exactly 2 upstream calls, with the right numbers', async () => {
    const result = await route(`{
      initiatives {
        id
        conversionEvent {
          name
          series(length: 3, endingAt: "2024-03-10T12:00:00Z") { total points { time count } }
        }
      }
    }`);
    expect(result.errors).toBeUndefined();
    const series = {
      total: 6,
      points: [
        { time: '2024-03-08T00:00:00.000Z', count: 1 },
        { time: '2024-03-09T00:00:00.000Z', count: 2 },
        { time: '2024-03-10T00:00:00.000Z', count: 3 },
      ],
    };
    expect(result.data).toEqual({
      initiatives: Array.from({ length: 10 }, (_, i) => ({
        id: `i${i + 1}`,
        conversionEvent: { name: i % 2 === 0 ? 'purchase' : 'signup', series },
      })),
    });
    expect(braze.seriesCalls.map((c) => c.query['event']).sort()).toEqual(['purchase', 'signup']);
  });

  it('10 initiatives over 3 audiences: one Braze call per distinct segment size series, none for the references', async () => {
    const result = await route(`{
      initiatives {
        id
        audience { id sizeSeries(length: 3, endingAt: "2024-03-10T12:00:00Z") { points { date value } latest { value } } }
      }
    }`);
    expect(result.errors).toBeUndefined();
    const sizeSeries = {
      points: [
        { date: '2024-03-08', value: 1 },
        { date: '2024-03-09', value: 2 },
        { date: '2024-03-10', value: 3 },
      ],
      latest: { value: 3 },
    };
    expect(result.data).toEqual({
      initiatives: Array.from({ length: 10 }, (_, i) => ({ id: `i${i + 1}`, audience: { id: `segment-00${i % 3}`, sizeSeries } })),
    });
    expect(braze.calls.map((call) => `${call.path} ${call.query['segment_id']}`).sort()).toEqual([
      '/segments/data_series segment-000',
      '/segments/data_series segment-001',
      '/segments/data_series segment-002',
    ]);
  });

  it('audience names come from /segments/details, once per distinct segment', async () => {
    const result = (await route('{ initiatives { audience { id name } } }')) as { data: { initiatives: { audience: { id: string; name: string } }[] } };
    expect(result.data.initiatives.map((c) => c.audience.name)).toEqual(Array.from({ length: 10 }, (_, i) => `Details of segment-00${i % 3}`));
    expect(braze.calls.map((call) => `${call.path} ${call.query['segment_id']}`).sort()).toEqual([
      '/segments/details segment-000',
      '/segments/details segment-001',
      '/segments/details segment-002',
    ]);
  });

  it('10 initiatives over 3 campaigns: one /campaigns/details and one /campaigns/data_series call per distinct campaign', async () => {
    const result = await route(`{
      initiatives {
        id
        campaign {
          id name enabled channels
          series(length: 2, endingAt: "2024-03-10T12:00:00Z") {
            points { date uniqueRecipients revenue conversions channels { channel variationId ... on EmailStats { sent opens } ... on PushStats { sent directOpens } } }
            totals { revenue conversions }
          }
        }
      }
    }`);
    expect(result.errors).toBeUndefined();
    const campaignOf = (id: string) => ({
      id,
      name: `Details of ${id}`,
      enabled: true,
      channels: ['email', 'ios_push'],
      series: {
        points: [1, 2].map((i) => ({
          date: `2024-03-${String(8 + i).padStart(2, '0')}`,
          uniqueRecipients: 10 * i,
          revenue: `${i}.1`,
          conversions: i,
          channels: [
            { channel: 'email', variationId: `${id}-v1`, sent: 10 * i, opens: 4 * i },
            { channel: 'ios_push', variationId: `${id}-v2`, sent: 5 * i, directOpens: i },
          ],
        })),
        totals: { revenue: '3.2', conversions: 3 },
      },
    });
    expect(result.data).toEqual({ initiatives: Array.from({ length: 10 }, (_, i) => ({ id: `i${i + 1}`, campaign: campaignOf(`campaign-00${i % 3}`) })) });
    expect(braze.calls.map((call) => `${call.path} ${call.query['campaign_id']}`).sort()).toEqual([
      '/campaigns/data_series campaign-000',
      '/campaigns/data_series campaign-001',
      '/campaigns/data_series campaign-002',
      '/campaigns/details campaign-000',
      '/campaigns/details campaign-001',
      '/campaigns/details campaign-002',
    ]);
  });

  it('10 initiatives over 2 Canvases: one details, one series and one summary call per distinct Canvas, breakdowns as selected', async () => {
    const result = await route(`{
      initiatives {
        id
        canvas {
          id
          name
          series(length: 3, endingAt: "2024-03-10T12:00:00Z") { totals { entries revenue } points { date variants { variantId entries } } }
          summary(length: 3, endingAt: "2024-03-10T12:00:00Z") { total { entries } steps { stepId channels { channel ... on EmailStats { sent } } } }
        }
      }
    }`);
    expect(result.errors).toBeUndefined();
    const canvas = (id: string) => ({
      id,
      name: `Details of ${id}`,
      series: {
        totals: { entries: 60, revenue: '6.3' },
        points: [1, 2, 3].map((n) => ({
          date: `2024-03-${String(7 + n).padStart(2, '0')}`,
          variants: [
            { variantId: `${id}-v1`, entries: 6 * n },
            { variantId: `${id}-v2`, entries: 4 * n },
          ],
        })),
      },
      summary: {
        total: { entries: 60 },
        steps: [
          { stepId: `${id}-s1`, channels: [{ channel: 'email', sent: 60 }] },
          { stepId: `${id}-s2`, channels: [{ channel: 'android_push' }] },
        ],
      },
    });
    expect(result.data).toEqual({ initiatives: Array.from({ length: 10 }, (_, i) => ({ id: `i${i + 1}`, canvas: canvas(INITIATIVE_CANVAS_IDS[i % 2] ?? '') })) });
    const window = 'length=3&ending_at=2024-03-10T12%3A00%3A00Z';
    expect(braze.calls.map((call) => `${call.path}?${new URLSearchParams(call.query).toString()}`).sort()).toEqual([
      `/canvas/data_series?canvas_id=canvas-welcome&${window}&include_variant_breakdown=true`,
      `/canvas/data_series?canvas_id=canvas-winback&${window}&include_variant_breakdown=true`,
      `/canvas/data_summary?canvas_id=canvas-welcome&${window}&include_step_breakdown=true`,
      `/canvas/data_summary?canvas_id=canvas-winback&${window}&include_step_breakdown=true`,
      '/canvas/details?canvas_id=canvas-welcome',
      '/canvas/details?canvas_id=canvas-winback',
    ]);
  });

  it('_entities straight to the braze subgraph, duplicate Canvas ids: one details, one series and one summary call per distinct id', async () => {
    const ids = ['canvas-a', 'canvas-b', 'canvas-a', 'canvas-a', 'canvas-b'];
    const result = await subgraph.query<{ _entities: { id: string; name: string; series: { totals: { entries: number } }; summary: { variants: { variantId: string }[] } }[] }>(
      `query ($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on Canvas {
            id
            name
            series(length: 2, endingAt: "2024-03-10T00:00:00Z") { totals { entries } }
            summary(length: 2, endingAt: "2024-03-10T00:00:00Z") { variants { variantId } }
          }
        }
      }`,
      { representations: ids.map((id) => ({ __typename: 'Canvas', id })) },
    );
    expect(result.errors).toEqual([]);
    expect(result.data?._entities).toEqual(
      ids.map((id) => ({ id, name: `Details of ${id}`, series: { totals: { entries: 30 } }, summary: { variants: [{ variantId: `${id}-v1` }, { variantId: `${id}-v2` }] } })),
    );
    const window = 'length=2&ending_at=2024-03-10T00%3A00%3A00Z';
    expect(braze.calls.map((call) => `${call.path}?${new URLSearchParams(call.query).toString()}`).sort()).toEqual([
      `/canvas/data_series?canvas_id=canvas-a&${window}`,
      `/canvas/data_series?canvas_id=canvas-b&${window}`,
      `/canvas/data_summary?canvas_id=canvas-a&${window}&include_variant_breakdown=true`,
      `/canvas/data_summary?canvas_id=canvas-b&${window}&include_variant_breakdown=true`,
      '/canvas/details?canvas_id=canvas-a',
      '/canvas/details?canvas_id=canvas-b',
    ]);
  });

  it('the subgraph root fields are reachable through the router too', async () => {
    const result = await route(`{
      customEvent(name: "purchase") { series(length: 2, unit: HOUR, endingAt: "2024-03-10T12:00:00Z") { total } }
      eventSeries(event: "purchase", length: 2, unit: HOUR, endingAt: "2024-03-10T12:00:00Z") { total }
    }`);
    expect(result).toEqual({ data: { customEvent: { series: { total: 3 } }, eventSeries: { total: 3 } } });
    expect(braze.seriesCalls).toHaveLength(1);
  });

  it('a failing series nulls only itself in the supergraph, with its code', async () => {
    braze.respond((call) =>
      call.query['event'] === 'signup' ? { status: 403, body: { message: 'no permission' } } : { body: { message: 'success', data: [] } },
    );
    const result = (await route(`{
      initiatives { id conversionEvent { name series(length: 1, endingAt: "2024-03-10T12:00:00Z") { total } } }
    }`)) as { data: { initiatives: { conversionEvent: { series: unknown } }[] }; errors: { extensions?: { code?: string } }[] };
    expect(result.data.initiatives.map((c) => c.conversionEvent.series)).toEqual(
      Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? { total: 0 } : null)),
    );
    expect(new Set(result.errors.map((e) => e.extensions?.code))).toEqual(new Set(['UPSTREAM_FORBIDDEN']));
    expect(braze.seriesCalls).toHaveLength(2);
  });
});
