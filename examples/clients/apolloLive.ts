import { ApolloClient, HttpLink, split } from '@apollo/client';
import { Defer20220824Handler } from '@apollo/client/incremental';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { createClient } from 'graphql-ws';
import { createApolloCache } from './apolloCache.js';

/**
 * Apollo Client with live panels: subscriptions over one WebSocket (graphql-ws) however many panels
 * subscribe, queries over HTTP. Apollo's default HTTP subscriptions (multipart) are not served: they
 * get SUBSCRIPTION_NOT_ACCEPTED. `wsUrl` is the same /graphql with ws:// or wss://; in Node, pass
 * `webSocketImpl` (the `ws` package), a browser has its own.
 */
export function createApolloLiveClient(url: string, wsUrl: string, token: string, webSocketImpl?: unknown): ApolloClient {
  const ws = new GraphQLWsLink(createClient({ url: wsUrl, connectionParams: { authorization: `Bearer ${token}` }, webSocketImpl }));
  const http = new HttpLink({ uri: url, headers: { authorization: `Bearer ${token}` } });
  const isSubscription = ({ query }: { query: Parameters<typeof getMainDefinition>[0] }): boolean => {
    const definition = getMainDefinition(query);
    return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
  };
  return new ApolloClient({
    cache: createApolloCache(),
    // @defer: see apollo.ts.
    incrementalHandler: new Defer20220824Handler(),
    link: split(isSubscription, ws, http),
  });
}
