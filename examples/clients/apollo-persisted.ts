import { ApolloClient, HttpLink } from '@apollo/client';
import { Defer20220824Handler } from '@apollo/client/incremental';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import type { DocumentNode } from 'graphql';
import { createApolloCache } from './apolloCache.js';

/** SHA-256 as hex, with Web Crypto: in browsers and in Node alike. */
async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The id codegen's client preset gave a document (`persistedDocuments`): what `documentId` carries. */
const codegenId = (document: DocumentNode): string => (document as DocumentNode & { __meta__: { hash: string } }).__meta__.hash;

/**
 * Apollo Client sending a hash instead of the document. Against a gateway with automatic persisted
 * queries (the default), an unknown hash is answered PERSISTED_QUERY_NOT_FOUND and the link sends the
 * document once, then the hash is enough. Against a gateway with PERSISTED_OPERATIONS_FILE, the hash
 * must be in its manifest: Apollo's own (`sha256`, in test/generated/persisted-manifest.json) or, with
 * `codegenIds`, the id codegen embedded in each generated document.
 */
export function createPersistedApolloClient(
  url: string,
  token: string,
  { useGETForHashedQueries = false, codegenIds = false } = {},
): ApolloClient {
  const persisted = new PersistedQueryLink(
    codegenIds ? { generateHash: codegenId, useGETForHashedQueries } : { sha256, useGETForHashedQueries },
  );
  return new ApolloClient({
    cache: createApolloCache(),
    // @defer: Apollo Client 4 reads incremental answers only with a handler; the gateway (yoga) writes
    // the 2022-08-24 format (`incremental: [{ data, path, label }]`).
    incrementalHandler: new Defer20220824Handler(),
    link: persisted.concat(new HttpLink({ uri: url, headers: { authorization: `Bearer ${token}` } })),
  });
}
