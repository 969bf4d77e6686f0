import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBraze, type FakeBraze } from '../testkit/fakeBraze.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

const QUERY = '{ eventSeries(event: "e", length: 2, endingAt: "2024-01-01T00:00:00Z") { total } }';
const TOKEN = 'tok-csrf-5e4d3c2b1a0f9e8d7c6b5a49';
const SECRET = 'hs256-secret-for-csrf-tests-8d2f6b1e9c4a7';

type Init = { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string };

/**
 * What a page on another origin can make a browser send without a CORS preflight: a GET (an <img>, a
 * link) or a form POST, with simple headers only, the browser's cookies and any Basic credentials it
 * remembers for the host, and what a proxy on the way adds.
 */
const FORGEABLE: [string, Init][] = [
  ['a GET without a credential', { method: 'GET' }],
  ['a GET with cookies', { method: 'GET', headers: { cookie: 'session=7f3e2a; token=abc' } }],
  ['a GET with Basic credentials the browser remembers', { method: 'GET', headers: { authorization: 'Basic dXNlcjpwYXNzd29yZA==' } }],
  [
    'a GET with safelisted headers and what proxies add',
    {
      method: 'GET',
      headers: {
        accept: 'application/graphql-response+json, application/json, multipart/mixed',
        'accept-language': 'en',
        'content-type': 'text/plain',
        'x-forwarded-for': '203.0.113.7',
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        'x-request-id': 'abc',
      },
    },
  ],
  ['a text/plain POST', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: QUERY }) }],
  [
    'a form POST with cookies',
    { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: 'session=7f3e2a' }, body: `query=${encodeURIComponent(QUERY)}` },
  ],
  [
    'a multipart form POST',
    { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=x' }, body: `--x\r\nContent-Disposition: form-data; name="query"\r\n\r\n${QUERY}\r\n--x--\r\n` },
  ],
];

let braze: FakeBraze;
/** One gateway per auth mode: the refusal must hold in each. */
const gateways: Record<'tokens' | 'jwt' | 'disabled', TestGateway> = {} as never;
let jwt: string;

beforeAll(async () => {
  braze = await startFakeBraze();
  gateways.tokens = await startTestGateway(braze, { AUTH_TOKENS: TOKEN });
  gateways.jwt = await startTestGateway(braze, { AUTH_JWT_SECRET: SECRET });
  gateways.disabled = await startTestGateway(braze, { AUTH_DISABLED: 'true' });
  jwt = await new SignJWT({ sub: 'csrf-test' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(new TextEncoder().encode(SECRET));
});
afterAll(async () => {
  await Promise.all(Object.values(gateways).map((gateway) => gateway.close()));
  await braze.close();
});

async function send(gateway: TestGateway, init: Init) {
  const before = braze.calls.length;
  const target = init.method === 'GET' ? `${gateway.url.href}?query=${encodeURIComponent(QUERY)}` : gateway.url;
  const response = await fetch(target, init);
  const body = (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
  return { status: response.status, code: body.errors?.[0]?.extensions?.code, body, calls: braze.calls.length - before };
}

describe('CSRF prevention: what a page elsewhere can make a browser send is refused, in every auth mode', () => {
  it.each(FORGEABLE)('%s: 403 CSRF_PREVENTED without auth, 401 with it; no upstream call', async (_name, init) => {
    const open = await send(gateways.disabled, init);
    expect(open).toMatchObject({ status: 403, code: 'CSRF_PREVENTED', calls: 0 });
    expect(open.body.errors?.[0]?.message).toContain('x-graphql-yoga-csrf');
    // With a credential check, a request without a bearer credential is told 401 first.
    expect(await send(gateways.tokens, init)).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', calls: 0 });
    expect(await send(gateways.jwt, init)).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', calls: 0 });
  });

  it.each(['image/png', 'text/event-stream', '}{ garbage'])('the refusal is readable JSON with Accept: %s', async (accept) => {
    const response = await fetch(`${gateways.disabled.url.href}?query=${encodeURIComponent(QUERY)}`, { headers: { accept, cookie: 'session=1' } });
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toMatch(/^application\/json|^text\/event-stream/);
    expect(await response.text()).toContain('"code":"CSRF_PREVENTED"');
  });
});

describe('CSRF prevention: what only a script can send is answered', () => {
  const expected = { status: 200, body: { data: { eventSeries: { total: 3 } } }, calls: 1 };

  it('a GET carrying Authorization: Bearer (urql’s default GETs), with a static token or a JWT', async () => {
    expect(await send(gateways.tokens, { method: 'GET', headers: { authorization: `Bearer ${TOKEN}` } })).toMatchObject(expected);
    expect(await send(gateways.jwt, { method: 'GET', headers: { authorization: `bearer ${jwt}`, cookie: 'session=1' } })).toMatchObject(expected);
  });

  it('without auth, a GET with a bearer header or x-graphql-yoga-csrf (both preflighted cross-origin)', async () => {
    expect(await send(gateways.disabled, { method: 'GET', headers: { authorization: 'Bearer anything' } })).toMatchObject(expected);
    expect(await send(gateways.disabled, { method: 'GET', headers: { 'x-graphql-yoga-csrf': '1' } })).toMatchObject(expected);
  });

  it('a JSON POST (preflighted by browsers)', async () => {
    const json = { method: 'POST' as const, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERY }) };
    expect(await send(gateways.disabled, json)).toMatchObject(expected);
    expect(await send(gateways.tokens, { ...json, headers: { ...json.headers, authorization: `Bearer ${TOKEN}` } })).toMatchObject(expected);
  });

  it('a bearer credential the check refuses is still told 401, before anything else', async () => {
    expect(await send(gateways.tokens, { method: 'GET', headers: { authorization: 'Bearer tok-unknown-00000000000000' } })).toMatchObject({
      status: 401,
      calls: 0,
    });
  });
});
