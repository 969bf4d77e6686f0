import { describe, expect, it } from 'vitest';
import { eventListEndpoint } from '../../src/endpoints/eventList.js';
import { productListEndpoint } from '../../src/endpoints/productList.js';
import { segmentDetailsEndpoint } from '../../src/endpoints/segmentDetails.js';
import { segmentListEndpoint } from '../../src/endpoints/segmentList.js';
import { segmentSizeEndpoint } from '../../src/endpoints/segmentSize.js';
import { UpstreamInvalidResponseError } from '../../src/errors/gatewayErrors.js';

const POLICY = { liveTtlMs: 60_000, pastTtlMs: 900_000, settledTtlMs: 86_400_000 };
const body = (value: unknown): string => JSON.stringify(value);

describe('list pages', () => {
  it('ask for their page by number, page 0 included, and are cached as long as settled series', () => {
    expect(eventListEndpoint.searchParams({ page: 0 }).toString()).toBe('page=0');
    expect(productListEndpoint.searchParams({ page: 3 }).toString()).toBe('page=3');
    expect(segmentListEndpoint.searchParams({ page: 1, sortDirection: 'asc' }).toString()).toBe('page=1');
    for (const endpoint of [eventListEndpoint, productListEndpoint]) {
      expect(endpoint.ttlMs({ page: 0 }, Date.now(), POLICY)).toBe(900_000);
    }
    expect(segmentListEndpoint.ttlMs({ page: 0, sortDirection: 'asc' }, Date.now(), POLICY)).toBe(900_000);
    expect(segmentDetailsEndpoint.ttlMs({ segmentId: 'x' }, Date.now(), POLICY)).toBe(900_000);
  });

  it('are in the buckets Braze meters them in', () => {
    expect([eventListEndpoint, productListEndpoint, segmentListEndpoint, segmentDetailsEndpoint, segmentSizeEndpoint].map((e) => [e.path, e.bucket])).toEqual([
      ['/events/list', 'lists'],
      ['/purchases/product_list', 'lists'],
      ['/segments/list', 'export'],
      ['/segments/details', 'export'],
      ['/segments/data_series', 'export'],
    ]);
  });

  it('parse names, and refuse what is not a page of names', () => {
    expect(eventListEndpoint.parse(body({ message: 'success', events: ['a', 'b'] }), { page: 0 })).toEqual(['a', 'b']);
    expect(productListEndpoint.parse(body({ message: 'success', products: [] }), { page: 9 })).toEqual([]);
    // Without "message", the rest of the answer decides; an explicit other message is a failure.
    expect(eventListEndpoint.parse(body({ events: ['a'] }), { page: 0 })).toEqual(['a']);
    const refused: [string, string][] = [
      [body({ message: 'success', events: Array.from({ length: 251 }, (_, i) => `e${i}`) }), 'Braze answered 251 events on one page; pages hold 250'],
      [body({ message: 'success' }), 'Braze answered without a "events" list'],
      [body({ message: 'error', events: [] }), 'Braze answered without success (message: "error")'],
      [body({ message: null, events: [] }), 'Braze answered without success (message: null)'],
      [body({}), 'Braze answered without a "events" list'],
      [body({ message: 'success', events: [null] }), 'events[0] is not a string'],
      ['<html>', 'Braze answered with a body that is not JSON (starts with "<html>")'],
    ];
    for (const [text, message] of refused) {
      expect(() => eventListEndpoint.parse(text, { page: 0 })).toThrow(new UpstreamInvalidResponseError(message));
    }
  });
});

describe('/segments/list entries', () => {
  const entry = { id: 's1', name: 'VIP', analytics_tracking_enabled: true, tags: ['a'] };

  it('parse to id, name, tracking and tags; tags may be absent', () => {
    expect(segmentListEndpoint.parse(body({ message: 'success', segments: [entry, { ...entry, id: 's2', tags: undefined }] }), { page: 0, sortDirection: 'asc' })).toEqual([
      { id: 's1', name: 'VIP', analyticsTrackingEnabled: true, tags: ['a'] },
      { id: 's2', name: 'VIP', analyticsTrackingEnabled: true, tags: [] },
    ]);
  });

  it('refuse entries without what the list documents', () => {
    const refused: [unknown, string][] = [
      [{ ...entry, id: '' }, 'segments[0].id is not a non-empty string'],
      [{ ...entry, name: 5 }, 'segments[0].name is not a string'],
      [{ ...entry, analytics_tracking_enabled: 'yes' }, 'segments[0].analytics_tracking_enabled is not a boolean'],
      [{ ...entry, tags: [1] }, 'segments[0].tags is not a list of strings'],
      ['s1', 'segments[0] is not an object'],
    ];
    for (const [bad, message] of refused) {
      expect(() => segmentListEndpoint.parse(body({ message: 'success', segments: [bad] }), { page: 0, sortDirection: 'asc' })).toThrow(new UpstreamInvalidResponseError(message));
    }
  });
});

describe('/segments/details', () => {
  const details = {
    message: 'success',
    created_at: '2024-01-02T03:04:05-05:00',
    updated_at: '2024-02-03',
    name: 'VIP',
    description: null,
    text_description: 'Big spenders',
    tags: ['a'],
    teams: ['Growth'],
  };

  it('asks by segment_id and parses dates, date-times and absent fields', () => {
    expect(segmentDetailsEndpoint.searchParams({ segmentId: 'a b' }).toString()).toBe('segment_id=a+b');
    expect(segmentDetailsEndpoint.parse(body(details), { segmentId: 's' })).toEqual({
      name: 'VIP',
      description: null,
      textDescription: 'Big spenders',
      tags: ['a'],
      teams: ['Growth'],
      createdAt: new Date('2024-01-02T08:04:05Z'),
      updatedAt: new Date('2024-02-03T00:00:00Z'),
    });
    expect(segmentDetailsEndpoint.parse(body({ message: 'success', name: 'n' }), { segmentId: 's' })).toEqual({
      name: 'n',
      description: null,
      textDescription: null,
      tags: [],
      teams: [],
      createdAt: null,
      updatedAt: null,
    });
  });

  it('refuses what contradicts the docs', () => {
    const refused: [Record<string, unknown>, string][] = [
      [{ ...details, name: undefined }, 'Braze answered segment details without a "name" string'],
      [{ ...details, created_at: 'last week' }, 'created_at is not an ISO-8601 date or date-time'],
      [{ ...details, updated_at: 20240203 }, 'updated_at is not an ISO-8601 date or date-time'],
      [{ ...details, description: 5 }, 'description is not a string'],
      [{ ...details, teams: 'Growth' }, 'teams is not a list of strings'],
    ];
    for (const [bad, message] of refused) {
      expect(() => segmentDetailsEndpoint.parse(body(bad), { segmentId: 's' })).toThrow(new UpstreamInvalidResponseError(message));
    }
  });
});

describe('/segments/data_series', () => {
  const call = { segmentId: 's1', length: 2, unit: 'day' as const, endingAt: new Date('2024-03-10T12:00:00+02:00') };

  it('asks without unit or app_id, and reads `size`', () => {
    expect(Object.fromEntries(segmentSizeEndpoint.searchParams(call))).toEqual({ segment_id: 's1', length: '2', ending_at: '2024-03-10T10:00:00Z' });
    const points = segmentSizeEndpoint.parse(body({ message: 'success', data: [{ time: '2024-03-09', size: 10 }, { time: '2024-03-10', size: 12 }] }), call);
    expect(points).toEqual([
      { time: new Date('2024-03-09T00:00:00Z'), value: 10 },
      { time: new Date('2024-03-10T00:00:00Z'), value: 12 },
    ]);
    expect(() => segmentSizeEndpoint.parse(body({ message: 'success', data: [{ time: '2024-03-10', count: 1 }] }), call)).toThrow('data[0].size is not a non-negative integer');
  });

  it('calls differing only in length share a window', () => {
    const window = segmentSizeEndpoint.coalescing?.windowKey;
    expect(window?.(call)).toBe(window?.({ ...call, length: 30 }));
    expect(window?.(call)).not.toBe(window?.({ ...call, segmentId: 's2' }));
  });
});

describe('simulated answers', () => {
  const simulate = (endpoint: { simulate: typeof eventListEndpoint.simulate }, query: string) => endpoint.simulate({ params: new URLSearchParams(query), now: Date.UTC(2024, 2, 10) });

  it('pages like Braze: 0 is the first, past the end is empty, a bad page is 400', () => {
    expect((simulate(eventListEndpoint, '').body as { events: string[] }).events).toHaveLength(250);
    expect((simulate(eventListEndpoint, 'page=1').body as { events: string[] }).events).toHaveLength(50);
    expect(simulate(eventListEndpoint, 'page=2').body).toEqual({ message: 'success', events: [] });
    expect(simulate(productListEndpoint, 'page=-1').status).toBe(400);
    expect(simulate(segmentListEndpoint, 'page=x').status).toBe(400);
  });

  it('sorted lists take sort_direction as Braze does: desc is newest first, anything but asc or desc is 400', () => {
    const ids = (query: string) => (simulate(segmentListEndpoint, query).body as { segments: { id: string }[] }).segments.map((segment) => segment.id);
    expect(ids('page=0&sort_direction=desc').slice(0, 3)).toEqual([...ids('page=1')].reverse().slice(0, 3));
    expect(ids('page=0&sort_direction=asc')).toEqual(ids('page=0'));
    expect(simulate(segmentListEndpoint, 'sort_direction=newest').status).toBe(400);
    expect(segmentListEndpoint.searchParams({ page: 0, sortDirection: 'desc' }).toString()).toBe('page=0&sort_direction=desc');
    expect(segmentListEndpoint.key({ page: 0, sortDirection: 'desc' })).not.toBe(segmentListEndpoint.key({ page: 0, sortDirection: 'asc' }));
  });

  it('details for listed segments only; sizes need a segment_id', () => {
    const [first] = (simulate(segmentListEndpoint, 'page=0').body as { segments: { id: string; name: string }[] }).segments;
    const details = simulate(segmentDetailsEndpoint, `segment_id=${first?.id}`);
    expect(details.status).toBe(200);
    expect(segmentDetailsEndpoint.parse(JSON.stringify(details.body), { segmentId: first?.id ?? '' }).name).toBe(first?.name);
    expect(simulate(segmentDetailsEndpoint, 'segment_id=unknown').status).toBe(400);
    expect(simulate(segmentSizeEndpoint, 'length=3').status).toBe(400);
    expect(simulate(segmentSizeEndpoint, 'segment_id=s&length=3&ending_at=2024-03-10T00:00:00Z').status).toBe(200);
  });
});
