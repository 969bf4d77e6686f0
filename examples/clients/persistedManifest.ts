import { createHash } from 'node:crypto';
import { InMemoryCache } from '@apollo/client';
import { print } from '@apollo/client/utilities';
import { formatDocument, stringifyDocument } from '@urql/core';
import type { DocumentNode } from 'graphql';

/**
 * The text each client sends for `document`, which its own persisted-query hash is the sha256 of:
 * Apollo Client prints the document its cache transformed (with __typename), urql prints its
 * formatted document on one line. Codegen's documents already select __typename everywhere
 * (addTypenameSelectionDocumentTransform), so both clients send the same operation, printed two ways.
 */
export function clientTexts(document: DocumentNode, cache = new InMemoryCache()): string[] {
  // urql's FormattedNode type declares optional fields that exactOptionalPropertyTypes refuses: it is the same document.
  return [print(cache.transformDocument(document)), stringifyDocument(formatDocument(document) as DocumentNode)];
}

/**
 * A persisted-operations manifest (PERSISTED_OPERATIONS_FILE) holding every operation under each id a
 * client may send: codegen's own (`__meta__.hash`, what `documentId` carries), Apollo's and urql's
 * default sha256 hashes. Each id is `sha256:` and the hash of exactly the text it maps to.
 */
export function persistedManifest(codegenManifest: Readonly<Record<string, string>>, documents: readonly DocumentNode[]): Record<string, string> {
  const cache = new InMemoryCache();
  const entries = new Map(Object.entries(codegenManifest));
  for (const document of documents) {
    for (const text of clientTexts(document, cache)) entries.set(`sha256:${createHash('sha256').update(text).digest('hex')}`, text);
  }
  return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : 1)));
}
