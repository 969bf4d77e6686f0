import type { GatewayError } from './errors.js';

/**
 * How graphql-ws ends a subscription, as the errors a panel words (errors.ts). Pure, so it is
 * unit-tested without a browser.
 */

/** The gateway closes a socket with 4401 when no credential came, 4403 when it refused the one that did. */
export const UNAUTHORIZED_CLOSE = 4401;
export const FORBIDDEN_CLOSE = 4403;

interface CloseEventLike {
  readonly code: number;
  readonly reason: string;
}

export function isCloseEvent(value: unknown): value is CloseEventLike {
  return typeof value === 'object' && value !== null && 'code' in value && typeof value.code === 'number' && 'reason' in value;
}

/**
 * graphql-ws ends a subscription with the gateway's GraphQL errors (an `error` message: a cap, bad
 * arguments), with the socket's CloseEvent once its retries are spent, or with an Error. A close code
 * that is not about the credential is kept as `closeCode`: it has no gateway code to word it.
 */
export function liveFailure(error: unknown): readonly GatewayError[] {
  if (Array.isArray(error)) return error as GatewayError[];
  if (isCloseEvent(error)) {
    if (error.code === UNAUTHORIZED_CLOSE) return [{ message: error.reason, extensions: { code: 'UNAUTHENTICATED' } }];
    if (error.code === FORBIDDEN_CLOSE) return [{ message: error.reason, extensions: { code: 'FORBIDDEN' } }];
    return [{ message: `the live connection closed (${error.code} ${error.reason})`, extensions: { closeCode: error.code } }];
  }
  return [{ message: error instanceof Error ? error.message : String(error) }];
}
