import { ApolloClient, HttpLink } from '@apollo/client';
import { Defer20220824Handler } from '@apollo/client/incremental';
import { createApolloCache } from './apolloCache.js';

/**
 * Apollo Client with its default HttpLink: JSON POSTs, or GETs for queries with `useGETForQueries`.
 * The bearer credential goes on every request.
 */
export function createApolloClient(url: string, token: string, { useGETForQueries = false } = {}): ApolloClient {
  return new ApolloClient({
    cache: createApolloCache(),
    // @defer: Apollo Client 4 reads incremental answers only with a handler; the gateway (yoga) writes
    // the 2022-08-24 format (`incremental: [{ data, path, label }]`).
    incrementalHandler: new Defer20220824Handler(),
    link: new HttpLink({ uri: url, headers: { authorization: `Bearer ${token}` }, useGETForQueries }),
  });
}
