import type { BrazeConfig } from './braze.js';
import { isLoopbackUrl } from './loopback.js';
import { boolean, isQuoted, list, string, type VariableReader, type VariableTable } from './read.js';
import type { AuthConfig, JwtConfig } from '../auth/authenticator.js';
export type { AuthConfig, JwtConfig } from '../auth/authenticator.js';

/** Shortest static token accepted: a guessable token would make the check pointless. */
export const MIN_TOKEN_LENGTH = 16;
/** HS256 wants a key at least as long as its hash (RFC 7518 §3.2). */
export const MIN_JWT_SECRET_LENGTH = 32;

interface AuthSettings {
  readonly disabled: boolean;
  readonly tokens: readonly string[] | undefined;
  readonly jwksUrl: string | undefined;
  readonly secret: string | undefined;
  readonly issuer: string | undefined;
  readonly audience: string | undefined;
  readonly requireExp: boolean;
}

/** Every auth variable refuses blanks, so a template that expanded to nothing cannot open the gateway. */
export const AUTH_VARIABLES: VariableTable<AuthSettings> = {
  disabled: boolean('AUTH_DISABLED', false, { refuseBlank: true }),
  // Secrets, and what is compared with what clients send: a quote is never part of them.
  tokens: list('AUTH_TOKENS', { refuseBlank: true, refuseQuoted: true }),
  jwksUrl: string('AUTH_JWKS_URL', { refuseBlank: true }),
  secret: string('AUTH_JWT_SECRET', { refuseBlank: true, refuseQuoted: true }),
  issuer: string('AUTH_JWT_ISSUER', { refuseBlank: true, refuseQuoted: true }),
  audience: string('AUTH_JWT_AUDIENCE', { refuseBlank: true, refuseQuoted: true }),
  requireExp: boolean('AUTH_JWT_REQUIRE_EXP', true, { refuseBlank: true }),
};

export function readAuth(vars: VariableReader, brazeMode: BrazeConfig['mode'] | undefined): AuthConfig {
  const settings = vars.readAll(AUTH_VARIABLES);
  const { disabled, jwksUrl, secret, issuer, audience, requireExp } = settings;
  const tokens = checkTokens(vars, settings.tokens);

  let key: JwtConfig['key'] | undefined;
  if (jwksUrl !== undefined && secret !== undefined) {
    vars.report('set AUTH_JWKS_URL or AUTH_JWT_SECRET, not both');
  } else if (jwksUrl !== undefined) {
    const url = parseJwksUrl(jwksUrl);
    if (url === undefined) vars.report(`AUTH_JWKS_URL must be an https URL (http only for loopback) (got "${jwksUrl}")`);
    else key = { jwksUrl: url };
  } else if (secret !== undefined) {
    if (secret.length < MIN_JWT_SECRET_LENGTH) vars.report(`AUTH_JWT_SECRET must be at least ${MIN_JWT_SECRET_LENGTH} characters`);
    else key = { secret };
  }
  if ((issuer !== undefined || audience !== undefined || vars.isSet(AUTH_VARIABLES.requireExp)) && jwksUrl === undefined && secret === undefined) {
    vars.report('AUTH_JWT_ISSUER, AUTH_JWT_AUDIENCE and AUTH_JWT_REQUIRE_EXP need AUTH_JWKS_URL or AUTH_JWT_SECRET');
  }
  const named = Object.values(AUTH_VARIABLES).filter((variable) => variable !== AUTH_VARIABLES.disabled && vars.isSet(variable));
  if (disabled && named.length > 0) {
    vars.report(`AUTH_DISABLED=true contradicts ${named.map((variable) => variable.name).join(', ')}: choose one`);
  }
  // What decides whether the gateway is open is the credentials that survived parsing, not whether a
  // variable was set: AUTH_TOKENS="," names a variable and yields no token.
  const usable = tokens.length > 0 || key !== undefined;
  if (brazeMode === 'live' && !disabled && !usable) {
    // Anyone who can reach the port would otherwise spend the workspace's rate limit and read its data.
    vars.report(
      'BRAZE_API_KEY is set, so GraphQL requests need a credential: set AUTH_TOKENS, AUTH_JWKS_URL or AUTH_JWT_SECRET (or AUTH_DISABLED=true to serve without one)',
    );
  }
  return Object.freeze({
    disabled,
    tokens: Object.freeze(tokens),
    jwt: key === undefined ? undefined : Object.freeze({ key: Object.freeze(key), issuer, audience, requireExp }),
  });
}

/** True when GraphQL requests must carry a credential. */
export function authRequired(auth: AuthConfig): boolean {
  return !auth.disabled && (auth.tokens.length > 0 || auth.jwt !== undefined);
}

/** The usable tokens. Token values are secrets: problems name their position, never their text. */
function checkTokens(vars: VariableReader, entries: readonly string[] | undefined): string[] {
  if (entries === undefined) return [];
  const tokens = entries.filter((token) => token !== '');
  if (tokens.length === 0) {
    vars.report('AUTH_TOKENS is set but lists no token (only commas and white space)');
    return tokens;
  }
  entries.forEach((token, index) => {
    // "${A},${B}" with B unset: the operator meant two tokens and one is missing.
    if (token === '') vars.report(`AUTH_TOKENS entry ${index + 1} is empty`);
    else if (isQuoted(token)) vars.report(`AUTH_TOKENS entry ${index + 1} begins or ends with a quote: quotes would be part of the token; remove them`);
    else if (token.length < MIN_TOKEN_LENGTH || /\s/.test(token)) {
      vars.report(`AUTH_TOKENS entry ${index + 1} must be at least ${MIN_TOKEN_LENGTH} characters without white space`);
    } else if (!/^[\x21-\x7e]+$/.test(token)) {
      // A client sends it in an Authorization header, which carries printable ASCII only.
      vars.report(`AUTH_TOKENS entry ${index + 1} must be printable ASCII: clients send it in an HTTP header`);
    }
  });
  return tokens;
}

/** An absolute https URL, or http on a loopback address; undefined otherwise. */
function parseJwksUrl(value: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackUrl(url))) return url;
  return undefined;
}
