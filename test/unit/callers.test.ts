import { describe, expect, it } from 'vitest';
import { callerKey, createCallers } from '../../src/auth/callers.js';

describe('caller keys (what may share a cached response)', () => {
  it('a static token is keyed by its position, never its text', () => {
    expect(callerKey({ kind: 'token', index: 1 }, 'Bearer tok-secret-0123456789')).toBe('token:1');
    expect(callerKey({ kind: 'token', index: 1 }, 'Bearer tok-secret-0123456789')).not.toContain('secret');
  });

  it('two JWTs of one subject are different callers; the same JWT is the same caller', () => {
    const a = callerKey({ kind: 'jwt', subject: 'user-1' }, 'Bearer a.b.c');
    const b = callerKey({ kind: 'jwt', subject: 'user-1' }, 'Bearer a.b.d');
    expect(a).not.toBe(b);
    expect(callerKey({ kind: 'jwt', subject: 'user-1' }, 'Bearer a.b.c')).toBe(a);
    expect(callerKey({ kind: 'jwt', subject: undefined }, 'Bearer x.y.z')).not.toBe(callerKey({ kind: 'jwt', subject: undefined }, 'Bearer x.y.w'));
  });

  it('a request nobody authenticated has no key', () => {
    const callers = createCallers();
    const seen = new Request('http://localhost/graphql');
    callers.remember(seen, { kind: 'token', index: 0 }, 'Bearer tok');
    expect(callers.keyOf(seen)).toBe('token:0');
    expect(callers.keyOf(new Request('http://localhost/graphql'))).toBeUndefined();
  });
});
