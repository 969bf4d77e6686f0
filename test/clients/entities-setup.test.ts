import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { Client, fetchExchange, type AnyVariables, type TypedDocumentNode } from '@urql/core';
import { cacheExchange } from '@urql/exchange-graphcache';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { createApolloCache } from '../../examples/clients/apolloCache.js';
import { createCacheExchange } from '../../examples/clients/graphcacheExchange.js';
import { useGatewayWithFakeBraze } from '../helpers/gateway.js';

/**
 * The shipped cache setups (examples/clients/, from schema/possibleTypes.json and
 * schema/valueTypes.json) with the real clients: what a dashboard asks (lists, entities, series
 * through entities and root fields, interfaces, each asked again with another selection) goes
 * through Apollo Client's InMemoryCache and urql's graphcache with nothing on the console; the
 * entities named alone (Product, CustomEvent) are normalized by their id.
 */
const { gateway } = useGatewayWithFakeBraze();

const WINDOW = 'length: 2, endingAt: "2024-03-10T00:00:00Z"';

/** A dashboard's queries, in order: each value type is read, then read again with another selection. */
const QUERIES = [
  gql`{ campaigns(first: 2) { nodes { id name } pageInfo { hasNextPage endCursor } } }`,
  gql`{ campaigns(first: 2) { nodes { id } pageInfo { hasNextPage } } }`,
  gql`{ campaign(id: "campaign-001") { id series(${WINDOW}) { brazeCalls points { date channels { channel ... on EmailStats { sent opens } ... on PushStats { sent } } } } } }`,
  gql`{ campaign(id: "campaign-001") { id series(${WINDOW}) { totals { revenue conversions } points { date uniqueRecipients } } } }`,
  gql`{ customEvents(first: 2) { nodes { id name } } }`,
  gql`{ customEvent(name: "event_001") { id name series(${WINDOW}) { total points { time count } } } }`,
  gql`{ customEvent(name: "event_001") { id series(${WINDOW}) { total } } }`,
  gql`{ products(first: 2) { nodes { id name quantitySeries(${WINDOW}) { total points { time value } } } } }`,
  gql`{ products(first: 2) { nodes { id quantitySeries(${WINDOW}) { total } } } }`,
  gql`{ purchaseSeries(measure: REVENUE, ${WINDOW}) { ... on PurchaseRevenueSeries { total points { time value } } } }`,
  gql`{ purchaseSeries(measure: REVENUE, ${WINDOW}) { length } }`,
  gql`{ kpiSeries(kpi: DAILY_ACTIVE_USERS, ${WINDOW}) { total points { date value } } }`,
  gql`{ kpiSeries(kpi: DAILY_ACTIVE_USERS, ${WINDOW}) { total } }`,
  gql`{ segments(first: 2) { nodes { id name sizeSeries(${WINDOW}) { latest { date value } points { date value } } } } }`,
  gql`{ segments(first: 2) { nodes { id sizeSeries(${WINDOW}) { points { date } } } } }`,
] as const;

const CONSOLE = ['log', 'info', 'warn', 'error', 'debug'] as const;
let spies: MockInstance[] = [];
beforeEach(() => {
  spies = CONSOLE.map((method) => vi.spyOn(console, method).mockImplementation(() => undefined));
});
afterEach(() => {
  for (const spy of spies) spy.mockRestore();
});
/** Everything the clients wrote on the console, as text. */
const consoleLines = (): string[] => spies.flatMap((spy) => spy.mock.calls.map((args) => args.map(String).join(' ')));

const apolloWith = (cache: InMemoryCache): ApolloClient => new ApolloClient({ link: new HttpLink({ uri: gateway.url.href, headers: gateway.authHeaders }), cache });
const urqlWith = (cache: ReturnType<typeof cacheExchange>): Client =>
  // JSON POSTs: urql's default GET is another helper's concern (CSRF), not this test's.
  new Client({ url: gateway.url.href, preferGetMethod: false, fetchOptions: { headers: gateway.authHeaders }, exchanges: [cache, fetchExchange] });

async function runApollo(client: ApolloClient): Promise<void> {
  for (const query of QUERIES) {
    const result = await client.query({ query });
    expect(result.error).toBeUndefined();
  }
}

async function runUrql(client: Client): Promise<void> {
  for (const query of QUERIES) {
    const result = await client.query(query as TypedDocumentNode<unknown, AnyVariables>, {}).toPromise();
    expect(result.error).toBeUndefined();
  }
}

describe('Apollo Client with the shipped cache (createApolloCache)', () => {
  it('nothing on the console, and Product and CustomEvent normalized by their id', async () => {
    const cache = createApolloCache();
    await runApollo(apolloWith(cache));
    expect(consoleLines()).toEqual([]);
    const keys = Object.keys(cache.extract());
    expect(keys).toEqual(expect.arrayContaining(['CustomEvent:CustomEvent:event_000', 'CustomEvent:CustomEvent:event_001', 'Product:Product:product_000', 'Product:Product:product_001']));
    // Series live inside their entity, not under keys of their own.
    expect(keys.filter((key) => /Series|Stats|Point|Connection/.test(key))).toEqual([]);
  });

  it('without it, a default InMemoryCache warns that cache data may be lost (why the setup ships)', async () => {
    await runApollo(apolloWith(new InMemoryCache()));
    expect(consoleLines().some((line) => line.includes('Cache data may be lost'))).toBe(true);
  });
});

describe('urql graphcache with the shipped exchange (createCacheExchange)', () => {
  it('nothing on the console: no "Invalid key", no heuristic fragment matching', async () => {
    await runUrql(urqlWith(createCacheExchange()));
    expect(consoleLines()).toEqual([]);
  });

  it('without it, graphcache logs "Invalid key" for every type without an id (why the setup ships)', async () => {
    await runUrql(urqlWith(cacheExchange({})));
    expect(consoleLines().some((line) => line.includes('Invalid key'))).toBe(true);
  });
});

describe('ids of the entities Braze knows by name', () => {
  it('Product, CustomEvent and CustomAttribute: the type, a colon and the name, whatever the path', async () => {
    const result = await gateway.query<Record<string, unknown>>(`query ($r: [_Any!]!) {
      products(first: 1) { nodes { id name } }
      customEvents(first: 1) { nodes { id name } }
      customEvent(name: "a:b") { id name }
      _entities(representations: $r) { ... on Product { id name } ... on CustomEvent { id name } }
    }`, { r: [{ __typename: 'Product', name: 'product_000' }, { __typename: 'CustomEvent', name: 'event_000' }] });
    expect(result.errors).toEqual([]);
    expect(result.data).toEqual({
      products: { nodes: [{ id: 'Product:product_000', name: 'product_000' }] },
      customEvents: { nodes: [{ id: 'CustomEvent:event_000', name: 'event_000' }] },
      customEvent: { id: 'CustomEvent:a:b', name: 'a:b' },
      _entities: [
        { id: 'Product:product_000', name: 'product_000' },
        { id: 'CustomEvent:event_000', name: 'event_000' },
      ],
    });
  });
});
