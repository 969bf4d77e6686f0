import type { SimulatedAnswer, SimulationInput } from '../../data/endpoint.js';
import { fnv1a } from './rhythm.js';

/**
 * Demo mode's lists: deterministic names, ids and dates (nothing depends on the clock), long enough
 * that every list has more than one Braze page.
 */

const EVENT_VERBS = ['added', 'applied', 'browsed', 'cancelled', 'completed', 'created', 'deleted', 'downloaded', 'opened', 'rated', 'redeemed', 'removed', 'renewed', 'saved', 'searched', 'shared', 'started', 'subscribed', 'updated', 'viewed'];
const EVENT_OBJECTS = ['article', 'badge', 'cart', 'coupon', 'course', 'episode', 'level', 'playlist', 'profile', 'product', 'quiz', 'recipe', 'review', 'ticket', 'wishlist'];

/** 300 custom event names, sorted as Braze sorts them: two pages of /events/list. */
export const SIMULATED_EVENTS: readonly string[] = EVENT_VERBS.flatMap((verb) => EVENT_OBJECTS.map((object) => `${verb}_${object}`)).sort();

const PRODUCT_STYLES = ['Classic', 'Deluxe', 'Eco', 'Mini', 'Organic', 'Pro', 'Travel', 'Vintage'];
const PRODUCT_ITEMS = ['Backpack', 'Candle', 'Face Mask', 'Headphones', 'Journal', 'Lip Gloss', 'Mug', 'Notebook', 'Rice Bowl', 'Scarf', 'Sneakers', 'Sunglasses', 'Tea Set', 'Umbrella', 'Water Bottle'];

/** 120 product names. Braze documents no page size for /purchases/product_list; the simulator uses 50. */
export const SIMULATED_PRODUCTS: readonly string[] = PRODUCT_STYLES.flatMap((style) => PRODUCT_ITEMS.map((item) => `${style} ${item}`)).sort();
export const SIMULATED_PRODUCT_PAGE_SIZE = 50;

const SEGMENT_AUDIENCES = ['Active', 'Dormant', 'High-value', 'Lapsed', 'New', 'Loyal', 'Trial', 'Weekend', 'Mobile-only', 'Web-only', 'Push-enabled', 'Email-opted-in', 'Beta'];
const SEGMENT_GROUPS = ['users', 'buyers', 'subscribers', 'readers', 'players', 'listeners', 'learners', 'savers', 'travellers', 'cooks'];
const SEGMENT_TAGS = ['lifecycle', 'retention', 'vip', 'onboarding', 'churn-risk'];
const DAY_MS = 86_400_000;
const FIRST_CREATED = Date.UTC(2022, 0, 3, 9, 30);

/** A segment as the simulator keeps it: what /segments/list and /segments/details tell of it. */
export interface SimulatedSegment {
  readonly id: string;
  readonly name: string;
  readonly analyticsTrackingEnabled: boolean;
  readonly tags: readonly string[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** 130 segments, oldest first (Braze's default order): two pages of /segments/list. */
export const SIMULATED_SEGMENTS: readonly SimulatedSegment[] = SEGMENT_AUDIENCES.flatMap((audience) => SEGMENT_GROUPS.map((group) => `${audience} ${group}`)).map(
  (name, index) => {
    const hash = fnv1a(name);
    const created = FIRST_CREATED + index * 5 * DAY_MS;
    return {
      id: simulatedUuid(name),
      name,
      analyticsTrackingEnabled: hash % 3 !== 0,
      tags: SEGMENT_TAGS.filter((_, tag) => (hash >>> tag) % 4 === 0),
      createdAt: new Date(created).toISOString(),
      updatedAt: new Date(created + (hash % 90) * DAY_MS).toISOString(),
    };
  },
);

/** A Braze-looking segment API identifier (a UUID), the same for the same name every time. */
export function simulatedUuid(name: string): string {
  const hex = [0, 1, 2, 3].map((part) => fnv1a(`${part}\u0000${name}`).toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * One page of `items`: `page` as Braze takes it (absent is 0), 400 for one that is not a non-negative
 * integer, an empty list past the end. A list Braze sorts by creation time (`sorted`, its items kept
 * oldest first) takes `sort_direction` too: `desc` pages it newest first.
 */
export function simulatePage<T>(
  { params }: SimulationInput,
  items: readonly T[],
  pageSize: number,
  field: string,
  toBody: (item: T) => unknown = (item) => item,
  { sorted = false }: { readonly sorted?: boolean } = {},
): SimulatedAnswer {
  const raw = params.get('page') ?? '0';
  if (!/^\d{1,6}$/.test(raw)) return { status: 400, body: { message: 'Invalid request', errors: ['page must be a non-negative integer'] } };
  const ordered = sorted ? inRequestedOrder(params, items) : items;
  if (ordered === undefined) return { status: 400, body: { message: 'Invalid request', errors: ['sort_direction must be asc or desc'] } };
  const start = Number(raw) * pageSize;
  return { status: 200, body: { message: 'success', [field]: ordered.slice(start, start + pageSize).map(toBody) } };
}

/** Items kept oldest first, in the order `sort_direction` asks (absent is `asc`); undefined for another value. */
export function inRequestedOrder<T>(params: URLSearchParams, items: readonly T[]): readonly T[] | undefined {
  const direction = params.get('sort_direction') ?? 'asc';
  if (direction === 'asc') return items;
  return direction === 'desc' ? [...items].reverse() : undefined;
}

/** GET /segments/details as the simulator answers it: the segment, or 400 for an id it does not know. */
export function simulateSegmentDetails({ params }: SimulationInput): SimulatedAnswer {
  const id = params.get('segment_id') ?? '';
  if (id === '') return { status: 400, body: { message: 'Invalid request', errors: ['segment_id is required'] } };
  const segment = SIMULATED_SEGMENTS.find((candidate) => candidate.id === id);
  // Braze does not document its answer for an unknown id; the simulator says it is invalid.
  if (!segment) return { status: 400, body: { message: 'Invalid segment_id' } };
  return {
    status: 200,
    body: {
      message: 'success',
      created_at: segment.createdAt,
      updated_at: segment.updatedAt,
      name: segment.name,
      description: `${segment.name.split(' ')[0]} users with analytics tracking ${segment.analyticsTrackingEnabled ? 'on' : 'off'}`,
      text_description: `Demo segment: ${segment.name.toLowerCase()}.`,
      tags: segment.tags,
      teams: [],
    },
  };
}
