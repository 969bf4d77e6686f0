import { gql } from '@apollo/client';
import { gql as urqlGql } from '@urql/core';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApolloClient } from '../../examples/clients/apollo.js';
import { createUrqlClient } from '../../examples/clients/urql.js';
import { createUrqlLiveClient } from '../../examples/clients/urqlLive.js';
import { defaultResponder } from '../../testkit/fakeBraze.js';
import { TEST_AUTH_TOKEN, useGatewayWithFakeBraze } from '../helpers/gateway.js';
import { gate } from '../helpers/incremental.js';
import { wsUrl } from '../helpers/websocket.js';

/**
 * @defer with the frontend clients as docs/clients.md sets them up: the fast part arrives while Braze
 * still holds the slow call, then the whole answer, every value exact, each series one Braze call.
 * Apollo Client 4 over its HttpLink (multipart/mixed; Apollo needs an incremental handler for it), urql
 * with its defaults and urql with graphcache as shipped.
 */
const { braze, gateway } = useGatewayWithFakeBraze();

const AT = '2024-03-10T00:00:00Z';
const DASHBOARD = `query DeferredDashboard {
  fast: eventSeries(event: "fast", length: 2, endingAt: "${AT}") { event total }
  ... @defer(label: "slow") {
    slow: eventSeries(event: "slow", length: 3, endingAt: "${AT}") { event total }
  }
}`;
const FAST = { event: 'fast', total: 3 };
const SLOW = { event: 'slow', total: 6 };

interface Dashboard {
  fast?: { event: string; total: number } | null;
  slow?: { event: string; total: number } | null;
}

/** Braze answers "slow" only once the gate opens: the first part must come before that. */
function holdSlow(): { open(): void } {
  const slow = gate();
  const fallback = setTimeout(() => slow.open(), 5_000);
  braze.respond(async (call) => {
    if (call.query['event'] === 'slow') await slow.opened;
    return defaultResponder(call);
  });
  return {
    open: () => {
      clearTimeout(fallback);
      slow.open();
    },
  };
}

const withoutTypenames = (value: Dashboard): Dashboard => JSON.parse(JSON.stringify(value, (key, item: unknown) => (key === '__typename' ? undefined : item))) as Dashboard;

/** Collects a client's results; opens the slow gate once the first result (without `slow`) came. */
async function expectFastThenSlow(results: (push: (data: Dashboard, ended: boolean) => void) => () => void): Promise<void> {
  const slow = holdSlow();
  const seen: Dashboard[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no whole answer; seen ${JSON.stringify(seen)}`)), 10_000);
    const stop = results((data, ended) => {
      seen.push(withoutTypenames(data));
      if (seen.length === 1) slow.open();
      // Stopped only once the answer has ended: stopping urql mid-stream aborts its body read, which
      // Node 22 and later report as an unhandled rejection.
      if (data.slow && ended) {
        clearTimeout(timer);
        stop();
        resolve();
      }
    });
  });
  expect(seen[0]).toEqual({ fast: FAST });
  expect(seen.at(-1)).toEqual({ fast: FAST, slow: SLOW });
  expect(braze.seriesCalls.map((call) => call.query['event']).sort()).toEqual(['fast', 'slow']);
}

describe('@defer with the real clients, as shipped', () => {
  it('Apollo Client 4 (InMemoryCache, HttpLink): the fast part first, then the slow one, exact', async () => {
    const client = createApolloClient(gateway.url.href, TEST_AUTH_TOKEN);
    await expectFastThenSlow((push) => {
      const subscription = client.watchQuery<Dashboard>({ query: gql(DASHBOARD), fetchPolicy: 'network-only' }).subscribe({
        next: ({ data, error }) => {
          if (error) throw error;
          if (data?.fast) push(data as Dashboard, data.slow !== undefined);
        },
      });
      return () => subscription.unsubscribe();
    });
    client.stop();
  });

  it.each([
    ['urql with its defaults', () => createUrqlClient(gateway.url.href, TEST_AUTH_TOKEN)],
    ['urql with graphcache as shipped', () => createUrqlLiveClient(gateway.url.href, wsUrl(gateway), TEST_AUTH_TOKEN, WebSocket)],
  ])('%s: the fast part first, then the slow one, exact', async (_name, create) => {
    const client = create();
    await expectFastThenSlow((push) => {
      const { unsubscribe } = client.query<Dashboard>(urqlGql(DASHBOARD), {}, { requestPolicy: 'network-only' }).subscribe(({ data, error, hasNext }) => {
        if (error) throw error;
        if (data?.fast) push(data, !hasNext);
      });
      return unsubscribe;
    });
  });
});
