import type { Endpoint } from '../data/endpoint.js';
import { invalidAnswer, isRecord, optionalBoolean, optionalString, stringList } from './answers/answerFields.js';
import { cursorKey, cursorSearchParams, parseCursorPage, type CursorCall, type CursorList, type CursorPage } from './answers/cursorPages.js';
import { listTtlMs } from './answers/lists.js';
import { EXPORT_PAGE_SIZE, simulateEventExport } from './simulated/exports.js';

/** A custom event as GET /events tells of it: what `/events/list` does not (its name is the same). */
export interface ExportedEvent {
  readonly name: string;
  /** Null when Braze leaves it out or sends null. */
  readonly description: string | null;
  /** Whether the event is included in analytics reports (Braze `included_in_analytics_report`); null when Braze leaves it out. */
  readonly includedInAnalyticsReport: boolean | null;
  /** As Braze words it ("Active", …); null when Braze leaves it out. */
  readonly status: string | null;
  readonly tags: readonly string[];
}

function parseEvent(value: unknown, path: string): ExportedEvent {
  if (!isRecord(value)) throw invalidAnswer(`${path} is not an object`);
  const { name } = value;
  if (typeof name !== 'string' || name === '') throw invalidAnswer(`${path}.name is not a non-empty string`);
  return {
    name,
    description: optionalString(value['description'], `${path}.description`),
    includedInAnalyticsReport: optionalBoolean(value['included_in_analytics_report'], `${path}.included_in_analytics_report`),
    status: optionalString(value['status'], `${path}.status`),
    tags: stringList(value['tag_names'], `${path}.tag_names`),
  };
}

export const EVENT_EXPORT: CursorList<ExportedEvent> = { path: '/events', field: 'events', pageSize: EXPORT_PAGE_SIZE, entry: parseEvent, entryKeys: ['name', 'description', 'included_in_analytics_report', 'status', 'tag_names'] };

/**
 * GET /events: one page of custom events with their descriptions, tags, analytics-report inclusion and
 * status ("returned in groups of 50, sorted alphabetically"; the next page's cursor in the Link
 * header). In the 1,000-an-hour list bucket, shared with /events/list, /custom_attributes and
 * /purchases/product_list, so pages are read only when a field needs one, and cached by the list rule.
 */
export const eventExportEndpoint: Endpoint<CursorCall, CursorPage<ExportedEvent>> = {
  name: 'eventExport',
  path: '/events',
  permission: 'events.get',
  bucket: 'lists',
  key: cursorKey,
  searchParams: cursorSearchParams,
  headers: ['link'],
  parse: (text, _call, headers) => parseCursorPage(text, headers, EVENT_EXPORT),
  ttlMs: listTtlMs,
  simulate: simulateEventExport,
};
