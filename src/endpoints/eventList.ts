import { UpstreamInvalidResponseError } from '../errors/gatewayErrors.js';
import { SIMULATED_EVENTS, simulatePage } from './simulated/lists.js';
import type { Endpoint } from '../data/endpoint.js';
import { listTtlMs, pageKey, pageSearchParams, parseNamePage, type PageCall } from './answers/lists.js';

/** Braze returns event names "in groups of 250, sorted alphabetically", pages numbered from 0. */
export const EVENT_LIST_PAGE_SIZE = 250;

/** GET /events/list: one page of custom event names. In the 1,000-an-hour list bucket. */
export const eventListEndpoint: Endpoint<PageCall, readonly string[]> = {
  name: 'eventList',
  path: '/events/list',
  permission: 'events.list',
  bucket: 'lists',
  key: pageKey,
  searchParams: pageSearchParams,
  parse(text) {
    const names = parseNamePage(text, 'events');
    if (names.length > EVENT_LIST_PAGE_SIZE) throw new UpstreamInvalidResponseError(`Braze answered ${names.length} events on one page; pages hold ${EVENT_LIST_PAGE_SIZE}`);
    return names;
  },
  ttlMs: listTtlMs,
  simulate: (input) => simulatePage(input, SIMULATED_EVENTS, EVENT_LIST_PAGE_SIZE, 'events'),
};
