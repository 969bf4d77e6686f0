import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { defaultSeries, type CannedAnswer } from '../testkit/fakeBraze.js';
import { TEST_API_KEY, startGatewayWithFakeBraze, stopGatewayWithFakeBraze, useGatewayWithFakeBraze } from './helpers/gateway.js';

const TOKENS = ['tok-secrets-1-7e6d5c4b3a291807f6e5', 'tok-secrets-2-a1b2c3d4e5f60718293a'];
const JWT_SECRET = 'jwt-secret-for-the-secrets-test-5d4c3b2a1908';
const AUDIENCE = 'braze-analytics-gateway';

// Not reset between tests: the last test checks every call the file made carried the key.
const { braze, gateway } = useGatewayWithFakeBraze(
  {
    // Long enough that only the hanging field times out, even with other test files running beside
    // this one (at 300 ms, five fields timed out in one CI run); short enough to keep the test quick.
    BRAZE_TIMEOUT_MS: '2000',
    // One attempt: a retried reset (full-jitter backoff from 250 ms) could outlast the deadline on a
    // loaded machine and turn UPSTREAM_UNAVAILABLE into UPSTREAM_TIMEOUT; this test is about secrets.
    BRAZE_MAX_ATTEMPTS: '1',
    AUTH_TOKENS: TOKENS.join(','),
    AUTH_JWT_SECRET: JWT_SECRET,
    AUTH_JWT_AUDIENCE: AUDIENCE,
  },
  { resetCallsBeforeEach: false },
);

async function jwt(audience: string, expiresAt: number, secret = JWT_SECRET): Promise<string> {
  return new SignJWT({ sub: 'dashboards' }).setProtectedHeader({ alg: 'HS256' }).setAudience(audience).setExpirationTime(expiresAt).sign(new TextEncoder().encode(secret));
}

describe('the REST key and the credentials never leave towards a client or a log', () => {
  it('are absent from every response body, header and log line of a run through each error path', async () => {
    const now = Math.floor(Date.now() / 1000);
    const goodJwt = await jwt(AUDIENCE, now + 300);
    const refusedCredentials = [
      'tok-wrong-0000000000000000000000',
      `${TOKENS[0]}x`,
      await jwt(AUDIENCE, now - 60),
      await jwt('another-api', now + 300),
      await jwt(AUDIENCE, now + 300, 'another-secret-of-sufficient-length-000'),
    ];
    const post = (headers: Record<string, string>, body: string) =>
      fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const simple = JSON.stringify({ query: '{ __typename }' });
    const auth = { authorization: `Bearer ${TOKENS[1]}` };

    // Braze error pages that echo the request's Authorization header, as some proxies do.
    const echo = `Bearer ${TEST_API_KEY}`;
    const answers: Record<string, CannedAnswer | 'hang' | 'reset'> = {
      ok: { body: {} },
      s400: { status: 400, body: { message: `bad request with ${echo}` } },
      s401: { status: 401, body: { message: `Invalid API key: ${TEST_API_KEY}` } },
      s403: { status: 403, body: { message: echo } },
      s404: { status: 404, body: echo },
      s429: { status: 429, headers: { 'x-ratelimit-reset': '1710028800' }, body: { message: echo } },
      s503: { status: 503, body: { message: echo } },
      notJson: { body: `<html>${echo}</html>` },
      notSuccess: { body: { message: echo, data: [] } },
      badTime: { body: { message: 'success', data: [{ time: TEST_API_KEY, count: 1 }] } },
      hang: 'hang',
      reset: 'reset',
    };
    braze.handleRaw((_request, response, call) => {
      const answer = answers[call.query['event'] ?? ''] ?? 'reset';
      if (answer === 'hang') return;
      if (answer === 'reset') return void response.socket?.destroy();
      const body = call.query['event'] === 'ok' ? defaultSeries(call.query) : answer.body;
      response.writeHead(answer.status ?? 200, answer.headers ?? {});
      response.end(typeof body === 'string' ? body : JSON.stringify(body));
    });

    const fields = Object.keys(answers)
      .map((event) => `${event}: eventSeries(event: "${event}", length: 2, endingAt: "2024-01-01T00:00:00Z") { total }`)
      .join('\n');
    const result = await gateway.query(`{ ${fields} }`);
    const invalid = await gateway.query(`{ eventSeries(event: "", length: 0) { total } }`);
    const health = await fetch(new URL('/health', gateway.url));
    const graphiql = await fetch(gateway.url, { headers: { accept: 'text/html' } });
    // The gateway's own refusals: credentials missing or refused, limits, body size; and two good credentials.
    // The GET carrying a bearer token is a script's (a browser preflights it), so it is answered (200):
    // CSRF refusals need no credential and are in test/csrf.test.ts.
    const refusals = [
      await post({}, simple),
      ...(await Promise.all(refusedCredentials.map((credential) => post({ authorization: `Bearer ${credential}` }, simple)))),
      await post({ authorization: `Basic ${Buffer.from(`user:${TOKENS[0]}`).toString('base64')}` }, simple),
      await fetch(`${gateway.url.href}?query=%7B__typename%7D`, { headers: auth }),
      await post(auth, JSON.stringify({ query: `{ ${'a { '.repeat(8)}b${' }'.repeat(8)} }` })),
      await post(auth, JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(200_000) } })),
    ];
    expect(refusals.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 401, 401, 200, 400, 413]);
    const accepted = [await post({ authorization: `Bearer ${goodJwt}` }, simple), await post({ authorization: `Bearer ${TOKENS[0]}` }, simple)];
    expect(accepted.map((r) => r.status)).toEqual([200, 200]);
    const refusalTexts = await Promise.all([...refusals, ...accepted].map(async (r) => `${JSON.stringify([...r.headers])}\n${await r.text()}`));

    expect(result.errors.map((e) => e.extensions?.['code']).sort()).toEqual([
      'UPSTREAM_BAD_REQUEST',
      'UPSTREAM_FORBIDDEN',
      'UPSTREAM_INVALID_RESPONSE',
      'UPSTREAM_INVALID_RESPONSE',
      'UPSTREAM_INVALID_RESPONSE',
      'UPSTREAM_NOT_FOUND',
      'UPSTREAM_RATE_LIMITED',
      'UPSTREAM_TIMEOUT',
      'UPSTREAM_UNAUTHORIZED',
      'UPSTREAM_UNAVAILABLE',
      'UPSTREAM_UNAVAILABLE',
    ]);
    // Braze's own message still reaches the client, scrubbed.
    expect(result.errors.find((e) => e.extensions?.['code'] === 'UPSTREAM_UNAUTHORIZED')?.message).toBe(
      "Braze rejected the gateway's REST API key (401): Braze does not know this key on this instance (a wrong or deleted key, or one of another instance than BRAZE_INSTANCE or BRAZE_REST_ENDPOINT names). Not a missing permission: Braze answers that with 403. Braze said: Invalid API key: [REDACTED]",
    );

    const everything = [
      result.body,
      JSON.stringify([...result.headers]),
      invalid.body,
      await health.text(),
      await graphiql.text(),
      ...refusalTexts,
      ...gateway.logs,
    ].join('\n');
    expect(gateway.logs.length).toBeGreaterThan(10);
    expect(gateway.logs.filter((l) => l.includes('request refused: unauthenticated'))).toHaveLength(7);
    expect(everything).not.toContain(TEST_API_KEY);
    // Every log line, one by one: no key, configured token, JWT secret, or credential sent (good or bad).
    for (const line of gateway.logs) {
      for (const secret of [TEST_API_KEY, ...TOKENS, JWT_SECRET, goodJwt, ...refusedCredentials]) expect(line).not.toContain(secret);
    }
    // And the key was really used: every call carried it.
    expect(braze.calls.every((c) => c.headers.authorization === `Bearer ${TEST_API_KEY}`)).toBe(true);
  });

  it('nothing of the key survives Braze echoing it at every offset around every cut, or base64-encoded', async () => {
    // Random-looking, so any 5-character run of it in the output can only have come from the key.
    const key = 'Qm7rT2xK9vB4nW8pL3zJ6hF1cY5dS0gA';
    const echoing = await startGatewayWithFakeBraze({ BRAZE_API_KEY: key, BRAZE_MAX_ATTEMPTS: '1', BRAZE_MAX_CALLS_PER_REQUEST: '200', QUERY_MAX_ALIASES: '200', QUERY_MAX_TOKENS: '20000', QUERY_MAX_COST: '100000' });
    try {
      const filler = (n: number) => 'x'.repeat(n);
      // Where the gateway quotes Braze and cuts: its `message` on an error status (200 characters),
      // a `message` other than "success" (120), a bad `time` (40), a body that is not JSON (60).
      const cuts: Record<string, { cut: number; answer: (echo: string) => CannedAnswer }> = {
        status: { cut: 200, answer: (echo) => ({ status: 400, body: { message: echo } }) },
        message: { cut: 120, answer: (echo) => ({ body: { message: echo, data: [] } }) },
        time: { cut: 40, answer: (echo) => ({ body: { message: 'success', data: [{ time: echo, count: 1 }] } }) },
        html: { cut: 60, answer: (echo) => ({ body: `<html>${echo}</html>` }) },
      };
      const base64 = Buffer.from(`gateway:${key}`).toString('base64');
      echoing.braze.respond((call) => {
        const [kind = '', offset = '0'] = (call.query['event'] ?? '').split('-');
        if (kind === 'base64') return { status: 401, body: { message: `Authorization: Basic ${base64}` } };
        const shape = cuts[kind];
        if (!shape) return { status: 404 };
        return shape.answer(`${filler(Number(offset))}${key} and more words after it`);
      });
      const fields: string[] = ['b64: eventSeries(event: "base64", length: 2, endingAt: "2024-01-01T00:00:00Z") { total }'];
      for (const [kind, { cut }] of Object.entries(cuts)) {
        // `html` quotes `<html>` and a space-folded body; `status` quotes after a prefix: offsets span every split.
        for (let offset = Math.max(0, cut - key.length - 8); offset <= cut + 2; offset++) {
          fields.push(`${kind}${offset}: eventSeries(event: "${kind}-${offset}", length: 2, endingAt: "2024-01-01T00:00:00Z") { total }`);
        }
      }
      const result = await echoing.gateway.query(`{ ${fields.join('\n')} }`);
      expect(result.errors).toHaveLength(fields.length);
      expect(new Set(result.errors.map((e) => e.extensions?.['code']))).toEqual(
        new Set(['UPSTREAM_BAD_REQUEST', 'UPSTREAM_INVALID_RESPONSE', 'UPSTREAM_UNAUTHORIZED']),
      );
      // The cuts were really reached: messages were shortened with an ellipsis.
      expect(result.errors.filter((e) => e.message.includes('…')).length).toBeGreaterThan(50);
      const everything = [result.body, ...echoing.gateway.logs].join('\n');
      for (let start = 0; start + 5 <= key.length; start++) expect(everything).not.toContain(key.slice(start, start + 5));
      const encodedKey = Buffer.from(key).toString('base64');
      for (let start = 4; start + 8 <= encodedKey.length - 4; start++) expect(everything).not.toContain(encodedKey.slice(start, start + 8));
    } finally {
      await stopGatewayWithFakeBraze(echoing);
    }
  });
});
