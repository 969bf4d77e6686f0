import type { SimulatedAnswer, SimulationInput } from '../../src/data/endpoint.js';
import { EXPORT_PAGE_SIZE, simulateCursorPage } from '../../src/endpoints/simulated/exports.js';

/**
 * The fake Braze's default answers for the cursor-paged lists, cut and linked as demo mode's are
 * (50 a page, `cursor` = base64 of `skip:<offset>`, the next page in a relative Link header), values a
 * test can assert:
 * - /events: 120 events `event_000` … `event_119` (the first 120 names of /events/list: pages 50, 50,
 *   20), each described `About event_<n>`, in analytics reports when n is a multiple of 3, "Blocklisted"
 *   when n ends in 9, tagged `even` when n is even;
 * - /custom_attributes: 75 attributes `attribute_00` … `attribute_74` (pages 50, 25), data types in
 *   turn Number, String, Boolean, Time, Array (array length 100, else null), described
 *   `About attribute_<n>` but for every 7th (none), "Blocklisted" every 10th, tagged `tag-<n % 3>`.
 */
export interface FakeEvent {
  readonly name: string;
  readonly description: string;
  readonly included_in_analytics_report: boolean;
  readonly status: string;
  readonly tag_names: readonly string[];
}

export const FAKE_EXPORTED_EVENTS: readonly FakeEvent[] = Array.from({ length: 120 }, (_, n) => ({
  name: `event_${String(n).padStart(3, '0')}`,
  description: `About event_${String(n).padStart(3, '0')}`,
  included_in_analytics_report: n % 3 === 0,
  status: n % 10 === 9 ? 'Blocklisted' : 'Active',
  tag_names: n % 2 === 0 ? ['even'] : [],
}));

export interface FakeAttribute {
  readonly array_length: number | null;
  readonly data_type: string;
  readonly description: string | null;
  readonly name: string;
  readonly status: string;
  readonly tag_names: readonly string[];
}

const DATA_TYPES = ['Number', 'String', 'Boolean', 'Time', 'Array'];

export const FAKE_ATTRIBUTES: readonly FakeAttribute[] = Array.from({ length: 75 }, (_, n) => {
  const dataType = DATA_TYPES[n % DATA_TYPES.length] ?? 'String';
  const name = `attribute_${String(n).padStart(2, '0')}`;
  return {
    array_length: dataType === 'Array' ? 100 : null,
    data_type: dataType,
    description: n % 7 === 6 ? null : `About ${name}`,
    name,
    status: n % 10 === 9 ? 'Blocklisted' : 'Active',
    tag_names: [`tag-${n % 3}`],
  };
});

/** The default answer of each cursor-paged list path. */
export const EXPORT_ANSWERS: Readonly<Record<string, (input: SimulationInput) => SimulatedAnswer>> = {
  '/events': (input) => simulateCursorPage(input, FAKE_EXPORTED_EVENTS, EXPORT_PAGE_SIZE, '/events', 'events', (event) => event),
  '/custom_attributes': (input) => simulateCursorPage(input, FAKE_ATTRIBUTES, EXPORT_PAGE_SIZE, '/custom_attributes', 'attributes', (attribute) => attribute),
};
