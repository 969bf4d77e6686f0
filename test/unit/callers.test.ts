import { describe, expect, it } from 'vitest';
import type { Accepted } from '../../src/auth/authenticator.js';
import { callerKey, createCallers } from '../../src/auth/callers.js';

const token = (index: number, credentialDigest = `digest-of-token-${index}`): Accepted => ({ kind: 'token', index, credentialDigest });
const jwt = (subject: string | undefined, credentialDigest: string): Accepted => ({ kind: 'jwt', subject, credentialDigest });

describe('caller keys (what may share a cached response, what the live cap counts)', () => {
  it('a static token is keyed by its position, never its text or digest', () => {
    expect(callerKey(token(1))).toBe('token:1');
    expect(callerKey(token(1, 'another-digest'))).toBe('token:1');
  });

  it('two JWTs of one subject are different callers; the same JWT (its digest) is the same caller', () => {
    const a = callerKey(jwt('user-1', 'digest-a'));
    expect(a).not.toBe(callerKey(jwt('user-1', 'digest-b')));
    expect(callerKey(jwt('user-1', 'digest-a'))).toBe(a);
    expect(callerKey(jwt(undefined, 'digest-x'))).not.toBe(callerKey(jwt(undefined, 'digest-y')));
  });

  it('a request nobody authenticated has no key', () => {
    const callers = createCallers();
    const seen = new Request('http://localhost/graphql');
    callers.remember(seen, token(0));
    expect(callers.keyOf(seen)).toBe('token:0');
    expect(callers.keyOf(new Request('http://localhost/graphql'))).toBeUndefined();
  });
});
