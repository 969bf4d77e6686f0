import { describe, expect, it } from 'vitest';
import { defaultSeries } from '../testkit/fakeBraze.js';
import { useGatewayWithFakeBraze } from './helpers/gateway.js';

const QUERY = '{ eventSeries(event: "e", length: 1, endingAt: "2024-01-01T00:00:00Z") { total } }';

const { braze, gateway } = useGatewayWithFakeBraze({ BRAZE_MAX_ATTEMPTS: '1', BRAZE_BREAKER_THRESHOLD: '2', BRAZE_BREAKER_COOLDOWN_MS: '600' });

async function probe(path: '/ready' | '/health') {
  const response = await fetch(new URL(path, gateway.url));
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Record<string, unknown> };
}

describe('/ready (readiness) beside /health (liveness)', () => {
  it('ready without a credential while Braze answers; 503 while the breaker is open; ready again for the probe and after it', async () => {
    expect(await probe('/ready')).toEqual({ status: 200, retryAfter: null, body: { status: 'ready' } });

    // One failure does not open the breaker (threshold 2): still ready.
    braze.respond(() => ({ status: 503, body: { message: 'down' } }));
    await gateway.query(QUERY);
    expect((await probe('/ready')).status).toBe(200);

    // The second opens it: not ready, with when to look again; /health stays 200 (the process is alive).
    await gateway.query(QUERY);
    const open = await probe('/ready');
    expect(open.status).toBe(503);
    expect(open.body).toMatchObject({ status: 'unavailable', reason: 'braze circuit open' });
    expect(Date.parse(String(open.body['retryAt']))).toBeGreaterThan(Date.now());
    expect(open.retryAfter).toBe('1');
    const health = await probe('/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', upstream: { circuit: 'open' } });

    // Cooldown over: the next call may probe, so traffic is welcome again.
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect((await probe('/ready')).status).toBe(200);
    braze.respond((call) => ({ body: defaultSeries(call.query) }));
    expect((await gateway.query(QUERY)).data).toEqual({ eventSeries: { total: 1 } });
    expect(await probe('/ready')).toEqual({ status: 200, retryAfter: null, body: { status: 'ready' } });
    expect(braze.seriesCalls).toHaveLength(3);
  });
});
