import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMULATED_CANVASES } from '../src/endpoints/simulated/canvases.js';
import { startSimulatedBraze } from '../src/simulator/server.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startTestGateway(undefined);
});
afterAll(async () => {
  await gateway.close();
});

const AT = '2024-03-10T00:00:00Z';

interface Totals {
  revenue: string;
  conversions: number;
  entries: number;
}
interface Day {
  date: string;
  total: Totals;
  variants: { variantId: string; entries: number }[];
  steps: { stepId: string; channels: { channel: string; sent?: number | null; impressions?: number | null }[] }[];
}
interface DemoCanvas {
  id: string;
  name: string;
  variants: { id: string }[];
  steps: { id: string; channels: string[] }[];
  series: { totals: Totals; points: Day[] };
  summary: { total: Totals; variants: { variantId: string; entries: number }[]; steps: { stepId: string }[] };
}

const CANVAS_QUERY = `query ($id: ID!) {
  canvas(id: $id) {
    id name variants { id } steps { id channels }
    series(length: 14, endingAt: "${AT}") {
      totals { revenue conversions entries }
      points {
        date total { revenue conversions entries } variants { variantId entries }
        steps { stepId channels { channel ... on EmailStats { sent } ... on PushStats { sent } ... on SmsStats { sent } ... on WebhookStats { sent } ... on InAppMessageStats { impressions } } }
      }
    }
    summary(length: 14, endingAt: "${AT}") { total { revenue conversions entries } variants { variantId entries } steps { stepId } }
  }
}`;

describe('demo mode answers the Canvas fields with plausible, deterministic data', () => {
  it('canvases: 100 a page, archived ones only when asked, the same list every time', async () => {
    const page = (includeArchived: boolean, after?: string) =>
      gateway.query<{ canvases: { nodes: { id: string; name: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }>(
        'query ($a: Boolean, $after: String) { canvases(first: 100, includeArchived: $a, after: $after) { nodes { id name } pageInfo { hasNextPage endCursor } } }',
        { a: includeArchived, ...(after ? { after } : {}) },
      );
    const first = await page(true);
    expect(first.errors).toEqual([]);
    expect(first.data?.canvases.nodes.map((node) => node.id)).toEqual(SIMULATED_CANVASES.slice(0, 100).map((canvas) => canvas.id));
    expect(first.data?.canvases.pageInfo.hasNextPage).toBe(true);
    const second = await page(true, first.data?.canvases.pageInfo.endCursor);
    expect(second.data?.canvases.nodes).toHaveLength(10);
    expect(second.data?.canvases.pageInfo.hasNextPage).toBe(false);
    const active = await page(false);
    const archived = SIMULATED_CANVASES.filter((canvas) => canvas.archived).length;
    expect(archived).toBeGreaterThan(0);
    expect(active.data?.canvases.nodes.map((node) => node.id)).toEqual(SIMULATED_CANVASES.filter((canvas) => !canvas.archived).slice(0, 100).map((canvas) => canvas.id));
    expect((await page(true)).data).toEqual(first.data);
  });

  it("a Canvas's details, series and summary agree with each other and are the same twice", async () => {
    const id = SIMULATED_CANVASES[7]?.id ?? '';
    const first = await gateway.query<{ canvas: DemoCanvas }>(CANVAS_QUERY, { id });
    const again = await gateway.query<{ canvas: DemoCanvas }>(CANVAS_QUERY, { id });
    expect(first.errors).toEqual([]);
    expect(again.data).toEqual(first.data);
    const canvas = first.data?.canvas as DemoCanvas;
    expect(canvas.variants.length).toBeGreaterThanOrEqual(1);
    expect(canvas.steps.length).toBeGreaterThanOrEqual(2);
    const { points, totals } = canvas.series;
    expect(points).toHaveLength(14);
    expect(points.at(-1)?.date).toBe('2024-03-10');
    for (const day of points) {
      // Entries in the hundreds to thousands a day, a few percent converting, split over the variants.
      expect(day.total.entries).toBeGreaterThan(100);
      expect(day.total.conversions).toBeLessThan(day.total.entries / 5);
      expect(day.variants.map((variant) => variant.variantId)).toEqual(canvas.variants.map((variant) => variant.id));
      expect(day.variants.reduce((sum, variant) => sum + variant.entries, 0)).toBe(day.total.entries);
      expect(day.steps.map((step) => step.stepId)).toEqual(canvas.steps.map((step) => step.id));
      for (const [index, step] of day.steps.entries()) {
        expect(step.channels.map((entry) => entry.channel)).toEqual(canvas.steps[index]?.channels);
        expect(step.channels.every((entry) => (entry.sent ?? entry.impressions ?? 0) > 0)).toBe(true);
      }
    }
    // The summary of the window is the sum of its days.
    expect(canvas.summary.total).toEqual(totals);
    expect(canvas.summary.variants.map((variant) => variant.entries).reduce((a, b) => a + b, 0)).toBe(totals.entries);
    expect(Number(totals.revenue)).toBeGreaterThan(0);
  });

  it('different Canvases are different numbers', async () => {
    const totals = await Promise.all(
      SIMULATED_CANVASES.slice(0, 5).map(async ({ id }) => (await gateway.query<{ canvas: { summary: { total: Totals } } }>(`{ canvas(id: "${id}") { summary(length: 7, endingAt: "${AT}") { total { entries revenue } } } }`)).data?.canvas.summary.total),
    );
    expect(new Set(totals.map((total) => total?.entries)).size).toBe(5);
  });

  it("an id the simulator does not know is Braze's refusal for that field", async () => {
    const result = await gateway.query('{ canvas(id: "no-such-canvas") { name } }');
    expect(result.data).toEqual({ canvas: null });
    expect(result.errors.map((error) => error.extensions?.['code'])).toEqual(['UPSTREAM_BAD_REQUEST']);
  });

  it('the simulator serves the four Canvas paths in the export bucket, breakdowns only when flagged, and checks parameters like Braze', async () => {
    const simulated = await startSimulatedBraze();
    try {
      const { endpoint, apiKey } = simulated.target;
      const get = async (path: string, query: string) => {
        const response = await fetch(new URL(`${path}?${query}`, endpoint), { headers: { authorization: `Bearer ${apiKey}` } });
        return { status: response.status, limit: response.headers.get('x-ratelimit-limit'), body: (await response.json()) as Record<string, unknown> };
      };
      const id = SIMULATED_CANVASES[0]?.id ?? '';
      const window = `canvas_id=${id}&length=2&ending_at=2024-03-10T05:30:00Z`;
      const plain = await get('/canvas/data_series', window);
      expect(plain.status).toBe(200);
      expect(plain.limit).toBe('250000');
      const { data } = plain.body as { data: { name: string; stats: Record<string, unknown>[] } };
      expect(data.name).toBe(SIMULATED_CANVASES[0]?.name);
      expect(data.stats.map((day) => [day['time'], Object.keys(day)])).toEqual([
        ['2024-03-09', ['time', 'total_stats']],
        ['2024-03-10', ['time', 'total_stats']],
      ]);
      const flagged = await get('/canvas/data_summary', `${window}&include_variant_breakdown=true&include_step_breakdown=true`);
      expect(Object.keys((flagged.body as { data: Record<string, unknown> }).data)).toEqual(['name', 'total_stats', 'variant_stats', 'step_stats']);
      const details = await get('/canvas/details', `canvas_id=${id}`);
      expect(details.body['name']).toBe(SIMULATED_CANVASES[0]?.name);
      expect((await get('/canvas/list', 'page=0')).status).toBe(200);
      const refused: [string, string][] = [
        ['/canvas/data_series', `canvas_id=${id}&ending_at=2024-03-10T00:00:00Z`],
        ['/canvas/data_series', `canvas_id=${id}&length=15&ending_at=2024-03-10T00:00:00Z`],
        ['/canvas/data_summary', `canvas_id=${id}&starting_at=2024-02-20T00:00:00Z&ending_at=2024-03-10T00:00:00Z`],
        ['/canvas/data_summary', `canvas_id=${id}&length=2&include_step_breakdown=yes`],
        ['/canvas/data_series', 'length=2'],
        ['/canvas/details', 'canvas_id=unknown'],
        ['/canvas/list', 'page=-1'],
      ];
      for (const [path, query] of refused) expect((await get(path, query)).status, `${path}?${query}`).toBe(400);
    } finally {
      await simulated.close();
    }
  });
});
