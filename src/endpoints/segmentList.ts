import { UpstreamInvalidResponseError } from '../errors/gatewayErrors.js';
import { SIMULATED_SEGMENTS, simulatePage } from './simulated/lists.js';
import { isRecord, isStringList } from './answers/answerFields.js';
import type { Endpoint } from '../data/endpoint.js';
import { ANY, keys, listOf, record, withUnknownKeys } from './answers/shape.js';
import { listTtlMs, pageSearchParams, parseSuccessBody, setSortDirection, type SortedPageCall } from './answers/lists.js';

/** Braze returns segments "in groups of 100 sorted by time of creation", pages numbered from 0. */
export const SEGMENT_LIST_PAGE_SIZE = 100;

/** A segment as /segments/list tells of it. */
export interface SegmentListEntry {
  readonly id: string;
  readonly name: string;
  readonly analyticsTrackingEnabled: boolean;
  readonly tags: readonly string[];
}

function parseEntry(entry: unknown, index: number): SegmentListEntry {
  if (!isRecord(entry)) throw new UpstreamInvalidResponseError(`segments[${index}] is not an object`);
  const { id, name, analytics_tracking_enabled: tracking, tags } = entry;
  if (typeof id !== 'string' || id === '') throw new UpstreamInvalidResponseError(`segments[${index}].id is not a non-empty string`);
  if (typeof name !== 'string') throw new UpstreamInvalidResponseError(`segments[${index}].name is not a string`);
  if (typeof tracking !== 'boolean') throw new UpstreamInvalidResponseError(`segments[${index}].analytics_tracking_enabled is not a boolean`);
  // Braze documents tags as an array; a segment without tags may well come without it.
  if (tags !== undefined && tags !== null && !isStringList(tags)) throw new UpstreamInvalidResponseError(`segments[${index}].tags is not a list of strings`);
  return { id, name, analyticsTrackingEnabled: tracking, tags: tags ?? [] };
}

/** What Braze documents of a /segments/list answer. */
export const SEGMENT_LIST_SHAPE = record({ message: ANY, segments: listOf(keys(['id', 'name', 'analytics_tracking_enabled', 'tags'])) });

/** GET /segments/list: one page of segments, oldest first (Braze's default) or newest first; archived ones are left out by Braze. */
export const segmentListEndpoint: Endpoint<SortedPageCall, readonly SegmentListEntry[]> = {
  name: 'segmentList',
  path: '/segments/list',
  permission: 'segments.list',
  bucket: 'export',
  key: (call) => JSON.stringify([call.page, call.sortDirection]),
  searchParams(call) {
    const params = pageSearchParams(call);
    setSortDirection(params, call.sortDirection);
    return params;
  },
  parse(text) {
    const body = parseSuccessBody(text);
    const segments = body['segments'];
    if (!Array.isArray(segments)) throw new UpstreamInvalidResponseError('Braze answered without a "segments" list');
    if (segments.length > SEGMENT_LIST_PAGE_SIZE) throw new UpstreamInvalidResponseError(`Braze answered ${segments.length} segments on one page; pages hold ${SEGMENT_LIST_PAGE_SIZE}`);
    return withUnknownKeys(segments.map(parseEntry), body, SEGMENT_LIST_SHAPE);
  },
  ttlMs: listTtlMs,
  simulate: (input) =>
    simulatePage(input, SIMULATED_SEGMENTS, SEGMENT_LIST_PAGE_SIZE, 'segments', ({ id, name, analyticsTrackingEnabled, tags }) => ({
      id,
      name,
      analytics_tracking_enabled: analyticsTrackingEnabled,
      tags,
    }), { sorted: true }),
};
