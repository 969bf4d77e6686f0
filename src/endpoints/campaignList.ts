import { UpstreamInvalidResponseError } from '../errors/gatewayErrors.js';
import { simulateCampaignList } from './simulated/campaigns.js';
import { isRecord, isStringList, optionalInstant } from './answers/answerFields.js';
import type { Endpoint } from '../data/endpoint.js';
import { ANY, keys, listOf, record, withUnknownKeys } from './answers/shape.js';
import { formatEditedAfter, listTtlMs, parseSuccessBody, setSortDirection, type SortedPageCall } from './answers/lists.js';

/** Braze returns campaigns "in groups of 100 sorted by time of creation", pages numbered from 0. */
export const CAMPAIGN_LIST_PAGE_SIZE = 100;

/** One page of GET /campaigns/list, with its filters (part of the key: each filter is another list). */
export interface CampaignListCall extends SortedPageCall {
  readonly includeArchived: boolean;
  /** Only campaigns edited after this instant (Braze `last_edit.time[gt]`). */
  readonly lastEditedAfter: Date | undefined;
}

/** A campaign as /campaigns/list tells of it. */
export interface CampaignListEntry {
  readonly id: string;
  readonly name: string;
  /** Null when Braze leaves it out. */
  readonly isApiCampaign: boolean | null;
  readonly tags: readonly string[];
  readonly lastEditedAt: Date | null;
}

function parseEntry(entry: unknown, index: number): CampaignListEntry {
  const at = `campaigns[${index}]`;
  if (!isRecord(entry)) throw new UpstreamInvalidResponseError(`${at} is not an object`);
  const { id, name, is_api_campaign: api, tags, last_edited: lastEdited } = entry;
  if (typeof id !== 'string' || id === '') throw new UpstreamInvalidResponseError(`${at}.id is not a non-empty string`);
  if (typeof name !== 'string') throw new UpstreamInvalidResponseError(`${at}.name is not a string`);
  if (api !== undefined && api !== null && typeof api !== 'boolean') throw new UpstreamInvalidResponseError(`${at}.is_api_campaign is not a boolean`);
  if (tags !== undefined && tags !== null && !isStringList(tags)) throw new UpstreamInvalidResponseError(`${at}.tags is not a list of strings`);
  return { id, name, isApiCampaign: api ?? null, tags: tags ?? [], lastEditedAt: optionalInstant(lastEdited, `${at}.last_edited`) };
}

/** What Braze documents of a /campaigns/list answer. */
export const CAMPAIGN_LIST_SHAPE = record({ message: ANY, campaigns: listOf(keys(['id', 'last_edited', 'name', 'is_api_campaign', 'tags'])) });

/**
 * GET /campaigns/list: one page of campaigns, oldest first (Braze's default order) or newest first.
 * `last_edit.time[gt]` is sent to the second as a UTC instant with `Z` (formatEditedAfter): Braze's
 * page gives the format `yyyy-MM-DDTHH:mm:ss` but its own example carries an offset, so an explicit
 * one is what it reads unambiguously.
 */
export const campaignListEndpoint: Endpoint<CampaignListCall, readonly CampaignListEntry[]> = {
  name: 'campaignList',
  path: '/campaigns/list',
  permission: 'campaigns.list',
  bucket: 'export',
  key: (call) => JSON.stringify([call.page, call.includeArchived, call.lastEditedAfter?.getTime() ?? null, call.sortDirection]),
  searchParams(call) {
    const params = new URLSearchParams({ page: String(call.page), include_archived: String(call.includeArchived) });
    setSortDirection(params, call.sortDirection);
    if (call.lastEditedAfter !== undefined) params.set('last_edit.time[gt]', formatEditedAfter(call.lastEditedAfter));
    return params;
  },
  parse(text) {
    const body = parseSuccessBody(text);
    const campaigns = body['campaigns'];
    if (!Array.isArray(campaigns)) throw new UpstreamInvalidResponseError('Braze answered without a "campaigns" list');
    if (campaigns.length > CAMPAIGN_LIST_PAGE_SIZE) throw new UpstreamInvalidResponseError(`Braze answered ${campaigns.length} campaigns on one page; pages hold ${CAMPAIGN_LIST_PAGE_SIZE}`);
    return withUnknownKeys(campaigns.map(parseEntry), body, CAMPAIGN_LIST_SHAPE);
  },
  ttlMs: listTtlMs,
  simulate: simulateCampaignList,
};
