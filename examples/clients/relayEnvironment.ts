import { Environment, Network, RecordSource, Store, type FetchFunction } from 'relay-runtime';

// Relay keys its store by `id` alone: Braze's own ids (campaigns, Canvases, segments, variations, steps)
// are UUIDs, unique across types; products, custom events and custom attributes have ids that start
// with their type (`CustomEvent:purchase`), and are Nodes: a @refetchable fragment on them refetches
// through `node(id:)`. Types without an id (series, points, stats) live inside their parent's record.
export function createRelayEnvironment(url: string, headers: Record<string, string>): Environment {
  const fetchGraphQL: FetchFunction = async (request, variables) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
      body: JSON.stringify({ query: request.text, variables }),
    });
    return await response.json();
  };
  return new Environment({ network: Network.create(fetchGraphQL), store: new Store(new RecordSource()) });
}
