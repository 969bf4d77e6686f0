import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { parse } from 'graphql';
import { readDescriptorLimit } from './descriptorLimit.js';

/** Braze's REST endpoint for each instance, from Braze's "API basics" page (there is no US-09). */
export const BRAZE_INSTANCES: Readonly<Record<string, string>> = Object.freeze({
  'US-01': 'https://rest.iad-01.braze.com',
  'US-02': 'https://rest.iad-02.braze.com',
  'US-03': 'https://rest.iad-03.braze.com',
  'US-04': 'https://rest.iad-04.braze.com',
  'US-05': 'https://rest.iad-05.braze.com',
  'US-06': 'https://rest.iad-06.braze.com',
  'US-07': 'https://rest.iad-07.braze.com',
  'US-08': 'https://rest.iad-08.braze.com',
  'US-10': 'https://rest.us-10.braze.com',
  'EU-01': 'https://rest.fra-01.braze.eu',
  'EU-02': 'https://rest.fra-02.braze.eu',
  'AU-01': 'https://rest.au-01.braze.com',
  'ID-01': 'https://rest.id-01.braze.com',
  'JP-01': 'https://rest.jp-01.braze.com',
  'KR-01': 'https://rest.kr-01.braze.com',
});

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Where upstream calls go: a real Braze, or the built-in simulator started at boot. */
export type BrazeConfig =
  | { readonly mode: 'live'; readonly endpoint: URL; readonly apiKey: string }
  | { readonly mode: 'simulated' };

/** How the gateway treats Braze: deadlines, retries, the shared rate-limit bucket, the breaker, caps. */
export interface UpstreamPolicy {
  /** Overall deadline of one upstream call, covering its retries and waits. */
  readonly timeoutMs: number;
  /** Per attempt: TCP/TLS connect. */
  readonly connectTimeoutMs: number;
  /** Per attempt: request sent → response headers. */
  readonly headersTimeoutMs: number;
  /** Per attempt: longest silence between two body chunks. */
  readonly bodyTimeoutMs: number;
  /** Attempts per call, the first included (1 = never retry). */
  readonly maxAttempts: number;
  /** Exponential backoff with full jitter: a random wait in [0, min(max, base·2^(n-1))]. */
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /** A 429 whose x-ratelimit-reset is at most this far away is waited out and retried. */
  readonly rateLimitWaitMs: number;
  /** With the export bucket's `remaining` at or below this, no call of that bucket is made until the reset. */
  readonly rateLimitReserve: number;
  /** The same for the 1,000-an-hour list bucket (/events/list, /purchases/product_list, …). */
  readonly listRateLimitReserve: number;
  /** Consecutive failed attempts (5xx, timeout, connection) that open the breaker; 0 = no breaker. */
  readonly breakerThreshold: number;
  readonly breakerCooldownMs: number;
  /** Distinct upstream calls one GraphQL request may make. */
  readonly maxCallsPerRequest: number;
  /** Concurrent connections to Braze, for the whole process. */
  readonly maxConnections: number;
  /** Larger answers are refused, not buffered. */
  readonly maxBodyBytes: number;
}

/** The cross-request cache of Braze answers. */
export interface CachePolicy {
  readonly enabled: boolean;
  /** How long an answer stays fresh when its window reaches into the last unit (counts still moving). */
  readonly liveTtlMs: number;
  /** How long an answer for a window wholly in the past stays fresh (Braze data can arrive late). */
  readonly pastTtlMs: number;
  /** In-memory bounds (ignored with Redis, which has its own maxmemory policy). */
  readonly maxEntries: number;
  readonly maxBytes: number;
  /** When set, the cache lives in Redis so replicas share it. */
  readonly redisUrl: string | undefined;
  readonly redisKeyPrefix: string;
  /**
   * "Now" for a field that omits `endingAt` is the request's time rounded down to this. 1 s keeps it the
   * request's own time; 60 s lets every request of a minute share cache entries for "the last N days".
   */
  readonly requestTimeGranularityMs: number;
}

/** What one GraphQL request may ask, checked before any upstream call. */
export interface QueryLimits {
  /** Deepest field nesting (introspection excluded). The schema's deepest real path is 4. */
  readonly maxDepth: number;
  /** Aliased fields per document: one per chart of a dashboard. */
  readonly maxAliases: number;
  /** Lexical tokens in the document (counted while parsing, so a huge document stops early). */
  readonly maxTokens: number;
  /** graphql-armor's static cost (objects 2, scalars 1, ×1.5 per level; introspection excluded). */
  readonly maxCost: number;
  readonly maxDirectives: number;
  /** Largest HTTP request body; larger → 413 before it is parsed. */
  readonly maxRequestBodyBytes: number;
}

/**
 * How the HTTP listener treats client connections, so that idle, trickling and abandoned sockets are
 * closed within seconds and cannot use up the process's file descriptors (src/connections.ts).
 */
export interface ServerLimits {
  /** From a connection's first byte (or its opening) to the end of the request's headers. */
  readonly headersTimeoutMs: number;
  /** From the same start to the last byte of the request's body. Not the time to answer it. */
  readonly requestTimeoutMs: number;
  /** An idle keep-alive connection, after a response, is closed this long (plus Node's 1 s) later. */
  readonly keepAliveTimeoutMs: number;
  /**
   * Longest silence while the gateway waits on the client: for its request, for the rest of its body,
   * or for it to read the answer. Never counted while the gateway itself is working on an answer.
   */
  readonly idleTimeoutMs: number;
  /** Open client connections; past it, the oldest one not being answered is closed for the new one. */
  readonly maxConnections: number;
}

/** How a JWT is checked: its signing key (a JWKS URL or an HS256 secret) and the claims required. */
/**
 * Parsed documents kept between requests (yoga's parse/validation cache), bounded by an estimate of
 * the heap they hold: a parsed document costs about 20 to 60 times its text.
 */
export interface DocumentCachePolicy {
  /** Estimated bytes of parsed documents kept in all; 0 turns the cache off (every document is parsed). */
  readonly maxBytes: number;
  /** A document estimated above this is parsed every time, never kept. */
  readonly maxDocumentBytes: number;
}

export interface JwtConfig {
  readonly key: { readonly jwksUrl: URL } | { readonly secret: string };
  /** Required `iss`, when set. */
  readonly issuer: string | undefined;
  /** Required `aud` (one of), when set. */
  readonly audience: string | undefined;
  /** Refuse tokens without `exp` (AUTH_JWT_REQUIRE_EXP, default true): a token that never expires cannot be revoked by waiting. */
  readonly requireExp: boolean;
}

/** Who may send GraphQL requests. Neither tokens nor a JWT key, and not disabled: open (demo mode only). */
export interface AuthConfig {
  /** AUTH_DISABLED=true: no credential is asked for, even with a real key (warned about at start). */
  readonly disabled: boolean;
  /** Static bearer tokens (AUTH_TOKENS). Never logged. */
  readonly tokens: readonly string[];
  readonly jwt: JwtConfig | undefined;
}

export interface Config {
  readonly braze: BrazeConfig;
  readonly cache: CachePolicy;
  readonly auth: AuthConfig;
  /** 0 asks the OS for a free port (tests). */
  readonly port: number;
  /** undefined: Node's default, every interface. */
  readonly host: string | undefined;
  readonly upstream: UpstreamPolicy;
  readonly limits: QueryLimits;
  readonly documentCache: DocumentCachePolicy;
  readonly server: ServerLimits;
  /**
   * PERSISTED_OPERATIONS_FILE's manifest, { id: document }: when set, only these operations run.
   * undefined: any document is accepted.
   */
  readonly persistedOperations: ReadonlyMap<string, string> | undefined;
  /** On SIGTERM, how long in-flight requests may take before their sockets are closed. */
  readonly shutdownGraceMs: number;
  readonly graphiql: boolean;
  readonly introspection: boolean;
  /** Serve Prometheus metrics at /metrics (no GraphQL credential needed). */
  readonly metricsEnabled: boolean;
  /** Browser origins allowed to call the gateway: '*' for any, or an exact list (empty: none). */
  readonly corsOrigins: '*' | readonly string[];
  readonly logLevel: LogLevel;
}

export const DEFAULT_UPSTREAM_POLICY: UpstreamPolicy = Object.freeze({
  timeoutMs: 15_000,
  connectTimeoutMs: 3_000,
  headersTimeoutMs: 10_000,
  bodyTimeoutMs: 10_000,
  maxAttempts: 3,
  retryBaseMs: 250,
  retryMaxMs: 4_000,
  rateLimitWaitMs: 5_000,
  rateLimitReserve: 1_000,
  listRateLimitReserve: 100,
  breakerThreshold: 5,
  breakerCooldownMs: 30_000,
  maxCallsPerRequest: 50,
  maxConnections: 20,
  maxBodyBytes: 1024 * 1024,
});

export const DEFAULT_CACHE_POLICY: CachePolicy = Object.freeze({
  enabled: true,
  liveTtlMs: 60_000,
  pastTtlMs: 15 * 60_000,
  maxEntries: 10_000,
  maxBytes: 64 * 1024 * 1024,
  redisUrl: undefined,
  redisKeyPrefix: 'braze-analytics-gateway:',
  requestTimeGranularityMs: 1_000,
});

/**
 * Room for a 50-chart dashboard (aliases match BRAZE_MAX_CALLS_PER_REQUEST's 50; a fully-argumented
 * chart is about 31 tokens), a federation `_entities` query, and GraphiQL's introspection (about 190
 * tokens); refused beyond.
 */
export const DEFAULT_QUERY_LIMITS: QueryLimits = Object.freeze({
  maxDepth: 6,
  maxAliases: 50,
  maxTokens: 2_000,
  maxCost: 5_000,
  maxDirectives: 50,
  maxRequestBodyBytes: 100 * 1024,
});

/**
 * 64 MiB: about 100 fifty-chart dashboards (a parsed one is estimated at about 800 KB) or thousands
 * of small queries. 2 MiB per document keeps every document the default limits allow (about 1 MB
 * at 2,000 tokens and 100 KiB); larger ones only come with raised QUERY_MAX_TOKENS.
 */
export const DEFAULT_DOCUMENT_CACHE_POLICY: DocumentCachePolicy = Object.freeze({
  maxBytes: 64 * 1024 * 1024,
  maxDocumentBytes: 2 * 1024 * 1024,
});

const DOCUMENT_CACHE_VARIABLES: readonly [string, keyof DocumentCachePolicy, number, number][] = [
  ['DOCUMENT_CACHE_MAX_BYTES', 'maxBytes', 0, 4 * 1024 ** 3],
  ['DOCUMENT_CACHE_MAX_DOCUMENT_BYTES', 'maxDocumentBytes', 1024, 1024 ** 3],
];

const LIMIT_VARIABLES: readonly [string, keyof QueryLimits, number, number][] = [
  ['QUERY_MAX_DEPTH', 'maxDepth', 1, 100],
  ['QUERY_MAX_ALIASES', 'maxAliases', 0, 10_000],
  ['QUERY_MAX_TOKENS', 'maxTokens', 10, 1_000_000],
  ['QUERY_MAX_COST', 'maxCost', 1, 10_000_000],
  ['QUERY_MAX_DIRECTIVES', 'maxDirectives', 0, 10_000],
  ['MAX_REQUEST_BODY_BYTES', 'maxRequestBodyBytes', 1_024, 100 * 1024 * 1024],
];

/**
 * Headers of a GraphQL request are a few hundred bytes: 10 s allows a very slow link. 30 s for the
 * whole request is 3.4 KB/s for the largest body MAX_REQUEST_BODY_BYTES allows by default. Keep-alive
 * is Node's own default. 5 s of silence from a client the gateway is waiting on is several TCP
 * retransmissions. 1,000 connections is far more than a gateway behind a proxy or used by dashboards
 * needs, and is lowered at start to what the descriptor limit leaves room for (see `descriptorReserve`).
 */
export const DEFAULT_SERVER_LIMITS: ServerLimits = Object.freeze({
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  idleTimeoutMs: 5_000,
  maxConnections: 1_000,
});

const SERVER_VARIABLES: readonly [string, keyof ServerLimits, number, number][] = [
  ['SERVER_HEADERS_TIMEOUT_MS', 'headersTimeoutMs', 100, 300_000],
  ['SERVER_REQUEST_TIMEOUT_MS', 'requestTimeoutMs', 100, 3_600_000],
  // 0 would mean "never" to Node: an idle keep-alive connection held forever.
  ['SERVER_KEEP_ALIVE_TIMEOUT_MS', 'keepAliveTimeoutMs', 100, 600_000],
  ['SERVER_IDLE_TIMEOUT_MS', 'idleTimeoutMs', 100, 600_000],
  ['SERVER_MAX_CONNECTIONS', 'maxConnections', 1, 1_000_000],
];

/**
 * Descriptors the process needs besides its client connections: about 40 for Node itself, its
 * standard streams, the listener, Redis and a JWKS fetch, with room to spare; and two per upstream
 * connection (in demo mode the simulator's end of each one is in this process too).
 */
export function descriptorReserve(upstream: Pick<UpstreamPolicy, 'maxConnections'>): number {
  return 64 + 2 * upstream.maxConnections;
}

/** The fewest client connections worth starting with. */
const MIN_USEFUL_CONNECTIONS = 16;

export const DEFAULTS = Object.freeze({
  port: 4000,
  shutdownGraceMs: 10_000,
  graphiql: true,
  introspection: true,
  metricsEnabled: true,
  logLevel: 'info' as LogLevel,
});

/** Env variable, bounds and field of each numeric upstream setting. */
const UPSTREAM_VARIABLES: readonly [string, keyof UpstreamPolicy, number, number][] = [
  ['BRAZE_TIMEOUT_MS', 'timeoutMs', 100, 300_000],
  ['BRAZE_CONNECT_TIMEOUT_MS', 'connectTimeoutMs', 50, 60_000],
  ['BRAZE_HEADERS_TIMEOUT_MS', 'headersTimeoutMs', 50, 300_000],
  ['BRAZE_BODY_TIMEOUT_MS', 'bodyTimeoutMs', 50, 300_000],
  ['BRAZE_MAX_ATTEMPTS', 'maxAttempts', 1, 10],
  ['BRAZE_RETRY_BASE_MS', 'retryBaseMs', 1, 60_000],
  ['BRAZE_RETRY_MAX_MS', 'retryMaxMs', 1, 300_000],
  ['BRAZE_RATE_LIMIT_WAIT_MS', 'rateLimitWaitMs', 0, 300_000],
  ['BRAZE_RATE_LIMIT_RESERVE', 'rateLimitReserve', 0, 10_000_000],
  ['BRAZE_LIST_RATE_LIMIT_RESERVE', 'listRateLimitReserve', 0, 1_000_000],
  ['BRAZE_BREAKER_THRESHOLD', 'breakerThreshold', 0, 1_000],
  ['BRAZE_BREAKER_COOLDOWN_MS', 'breakerCooldownMs', 100, 3_600_000],
  ['BRAZE_MAX_CALLS_PER_REQUEST', 'maxCallsPerRequest', 1, 10_000],
  ['BRAZE_MAX_CONNECTIONS', 'maxConnections', 1, 1_000],
  ['BRAZE_MAX_BODY_BYTES', 'maxBodyBytes', 1_024, 100 * 1024 * 1024],
];

/** Every variable that was wrong, so an operator fixes them all in one go. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** What loadConfig needs to know about the machine it runs on. */
export interface HostFacts {
  /** The process's file descriptor limit; undefined when unknown or unlimited. */
  readonly descriptorLimit: number | undefined;
}

/** Reads the environment once. Throws ConfigError naming every bad variable. */
export function loadConfig(env: Env, host: HostFacts = { descriptorLimit: readDescriptorLimit() }): Config {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const isBlank = (name: string): boolean => env[name] !== undefined && env[name]?.trim() === '';

  const braze = readBraze(read, problems);
  const auth = readAuth(read, isBlank, braze?.mode, problems);
  const port = readInteger(read('PORT'), 'PORT', 0, 65_535, DEFAULTS.port, problems);
  const upstream: Record<keyof UpstreamPolicy, number> = { ...DEFAULT_UPSTREAM_POLICY };
  for (const [name, field, min, max] of UPSTREAM_VARIABLES) {
    upstream[field] = readInteger(read(name), name, min, max, DEFAULT_UPSTREAM_POLICY[field], problems);
  }
  const limits: Record<keyof QueryLimits, number> = { ...DEFAULT_QUERY_LIMITS };
  for (const [name, field, min, max] of LIMIT_VARIABLES) {
    limits[field] = readInteger(read(name), name, min, max, DEFAULT_QUERY_LIMITS[field], problems);
  }
  const documentCache: Record<keyof DocumentCachePolicy, number> = { ...DEFAULT_DOCUMENT_CACHE_POLICY };
  for (const [name, field, min, max] of DOCUMENT_CACHE_VARIABLES) {
    documentCache[field] = readInteger(read(name), name, min, max, DEFAULT_DOCUMENT_CACHE_POLICY[field], problems);
  }
  if (documentCache.maxBytes > 0 && documentCache.maxDocumentBytes > documentCache.maxBytes) {
    problems.push('DOCUMENT_CACHE_MAX_DOCUMENT_BYTES must not exceed DOCUMENT_CACHE_MAX_BYTES (or set DOCUMENT_CACHE_MAX_BYTES=0 to turn the cache off)');
  }
  const server = readServerLimits(read, upstream, host, problems);
  const persistedOperationsFile = read('PERSISTED_OPERATIONS_FILE');
  const persistedOperations = persistedOperationsFile === undefined ? undefined : readManifest(persistedOperationsFile, problems);
  // GraphiQL sends documents of its own, which persisted-operations mode refuses: off unless asked for.
  const graphiql = readBoolean(read('GRAPHIQL_ENABLED'), 'GRAPHIQL_ENABLED', DEFAULTS.graphiql && persistedOperations === undefined, problems);
  if (upstream.retryBaseMs > upstream.retryMaxMs) {
    problems.push('BRAZE_RETRY_BASE_MS must not exceed BRAZE_RETRY_MAX_MS');
  }
  const cache = readCache(read, problems);
  const shutdownGraceMs = readInteger(
    read('SHUTDOWN_GRACE_MS'),
    'SHUTDOWN_GRACE_MS',
    0,
    600_000,
    DEFAULTS.shutdownGraceMs,
    problems,
  );

  const introspection = readBoolean(
    read('INTROSPECTION_ENABLED'),
    'INTROSPECTION_ENABLED',
    DEFAULTS.introspection,
    problems,
  );
  const metricsEnabled = readBoolean(read('METRICS_ENABLED'), 'METRICS_ENABLED', DEFAULTS.metricsEnabled, problems);
  const corsRaw = read('CORS_ORIGINS');
  // Demo data is made up, so any page may read it; a real key's numbers only go where allowed.
  const corsOrigins = corsRaw === undefined ? (braze?.mode === 'simulated' ? '*' : []) : parseOrigins(corsRaw, problems);
  const logLevelRaw = read('LOG_LEVEL')?.toLowerCase();
  let logLevel = DEFAULTS.logLevel;
  if (logLevelRaw !== undefined) {
    if ((LOG_LEVELS as readonly string[]).includes(logLevelRaw)) logLevel = logLevelRaw as LogLevel;
    else problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevelRaw}")`);
  }

  if (problems.length > 0 || braze === undefined) throw new ConfigError(problems);
  return Object.freeze({
    braze: Object.freeze(braze),
    cache,
    auth,
    port,
    host: read('HOST'),
    upstream: Object.freeze(upstream),
    limits: Object.freeze(limits),
    documentCache: Object.freeze(documentCache),
    server,
    persistedOperations,
    shutdownGraceMs,
    graphiql,
    introspection,
    metricsEnabled,
    corsOrigins: corsOrigins === '*' ? '*' : Object.freeze([...corsOrigins]),
    logLevel,
  });
}

function readServerLimits(
  read: (name: string) => string | undefined,
  upstream: Pick<UpstreamPolicy, 'maxConnections'>,
  host: HostFacts,
  problems: string[],
): ServerLimits {
  const server: Record<keyof ServerLimits, number> = { ...DEFAULT_SERVER_LIMITS };
  for (const [name, field, min, max] of SERVER_VARIABLES) {
    server[field] = readInteger(read(name), name, min, max, DEFAULT_SERVER_LIMITS[field], problems);
  }
  if (server.headersTimeoutMs > server.requestTimeoutMs) {
    problems.push('SERVER_HEADERS_TIMEOUT_MS must not exceed SERVER_REQUEST_TIMEOUT_MS: the headers are part of the request');
  }
  if (host.descriptorLimit !== undefined) {
    // Past the limit, Node accepts and at once drops every new connection, /health's included, so the
    // cap must stop short of it for the oldest idle connection to be closed for a new one instead.
    const reserve = descriptorReserve(upstream);
    const room = host.descriptorLimit - reserve;
    const explicit = read('SERVER_MAX_CONNECTIONS') !== undefined;
    if (room < MIN_USEFUL_CONNECTIONS) {
      problems.push(
        `the process may open only ${host.descriptorLimit} file descriptors and keeps ${reserve} for Node and BRAZE_MAX_CONNECTIONS, leaving fewer than ${MIN_USEFUL_CONNECTIONS} client connections: raise the limit (ulimit -n) or lower BRAZE_MAX_CONNECTIONS`,
      );
    } else if (explicit && server.maxConnections > room) {
      problems.push(
        `SERVER_MAX_CONNECTIONS=${server.maxConnections} does not fit the process's limit of ${host.descriptorLimit} file descriptors, ${reserve} of which are kept for Node and BRAZE_MAX_CONNECTIONS: set it to at most ${room} or raise the limit (ulimit -n)`,
      );
    } else if (!explicit) {
      server.maxConnections = Math.min(server.maxConnections, room);
    }
  }
  return Object.freeze(server);
}

function readBraze(read: (name: string) => string | undefined, problems: string[]): BrazeConfig | undefined {
  const apiKey = read('BRAZE_API_KEY');
  const endpointRaw = read('BRAZE_REST_ENDPOINT');
  const instanceRaw = read('BRAZE_INSTANCE');
  const before = problems.length;

  let endpoint: URL | undefined;
  if (endpointRaw !== undefined && instanceRaw !== undefined) {
    problems.push('set BRAZE_REST_ENDPOINT or BRAZE_INSTANCE, not both');
  } else if (endpointRaw !== undefined) {
    endpoint = parseEndpoint(endpointRaw, problems);
  } else if (instanceRaw !== undefined) {
    const url = BRAZE_INSTANCES[instanceRaw.toUpperCase()];
    if (url === undefined) {
      problems.push(
        `BRAZE_INSTANCE must be one of ${Object.keys(BRAZE_INSTANCES).join(', ')} (got "${instanceRaw}")`,
      );
    } else {
      endpoint = new URL(url);
    }
  }

  if (apiKey === undefined) {
    if (endpointRaw !== undefined || instanceRaw !== undefined) {
      // Serving simulated numbers to someone who meant to reach Braze would be worse than not starting.
      problems.push('BRAZE_API_KEY is required when BRAZE_REST_ENDPOINT or BRAZE_INSTANCE is set');
    }
    return problems.length > before ? undefined : { mode: 'simulated' };
  }
  // The value itself is never echoed: it is a secret.
  if (/^["'].*["']$/.test(apiKey)) {
    problems.push('BRAZE_API_KEY is wrapped in quotes; Braze answers 401 to a quoted key, remove them');
  } else if (/\s/.test(apiKey)) {
    problems.push('BRAZE_API_KEY contains white space');
  }
  if (endpointRaw === undefined && instanceRaw === undefined) {
    problems.push('BRAZE_API_KEY is set, so BRAZE_REST_ENDPOINT or BRAZE_INSTANCE is required');
  }
  if (problems.length > before || endpoint === undefined) return undefined;
  return { mode: 'live', endpoint, apiKey };
}

/** Shortest static token accepted: a guessable token would make the check pointless. */
export const MIN_TOKEN_LENGTH = 16;
/** HS256 wants a key at least as long as its hash (RFC 7518 §3.2). */
export const MIN_JWT_SECRET_LENGTH = 32;

/** Every auth variable: set but blank is refused, so a template that expanded to nothing cannot open the gateway. */
const AUTH_VARIABLES = ['AUTH_DISABLED', 'AUTH_TOKENS', 'AUTH_JWKS_URL', 'AUTH_JWT_SECRET', 'AUTH_JWT_ISSUER', 'AUTH_JWT_AUDIENCE', 'AUTH_JWT_REQUIRE_EXP'] as const;

function readAuth(
  read: (name: string) => string | undefined,
  isBlank: (name: string) => boolean,
  brazeMode: BrazeConfig['mode'] | undefined,
  problems: string[],
): AuthConfig {
  for (const name of AUTH_VARIABLES) {
    if (isBlank(name)) problems.push(`${name} is set but empty: give it a value or unset it`);
  }
  const disabled = readBoolean(read('AUTH_DISABLED'), 'AUTH_DISABLED', false, problems);
  const tokensRaw = read('AUTH_TOKENS');
  const jwksRaw = read('AUTH_JWKS_URL');
  const secret = read('AUTH_JWT_SECRET');
  const issuer = read('AUTH_JWT_ISSUER');
  const audience = read('AUTH_JWT_AUDIENCE');
  const requireExp = readBoolean(read('AUTH_JWT_REQUIRE_EXP'), 'AUTH_JWT_REQUIRE_EXP', true, problems);

  // Token values are secrets: problems name their position, never their text.
  const entries = tokensRaw === undefined ? [] : tokensRaw.split(',').map((t) => t.trim());
  const tokens = entries.filter((t) => t !== '');
  if (tokensRaw !== undefined && tokens.length === 0) {
    problems.push('AUTH_TOKENS is set but lists no token (only commas and white space)');
  } else {
    entries.forEach((token, index) => {
      // "${A},${B}" with B unset: the operator meant two tokens and one is missing.
      if (token === '') problems.push(`AUTH_TOKENS entry ${index + 1} is empty`);
      else if (token.length < MIN_TOKEN_LENGTH || /\s/.test(token)) {
        problems.push(`AUTH_TOKENS entry ${index + 1} must be at least ${MIN_TOKEN_LENGTH} characters without white space`);
      }
    });
  }

  let key: JwtConfig['key'] | undefined;
  if (jwksRaw !== undefined && secret !== undefined) {
    problems.push('set AUTH_JWKS_URL or AUTH_JWT_SECRET, not both');
  } else if (jwksRaw !== undefined) {
    const url = parseHttpUrl(jwksRaw);
    if (url === undefined) problems.push(`AUTH_JWKS_URL must be an https URL (http only for loopback) (got "${jwksRaw}")`);
    else key = { jwksUrl: url };
  } else if (secret !== undefined) {
    if (secret.length < MIN_JWT_SECRET_LENGTH) problems.push(`AUTH_JWT_SECRET must be at least ${MIN_JWT_SECRET_LENGTH} characters`);
    else key = { secret };
  }
  if ((issuer !== undefined || audience !== undefined || read('AUTH_JWT_REQUIRE_EXP') !== undefined) && jwksRaw === undefined && secret === undefined) {
    problems.push('AUTH_JWT_ISSUER, AUTH_JWT_AUDIENCE and AUTH_JWT_REQUIRE_EXP need AUTH_JWKS_URL or AUTH_JWT_SECRET');
  }
  const named = AUTH_VARIABLES.filter((name) => name !== 'AUTH_DISABLED' && read(name) !== undefined);
  if (disabled && named.length > 0) {
    problems.push(`AUTH_DISABLED=true contradicts ${named.join(', ')}: choose one`);
  }
  // What decides whether the gateway is open is the credentials that survived parsing, not whether a
  // variable was set: AUTH_TOKENS="," names a variable and yields no token.
  const usable = tokens.length > 0 || key !== undefined;
  if (brazeMode === 'live' && !disabled && !usable) {
    // Anyone who can reach the port would otherwise spend the workspace's rate limit and read its data.
    problems.push(
      'BRAZE_API_KEY is set, so GraphQL requests need a credential: set AUTH_TOKENS, AUTH_JWKS_URL or AUTH_JWT_SECRET (or AUTH_DISABLED=true to serve without one)',
    );
  }
  return Object.freeze({
    disabled,
    tokens: Object.freeze(tokens),
    jwt: key === undefined ? undefined : Object.freeze({ key: Object.freeze(key), issuer, audience, requireExp }),
  });
}

/**
 * Reads a persisted-operations manifest as GraphQL Code Generator's client preset writes it
 * (`persistedDocuments`): a JSON object from id to document. Every document must parse, so a broken
 * manifest stops the start instead of failing one client later.
 */
function readManifest(path: string, problems: string[]): ReadonlyMap<string, string> | undefined {
  // Problems say what is wrong and where, never what the file holds: pointed at the wrong file (a key,
  // /etc/shadow), JSON.parse's and graphql's messages would quote it.
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    problems.push(`PERSISTED_OPERATIONS_FILE cannot be read (${path}: ${typeof code === 'string' ? code : 'read failed'})`);
    return undefined;
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch {
    problems.push(`PERSISTED_OPERATIONS_FILE is not valid JSON (${path})`);
    return undefined;
  }
  if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest) || Object.keys(manifest).length === 0) {
    problems.push(`PERSISTED_OPERATIONS_FILE must hold a non-empty JSON object of { id: document } (${path})`);
    return undefined;
  }
  const operations = new Map<string, string>();
  Object.entries(manifest).forEach(([id, document], index) => {
    const entry = `PERSISTED_OPERATIONS_FILE entry ${index + 1}`;
    if (typeof document !== 'string') return void problems.push(`${entry} is not a string`);
    try {
      parse(document);
      operations.set(id, document);
    } catch (error) {
      const at = (error as { locations?: readonly { line: number; column: number }[] }).locations?.[0];
      problems.push(`${entry} is not a GraphQL document${at ? ` (syntax error at line ${at.line}, column ${at.column})` : ''}`);
    }
  });
  return operations;
}

/** True when GraphQL requests must carry a credential. */
export function authRequired(auth: AuthConfig): boolean {
  return !auth.disabled && (auth.tokens.length > 0 || auth.jwt !== undefined);
}

/** An absolute https URL, or http on a loopback address; undefined otherwise. */
function parseHttpUrl(raw: string): URL | undefined {
  try {
    const url = new URL(raw);
    if (url.protocol === 'https:') return url;
    if (url.protocol === 'http:' && isLoopback(url.hostname.replace(/^\[|\]$/g, ''))) return url;
  } catch {
    // reported by the caller
  }
  return undefined;
}

function parseEndpoint(raw: string, problems: string[]): URL | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`BRAZE_REST_ENDPOINT must be a URL such as https://rest.iad-01.braze.com (got "${raw}")`);
    return undefined;
  }
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  if (url.protocol === 'http:' && !isLoopback(hostname)) {
    problems.push('BRAZE_REST_ENDPOINT must use https (http is allowed only for loopback addresses)');
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    problems.push(`BRAZE_REST_ENDPOINT must be an http(s) URL (got protocol "${url.protocol}")`);
    return undefined;
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    problems.push('BRAZE_REST_ENDPOINT must not carry credentials, a query or a fragment');
    return undefined;
  }
  // A path prefix is kept (a proxy in front of Braze); the trailing slash is dropped so joins are exact.
  url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}

function readCache(read: (name: string) => string | undefined, problems: string[]): CachePolicy {
  const d = DEFAULT_CACHE_POLICY;
  const redisUrl = read('REDIS_URL');
  if (redisUrl !== undefined) {
    let protocol = '';
    try {
      protocol = new URL(redisUrl).protocol;
    } catch {
      // reported below
    }
    if (protocol !== 'redis:' && protocol !== 'rediss:') {
      problems.push('REDIS_URL must be a redis:// or rediss:// URL');
    }
  }
  return Object.freeze({
    enabled: readBoolean(read('CACHE_ENABLED'), 'CACHE_ENABLED', d.enabled, problems),
    liveTtlMs: readInteger(read('CACHE_TTL_LIVE_MS'), 'CACHE_TTL_LIVE_MS', 0, 86_400_000, d.liveTtlMs, problems),
    pastTtlMs: readInteger(read('CACHE_TTL_PAST_MS'), 'CACHE_TTL_PAST_MS', 0, 7 * 86_400_000, d.pastTtlMs, problems),
    maxEntries: readInteger(read('CACHE_MAX_ENTRIES'), 'CACHE_MAX_ENTRIES', 1, 10_000_000, d.maxEntries, problems),
    maxBytes: readInteger(read('CACHE_MAX_BYTES'), 'CACHE_MAX_BYTES', 1024, 16 * 1024 ** 3, d.maxBytes, problems),
    redisUrl,
    redisKeyPrefix: read('REDIS_KEY_PREFIX') ?? d.redisKeyPrefix,
    requestTimeGranularityMs: readInteger(
      read('REQUEST_TIME_GRANULARITY_MS'),
      'REQUEST_TIME_GRANULARITY_MS',
      1_000,
      3_600_000,
      d.requestTimeGranularityMs,
      problems,
    ),
  });
}

function parseOrigins(raw: string, problems: string[]): '*' | string[] {
  if (raw === '*') return '*';
  const origins: string[] = [];
  for (const entry of raw.split(',').map((e) => e.trim()).filter((e) => e !== '')) {
    let origin: string | undefined;
    try {
      const url = new URL(entry);
      if ((url.protocol === 'http:' || url.protocol === 'https:') && url.origin === entry.replace(/\/$/, '')) origin = url.origin;
    } catch {
      // reported below
    }
    if (origin === undefined) problems.push(`CORS_ORIGINS entries must be origins such as https://app.example.com (got "${entry}")`);
    else origins.push(origin);
  }
  return origins;
}

function isLoopback(hostname: string): boolean {
  if (hostname === 'localhost') return true;
  if (isIP(hostname) === 4) return hostname.startsWith('127.');
  if (isIP(hostname) === 6) return hostname === '::1';
  return false;
}

function readInteger(
  raw: string | undefined,
  name: string,
  min: number,
  max: number,
  fallback: number,
  problems: string[],
): number {
  if (raw === undefined) return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
    return fallback;
  }
  return value;
}

function readBoolean(raw: string | undefined, name: string, fallback: boolean, problems: string[]): boolean {
  if (raw === undefined) return fallback;
  const value = raw.toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(value)) return true;
  if (['false', '0', 'no', 'off'].includes(value)) return false;
  problems.push(`${name} must be true or false (got "${raw}")`);
  return fallback;
}
