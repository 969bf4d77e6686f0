import type { SimulatedAnswer, SimulationInput } from '../../src/data/endpoint.js';
import { CANVAS_LIST_PAGE_SIZE } from '../../src/endpoints/canvasList.js';
import { simulatePage } from '../../src/endpoints/simulated/lists.js';

/**
 * The fake Braze's default answers for the Canvas endpoints, with numbers a test can assert exactly:
 * - /canvas/list: 150 Canvases `canvas-000` … `canvas-149`, 100 a page (filters are recorded, not applied; `sort_direction=desc` reverses them);
 * - /canvas/details: any id, with two variants (`<id>-v1`, `<id>-v2`) and two steps (`<id>-s1` email, `<id>-s2` push);
 * - /canvas/data_series: `length` days ending with the date of `ending_at` (or the dates from `starting_at`),
 *   day n (1 = oldest) with revenue n + 0.1, conversions n, conversions by entry time n, entries 10n;
 *   variant and step stats only when their `include_*` flag is `true`, as Braze does;
 * - /canvas/data_summary: those days rolled up.
 */
export const FAKE_CANVAS_IDS = Array.from({ length: 150 }, (_, index) => `canvas-${String(index).padStart(3, '0')}`);
export const FAKE_CANVAS_LAST_EDITED = '2024-05-06T07:08:09Z';

const DAY_MS = 86_400_000;

export function fakeListedCanvas(id: string): { id: string; name: string; last_edited: string; tags: string[] } {
  return { id, name: `Canvas ${Number(id.slice('canvas-'.length))}`, last_edited: FAKE_CANVAS_LAST_EDITED, tags: ['from-list'] };
}

export function fakeCanvasDetails(id: string): Record<string, unknown> {
  return {
    message: 'success',
    created_at: '2024-01-02T03:04:05Z',
    updated_at: '2024-02-03T04:05:06Z',
    name: `Details of ${id}`,
    description: `About ${id}`,
    archived: false,
    draft: false,
    enabled: true,
    has_post_launch_draft: false,
    schedule_type: 'action_based',
    first_entry: '2024-01-05T00:00:00Z',
    last_entry: '2024-03-01T12:00:00Z',
    channels: ['email', 'android_push'],
    // The second variant uses the deprecated single `first_step_id`.
    variants: [
      { name: 'Variant A', id: `${id}-v1`, first_step_ids: [`${id}-s1`] },
      { name: 'Control', id: `${id}-v2`, first_step_id: `${id}-s1` },
    ],
    tags: ['from-details'],
    teams: ['Team A'],
    steps: [
      {
        name: 'Welcome email',
        type: 'email',
        id: `${id}-s1`,
        next_step_ids: [`${id}-s2`],
        next_paths: [{ name: null, next_step_id: `${id}-s2` }],
        channels: ['email'],
        messages: { m1: { channel: 'email', subject: 'Hi' } },
      },
      { name: 'Nudge', type: 'push', id: `${id}-s2`, next_paths: [], channels: ['android_push'], messages: {} },
    ],
  };
}

/** The UTC dates a stats call covers, oldest first. */
export function fakeCanvasDates(query: Readonly<Record<string, string>>): string[] {
  const end = Math.floor(Date.parse(query['ending_at'] ?? '') / DAY_MS);
  const start = query['length'] !== undefined ? end - Number(query['length']) + 1 : Math.floor(Date.parse(query['starting_at'] ?? '') / DAY_MS);
  return Array.from({ length: end - start + 1 }, (_, index) => new Date((start + index) * DAY_MS).toISOString().slice(0, 10));
}

/** Stats for "day" n (a series day), or for n summed days when `rolledUp` (a summary of n days). */
function stats(id: string, query: Readonly<Record<string, string>>, n: number, rolledUp: boolean): Record<string, unknown> {
  // A summary of n days: sums of 1..n; the float revenue rounded as Braze would send it.
  const sum = rolledUp ? (n * (n + 1)) / 2 : n;
  const revenue = Math.round((sum + (rolledUp ? n : 1) * 0.1) * 100) / 100;
  const result: Record<string, unknown> = { total_stats: { revenue, conversions: sum, conversions_by_entry_time: sum, entries: 10 * sum } };
  if (query['include_variant_breakdown'] === 'true') {
    const byEntryTime = (value: number): Record<string, number> => (rolledUp ? {} : { conversions_by_entry_time: value });
    result['variant_stats'] = {
      [`${id}-v1`]: { name: 'Variant A', revenue: sum, conversions: sum, ...byEntryTime(sum), entries: 6 * sum },
      [`${id}-v2`]: { name: 'Control', revenue: Math.round((rolledUp ? n : 1) * 10) / 100, conversions: 0, ...byEntryTime(0), entries: 4 * sum },
    };
  }
  if (query['include_step_breakdown'] === 'true') {
    const steps: Record<string, unknown> = {
      [`${id}-s1`]: {
        name: 'Welcome email',
        revenue: sum,
        conversions: sum,
        conversions_by_entry_time: sum,
        messages: { email: [{ sent: 10 * sum, delivered: 10 * sum, opens: 5 * sum, unique_opens: 4 * sum, clicks: 2 * sum, unique_clicks: sum, bounces: 0, unsubscribes: 0 }] },
      },
      [`${id}-s2`]: { name: 'Nudge', revenue: 0, conversions: 0, conversions_by_entry_time: 0, messages: { android_push: [{ sent: 3 * sum, direct_opens: sum, total_opens: sum, bounces: 0 }] } },
    };
    if (query['include_deleted_step_data'] === 'true') steps[`${id}-gone`] = { name: 'Deleted step', revenue: 0, conversions: 0, conversions_by_entry_time: 0, messages: {} };
    result['step_stats'] = steps;
  }
  return result;
}

/** The default answer of each Canvas path. */
export const CANVAS_ANSWERS: Readonly<Record<string, (input: SimulationInput) => SimulatedAnswer>> = {
  '/canvas/list': (input) => simulatePage(input, FAKE_CANVAS_IDS, CANVAS_LIST_PAGE_SIZE, 'canvases', fakeListedCanvas, { sorted: true }),
  '/canvas/details': ({ params }) => ({ status: 200, body: fakeCanvasDetails(params.get('canvas_id') ?? '') }),
  '/canvas/data_series': ({ params }) => {
    const query = Object.fromEntries(params);
    const id = query['canvas_id'] ?? '';
    return { status: 200, body: { message: 'success', data: { name: `Series of ${id}`, stats: fakeCanvasDates(query).map((time, index) => ({ time, ...stats(id, query, index + 1, false) })) } } };
  },
  '/canvas/data_summary': ({ params }) => {
    const query = Object.fromEntries(params);
    const id = query['canvas_id'] ?? '';
    return { status: 200, body: { message: 'success', data: { name: `Summary of ${id}`, ...stats(id, query, fakeCanvasDates(query).length, true) } } };
  },
};
