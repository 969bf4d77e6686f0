import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBraze, type FakeBraze } from '../testkit/fakeBraze.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

const ALLOWED = 'https://dashboards.example.com';
const OTHER = 'https://evil.example.net';
const QUERY = JSON.stringify({ query: '{ eventSeries(event: "e", length: 1, endingAt: "2024-01-01T00:00:00Z") { total } }' });

let braze: FakeBraze;
beforeAll(async () => {
  braze = await startFakeBraze();
});
afterAll(async () => {
  await braze.close();
});

async function withGateway(env: Record<string, string>, run: (gateway: TestGateway) => Promise<void>): Promise<void> {
  const gateway = await startTestGateway(braze, env);
  try {
    await run(gateway);
  } finally {
    await gateway.close();
  }
}

const preflight = (gateway: TestGateway, origin: string) =>
  fetch(gateway.url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
  });
const post = (gateway: TestGateway, origin: string) =>
  fetch(gateway.url, { method: 'POST', headers: { origin, 'content-type': 'application/json', ...gateway.authHeaders }, body: QUERY });

describe('CORS', () => {
  it('with CORS_ORIGINS, an allowed origin gets its preflight and its answer', async () => {
    await withGateway({ CORS_ORIGINS: `${ALLOWED},http://localhost:5173` }, async (gateway) => {
      const pre = await preflight(gateway, ALLOWED);
      expect(pre.status).toBe(204);
      expect(pre.headers.get('access-control-allow-origin')).toBe(ALLOWED);
      expect(pre.headers.get('access-control-allow-methods')).toBe('GET, POST');
      expect(pre.headers.get('access-control-allow-headers')).toBe('content-type, authorization');
      expect(pre.headers.get('access-control-max-age')).toBe('600');
      expect(pre.headers.get('access-control-allow-credentials')).toBeNull();
      const response = await post(gateway, ALLOWED);
      expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
      expect(response.headers.get('vary')).toContain('Origin');
      expect(await response.json()).toMatchObject({ data: { eventSeries: { total: 1 } } });
    });
  });

  it('any other origin gets no CORS headers on the preflight or the answer', async () => {
    await withGateway({ CORS_ORIGINS: `${ALLOWED},http://localhost:5173` }, async (gateway) => {
      const pre = await preflight(gateway, OTHER);
      expect(pre.status).toBe(204);
      expect(pre.headers.get('access-control-allow-origin')).toBeNull();
      expect(pre.headers.get('access-control-allow-methods')).toBeNull();
      const response = await post(gateway, OTHER);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
      expect(response.headers.get('vary')).toContain('Origin');
    });
  });

  it('with a real key and no CORS_ORIGINS, no origin is allowed', async () => {
    await withGateway({}, async (gateway) => {
      expect((await preflight(gateway, ALLOWED)).headers.get('access-control-allow-origin')).toBeNull();
      expect((await post(gateway, ALLOWED)).headers.get('access-control-allow-origin')).toBeNull();
      // Same-origin and non-browser clients (no Origin header) are unaffected.
      const plain = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...gateway.authHeaders }, body: QUERY });
      expect(plain.status).toBe(200);
    });
  });

  it('in demo mode any origin may read (`*`, the Origin is not echoed), still without credentials', async () => {
    const demo = await startTestGateway(undefined);
    try {
      const response = await fetch(demo.url, { method: 'POST', headers: { origin: OTHER, 'content-type': 'application/json' }, body: QUERY });
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    } finally {
      await demo.close();
    }
  });
});
