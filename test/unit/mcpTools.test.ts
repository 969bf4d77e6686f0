import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.js';
import { compactResult } from '../../src/mcp/compactResult.js';
import { costOf } from '../../src/mcp/gatewayCall.js';
import { loadOperationTools, operationTool, snakeCase } from '../../src/mcp/operationTools.js';
import { createTools } from '../../src/mcp/tools.js';
import { DEFAULT_MCP_POLICY } from '../../src/config/mcp.js';

describe('compactResult', () => {
  it('turns a series’ points into [time, value] pairs and keeps the rest', () => {
    expect(compactResult({ kpiSeries: { total: 3, points: [{ time: 't1', value: 1 }, { time: 't2', value: 2 }] } })).toEqual({
      kpiSeries: { total: 3, points: [['t1', 1], ['t2', 2]] },
    });
    expect(compactResult({ s: { points: [{ date: 'd1', count: null }] } })).toEqual({ s: { points: [['d1', null]] } });
  });

  it('keeps points with more than one measure as objects, compacted within', () => {
    const points = [{ time: 't', uniqueRecipients: 1, channels: [{ channel: 'email' }] }];
    expect(compactResult({ points })).toEqual({ points });
    expect(compactResult({ points: [{ time: 't', a: 1, b: 2 }] })).toEqual({ points: [{ time: 't', a: 1, b: 2 }] });
  });

  it('flattens a connection: nodes, endCursor, hasNextPage', () => {
    expect(
      compactResult({ segments: { edges: [{ cursor: 'c0', node: { id: 'a' } }, { cursor: 'c1', node: { id: 'b' } }], pageInfo: { endCursor: 'c1', hasNextPage: false, hasPreviousPage: false, startCursor: 'c0' } } }),
    ).toEqual({ segments: { nodes: [{ id: 'a' }, { id: 'b' }], endCursor: 'c1', hasNextPage: false } });
  });

  it('leaves scalars, nulls and lists of scalars alone', () => {
    expect(compactResult({ a: null, b: [1, 2], c: 'x', d: { points: null } })).toEqual({ a: null, b: [1, 2], c: 'x', d: { points: null } });
  });
});

describe('costOf: what a response’s extensions say it cost', () => {
  it('reads brazeCache and every reported bucket', () => {
    expect(
      costOf({
        brazeCache: { hits: 2, shared: 1, misses: 3, attempts: 5, coalesced: 0, maxAgeSeconds: 0 },
        brazeRateLimit: { limit: 10, remaining: 7, resetAt: 'r', buckets: { export: { limit: 10, remaining: 7, resetAt: 'r' }, list: { limit: 5 } } },
      }),
    ).toEqual({ brazeCalls: 3, answeredAttempts: 5, cachedAnswers: 2, sharedAnswers: 1, wholeResponseCached: false, failedAttempts: 0, buckets: { export: { limit: 10, remaining: 7, resetAt: 'r' } } });
  });

  it('counts the attempts that failed calls’ errors report', () => {
    const errors = [
      { message: 'a', extensions: { code: 'UPSTREAM_UNAVAILABLE', upstreamStatus: 503, attempts: 3 } },
      { message: 'b', extensions: { code: 'UPSTREAM_FORBIDDEN', upstreamStatus: 403, attempts: 1 } },
      { message: 'c', extensions: { code: 'BAD_USER_INPUT' } },
    ];
    expect(costOf(undefined, errors)).toMatchObject({ brazeCalls: 0, failedAttempts: 4 });
  });

  it('says nothing was spent when the response loaded nothing, and ignores values that are not counts', () => {
    expect(costOf(undefined)).toEqual({ brazeCalls: 0, answeredAttempts: 0, cachedAnswers: 0, sharedAnswers: 0, wholeResponseCached: false, failedAttempts: 0, buckets: {} });
    expect(costOf({ brazeCache: { misses: -1, hits: 1.5, wholeResponse: true } })).toMatchObject({ brazeCalls: 0, cachedAnswers: 0, wholeResponseCached: true });
    // A gateway that does not report attempts (or reports fewer than its calls): each call is one attempt.
    expect(costOf({ brazeCache: { misses: 2 } })).toMatchObject({ brazeCalls: 2, answeredAttempts: 2 });
    expect(costOf({ brazeCache: { misses: 2, attempts: 1 } })).toMatchObject({ brazeCalls: 2, answeredAttempts: 2 });
  });
});

describe('tools from operations', () => {
  it('names tools in snake_case', () => {
    expect(['KpiSeries', 'topCampaignsByConversions', 'DAUSince', 'segments'].map(snakeCase)).toEqual(['kpi_series', 'top_campaigns_by_conversions', 'dau_since', 'segments']);
  });

  it('derives the input schema: required non-null variables, defaults, enums, nullable ones', () => {
    const tool = operationTool(schema, 'X.graphql', '# Lists.\nquery ListCampaigns($first: Int = 10, $sortDirection: SortDirection!) { campaigns(first: $first, sortDirection: $sortDirection) { nodes { id } } }');
    expect(tool.name).toBe('list_campaigns');
    expect(tool.inputSchema).toEqual({
      type: 'object',
      properties: {
        first: { type: ['integer', 'null'], default: 10, description: 'The number of items to return, from 1 to 250; defaults to 50.' },
        sortDirection: { type: 'string', enum: ['ASC', 'DESC'], description: expect.stringContaining('Oldest first') },
      },
      required: ['sortDirection'],
      additionalProperties: false,
    });
    expect(tool.description).toMatch(/^Lists\.\n\ncampaigns: The workspace's campaigns/);
  });

  it.each([
    ['query {', /does not parse/],
    ['{ kpiSeries(kpi: NEW_USERS, length: 1) { total } }', /exactly one named query/],
    ['query A { segments { nodes { id } } } query B { segments { nodes { id } } }', /exactly one named query/],
    ['subscription S { kpiSeries(kpi: NEW_USERS, length: 1) { total } }', /exactly one named query/],
    ['query A { noSuchField }', /not valid against the schema/],
  ])('refuses a file that cannot be a tool: %s', (text, problem) => {
    expect(() => operationTool(schema, 'bad.graphql', text)).toThrow(problem);
  });

  it('a folder that cannot be read, holds nothing, repeats a name or shadows a built-in tool stops the start', () => {
    expect(() => loadOperationTools(schema, '/no/such/folder')).toThrow(/cannot be read \(\/no\/such\/folder: ENOENT\)/);
    const folder = mkdtempSync(join(tmpdir(), 'mcp-ops-'));
    expect(() => loadOperationTools(schema, folder)).toThrow(/holds no \.graphql file/);
    writeFileSync(join(folder, 'a.graphql'), 'query Execute { segments { nodes { id } } }');
    expect(() => createTools(schema, { ...DEFAULT_MCP_POLICY, operationsDir: folder }, { introspection: true })).toThrow(/execute is the name of a built-in tool/);
    writeFileSync(join(folder, 'b.graphql'), 'query execute { segments { nodes { name } } }');
    expect(() => loadOperationTools(schema, folder)).toThrow(/two operations make the tool execute/);
  });

  it('the shipped operations all load', () => {
    expect(createTools(schema, DEFAULT_MCP_POLICY, { introspection: true }).length).toBe(15);
  });
});
