import { describe, expect, it } from 'vitest';
import { useGatewayWithFakeBraze } from './helpers/gateway.js';

const QUERY = '{ eventSeries(event: "e", length: 2, endingAt: "2024-01-01T00:00:00Z") { total } }';

const { braze, gateway } = useGatewayWithFakeBraze();

/** Sends a request as a page on another origin could without a preflight, with the gateway's credential. */
async function send(init: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string }) {
  const before = braze.seriesCalls.length;
  const target = init.method === 'GET' ? `${gateway.url.href}?query=${encodeURIComponent(QUERY)}` : gateway.url;
  const response = await fetch(target, { ...init, headers: { ...gateway.authHeaders, ...init.headers } });
  const body = (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
  return { status: response.status, code: body.errors?.[0]?.extensions?.code, body, calls: braze.seriesCalls.length - before };
}

describe('CSRF prevention', () => {
  it.each([
    ['a GET without the header', { method: 'GET' as const }],
    ['a text/plain POST', { method: 'POST' as const, headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: QUERY }) }],
    [
      'a form POST',
      { method: 'POST' as const, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `query=${encodeURIComponent(QUERY)}` },
    ],
  ])('%s is refused with 403 CSRF_PREVENTED and no upstream call', async (_name, init) => {
    const result = await send(init);
    expect(result).toMatchObject({ status: 403, code: 'CSRF_PREVENTED', calls: 0 });
    expect(result.body.errors?.[0]?.message).toContain('x-graphql-yoga-csrf');
  });

  it('a GET with x-graphql-yoga-csrf, or a JSON POST (preflighted by browsers), is answered', async () => {
    const expected = { status: 200, body: { data: { eventSeries: { total: 3 } } } };
    expect(await send({ method: 'GET', headers: { 'x-graphql-yoga-csrf': '1' } })).toMatchObject(expected);
    expect(await send({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERY }) })).toMatchObject(
      expected,
    );
  });

  it('a request without a credential is told 401 first', async () => {
    const response = await fetch(`${gateway.url.href}?query=${encodeURIComponent(QUERY)}`);
    expect(response.status).toBe(401);
  });
});
