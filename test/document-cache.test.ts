import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  BYTES_PER_CHARACTER,
  BYTES_PER_ERROR,
  BYTES_PER_NAME_TOKEN,
  BYTES_PER_SELECTION_SET,
  BYTES_PER_TOKEN,
  countTokens,
  createDocumentCache,
  estimateDocumentBytes,
} from '../src/yoga/documentCache.js';
import { type TestGateway, startGatewayWithFakeBraze, stopGatewayWithFakeBraze, useGatewayWithFakeBraze } from './helpers/gateway.js';
import { sampleValue } from './helpers/prometheus.js';

const AT = '2024-03-10T12:00:00Z';

/** A distinct one-chart document; `padding` lengthens its alias (more text, same tokens). */
function chart(name: string, padding = 0): string {
  return `query ${name} { c${'x'.repeat(padding)}: eventSeries(event: "purchase", length: 3, endingAt: "${AT}") { total } }`;
}

/** The estimate the gateway makes of a document, from its text (the same pure function, no gateway state). */
const estimate = (text: string): number => estimateDocumentBytes(text, parse(text));

describe('estimating what a parsed document holds', () => {
  it('counts every token from start to end of file, comments included', () => {
    // <SOF> { a } <EOF>
    expect(countTokens(parse('{ a }'))).toBe(5);
    expect(countTokens(parse('# why\n{ a }'))).toBe(6);
    expect(countTokens(parse('{ a }', { noLocation: true }))).toBe(0);
  });

  it('is per token (names cost more, each selection set more again) + characters × BYTES_PER_CHARACTER', () => {
    // <SOF> { a } <EOF>: four tokens, one name, one selection set.
    const tokens = 4 * BYTES_PER_TOKEN + BYTES_PER_NAME_TOKEN + BYTES_PER_SELECTION_SET;
    expect(estimateDocumentBytes('{ a }', parse('{ a }'))).toBe(tokens + 5 * BYTES_PER_CHARACTER);
    const long = `{ ${'a'.repeat(1000)} }`;
    expect(estimateDocumentBytes(long, parse(long))).toBe(tokens + 1004 * BYTES_PER_CHARACTER);
  });
});

describe('the estimate against what V8 keeps (measured by `npm run bench:memory -- kinds`, Node 20)', () => {
  // Measured per document, beside its text: 1,014,738 bytes for 1,995 one-token fields, 873,591 for a
  // default value of 14,000 \u20ac escapes (never read, so kept as built), 1,025,658 for 30,000 \n.
  it.each([
    ['1,995 one-token fields', `{ ${Array.from({ length: 1995 }, (_, i) => `u${i}`).join(' ')} }`, 1_014_738],
    ['14,000 \\u20ac escapes in a default never read', `query($e: String = "${'\\u20ac'.repeat(14_000)}") { s: eventSeries(event: $e, length: 1) { total } }`, 873_591],
    ['30,000 \\n escapes in a default never read', `query($e: String = "${'\\n'.repeat(30_000)}") { s: eventSeries(event: $e, length: 1) { total } }`, 1_025_658],
  ])('%s: at least what is kept', (_name, text, kept) => {
    expect(estimate(text) - text.length * BYTES_PER_CHARACTER).toBeGreaterThanOrEqual(kept);
  });

  it('a block string counts its value (a copy of its text) beside the text', () => {
    const text = `query($e: String = """${'€'.repeat(40_000)}""") { s: eventSeries(event: $e, length: 1) { total } }`;
    // Kept: 86,335 bytes beside the text (80,000 of them the value).
    expect(estimate(text) - text.length * BYTES_PER_CHARACTER).toBeGreaterThanOrEqual(86_335);
  });
});

describe('the byte-bounded cache (unit)', () => {
  function observed() {
    const seen = { hits: 0, misses: 0, tooLarge: 0 };
    return {
      seen,
      observer: {
        documentLookup: (hit: boolean) => void (hit ? seen.hits++ : seen.misses++),
        documentTooLarge: () => void seen.tooLarge++,
      },
    };
  }
  const a = '{ a }';
  const b = '{ b }';
  const c = '{ c }';
  const size = estimate(a); // the same for a, b and c

  it('keeps documents until their estimated bytes would pass maxBytes, then drops the least recently used', () => {
    const { seen, observer } = observed();
    const cache = createDocumentCache({ maxBytes: 2 * size, maxDocumentBytes: 2 * size, observer });
    expect(cache.documentCache.get(a)).toBeUndefined();
    cache.documentCache.set(a, parse(a));
    cache.documentCache.set(b, parse(b));
    expect(cache.bytes).toBe(2 * size);
    expect(cache.documentCache.get(a)?.kind).toBe('Document'); // a is now the most recently used
    cache.documentCache.set(c, parse(c));
    expect(cache.bytes).toBe(2 * size);
    expect(cache.entries).toBe(2);
    expect(cache.documentCache.get(b)).toBeUndefined();
    expect(cache.documentCache.get(a)).toBeDefined();
    expect(cache.documentCache.get(c)).toBeDefined();
    expect(seen).toEqual({ hits: 3, misses: 2, tooLarge: 0 });
  });

  it('never keeps a document estimated above maxDocumentBytes, and says so', () => {
    const { seen, observer } = observed();
    const cache = createDocumentCache({ maxBytes: 100 * size, maxDocumentBytes: size, observer });
    const big = '{ a b }';
    cache.documentCache.set(big, parse(big));
    cache.documentCache.set(a, parse(a));
    expect(cache.documentCache.get(big)).toBeUndefined();
    expect(cache.bytes).toBe(size);
    expect(seen.tooLarge).toBe(1);
  });

  it('keeps parse failures in the same budget; a cached failure counts as a hit', () => {
    const { seen, observer } = observed();
    const cache = createDocumentCache({ maxBytes: 1024 * 1024, maxDocumentBytes: 1024 * 1024, observer });
    const broken = '{ a';
    const failure = new Error('Syntax Error');
    cache.errorCache.set(broken, failure);
    expect(cache.bytes).toBe(broken.length * BYTES_PER_CHARACTER + BYTES_PER_ERROR);
    expect(cache.documentCache.get(broken)).toBeUndefined();
    expect(cache.errorCache.get(broken)).toBe(failure);
    expect(cache.errorCache.get(a)).toBeUndefined();
    expect(seen).toEqual({ hits: 1, misses: 0, tooLarge: 0 });
  });
});


interface CacheReading {
  hits: number | undefined;
  misses: number | undefined;
  tooLarge: number | undefined;
  bytes: number | undefined;
}

async function reading(target: TestGateway): Promise<CacheReading> {
  const text = await (await fetch(new URL('/metrics', target.url))).text();
  return {
    hits: sampleValue(text, 'braze_gateway_document_cache_lookups_total', { result: 'hit' }),
    misses: sampleValue(text, 'braze_gateway_document_cache_lookups_total', { result: 'miss' }),
    tooLarge: sampleValue(text, 'braze_gateway_document_cache_too_large_total'),
    bytes: sampleValue(text, 'braze_gateway_document_cache_bytes'),
  };
}

describe('the parsed-document cache over HTTP', () => {
  const { braze, gateway } = useGatewayWithFakeBraze();

  it('a repeated document is parsed once and then served from the cache, with the same answer', async () => {
    const document = chart('Repeated');
    const before = await reading(gateway);
    const first = await gateway.query(document);
    const second = await gateway.query(document);
    const third = await gateway.query(document);
    expect(first.errors).toEqual([]);
    expect(second.body).toBe(first.body);
    expect(third.body).toBe(first.body);
    expect(braze.seriesCalls).toHaveLength(3); // the series cache is off in tests: the document cache saves parsing only
    const after = await reading(gateway);
    expect(after.misses! - before.misses!).toBe(1);
    expect(after.hits! - before.hits!).toBe(2);
    expect(after.bytes! - before.bytes!).toBe(estimate(document));
  });

  it('a document that fails validation is not kept: its cached errors would cost three times it', async () => {
    // 100 unknown fields: 100 validation errors (graphql-js stops there), each with its stack.
    const document = `{ ${Array.from({ length: 100 }, (_, i) => `unknown${i}`).join(' ')} }`;
    const before = await reading(gateway);
    const first = await gateway.query(document);
    const second = await gateway.query(document);
    expect(first.status).toBe(400);
    expect(first.errors).toHaveLength(100);
    expect(second.errors).toEqual(first.errors);
    const after = await reading(gateway);
    expect(after.misses! - before.misses!).toBe(2);
    expect(after.hits).toBe(before.hits);
    expect(after.bytes).toBe(before.bytes);
    expect(braze.seriesCalls).toHaveLength(0);
  });

  it('a document refused while parsing stays refused, with its code, when answered from the cache', async () => {
    const document = `{ ${'__typename '.repeat(2_001)}}`; // over QUERY_MAX_TOKENS: refused by the parser
    const before = await reading(gateway);
    const first = await gateway.query(document);
    const second = await gateway.query(document);
    expect(first.status).toBe(400);
    expect(first.errors[0]?.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 'maxTokens' });
    expect(second.status).toBe(first.status);
    expect(second.errors).toEqual(first.errors);
    expect(braze.seriesCalls).toHaveLength(0);
    const after = await reading(gateway);
    expect(after.misses! - before.misses!).toBe(1);
    expect(after.hits! - before.hits!).toBe(1);
  });
});

describe('DOCUMENT_CACHE_MAX_BYTES and DOCUMENT_CACHE_MAX_DOCUMENT_BYTES over HTTP', () => {
  // Budget for exactly three of the small documents below; the padded one is above the per-document cap.
  const small = (n: number) => chart(`Small${n}`);
  const budget = 3 * estimate(small(1));
  const { gateway } = useGatewayWithFakeBraze({
    DOCUMENT_CACHE_MAX_BYTES: String(budget),
    DOCUMENT_CACHE_MAX_DOCUMENT_BYTES: String(estimate(small(1)) + 100),
  });

  it('holds no more than the budget: the least recently used document is parsed again', async () => {
    for (const n of [1, 2, 3]) expect((await gateway.query(small(n))).errors).toEqual([]);
    expect(await reading(gateway)).toEqual({ hits: 0, misses: 3, tooLarge: 0, bytes: budget });
    await gateway.query(small(4)); // the budget is full: Small1, the least recently used, goes
    expect((await reading(gateway)).bytes).toBe(budget);
    await gateway.query(small(2)); // still kept: a hit
    await gateway.query(small(1)); // gone: parsed again
    expect(await reading(gateway)).toEqual({ hits: 1, misses: 5, tooLarge: 0, bytes: budget });
  });

  it('never keeps a document above the per-document cap, and still answers it', async () => {
    const before = await reading(gateway);
    const big = chart('Big', 200);
    for (let i = 0; i < 2; i++) {
      const result = await gateway.query(big);
      expect(result.errors).toEqual([]);
      expect(result.data).toEqual({ ['c' + 'x'.repeat(200)]: { total: 6 } });
    }
    const after = await reading(gateway);
    expect(after.misses! - before.misses!).toBe(2);
    expect(after.hits).toBe(before.hits);
    expect(after.tooLarge! - before.tooLarge!).toBe(2);
    expect(after.bytes).toBe(before.bytes);
  });
});

describe('DOCUMENT_CACHE_MAX_BYTES=0', () => {
  it('turns the cache off: every document is parsed, none is counted or kept', async () => {
    const { braze, gateway } = await startGatewayWithFakeBraze({ DOCUMENT_CACHE_MAX_BYTES: '0' });
    try {
      const document = chart('Uncached');
      const first = await gateway.query(document);
      const second = await gateway.query(document);
      expect(first.errors).toEqual([]);
      expect(second.body).toBe(first.body);
      expect(await reading(gateway)).toEqual({ hits: 0, misses: 0, tooLarge: 0, bytes: 0 });
    } finally {
      await stopGatewayWithFakeBraze({ braze, gateway });
    }
  });
});
