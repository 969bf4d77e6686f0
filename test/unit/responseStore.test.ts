import { describe, expect, it } from 'vitest';
import { createResponseStore } from '../../src/cache/responseStore.js';

const json = (data: object): string => JSON.stringify(data);
/** A result whose data's JSON is exactly `length` characters. */
const resultOf = (length: number) => ({ data: { s: 'x'.repeat(length - 8) } });

describe('the whole-response store', () => {
  it('keeps responses within its bytes (512 + 2 × the JSON each), dropping the least recently used', async () => {
    // Room for two entries of 1,000 characters (2 × 2,512 bytes) but not three.
    const store = createResponseStore({ maxEntries: 100, maxBytes: 6_000, dataJson: json });
    await store.set('a', resultOf(1_000), [], 60_000);
    await store.set('b', resultOf(1_000), [], 60_000);
    expect(await store.get('a')).toBeDefined();
    await store.set('c', resultOf(1_000), [], 60_000);
    expect(await store.get('b')).toBeUndefined();
    expect(await store.get('a')).toBeDefined();
    expect(await store.get('c')).toBeDefined();
  });

  it('does not keep a response larger than all its bytes, nor one with no time to live', async () => {
    const store = createResponseStore({ maxEntries: 100, maxBytes: 6_000, dataJson: json });
    await store.set('big', resultOf(3_000), [], 60_000);
    await store.set('zero', resultOf(10), [], 0);
    await store.set('forever', resultOf(10), [], Number.POSITIVE_INFINITY);
    expect(await store.get('big')).toBeUndefined();
    expect(await store.get('zero')).toBeUndefined();
    expect(await store.get('forever')).toBeUndefined();
  });

  it('keeps at most maxEntries', async () => {
    const store = createResponseStore({ maxEntries: 2, maxBytes: 1_000_000, dataJson: json });
    for (const id of ['a', 'b', 'c']) await store.set(id, resultOf(10), [], 60_000);
    expect(await store.get('a')).toBeUndefined();
    expect(await store.get('c')).toBeDefined();
  });
});
