import type { SimulatedAnswer, SimulationInput } from '../../src/data/endpoint.js';
import { EVENT_LIST_PAGE_SIZE } from '../../src/endpoints/eventList.js';
import { SEGMENT_LIST_PAGE_SIZE } from '../../src/endpoints/segmentList.js';
import { simulatePage } from '../../src/endpoints/simulated/lists.js';

/**
 * The fake Braze's default answers for the list and segment endpoints, so a test gets plausible
 * answers without scripting them (pages cut as demo mode's simulated lists cut them, from other names).
 * Sizes are chosen so that every list has a short last page:
 * - /events/list: 600 names `event_000` … `event_599`, 250 a page (pages 0 and 1 full, 2 short);
 * - /purchases/product_list: 120 names `product_000` … `product_119`, 50 a page (Braze documents no size);
 * - /segments/list: 250 segments `segment-000` … `segment-249`, 100 a page (`sort_direction=desc`: from segment-249 down);
 * - /segments/details: any id, with tags and dates that differ from the list's, so a test can tell which answered.
 */
export const FAKE_EVENTS = names('event_', 600);
export const FAKE_PRODUCTS = names('product_', 120);
export const FAKE_PRODUCT_PAGE_SIZE = 50;
export const FAKE_SEGMENT_IDS = names('segment-', 250);

function names(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix}${String(index).padStart(3, '0')}`);
}

/** A segment of the fake list as /segments/list tells of it. */
export function fakeListedSegment(id: string): { id: string; name: string; analytics_tracking_enabled: boolean; tags: string[] } {
  const index = Number(id.slice('segment-'.length));
  return { id, name: `Segment ${index}`, analytics_tracking_enabled: index % 2 === 0, tags: ['from-list'] };
}

/** A segment as /segments/details tells of any id. */
export function fakeSegmentDetails(id: string): Record<string, unknown> {
  return {
    message: 'success',
    created_at: '2024-01-02T03:04:05Z',
    updated_at: '2024-02-03',
    name: `Details of ${id}`,
    description: `Filters of ${id}`,
    text_description: `About ${id}`,
    tags: ['from-details'],
    teams: ['Team A'],
  };
}

/** The default answer of each list and segment path. */
export const LIST_ANSWERS: Readonly<Record<string, (input: SimulationInput) => SimulatedAnswer>> = {
  '/events/list': (input) => simulatePage(input, FAKE_EVENTS, EVENT_LIST_PAGE_SIZE, 'events'),
  '/purchases/product_list': (input) => simulatePage(input, FAKE_PRODUCTS, FAKE_PRODUCT_PAGE_SIZE, 'products'),
  '/segments/list': (input) => simulatePage(input, FAKE_SEGMENT_IDS, SEGMENT_LIST_PAGE_SIZE, 'segments', fakeListedSegment, { sorted: true }),
  '/segments/details': ({ params }) => ({ status: 200, body: fakeSegmentDetails(params.get('segment_id') ?? '') }),
};
