/**
 * Writes test/generated/persisted-manifest.json: codegen's manifest plus the ids Apollo Client and urql
 * compute themselves for the same operations (examples/clients/persistedManifest.ts). Run by
 * `npm run codegen` after graphql-codegen; with `--check` (in `npm run codegen:check`) it fails when the
 * file is stale instead of writing it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { DocumentNode } from 'graphql';
import { persistedManifest } from '../examples/clients/persistedManifest.js';
import * as generated from '../test/generated/graphql.js';

const CODEGEN_MANIFEST = new URL('../test/generated/persisted-documents.json', import.meta.url);
const OUTPUT = new URL('../test/generated/persisted-manifest.json', import.meta.url);

const operations = Object.entries(generated)
  .filter(([name]) => name.endsWith('Document'))
  .map(([, document]) => document as DocumentNode);
const manifest = persistedManifest(JSON.parse(readFileSync(CODEGEN_MANIFEST, 'utf8')) as Record<string, string>, operations);
const text = `${JSON.stringify(manifest, null, 2)}\n`;

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(OUTPUT, 'utf8');
  } catch {
    // Missing: stale.
  }
  if (current !== text) {
    console.error(`${OUTPUT.pathname} is stale: run npm run codegen`);
    process.exit(1);
  }
} else {
  writeFileSync(OUTPUT, text);
}
