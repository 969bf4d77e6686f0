import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { defaultSeries } from '../testkit/fakeBraze.js';
import { useFakeBrazeWithGatewaysPerTest, type TestGateway } from './helpers/gateway.js';

/**
 * The whole-response cache (RESPONSE_CACHE_ENABLED, on by default with the answer cache): a repeated
 * query is answered from memory with no Braze call, only to the same caller with the same variables,
 * never after an answer in it expired, never when it had errors. Every case counts the calls a local
 * Braze received.
 */
const { braze, start } = useFakeBrazeWithGatewaysPerTest();

const TOKEN_A = 'tok-response-cache-a-0123456789';
const TOKEN_B = 'tok-response-cache-b-0123456789';
const PAST = '2024-03-10T00:00:00Z';
const SERIES = `query S($event: String!) { s: eventSeries(event: $event, length: 7, endingAt: "${PAST}") { total points { time count } } }`;

async function gatewayWith(env: Record<string, string> = {}): Promise<TestGateway> {
  return start({ CACHE_ENABLED: 'true', RESPONSE_CACHE_ENABLED: 'true', AUTH_TOKENS: `${TOKEN_A},${TOKEN_B}`, ...env });
}

interface Sent {
  status: number;
  body: { data?: unknown; errors?: unknown[]; extensions?: Record<string, unknown> };
  text: string;
}

async function send(gateway: TestGateway, query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Sent> {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN_A}`, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as Sent['body'], text };
}

/** The data part of a response as sent, to compare hits with misses byte for byte. */
const dataOf = (sent: Sent) => JSON.stringify(sent.body.data);

describe('whole-response cache', () => {
  it('a repeated query makes no Braze call and sends identical data; brazeCache says it came whole from the cache', async () => {
    const gateway = await gatewayWith();
    const first = await send(gateway, SERIES, { event: 'purchase' });
    expect(first.body.errors).toBeUndefined();
    expect(braze.seriesCalls).toHaveLength(1);
    expect(first.body.extensions?.['brazeCache']).toMatchObject({ hits: 0, misses: 1 });

    const again = await send(gateway, SERIES, { event: 'purchase' });
    expect(braze.seriesCalls).toHaveLength(1);
    expect(dataOf(again)).toBe(dataOf(first));
    expect(again.body.extensions?.['brazeCache']).toEqual({ hits: 1, shared: 0, misses: 0, attempts: 0, coalesced: 0, maxAgeSeconds: 0, wholeResponse: true });

    // The requests are still counted, and the call the hit avoided is counted as saved.
    const metrics = await (await fetch(new URL('/metrics', gateway.url))).text();
    expect(metrics).toMatch(/^braze_gateway_graphql_requests_total 2$/m);
    expect(metrics).toMatch(/^braze_gateway_upstream_calls_saved_total\{reason="response-cache"\} 1$/m);
  });

  it('another caller, or other variables, is a miss of the response cache (the answer cache still serves it)', async () => {
    const gateway = await gatewayWith();
    await send(gateway, SERIES, { event: 'purchase' });
    expect(braze.seriesCalls).toHaveLength(1);

    const otherCaller = await send(gateway, SERIES, { event: 'purchase' }, { authorization: `Bearer ${TOKEN_B}` });
    expect(otherCaller.body.extensions?.['brazeCache']).toEqual({ hits: 1, shared: 0, misses: 0, attempts: 0, coalesced: 0, maxAgeSeconds: 0 });
    expect(braze.seriesCalls).toHaveLength(1);

    const otherVariables = await send(gateway, SERIES, { event: 'signup' });
    expect(otherVariables.body.extensions?.['brazeCache']).toMatchObject({ hits: 0, misses: 1 });
    expect(braze.seriesCalls).toHaveLength(2);
  });

  it('a response is not served after an answer in it expired', async () => {
    const gateway = await gatewayWith({ CACHE_TTL_PAST_MS: '300', CACHE_TTL_SETTLED_MS: '300' });
    await send(gateway, SERIES, { event: 'purchase' });
    await send(gateway, SERIES, { event: 'purchase' });
    expect(braze.seriesCalls).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 450));
    const later = await send(gateway, SERIES, { event: 'purchase' });
    expect(later.body.extensions?.['brazeCache']).toMatchObject({ hits: 0, misses: 1 });
    expect(braze.seriesCalls).toHaveLength(2);
  });

  it('a response with errors is not cached', async () => {
    const gateway = await gatewayWith();
    braze.respond(() => ({ status: 400, body: { message: 'Invalid event' } }));
    const failed = await send(gateway, SERIES, { event: 'purchase' });
    expect(failed.body.errors).toHaveLength(1);
    const callsAfterFailure = braze.seriesCalls.length;
    expect(callsAfterFailure).toBeGreaterThan(0);

    braze.respond((call) => ({ body: defaultSeries(call.query) }));
    const next = await send(gateway, SERIES, { event: 'purchase' });
    expect(next.body.errors).toBeUndefined();
    expect(braze.seriesCalls).toHaveLength(callsAfterFailure + 1);
  });

  it('Cache-Control: no-cache goes to Braze even when the response is cached', async () => {
    const gateway = await gatewayWith();
    await send(gateway, SERIES, { event: 'purchase' });
    const fresh = await send(gateway, SERIES, { event: 'purchase' }, { 'cache-control': 'no-cache' });
    expect(fresh.body.extensions?.['brazeCache']).toMatchObject({ hits: 0, misses: 1 });
    expect(braze.seriesCalls).toHaveLength(2);
  });

  it('a field that used the request time is cached for that time slice only', async () => {
    // A 1 s slice, not the default minute, so the test can wait past it.
    const gateway = await gatewayWith({ REQUEST_TIME_GRANULARITY_MS: '1000' });
    const now = '{ s: eventSeries(event: "purchase", length: 7) { total } }';
    await send(gateway, now, {});
    const calls = braze.seriesCalls.length;
    // Past the 1 s slice (REQUEST_TIME_GRANULARITY_MS): a new instant is a new question.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const later = await send(gateway, now, {});
    expect(later.body.extensions?.['brazeCache']).not.toHaveProperty('wholeResponse');
    expect(braze.seriesCalls.length).toBeGreaterThan(calls);
  });

  it('responses with the rate-limit fields are never served from the response cache', async () => {
    const gateway = await gatewayWith();
    const limits = `{ brazeRateLimits { bucket remaining } s: eventSeries(event: "purchase", length: 7, endingAt: "${PAST}") { total } }`;
    await send(gateway, limits, {});
    const second = await send(gateway, limits, {});
    expect(second.body.extensions?.['brazeCache']).toEqual({ hits: 1, shared: 0, misses: 0, attempts: 0, coalesced: 0, maxAgeSeconds: 0 });
  });

  it('@defer responses are never served from the response cache', async () => {
    const gateway = await gatewayWith();
    const deferred = `{ s: eventSeries(event: "signup", length: 7, endingAt: "${PAST}") { ... @defer { total } } }`;
    const multipart = { accept: 'multipart/mixed' };
    const once = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN_A}`, ...multipart }, body: JSON.stringify({ query: deferred }) });
    await once.text();
    const twice = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN_A}`, ...multipart }, body: JSON.stringify({ query: deferred }) });
    const text = await twice.text();
    expect(twice.headers.get('content-type')).toMatch(/^multipart\/mixed/);
    expect(text).not.toContain('wholeResponse');
    expect(text).toContain('"hits":1');
  });

  it('an unauthenticated request is refused before the cache, whatever If-None-Match it sends', async () => {
    const gateway = await gatewayWith();
    const first = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN_A}` },
      body: JSON.stringify({ query: SERIES, variables: { event: 'purchase' } }),
    });
    await first.text();
    const etag = first.headers.get('etag');
    expect(etag).not.toBeNull();
    const anonymous = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'if-none-match': etag! },
      body: JSON.stringify({ query: SERIES, variables: { event: 'purchase' } }),
    });
    expect(anonymous.status).toBe(401);
    await anonymous.text();
  });

  it('is off with CACHE_ENABLED=false when RESPONSE_CACHE_ENABLED is left unset', async () => {
    // Blank counts as unset (the helper would otherwise set it to false).
    const gateway = await start({ AUTH_TOKENS: TOKEN_A, CACHE_ENABLED: 'false', RESPONSE_CACHE_ENABLED: '' });
    await send(gateway, SERIES, { event: 'purchase' });
    await send(gateway, SERIES, { event: 'purchase' });
    expect(braze.seriesCalls).toHaveLength(2);
  });
});

describe('whole-response cache bounds', () => {
  it('a response larger than RESPONSE_CACHE_MAX_BYTES is not kept (its answers still are); a small one is', async () => {
    const gateway = await gatewayWith({ RESPONSE_CACHE_MAX_BYTES: String(64 * 1024), BRAZE_MAX_CALLS_PER_REQUEST: '20' });
    // 1,000 points: about 45 KB of JSON, counted twice, above 64 KiB.
    const LONG = `query L($event: String!) { l: eventSeries(event: $event, length: 1000, endingAt: "${PAST}") { points { time count } } }`;
    const first = await send(gateway, LONG, { event: 'long' });
    expect(first.body.errors).toBeUndefined();
    const calls = braze.calls.length;
    expect(calls).toBe(11);
    const again = await send(gateway, LONG, { event: 'long' });
    expect(dataOf(again)).toBe(dataOf(first));
    // Served from the answer cache, executed again: not whole from the response cache.
    expect(again.body.extensions?.['brazeCache']).toMatchObject({ hits: 11, misses: 0 });
    expect(again.body.extensions?.['brazeCache']).not.toHaveProperty('wholeResponse');
    expect(braze.calls.length).toBe(calls);

    await send(gateway, SERIES, { event: 'small' });
    const small = await send(gateway, SERIES, { event: 'small' });
    expect(small.body.extensions?.['brazeCache']).toMatchObject({ wholeResponse: true });
  });
});

describe('whole-response cache lifetime', () => {
  it('a response with every endingAt given outlives the request time slice (REQUEST_TIME_GRANULARITY_MS, 1 s)', async () => {
    const gateway = await gatewayWith({ REQUEST_TIME_GRANULARITY_MS: '1000' });
    await send(gateway, SERIES, { event: 'slice' });
    const calls = braze.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    const later = await send(gateway, SERIES, { event: 'slice' });
    expect(later.body.extensions?.['brazeCache']).toMatchObject({ wholeResponse: true, misses: 0 });
    expect(braze.calls.length).toBe(calls);
  });
});

describe('If-None-Match (the response cache ETag)', () => {
  const SECRET = 'hs256-secret-for-response-cache-tests-0123';
  const jwt = (subject: string, id: string) =>
    new SignJWT({ sub: subject, jti: id }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('5m').sign(new TextEncoder().encode(SECRET));
  const withJwts = () => gatewayWith({ AUTH_JWT_SECRET: SECRET });
  const body = (event: string) => JSON.stringify({ query: SERIES, variables: { event } });

  /**
   * fetch() adds `Cache-Control: no-cache` to a request with If-None-Match unless it has one (the Fetch
   * standard), and no-cache bypasses the cache: these say `max-age=0`, as a browser revalidating does.
   */
  async function post(gateway: TestGateway, event: string, headers: Record<string, string>): Promise<{ status: number; etag: string | null; text: string }> {
    const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', 'cache-control': 'max-age=0', ...headers }, body: body(event) });
    return { status: response.status, etag: response.headers.get('etag'), text: await response.text() };
  }

  it('the same caller naming its own ETag gets 304, no body, no Braze call: two tokens and a JWT alike, POST and GET', async () => {
    const gateway = await withJwts();
    const credentials = { tokenA: `Bearer ${TOKEN_A}`, tokenB: `Bearer ${TOKEN_B}`, jwt: `Bearer ${await jwt('dashboard', 'j1')}` };
    for (const [name, authorization] of Object.entries(credentials)) {
      const first = await post(gateway, 'purchase', { authorization });
      expect({ name, status: first.status }).toEqual({ name, status: 200 });
      expect(first.etag).toMatch(/^[\w-]{43}$/);
      const calls = braze.seriesCalls.length;
      const again = await post(gateway, 'purchase', { authorization, 'if-none-match': first.etag! });
      expect({ name, status: again.status, text: again.text, etag: again.etag }).toEqual({ name, status: 304, text: '', etag: first.etag });
      // Quoted, weak, or one of a list: the same tag.
      for (const tags of [`"${first.etag}"`, `W/"${first.etag}"`, `"other", ${first.etag}`]) {
        expect({ name, tags, status: (await post(gateway, 'purchase', { authorization, 'if-none-match': tags })).status }).toEqual({ name, tags, status: 304 });
      }
      expect(braze.seriesCalls.length).toBe(calls);
    }
    // The one Braze call of the first request; every other came from a cache.
    expect(braze.seriesCalls).toHaveLength(1);

    const url = new URL(gateway.url);
    url.searchParams.set('query', SERIES);
    url.searchParams.set('variables', JSON.stringify({ event: 'purchase' }));
    const get = (headers: Record<string, string>) => fetch(url, { headers: { authorization: credentials.tokenA, 'x-graphql-yoga-csrf': '1', 'cache-control': 'max-age=0', ...headers } });
    const viaGet = await get({});
    await viaGet.text();
    const revalidated = await get({ 'if-none-match': viaGet.headers.get('etag')! });
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe('');
  });

  it("another caller's ETag is a plain request: 200 with its own response and ETag, whether or not that response is cached", async () => {
    const gateway = await withJwts();
    const a = await post(gateway, 'purchase', { authorization: `Bearer ${TOKEN_A}` });
    const jwt1 = `Bearer ${await jwt('dashboard', 'j1')}`;
    // Another token, a JWT, and another JWT of the same subject, each before and after it has its own cached response.
    const others = [`Bearer ${TOKEN_B}`, jwt1, `Bearer ${await jwt('dashboard', 'j2')}`];
    for (const authorization of others) {
      for (const round of ['not cached', 'cached']) {
        const other = await post(gateway, 'purchase', { authorization, 'if-none-match': a.etag! });
        expect({ authorization, round, status: other.status }).toEqual({ authorization, round, status: 200 });
        expect(other.etag).not.toBe(a.etag);
        expect(JSON.parse(other.text)).toMatchObject({ data: JSON.parse(a.text).data });
      }
    }
    // The first JWT's ETag is not a 304 for the second JWT either.
    const j1 = await post(gateway, 'purchase', { authorization: jwt1 });
    const j2 = await post(gateway, 'purchase', { authorization: others[2]!, 'if-none-match': j1.etag! });
    expect(j2.status).toBe(200);
    expect(braze.seriesCalls).toHaveLength(1);
  });

  it("the caller's own ETag of another question is not a 304 for this one", async () => {
    const gateway = await gatewayWith();
    const purchase = await post(gateway, 'purchase', { authorization: `Bearer ${TOKEN_A}` });
    const signup = await post(gateway, 'signup', { authorization: `Bearer ${TOKEN_A}`, 'if-none-match': purchase.etag! });
    expect(signup.status).toBe(200);
    expect(JSON.parse(signup.text).data).toEqual(expect.objectContaining({ s: expect.any(Object) }));
    expect(signup.etag).not.toBe(purchase.etag);
    expect(braze.seriesCalls).toHaveLength(2);
  });

  it('no credential, a wrong token or a bad JWT: 401 whatever If-None-Match names, and no Braze call', async () => {
    const gateway = await withJwts();
    const a = await post(gateway, 'purchase', { authorization: `Bearer ${TOKEN_A}` });
    const forged = await new SignJWT({ sub: 'dashboard' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(new TextEncoder().encode('another-secret-of-enough-length-000000'));
    for (const headers of [{}, { authorization: 'Bearer tok-not-one-of-ours-0123456789' }, { authorization: `Bearer ${forged}` }] as Record<string, string>[]) {
      for (const tags of [a.etag!, '*']) {
        const refused = await post(gateway, 'purchase', { ...headers, 'if-none-match': tags });
        expect({ headers, tags, status: refused.status }).toEqual({ headers, tags, status: 401 });
        expect(refused.etag).toBeNull();
      }
    }
    expect(braze.seriesCalls).toHaveLength(1);
  });

  it('without auth (one anonymous caller) the same holds: 304 for the ETag of this very request only', async () => {
    const gateway = await start({ CACHE_ENABLED: 'true', RESPONSE_CACHE_ENABLED: 'true', AUTH_DISABLED: 'true' });
    const purchase = await post(gateway, 'purchase', {});
    expect((await post(gateway, 'purchase', { 'if-none-match': purchase.etag! })).status).toBe(304);
    // Before: any cached key answered 304 in onRequest, whatever this request asked.
    const signup = await post(gateway, 'signup', { 'if-none-match': purchase.etag! });
    expect(signup.status).toBe(200);
    expect(JSON.parse(signup.text).data).toEqual(expect.objectContaining({ s: expect.any(Object) }));
    // Nor for a request that asked for fresh data.
    expect((await post(gateway, 'purchase', { 'if-none-match': purchase.etag!, 'cache-control': 'no-cache' })).status).toBe(200);
  });
});
