import { readdirSync, readFileSync } from 'node:fs';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url);
const SCHEMA = buildSchema(readFileSync(new URL('schema/schema.graphql', ROOT), 'utf8'));

/** README.md and every docs/*.md, by their path from the repository's root. */
const DOCUMENTS = [
  'README.md',
  ...readdirSync(new URL('docs/', ROOT))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`),
];

/**
 * The GraphQL operations against this gateway that the README and the docs show: ```graphql blocks that
 * start with a query (type sketches with `…` are not; a block opening with a comment, such as a supergraph
 * query, is not either).
 */
const EXAMPLES = DOCUMENTS.flatMap((path) =>
  [...readFileSync(new URL(path, ROOT), 'utf8').matchAll(/```graphql\n([\s\S]*?)```/g)]
    .map((match) => match[1]!)
    .filter((block) => /^\s*(query|subscription|\{)/.test(block) && !block.includes('…'))
    .map((example, index) => [`${path} #${index + 1}`, example] as const),
);

describe('GraphQL examples of the README and docs/', () => {
  it('there are examples to check, in the README and in the docs', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(10);
    expect(EXAMPLES.some(([name]) => name.startsWith('README.md'))).toBe(true);
  });

  it.each(EXAMPLES)('%s is valid against the committed schema', (_name, example) => {
    const errors = validate(SCHEMA, parse(example)).map((error) => error.message);
    expect(errors).toEqual([]);
  });
});
