import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { defaultSeries, startFakeBraze, type CannedAnswer, type RecordedCall } from '../testkit/fakeBraze.js';
import { type WireResult, startTestGateway, useGatewayWithFakeBraze } from './helpers/gateway.js';

/**
 * Every failure class, one case each. Each request asks for a failing series ("fail") beside a healthy
 * one ("ok"): the failing field is null with its typed error, the healthy one still arrives exactly.
 * Retries and the breaker are off here so each failure is seen alone (test/resilience.test.ts covers them).
 */
const PAIR_QUERY = `{
  bad: eventSeries(event: "fail", length: 3, endingAt: "2024-03-10T00:00:00Z") { total points { time count } }
  good: eventSeries(event: "ok", length: 3, endingAt: "2024-03-10T00:00:00Z") { total points { time count } }
}`;
const GOOD = {
  total: 6,
  points: [
    { time: '2024-03-08T00:00:00.000Z', count: 1 },
    { time: '2024-03-09T00:00:00.000Z', count: 2 },
    { time: '2024-03-10T00:00:00.000Z', count: 3 },
  ],
};

const { braze, gateway } = useGatewayWithFakeBraze({
  // The fields that must answer get 1.5 s even on a loaded machine; the timeout tests wait that long.
  BRAZE_TIMEOUT_MS: '1500',
  BRAZE_MAX_ATTEMPTS: '1',
  BRAZE_BREAKER_THRESHOLD: '0',
});

/** "fail" gets `failure`; "ok" gets a normal series. */
function failWith(failure: CannedAnswer): void {
  braze.respond((call: RecordedCall) => (call.query['event'] === 'fail' ? failure : { body: defaultSeries(call.query) }));
}
/** "fail" gets the raw socket treatment; "ok" gets a normal series. */
function failRaw(fault: (response: ServerResponse) => void): void {
  braze.handleRaw((_request, response, call) => {
    if (call.query['event'] === 'fail') return fault(response);
    const text = JSON.stringify(defaultSeries(call.query));
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    response.end(text);
  });
}

type Data = { bad: unknown; good: unknown };
async function expectOnlyBadFails(code: string): Promise<WireResult<Data>> {
  const result = await gateway.query<Data>(PAIR_QUERY);
  expect(result.status).toBe(200);
  expect(result.data).toEqual({ bad: null, good: GOOD });
  expect(result.errors).toHaveLength(1);
  expect(result.errors[0]?.path?.[0]).toBe('bad');
  expect(result.errors[0]?.extensions?.['code']).toBe(code);
  // One attempt each: the gateway made exactly the two calls the query needs.
  expect(braze.seriesCalls.map((c) => c.query['event']).sort()).toEqual(['fail', 'ok']);
  return result;
}

describe('Braze HTTP statuses', () => {
  it.each([
    [400, 'UPSTREAM_BAD_REQUEST'],
    [401, 'UPSTREAM_UNAUTHORIZED'],
    [403, 'UPSTREAM_FORBIDDEN'],
    [404, 'UPSTREAM_NOT_FOUND'],
    [500, 'UPSTREAM_UNAVAILABLE'],
    [502, 'UPSTREAM_UNAVAILABLE'],
    [503, 'UPSTREAM_UNAVAILABLE'],
    [504, 'UPSTREAM_UNAVAILABLE'],
  ])('%i becomes %s for that field only', async (status, code) => {
    failWith({ status, body: { message: `braze says ${status}`, errors: ['x'] } });
    const result = await expectOnlyBadFails(code);
    expect(result.errors[0]?.extensions?.['upstreamStatus']).toBe(status);
    expect(result.errors[0]?.message).toContain(`braze says ${status}`);
  });

  it('reads the status before the body: a non-JSON 503 page is UPSTREAM_UNAVAILABLE, not a parse error', async () => {
    failWith({ status: 503, headers: { 'content-type': 'text/html' }, body: '<html><h1>Service Unavailable</h1></html>' });
    const result = await expectOnlyBadFails('UPSTREAM_UNAVAILABLE');
    expect(result.errors[0]?.message).toBe('Braze is unavailable (503)');
  });

  it('429 is UPSTREAM_RATE_LIMITED with resetAt from x-ratelimit-reset (epoch seconds)', async () => {
    // A real one (a reset that cannot be real is ignored: hostile-upstream-headers.test.ts), a minute ago
    // (clocks disagree that much), so the bucket it empties is not paused for this file's other tests.
    const reset = Math.floor(Date.now() / 1000) - 60;
    failWith({
      status: 429,
      headers: { 'X-RateLimit-Reset': String(reset), 'x-ratelimit-remaining': '0', 'x-ratelimit-limit': '250000' },
      body: { message: 'Rate limit exceeded' },
    });
    const result = await expectOnlyBadFails('UPSTREAM_RATE_LIMITED');
    expect(result.errors[0]?.extensions).toEqual({
      code: 'UPSTREAM_RATE_LIMITED',
      upstreamStatus: 429,
      attempts: 1,
      resetAt: new Date(reset * 1000).toISOString(),
    });
  });

  it('429 without x-ratelimit-reset leaves resetAt out', async () => {
    failWith({ status: 429, body: { message: 'Rate limit exceeded' } });
    const result = await expectOnlyBadFails('UPSTREAM_RATE_LIMITED');
    expect(result.errors[0]?.extensions).not.toHaveProperty('resetAt');
  });
});

describe('the connection', () => {
  it('reset before any answer is UPSTREAM_UNAVAILABLE', async () => {
    failRaw((response) => response.socket?.destroy());
    await expectOnlyBadFails('UPSTREAM_UNAVAILABLE');
  });

  it('reset in the middle of the body is UPSTREAM_UNAVAILABLE', async () => {
    failRaw((response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      response.write('{"message":"success","data":[{"time":"2024-03-08","count":1},');
      setTimeout(() => response.socket?.resetAndDestroy(), 20);
    });
    await expectOnlyBadFails('UPSTREAM_UNAVAILABLE');
  });

  it('closed before the whole body arrived (short of content-length) is UPSTREAM_UNAVAILABLE', async () => {
    failRaw((response) => {
      const whole = JSON.stringify({ message: 'success', data: [{ time: '2024-03-08', count: 1 }] });
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(whole.length + 50) });
      response.write(whole);
      setTimeout(() => response.socket?.end(), 20);
    });
    await expectOnlyBadFails('UPSTREAM_UNAVAILABLE');
  });

  it('no answer within BRAZE_TIMEOUT_MS is UPSTREAM_TIMEOUT, and the deadline holds', async () => {
    failRaw(() => {
      // Never answers.
    });
    const started = Date.now();
    const result = await expectOnlyBadFails('UPSTREAM_TIMEOUT');
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(1_450);
    expect(elapsed).toBeLessThan(6_000);
    expect(result.errors[0]?.message).toBe('Braze did not answer within 1500 ms');
  });

  it('a body that stalls half way is UPSTREAM_TIMEOUT', async () => {
    failRaw((response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      response.write('{"message":"success","data":[');
    });
    await expectOnlyBadFails('UPSTREAM_TIMEOUT');
  });

  it('refused (nothing listening) is UPSTREAM_UNAVAILABLE', async () => {
    const gone = await startFakeBraze();
    const endpoint = gone.url.href;
    await gone.close();
    const orphan = await startTestGateway(undefined, { BRAZE_REST_ENDPOINT: endpoint, BRAZE_API_KEY: 'k-refused-0123456789abcdef01234567' });
    try {
      const result = await orphan.query(`{ eventSeries(event: "e", length: 1) { total } }`);
      expect(result.data).toEqual({ eventSeries: null });
      expect(result.errors[0]?.extensions?.['code']).toBe('UPSTREAM_UNAVAILABLE');
      expect(result.errors[0]?.message).toBe('Braze could not be reached (ECONNREFUSED)');
    } finally {
      await orphan.close();
    }
  });
});

describe("Braze's answer is validated before it is trusted", () => {
  const invalidBodies: [string, CannedAnswer][] = [
    ['a 200 body that is not JSON', { body: '<html>maintenance</html>' }],
    ['an empty 200 body', { body: '' }],
    ['JSON that is not an object', { body: '[1,2]' }],
    ['message other than "success"', { body: { message: 'error', data: [] } }],
    ['a message that is not a string', { body: { message: null, data: [] } }],
    ['data missing', { body: { message: 'success' } }],
    ['data not a list', { body: { message: 'success', data: { time: '2024-03-08', count: 1 } } }],
    ['a point that is not an object', { body: { message: 'success', data: [5] } }],
    ['a DAY time that is a date-time', { body: { message: 'success', data: [{ time: '2024-03-08T00:00:00Z', count: 1 }] } }],
    ['a DAY time that is not a real date', { body: { message: 'success', data: [{ time: '2024-02-30', count: 1 }] } }],
    ['a time that is not a string', { body: { message: 'success', data: [{ time: 1709856000, count: 1 }] } }],
    ['a negative count', { body: { message: 'success', data: [{ time: '2024-03-08', count: -1 }] } }],
    ['a fractional count', { body: { message: 'success', data: [{ time: '2024-03-08', count: 1.5 }] } }],
    ['a count given as a string', { body: { message: 'success', data: [{ time: '2024-03-08', count: '1' }] } }],
    ['a count beyond 2^53 - 1', { body: { message: 'success', data: [{ time: '2024-03-08', count: 2 ** 53 }] } }],
    ['a 3xx redirect', { status: 302, headers: { location: 'https://example.invalid/' }, body: '' }],
  ];
  it.each(invalidBodies)('%s is UPSTREAM_INVALID_RESPONSE', async (_name, answer) => {
    failWith(answer);
    await expectOnlyBadFails('UPSTREAM_INVALID_RESPONSE');
  });

  it('more points than the length asked for is UPSTREAM_INVALID_RESPONSE, saying how many', async () => {
    // 30,000 points for length 3: a series Braze cannot have meant.
    const many = Array.from({ length: 30_000 }, () => ({ time: '2024-03-08', count: 1 }));
    failWith({ body: { message: 'success', data: many } });
    const result = await expectOnlyBadFails('UPSTREAM_INVALID_RESPONSE');
    expect(result.errors[0]?.message).toBe('Braze answered 30000 points for a series of length 3');
    braze.calls.length = 0;
    failWith({ body: { message: 'success', data: many.slice(0, 4) } });
    await expectOnlyBadFails('UPSTREAM_INVALID_RESPONSE');
  });

  it('an HOUR time that is a bare date is UPSTREAM_INVALID_RESPONSE', async () => {
    braze.respond((call) =>
      call.query['event'] === 'fail'
        ? { body: { message: 'success', data: [{ time: '2024-03-08', count: 1 }] } }
        : { body: defaultSeries(call.query) },
    );
    const result = await gateway.query<Data>(`{
      bad: eventSeries(event: "fail", length: 1, unit: HOUR, endingAt: "2024-03-10T00:00:00Z") { total }
      good: eventSeries(event: "ok", length: 1, unit: HOUR, endingAt: "2024-03-10T00:00:00Z") { total }
    }`);
    expect(result.data).toEqual({ bad: null, good: { total: 1 } });
    expect(result.errors.map((e) => e.extensions?.['code'])).toEqual(['UPSTREAM_INVALID_RESPONSE']);
  });

  it('a total beyond GraphQL Int is RESULT_OUT_OF_RANGE, not a masked crash', async () => {
    failWith({
      body: {
        message: 'success',
        data: [
          { time: '2024-03-09', count: 2_000_000_000 },
          { time: '2024-03-10', count: 2_000_000_000 },
        ],
      },
    });
    await expectOnlyBadFails('RESULT_OUT_OF_RANGE');
  });

  it('a body larger than 1 MiB is refused as UPSTREAM_INVALID_RESPONSE', async () => {
    failWith({ body: JSON.stringify({ message: 'success', data: [], padding: 'x'.repeat(2 * 1024 * 1024) }) });
    const result = await expectOnlyBadFails('UPSTREAM_INVALID_RESPONSE');
    expect(result.errors[0]?.message).toBe("Braze's answer is larger than 1048576 bytes");
  });
});
