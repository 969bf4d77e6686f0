import { UpstreamInvalidResponseError } from '../errors/gatewayErrors.js';
import { simulateSegmentDetails } from './simulated/lists.js';
import { optionalInstant, optionalInstantMs, optionalString, readCached, record, stringList, text } from './answers/answerFields.js';
import type { AnswerCodec } from '../data/cache.js';
import type { Endpoint } from '../data/endpoint.js';
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

/** Compact wire form: the instants as epoch milliseconds. */
interface EncodedDetails {
  readonly name: string;
  readonly description: string | null;
  readonly textDescription: string | null;
  readonly tags: readonly string[];
  readonly teams: readonly string[];
  readonly createdAt: number | null;
  readonly updatedAt: number | null;
}

/** Read back with parse's rules: the same fields, instants real dates. */
const segmentDetailsCodec: AnswerCodec<SegmentDetails> = {
  encode: (details) =>
    ({ ...details, createdAt: details.createdAt?.getTime() ?? null, updatedAt: details.updatedAt?.getTime() ?? null }) satisfies EncodedDetails,
  decode: (value) =>
    readCached(() => {
      const details = record(value, 'details');
      return {
        name: text(details['name'], 'name'),
        description: optionalString(details['description'], 'description'),
        textDescription: optionalString(details['textDescription'], 'textDescription'),
        tags: stringList(details['tags'], 'tags'),
        teams: stringList(details['teams'], 'teams'),
        createdAt: optionalInstantMs(details['createdAt'], 'createdAt'),
        updatedAt: optionalInstantMs(details['updatedAt'], 'updatedAt'),
      };
    }),
};

/**
 * GET /segments/details: one segment's name, descriptions, tags and dates. Braze does not document its
 * answer for an id it does not know; whatever it is (a 4xx, a body without success), the field asking
 * gets that error.
 */
export const segmentDetailsEndpoint: Endpoint<SegmentDetailsCall, SegmentDetails> = {
  name: 'segmentDetails',
  path: '/segments/details',
  bucket: 'export',
  key: (call) => call.segmentId,
  searchParams: (call) => new URLSearchParams({ segment_id: call.segmentId }),
  parse(text) {
    const body = parseSuccessBody(text);
    if (typeof body['name'] !== 'string') throw new UpstreamInvalidResponseError('Braze answered segment details without a "name" string');
    return {
      name: body['name'],
      description: optionalString(body['description'], 'description'),
      textDescription: optionalString(body['text_description'], 'text_description'),
      tags: stringList(body['tags'], 'tags'),
      teams: stringList(body['teams'], 'teams'),
      createdAt: optionalInstant(body['created_at'], 'created_at'),
      updatedAt: optionalInstant(body['updated_at'], 'updated_at'),
    };
  },
  // A segment's name and filters change rarely: kept as long as a list page.
  ttlMs: listTtlMs,
  codec: segmentDetailsCodec,
  simulate: simulateSegmentDetails,
};
