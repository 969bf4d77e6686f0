import { ApolloClient, HttpLink } from '@apollo/client';
import { createApolloCache } from './apolloCache.js';

/**
 * Apollo Client with its default HttpLink: JSON POSTs, or GETs for queries with `useGETForQueries`.
 * The bearer credential goes on every request.
 */
export function createApolloClient(url: string, token: string, { useGETForQueries = false } = {}): ApolloClient {
  return new ApolloClient({
    cache: createApolloCache(),
    link: new HttpLink({ uri: url, headers: { authorization: `Bearer ${token}` }, useGETForQueries }),
  });
}
