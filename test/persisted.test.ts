import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/index.js';
import { CustomEventsDocument, DashboardDocument, EventSeriesDocument, ProductsDocument, SegmentDocument, SegmentsDocument } from './generated/graphql.js';
import { useGatewayWithFakeBraze } from './helpers/gateway.js';

const MANIFEST = fileURLToPath(new URL('./generated/persisted-documents.json', import.meta.url));
const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, string>;
const VARIABLES = { event: 'purchase', length: 2, endingAt: '2024-03-10T00:00:00Z' };

/** The id codegen embedded in a generated document. */
const idOf = (document: unknown): string => (document as { __meta__: { hash: string } }).__meta__.hash;

const { braze, gateway } = useGatewayWithFakeBraze({ PERSISTED_OPERATIONS_FILE: MANIFEST, AUTH_TOKENS: 'tok-persisted-0123456789abcdef' });

async function post(body: Record<string, unknown>) {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer tok-persisted-0123456789abcdef' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: unknown }[] } };
}

describe('the committed manifest', () => {
  it('holds exactly the generated operations, each under the sha256 of its text', () => {
    const generated = [DashboardDocument, EventSeriesDocument, CustomEventsDocument, ProductsDocument, SegmentsDocument, SegmentDocument];
    expect(Object.keys(manifest).sort()).toEqual(generated.map(idOf).sort());
    for (const [id, document] of Object.entries(manifest)) {
      expect(id).toBe(`sha256:${createHash('sha256').update(document).digest('hex')}`);
    }
  });
});

describe('with PERSISTED_OPERATIONS_FILE, only manifest operations run', () => {
  it('by documentId (POST and GET), with the right numbers and one upstream call each', async () => {
    const expected = { data: { eventSeries: { event: 'purchase', total: 3 } } };
    const byPost = await post({ documentId: idOf(EventSeriesDocument), variables: VARIABLES });
    expect(byPost.status).toBe(200);
    expect(byPost.body).toMatchObject(expected);
    const params = new URLSearchParams({ documentId: idOf(EventSeriesDocument), variables: JSON.stringify(VARIABLES) });
    const byGet = await fetch(`${gateway.url.href}?${params.toString()}`, {
      headers: { 'x-graphql-yoga-csrf': '1', authorization: 'Bearer tok-persisted-0123456789abcdef' },
    });
    expect(byGet.status).toBe(200);
    expect(await byGet.json()).toMatchObject(expected);
    expect(braze.seriesCalls).toHaveLength(2);
  });

  it("by Apollo's extensions.persistedQuery.sha256Hash (bare hex)", async () => {
    const sha256Hash = idOf(EventSeriesDocument).replace(/^sha256:/, '');
    const result = await post({ extensions: { persistedQuery: { version: 1, sha256Hash } }, variables: VARIABLES });
    expect(result).toMatchObject({ status: 200, body: { data: { eventSeries: { total: 3 } } } });
  });

  it('an arbitrary document is refused, even the text of a persisted one: PERSISTED_QUERY_ID_REQUIRED, no upstream call', async () => {
    for (const query of ['{ eventSeries(event: "e", length: 1) { total } }', print(EventSeriesDocument)]) {
      const result = await post({ query, variables: VARIABLES });
      expect(result.status).toBe(400);
      expect(result.body.errors).toEqual([
        {
          message:
            'This gateway runs persisted operations only: send documentId (or extensions.persistedQuery.sha256Hash) from its manifest instead of a query',
          extensions: { code: 'PERSISTED_QUERY_ID_REQUIRED' },
        },
      ]);
    }
    expect(braze.calls).toHaveLength(0);
  });

  it('an unknown id is refused: PERSISTED_QUERY_NOT_IN_LIST, no upstream call', async () => {
    const result = await post({ documentId: `sha256:${'0'.repeat(64)}`, variables: VARIABLES });
    expect(result.status).toBe(400);
    expect(result.body.errors?.[0]?.extensions).toEqual({ code: 'PERSISTED_QUERY_NOT_IN_LIST' });
    expect((await post({ variables: VARIABLES })).body.errors?.[0]?.extensions).toEqual({ code: 'PERSISTED_QUERY_ID_REQUIRED' });
    expect(braze.calls).toHaveLength(0);
  });

  it('GraphiQL is off by default (it could run nothing)', async () => {
    const page = await fetch(gateway.url, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toContain('<html');
    expect(loadConfig({ PERSISTED_OPERATIONS_FILE: MANIFEST, GRAPHIQL_ENABLED: 'true' }).graphiql).toBe(true);
  });
});

describe('PERSISTED_OPERATIONS_FILE problems are configuration errors', () => {
  const problemsFor = (file: string): readonly string[] => {
    try {
      loadConfig({ PERSISTED_OPERATIONS_FILE: file });
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
    }
    return [];
  };

  it.each([
    ['/nonexistent/manifest.json', ['PERSISTED_OPERATIONS_FILE cannot be read (/nonexistent/manifest.json: ENOENT)']],
    [fileURLToPath(new URL('./fixtures/cors-page.html', import.meta.url)), [`PERSISTED_OPERATIONS_FILE is not valid JSON (${fileURLToPath(new URL('./fixtures/cors-page.html', import.meta.url))})`]],
  ])('%s', (file, problems) => {
    expect(problemsFor(file)).toEqual(problems);
  });

  it('says what is wrong without quoting what the file holds (pointed at a secret by mistake)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'manifest-'));
    const files: Record<string, [string, string]> = {
      shadow: ['root:$6$s3cr3tSalt$hash:19000:0:99999:7:::', 'PERSISTED_OPERATIONS_FILE is not valid JSON'],
      almostJson: ['{"s3cr3t-value": ', 'PERSISTED_OPERATIONS_FILE is not valid JSON'],
      values: [JSON.stringify({ a: 's3cr3t-value here', b: 7 }), 'PERSISTED_OPERATIONS_FILE entry 1 is not a GraphQL document (syntax error at line 1, column 1)'],
    };
    for (const [name, [content, problem]] of Object.entries(files)) {
      const file = join(dir, name);
      writeFileSync(file, content);
      const problems = problemsFor(file);
      expect(problems[0]).toContain(problem);
      expect(problems.join('\n')).not.toMatch(/s3cr3t|root:/);
    }
    expect(problemsFor(join(dir, 'values'))).toEqual([
      'PERSISTED_OPERATIONS_FILE entry 1 is not a GraphQL document (syntax error at line 1, column 1)',
      'PERSISTED_OPERATIONS_FILE entry 2 is not a string',
    ]);
  });
});
