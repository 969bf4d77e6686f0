import { createHash } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useGatewayWithFakeBraze } from './helpers/gateway.js';
import { exchange, expectNothingHeld, LIVE_TEST_ENV, type Exchange } from './helpers/live.js';

/**
 * One caller identity, from the credential the check accepted, wherever the gateway keys on a caller:
 * the live per-client cap, the whole-response cache, the log. A header spelled another way (`bearer`,
 * `BEARER`, extra spaces) is the same caller; another credential is another caller.
 */

const TOKEN_A = 'tok-caller-a-4b1d9e0c7a2f48e6b3d5c8a1';
const TOKEN_B = 'tok-caller-b-9e0c7a2f48e6b3d5c8a14b1d';
const SECRET = 'caller-identity-secret-0123456789abcdef0123';
const AUTH_ENV = { AUTH_TOKENS: `${TOKEN_A},${TOKEN_B}`, AUTH_JWT_SECRET: SECRET };

function jwt(subject: string, id: string): Promise<string> {
  return new SignJWT({ jti: id }).setProtectedHeader({ alg: 'HS256' }).setSubject(subject).setIssuedAt().setExpirationTime('10m').sign(new TextEncoder().encode(SECRET));
}

/**
 * `Authorization` values the check accepts for `credential`, however spelled. Node drops the spaces and
 * tabs around a header value before anyone sees it, so the last two reach the check as the first.
 */
const respellings = (credential: string): string[] => [
  `bearer ${credential}`,
  `BEARER ${credential}`,
  `Bearer   ${credential}`,
  `bEaReR  ${credential}  `,
  `Bearer ${credential}   `,
  `\tBearer ${credential}\t`,
];

const SUBSCRIPTION = 'subscription ($event: String!) { eventSeries(event: $event, length: 3) { series { total } status { state } } }';

describe('the live per-client cap counts the accepted credential, not the header bytes', () => {
  const { gateway } = useGatewayWithFakeBraze({ ...LIVE_TEST_ENV, ...AUTH_ENV, LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT: '3' });
  const open: Exchange[] = [];
  afterAll(() => open.forEach((stream) => stream.close()));

  const stream = (authorization: string, event: string): Promise<Exchange> =>
    exchange(gateway.url, { method: 'POST', query: SUBSCRIPTION, variables: { event }, headers: { authorization, accept: 'text/event-stream' } });

  /** Opens `count` streams with `authorization` (each gets its first push), then tries every respelling: each is over the cap. */
  async function fillThenRespell(authorization: string, credential: string, name: string): Promise<void> {
    for (let i = 0; i < 3; i++) {
      const opened = await stream(authorization, `${name}-${i}`);
      open.push(opened);
      expect((await opened.nextEvent()).data, `${name} stream ${i}`).toMatchObject({ eventSeries: { status: { state: 'LIVE' } } });
    }
    for (const respelled of respellings(credential)) {
      const refused = await stream(respelled, `${name}-respelled`);
      const first = await refused.nextEvent();
      expect(first.errors?.[0]?.extensions, JSON.stringify(respelled)).toEqual({ code: 'TOO_MANY_SUBSCRIPTIONS', limit: 3, scope: 'client' });
      await refused.ended;
    }
  }

  it('static tokens: `bearer`, `BEARER`, extra spaces are the same client; another token is another client', async () => {
    await fillThenRespell(`Bearer ${TOKEN_A}`, TOKEN_A, 'token-a');
    // A tab between scheme and token is no Bearer credential at all.
    const tabbed = await stream(`Bearer\t${TOKEN_A}`, 'tabbed');
    await tabbed.ended;
    expect(tabbed.status).toBe(401);
    await fillThenRespell(`Bearer ${TOKEN_B}`, TOKEN_B, 'token-b');
    expect(gateway.running.live.stats()).toMatchObject({ subscriptions: 6 });
    open.splice(0).forEach((opened) => opened.close());
    await expectNothingHeld(gateway);
  });

  it('JWTs (AUTH_JWT_SECRET): the same token respelled is the same client; two tokens are two clients', async () => {
    const [first, second] = await Promise.all([jwt('user-a', 'one'), jwt('user-b', 'two')]);
    await fillThenRespell(`Bearer ${first}`, first, 'jwt-a');
    await fillThenRespell(`Bearer ${second}`, second, 'jwt-b');
    expect(gateway.running.live.stats()).toMatchObject({ subscriptions: 6 });
    open.splice(0).forEach((opened) => opened.close());
    await expectNothingHeld(gateway);
  });
});

describe('the whole-response cache: the same credential respelled is a hit, another credential never is', () => {
  const { braze, gateway } = useGatewayWithFakeBraze({ ...AUTH_ENV, CACHE_ENABLED: 'true', RESPONSE_CACHE_ENABLED: 'true' });
  const QUERY = '{ eventSeries(event: "cached", length: 3, endingAt: "2024-03-10T00:00:00Z") { total } }';
  let jwts: { a: string; aAgain: string; b: string };
  beforeAll(async () => {
    // Two tokens of one subject (`aAgain`: another `jti`) are two credentials.
    const [a, aAgain, b] = await Promise.all([jwt('user-a', 'one'), jwt('user-a', 'other'), jwt('user-b', 'two')]);
    jwts = { a, aAgain, b };
  });

  /** Whether the response came whole from the response cache (extensions.brazeCache.wholeResponse). */
  async function wholeFromCache(authorization: string): Promise<boolean> {
    const response = await gateway.post(QUERY, { headers: { authorization } });
    expect(response.status, authorization).toBe(200);
    const body = (await response.json()) as { data?: { eventSeries: { total: number } }; extensions?: { brazeCache?: { wholeResponse?: boolean } } };
    expect(body.data?.eventSeries.total).toBe(6);
    return body.extensions?.brazeCache?.wholeResponse === true;
  }

  it('static tokens', async () => {
    expect(await wholeFromCache(`Bearer ${TOKEN_A}`)).toBe(false);
    for (const respelled of respellings(TOKEN_A)) expect(await wholeFromCache(respelled), JSON.stringify(respelled)).toBe(true);
    expect(await wholeFromCache(`Bearer ${TOKEN_B}`)).toBe(false);
    expect(braze.seriesCalls).toHaveLength(1);
  });

  it('JWTs', async () => {
    expect(await wholeFromCache(`Bearer ${jwts.a}`)).toBe(false);
    for (const respelled of respellings(jwts.a)) expect(await wholeFromCache(respelled), JSON.stringify(respelled)).toBe(true);
    expect(await wholeFromCache(`Bearer ${jwts.aAgain}`)).toBe(false);
    expect(await wholeFromCache(`bearer   ${jwts.b}`)).toBe(false);
    expect(await wholeFromCache(`Bearer ${jwts.b}`)).toBe(true);
  });

  it('the log names the caller the same way for every spelling, and never the credential nor its digest', async () => {
    const logged = gateway.logs.length;
    for (const credential of [TOKEN_A, TOKEN_B, jwts.a, jwts.b]) {
      for (const authorization of [`Bearer ${credential}`, ...respellings(credential)]) await wholeFromCache(authorization);
    }
    const lines = gateway.logs.slice(logged).filter((line) => line.includes('"msg":"authenticated"'));
    expect(lines).toHaveLength(4 * 7);
    const principals = new Set(lines.map((line) => JSON.stringify((JSON.parse(line) as { principal: unknown }).principal)));
    expect(principals).toEqual(
      new Set([JSON.stringify({ kind: 'token', index: 0 }), JSON.stringify({ kind: 'token', index: 1 }), JSON.stringify({ kind: 'jwt', subject: 'user-a' }), JSON.stringify({ kind: 'jwt', subject: 'user-b' })]),
    );
    const secrets = [TOKEN_A, TOKEN_B, jwts.a, jwts.aAgain, jwts.b];
    const digests = secrets.map((secret) => createHash('sha256').update(secret).digest('base64url'));
    for (const line of gateway.logs) for (const secret of [...secrets, ...digests]) expect(line).not.toContain(secret);
  });
});
