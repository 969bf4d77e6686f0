import { GraphQLClient } from 'graphql-request';
import { describe, expect, it } from 'vitest';
import { EventSeriesDocument, KpiSeriesDocument, type EventSeriesQuery, type KpiSeriesQuery } from './generated/graphql.js';
import { useGatewayWithFakeBraze } from './helpers/gateway.js';

const { braze, gateway } = useGatewayWithFakeBraze();

describe('the frontend call docs/clients.md shows', () => {
  it('a typed document through graphql-request returns typed data', async () => {
    // As in docs/clients.md "Frontend clients": the generated document carries result and variable types.
    // With the gateway's credential, as a frontend's backend-for-frontend would send it.
    const client = new GraphQLClient(gateway.url.href, { headers: gateway.authHeaders });
    const { eventSeries }: EventSeriesQuery = await client.request(EventSeriesDocument, {
      event: 'purchase',
      length: 2,
      endingAt: '2024-03-10T00:00:00Z',
    });
    expect(eventSeries?.total).toBe(3);
    expect(eventSeries?.points.map((p) => p.time)).toEqual(['2024-03-09T00:00:00.000Z', '2024-03-10T00:00:00.000Z']);
  });

  it('the analytics graph is typed the same way: kpiSeries with its Kpi enum and SafeInt values', async () => {
    // As in docs/clients.md "Frontend clients": the variables are typed (kpi is the union of the enum's values).
    const client = new GraphQLClient(gateway.url.href, { headers: gateway.authHeaders });
    const { kpiSeries }: KpiSeriesQuery = await client.request(KpiSeriesDocument, { kpi: 'DAILY_ACTIVE_USERS', length: 2, endingAt: '2024-03-10T00:00:00Z' });
    expect(kpiSeries?.total).toBe(3);
    expect(kpiSeries?.points.map((p) => [p.date, p.value])).toEqual([
      ['2024-03-09', 1],
      ['2024-03-10', 2],
    ]);
  });

  it('a failed field throws a ClientError carrying the code (errorPolicy "none", the default)', async () => {
    braze.respond(() => ({ status: 401, body: { message: 'Invalid API key' } }));
    const client = new GraphQLClient(gateway.url.href, { headers: gateway.authHeaders });
    await expect(client.request(EventSeriesDocument, { event: 'purchase', length: 2 })).rejects.toMatchObject({
      response: { errors: [{ extensions: { code: 'UPSTREAM_UNAUTHORIZED' } }] },
    });
  });
});
