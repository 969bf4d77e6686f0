import type { Plugin } from 'graphql-yoga';
import type { Accepted, Authenticate } from '../auth/authenticator.js';
import type { Callers } from '../auth/callers.js';
import { UnauthenticatedError } from '../errors/gatewayErrors.js';
import type { Logger } from '../observability/logger.js';

export interface AuthOptions {
  /** Checks the `Authorization` header (src/auth/authenticator.ts). */
  authenticate: Authenticate;
  logger: Logger;
  /** Told who each accepted request is (the caller identity the response cache and the live cap key on). Default: none. */
  callers?: Callers | undefined;
}

/**
 * Every GraphQL request (POST or GET on the GraphQL endpoint) needs a credential; without one it gets
 * 401, `WWW-Authenticate: Bearer` and an UNAUTHENTICATED error, before its body is read or any
 * upstream call is made. It hooks `onRequestParse`, which yoga runs only for GraphQL requests: the
 * GraphiQL page, /health, /healthz, /ready, /metrics and CORS preflights are answered earlier, so
 * they stay open. Default: not installed; the gateway adds it when auth is configured.
 */
export function useAuth({ authenticate, logger, callers }: AuthOptions): Plugin {
  return {
    async onRequestParse({ request }) {
      try {
        const accepted = await authenticate(request.headers.get('authorization'));
        logger.debug('authenticated', { principal: principalOf(accepted) });
        callers?.remember(request, accepted);
      } catch (error) {
        // The reason (expired, wrong audience, unknown token) is for operators; the credential never is.
        if (error instanceof UnauthenticatedError) logger.info('request refused: unauthenticated', { reason: error.reason });
        throw error;
      }
    },
  };
}

/** Who, for the log: the token's place or the JWT's subject, never the credential nor its digest. */
function principalOf(accepted: Accepted): Record<string, unknown> {
  return accepted.kind === 'token' ? { kind: 'token', index: accepted.index } : { kind: 'jwt', subject: accepted.subject };
}
