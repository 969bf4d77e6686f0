import type { Endpoint } from '../data/endpoint.js';
import { count, invalidAnswer, isRecord, optionalString, stringList } from './answers/answerFields.js';
import { cursorKey, cursorSearchParams, parseCursorPage, type CursorCall, type CursorList, type CursorPage } from './answers/cursorPages.js';
import { listTtlMs } from './answers/lists.js';
import { EXPORT_PAGE_SIZE, simulateAttributeExport } from './simulated/exports.js';

/** A custom attribute as GET /custom_attributes tells of it. */
export interface ExportedAttribute {
  readonly name: string;
  /** Braze's data type name ("Number", "String", "Boolean", "Time", "Array", "Object", …); null when Braze leaves it out. */
  readonly dataType: string | null;
  readonly description: string | null;
  /** As Braze words it ("Active", …); null when Braze leaves it out. */
  readonly status: string | null;
  readonly tags: readonly string[];
  /** The maximum length of an array attribute; null when not applicable (Braze's words). */
  readonly arrayLength: number | null;
}

function parseAttribute(value: unknown, path: string): ExportedAttribute {
  if (!isRecord(value)) throw invalidAnswer(`${path} is not an object`);
  const { name } = value;
  if (typeof name !== 'string' || name === '') throw invalidAnswer(`${path}.name is not a non-empty string`);
  const arrayLength = value['array_length'];
  return {
    name,
    dataType: optionalString(value['data_type'], `${path}.data_type`),
    description: optionalString(value['description'], `${path}.description`),
    status: optionalString(value['status'], `${path}.status`),
    tags: stringList(value['tag_names'], `${path}.tag_names`),
    arrayLength: arrayLength === undefined || arrayLength === null ? null : count(arrayLength, `${path}.array_length`),
  };
}

export const ATTRIBUTE_EXPORT: CursorList<ExportedAttribute> = { path: '/custom_attributes', field: 'attributes', pageSize: EXPORT_PAGE_SIZE, entry: parseAttribute, entryKeys: ['name', 'data_type', 'description', 'status', 'tag_names', 'array_length'] };

/**
 * GET /custom_attributes: one page of custom attributes with their data type, description, tags,
 * status and array length ("returned in groups of 50, sorted alphabetically"; the next page's cursor
 * in the Link header). In the 1,000-an-hour list bucket (shared with /events, /events/list and
 * /purchases/product_list): read only when a field needs a page, and cached by the list rule.
 */
export const customAttributeExportEndpoint: Endpoint<CursorCall, CursorPage<ExportedAttribute>> = {
  name: 'customAttributeExport',
  path: '/custom_attributes',
  permission: 'custom_attributes.get',
  bucket: 'lists',
  key: cursorKey,
  searchParams: cursorSearchParams,
  headers: ['link'],
  parse: (text, _call, headers) => parseCursorPage(text, headers, ATTRIBUTE_EXPORT),
  ttlMs: listTtlMs,
  simulate: simulateAttributeExport,
};
