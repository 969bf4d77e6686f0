import { describe, expect, it } from 'vitest';
import { defaultSeries } from '../testkit/fakeBraze.js';
import { type TestGateway, startTestGateway, useGatewayWithFakeBraze } from './helpers/gateway.js';
import { sampleValue } from './helpers/prometheus.js';

const AT = '2024-03-10T12:00:00Z';
// A reset Braze could send: within the hour (a fixed far-future one is ignored as implausible).
const RATE_LIMIT = { 'x-ratelimit-limit': '250000', 'x-ratelimit-remaining': '231877', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600) };

const { braze, gateway } = useGatewayWithFakeBraze({ BRAZE_RETRY_BASE_MS: '1', BRAZE_RETRY_MAX_MS: '2', BRAZE_RATE_LIMIT_RESERVE: '0' });

async function scrape(target: TestGateway = gateway): Promise<{ status: number; type: string | null; text: string }> {
  const response = await fetch(new URL('/metrics', target.url));
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}


describe('/metrics', () => {
  it('is Prometheus text, needs no credential, and starts at zero', async () => {
    const { status, type, text } = await scrape();
    expect(status).toBe(200);
    expect(type).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(text).toContain('# TYPE braze_gateway_graphql_requests_total counter');
    expect(text).toContain('# TYPE braze_gateway_upstream_attempt_duration_seconds histogram');
    expect(text).toContain('# TYPE braze_gateway_upstream_rate_limit_remaining gauge');
    expect(sampleValue(text, 'braze_gateway_graphql_requests_total')).toBe(0);
    expect(sampleValue(text, 'braze_gateway_upstream_attempt_duration_seconds_count')).toBe(0);
    expect(sampleValue(text, 'braze_gateway_upstream_rate_limit_remaining', { bucket: 'export' })).toBeNaN();
    expect(sampleValue(text, 'braze_gateway_upstream_rate_limit_remaining', { bucket: 'lists' })).toBeNaN();
    expect(sampleValue(text, 'braze_gateway_upstream_circuit_open')).toBe(0);
  });

  it('a known sequence of requests moves every metric by exactly what it did', async () => {
    let failNext = 1;
    braze.respond((call) => {
      if (call.query['event'] === 'flaky' && failNext-- > 0) return { status: 503, body: { message: 'busy' } };
      return { headers: RATE_LIMIT, body: defaultSeries(call.query) };
    });

    // 1. Four fields, two distinct calls: two upstream attempts (200), two calls saved by deduplication.
    const dashboard = await gateway.query(`{
      a: eventSeries(event: "purchase", length: 3, endingAt: "${AT}") { total }
      b: eventSeries(event: "purchase", length: 3, endingAt: "${AT}") { points { count } }
      c: eventSeries(event: "purchase", length: 3, endingAt: "2024-03-10T07:00:00-05:00") { total }
      d: eventSeries(event: "signup", length: 3, endingAt: "${AT}") { total }
    }`);
    expect(dashboard.errors).toEqual([]);
    // 2. A 503 then a 200 after the retry.
    expect((await gateway.query(`{ eventSeries(event: "flaky", length: 1, endingAt: "${AT}") { total } }`)).errors).toEqual([]);
    // 3. Bad input: an error, no attempt.
    expect((await gateway.query(`{ eventSeries(event: "", length: 1) { total } }`)).errors[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    // 4. No credential: refused before parsing, still a request with an error.
    expect((await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' })).status).toBe(401);
    // 5. An over-aliased document: refused by the limits.
    const wide = Array.from({ length: 51 }, (_, i) => `t${i}: eventSeries(event: "e${i}", length: 1) { total }`).join(' ');
    expect((await gateway.query(`{ ${wide} }`)).errors[0]?.extensions?.['code']).toBe('QUERY_TOO_COMPLEX');

    const { text } = await scrape();
    expect(sampleValue(text, 'braze_gateway_graphql_requests_total')).toBe(5);
    expect(sampleValue(text, 'braze_gateway_graphql_errors_total', { code: 'BAD_USER_INPUT' })).toBe(1);
    expect(sampleValue(text, 'braze_gateway_graphql_errors_total', { code: 'UNAUTHENTICATED' })).toBe(1);
    expect(sampleValue(text, 'braze_gateway_graphql_errors_total', { code: 'QUERY_TOO_COMPLEX' })).toBe(1);
    expect(sampleValue(text, 'braze_gateway_upstream_attempts_total', { endpoint: '/events/data_series', status: '200', outcome: 'ok' })).toBe(3);
    expect(sampleValue(text, 'braze_gateway_upstream_attempts_total', { endpoint: '/events/data_series', status: '503', outcome: 'UPSTREAM_UNAVAILABLE' })).toBe(1);
    expect(sampleValue(text, 'braze_gateway_upstream_attempt_duration_seconds_count')).toBe(4);
    expect(sampleValue(text, 'braze_gateway_upstream_attempt_duration_seconds_bucket', { le: '+Inf' })).toBe(4);
    expect(sampleValue(text, 'braze_gateway_upstream_attempt_duration_seconds_sum')).toBeGreaterThan(0);
    expect(sampleValue(text, 'braze_gateway_upstream_calls_saved_total', { reason: 'deduplication' })).toBe(2);
    // The gateway's own view: Braze's last x-ratelimit-remaining minus calls made since, as /health says.
    const health = (await (await fetch(new URL('/health', gateway.url))).json()) as { upstream: { rateLimit: { remaining: number } } };
    expect(health.upstream.rateLimit.remaining).toBeLessThanOrEqual(231877);
    expect(health.upstream.rateLimit.remaining).toBeGreaterThanOrEqual(231877 - 4);
    expect(sampleValue(text, 'braze_gateway_upstream_rate_limit_remaining', { bucket: 'export' })).toBe(health.upstream.rateLimit.remaining);
    expect(braze.seriesCalls).toHaveLength(4);
  });

  it('a connection refused counts as status "none"', async () => {
    braze.handleRaw((_request, response) => response.socket?.destroy());
    const result = await gateway.query(`{ eventSeries(event: "reset", length: 1, endingAt: "${AT}") { total } }`);
    expect(result.errors[0]?.extensions?.['code']).toBe('UPSTREAM_UNAVAILABLE');
    const { text } = await scrape();
    expect(sampleValue(text, 'braze_gateway_upstream_attempts_total', { endpoint: '/events/data_series', status: 'none', outcome: 'UPSTREAM_UNAVAILABLE' })).toBe(3);
    expect(sampleValue(text, 'braze_gateway_graphql_errors_total', { code: 'UPSTREAM_UNAVAILABLE' })).toBe(1);
  });

  it('each gateway counts its own (a registry per instance); METRICS_ENABLED=false serves none', async () => {
    const other = await startTestGateway(braze);
    const off = await startTestGateway(braze, { METRICS_ENABLED: 'false' });
    try {
      expect(sampleValue((await scrape(other)).text, 'braze_gateway_graphql_requests_total')).toBe(0);
      expect((await scrape(off)).status).toBe(404);
    } finally {
      await other.close();
      await off.close();
    }
  });
});
