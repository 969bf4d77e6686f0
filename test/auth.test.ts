import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBraze, type FakeBraze } from '../testkit/fakeBraze.js';
import { startTestGateway, TEST_API_KEY, type TestGateway } from './helpers/gateway.js';

const TOKEN_A = 'tok-auth-a-0f1e2d3c4b5a69788796a5b4';
const TOKEN_B = 'tok-auth-b-8c7d6e5f4a3b2c1d0e9f8a7b';
const SECRET = 'hs256-secret-for-tests-3f9a1c7e5b2d8f4a6c0e';
const ISSUER = 'https://idp.example.com/';
const AUDIENCE = 'braze-analytics-gateway';
const QUERY = '{ eventSeries(event: "e", length: 2, endingAt: "2024-01-01T00:00:00Z") { total } }';

let braze: FakeBraze;
let gateway: TestGateway;
/** Every credential a test sent: none may appear in a log line. */
const sent: string[] = [TOKEN_A, TOKEN_B, SECRET];

beforeAll(async () => {
  braze = await startFakeBraze();
  gateway = await startTestGateway(braze, {
    AUTH_TOKENS: `${TOKEN_A},${TOKEN_B}`,
    AUTH_JWT_SECRET: SECRET,
    AUTH_JWT_ISSUER: ISSUER,
    AUTH_JWT_AUDIENCE: AUDIENCE,
  });
});
afterAll(async () => {
  await gateway.close();
  await braze.close();
  expect(gateway.logs.length).toBeGreaterThan(0);
  for (const line of gateway.logs) for (const secret of sent) expect(line).not.toContain(secret);
});

/** POST (or GET) the query with these headers; returns status, the challenge, the code and calls made. */
async function ask(target: TestGateway, headers: Record<string, string>, method: 'POST' | 'GET' = 'POST') {
  const before = braze.seriesCalls.length;
  const response =
    method === 'POST'
      ? await fetch(target.url, { method, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: QUERY }) })
      : await fetch(`${target.url.href}?query=${encodeURIComponent(QUERY)}`, { headers: { 'x-graphql-yoga-csrf': '1', ...headers } });
  const body = (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  return {
    status: response.status,
    challenge: response.headers.get('www-authenticate'),
    code: body.errors?.[0]?.extensions?.['code'],
    body,
    calls: braze.seriesCalls.length - before,
  };
}

async function hs256(claims: JWTPayload, options: { secret?: string; expiresIn?: string | number | null } = {}): Promise<string> {
  let jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt();
  // null: a token without `exp`.
  if (options.expiresIn !== null) jwt = jwt.setExpirationTime(options.expiresIn ?? '5m');
  const token = await jwt.sign(new TextEncoder().encode(options.secret ?? SECRET));
  sent.push(token);
  return token;
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('with a real Braze key, GraphQL requests need a credential', () => {
  it.each([
    ['no credential', {}],
    ['an unknown static token', bearer('tok-unknown-000000000000000000')],
    ['a known token with one character changed', bearer(`${TOKEN_A.slice(0, -1)}x`)],
    ['Basic instead of Bearer', { authorization: `Basic ${Buffer.from(`u:${TOKEN_A}`).toString('base64')}` }],
    ['an empty Bearer', { authorization: 'Bearer ' }],
  ])('%s → 401, WWW-Authenticate: Bearer, UNAUTHENTICATED, zero upstream calls', async (_name, headers) => {
    for (const method of ['POST', 'GET'] as const) {
      const result = await ask(gateway, headers, method);
      expect(result).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', calls: 0 });
      expect(result.challenge).toMatch(/^Bearer realm="braze-analytics-gateway"/);
      expect(result.body.data).toBeUndefined();
      // Yoga's transport detail never reaches the client.
      expect(JSON.stringify(result.body)).not.toContain('"http"');
    }
  });

  it('says whether a credential was missing or refused (RFC 6750), never why', async () => {
    expect((await ask(gateway, {})).challenge).toBe('Bearer realm="braze-analytics-gateway"');
    const refused = await ask(gateway, bearer('tok-unknown-000000000000000000'));
    expect(refused.challenge).toBe('Bearer realm="braze-analytics-gateway", error="invalid_token"');
    expect(refused.body.errors?.[0]?.message).toBe(
      'The bearer credential was not accepted: it is unknown, expired, or not meant for this gateway',
    );
  });

  it.each([
    ['expired', () => hs256({ iss: ISSUER, aud: AUDIENCE, sub: 'u1' }, { expiresIn: Math.floor(Date.now() / 1000) - 60 }), 'ERR_JWT_EXPIRED'],
    ['for another audience', () => hs256({ iss: ISSUER, aud: 'some-other-api', sub: 'u1' }), 'aud check_failed'],
    ['from another issuer', () => hs256({ iss: 'https://evil.example.net/', aud: AUDIENCE, sub: 'u1' }), 'iss check_failed'],
    ['without an issuer', () => hs256({ aud: AUDIENCE, sub: 'u1' }), 'iss missing'],
    ['without exp (it would be good forever)', () => hs256({ iss: ISSUER, aud: AUDIENCE, sub: 'u1' }, { expiresIn: null }), 'exp missing'],
    ['signed with another secret', () => hs256({ iss: ISSUER, aud: AUDIENCE }, { secret: 'another-secret-of-enough-length-000000' }), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'],
  ])('a JWT %s → 401 with zero upstream calls; the log says why', async (_name, make, why) => {
    const token = await make();
    const result = await ask(gateway, bearer(token));
    expect(result).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', calls: 0 });
    const refusal = gateway.logs.filter((l) => l.includes('request refused: unauthenticated')).at(-1) ?? '';
    expect(refusal).toContain(why);
  });

  it('an unsigned JWT (alg "none") → 401', async () => {
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const token = `${b64({ alg: 'none' })}.${b64({ iss: ISSUER, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 60 })}.`;
    sent.push(token);
    expect(await ask(gateway, bearer(token))).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', calls: 0 });
  });

  it('either static token, or a good HS256 JWT, is answered 200 (POST and GET)', async () => {
    const jwt = await hs256({ iss: ISSUER, aud: AUDIENCE, sub: 'dashboard-service' });
    for (const headers of [bearer(TOKEN_A), bearer(TOKEN_B), bearer(jwt), { authorization: `bearer  ${TOKEN_B}` }]) {
      for (const method of ['POST', 'GET'] as const) {
        const result = await ask(gateway, headers, method);
        expect(result).toMatchObject({ status: 200, body: { data: { eventSeries: { total: 3 } } } });
      }
    }
  });

  it('introspection stays on (the default) but is a GraphQL request like any other: it needs the credential', async () => {
    const introspect = (headers: Record<string, string>) =>
      fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: '{ __schema { queryType { name } } }' }) });
    expect((await introspect({})).status).toBe(401);
    const allowed = await introspect(bearer(TOKEN_A));
    expect(await allowed.json()).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });

  it('GraphiQL\'s page, /health and /healthz need no credential', async () => {
    const page = await fetch(gateway.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    // Its example query says where the credential goes.
    expect(await page.text()).toContain('Bearer <token or JWT>');
    expect((await fetch(new URL('/health', gateway.url))).status).toBe(200);
    expect((await fetch(new URL('/healthz', gateway.url))).status).toBe(200);
  });
});

describe('JWTs checked against a JWKS', () => {
  let jwksServer: Server;
  let jwksGateway: TestGateway;
  let jwksFetches = 0;
  const pair = generateKeyPair('ES256');
  const stranger = generateKeyPair('ES256');

  beforeAll(async () => {
    const jwk = { ...(await exportJWK((await pair).publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    jwksServer = createServer((_request, response) => {
      jwksFetches++;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const { port } = jwksServer.address() as AddressInfo;
    jwksGateway = await startTestGateway(braze, {
      AUTH_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`,
      AUTH_JWT_AUDIENCE: AUDIENCE,
    });
  });
  afterAll(async () => {
    await jwksGateway.close();
    jwksServer.closeAllConnections();
    await new Promise((resolve) => jwksServer.close(resolve));
    for (const line of jwksGateway.logs) for (const secret of sent) expect(line).not.toContain(secret);
  });

  async function es256(key: CryptoKey, claims: JWTPayload, kid = 'k1'): Promise<string> {
    const token = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid }).setIssuedAt().setExpirationTime('5m').sign(key);
    sent.push(token);
    return token;
  }

  it('a token signed by the published key → 200; the JWKS is fetched once and cached', async () => {
    const token = await es256((await pair).privateKey, { aud: AUDIENCE, sub: 'u1' });
    expect(await ask(jwksGateway, bearer(token))).toMatchObject({ status: 200, body: { data: { eventSeries: { total: 3 } } } });
    expect(await ask(jwksGateway, bearer(token))).toMatchObject({ status: 200 });
    expect(jwksFetches).toBe(1);
  });

  it('a token signed by another key, or for another audience → 401, zero upstream calls', async () => {
    const forged = await es256((await stranger).privateKey, { aud: AUDIENCE });
    expect(await ask(jwksGateway, bearer(forged))).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', calls: 0 });
    const elsewhere = await es256((await pair).privateKey, { aud: 'another-api' });
    expect(await ask(jwksGateway, bearer(elsewhere))).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', calls: 0 });
  });

  it('an HS256 token made with the public key as its secret (algorithm confusion) → 401', async () => {
    const publicJwk = JSON.stringify(await exportJWK((await pair).publicKey));
    const token = await hs256({ aud: AUDIENCE }, { secret: publicJwk });
    expect(await ask(jwksGateway, bearer(token))).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', calls: 0 });
  });
});

describe('opting out', () => {
  it('AUTH_DISABLED=true serves without a credential and warns at start', async () => {
    const open = await startTestGateway(braze, { AUTH_DISABLED: 'true' });
    try {
      expect(await ask(open, {})).toMatchObject({ status: 200, body: { data: { eventSeries: { total: 3 } } } });
      const warning = open.logs.map((l) => JSON.parse(l) as { level: string; msg: string }).find((l) => l.msg.startsWith('AUTH_DISABLED=true'));
      expect(warning?.level).toBe('warn');
    } finally {
      await open.close();
    }
  });

  it('AUTH_JWT_REQUIRE_EXP=false accepts a JWT without exp (and still checks everything else)', async () => {
    const relaxed = await startTestGateway(braze, { AUTH_JWT_SECRET: SECRET, AUTH_JWT_REQUIRE_EXP: 'false' });
    try {
      expect(await ask(relaxed, bearer(await hs256({ sub: 'batch-job' }, { expiresIn: null })))).toMatchObject({ status: 200, body: { data: { eventSeries: { total: 3 } } } });
      const forged = await hs256({ sub: 'batch-job' }, { expiresIn: null, secret: 'another-secret-of-enough-length-000000' });
      expect(await ask(relaxed, bearer(forged))).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', calls: 0 });
    } finally {
      await relaxed.close();
    }
  });

  it('demo mode stays open', async () => {
    const demo = await startTestGateway(undefined);
    try {
      const response = await fetch(demo.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
      expect(response.status).toBe(200);
    } finally {
      await demo.close();
    }
  });

  it('the Braze key is still never logged', () => {
    for (const line of gateway.logs) expect(line).not.toContain(TEST_API_KEY);
  });
});
