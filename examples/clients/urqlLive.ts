import { Client, fetchExchange, subscriptionExchange } from '@urql/core';
import { createClient, type Sink } from 'graphql-ws';
import { createCacheExchange } from './graphcacheExchange.js';

/**
 * urql with live panels: subscriptions over one WebSocket (graphql-ws) however many panels subscribe,
 * queries over HTTP (GET within the URL limit), graphcache set up as in graphcacheExchange.ts. `wsUrl`
 * is the same /graphql with ws:// or wss://; in Node, pass `webSocketImpl` (the `ws` package).
 */
export function createUrqlLiveClient(url: string, wsUrl: string, token: string, webSocketImpl?: unknown): Client {
  const ws = createClient({ url: wsUrl, connectionParams: { authorization: `Bearer ${token}` }, webSocketImpl });
  return new Client({
    url,
    fetchOptions: { headers: { authorization: `Bearer ${token}` } },
    exchanges: [
      createCacheExchange(),
      fetchExchange,
      subscriptionExchange({
        // The cast: urql's and graphql-ws's result types part only under exactOptionalPropertyTypes.
        forwardSubscription: (request) => ({ subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink as Sink) }) }),
      }),
    ],
  });
}
