import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { createApolloClient } from '../../examples/clients/apollo.js';
import { createUrqlClient } from '../../examples/clients/urql.js';
import { EventSeriesDocument } from '../generated/graphql.js';
import { TEST_AUTH_TOKEN, useGatewayWithFakeBraze } from '../helpers/gateway.js';

const VARIABLES = { event: 'purchase', length: 2, endingAt: '2024-03-10T00:00:00Z' };

const { braze, gateway } = useGatewayWithFakeBraze();

/** The real fetch, watched: which method each client used, without changing what it sends. */
let fetches: MockInstance<typeof fetch>;
beforeEach(() => {
  fetches = vi.spyOn(globalThis, 'fetch');
});
afterEach(() => {
  fetches.mockRestore();
});
const methods = () => fetches.mock.calls.map(([, init]) => init?.method ?? 'GET');

describe("clients' default HTTP settings with a bearer token get data", () => {
  it('urql with its defaults queries by GET and gets the numbers, one Braze call', async () => {
    const client = createUrqlClient(gateway.url.href, TEST_AUTH_TOKEN);
    const result = await client.query(EventSeriesDocument, VARIABLES).toPromise();
    expect(result.error).toBeUndefined();
    expect(result.data?.eventSeries).toMatchObject({ event: 'purchase', total: 3, points: [{ count: 1 }, { count: 2 }] });
    expect(methods()).toEqual(['GET']);
    expect(braze.seriesCalls).toHaveLength(1);
  });

  it.each([
    ['POST', false],
    ['GET', true],
  ])("Apollo Client's default HttpLink (%s) gets the numbers, one Braze call", async (method, useGETForQueries) => {
    const client = createApolloClient(gateway.url.href, TEST_AUTH_TOKEN, { useGETForQueries });
    const result = await client.query({ query: EventSeriesDocument, variables: VARIABLES });
    expect(result.error).toBeUndefined();
    expect(result.data?.eventSeries).toMatchObject({ event: 'purchase', total: 3, points: [{ count: 1 }, { count: 2 }] });
    expect(methods()).toEqual([method]);
    expect(braze.seriesCalls).toHaveLength(1);
  });

  it('urql without the credential is refused (401) with no Braze call', async () => {
    const client = createUrqlClient(gateway.url.href, 'tok-not-a-known-token-0000000000');
    const result = await client.query(EventSeriesDocument, VARIABLES).toPromise();
    expect(result.error?.response?.status).toBe(401);
    expect(braze.calls).toHaveLength(0);
  });
});
