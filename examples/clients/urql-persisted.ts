import { Client, fetchExchange } from '@urql/core';
import { persistedExchange } from '@urql/exchange-persisted';
import { createCacheExchange } from './graphcacheExchange.js';

/**
 * urql with graphcache (a normalized cache, set up as in graphcacheExchange.ts) sending a hash instead of the document (GET within the
 * URL limit). With automatic persisted queries (the gateway's default), an unknown hash is answered
 * PersistedQueryNotFound and urql sends the document once; with PERSISTED_OPERATIONS_FILE, urql's own
 * hash must be in the manifest (test/generated/persisted-manifest.json holds it).
 */
export function createPersistedUrqlClient(url: string, token: string): Client {
  return new Client({
    url,
    exchanges: [createCacheExchange(), persistedExchange(), fetchExchange],
    fetchOptions: { headers: { authorization: `Bearer ${token}` } },
  });
}
