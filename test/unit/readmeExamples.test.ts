import { readFileSync } from 'node:fs';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const SCHEMA = buildSchema(readFileSync(new URL('../../schema/schema.graphql', import.meta.url), 'utf8'));

/**
 * The README's GraphQL operations against this gateway: ```graphql blocks that start with a query (type
 * sketches with `…` are not; a block opening with a comment, such as a supergraph query, is not either).
 */
const EXAMPLES = [...README.matchAll(/```graphql\n([\s\S]*?)```/g)]
  .map((match) => match[1]!)
  .filter((block) => /^\s*(query|subscription|\{)/.test(block) && !block.includes('…'));

describe('README examples', () => {
  it('there are examples to check', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(5);
  });

  it.each(EXAMPLES.map((example, index) => [index, example] as const))('example %i is valid against the committed schema', (_index, example) => {
    const errors = validate(SCHEMA, parse(example)).map((error) => error.message);
    expect(errors).toEqual([]);
  });
});
