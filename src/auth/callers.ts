import type { Accepted } from './authenticator.js';

/**
 * Who sent each authenticated request: the one caller identity for everything keyed on a caller (the
 * whole-response cache shares a response only between equal keys; the live per-client cap counts by
 * it). Built from what the credential check accepted, never from the header's bytes, so a respelled
 * header (`bearer`, `BEARER`, extra spaces) is the same caller and cannot pass for another. Kept per
 * Request object, so nothing outlives the request here.
 */
export interface Callers {
  /** Called by the auth plugin once the credential checked out. */
  remember(request: Request, accepted: Accepted): void;
  /** The caller's key; undefined when the request was not authenticated (then nothing is shared with it). */
  keyOf(request: Request): string | undefined;
}

export function createCallers(): Callers {
  const keys = new WeakMap<Request, string>();
  return {
    remember(request, accepted) {
      keys.set(request, callerKey(accepted));
    },
    keyOf: (request) => keys.get(request),
  };
}

/**
 * A static token is its own caller (by position in AUTH_TOKENS, never its text). A JWT is keyed by the
 * digest of the token the check verified, not by its subject: two tokens of one subject may carry
 * different claims, and a token without `sub` names no one, so only the very same credential shares.
 */
export function callerKey(accepted: Accepted): string {
  if (accepted.kind === 'token') return `token:${accepted.index}`;
  return `jwt:${accepted.credentialDigest}`;
}
