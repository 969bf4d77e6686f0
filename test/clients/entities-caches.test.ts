import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { Client, fetchExchange } from '@urql/core';
import { cacheExchange } from '@urql/exchange-graphcache';
import { describe, expect, it } from 'vitest';
import { useGatewayWithFakeBraze } from '../helpers/gateway.js';

/**
 * Normalized caches merge what every query says of an entity by its id. A list on screen, then a
 * detail view of one of its entities: the list's fields must read the same from the cache afterwards.
 * The real clients (Apollo Client's InMemoryCache, urql's graphcache) against the real gateway over HTTP.
 */
const { gateway } = useGatewayWithFakeBraze();

/** Each entity type: a list, the detail view of its second node, and the fields the list shows. */
const VIEWS = [
  {
    type: 'Segment',
    id: 'segment-001',
    list: gql`
      query SegmentList {
        segments(first: 2) { nodes { id analyticsTrackingEnabled } }
      }
    `,
    detail: gql`
      query SegmentDetail($id: ID!) {
        segment(id: $id) { id analyticsTrackingEnabled description }
      }
    `,
    nodes: (data: Record<string, unknown>) => (data['segments'] as { nodes: unknown[] }).nodes,
    listed: [
      { __typename: 'Segment', id: 'segment-000', analyticsTrackingEnabled: true },
      { __typename: 'Segment', id: 'segment-001', analyticsTrackingEnabled: false },
    ],
  },
  {
    type: 'Campaign',
    id: 'campaign-001',
    list: gql`
      query CampaignList {
        campaigns(first: 2) { nodes { id isApiCampaign lastEditedAt } }
      }
    `,
    detail: gql`
      query CampaignDetail($id: ID!) {
        campaign(id: $id) { id isApiCampaign lastEditedAt enabled }
      }
    `,
    nodes: (data: Record<string, unknown>) => (data['campaigns'] as { nodes: unknown[] }).nodes,
    listed: [
      { __typename: 'Campaign', id: 'campaign-000', isApiCampaign: false, lastEditedAt: '2024-02-03T04:05:06.000Z' },
      { __typename: 'Campaign', id: 'campaign-001', isApiCampaign: true, lastEditedAt: '2024-02-03T04:05:06.000Z' },
    ],
  },
  {
    type: 'Canvas',
    id: 'canvas-001',
    list: gql`
      query CanvasList {
        canvases(first: 2) { nodes { id lastEditedAt } }
      }
    `,
    detail: gql`
      query CanvasDetail($id: ID!) {
        canvas(id: $id) { id lastEditedAt enabled }
      }
    `,
    nodes: (data: Record<string, unknown>) => (data['canvases'] as { nodes: unknown[] }).nodes,
    listed: [
      { __typename: 'Canvas', id: 'canvas-000', lastEditedAt: '2024-05-06T07:08:09.000Z' },
      { __typename: 'Canvas', id: 'canvas-001', lastEditedAt: '2024-05-06T07:08:09.000Z' },
    ],
  },
] as const;

describe('Apollo Client InMemoryCache: a list, then a detail view of one of its entities; the list never flips', () => {
  for (const view of VIEWS) {
    it(view.type, async () => {
      const client = new ApolloClient({ link: new HttpLink({ uri: gateway.url.href, headers: gateway.authHeaders }), cache: new InMemoryCache() });
      const list = await client.query({ query: view.list });
      expect(view.nodes(list.data as Record<string, unknown>)).toEqual(view.listed);
      const detail = await client.query({ query: view.detail, variables: { id: view.id } });
      expect(detail.error).toBeUndefined();
      const shown = client.readQuery({ query: view.list });
      expect(view.nodes(shown as Record<string, unknown>)).toEqual(view.listed);
    });
  }
});

describe('urql graphcache: a list, then a detail view of one of its entities; the list never flips', () => {
  for (const view of VIEWS) {
    it(view.type, async () => {
      const client = new Client({
        url: gateway.url.href,
        // JSON POSTs: urql's default GET is another helper's concern (CSRF), not this test's.
        preferGetMethod: false,
        fetchOptions: { headers: gateway.authHeaders },
        exchanges: [cacheExchange({ keys: { PageInfo: () => null, [`${view.type}Connection`]: () => null } }), fetchExchange],
      });
      // graphcache's answers carry __typename only where the query selects it.
      const expected = view.listed.map(({ __typename, ...fields }) => fields);
      const list = await client.query(view.list, {}).toPromise();
      expect(list.error).toBeUndefined();
      expect(view.nodes(list.data as Record<string, unknown>)).toEqual(expected);
      const detail = await client.query(view.detail, { id: view.id }).toPromise();
      expect(detail.error).toBeUndefined();
      const shown = await client.query(view.list, {}, { requestPolicy: 'cache-only' }).toPromise();
      expect(view.nodes(shown.data as Record<string, unknown>)).toEqual(expected);
    });
  }
});
