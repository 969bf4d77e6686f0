import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printSubgraphSchema } from '@apollo/subgraph';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './schema/builder.js';
import { schema } from './schema/index.js';

export const SCHEMA_FILE = fileURLToPath(new URL('../schema/schema.graphql', import.meta.url));
export const SUBGRAPH_FILE = fileURLToPath(new URL('../schema/subgraph.graphql', import.meta.url));

/**
 * The client-facing SDL: the same types without federation's plumbing, sorted so that reordering code
 * does not churn the committed file. Frontends and codegen read this one.
 */
export function printClientSchema(): string {
  return `${printSchema(lexicographicSortSchema(builder.toSchema()))}\n`;
}

/** The subgraph SDL (with `@link` and `@key`), as a router or `rover` composes it. */
export function printSubgraphSdl(): string {
  return `${printSubgraphSchema(schema)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(SCHEMA_FILE, printClientSchema());
  writeFileSync(SUBGRAPH_FILE, printSubgraphSdl());
  process.stdout.write(`wrote ${SCHEMA_FILE}\nwrote ${SUBGRAPH_FILE}\n`);
}
