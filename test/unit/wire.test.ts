import { describe, expect, it } from 'vitest';
import { decode, encode } from '../../src/cache/wire.js';
import type { CallCodec } from '../../src/data/cache.js';

describe('the wire form binds an answer to its key', () => {
  // The body is the number's text; what reads it back refuses a negative one (as a parser would).
  const codec: CallCodec<number> = {
    encode: ({ answer }) => String(answer),
    decode: (value) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined),
  };
  const now = Date.parse('2024-03-10T00:00:00Z');
  const value = { answer: 7, fetchedAt: new Date(now - 1_000) };

  it('writes nothing for an answer without a body', () => {
    expect(encode('k', value, { ...codec, encode: () => undefined })).toBeUndefined();
  });

  it("reads back its own key's answer, and nothing for another key", () => {
    const text = encode('k1', value, codec) ?? '';
    expect(decode(text, 'k1', codec, now, 1_000)).toEqual({ kind: 'answer', value });
    expect(decode(text, 'k2', codec, now, 1_000)).toEqual({ kind: 'rejected', why: 'written for another key' });
  });

  it('refuses what the codec refuses, a future fetch time, text too long; tells nonsense and older versions apart', () => {
    expect(decode(JSON.stringify({ k: 'k', f: now, b: '-5' }), 'k', codec, now, 1_000)).toMatchObject({ kind: 'rejected' });
    expect(decode(JSON.stringify({ k: 'k', f: now + 86_400_000, b: '1' }), 'k', codec, now, 1_000)).toMatchObject({ kind: 'rejected' });
    expect(decode(JSON.stringify({ k: 'k', f: 1e300, b: '1' }), 'k', codec, now, 1_000)).toMatchObject({ kind: 'rejected' });
    expect(decode((encode('k', value, codec) ?? '').padEnd(2_000), 'k', codec, now, 1_000)).toMatchObject({ kind: 'rejected' });
    expect(decode(JSON.stringify({ f: now, b: '1' }), 'k', codec, now, 1_000)).toEqual({ kind: 'older' });
    // Before values were Braze's body: the answer itself under `a`.
    expect(decode(JSON.stringify({ k: 'k', f: now, a: 1 }), 'k', codec, now, 1_000)).toEqual({ kind: 'older' });
    for (const nonsense of ['OK', '1', '[1]', '"k"', 'null', '{"k":1,"f":2}']) expect(decode(nonsense, 'k', codec, now, 1_000)).toEqual({ kind: 'foreign' });
  });
});
