import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSeries, startFakeBraze, type FakeBraze } from '../testkit/fakeBraze.js';
import { startTestGateway, TEST_API_KEY, TEST_AUTH_TOKEN } from './helpers/gateway.js';
import { spawnServer, type ServerProcess } from '../testkit/serverProcess.js';

let braze: FakeBraze;
beforeAll(async () => {
  braze = await startFakeBraze();
});
afterAll(async () => {
  await braze.close();
});

/**
 * src/main.ts as its own process in live mode against the fake Braze, with one GraphQL request
 * already being answered by Braze (slowly, as the test's responder decides) when it resolves.
 */
async function serverWithRequestInFlight(env: Record<string, string>): Promise<{ server: ServerProcess; response: Promise<Response> }> {
  const server = spawnServer({
    PORT: '0',
    HOST: '127.0.0.1',
    BRAZE_REST_ENDPOINT: braze.url.href,
    BRAZE_API_KEY: TEST_API_KEY,
    AUTH_TOKENS: TEST_AUTH_TOKEN,
    ...env,
  });
  const url = await server.listening;
  const before = braze.calls.length;
  const response = fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_AUTH_TOKEN}` },
    body: JSON.stringify({ query: '{ eventSeries(event: "e", length: 2, endingAt: "2024-01-01T00:00:00Z") { total } }' }),
  });
  // Not handled here: each test decides what the answer (or its failure) must be.
  response.catch(() => undefined);
  while (braze.calls.length === before) await new Promise((resolve) => setTimeout(resolve, 10));
  return { server, response };
}

describe('the server process (src/main.ts)', () => {
  it('refuses a bad configuration with every problem listed, exit code 1, and no listener', async () => {
    const server = spawnServer({ BRAZE_INSTANCE: 'US-09', BRAZE_API_KEY: TEST_API_KEY, PORT: 'eighty' });
    expect(await server.exited).toBe(1);
    expect(server.output()).toContain('Invalid configuration:');
    expect(server.output()).toContain('BRAZE_INSTANCE must be one of');
    expect(server.output()).toContain('PORT must be a whole number from 0 to 65535 (got "eighty")');
    expect(server.output()).not.toContain('listening');
    expect(server.output()).not.toContain(TEST_API_KEY);
  });

  it.each([',', ' , , ', ',,,'])('AUTH_TOKENS=%j with a real key: exit 1 naming the problem, never an open listener', async (tokens) => {
    const server = spawnServer({ BRAZE_INSTANCE: 'US-01', BRAZE_API_KEY: TEST_API_KEY, AUTH_TOKENS: tokens, PORT: '0', HOST: '127.0.0.1' });
    expect(await server.exited).toBe(1);
    expect(server.output()).toContain('AUTH_TOKENS is set but lists no token (only commas and white space)');
    expect(server.output()).toContain('BRAZE_API_KEY is set, so GraphQL requests need a credential');
    expect(server.output()).not.toContain('listening');
  });

  it('on SIGTERM lets an in-flight request finish, then exits 0', async () => {
    braze.respond(async (call) => {
      await new Promise((resolve) => setTimeout(resolve, 700));
      return { body: defaultSeries(call.query) };
    });
    const { server, response } = await serverWithRequestInFlight({});
    const inFlight = response.then(async (r) => ({ status: r.status, body: await r.json() }));
    server.child.kill('SIGTERM');
    expect(await inFlight).toMatchObject({ status: 200, body: { data: { eventSeries: { total: 3 } } } });
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('SIGTERM received');
    expect(server.output()).not.toContain(TEST_API_KEY);
    expect(server.output()).not.toContain(TEST_AUTH_TOKEN);
  });

  it('on SIGTERM, a request that outlives SHUTDOWN_GRACE_MS is cut and the process still exits 0 promptly', async () => {
    braze.respond(async (call) => {
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      return { body: defaultSeries(call.query) };
    });
    const { server, response } = await serverWithRequestInFlight({ SHUTDOWN_GRACE_MS: '300' });
    const inFlight = response.then(
      (r) => r.status,
      () => 'cut',
    );
    const signalledAt = Date.now();
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(2_500);
    expect(await inFlight).toBe('cut');
  });

  it('starts in demo mode with no key, says so, answers, and exits 0 on SIGINT', async () => {
    const server = spawnServer({ PORT: '0', HOST: '127.0.0.1' });
    const url = await server.listening;
    expect(server.output()).toContain('SIMULATED Braze');
    const response = await fetch(`${url.href}?query=${encodeURIComponent('{ eventSeries(event: "purchase", length: 3) { total } }')}`, {
      headers: { 'x-graphql-yoga-csrf': '1' },
    });
    const body = (await response.json()) as { data: { eventSeries: { total: number } } };
    expect(body.data.eventSeries.total).toBeGreaterThan(0);
    server.child.kill('SIGINT');
    expect(await server.exited).toBe(0);
  });
});

describe('HTTP routes and switches', () => {
  it('GET / redirects to /graphql, /health and /healthz answer, GraphiQL is served to browsers', async () => {
    const gateway = await startTestGateway(braze);
    try {
      const root = await fetch(new URL('/', gateway.url), { redirect: 'manual' });
      expect(root.status).toBe(302);
      expect(root.headers.get('location')).toBe('/graphql');
      const health = await fetch(new URL('/health', gateway.url));
      expect(await health.json()).toEqual({
        status: 'ok',
        braze: 'live',
        upstream: { circuit: 'closed', consecutiveFailures: 0, rateLimit: null, rateLimits: { export: null, lists: null, campaignSeries: null } },
      });
      expect((await fetch(new URL('/healthz', gateway.url))).status).toBe(200);
      const page = await fetch(gateway.url, { headers: { accept: 'text/html' } });
      expect(page.headers.get('content-type')).toContain('text/html');
      const html = await page.text();
      expect(html).toContain('<title>braze-analytics-gateway</title>');
      expect(html).not.toContain('SIMULATED');
      // Served whole by the gateway: no CDN (many deployments, and CI, have no internet).
      // The page with the Chart plugin, built by `npm run build` (src/graphiqlSite/page.ts), not yoga's stock one.
      expect(html).toContain('<script type="application/json" id="graphiql-options">');
      expect(html).not.toContain('YogaGraphiQL.renderYogaGraphiQL');
      // Its script and styles are the gateway's own files (src/plugins/useGraphiQLAssets.ts), never another host's.
      expect(html).not.toMatch(/<script[^>]+src="?(?:https?:)?\/\/|<link[^>]+href="?(?:https?:)?\/\//);
      expect(html).toMatch(/<script src="\/graphiql\/app-[\w-]+\.js"><\/script>/);
    } finally {
      await gateway.close();
    }
  });

  it('GRAPHIQL_ENABLED=false serves no GraphiQL; INTROSPECTION_ENABLED=false refuses __schema without calling Braze', async () => {
    const gateway = await startTestGateway(braze, { GRAPHIQL_ENABLED: 'false', INTROSPECTION_ENABLED: 'false' });
    try {
      const page = await fetch(gateway.url, { headers: { accept: 'text/html' } });
      expect(await page.text()).not.toContain('<html');
      const before = braze.calls.length;
      const result = await gateway.query(`{ __schema { queryType { name } } eventSeries(event: "e", length: 1) { total } }`);
      expect(result.status).toBe(400);
      expect(result.errors[0]?.message).toContain('introspection has been disabled');
      expect(braze.calls.length).toBe(before);
      const typename = await gateway.query(`{ __typename }`);
      expect(typename.data).toEqual({ __typename: 'Query' });
    } finally {
      await gateway.close();
    }
  });
});
