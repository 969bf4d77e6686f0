import type { RecordedCall } from '../fakeBraze.js';

/**
 * The fake Braze's default answers for the list and segment endpoints, so a test gets plausible
 * answers without scripting them. Sizes are chosen so that every list has a short last page:
 * - /events/list: 600 names `event_000` … `event_599`, 250 a page (pages 0 and 1 full, 2 short);
 * - /purchases/product_list: 120 names `product_000` … `product_119`, 50 a page (Braze documents no size);
 * - /segments/list: 250 segments `segment-000` … `segment-249`, 100 a page;
 * - /segments/details: any id, with tags and dates that differ from the list's, so a test can tell which answered;
 * - /segments/data_series: the default series, with `size` for `count`.
 */
export const FAKE_EVENTS = names('event_', 600);
export const FAKE_PRODUCTS = names('product_', 120);
export const FAKE_PRODUCT_PAGE_SIZE = 50;
export const FAKE_SEGMENT_IDS = names('segment-', 250);

function names(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix}${String(index).padStart(3, '0')}`);
}

function page<T>(items: readonly T[], call: RecordedCall, size: number): T[] {
  const number = Number(call.query['page'] ?? '0');
  return items.slice(number * size, (number + 1) * size);
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

/** The default answer for the list and segment endpoints, or undefined for any other path. */
export function defaultListAnswer(call: RecordedCall, series: (query: Readonly<Record<string, string>>) => unknown): unknown {
  switch (call.path) {
    case '/events/list':
      return { message: 'success', events: page(FAKE_EVENTS, call, 250) };
    case '/purchases/product_list':
      return { message: 'success', products: page(FAKE_PRODUCTS, call, FAKE_PRODUCT_PAGE_SIZE) };
    case '/segments/list':
      return { message: 'success', segments: page(FAKE_SEGMENT_IDS, call, 100).map(fakeListedSegment) };
    case '/segments/details':
      return fakeSegmentDetails(call.query['segment_id'] ?? '');
    case '/segments/data_series': {
      const { data } = series(call.query) as { data: { time: string; count: number }[] };
      return { message: 'success', data: data.map(({ time, count }) => ({ time, size: count })) };
    }
    default:
      return undefined;
  }
}
