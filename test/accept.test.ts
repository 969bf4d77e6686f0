import { describe, expect, it } from 'vitest';
import { useGatewayWithFakeBraze } from './helpers/gateway.js';

/**
 * A plain query whose Accept takes no media type a GraphQL answer is written in: yoga ran it (Braze
 * called) and then answered an empty 406. Refused before execution instead, with a readable body.
 */
const QUERY = `{ eventSeries(event: "accept", length: 3, endingAt: "2026-11-01T00:00:00Z") { total } }`;
const REFUSED = {
  errors: [
    {
      message: 'The Accept header takes no media type a GraphQL answer is sent in: send Accept: application/graphql-response+json or application/json',
      extensions: { code: 'MEDIA_TYPE_NOT_ACCEPTED' },
    },
  ],
};

describe('a query whose Accept takes no answer the gateway writes', () => {
  const { braze, gateway } = useGatewayWithFakeBraze();

  it.each(['text/html', 'image/png', '}{ garbage', 'application/json;q=0', '*/*;q=0', 'application/json;charset=latin1', 'text/html, application/xml;q=0.9'])(
    'Accept: %s: 406 with MEDIA_TYPE_NOT_ACCEPTED as JSON, and no Braze call',
    async (accept) => {
      const response = await gateway.post(QUERY, { headers: { accept } });
      expect(response.status).toBe(406);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await response.json()).toEqual(REFUSED);
      expect(braze.calls).toEqual([]);
    },
  );

  it.each(['application/json', 'application/graphql-response+json', '*/*', 'text/html, application/json;q=0.9', 'text/event-stream', 'multipart/mixed'])(
    'Accept: %s: answered, one Braze call',
    async (accept) => {
      const response = await gateway.post(QUERY, { headers: { accept } });
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('"total":6');
      expect(braze.seriesCalls).toHaveLength(1);
    },
  );
});

describe('a whole-response cache hit for an Accept that takes no answer', () => {
  const { braze, gateway } = useGatewayWithFakeBraze({ CACHE_ENABLED: 'true', RESPONSE_CACHE_ENABLED: 'true' });

  it('is the same readable refusal, not an empty 406', async () => {
    expect((await gateway.post(QUERY)).status).toBe(200);
    const response = await gateway.post(QUERY, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(406);
    expect(await response.json()).toEqual(REFUSED);
    expect(braze.seriesCalls).toHaveLength(1);
  });
});
