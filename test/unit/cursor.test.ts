import { describe, expect, it } from 'vitest';
import { MAX_FIRST, MAX_LIST_OFFSET, toListWindow } from '../../src/schema/arguments.js';
import { decodeCursor, encodeCursor } from '../../src/schema/cursor.js';

describe('cursors', () => {
  it('are base64 of the absolute offset, and round-trip', () => {
    expect(encodeCursor(240)).toBe(Buffer.from('offset:240').toString('base64'));
    for (const offset of [0, 1, 249, 250, 99_999, 123_456_789]) expect(decodeCursor(encodeCursor(offset))).toBe(offset);
  });

  it('anything this gateway did not write is no cursor', () => {
    const b64 = (text: string): string => Buffer.from(text).toString('base64');
    for (const cursor of ['', 'abc', '240', b64('240'), b64('offset:'), b64('offset:-1'), b64('offset:01'), b64('offset:1.5'), b64('offset:1 '), b64('cursor:1'), `${encodeCursor(5)}=`, 'b2Zmc2V0OjU', 'x'.repeat(100)]) {
      expect(decodeCursor(cursor), cursor).toBeUndefined();
    }
  });
});

describe('toListWindow', () => {
  it('defaults to the first 50, starts after the cursor', () => {
    expect(toListWindow({})).toEqual({ offset: 0, limit: 50 });
    expect(toListWindow({ first: 300 > MAX_FIRST ? MAX_FIRST : 300, after: encodeCursor(239) })).toEqual({ offset: 240, limit: 250 });
  });

  it('refuses first outside 1..250 and a malformed or too distant cursor, naming the argument', () => {
    for (const first of [0, -1, MAX_FIRST + 1]) {
      expect(() => toListWindow({ first })).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', argumentName: 'first' }));
    }
    for (const after of ['nope', encodeCursor(MAX_LIST_OFFSET)]) {
      expect(() => toListWindow({ after })).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', argumentName: 'after' }));
    }
  });
});
