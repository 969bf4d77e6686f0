import type { SimulatedAnswer, SimulationInput } from '../../data/endpoint.js';
import { SIMULATED_EVENTS } from './lists.js';
import { fnv1a } from './rhythm.js';

/**
 * Demo mode's cursor-paged lists, `/events` and `/custom_attributes`: deterministic entries (nothing
 * depends on the clock), cut into pages as Braze cuts them, 50 a page, alphabetical, each page naming
 * the next (and the previous) in a `Link` header.
 */

/** A cursor as Braze writes them: base64 of `skip:<offset>` (its docs' `c2tpcDow` is `skip:0`). */
export function simulatedCursor(offset: number): string {
  return Buffer.from(`skip:${offset}`, 'utf8').toString('base64');
}

/** The offset a simulated cursor stands for, or undefined when it is not one. */
function offsetOf(cursor: string): number | undefined {
  const match = /^skip:(0|[1-9]\d{0,6})$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  return match && simulatedCursor(Number(match[1])) === cursor ? Number(match[1]) : undefined;
}

/** The Link header of the page at `offset`: `prev` unless it is the first page, `next` unless it is the last (as Braze's docs describe). */
export function cursorLinks(path: string, offset: number, pageSize: number, total: number): string | undefined {
  const link = (at: number, rel: string): string => `<${path}?cursor=${encodeURIComponent(simulatedCursor(at))}>; rel="${rel}"`;
  const links = [...(offset > 0 ? [link(Math.max(0, offset - pageSize), 'prev')] : []), ...(offset + pageSize < total ? [link(offset + pageSize, 'next')] : [])];
  return links.length > 0 ? links.join(',') : undefined;
}

/**
 * One page of `items` at the `cursor` the query names (none: the first page): 400 for a cursor the
 * simulator did not write, the entries, and the Link header naming the pages around it.
 */
export function simulateCursorPage<T>({ params }: SimulationInput, items: readonly T[], pageSize: number, path: string, field: string, toBody: (item: T) => unknown): SimulatedAnswer {
  const cursor = params.get('cursor');
  const offset = cursor === null ? 0 : offsetOf(cursor);
  if (offset === undefined || offset > items.length) return { status: 400, body: { message: 'Invalid request', errors: ['cursor is not valid'] } };
  const link = cursorLinks(path, offset, pageSize, items.length);
  return { status: 200, body: { message: 'success', [field]: items.slice(offset, offset + pageSize).map(toBody) }, ...(link ? { headers: { link } } : {}) };
}

const EVENT_TAGS = ['engagement', 'commerce', 'content', 'lifecycle'];

/** A custom event as `/events` tells of it, in Braze's names. */
export interface SimulatedEventDetails {
  readonly name: string;
  readonly description: string;
  readonly included_in_analytics_report: boolean;
  readonly status: string;
  readonly tag_names: readonly string[];
}

/** Every event of `/events/list`, described: the same names, so every listed event has its details. */
export const SIMULATED_EVENT_DETAILS: readonly SimulatedEventDetails[] = SIMULATED_EVENTS.map((name) => {
  const hash = fnv1a(`event\u0000${name}`);
  const [verb, object] = name.split('_');
  return {
    name,
    description: `Logged when a user has ${verb ?? name} a ${object ?? 'thing'}.`,
    included_in_analytics_report: hash % 4 === 0,
    // A few blocklisted, as a workspace that has cleaned up its events has.
    status: hash % 23 === 0 ? 'Blocklisted' : 'Active',
    tag_names: EVENT_TAGS.filter((_, tag) => (hash >>> (tag * 2)) % 3 === 0),
  };
});

const ATTRIBUTE_SUBJECTS = ['account', 'app', 'billing', 'cart', 'course', 'device', 'email', 'loyalty', 'newsletter', 'order', 'plan', 'profile', 'referral', 'store', 'trial', 'wishlist'];
/** What an attribute of each kind holds, in Braze's data type names; arrays have a maximum length. */
const ATTRIBUTE_KINDS: readonly { readonly suffix: string; readonly dataType: string; readonly arrayLength: number | null; readonly about: string }[] = [
  { suffix: 'count', dataType: 'Number', arrayLength: null, about: 'How many' },
  { suffix: 'details', dataType: 'Object', arrayLength: null, about: 'Nested details of the' },
  { suffix: 'enabled', dataType: 'Boolean', arrayLength: null, about: 'Whether the user enabled the' },
  { suffix: 'history', dataType: 'Object Array', arrayLength: 50, about: 'Recent entries of the' },
  { suffix: 'last_seen_at', dataType: 'Time', arrayLength: null, about: 'When the user last saw the' },
  { suffix: 'name', dataType: 'String', arrayLength: null, about: 'The name of the' },
  { suffix: 'score', dataType: 'Number', arrayLength: null, about: 'A score of the' },
  { suffix: 'tags', dataType: 'Array', arrayLength: 100, about: 'Tags of the' },
];
const ATTRIBUTE_TAGS = ['profile', 'commerce', 'consent', 'migrated'];

/** A custom attribute as `/custom_attributes` tells of it, in Braze's names. */
export interface SimulatedAttribute {
  readonly array_length: number | null;
  readonly data_type: string;
  readonly description: string;
  readonly name: string;
  readonly status: string;
  readonly tag_names: readonly string[];
}

/** 128 custom attributes, alphabetical: three pages of `/custom_attributes` (50, 50, 28). */
export const SIMULATED_ATTRIBUTES: readonly SimulatedAttribute[] = ATTRIBUTE_SUBJECTS.flatMap((subject) =>
  ATTRIBUTE_KINDS.map((kind): SimulatedAttribute => {
    const name = `${subject}_${kind.suffix}`;
    const hash = fnv1a(`attribute\u0000${name}`);
    return {
      array_length: kind.arrayLength,
      data_type: kind.dataType,
      description: `${kind.about} ${subject.replace('_', ' ')}.`,
      name,
      status: hash % 19 === 0 ? 'Blocklisted' : 'Active',
      tag_names: ATTRIBUTE_TAGS.filter((_, tag) => (hash >>> (tag * 2)) % 4 === 0),
    };
  }),
).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

/** Braze returns both lists "in groups of 50". */
export const EXPORT_PAGE_SIZE = 50;

export const simulateEventExport = (input: SimulationInput): SimulatedAnswer => simulateCursorPage(input, SIMULATED_EVENT_DETAILS, EXPORT_PAGE_SIZE, '/events', 'events', (event) => event);
export const simulateAttributeExport = (input: SimulationInput): SimulatedAnswer =>
  simulateCursorPage(input, SIMULATED_ATTRIBUTES, EXPORT_PAGE_SIZE, '/custom_attributes', 'attributes', (attribute) => attribute);
