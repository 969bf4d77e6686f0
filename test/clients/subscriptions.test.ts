import { describe, expect, it } from 'vitest';
import { ApolloClient, CombinedGraphQLErrors, HttpLink, InMemoryCache, gql } from '@apollo/client';
import WebSocket from 'ws';
import { createApolloLiveClient } from '../../examples/clients/apolloLive.js';
import { createUrqlLiveClient } from '../../examples/clients/urqlLive.js';
import { TEST_AUTH_TOKEN, useGatewayWithFakeBraze } from '../helpers/gateway.js';
import { expectNothingHeld, LIVE_TEST_ENV, until } from '../helpers/live.js';
import { wsUrl } from '../helpers/websocket.js';

/**
 * Live series with the frontend clients as a team would set them up (the setups in docs/clients.md,
 * "Subscriptions"): Apollo Client 4 over graphql-ws (GraphQLWsLink), urql over graphql-ws
 * (subscriptionExchange), and Apollo Client 4's default HTTP subscriptions (multipart), which the
 * gateway refuses with a code Apollo shows.
 */

const ENV = { ...LIVE_TEST_ENV, CACHE_TTL_LIVE_MS: '60000' };

const LIVE_PURCHASES = `subscription LivePurchases($event: String!) {
  eventSeries(event: $event, length: 3) {
    series { event total points { time count } }
    status { state }
  }
}`;

interface LivePurchases {
  eventSeries: { series: { event: string; total: number; points: { time: string; count: number }[] }; status: { state: string } };
}

describe('subscriptions from the real clients', () => {
  const { braze, gateway } = useGatewayWithFakeBraze(ENV);
  const seriesCalls = (event: string): number => braze.seriesCalls.filter((call) => call.query['event'] === event).length;

  it('Apollo Client 4 with GraphQLWsLink: live points over one WebSocket', async () => {
    // docs/clients.md, Subscriptions: examples/clients/apolloLive.ts.
    const client = createApolloLiveClient(gateway.url.href, wsUrl(gateway), TEST_AUTH_TOKEN, WebSocket);
    const received: LivePurchases[] = [];
    const subscriptions = ['apollo-1', 'apollo-2', 'apollo-1'].map((event) =>
      client.subscribe<LivePurchases>({ query: gql(LIVE_PURCHASES), variables: { event } }).subscribe({
        next: (result) => {
          if (result.data) received.push(result.data as LivePurchases);
        },
      }),
    );
    await until(() => received.length === 3, 10_000, 'a first value on each subscription');
    for (const data of received) {
      expect(data.eventSeries.series.points).toHaveLength(3);
      expect(data.eventSeries.status.state).toBe('LIVE');
    }
    expect(gateway.running.websockets.connections).toBe(1);
    // Two distinct series: two Braze calls, whatever the number of subscribers.
    expect(seriesCalls('apollo-1') + seriesCalls('apollo-2')).toBe(2);
    subscriptions.forEach((subscription) => subscription.unsubscribe());
    await expectNothingHeld(gateway);
    client.stop();
  });

  it('urql with subscriptionExchange over graphql-ws: live points', async () => {
    // docs/clients.md, Subscriptions: examples/clients/urqlLive.ts.
    const client = createUrqlLiveClient(gateway.url.href, wsUrl(gateway), TEST_AUTH_TOKEN, WebSocket);
    const received: LivePurchases[] = [];
    const subscription = client.subscription<LivePurchases>(LIVE_PURCHASES, { event: 'urql' }).subscribe((result) => {
      if (result.data) received.push(result.data);
    });
    await until(() => received.length === 1, 10_000, 'a first value');
    expect(received[0]!.eventSeries.series).toMatchObject({ event: 'urql', points: expect.any(Array) });
    expect(received[0]!.eventSeries.series.points).toHaveLength(3);
    expect(seriesCalls('urql')).toBe(1);
    subscription.unsubscribe();
    await expectNothingHeld(gateway);
  });

  it("Apollo Client 4's default HTTP subscriptions (multipart): refused with SUBSCRIPTION_NOT_ACCEPTED, which Apollo shows", async () => {
    const client = new ApolloClient({ link: new HttpLink({ uri: gateway.url.href, headers: gateway.authHeaders }), cache: new InMemoryCache() });
    const error = await new Promise<unknown>((resolve) => {
      client.subscribe({ query: gql(LIVE_PURCHASES), variables: { event: 'multipart' } }).subscribe({
        next: (result) => resolve(result.error),
        error: resolve,
      });
    });
    // The errors as GraphQL errors with their code, not a ServerError with an unread body.
    expect(CombinedGraphQLErrors.is(error)).toBe(true);
    expect((error as CombinedGraphQLErrors).errors).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/text\/event-stream/), extensions: { code: 'SUBSCRIPTION_NOT_ACCEPTED' } }),
    ]);
    await expectNothingHeld(gateway);
    expect(seriesCalls('multipart')).toBe(0);
    client.stop();
  });
});
