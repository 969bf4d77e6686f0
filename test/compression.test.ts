import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { useGatewayWithFakeBraze } from './helpers/gateway.js';
import { rawHttp, type RawAnswer } from './helpers/rawHttp.js';

/**
 * Answers on the wire: JSON over 1 KiB is compressed in the coding the client prefers by
 * Accept-Encoding's weights, says `Vary: Accept-Encoding`, and decompresses to the very answer sent
 * uncompressed; small answers, HEAD, 304 and streams (SSE, multipart) go as they are. Over node:http,
 * which neither asks for a coding nor decompresses, unlike fetch.
 */

const { braze, gateway } = useGatewayWithFakeBraze();

/** A year of days: 18 KB of JSON, the example. */
const YEAR = `{ eventSeries(event: "purchase", length: 365, unit: DAY, endingAt: "2024-03-10T00:00:00Z") { total points { time count } } }`;

function post(query: string, headers: Record<string, string>): Promise<RawAnswer> {
  return rawHttp(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...gateway.authHeaders, ...headers },
    body: JSON.stringify({ query }),
  });
}

function decoded(answer: RawAnswer): string {
  const coding = answer.headers['content-encoding'];
  if (coding === 'br') return brotliDecompressSync(answer.body).toString();
  if (coding === 'gzip') return gunzipSync(answer.body).toString();
  if (coding === undefined) return answer.body.toString();
  throw new Error(`unexpected content-encoding ${String(coding)}`);
}

describe('compression of answers', () => {
  it.each([
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['br;q=0.5, gzip;q=0.9', 'gzip'],
    ['*', 'br'],
  ])('Accept-Encoding %j: a 365-point series goes %s, a fraction of its size, the same answer', async (acceptEncoding, coding) => {
    const plain = await post(YEAR, {});
    // A year of days is more than one Braze call serves: stitched from chunks, the same ones each time.
    const perYear = braze.calls.length;
    expect(perYear).toBe(4);
    const compressed = await post(YEAR, { 'accept-encoding': acceptEncoding });
    expect(braze.calls).toHaveLength(2 * perYear);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.byteLength).toBeGreaterThan(15_000);
    expect(compressed.status).toBe(200);
    expect(compressed.headers['content-encoding']).toBe(coding);
    expect(compressed.headers['vary']).toMatch(/accept-encoding/i);
    expect(Number(compressed.headers['content-length'])).toBe(compressed.body.byteLength);
    expect(compressed.body.byteLength).toBeLessThan(plain.body.byteLength / 4);
    expect(JSON.parse(decoded(compressed))).toEqual(JSON.parse(plain.body.toString()));
    expect((JSON.parse(plain.body.toString()) as { data: { eventSeries: { points: unknown[] } } }).data.eventSeries.points).toHaveLength(365);
  });

  it.each([['identity'], ['gzip;q=0, br;q=0'], ['*;q=0'], ['zstd']])('Accept-Encoding %j: sent as it is, still saying Vary', async (acceptEncoding) => {
    const answer = await post(YEAR, { 'accept-encoding': acceptEncoding });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-encoding']).toBeUndefined();
    expect(answer.headers['vary']).toMatch(/accept-encoding/i);
    expect(JSON.parse(answer.body.toString())).toHaveProperty('data.eventSeries.total');
    expect(braze.calls).toHaveLength(4);
  });

  it('an answer under 1 KiB is not compressed (it would save less than it costs), and is the same for every client: no Vary', async () => {
    const answer = await post('{ __typename }', { 'accept-encoding': 'br, gzip' });
    expect(answer.status).toBe(200);
    expect(answer.body.byteLength).toBeLessThan(1024);
    expect(answer.headers['content-encoding']).toBeUndefined();
    expect(answer.headers['vary'] ?? '').not.toMatch(/accept-encoding/i);
    expect(JSON.parse(answer.body.toString())).toEqual({ data: { __typename: 'Query' } });
    expect(braze.calls).toHaveLength(0);
  });

  it('an SSE stream is never compressed: its events arrive as sent', async () => {
    const answer = await post(YEAR, { accept: 'text/event-stream', 'accept-encoding': 'br, gzip' });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^text\/event-stream/);
    // Yoga says `Content-Encoding: none` on its streams, so that no proxy compresses them either.
    expect(answer.headers['content-encoding']).toBe('none');
    expect(answer.body.toString()).toMatch(/^event: next\r?\ndata: \{"data":\{"eventSeries"/m);
    expect(braze.calls).toHaveLength(4);
  });

  it('a multipart/mixed answer (@defer) is never compressed', async () => {
    const query = `{ a: eventSeries(event: "purchase", length: 365, unit: DAY, endingAt: "2024-03-10T00:00:00Z") { total } ... @defer { b: eventSeries(event: "other", length: 365, unit: DAY, endingAt: "2024-03-10T00:00:00Z") { points { time count } } } }`;
    const answer = await post(query, { accept: 'multipart/mixed', 'accept-encoding': 'br, gzip' });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^multipart\/mixed/);
    expect(answer.headers['content-encoding']).toBeUndefined();
    expect(answer.body.toString()).toContain('"hasNext":false');
    expect(braze.calls).toHaveLength(8);
  });

  it('HEAD and a 304 carry no body and no coding', async () => {
    const page = await rawHttp(gateway.url, { headers: { accept: 'text/html', 'accept-encoding': 'br' } });
    const etag = page.headers['etag'];
    if (typeof etag !== 'string') throw new Error('the page has no ETag');
    const unchanged = await rawHttp(gateway.url, { headers: { accept: 'text/html', 'accept-encoding': 'br', 'if-none-match': etag } });
    expect(unchanged.status).toBe(304);
    expect(unchanged.headers['content-encoding']).toBeUndefined();
    expect(unchanged.body.byteLength).toBe(0);
    const head = await rawHttp(new URL('/health', gateway.url), { method: 'HEAD', headers: { 'accept-encoding': 'br' } });
    expect(head.status).toBe(200);
    expect(head.headers['content-encoding']).toBeUndefined();
    expect(head.body.byteLength).toBe(0);
    expect(braze.calls).toHaveLength(0);
  });
});
