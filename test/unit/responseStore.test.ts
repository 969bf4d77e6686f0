import { describe, expect, it } from 'vitest';
import { createResponseStore, storedDataJson } from '../../src/cache/responseStore.js';
import { parsedJsonBytes, stringBytes } from '../../src/cache/heapBytes.js';

/** A result whose data is one string of `length` Latin-1 characters. */
const resultOf = (length: number) => ({ data: { s: 'x'.repeat(length) } });

/** The response: 49 aliases of a 1,000-point series whose points select nothing (`count @skip(if: true)`). */
const emptyPoints = (n: number) => ({
  data: Object.fromEntries(Array.from({ length: 49 }, (_, alias) => [`a${alias}_${n}`, { points: Array.from({ length: 1_000 }, () => ({})) }])),
});

describe('the whole-response store', () => {
  it('keeps responses within its bytes, dropping the least recently used', async () => {
    const probe = createResponseStore({ maxEntries: 100, maxBytes: 1_000_000 });
    await probe.set('a', resultOf(10_000), [], 60_000);
    const one = probe.bytes;
    // Room for two entries but not three.
    const store = createResponseStore({ maxEntries: 100, maxBytes: Math.floor(2.5 * one) });
    await store.set('a', resultOf(10_000), [], 60_000);
    await store.set('b', resultOf(10_000), [], 60_000);
    expect(await store.get('a')).toBeDefined();
    await store.set('c', resultOf(10_000), [], 60_000);
    expect(await store.get('b')).toBeUndefined();
    expect(await store.get('a')).toBeDefined();
    expect(await store.get('c')).toBeDefined();
    expect(store.bytes).toBe(2 * one);
  });

  it('does not keep a response larger than all its bytes, nor one with no time to live', async () => {
    const store = createResponseStore({ maxEntries: 100, maxBytes: 64 * 1024 });
    await store.set('big', resultOf(64 * 1024), [], 60_000);
    await store.set('zero', resultOf(10), [], 0);
    await store.set('forever', resultOf(10), [], Number.POSITIVE_INFINITY);
    expect(await store.get('big')).toBeUndefined();
    expect(await store.get('zero')).toBeUndefined();
    expect(await store.get('forever')).toBeUndefined();
    expect(store.entries).toBe(0);
  });

  it('a newer response too large to keep drops the older one under its key', async () => {
    const store = createResponseStore({ maxEntries: 100, maxBytes: 64 * 1024 });
    await store.set('k', resultOf(10), [], 60_000);
    await store.set('k', resultOf(64 * 1024), [], 60_000);
    expect(await store.get('k')).toBeUndefined();
  });

  it('keeps at most maxEntries', async () => {
    const store = createResponseStore({ maxEntries: 2, maxBytes: 1_000_000 });
    for (const id of ['a', 'b', 'c']) await store.set(id, resultOf(10), [], 60_000);
    expect(await store.get('a')).toBeUndefined();
    expect(await store.get('c')).toBeDefined();
  });

  it('gives back a copy equal to what was stored as JSON, with that JSON for hits', async () => {
    const store = createResponseStore({ maxEntries: 2, maxBytes: 1_000_000 });
    const data = Object.assign(Object.create(null) as Record<string, unknown>, { a: [{ n: 2 ** 40 }, { s: 'é€' }], b: null });
    await store.set('k', { data, extensions: { http: { headers: { ETag: 'k' } } } }, [], 60_000);
    const kept = await store.get('k');
    expect(kept?.data).not.toBe(data);
    expect(JSON.stringify(kept?.data)).toBe(JSON.stringify(data));
    expect(storedDataJson(kept!.data!)).toBe(JSON.stringify(data));
    expect(kept?.extensions).toEqual({ http: { headers: { ETag: 'k' } } });
  });

  it('counts at least what V8 keeps per node: 56 bytes an empty object, 8 its slot in an array', async () => {
    const store = createResponseStore({ maxEntries: 10, maxBytes: 32 * 1024 * 1024 });
    await store.set('issue', emptyPoints(0), [], 60_000);
    expect(store.bytes).toBeGreaterThanOrEqual(49_000 * (56 + 8));
  });

  it("of the issue's 140 responses of 49 × 1,000 empty objects, keeps no more than 32 MiB of them hold", async () => {
    const maxBytes = 32 * 1024 * 1024;
    const store = createResponseStore({ maxEntries: 1_000, maxBytes });
    for (let n = 0; n < 140; n++) await store.set(`r${n}`, emptyPoints(n), [], 60_000);
    // What one such response holds at least: its 49,000 objects and their slots, and its JSON.
    const held = 49_000 * (56 + 8) + stringBytes(JSON.stringify(emptyPoints(0).data));
    expect(store.entries).toBeGreaterThan(0);
    expect(store.entries * held).toBeLessThanOrEqual(maxBytes);
  });
});

describe('heap bytes of parsed JSON', () => {
  it.each([
    ['{}', 56],
    ['{"a":1}', 24 + 8 + 16],
    ['[]', 48],
    ['[null,true,1]', 48 + 3 * 8],
    ['[1.5]', 48 + 8 + 16],
    ['"0123456789abcdef"', 16 + 16],
    ['"€"', 16 + 8],
  ])('%s: %i bytes', (json, bytes) => {
    expect(parsedJsonBytes(JSON.parse(json))).toBe(bytes);
  });
});
