import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printSubgraphSchema } from '@apollo/subgraph';
import { useDeferStream } from '@graphql-yoga/plugin-defer-stream';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { builder } from '../src/schema/builder.js';
import { schema } from '../src/schema/index.js';

export const SCHEMA_FILE = fileURLToPath(new URL('../schema/schema.graphql', import.meta.url));
export const SUBGRAPH_FILE = fileURLToPath(new URL('../schema/subgraph.graphql', import.meta.url));

/**
 * The client-facing SDL: the same types without federation's plumbing, sorted so that reordering code
 * does not churn the committed file. Frontends and codegen read this one. It declares @defer and
 * @stream as the gateway serves them, so codegen accepts deferred documents.
 */
export function printClientSchema(): string {
  return `${printSchema(lexicographicSortSchema(withIncrementalDirectives(builder.toSchema())))}\n`;
}

/** The schema with @defer and @stream added, by the same plugin (and so the same definitions) the gateway serves them with. */
function withIncrementalDirectives(clientSchema: GraphQLSchema): GraphQLSchema {
  let withDirectives = clientSchema;
  const onSchemaChange = useDeferStream().onSchemaChange;
  // The hook reads only `schema` and `replaceSchema`.
  onSchemaChange?.({ schema: clientSchema, replaceSchema: (replaced: GraphQLSchema) => (withDirectives = replaced) } as unknown as Parameters<NonNullable<typeof onSchemaChange>>[0]);
  return withDirectives;
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
