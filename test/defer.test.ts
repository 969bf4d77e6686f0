import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { meros } from 'meros/browser';
import { describe, expect, it } from 'vitest';
import { defaultResponder } from '../testkit/fakeBraze.js';
import { sampleValue } from './helpers/prometheus.js';
import { useGatewayWithFakeBraze } from './helpers/gateway.js';
import { gate, readEventStream, readMultipart, type Payload } from './helpers/incremental.js';

const { braze, gateway } = useGatewayWithFakeBraze({ BRAZE_RETRY_BASE_MS: '5', BRAZE_RETRY_MAX_MS: '10' });

const ENDING_AT = '2024-03-10T00:00:00Z';

/** A dashboard: one fast series at once; a slow one, the fast one again and a part of it, deferred. */
const DASHBOARD = `query Dashboard {
  fast: eventSeries(event: "fast", length: 2, endingAt: "${ENDING_AT}") { total }
  ... @defer(label: "slow") {
    slow: eventSeries(event: "slow", length: 3, endingAt: "${ENDING_AT}") { total }
    fastAgain: eventSeries(event: "fast", length: 2, endingAt: "${ENDING_AT}") { total }
    fastLastDay: eventSeries(event: "fast", length: 1, endingAt: "${ENDING_AT}") { total points { count } }
  }
}`;

/**
 * Braze answers the "slow" event's calls only once the returned gate is opened (or after `fallbackMs`,
 * so a gateway that waits for the slow call fails the test instead of hanging it).
 */
function holdSlowCalls(fallbackMs = 3_000): { open(): void; readonly openedAtMs: () => number | undefined } {
  const slow = gate();
  let openedAt: number | undefined;
  const open = (): void => {
    openedAt ??= performance.now();
    slow.open();
  };
  const fallback = setTimeout(open, fallbackMs);
  slow.opened.then(() => clearTimeout(fallback), () => undefined);
  braze.respond(async (call) => {
    if (call.query['event'] === 'slow') await slow.opened;
    return defaultResponder(call);
  });
  return { open, openedAtMs: () => openedAt };
}

const FIRST: Payload = { data: { fast: { total: 3 } }, hasNext: true };
const LAST: Payload = {
  incremental: [{ data: { slow: { total: 6 }, fastAgain: { total: 3 }, fastLastDay: { total: 2, points: [{ count: 2 }] } }, path: [], label: 'slow' }],
  hasNext: false,
  // On the last payload only: it counts the whole request (2 calls, the part of "fast" cut from its answer).
  extensions: { brazeCache: { hits: 0, shared: 0, misses: 2, attempts: 2, coalesced: 1, maxAgeSeconds: 0 } },
};

describe('@defer: the fast part first, the slow part when Braze answers it', () => {
  it('over multipart/mixed (read with meros): the first payload arrives while the slow call is still held; exact payloads; 2 upstream calls', async () => {
    const slow = holdSlowCalls();
    const sentAt = performance.now();
    let slowCallsWhenFirstArrived: number | undefined;
    const { status, contentType, received } = await readMultipart(gateway.url, DASHBOARD, {
      headers: gateway.authHeaders,
      onPayload: (payload) => {
        if (payload.data === undefined) return;
        slowCallsWhenFirstArrived = braze.seriesCalls.filter((call) => call.query['event'] === 'slow').length;
        // Braze has been asked for the slow series and has not answered: only now may it.
        setTimeout(() => slow.open(), 200);
      },
    });
    expect(status).toBe(200);
    expect(contentType).toMatch(/^multipart\/mixed/);
    expect(received.map(({ payload }) => payload)).toEqual([FIRST, LAST]);
    // The slow call was under way (asked, not answered) when the first payload was read.
    expect(slowCallsWhenFirstArrived).toBe(1);
    const openedAt = slow.openedAtMs()! - sentAt;
    expect(received[0]!.atMs).toBeLessThan(openedAt);
    expect(received[1]!.atMs).toBeGreaterThanOrEqual(openedAt);
    // The deferred alias equal to the eager field, and the shorter window inside it, made no call of their own.
    expect(braze.seriesCalls.map((call) => [call.query['event'], call.query['length']]).sort()).toEqual([
      ['fast', '2'],
      ['slow', '3'],
    ]);
  });

  it('over text/event-stream (read with graphql-sse): the same payloads in the same order, the first before the slow call is answered', async () => {
    const slow = holdSlowCalls();
    const sentAt = performance.now();
    const received = await readEventStream(gateway.url, DASHBOARD, {
      headers: gateway.authHeaders,
      onPayload: (payload) => {
        if (payload.data !== undefined) setTimeout(() => slow.open(), 200);
      },
    });
    expect(received.map(({ payload }) => payload)).toEqual([FIRST, LAST]);
    expect(received[0]!.atMs).toBeLessThan(slow.openedAtMs()! - sentAt);
    expect(braze.seriesCalls).toHaveLength(2);
  });
});

describe('@defer: errors stay per field, with their codes', () => {
  it('a deferred series whose call fails: its error, with UPSTREAM_BAD_REQUEST, comes in its own incremental payload; the rest arrives', async () => {
    braze.respond((call) => (call.query['event'] === 'broken' ? { status: 400, body: { message: 'no such event' } } : defaultResponder(call)));
    const { received } = await readMultipart(
      gateway.url,
      `{
        fast: eventSeries(event: "fast", length: 2, endingAt: "${ENDING_AT}") { total }
        ... @defer(label: "broken") { broken: eventSeries(event: "broken", length: 2, endingAt: "${ENDING_AT}") { total } }
        ... @defer(label: "fine") { fine: eventSeries(event: "fine", length: 3, endingAt: "${ENDING_AT}") { total } }
      }`,
      { headers: gateway.authHeaders },
    );
    const payloads = received.map(({ payload }) => payload);
    expect(payloads[0]).toEqual({ data: { fast: { total: 3 } }, hasNext: true });
    const parts = payloads.slice(1).flatMap((payload) => payload.incremental ?? []);
    expect(parts.find((part) => part.label === 'fine')).toEqual({ data: { fine: { total: 6 } }, path: [], label: 'fine' });
    expect(parts.find((part) => part.label === 'broken')).toEqual({
      data: { broken: null },
      path: [],
      label: 'broken',
      errors: [
        {
          message: 'Braze rejected the request as malformed (400): no such event',
          locations: [{ line: 3, column: 39 }],
          path: ['broken'],
          extensions: { code: 'UPSTREAM_BAD_REQUEST', upstreamStatus: 400, attempts: 1 },
        },
      ],
    });
    expect(payloads.at(-1)?.hasNext).toBe(false);
    expect(payloads.every((payload) => payload.errors === undefined)).toBe(true);
    expect(braze.seriesCalls.map((call) => call.query['event']).sort()).toEqual(['broken', 'fast', 'fine']);
  });
});

describe('limits that count a request\'s calls', () => {
  const capped = useGatewayWithFakeBraze({ BRAZE_MAX_CALLS_PER_REQUEST: '2' });

  it('BRAZE_MAX_CALLS_PER_REQUEST counts the deferred fields with the eager ones: the one past it fails with TOO_MANY_UPSTREAM_CALLS in its payload', async () => {
    const { received } = await readMultipart(
      capped.gateway.url,
      `{
        eager: eventSeries(event: "eager", length: 1, endingAt: "${ENDING_AT}") { total }
        ... @defer { d1: eventSeries(event: "d1", length: 1, endingAt: "${ENDING_AT}") { total } d2: eventSeries(event: "d2", length: 1, endingAt: "${ENDING_AT}") { total } }
      }`,
      { headers: capped.gateway.authHeaders },
    );
    const [first, ...later] = received.map(({ payload }) => payload);
    expect(first).toEqual({ data: { eager: { total: 1 } }, hasNext: true });
    const part = later.flatMap((payload) => payload.incremental ?? [])[0];
    expect(part?.data).toEqual({ d1: { total: 1 }, d2: null });
    expect(part?.errors?.map((error) => [error.path, error.extensions])).toEqual([[['d2'], { code: 'TOO_MANY_UPSTREAM_CALLS', limit: 2 }]]);
    expect(capped.braze.seriesCalls.map((call) => call.query['event']).sort()).toEqual(['d1', 'eager']);
  });
});

describe('@stream on lists', () => {
  it('a connection\'s nodes: the first item at once, the others in later payloads; together exactly the unstreamed list, with the same calls', async () => {
    const list = (directive: string) => `{ segments(first: 3) { nodes ${directive} { id description } } }`;
    const plain = await gateway.query<{ segments: { nodes: unknown[] } }>(list(''));
    const plainCalls = braze.calls.map((call) => `${call.path} ${call.query['page'] ?? call.query['segment_id']}`).sort();
    braze.calls.length = 0;

    const { received } = await readMultipart(gateway.url, list('@stream(initialCount: 1)'), { headers: gateway.authHeaders });
    const [first, ...later] = received.map(({ payload }) => payload);
    expect(first).toEqual({ data: { segments: { nodes: [plain.data?.segments.nodes[0]] } }, hasNext: true });
    const streamed = later.flatMap((payload) => payload.incremental ?? []);
    expect(streamed.every((part) => part.path.slice(0, 2).join('.') === 'segments.nodes')).toBe(true);
    const reassembled = [...(first?.data?.['segments'] as { nodes: unknown[] }).nodes];
    for (const part of streamed) reassembled.splice(Number(part.path[2]), part.items?.length ?? 0, ...(part.items ?? []));
    expect(reassembled).toEqual(plain.data?.segments.nodes);
    expect(later.at(-1)?.hasNext).toBe(false);
    expect(braze.calls.map((call) => `${call.path} ${call.query['page'] ?? call.query['segment_id']}`).sort()).toEqual(plainCalls);
  });
});

describe('a client that cannot read an incremental answer', () => {
  it.each(['application/json', 'application/graphql-response+json', 'application/graphql-response+json, application/json;q=0.9'])(
    'Accept: %s: HTTP 406 with INCREMENTAL_DELIVERY_NOT_ACCEPTED and no upstream call',
    async (accept) => {
      const response = await gateway.post(DASHBOARD, { headers: { accept } });
      expect(response.status).toBe(406);
      expect(await response.json()).toEqual({
        errors: [
          {
            message:
              'This operation uses @defer or @stream, whose answer comes in parts: send Accept: multipart/mixed (or text/event-stream), or remove the directives',
            extensions: { code: 'INCREMENTAL_DELIVERY_NOT_ACCEPTED' },
          },
        ],
      });
      expect(braze.calls).toEqual([]);
    },
  );

  it.each([
    ['text/html', 'a type yoga writes nothing in'],
    ['image/png', 'a type yoga writes nothing in'],
    ['}{ garbage', 'garbage'],
    ['multipart/mixed;xcharset=utf-8', 'a range yoga skips (its first charset-ish parameter is not charset=utf-8)'],
    ['multipart/mixed;q=0', 'the one incremental type, refused with q=0'],
  ])('Accept: %s (%s): HTTP 406 with a readable INCREMENTAL_DELIVERY_NOT_ACCEPTED and no upstream call', async (accept) => {
    const response = await gateway.post(DASHBOARD, { headers: { accept } });
    expect(response.status).toBe(406);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors.map((error) => error.extensions.code)).toEqual(['INCREMENTAL_DELIVERY_NOT_ACCEPTED']);
    expect(braze.calls).toEqual([]);
  });

  it('directives switched off with a literal if: false run as a plain query', async () => {
    const result = await gateway.query(`{
      fast: eventSeries(event: "fast", length: 2, endingAt: "${ENDING_AT}") { total }
      ... @defer(if: false) { slow: eventSeries(event: "slow", length: 3, endingAt: "${ENDING_AT}") { total } }
    }`);
    expect(result.status).toBe(200);
    expect(result.data).toEqual({ fast: { total: 3 }, slow: { total: 6 } });
    expect(braze.seriesCalls).toHaveLength(2);
  });

  it('no Accept at all (*/*) gets the incremental answer, as multipart/mixed', async () => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...gateway.authHeaders },
      body: JSON.stringify({ query: DASHBOARD }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^multipart\/mixed/);
    await response.text();
  });
});

describe('the gateway\'s other rules apply to deferred fragments', () => {
  it('without a credential: 401 before anything runs, no upstream call', async () => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'multipart/mixed' },
      body: JSON.stringify({ query: DASHBOARD }),
    });
    expect(response.status).toBe(401);
    // Yoga answers in the media type asked for, a refusal too: one part.
    expect(response.headers.get('content-type')).toMatch(/^multipart\/mixed/);
    expect(await response.text()).toContain('"code":"UNAUTHENTICATED"');
    expect(braze.calls).toEqual([]);
  });

  it('brazeRateLimit rides on the last payload, read after every call of the request', async () => {
    const reset = Math.floor(Date.now() / 1000) + 3600;
    braze.respond((call) => ({ ...(defaultResponder(call) as object), headers: { 'x-ratelimit-limit': '1000', 'x-ratelimit-remaining': String(1000 - braze.calls.length), 'x-ratelimit-reset': String(reset) } }));
    const { received } = await readMultipart(gateway.url, DASHBOARD, { headers: gateway.authHeaders });
    const payloads = received.map(({ payload }) => payload);
    expect(payloads[0]?.extensions).toBeUndefined();
    expect(payloads.at(-1)?.extensions?.['brazeRateLimit']).toMatchObject({ limit: 1000, remaining: 998, resetAt: new Date(reset * 1000).toISOString() });
  });
});

describe('query limits count the fields inside deferred fragments', () => {
  const limited = useGatewayWithFakeBraze({ QUERY_MAX_ALIASES: '2', QUERY_MAX_DEPTH: '3' });

  it.each([
    ['maxAliases', `{ a: eventSeries(event: "e", length: 1) { total } ... @defer { b: eventSeries(event: "e", length: 1) { total } c: eventSeries(event: "e", length: 1) { total } } }`],
    ['maxDepth', `{ segments(first: 1) { ... @defer { edges { node { id } } } } }`],
  ])('%s: a document over the limit only through its deferred fragment is refused with QUERY_TOO_COMPLEX, no upstream call', async (limit, query) => {
    const response = await fetch(limited.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'multipart/mixed', ...limited.gateway.authHeaders },
      body: JSON.stringify({ query }),
    });
    expect(response.status).toBe(400);
    const body = await response.text();
    expect(body).toContain('"code":"QUERY_TOO_COMPLEX"');
    expect(body).toContain(`"limit":"${limit}"`);
    expect(limited.braze.calls).toEqual([]);
  });

  it('the same shapes within the limits run', async () => {
    const { received } = await readMultipart(limited.gateway.url, `{ segments(first: 1) { ... @defer { nodes { id } } } }`, { headers: limited.gateway.authHeaders });
    expect(received.map(({ payload }) => payload)).toEqual([
      { data: { segments: {} }, hasNext: true },
      {
        incremental: [{ data: { nodes: [{ id: 'segment-000' }] }, path: ['segments'] }],
        hasNext: false,
        extensions: { brazeCache: { hits: 0, shared: 0, misses: 1, attempts: 1, coalesced: 0, maxAgeSeconds: 0 } },
      },
    ]);
  });
});

describe('metrics count the errors of incremental payloads', () => {
  const metered = useGatewayWithFakeBraze({ METRICS_ENABLED: 'true' });

  it('a deferred field\'s UPSTREAM_NOT_FOUND is counted under its code, once', async () => {
    metered.braze.respond((call) => (call.query['event'] === 'gone' ? { status: 404, body: { message: 'not found' } } : defaultResponder(call)));
    const scrape = async (): Promise<number> =>
      sampleValue(await (await fetch(new URL('/metrics', metered.gateway.url))).text(), 'braze_gateway_graphql_errors_total', { code: 'UPSTREAM_NOT_FOUND' }) ?? 0;
    const before = await scrape();
    await readMultipart(
      metered.gateway.url,
      `{ ok: eventSeries(event: "ok", length: 1, endingAt: "${ENDING_AT}") { total } ... @defer { gone: eventSeries(event: "gone", length: 1, endingAt: "${ENDING_AT}") { total } } }`,
      { headers: metered.gateway.authHeaders },
    );
    expect((await scrape()) - before).toBe(1);
  });
});

describe('persisted-operations mode', () => {
  // A manifest of its own: the committed one is generated from test/operations by codegen.
  const deferredDocument = `query DeferredDashboard { fast: eventSeries(event: "fast", length: 2, endingAt: "${ENDING_AT}") { total } ... @defer { slow: eventSeries(event: "slow", length: 3, endingAt: "${ENDING_AT}") { total } } }`;
  const id = `sha256:${createHash('sha256').update(deferredDocument).digest('hex')}`;
  const manifest = join(mkdtempSync(join(tmpdir(), 'defer-manifest-')), 'persisted-documents.json');
  writeFileSync(manifest, JSON.stringify({ [id]: deferredDocument }));
  const persisted = useGatewayWithFakeBraze({ PERSISTED_OPERATIONS_FILE: manifest });

  const send = (body: Record<string, unknown>, accept: string) =>
    fetch(persisted.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept, ...persisted.gateway.authHeaders },
      body: JSON.stringify(body),
    });

  it('a deferred operation in the manifest, sent by documentId, is answered in parts', async () => {
    const parts = await meros<Payload>(await send({ documentId: id }, 'multipart/mixed'));
    if (parts instanceof Response) throw new Error(`not multipart: ${await parts.text()}`);
    const payloads: Payload[] = [];
    for await (const part of parts) payloads.push(part.body as Payload);
    expect(payloads.map((payload) => payload.data ?? payload.incremental?.[0]?.data)).toEqual([{ fast: { total: 3 } }, { slow: { total: 6 } }]);
    expect(persisted.braze.seriesCalls).toHaveLength(2);
  });

  it('the same document sent as a query is refused as in any persisted-operations mode', async () => {
    const response = await send({ query: deferredDocument }, 'multipart/mixed');
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('"code":"PERSISTED_QUERY_ID_REQUIRED"');
    expect(persisted.braze.calls).toEqual([]);
  });

  it('by documentId without a streaming Accept: INCREMENTAL_DELIVERY_NOT_ACCEPTED, no upstream call', async () => {
    const response = await send({ documentId: id }, 'application/json');
    expect(response.status).toBe(406);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('INCREMENTAL_DELIVERY_NOT_ACCEPTED');
    expect(persisted.braze.calls).toEqual([]);
  });
});
