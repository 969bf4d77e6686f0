import { describe, expect, it } from 'vitest';
import { createRedactor, FRAGMENT_LENGTH, REDACTED, truncate } from '../../src/observability/redact.js';

const KEY = 'k9Qz7xW2mP4vR8tL1nB6yH3jD5fG0sAe';
const redact = createRedactor([KEY]);

/** Every run of `length` characters of `secret`: none may survive redaction. */
function runsOf(secret: string, length: number): string[] {
  return Array.from({ length: secret.length - length + 1 }, (_, start) => secret.slice(start, start + length));
}

describe('createRedactor', () => {
  it('hides the whole key wherever it stands, once per run', () => {
    expect(redact(`bad key ${KEY}!`)).toBe(`bad key ${REDACTED}!`);
    expect(redact(`${KEY}${KEY}`)).toBe(REDACTED);
    expect(redact(`${KEY} and ${KEY}`)).toBe(`${REDACTED} and ${REDACTED}`);
    expect(redact('nothing secret here')).toBe('nothing secret here');
  });

  it('hides any cut-off part of the key of FRAGMENT_LENGTH characters or more, at either end', () => {
    for (let cut = FRAGMENT_LENGTH; cut <= KEY.length; cut++) {
      expect(redact(`…bad key ${KEY.slice(0, cut)}…`)).toBe(`…bad key ${REDACTED}…`);
      expect(redact(`…${KEY.slice(KEY.length - cut)} tail`)).toBe(`…${REDACTED} tail`);
    }
    // Shorter runs are left: 7 characters of a 32-character key say little, and matching them would mangle text.
    expect(redact(KEY.slice(0, FRAGMENT_LENGTH - 1))).toBe(KEY.slice(0, FRAGMENT_LENGTH - 1));
  });

  it('hides the key in base64 and base64url at every byte offset, in hex, and percent- or JSON-escaped', () => {
    for (const prefix of ['', 'a', 'ab', 'abc', 'Bearer ', 'user:']) {
      for (const encoding of ['base64', 'base64url'] as const) {
        const encoded = Buffer.from(`${prefix}${KEY}:tail`).toString(encoding);
        const out = redact(`Authorization: Basic ${encoded}`);
        expect(out).toContain(REDACTED);
        // What remains of the encoded text holds no run of the key's own encoding.
        const keyEncoded = Buffer.from(KEY).toString(encoding);
        for (const run of runsOf(keyEncoded.slice(1, -2), FRAGMENT_LENGTH)) expect(out).not.toContain(run);
      }
    }
    expect(redact(`x ${Buffer.from(KEY).toString('hex')} y`)).toBe(`x ${REDACTED} y`);
    expect(redact(`x ${Buffer.from(KEY).toString('hex').toUpperCase()} y`)).toBe(`x ${REDACTED} y`);
    const odd = 'key/with+odd"chars\\and spaces';
    const redactOdd = createRedactor([odd]);
    expect(redactOdd(`u=${encodeURIComponent(odd)}&`)).toBe(`u=${REDACTED}&`);
    expect(redactOdd(JSON.stringify({ k: odd }))).toBe(`{"k":"${REDACTED}"}`);
  });

  it('a secret shorter than a fragment is matched whole; no secrets: text unchanged', () => {
    expect(createRedactor(['abc'])(' abc ab ')).toBe(` ${REDACTED} ab `);
    expect(createRedactor([])('anything')).toBe('anything');
    expect(createRedactor([''])('anything')).toBe('anything');
  });

  it('redacting before cutting leaves nothing of the key at any cut', () => {
    for (let offset = 150; offset <= 210; offset++) {
      const text = `${'x'.repeat(offset)}${KEY}${'y'.repeat(50)}`;
      const shown = truncate(redact(text), 200);
      for (const run of runsOf(KEY, 4)) expect(shown).not.toContain(run);
    }
  });
});
