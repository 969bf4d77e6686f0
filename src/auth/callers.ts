import { createHash } from 'node:crypto';
import type { Principal } from './authenticator.js';

/**
 * Who sent each authenticated request, as a key for what may be shared between requests (the whole-
 * response cache): two requests share a cached response only when their keys are equal. Kept per
 * Request object, so nothing outlives the request here.
 */
export interface Callers {
  /** Called by the auth plugin once the credential checked out. */
  remember(request: Request, principal: Principal, authorization: string): void;
  /** The caller's key; undefined when the request was not authenticated (then nothing is shared with it). */
  keyOf(request: Request): string | undefined;
}

export function createCallers(): Callers {
  const keys = new WeakMap<Request, string>();
  return {
    remember(request, principal, authorization) {
      keys.set(request, callerKey(principal, authorization));
    },
    keyOf: (request) => keys.get(request),
  };
}

/**
 * A static token is its own caller (by position in AUTH_TOKENS, never its text). A JWT is keyed by a
 * digest of the presented token itself, not by its subject: two tokens of one subject may carry
 * different claims, and a token without `sub` names no one, so only the very same credential shares.
 */
export function callerKey(principal: Principal, authorization: string): string {
  if (principal.kind === 'token') return `token:${principal.index}`;
  return `jwt:${createHash('sha256').update(authorization, 'utf8').digest('base64url')}`;
}
