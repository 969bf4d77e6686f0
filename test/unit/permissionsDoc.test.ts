import { readFileSync } from 'node:fs';
import { isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ENDPOINTS } from '../../src/endpoints/index.js';
import { schema } from '../../src/schema/index.js';

/**
 * docs/permissions.md tells an operator which permission each field needs. Its table is written by
 * hand, so this holds it to the catalogue (one row per endpoint, its permission and bucket) and to the
 * schema (every field it names exists; every root field is in it, or among those that cost no call).
 */
const DOC = readFileSync(new URL('../../docs/permissions.md', import.meta.url), 'utf8');
const HEADER = '| fields | endpoint | permission | bucket |';

interface Row {
  readonly fields: string;
  readonly path: string;
  readonly permission: string;
  readonly bucket: string;
}

/** The table's rows, each cell read as the table writes it (`GET /path`, `permission`, `bucket`). */
function tableRows(): Row[] {
  const lines = DOC.split('\n');
  const start = lines.indexOf(HEADER);
  expect(start, `docs/permissions.md has a table headed ${HEADER}`).toBeGreaterThanOrEqual(0);
  const rows: Row[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line.split(' | ').map((cell) => cell.replace(/^\| ?| ?\|$/g, ''));
    expect(cells, line).toHaveLength(4);
    const [fields = '', endpoint = '', permission = '', bucket = ''] = cells;
    const unquoted = (cell: string, pattern: RegExp): string => pattern.exec(cell)?.[1] ?? `(unreadable: ${cell})`;
    rows.push({
      fields,
      path: unquoted(endpoint, /^`GET (\/[a-z_/]+)`$/),
      permission: unquoted(permission, /^`([a-z_.]+)`$/),
      bucket: unquoted(bucket, /^`([A-Za-z]+)`$/),
    });
  }
  return rows;
}

/** Every `Type.field` a piece of the document names (in backticks, arguments and all). */
const coordinates = (text: string): string[] => [...text.matchAll(/`([A-Z_][A-Za-z_]*)\.([A-Za-z_]+)/g)].map(([, type, field]) => `${type}.${field}`);

describe('docs/permissions.md', () => {
  const rows = tableRows();

  it('has one row per endpoint the gateway calls, and no other', () => {
    expect(rows.map((row) => row.path).sort()).toEqual(ENDPOINTS.map((endpoint) => endpoint.path).sort());
  });

  it("gives each endpoint's permission and bucket as its descriptor does", () => {
    const documented = Object.fromEntries(rows.map(({ path, permission, bucket }) => [path, { permission, bucket }]));
    expect(documented).toEqual(Object.fromEntries(ENDPOINTS.map(({ path, permission, bucket }) => [path, { permission, bucket }])));
  });

  it('names only fields the schema has, at least one a row', () => {
    const missing: string[] = [];
    for (const row of rows) {
      const named = coordinates(row.fields);
      expect(named.length, row.path).toBeGreaterThan(0);
      for (const coordinate of named) {
        const [type = '', field = ''] = coordinate.split('.');
        const found = schema.getType(type);
        if (!isObjectType(found) || found.getFields()[field] === undefined) missing.push(`${coordinate} (${row.path})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('places every Query and Subscription field: in a row, or among those that cost no call', () => {
    const named = new Set(coordinates(DOC));
    const roots = [schema.getQueryType(), schema.getSubscriptionType()].flatMap((type) => (type ? Object.keys(type.getFields()).map((field) => `${type.name}.${field}`) : []));
    expect(roots.filter((coordinate) => !named.has(coordinate))).toEqual([]);
  });
});
