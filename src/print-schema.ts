import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { schema } from './schema/index.js';

export const SCHEMA_FILE = fileURLToPath(new URL('../schema/schema.graphql', import.meta.url));

/** The client-facing SDL, sorted so that reordering code does not churn the committed file. */
export function printClientSchema(source: GraphQLSchema = schema): string {
  return `${printSchema(lexicographicSortSchema(source))}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(SCHEMA_FILE, printClientSchema());
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
}
