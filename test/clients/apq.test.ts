import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parse, print } from 'graphql';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { createPersistedApolloClient } from '../../examples/clients/apollo-persisted.js';
import { createPersistedUrqlClient } from '../../examples/clients/urql-persisted.js';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { startFakeBraze, type FakeBraze } from '../../testkit/fakeBraze.js';
import { EventSeriesDocument } from '../generated/graphql.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { sampleValue } from '../helpers/prometheus.js';

const TOKEN = 'tok-apq-clients-0a1b2c3d4e5f6a7b';
const VARIABLES = { event: 'purchase', length: 2, endingAt: '2024-03-10T00:00:00Z' };
const EXPECTED = { event: 'purchase', total: 3, points: [{ count: 1 }, { count: 2 }] };
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let braze: FakeBraze;
/** APQ on (the default), off (APQ_MAX_BYTES=0), and with a store of two entries or of 1 KiB. */
let apq: TestGateway;
let off: TestGateway;
let twoEntries: TestGateway;
let oneKiB: TestGateway;

beforeAll(async () => {
  braze = await startFakeBraze();
  apq = await startTestGateway(braze, { AUTH_TOKENS: TOKEN });
  off = await startTestGateway(braze, { AUTH_TOKENS: TOKEN, APQ_MAX_BYTES: '0' });
  twoEntries = await startTestGateway(braze, { AUTH_TOKENS: TOKEN, APQ_MAX_ENTRIES: '2' });
  oneKiB = await startTestGateway(braze, { AUTH_TOKENS: TOKEN, APQ_MAX_BYTES: '1024' });
});
afterAll(async () => {
  await Promise.all([apq, off, twoEntries, oneKiB].map((gateway) => gateway?.close()));
  await braze?.close();
});

/** The real fetch, watched: what each client sent, without changing it. */
let fetches: MockInstance<typeof fetch>;
beforeEach(() => {
  braze.calls.length = 0;
  fetches = vi.spyOn(globalThis, 'fetch');
});
afterEach(() => {
  fetches.mockRestore();
});
/** Each request a client made: its method, and whether it carried the document or the hash alone. */
const sent = () =>
  fetches.mock.calls.map(([input, init]) => {
    const method = init?.method ?? 'GET';
    const text = method === 'GET' ? decodeURIComponent(String(input)) : String(init?.body);
    return `${method} ${/"?query"?[=:]/.test(text) ? 'document' : 'hash'}`;
  });

/** A raw request with the persisted-query extension, as a hostile client could send it. */
async function raw(gateway: TestGateway, body: Record<string, unknown>) {
  const before = braze.calls.length;
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(body),
  });
  const parsed = (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
  return { status: response.status, message: parsed.errors?.[0]?.message, code: parsed.errors?.[0]?.extensions?.code, data: parsed.data, calls: braze.calls.length - before };
}
const hashOnly = (hash: string, extra: Record<string, unknown> = {}) => ({ variables: VARIABLES, extensions: { persistedQuery: { version: 1, sha256Hash: hash, ...extra } } });

describe("automatic persisted queries, Apollo's protocol, with the real clients", () => {
  it.each([
    ['POST', false, ['POST hash', 'POST document'], ['POST hash']],
    ['GET', true, ['GET hash', 'POST document'], ['GET hash']],
  ])("Apollo's persisted-query link (%s): not found, then the document once; then the hash alone", async (_method, useGETForHashedQueries, first, second) => {
    // A new document for each case, so that the gateway has not seen it yet.
    const query = parse(`query Apq${String(useGETForHashedQueries)}($event: String!, $length: Int!, $endingAt: DateTime) { eventSeries(event: $event, length: $length, endingAt: $endingAt) { event total points { count } } }`);
    const one = await createPersistedApolloClient(apq.url.href, TOKEN, { useGETForHashedQueries }).query({ query, variables: VARIABLES });
    expect(one.error).toBeUndefined();
    expect(one.data).toMatchObject({ eventSeries: EXPECTED });
    expect(sent()).toEqual(first);
    // Another client (another page, another user): the gateway knows the hash now.
    fetches.mockClear();
    const two = await createPersistedApolloClient(apq.url.href, TOKEN, { useGETForHashedQueries }).query({ query, variables: VARIABLES });
    expect(two.data).toEqual(one.data);
    expect(sent()).toEqual(second);
    expect(braze.seriesCalls).toHaveLength(2);
  });

  it("urql's persisted exchange (GET within the URL limit): not found, then the document; then the hash alone", async () => {
    const one = await createPersistedUrqlClient(apq.url.href, TOKEN).query(EventSeriesDocument, VARIABLES).toPromise();
    expect(one.error).toBeUndefined();
    expect(one.data?.eventSeries).toMatchObject(EXPECTED);
    expect(sent()).toEqual(['GET hash', 'GET document']);
    fetches.mockClear();
    const two = await createPersistedUrqlClient(apq.url.href, TOKEN).query(EventSeriesDocument, VARIABLES).toPromise();
    expect(two.data).toEqual(one.data);
    expect(sent()).toEqual(['GET hash']);
    expect(braze.seriesCalls).toHaveLength(2);
  });

  it('with APQ off (APQ_MAX_BYTES=0), both clients are told PERSISTED_QUERY_NOT_SUPPORTED, stop hashing and get data', async () => {
    const apollo = createPersistedApolloClient(off.url.href, TOKEN);
    expect((await apollo.query({ query: EventSeriesDocument, variables: VARIABLES })).data?.eventSeries).toMatchObject(EXPECTED);
    expect((await apollo.query({ query: EventSeriesDocument, variables: { ...VARIABLES, length: 3 } })).data?.eventSeries).toMatchObject({ total: 6 });
    expect(sent()).toEqual(['POST hash', 'POST document', 'POST document']);
    fetches.mockClear();
    const urql = createPersistedUrqlClient(off.url.href, TOKEN);
    expect((await urql.query(EventSeriesDocument, VARIABLES).toPromise()).data?.eventSeries).toMatchObject(EXPECTED);
    expect(sent()).toEqual(['GET hash', 'GET document']);
    expect(await raw(off, hashOnly(sha256('{ __typename }')))).toMatchObject({ status: 400, message: 'PersistedQueryNotSupported', code: 'PERSISTED_QUERY_NOT_SUPPORTED', calls: 0 });
  });
});

describe('hostile hashes and sizes', () => {
  const QUERY = print(parse('query Hostile { eventSeries(event: "e", length: 2, endingAt: "2024-03-10T00:00:00Z") { total } }'));

  it('a hash that is not the sha256 of the document is refused (PERSISTED_QUERY_MISMATCH), not kept, no upstream call', async () => {
    const forged = sha256('{ __typename }');
    expect(await raw(apq, { query: QUERY, ...hashOnly(forged) })).toMatchObject({ status: 400, code: 'PERSISTED_QUERY_MISMATCH', calls: 0 });
    expect(await raw(apq, hashOnly(forged))).toMatchObject({ status: 404, message: 'PersistedQueryNotFound', code: 'PERSISTED_QUERY_NOT_FOUND', calls: 0 });
  });

  it.each([
    ['version 2', { version: 2, sha256Hash: 'a'.repeat(64) }],
    ['no version', { sha256Hash: 'a'.repeat(64) }],
    ['a number for the hash', { version: 1, sha256Hash: 42 }],
    ['upper-case hex', { version: 1, sha256Hash: 'A'.repeat(64) }],
    ['63 digits', { version: 1, sha256Hash: 'a'.repeat(63) }],
    ['a 64 KiB hash', { version: 1, sha256Hash: 'a'.repeat(65_536) }],
    ['null', null],
    ['a string', 'sha256:abc'],
  ])('a malformed extension (%s) is PERSISTED_QUERY_NOT_SUPPORTED, before any lookup or upstream call', async (_name, persistedQuery) => {
    for (const body of [{ variables: VARIABLES, extensions: { persistedQuery } }, { query: QUERY, extensions: { persistedQuery } }]) {
      expect(await raw(apq, body)).toMatchObject({ status: 400, message: 'PersistedQueryNotSupported', code: 'PERSISTED_QUERY_NOT_SUPPORTED', calls: 0 });
    }
  });

  it('the store keeps APQ_MAX_ENTRIES documents, the least recently used leaving first', async () => {
    const documents = [1, 2, 3].map((n) => print(parse(`query Entry${n} { eventSeries(event: "e${n}", length: 1, endingAt: "2024-03-10T00:00:00Z") { total } }`)));
    for (const query of documents) expect(await raw(twoEntries, { query, ...hashOnly(sha256(query)) })).toMatchObject({ status: 200, calls: 1 });
    const [first, second, third] = documents.map((query) => hashOnly(sha256(query)));
    expect(await raw(twoEntries, first!)).toMatchObject({ status: 404, code: 'PERSISTED_QUERY_NOT_FOUND', calls: 0 });
    expect(await raw(twoEntries, second!)).toMatchObject({ status: 200, calls: 1 });
    expect(await raw(twoEntries, third!)).toMatchObject({ status: 200, calls: 1 });
    // Registrations are not lookups: one miss and two hits, and the two documents kept, with their hashes.
    const metrics = await (await fetch(new URL('/metrics', twoEntries.url))).text();
    expect(sampleValue(metrics, 'braze_gateway_apq_lookups_total', { result: 'miss' })).toBe(1);
    expect(sampleValue(metrics, 'braze_gateway_apq_lookups_total', { result: 'hit' })).toBe(2);
    expect(sampleValue(metrics, 'braze_gateway_apq_bytes')).toBe(Buffer.byteLength(documents[1]!) + Buffer.byteLength(documents[2]!) + 2 * 64);
  });

  it('a document larger than APQ_MAX_BYTES runs but is not kept; smaller ones are', async () => {
    const padded = print(parse(`query Big { ${Array.from({ length: 40 }, (_, n) => `a${n}: eventSeries(event: "big", length: 1, endingAt: "2024-03-10T00:00:00Z") { total }`).join(' ')} }`));
    expect(Buffer.byteLength(padded)).toBeGreaterThan(1024);
    const big = await raw(oneKiB, { query: padded, ...hashOnly(sha256(padded)) });
    expect(big.status).toBe(200);
    expect(await raw(oneKiB, hashOnly(sha256(padded)))).toMatchObject({ status: 404, code: 'PERSISTED_QUERY_NOT_FOUND', calls: 0 });
    expect(await raw(oneKiB, { query: QUERY, ...hashOnly(sha256(QUERY)) })).toMatchObject({ status: 200 });
    expect(await raw(oneKiB, hashOnly(sha256(QUERY)))).toMatchObject({ status: 200, data: { eventSeries: { total: 3 } } });
  });
});

describe('APQ with the whole-response cache', () => {
  it('a hash alone is answered from its own document, never from another hash’s cached response', async () => {
    const cached = await startTestGateway(braze, { AUTH_TOKENS: TOKEN, CACHE_ENABLED: 'true', RESPONSE_CACHE_ENABLED: 'true' });
    try {
      const documents = [2, 3].map((length) => print(parse(`query Cached${length} { eventSeries(event: "cached", length: ${length}, endingAt: "2024-03-10T00:00:00Z") { total } }`)));
      for (const query of documents) await raw(cached, { query, ...hashOnly(sha256(query)) });
      for (const [index, query] of documents.entries()) {
        expect(await raw(cached, hashOnly(sha256(query)))).toMatchObject({ status: 200, data: { eventSeries: { total: [3, 6][index] } }, calls: 0 });
      }
    } finally {
      await cached.close();
    }
  });
});

describe('APQ in trusted-documents mode (PERSISTED_OPERATIONS_FILE)', () => {
  it('nothing can be registered: a document with its hash is PERSISTED_QUERY_ID_REQUIRED, then the hash alone PERSISTED_QUERY_NOT_IN_LIST', async () => {
    const manifest = fileURLToPath(new URL('../generated/persisted-manifest.json', import.meta.url));
    const trusted = await startTestGateway(braze, { AUTH_TOKENS: TOKEN, PERSISTED_OPERATIONS_FILE: manifest });
    try {
      const query = print(parse('query Unlisted { eventSeries(event: "x", length: 2, endingAt: "2024-03-10T00:00:00Z") { total } }'));
      expect(await raw(trusted, { query, ...hashOnly(sha256(query)) })).toMatchObject({ status: 400, code: 'PERSISTED_QUERY_ID_REQUIRED', calls: 0 });
      expect(await raw(trusted, hashOnly(sha256(query)))).toMatchObject({ status: 400, code: 'PERSISTED_QUERY_NOT_IN_LIST', calls: 0 });
      // An Apollo client with the link gets the error once: no retry with the document, no switching APQ off.
      const apollo = createPersistedApolloClient(trusted.url.href, TOKEN);
      const refused = await apollo.query({ query: parse(query), errorPolicy: 'all' });
      expect(refused.error?.message).toContain('persisted-operations manifest');
      expect(sent().filter((request) => request.startsWith('POST'))).toEqual(['POST document', 'POST hash', 'POST hash']);
      // Its next operation, in the manifest, still goes by hash.
      expect((await apollo.query({ query: EventSeriesDocument, variables: VARIABLES })).data?.eventSeries).toMatchObject(EXPECTED);
      expect(sent().at(-1)).toBe('POST hash');
    } finally {
      await trusted.close();
    }
  });
});

describe('APQ configuration', () => {
  const MANIFEST = fileURLToPath(new URL('../generated/persisted-documents.json', import.meta.url));
  const problemsFor = (env: Record<string, string>): readonly string[] => {
    try {
      loadConfig(env);
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
    }
    return [];
  };

  it('on by default (4 MiB, 1,000 documents); off with APQ_MAX_BYTES=0 and with a persisted-operations manifest', () => {
    expect(loadConfig({}).apq).toEqual({ maxBytes: 4 * 1024 * 1024, maxEntries: 1_000 });
    expect(loadConfig({ APQ_MAX_BYTES: '0' }).apq).toBeUndefined();
    expect(loadConfig({ PERSISTED_OPERATIONS_FILE: MANIFEST }).apq).toBeUndefined();
  });

  it('refuses values that cannot be meant: a bad number, or APQ with a manifest (nothing can be registered)', () => {
    expect(problemsFor({ APQ_MAX_BYTES: '-1' })).toEqual(['APQ_MAX_BYTES must be a whole number from 0 to 1073741824 (got "-1")']);
    expect(problemsFor({ APQ_MAX_ENTRIES: '0' })).toEqual(['APQ_MAX_ENTRIES must be a whole number from 1 to 1000000 (got "0")']);
    expect(problemsFor({ PERSISTED_OPERATIONS_FILE: MANIFEST, APQ_MAX_ENTRIES: '10' })).toEqual([
      "APQ_MAX_ENTRIES cannot apply with PERSISTED_OPERATIONS_FILE (only the manifest's operations run, none can be registered): unset it",
    ]);
  });
});
