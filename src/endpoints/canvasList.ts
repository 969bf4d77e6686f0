import { UpstreamInvalidResponseError } from '../errors/gatewayErrors.js';
import { simulateCanvasList } from './simulated/canvases.js';
import { isRecord, isStringList, parseInstantText } from './answers/answerFields.js';
import type { Endpoint } from '../data/endpoint.js';
import { ANY, keys, listOf, record, withUnknownKeys } from './answers/shape.js';
import { formatEditedAfter, listTtlMs, parseSuccessBody, setSortDirection, type SortedPageCall } from './answers/lists.js';

/** Braze returns Canvases "in groups of 100 sorted by time of creation (oldest to newest by default)". */
export const CANVAS_LIST_PAGE_SIZE = 100;

/** One page of GET /canvas/list, with its filters: pages of different filters are different lists. */
export interface CanvasListCall extends SortedPageCall {
  readonly includeArchived: boolean;
  /** Braze `last_edit.time[gt]`: only Canvases edited after this instant. */
  readonly lastEditedAfter: Date | undefined;
}

/** A Canvas as /canvas/list tells of it. */
export interface CanvasListEntry {
  readonly id: string;
  readonly name: string;
  readonly lastEdited: Date | null;
  readonly tags: readonly string[];
}

function parseEntry(entry: unknown, index: number): CanvasListEntry {
  const at = `canvases[${index}]`;
  if (!isRecord(entry)) throw new UpstreamInvalidResponseError(`${at} is not an object`);
  const { id, name, last_edited: lastEdited, tags } = entry;
  if (typeof id !== 'string' || id === '') throw new UpstreamInvalidResponseError(`${at}.id is not a non-empty string`);
  if (typeof name !== 'string') throw new UpstreamInvalidResponseError(`${at}.name is not a string`);
  let edited: Date | null = null;
  if (lastEdited !== undefined && lastEdited !== null) {
    const parsed = typeof lastEdited === 'string' ? parseInstantText(lastEdited) : undefined;
    if (parsed === undefined) throw new UpstreamInvalidResponseError(`${at}.last_edited is not an ISO-8601 date-time`);
    edited = parsed;
  }
  // Braze documents tags as an array; a Canvas without tags may well come without it.
  if (tags !== undefined && tags !== null && !isStringList(tags)) throw new UpstreamInvalidResponseError(`${at}.tags is not a list of strings`);
  return { id, name, lastEdited: edited, tags: tags ?? [] };
}

/** What Braze documents of a /canvas/list answer. */
export const CANVAS_LIST_SHAPE = record({ message: ANY, canvases: listOf(keys(['id', 'last_edited', 'name', 'tags'])) });

/** GET /canvas/list: one page of Canvases, oldest first (Braze's default) or newest first; archived ones only when asked for. */
export const canvasListEndpoint: Endpoint<CanvasListCall, readonly CanvasListEntry[]> = {
  name: 'canvasList',
  path: '/canvas/list',
  permission: 'canvas.list',
  bucket: 'export',
  key: (call) => JSON.stringify([call.page, call.includeArchived, call.lastEditedAfter?.getTime() ?? null, call.sortDirection]),
  searchParams(call) {
    const params = new URLSearchParams({ page: String(call.page) });
    // Braze's default is false: the flag is sent only to change it.
    if (call.includeArchived) params.set('include_archived', 'true');
    setSortDirection(params, call.sortDirection);
    if (call.lastEditedAfter !== undefined) params.set('last_edit.time[gt]', formatEditedAfter(call.lastEditedAfter));
    return params;
  },
  parse(text) {
    const body = parseSuccessBody(text);
    const canvases = body['canvases'];
    if (!Array.isArray(canvases)) throw new UpstreamInvalidResponseError('Braze answered without a "canvases" list');
    if (canvases.length > CANVAS_LIST_PAGE_SIZE) throw new UpstreamInvalidResponseError(`Braze answered ${canvases.length} Canvases on one page; pages hold ${CANVAS_LIST_PAGE_SIZE}`);
    return withUnknownKeys(canvases.map(parseEntry), body, CANVAS_LIST_SHAPE);
  },
  ttlMs: listTtlMs,
  simulate: simulateCanvasList,
};
