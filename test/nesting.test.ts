import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_NESTING, nestingDepth } from '../src/plugins/useNestingLimit.js';
import { type TestGateway, type WireError, startTestGateway, useGatewayWithFakeBraze } from './helpers/gateway.js';

/** Deeper than graphql-js' recursive parser can go on Node's default stack (values overflow near 2,000). */
const DEEP = 3000;
/** Type references take fewer stack frames a level: they overflow near 8,000. */
const DEEP_TYPE = 10_000;

const nested = (open: string, inner: string, close: string, depth: number): string => `${open.repeat(depth)}${inner}${close.repeat(depth)}`;

/** Every kind of nesting a document can have, each `depth` levels deep. */
const deepDocuments = (depth: number): Record<string, string> => ({
  'list value': `{ eventSeries(event: ${nested('[', '"e"', ']', depth)}, length: 1) { total } }`,
  'object value': `{ eventSeries(event: ${nested('{a: ', '"e"', '}', depth)}, length: 1) { total } }`,
  'selection set': nested('{ a ', '', '}', depth),
  'inline fragments': `{ ${nested('... on Query { ', '__typename', '}', depth)} }`,
  'variable type': `query Deep($v: ${nested('[', 'Int', ']', depth === DEEP ? DEEP_TYPE : depth)}) { __typename }`,
  'directive argument': `{ __typename @include(if: ${nested('[', 'true', ']', depth)}) }`,
});

describe('nestingDepth (pure)', () => {
  it('counts brackets, braces and parentheses of every kind, mixed', () => {
    expect(nestingDepth('{ a }')).toBe(1);
    expect(nestingDepth('{ a(x: [{ b: [1] }]) { c } }')).toBe(5);
    expect(nestingDepth('query ($v: [[Int]]) { a }')).toBe(3);
    expect(nestingDepth('{ a } { b { c } }')).toBe(2);
  });

  it('ignores brackets inside strings, block strings and comments', () => {
    expect(nestingDepth('{ a(x: "[[[[{{{{((((") }')).toBe(2);
    expect(nestingDepth('{ a(x: """ [[[[ """) }')).toBe(2);
    expect(nestingDepth('# [[[[[[\n{ a }')).toBe(1);
  });

  it('stops counting once past the bound', () => {
    expect(nestingDepth('['.repeat(100_000), 10)).toBe(11);
  });

  it('leaves unreadable documents to the parser', () => {
    expect(nestingDepth('{ a(x: "unterminated')).toBe(2);
    expect(nestingDepth('} } } { a }')).toBe(1);
  });
});

const { braze, gateway } = useGatewayWithFakeBraze();
/** Token limit at its maximum: only the nesting limit stands between these documents and the parser. */
let unlimitedTokens: TestGateway;
beforeAll(async () => {
  unlimitedTokens = await startTestGateway(braze, { QUERY_MAX_TOKENS: '1000000' });
});
// After hooks run last-registered first: this gateway closes before the fake Braze it uses.
afterAll(() => unlimitedTokens.close());

const errorLines = (logs: string[]): string[] => logs.filter((line) => (JSON.parse(line) as { level: string }).level === 'error');

function expectNestingRefused(result: { status: number; body: { data?: unknown; errors?: WireError[] } }): void {
  expect(result.status).toBe(400);
  expect(result.body).toEqual({
    errors: [{ message: `Nesting limit of ${DEFAULT_MAX_NESTING} exceeded.`, extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'maxNesting' } }],
  });
  expect(braze.calls).toHaveLength(0);
}

async function post(target: TestGateway, query: string) {
  const response = await target.post(query);
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: WireError[] } };
}

describe(`nesting deeper than ${DEFAULT_MAX_NESTING} is refused before parsing`, () => {
  it(`a list nested ${DEEP} deep, with the default token limit: 400 QUERY_TOO_COMPLEX, nothing logged at error level`, async () => {
    expectNestingRefused(await post(gateway, deepDocuments(DEEP)['list value'] ?? ''));
    expect(errorLines(gateway.logs)).toEqual([]);
  });

  for (const [kind, document] of Object.entries(deepDocuments(DEEP))) {
    it(`with QUERY_MAX_TOKENS at its maximum: ${kind} nested ${kind === 'variable type' ? DEEP_TYPE : DEEP} deep`, async () => {
      expectNestingRefused(await post(unlimitedTokens, document));
      expect(errorLines(unlimitedTokens.logs)).toEqual([]);
    });
  }

  it('by GET too (the query in the URL)', async () => {
    // Brackets are legal in a query string; left raw the URL stays under Node's header size limit.
    const url = `${unlimitedTokens.url.href}?query=${deepDocuments(DEEP)['list value'] ?? ''}`;
    const response = await fetch(url, { headers: { 'x-graphql-yoga-csrf': '1', ...unlimitedTokens.authHeaders } });
    expectNestingRefused({ status: response.status, body: (await response.json()) as { errors?: WireError[] } });
    expect(errorLines(unlimitedTokens.logs)).toEqual([]);
  });

  it(`exactly ${DEFAULT_MAX_NESTING} levels are parsed (and then fail validation); one more is refused`, async () => {
    // `{` and `(` are two levels; the brackets make up the rest.
    const atLimit = await post(gateway, `{ eventSeries(event: ${nested('[', '"e"', ']', DEFAULT_MAX_NESTING - 2)}, length: 1) { total } }`);
    expect(atLimit.status).toBe(400);
    expect(atLimit.body.errors?.[0]?.message).toMatch(/^String cannot represent a non string value: \[\[/);
    expect(atLimit.body.errors?.[0]?.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
    expectNestingRefused(await post(gateway, `{ eventSeries(event: ${nested('[', '"e"', ']', DEFAULT_MAX_NESTING - 1)}, length: 1) { total } }`));
  });
});
