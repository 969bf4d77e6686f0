import { describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.js';
import { operationTool } from '../../src/mcp/operationTools.js';
import type { JsonSchema } from '../../src/mcp/inputSchema.js';

const dataOf = (text: string): JsonSchema => operationTool(schema, 'X.graphql', text).outputSchema!.properties['data']!;

describe('an operation tool’s outputSchema', () => {
  it('describes a series as compactResult writes it: points as [time, value] pairs, non-null fields required', () => {
    const data = dataOf('query K($kpi: Kpi!) { kpiSeries(kpi: $kpi, length: 3) { kpi total points { time value } } }');
    const series = data.properties!['kpiSeries']!;
    // kpiSeries is nullable (null with an error when Braze fails): an object or null.
    expect(series.anyOf?.[1]).toEqual({ type: 'null' });
    const object = series.anyOf![0]!;
    // total is nullable in the schema (no point, no total): present, not required.
    expect(object.required).toEqual(['kpi', 'points']);
    expect(object.properties!['kpi']).toMatchObject({ type: 'string', enum: expect.arrayContaining(['DAILY_ACTIVE_USERS']) });
    expect(object.properties!['points']).toEqual({
      type: 'array',
      description: '[time, value] pairs',
      items: { type: 'array', minItems: 2, maxItems: 2, items: { anyOf: [expect.objectContaining({ type: 'string', format: 'date-time' }), expect.objectContaining({ type: 'integer' })] } },
    });
  });

  it('keeps points with more than one measure as objects, as compactResult does', () => {
    const data = dataOf('query C($id: ID!) { campaign(id: $id) { series(length: 2) { points { time uniqueRecipients conversions } } } }');
    const points = data.properties!['campaign']!.anyOf![0]!.properties!['series']!.anyOf![0]!.properties!['points']!;
    expect(points.type).toBe('array');
    expect(points.items!.properties).toHaveProperty('uniqueRecipients');
  });

  it('describes a connection flat: nodes, endCursor and hasNextPage, as compactResult writes it', () => {
    const data = dataOf('query L { campaigns(first: 2) { edges { node { id name } } pageInfo { endCursor hasNextPage } } }');
    const list = data.properties!['campaigns']!;
    const object = list.anyOf ? list.anyOf[0]! : list;
    expect(Object.keys(object.properties!).sort()).toEqual(['endCursor', 'hasNextPage', 'nodes']);
    expect(object.properties!['nodes']!.items).toMatchObject({ type: 'object', properties: { id: { type: 'string' } } });
  });

  it('a field under @include or a narrower fragment is never required; aliases are the keys', () => {
    const data = dataOf('query K($kpi: Kpi!, $with: Boolean!) { s: kpiSeries(kpi: $kpi, length: 3) { total @include(if: $with) ... on KpiSeries { kpi } } }');
    const object = data.properties!['s']!.anyOf![0]!;
    expect(object.required).toEqual(['kpi']);
    expect(Object.keys(object.properties!).sort()).toEqual(['kpi', 'total']);
  });

  it('says what every result carries beside data: errors with code and sentence, and braze’s cost', () => {
    const output = operationTool(schema, 'X.graphql', 'query K($kpi: Kpi!) { kpiSeries(kpi: $kpi, length: 3) { total } }').outputSchema!;
    expect(output.type).toBe('object');
    expect(output.required).toBeUndefined();
    expect(output.properties['errors']!.items!.required).toEqual(['code', 'message']);
    expect(output.properties['braze']!.required).toContain('sessionBudgetLeft');
  });
});
