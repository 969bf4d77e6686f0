import { describe, expect, it } from 'vitest';
import { requestIdFrom } from '../src/observability/requestId.js';
import { useGatewayWithFakeBraze } from './helpers/gateway.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const { braze, gateway } = useGatewayWithFakeBraze({ BRAZE_MAX_ATTEMPTS: '1' });

/** A failing upstream call, so the request writes log lines of its own (the client's warning). */
async function failingRequest(headers: Record<string, string>): Promise<Response> {
  braze.respond(() => ({ status: 503, body: { message: 'busy' } }));
  return fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...gateway.authHeaders, ...headers },
    body: JSON.stringify({ query: `{ eventSeries(event: "e", length: 1, endingAt: "2024-01-01T00:00:00Z") { total } }` }),
  });
}

const linesWith = (requestId: string) =>
  gateway.logs.map((l) => JSON.parse(l) as { requestId?: string; msg: string; level: string }).filter((l) => l.requestId === requestId);

describe('request ids', () => {
  it('a request without one gets a UUID, echoed in x-request-id and on every log line it caused', async () => {
    const response = await failingRequest({});
    const id = response.headers.get('x-request-id') ?? '';
    expect(id).toMatch(UUID);
    const lines = linesWith(id);
    expect(lines.map((l) => l.msg)).toContain('braze call failed');
    expect(lines.every((l) => typeof l.msg === 'string')).toBe(true);
  });

  it("a caller's sane id is kept, so one id follows the request across services", async () => {
    const id = 'edge-7f3a.2024_03_10-abc';
    const response = await failingRequest({ 'x-request-id': id });
    expect(response.headers.get('x-request-id')).toBe(id);
    expect(linesWith(id).map((l) => l.msg)).toContain('braze call failed');
  });

  it.each([
    ['too long', 'a'.repeat(129)],
    ['with spaces', 'two words'],
    ['trying to forge a log field', 'x","level":"error'],
    ['empty', ''],
  ])('an id %s is replaced by a fresh UUID', async (_name, incoming) => {
    const response = await failingRequest({ 'x-request-id': incoming });
    expect(response.headers.get('x-request-id')).toMatch(UUID);
  });

  it('every route gets one, and requests never share one', async () => {
    const ids = await Promise.all(['/health', '/healthz', '/metrics', '/'].map(async (path) => (await fetch(new URL(path, gateway.url), { redirect: 'manual' })).headers.get('x-request-id')));
    expect(ids.every((id) => UUID.test(id ?? ''))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('lines written outside any request carry none', () => {
    const start = gateway.logs.map((l) => JSON.parse(l) as { requestId?: string; msg: string }).find((l) => l.msg.includes('listening on'));
    expect(start).toBeDefined();
    expect(start?.requestId).toBeUndefined();
  });

  it('requestIdFrom: 128 characters of [A-Za-z0-9._-] at most', () => {
    expect(requestIdFrom('a'.repeat(128))).toBe('a'.repeat(128));
    expect(requestIdFrom(['a', 'b'])).toMatch(UUID);
    expect(requestIdFrom(undefined)).toMatch(UUID);
  });
});
