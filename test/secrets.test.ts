import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSeries, startFakeBraze, type CannedAnswer, type FakeBraze } from './helpers/fakeBraze.js';
import { startTestGateway, TEST_API_KEY, type TestGateway } from './helpers/gateway.js';

let braze: FakeBraze;
let gateway: TestGateway;

beforeAll(async () => {
  braze = await startFakeBraze();
  gateway = await startTestGateway(braze, { BRAZE_TIMEOUT_MS: '300' });
});
afterAll(async () => {
  await gateway.close();
  await braze.close();
});

describe('the REST key never leaves towards a client or a log', () => {
  it('is absent from every response body, header and log line of a run through each error path', async () => {
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
      "Braze rejected the gateway's REST API key (401): Invalid API key: [REDACTED]",
    );

    const everything = [
      result.body,
      JSON.stringify([...result.headers]),
      invalid.body,
      await health.text(),
      await graphiql.text(),
      ...gateway.logs,
    ].join('\n');
    expect(gateway.logs.length).toBeGreaterThan(10);
    expect(everything).not.toContain(TEST_API_KEY);
    // And the key was really used: every call carried it.
    expect(braze.calls.every((c) => c.headers.authorization === `Bearer ${TEST_API_KEY}`)).toBe(true);
  });
});
