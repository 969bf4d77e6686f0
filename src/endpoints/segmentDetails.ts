import { UpstreamInvalidResponseError } from '../errors/gatewayErrors.js';
import { simulateSegmentDetails } from './simulated/lists.js';
import { optionalInstant, optionalString, stringList } from './answers/answerFields.js';
import type { Endpoint } from '../data/endpoint.js';
import { keys, withUnknownKeys } from './answers/shape.js';
import { listTtlMs, parseSuccessBody } from './answers/lists.js';

export interface SegmentDetailsCall {
  readonly segmentId: string;
}

/** A segment as /segments/details tells of it. */
export interface SegmentDetails {
  readonly name: string;
  /** Braze `description`: "a human-readable description of filters". */
  readonly description: string | null;
  /** Braze `text_description`: "the segment description". */
  readonly textDescription: string | null;
  readonly tags: readonly string[];
  readonly teams: readonly string[];
  readonly createdAt: Date | null;
  readonly updatedAt: Date | null;
}

/** What Braze documents of a /segments/details answer. */
export const SEGMENT_DETAILS_SHAPE = keys(['message', 'created_at', 'updated_at', 'name', 'description', 'text_description', 'tags', 'teams']);

/**
 * GET /segments/details: one segment's name, descriptions, tags and dates. Braze does not document its
 * answer for an id it does not know; whatever it is (a 4xx, a body without success), the field asking
 * gets that error.
 */
export const segmentDetailsEndpoint: Endpoint<SegmentDetailsCall, SegmentDetails> = {
  name: 'segmentDetails',
  path: '/segments/details',
  permission: 'segments.details',
  bucket: 'export',
  key: (call) => call.segmentId,
  searchParams: (call) => new URLSearchParams({ segment_id: call.segmentId }),
  parse(text) {
    const body = parseSuccessBody(text);
    if (typeof body['name'] !== 'string') throw new UpstreamInvalidResponseError('Braze answered segment details without a "name" string');
    return withUnknownKeys(
      {
        name: body['name'],
        description: optionalString(body['description'], 'description'),
        textDescription: optionalString(body['text_description'], 'text_description'),
        tags: stringList(body['tags'], 'tags'),
        teams: stringList(body['teams'], 'teams'),
        createdAt: optionalInstant(body['created_at'], 'created_at'),
        updatedAt: optionalInstant(body['updated_at'], 'updated_at'),
      },
      body,
      SEGMENT_DETAILS_SHAPE,
    );
  },
  // A segment's name and filters change rarely: kept as long as a list page.
  ttlMs: listTtlMs,
  simulate: simulateSegmentDetails,
};
