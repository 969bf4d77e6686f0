import { createHash, timingSafeEqual } from 'node:crypto';
import { errors as joseErrors, jwtVerify, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import { UnauthenticatedError } from '../errors/gatewayErrors.js';
import { JwksUnavailableError, remoteKeySet } from './remoteKeySet.js';

/** Who may send GraphQL requests. Neither tokens nor a JWT key, and not disabled: open (demo mode only). */
export interface AuthConfig {
  /** AUTH_DISABLED=true: no credential is asked for, even with a real key (warned about at start). */
  readonly disabled: boolean;
  /** Static bearer tokens (AUTH_TOKENS). Never logged. */
  readonly tokens: readonly string[];
  readonly jwt: JwtConfig | undefined;
}

/** How a JWT is checked: its signing key (a JWKS URL or an HS256 secret) and the claims required. */
export interface JwtConfig {
  readonly key: { readonly jwksUrl: URL } | { readonly secret: string };
  /** Required `iss`, when set. */
  readonly issuer: string | undefined;
  /** Required `aud` (one of), when set. */
  readonly audience: string | undefined;
  /** Refuse tokens without `exp` (AUTH_JWT_REQUIRE_EXP, default true): a token that never expires cannot be revoked by waiting. */
  readonly requireExp: boolean;
}

/** Who a request acts as: a static token (by its position in AUTH_TOKENS) or a JWT subject. */
export type Principal = { readonly kind: 'token'; readonly index: number } | { readonly kind: 'jwt'; readonly subject: string | undefined };

/**
 * What a header was accepted as: the principal, and a SHA-256 digest (base64url) of the credential as
 * the check read it (the token, without the scheme and spaces), so that one credential is one caller
 * however its header is spelled (`bearer`, extra spaces). A digest, never the token; not for logs.
 */
export type Accepted = Principal & { readonly credentialDigest: string };

/** Checks an `Authorization` header value; throws UnauthenticatedError. */
export type Authenticate = (authorization: string | null) => Promise<Accepted>;

/** Clock skew tolerated on `exp`/`nbf`/`iat` between the token issuer and this host. */
export const JWT_CLOCK_TOLERANCE_SECONDS = 5;

/**
 * Asymmetric algorithms only for keys from a JWKS: an HS* token must never be checked against a
 * public key published for anyone to read (the classic algorithm-confusion attack).
 */
const JWKS_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

export function createAuthenticator(auth: AuthConfig): Authenticate {
  const matchToken = staticTokenMatcher(auth.tokens);
  const verifyJwt = auth.jwt ? jwtVerifier(auth.jwt) : undefined;

  return async (authorization) => {
    const presented = /^Bearer +(\S+) *$/i.exec(authorization ?? '')?.[1];
    if (presented === undefined) {
      throw new UnauthenticatedError(authorization !== null, authorization === null ? 'no credential' : 'not a Bearer credential');
    }
    const credentialDigest = digest(presented).toString('base64url');
    const index = matchToken(presented);
    if (index !== undefined) return { kind: 'token', index, credentialDigest };
    if (verifyJwt && presented.split('.').length === 3) return { ...(await verifyJwt(presented)), credentialDigest };
    throw new UnauthenticatedError(true, 'unknown token');
  };
}

/**
 * Compares SHA-256 digests with timingSafeEqual: fixed length whatever was sent, and every configured
 * token is compared, so timing says neither which token nearly matched nor how long they are.
 */
function staticTokenMatcher(tokens: readonly string[]): (presented: string) => number | undefined {
  const digests = tokens.map(digest);
  return (presented) => {
    const candidate = digest(presented);
    let found: number | undefined;
    digests.forEach((expected, index) => {
      if (timingSafeEqual(candidate, expected) && found === undefined) found = index;
    });
    return found;
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function jwtVerifier(jwt: NonNullable<AuthConfig['jwt']>): (token: string) => Promise<Principal> {
  // The JWKS is fetched on first use, cached, and refetched when a token names an unknown `kid`, within
  // bounds on its time, size, keys and retries (see remoteKeySet).
  const key: Uint8Array | JWTVerifyGetKey =
    'jwksUrl' in jwt.key ? remoteKeySet(jwt.key.jwksUrl) : new TextEncoder().encode(jwt.key.secret);
  const options: JWTVerifyOptions = {
    algorithms: 'jwksUrl' in jwt.key ? JWKS_ALGORITHMS : ['HS256'],
    clockTolerance: JWT_CLOCK_TOLERANCE_SECONDS,
    // jose checks `exp` only when present; a token without one would be good forever.
    ...(jwt.requireExp ? { requiredClaims: ['exp'] } : {}),
    ...(jwt.issuer !== undefined ? { issuer: jwt.issuer } : {}),
    ...(jwt.audience !== undefined ? { audience: jwt.audience } : {}),
  };
  return async (token) => {
    try {
      const { payload } =
        typeof key === 'function' ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options);
      return { kind: 'jwt', subject: payload.sub };
    } catch (error) {
      throw new UnauthenticatedError(true, jwtFailure(error));
    }
  };
}

/** jose's error code (ERR_JWT_EXPIRED, ERR_JWT_CLAIM_VALIDATION_FAILED: "aud", …), for the log. */
function jwtFailure(error: unknown): string {
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `${error.code}: ${error.claim} ${error.reason}`;
  if (error instanceof joseErrors.JOSEError) return error.code;
  if (error instanceof JwksUnavailableError) return `JWKS unavailable: ${error.message}`;
  return error instanceof Error ? error.name : 'unknown';
}
