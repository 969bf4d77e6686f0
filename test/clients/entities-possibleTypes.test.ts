import { ApolloClient, HttpLink, InMemoryCache, type TypedDocumentNode } from '@apollo/client';
import { parse, print } from 'graphql';
import { describe, expect, it, vi } from 'vitest';
import { createApolloCache } from '../../examples/clients/apolloCache.js';
import { CampaignPanelFragmentDoc } from '../../examples/dashboard/src/generated/graphql.js';
import { useGatewayWithFakeBraze } from '../helpers/gateway.js';

/**
 * `sent` is not on the ChannelStats interface, so the example dashboard asks it with a fragment on
 * ChannelStats holding one inline fragment per family (`SentByChannel`). Apollo Client's
 * InMemoryCache cannot tell that PushStats is a ChannelStats without `possibleTypes`: it drops the
 * fragment's fields on write and answers without `sent`. The shipped cache (createApolloCache, from
 * the generated schema/possibleTypes.json) keeps every value.
 */
const { gateway } = useGatewayWithFakeBraze();

/** The dashboard's own CampaignPanel fragment (with SentByChannel, as its generated document holds both), asked for one campaign. */
const CAMPAIGN_PANEL: TypedDocumentNode<{ campaign: { series: { points: { channels: { channel: string; sent?: number }[] }[] } } }, { id: string; length: number }> = parse(
  `query CampaignPanelOf($id: ID!, $length: Int!) { campaign(id: $id) { ...CampaignPanel } }\n${print(CampaignPanelFragmentDoc)}`,
);

/** The fake's campaign series: per day i, email sends 10·i and ios_push sends 5·i. */
const EXPECTED_SENT = [
  [
    { channel: 'email', sent: 10 },
    { channel: 'ios_push', sent: 5 },
  ],
  [
    { channel: 'email', sent: 20 },
    { channel: 'ios_push', sent: 10 },
  ],
];

async function sentThrough(cache: InMemoryCache): Promise<unknown> {
  const client = new ApolloClient({ link: new HttpLink({ uri: gateway.url.href, headers: gateway.authHeaders }), cache });
  const result = await client.query({ query: CAMPAIGN_PANEL, variables: { id: 'campaign-001', length: 2 } });
  expect(result.error).toBeUndefined();
  return result.data?.campaign.series.points.map((point) => point.channels.map(({ channel, sent }) => ({ channel, sent })));
}

describe("the example dashboard's fragment on ChannelStats through Apollo Client's InMemoryCache", () => {
  it('with the shipped possibleTypes (createApolloCache): every sent value', async () => {
    expect(await sentThrough(createApolloCache())).toEqual(EXPECTED_SENT);
  });

  it('a default cache drops them, warning that it cannot match the fragment (why possibleTypes ships)', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const points = (await sentThrough(new InMemoryCache())) as { sent?: number }[][];
      expect(points.flat().map((entry) => entry.sent)).toEqual([undefined, undefined, undefined, undefined]);
      expect(warn.mock.calls.map((args) => args.map(String).join(' '))).toEqual(expect.arrayContaining([expect.stringMatching(/^Cannot match %s on `%s` against `%s`.* fragment `SentByChannel` ChannelStats PushStats/s)]));
    } finally {
      warn.mockRestore();
    }
  });
});
