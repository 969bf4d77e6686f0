import { isRecord } from './answerFields.js';
import { UpstreamInvalidResponseError } from '../../errors/gatewayErrors.js';
import { truncate } from '../../observability/redact.js';
import type { TtlPolicy } from '../../data/endpoint.js';
import { formatInstant } from './brazeTime.js';
import { keys, withUnknownKeys, type Shape } from './shape.js';

/**
 * What Braze's paged list endpoints (`/events/list`, `/purchases/product_list`, `/segments/list`) have
 * in common: a `page` parameter, and an answer `{"message": "success", "<field>": [ … ]}`.
 */
export interface PageCall {
  /** Braze's page number, 0 for the first page. */
  readonly page: number;
}

export const pageKey = (call: PageCall): string => String(call.page);

/**
 * The order of a list sorted by creation time (segments, campaigns, Canvases): Braze's default is
 * oldest first (`asc`); `desc` is newest first.
 */
export type SortDirection = 'asc' | 'desc';

/** One page of a list Braze sorts by creation time, in either order. */
export interface SortedPageCall extends PageCall {
  readonly sortDirection: SortDirection;
}

/** Braze's `sort_direction`, sent only to change its default (oldest first). */
export function setSortDirection(params: URLSearchParams, direction: SortDirection): void {
  if (direction === 'desc') params.set('sort_direction', 'desc');
}

/**
 * `last_edit.time[gt]` to the second: Braze's pages give the format `yyyy-MM-DDTHH:mm:ss` (their
 * examples add an offset); sent in UTC with `Z`. Cut down, never up, so nothing edited after the
 * instant is lost.
 */
export function formatEditedAfter(date: Date): string {
  return formatInstant(new Date(Math.floor(date.getTime() / 1000) * 1000));
}

/** Every page is asked for by number, the first one too: the upstream URL says which page it is. */
export function pageSearchParams(call: PageCall): URLSearchParams {
  return new URLSearchParams({ page: String(call.page) });
}

/**
 * List pages sit in small rate-limit buckets and change rarely (a new event name, a new segment): they
 * are kept as long as settled series, whatever time it is.
 */
export function listTtlMs(_call: unknown, _now: number, policy: TtlPolicy): number {
  return policy.pastTtlMs;
}

/**
 * The successful answer's body as an object, or UpstreamInvalidResponseError saying what is wrong with
 * it. Braze's answer is not trusted: a proxy or an API change must not become a crash.
 *
 * `message` is Braze's status: "success", or what went wrong. An answer without one is taken on the
 * rest of its content (Braze's own multivariate `/campaigns/data_series` example has none, and the
 * endpoint's parser still checks everything it reads); any other message, or one that is not a
 * string, is a failure.
 */
export function parseSuccessBody(text: string): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    const trimmed = text.trim();
    throw new UpstreamInvalidResponseError(`Braze answered with a body that is not JSON (${trimmed === '' ? 'empty body' : `starts with "${truncate(trimmed.replace(/\s+/g, ' '), 60)}"`})`);
  }
  if (!isRecord(body)) throw new UpstreamInvalidResponseError('Braze answered with JSON that is not an object');
  if (body['message'] !== undefined && body['message'] !== 'success') {
    const message = typeof body['message'] === 'string' ? `"${truncate(body['message'], 120)}"` : truncate(JSON.stringify(body['message']), 60);
    throw new UpstreamInvalidResponseError(`Braze answered without success (message: ${message})`);
  }
  return body;
}

/** One page of a list of names: `field` must be a list of strings. */
export function parseNamePage(text: string, field: string): string[] {
  const body = parseSuccessBody(text);
  const list = body[field];
  if (!Array.isArray(list)) throw new UpstreamInvalidResponseError(`Braze answered without a "${field}" list`);
  const names = list.map((name: unknown, index) => {
    if (typeof name !== 'string') throw new UpstreamInvalidResponseError(`${field}[${index}] is not a string`);
    return name;
  });
  return withUnknownKeys(names, body, namePageShape(field));
}

/** What Braze documents of a page of names: `message` and the list. */
export function namePageShape(field: string): Shape {
  return keys(['message', field]);
}

