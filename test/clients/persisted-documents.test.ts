import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPersistedApolloClient } from '../../examples/clients/apollo-persisted.js';
import { createPersistedUrqlClient } from '../../examples/clients/urql-persisted.js';
import { defaultResponder, startFakeBraze, type FakeBraze } from '../../testkit/fakeBraze.js';
import { CampaignResultsDocument, EventSeriesDocument } from '../generated/graphql.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

const TOKEN = 'tok-persisted-clients-5a4b3c2d1e0f';
const CODEGEN_MANIFEST = fileURLToPath(new URL('../generated/persisted-documents.json', import.meta.url));
const CLIENTS_MANIFEST = fileURLToPath(new URL('../generated/persisted-manifest.json', import.meta.url));
const CAMPAIGN = { id: 'c-typed', length: 2, endingAt: '2024-03-10T00:00:00Z' };
const SERIES = { event: 'purchase', length: 2, endingAt: '2024-03-10T00:00:00Z' };

/** One day of a campaign sending email and iOS push: each family's stats come from its own fragment. */
const day = (date: string, n: number) => ({
  time: date,
  unique_recipients: 10 * n,
  revenue: n,
  conversions: n,
  messages: {
    email: [{ variation_api_id: 've', sent: 5 * n, delivered: 4 * n, opens: 3 * n, unique_opens: 2 * n, clicks: n, bounces: 1, unsubscribes: 0 }],
    ios_push: [{ variation_api_id: 'vp', sent: 7 * n, direct_opens: 2 * n, total_opens: 3 * n, bounces: 1 }],
  },
});

let braze: FakeBraze;
/** Trusted documents with codegen's manifest, and with the manifest that also holds the clients' own hashes. */
let codegenIds: TestGateway;
let clientIds: TestGateway;

beforeAll(async () => {
  braze = await startFakeBraze();
  braze.respond((call) =>
    call.path === '/campaigns/data_series'
      ? { body: { message: 'success', data: [day('2024-03-09', 1), day('2024-03-10', 2)] } }
      : defaultResponder(call),
  );
  codegenIds = await startTestGateway(braze, { AUTH_TOKENS: TOKEN, PERSISTED_OPERATIONS_FILE: CODEGEN_MANIFEST });
  clientIds = await startTestGateway(braze, { AUTH_TOKENS: TOKEN, PERSISTED_OPERATIONS_FILE: CLIENTS_MANIFEST });
});
afterAll(async () => {
  await codegenIds?.close();
  await clientIds?.close();
  await braze?.close();
});

/** The answer as it travels, for the manifest's document by its codegen id: what every client must end up with. */
async function onTheWire(gateway: TestGateway): Promise<unknown> {
  const id = (CampaignResultsDocument as unknown as { __meta__: { hash: string } }).__meta__.hash;
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ documentId: id, variables: CAMPAIGN }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data;
}

/** What every channel of every day must hold, whichever client read it. */
const EVERY_VALUE = [
  [
    { __typename: 'EmailStats', channel: 'email', variationId: 've', sent: 5, delivered: 4, opens: 3, uniqueOpens: 2, clicks: 1, bounces: 1, unsubscribes: 0 },
    { __typename: 'PushStats', channel: 'ios_push', variationId: 'vp', sent: 7, directOpens: 2, totalOpens: 3, bounces: 1 },
  ],
  [
    { __typename: 'EmailStats', channel: 'email', variationId: 've', sent: 10, delivered: 8, opens: 6, uniqueOpens: 4, clicks: 2, bounces: 1, unsubscribes: 0 },
    { __typename: 'PushStats', channel: 'ios_push', variationId: 'vp', sent: 14, directOpens: 4, totalOpens: 6, bounces: 1 },
  ],
];

/** An answer with its fetch time blanked: two fetches of the same numbers differ only there. */
const timeless = (data: unknown): unknown => JSON.parse(JSON.stringify(data, (key, value: unknown) => (key === 'fetchedAt' ? 'T' : value)));

type Channels = { campaign?: { series?: { points?: { channels?: unknown[] }[] } | null } | null } | undefined;
const channelsOf = (data: Channels) => data?.campaign?.series?.points?.map((point) => point.channels);

describe('trusted documents: the manifest is what clients send, answers carry __typename', () => {
  it("Apollo Client 4 (InMemoryCache) sending codegen's ids gets every value inside type-conditioned fragments", async () => {
    const wire = await onTheWire(codegenIds);
    const client = createPersistedApolloClient(codegenIds.url.href, TOKEN, { codegenIds: true });
    const result = await client.query({ query: CampaignResultsDocument, variables: CAMPAIGN });
    expect(result.error).toBeUndefined();
    expect(channelsOf(result.data)).toEqual(EVERY_VALUE);
    expect(timeless(result.data)).toEqual(timeless(wire));
  });

  it.each([
    ['POST', false],
    ['GET', true],
  ])("Apollo Client 4 sending its own sha256 (%s) is accepted and gets every value", async (_method, useGETForHashedQueries) => {
    const before = braze.calls.length;
    const client = createPersistedApolloClient(clientIds.url.href, TOKEN, { useGETForHashedQueries });
    const result = await client.query({ query: CampaignResultsDocument, variables: CAMPAIGN });
    expect(result.error).toBeUndefined();
    expect(channelsOf(result.data)).toEqual(EVERY_VALUE);
    expect(timeless(result.data)).toEqual(timeless(await onTheWire(clientIds)));
    // Details and series for the client, the same again for the comparison: no retry, no extra call.
    expect(braze.calls.length - before).toBe(4);
  });

  it('urql with graphcache and its persisted exchange (own hash, GET) is accepted and gets every value', async () => {
    const client = createPersistedUrqlClient(clientIds.url.href, TOKEN);
    const result = await client.query(CampaignResultsDocument, CAMPAIGN).toPromise();
    expect(result.error).toBeUndefined();
    expect(channelsOf(result.data)).toEqual(EVERY_VALUE);
    expect(timeless(result.data)).toEqual(timeless(await onTheWire(clientIds)));
    const series = await client.query(EventSeriesDocument, SERIES).toPromise();
    expect(series.data?.eventSeries).toMatchObject({ total: 3 });
  });

  it('an operation the manifest lacks is refused (PERSISTED_QUERY_NOT_IN_LIST) without a retry or an upstream call', async () => {
    const before = braze.calls.length;
    const client = createPersistedApolloClient(clientIds.url.href, TOKEN);
    const { parse } = await import('graphql');
    const result = await client.query({ query: parse('query NotShipped { sessionSeries(length: 3) { total } }'), errorPolicy: 'all' });
    expect(result.error?.message).toContain('persisted-operations manifest');
    expect(braze.calls.length - before).toBe(0);
  });
});
