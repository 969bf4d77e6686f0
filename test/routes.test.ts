import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

/** Demo mode: no credential needed, so every refusal here is the route's, not auth's. */
let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway(undefined);
});
afterAll(() => gateway.close());

const QUERY = JSON.stringify({ query: '{ __typename }' });
const post = (path: string, body = QUERY, contentType = 'application/json') =>
  fetch(new URL(path, gateway.url.origin), { method: 'POST', headers: { 'content-type': contentType }, body });

describe('only the configured paths are served', () => {
  it.each(['/foo/graphql', '/x?y=/graphql', '/graphql/', '/api/graphql', '/%67raphql'])('POST %s → 404, not GraphQL', async (path) => {
    const response = await post(path);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'not found', served: ['/graphql', '/', '/health', '/healthz', '/ready', '/metrics'] });
  });

  it.each(['/foo/graphql', '/x?y=/graphql'])('GET %s as a browser → 404, not GraphiQL', async (path) => {
    const response = await fetch(new URL(path, gateway.url.origin), { headers: { accept: 'text/html' } });
    expect(response.status).toBe(404);
  });

  it.each(['/x/healthz', '/metrics/healthz', '/x?y=/healthz'])('GET %s → 404, not a health check', async (path) => {
    expect((await fetch(new URL(path, gateway.url.origin))).status).toBe(404);
  });

  it('a GraphQL GET whose query string ends in /healthz is GraphQL, not a health check', async () => {
    const response = await fetch(`${gateway.url.href}?query=${encodeURIComponent('{ __typename }')}&x=/healthz`, { headers: { 'x-graphql-yoga-csrf': '1' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('the served paths still answer: /graphql, /healthz, /health, /ready, /metrics, /', async () => {
    expect(await (await post('/graphql')).json()).toEqual({ data: { __typename: 'Query' } });
    const healthz = await fetch(new URL('/healthz', gateway.url.origin));
    expect([healthz.status, await healthz.text()]).toEqual([200, '']);
    for (const path of ['/health', '/ready', '/metrics']) expect((await fetch(new URL(path, gateway.url.origin))).status).toBe(200);
    expect((await fetch(new URL('/', gateway.url.origin), { redirect: 'manual' })).status).toBe(302);
  });
});

describe('a body that is not JSON is refused without quoting it back', () => {
  it.each([
    ['broken JSON', '{"query": "{ __typename }", "private": "my-secret-value'],
    ['an unclosed array', '[1,2'],
    ['plain text', 'my-secret-value'],
  ])('%s → 400 BAD_REQUEST, no originalError, nothing of the body in the answer', async (_name, body) => {
    const response = await post('/graphql', body);
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ errors: [{ message: 'POST body sent invalid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
    expect(text).not.toContain('secret');
  });
});
