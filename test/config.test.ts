import { describe, expect, it } from 'vitest';
import { ConfigError, descriptorReserve, loadConfig, type Config, type HostFacts } from '../src/config/index.js';
import { DEFAULT_MCP_POLICY } from '../src/config/mcp.js';

/** A live configuration needs a credential setting; these tests are about something else. */
const AUTH = { AUTH_TOKENS: 'tok-0123456789abcdef' };

/** Shaped like the keys Braze's dashboard issues (a UUID); made up. */
const KEY = '3f6c1a2e-8b4d-4e7a-9c15-d2b7e04f9a61';

/** The machine as most tests see it: no descriptor limit known, so nothing is fitted to one. */
const NO_LIMIT: HostFacts = { descriptorLimit: undefined };

function problemsOf(env: Record<string, string>, host: HostFacts = NO_LIMIT): readonly string[] {
  try {
    loadConfig(env, host);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('with nothing set: demo mode and documented defaults, frozen', () => {
    const config: Config = loadConfig({}, NO_LIMIT);
    expect(config).toEqual({
      braze: { mode: 'simulated' },
      cache: {
        enabled: true,
        liveTtlMs: 60_000,
        pastTtlMs: 900_000,
        settledTtlMs: 86_400_000,
        maxEntries: 10_000,
        maxBytes: 67_108_864,
        redisUrl: undefined,
        redisKeyPrefix: 'braze-analytics-gateway:',
        redisSingleFlight: true,
        requestTimeGranularityMs: 60_000,
      },
      responseCache: { enabled: true, maxEntries: 1_000, maxBytes: 32 * 1024 * 1024 },
      auth: { disabled: false, tokens: [], jwt: undefined },
      port: 4000,
      host: undefined,
      upstream: {
        timeoutMs: 15_000,
        connectTimeoutMs: 3_000,
        headersTimeoutMs: 10_000,
        bodyTimeoutMs: 10_000,
        maxAttempts: 3,
        retryBaseMs: 250,
        retryMaxMs: 4_000,
        rateLimitWaitMs: 5_000,
        reserves: { export: 1_000, lists: 100, campaignSeries: 500 },
        breakerThreshold: 5,
        breakerCooldownMs: 30_000,
        maxCallsPerRequest: 50,
        seriesMaxLength: 1_000,
        maxConnections: 20,
        maxBodyBytes: 1_048_576,
        sharedState: true,
        sharedRefreshMs: 100,
      },
      limits: { maxDepth: 6, maxAliases: 50, maxTokens: 2_000, maxCost: 5_000, maxDirectives: 50, maxRequestBodyBytes: 102_400 },
      documentCache: { maxBytes: 33_554_432, maxDocumentBytes: 2_097_152 },
      server: { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000, idleTimeoutMs: 5_000, maxConnections: 1_000 },
      live: {
        minIntervalMs: 15_000,
        maxSubscriptions: 10_000,
        maxSubscriptionsPerClient: 20,
        maxSseStreams: 500,
        wsMaxConnections: 250,
        wsMaxOperationsPerConnection: 100,
        wsConnectionInitTimeoutMs: 3_000,
        wsKeepAliveMs: 12_000,
      },
      shutdownGraceMs: 10_000,
      persistedOperations: undefined,
      apq: { maxBytes: 4 * 1024 * 1024, maxEntries: 1_000 },
      graphiql: true,
      introspection: true,
      metricsEnabled: true,
      tracing: { enabled: false },
      corsOrigins: '*',
      logLevel: 'info',
      mcp: DEFAULT_MCP_POLICY,
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.braze)).toBe(true);
    expect(Object.isFrozen(config.upstream)).toBe(true);
    expect(Object.isFrozen(config.auth)).toBe(true);
    expect(Object.isFrozen(config.server)).toBe(true);
  });

  describe('auth', () => {
    const LIVE = { BRAZE_INSTANCE: 'US-01', BRAZE_API_KEY: KEY };

    it('reads static tokens, a JWKS URL or an HS256 secret, issuer and audience', () => {
      expect(loadConfig({ ...LIVE, AUTH_TOKENS: ' tok-0123456789abcdef , tok-fedcba9876543210 ' }).auth).toEqual({
        disabled: false,
        tokens: ['tok-0123456789abcdef', 'tok-fedcba9876543210'],
        jwt: undefined,
      });
      const jwks = loadConfig({ ...LIVE, AUTH_JWKS_URL: 'https://idp.example.com/.well-known/jwks.json', AUTH_JWT_ISSUER: 'https://idp.example.com/', AUTH_JWT_AUDIENCE: 'analytics' });
      expect(jwks.auth.jwt).toEqual({
        key: { jwksUrl: new URL('https://idp.example.com/.well-known/jwks.json') },
        issuer: 'https://idp.example.com/',
        audience: 'analytics',
        requireExp: true,
      });
      const secret = 'x'.repeat(32);
      expect(loadConfig({ ...LIVE, AUTH_JWT_SECRET: secret }).auth.jwt).toEqual({ key: { secret }, issuer: undefined, audience: undefined, requireExp: true });
      expect(loadConfig({ ...LIVE, AUTH_DISABLED: 'true' }).auth).toEqual({ disabled: true, tokens: [], jwt: undefined });
    });

    it('a real key with no credential setting is a configuration error, reported with the others', () => {
      expect(problemsOf({ ...LIVE, PORT: 'x' })).toEqual([
        'BRAZE_API_KEY is set, so GraphQL requests need a credential: set AUTH_TOKENS, AUTH_JWKS_URL or AUTH_JWT_SECRET (or AUTH_DISABLED=true to serve without one)',
        'PORT must be a whole number from 0 to 65535 (got "x")',
      ]);
    });

    it('refuses weak or contradictory settings without echoing a secret', () => {
      const problems = problemsOf({
        ...LIVE,
        AUTH_TOKENS: 'short-secret,tok-0123456789abcdef',
        AUTH_JWT_SECRET: 'too-short-secret',
        AUTH_DISABLED: 'yes',
      });
      expect(problems).toEqual([
        'AUTH_TOKENS entry 1 must be at least 16 characters without white space',
        'AUTH_JWT_SECRET must be at least 32 characters',
        'AUTH_DISABLED=true contradicts AUTH_TOKENS, AUTH_JWT_SECRET: choose one',
      ]);
      expect(problems.join('\n')).not.toContain('short-secret');
      expect(problemsOf({ AUTH_JWKS_URL: 'http://idp.example.com/jwks', AUTH_JWT_SECRET: 'x'.repeat(32) })).toEqual([
        'set AUTH_JWKS_URL or AUTH_JWT_SECRET, not both',
      ]);
      expect(problemsOf({ AUTH_JWKS_URL: 'http://idp.example.com/jwks' })).toEqual([
        'AUTH_JWKS_URL must be an https URL (http only for loopback) (got "http://idp.example.com/jwks")',
      ]);
      expect(problemsOf({ AUTH_JWT_AUDIENCE: 'analytics' })).toEqual(['AUTH_JWT_ISSUER, AUTH_JWT_AUDIENCE and AUTH_JWT_REQUIRE_EXP need AUTH_JWKS_URL or AUTH_JWT_SECRET']);
    });

    // A deployment template such as AUTH_TOKENS="${A},${B}" with both unset must not open a live gateway.
    it.each([
      ['AUTH_TOKENS', ',', 'AUTH_TOKENS is set but lists no token (only commas and white space)'],
      ['AUTH_TOKENS', ' , , ', 'AUTH_TOKENS is set but lists no token (only commas and white space)'],
      ['AUTH_TOKENS', ',,,', 'AUTH_TOKENS is set but lists no token (only commas and white space)'],
      ['AUTH_TOKENS', '   ', 'AUTH_TOKENS is set but empty: give it a value or unset it'],
      ['AUTH_TOKENS', '', 'AUTH_TOKENS is set but empty: give it a value or unset it'],
      ['AUTH_JWKS_URL', ' ', 'AUTH_JWKS_URL is set but empty: give it a value or unset it'],
      ['AUTH_JWT_SECRET', '\t', 'AUTH_JWT_SECRET is set but empty: give it a value or unset it'],
    ])('a real key with %s=%j yields no credential: refused, never open', (name, value, problem) => {
      const problems = problemsOf({ ...LIVE, [name]: value });
      expect(problems).toEqual([
        problem,
        'BRAZE_API_KEY is set, so GraphQL requests need a credential: set AUTH_TOKENS, AUTH_JWKS_URL or AUTH_JWT_SECRET (or AUTH_DISABLED=true to serve without one)',
      ]);
    });

    it.each(['AUTH_DISABLED', 'AUTH_JWT_ISSUER', 'AUTH_JWT_AUDIENCE', 'AUTH_JWT_REQUIRE_EXP'])(
      'every auth variable set but blank is refused, even beside a usable credential: %s',
      (name) => {
        expect(problemsOf({ ...LIVE, ...AUTH, [name]: '  ' })).toEqual([`${name} is set but empty: give it a value or unset it`]);
      },
    );

    it('an empty entry among real tokens is refused (the template lost one), naming only its position', () => {
      expect(problemsOf({ ...LIVE, AUTH_TOKENS: 'tok-0123456789abcdef,' })).toEqual(['AUTH_TOKENS entry 2 is empty']);
      expect(problemsOf({ ...LIVE, AUTH_TOKENS: ',tok-0123456789abcdef, ,tok-fedcba9876543210' })).toEqual([
        'AUTH_TOKENS entry 1 is empty',
        'AUTH_TOKENS entry 3 is empty',
      ]);
    });

    it('separators only are refused in demo mode too: the operator asked for tokens and got none', () => {
      expect(problemsOf({ AUTH_TOKENS: ' , ' })).toEqual(['AUTH_TOKENS is set but lists no token (only commas and white space)']);
    });

    it('JWTs must carry exp unless AUTH_JWT_REQUIRE_EXP=false', () => {
      const secret = 'x'.repeat(32);
      expect(loadConfig({ ...LIVE, AUTH_JWT_SECRET: secret }).auth.jwt?.requireExp).toBe(true);
      expect(loadConfig({ ...LIVE, AUTH_JWT_SECRET: secret, AUTH_JWT_REQUIRE_EXP: 'false' }).auth.jwt?.requireExp).toBe(false);
      expect(problemsOf({ ...LIVE, AUTH_JWT_SECRET: secret, AUTH_JWT_REQUIRE_EXP: 'maybe' })).toEqual([
        'AUTH_JWT_REQUIRE_EXP must be true or false (got "maybe")',
      ]);
    });

    it('demo mode may stay open', () => {
      expect(loadConfig({}).auth).toEqual({ disabled: false, tokens: [], jwt: undefined });
    });
  });

  it('reads every query limit', () => {
    const config = loadConfig({
      QUERY_MAX_DEPTH: '4',
      QUERY_MAX_ALIASES: '20',
      QUERY_MAX_TOKENS: '500',
      QUERY_MAX_COST: '300',
      QUERY_MAX_DIRECTIVES: '0',
      MAX_REQUEST_BODY_BYTES: '4096',
    });
    expect(config.limits).toEqual({ maxDepth: 4, maxAliases: 20, maxTokens: 500, maxCost: 300, maxDirectives: 0, maxRequestBodyBytes: 4096 });
    expect(problemsOf({ QUERY_MAX_DEPTH: '0', MAX_REQUEST_BODY_BYTES: '10' })).toEqual([
      'QUERY_MAX_DEPTH must be a whole number from 1 to 100 (got "0")',
      'MAX_REQUEST_BODY_BYTES must be a whole number from 1024 to 104857600 (got "10")',
    ]);
  });

  it('reads the parsed-document cache bounds, 0 turning it off', () => {
    expect(loadConfig({ DOCUMENT_CACHE_MAX_BYTES: '1048576', DOCUMENT_CACHE_MAX_DOCUMENT_BYTES: '65536' }).documentCache).toEqual({
      maxBytes: 1_048_576,
      maxDocumentBytes: 65_536,
    });
    expect(loadConfig({ DOCUMENT_CACHE_MAX_BYTES: '0' }).documentCache).toEqual({ maxBytes: 0, maxDocumentBytes: 2_097_152 });
    expect(problemsOf({ DOCUMENT_CACHE_MAX_BYTES: '-1', DOCUMENT_CACHE_MAX_DOCUMENT_BYTES: '100' })).toEqual([
      'DOCUMENT_CACHE_MAX_BYTES must be a whole number from 0 to 4294967296 (got "-1")',
      'DOCUMENT_CACHE_MAX_DOCUMENT_BYTES must be a whole number from 1024 to 1073741824 (got "100")',
    ]);
    expect(problemsOf({ DOCUMENT_CACHE_MAX_BYTES: '1048576' })).toEqual([
      'DOCUMENT_CACHE_MAX_DOCUMENT_BYTES must not exceed DOCUMENT_CACHE_MAX_BYTES (or set DOCUMENT_CACHE_MAX_BYTES=0 to turn the cache off)',
    ]);
  });

  it('refuses a shared-state refresh out of bounds and a BRAZE_SHARED_STATE that is not a boolean', () => {
    expect(problemsOf({ BRAZE_SHARED_REFRESH_MS: '5', BRAZE_SHARED_STATE: 'maybe' })).toEqual([
      'BRAZE_SHARED_STATE must be true or false (got "maybe")',
      'BRAZE_SHARED_REFRESH_MS must be a whole number from 10 to 10000 (got "5")',
    ]);
  });

  it('reads every upstream setting', () => {
    const config = loadConfig({
      BRAZE_TIMEOUT_MS: '1000',
      BRAZE_CONNECT_TIMEOUT_MS: '100',
      BRAZE_HEADERS_TIMEOUT_MS: '200',
      BRAZE_BODY_TIMEOUT_MS: '300',
      BRAZE_MAX_ATTEMPTS: '5',
      BRAZE_RETRY_BASE_MS: '10',
      BRAZE_RETRY_MAX_MS: '20',
      BRAZE_RATE_LIMIT_WAIT_MS: '0',
      BRAZE_RATE_LIMIT_RESERVE: '0',
      BRAZE_LIST_RATE_LIMIT_RESERVE: '7',
      BRAZE_CAMPAIGN_SERIES_RATE_LIMIT_RESERVE: '9',
      BRAZE_BREAKER_THRESHOLD: '0',
      BRAZE_BREAKER_COOLDOWN_MS: '500',
      BRAZE_MAX_CALLS_PER_REQUEST: '7',
      BRAZE_MAX_CONNECTIONS: '3',
      BRAZE_MAX_BODY_BYTES: '2048',
      BRAZE_SHARED_STATE: 'false',
      BRAZE_SHARED_REFRESH_MS: '250',
      SHUTDOWN_GRACE_MS: '0',
    });
    expect(config.upstream).toEqual({
      timeoutMs: 1000,
      connectTimeoutMs: 100,
      headersTimeoutMs: 200,
      bodyTimeoutMs: 300,
      maxAttempts: 5,
      retryBaseMs: 10,
      retryMaxMs: 20,
      rateLimitWaitMs: 0,
      reserves: { export: 0, lists: 7, campaignSeries: 9 },
      breakerThreshold: 0,
      breakerCooldownMs: 500,
      maxCallsPerRequest: 7,
      // Unset, SERIES_MAX_LENGTH follows the cap: 6 grid chunks of 99 new days and the newest.
      seriesMaxLength: 594,
      maxConnections: 3,
      maxBodyBytes: 2048,
      sharedState: false,
      sharedRefreshMs: 250,
    });
    expect(config.shutdownGraceMs).toBe(0);
  });

  describe('SERIES_MAX_LENGTH', () => {
    it('is 1,000 units by default and may be set as far as BRAZE_MAX_CALLS_PER_REQUEST serves', () => {
      expect(loadConfig({}).upstream.seriesMaxLength).toBe(1_000);
      expect(loadConfig({ SERIES_MAX_LENGTH: '30' }).upstream.seriesMaxLength).toBe(30);
      expect(loadConfig({ SERIES_MAX_LENGTH: '4851' }).upstream.seriesMaxLength).toBe(4_851);
    });

    it('unset, it shrinks to what a lowered cap serves (never below one call’s 100 units)', () => {
      expect(loadConfig({ BRAZE_MAX_CALLS_PER_REQUEST: '1' }).upstream.seriesMaxLength).toBe(100);
      expect(loadConfig({ BRAZE_MAX_CALLS_PER_REQUEST: '3' }).upstream.seriesMaxLength).toBe(198);
      expect(loadConfig({ BRAZE_MAX_CALLS_PER_REQUEST: '12' }).upstream.seriesMaxLength).toBe(1_000);
    });

    it('set beyond what the cap serves, it stops the start naming both settings', () => {
      expect(problemsOf({ SERIES_MAX_LENGTH: '4852' })).toEqual([
        'SERIES_MAX_LENGTH 4852 takes up to 51 Braze calls a series, more than BRAZE_MAX_CALLS_PER_REQUEST (50) allows a request: lower the first or raise the second',
      ]);
      expect(problemsOf({ SERIES_MAX_LENGTH: '199', BRAZE_MAX_CALLS_PER_REQUEST: '3' })).toHaveLength(1);
      expect(problemsOf({ SERIES_MAX_LENGTH: '0' })).toEqual(['SERIES_MAX_LENGTH must be a whole number from 1 to 100000 (got "0")']);
    });
  });

  it('REDIS_SINGLE_FLIGHT: on unless switched off, and only true or false', () => {
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).cache.redisSingleFlight).toBe(true);
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_SINGLE_FLIGHT: 'false' }).cache.redisSingleFlight).toBe(false);
    expect(problemsOf({ REDIS_SINGLE_FLIGHT: 'sometimes' })).toEqual(['REDIS_SINGLE_FLIGHT must be true or false (got "sometimes")']);
  });

  describe('CACHE_TTL_SETTLED_MS', () => {
    it('keeps settled series a day by default, and may not be shorter than CACHE_TTL_PAST_MS', () => {
      expect(loadConfig({}).cache.settledTtlMs).toBe(86_400_000);
      expect(loadConfig({ CACHE_TTL_SETTLED_MS: '900000' }).cache.settledTtlMs).toBe(900_000);
      expect(problemsOf({ CACHE_TTL_SETTLED_MS: '899999' })).toEqual([
        'CACHE_TTL_SETTLED_MS must be at least CACHE_TTL_PAST_MS (settled numbers are kept at least as long as recent ones)',
      ]);
    });
  });

  describe('client connections', () => {
    it('reads every server timeout and the connection cap', () => {
      const config = loadConfig(
        {
          SERVER_HEADERS_TIMEOUT_MS: '2000',
          SERVER_REQUEST_TIMEOUT_MS: '4000',
          SERVER_KEEP_ALIVE_TIMEOUT_MS: '65000',
          SERVER_IDLE_TIMEOUT_MS: '1500',
          SERVER_MAX_CONNECTIONS: '50',
        },
        NO_LIMIT,
      );
      expect(config.server).toEqual({ headersTimeoutMs: 2000, requestTimeoutMs: 4000, keepAliveTimeoutMs: 65_000, idleTimeoutMs: 1500, maxConnections: 50 });
    });

    it.each([
      [{ SERVER_HEADERS_TIMEOUT_MS: '99' }, 'SERVER_HEADERS_TIMEOUT_MS must be a whole number from 100 to 300000 (got "99")'],
      [{ SERVER_REQUEST_TIMEOUT_MS: '3600001' }, 'SERVER_REQUEST_TIMEOUT_MS must be a whole number from 100 to 3600000 (got "3600001")'],
      [{ SERVER_KEEP_ALIVE_TIMEOUT_MS: '0' }, 'SERVER_KEEP_ALIVE_TIMEOUT_MS must be a whole number from 100 to 600000 (got "0")'],
      [{ SERVER_IDLE_TIMEOUT_MS: '5s' }, 'SERVER_IDLE_TIMEOUT_MS must be a whole number from 100 to 600000 (got "5s")'],
      [{ SERVER_MAX_CONNECTIONS: '0' }, 'SERVER_MAX_CONNECTIONS must be a whole number from 1 to 1000000 (got "0")'],
      [
        { SERVER_HEADERS_TIMEOUT_MS: '20000', SERVER_REQUEST_TIMEOUT_MS: '15000' },
        'SERVER_HEADERS_TIMEOUT_MS must not exceed SERVER_REQUEST_TIMEOUT_MS: the headers are part of the request',
      ],
    ])('refuses %j', (env, problem) => {
      expect(problemsOf(env)).toEqual([problem]);
    });

    it('keeps descriptors for Node and the upstream pool: 64 plus two per BRAZE_MAX_CONNECTIONS', () => {
      expect(descriptorReserve({ maxConnections: 20 })).toBe(104);
      expect(descriptorReserve({ maxConnections: 1 })).toBe(66);
    });

    it('fits the default cap under the descriptor limit, and refuses an explicit cap or a limit that cannot fit', () => {
      // 256 − (64 + 2 × 20) leaves 152 descriptors for clients.
      expect(loadConfig({}, { descriptorLimit: 256 }).server.maxConnections).toBe(152);
      expect(loadConfig({ BRAZE_MAX_CONNECTIONS: '10' }, { descriptorLimit: 256 }).server.maxConnections).toBe(172);
      expect(loadConfig({}, { descriptorLimit: 65_536 }).server.maxConnections).toBe(1_000);
      expect(loadConfig({ SERVER_MAX_CONNECTIONS: '152' }, { descriptorLimit: 256 }).server.maxConnections).toBe(152);
      expect(problemsOf({ SERVER_MAX_CONNECTIONS: '153' }, { descriptorLimit: 256 })).toEqual([
        "SERVER_MAX_CONNECTIONS=153 does not fit the process's limit of 256 file descriptors, 104 of which are kept for Node and BRAZE_MAX_CONNECTIONS: set it to at most 152 or raise the limit (ulimit -n)",
      ]);
      expect(problemsOf({}, { descriptorLimit: 119 })).toEqual([
        'the process may open only 119 file descriptors and keeps 104 for Node and BRAZE_MAX_CONNECTIONS, leaving fewer than 16 client connections: raise the limit (ulimit -n) or lower BRAZE_MAX_CONNECTIONS',
      ]);
      expect(loadConfig({}, { descriptorLimit: 120 }).server.maxConnections).toBe(16);
    });
  });

  it('CORS: any origin in demo mode, none with a real key, unless CORS_ORIGINS says otherwise', () => {
    expect(loadConfig({}).corsOrigins).toBe('*');
    expect(loadConfig({ BRAZE_INSTANCE: 'US-01', BRAZE_API_KEY: KEY , ...AUTH }).corsOrigins).toEqual([]);
    expect(
      loadConfig({ BRAZE_INSTANCE: 'US-01', BRAZE_API_KEY: KEY, ...AUTH, CORS_ORIGINS: 'https://app.example.com, http://localhost:5173/' })
        .corsOrigins,
    ).toEqual(['https://app.example.com', 'http://localhost:5173']);
    expect(loadConfig({ CORS_ORIGINS: '*' }).corsOrigins).toBe('*');
    expect(problemsOf({ CORS_ORIGINS: 'https://app.example.com/path,app.example.com' })).toEqual([
      'CORS_ORIGINS entries must be origins such as https://app.example.com (got "https://app.example.com/path")',
      'CORS_ORIGINS entries must be origins such as https://app.example.com (got "app.example.com")',
    ]);
  });

  it('GraphiQL and introspection stay on in production unless switched off', () => {
    expect(loadConfig({ NODE_ENV: 'production' })).toMatchObject({ graphiql: true, introspection: true });
    expect(loadConfig({ GRAPHIQL_ENABLED: 'false', INTROSPECTION_ENABLED: '0' })).toMatchObject({
      graphiql: false,
      introspection: false,
    });
  });

  it.each([
    ['US-01', 'https://rest.iad-01.braze.com'],
    ['us-08', 'https://rest.iad-08.braze.com'],
    ['US-10', 'https://rest.us-10.braze.com'],
    ['EU-01', 'https://rest.fra-01.braze.eu'],
    ['EU-02', 'https://rest.fra-02.braze.eu'],
    ['AU-01', 'https://rest.au-01.braze.com'],
    ['ID-01', 'https://rest.id-01.braze.com'],
    ['JP-01', 'https://rest.jp-01.braze.com'],
    ['KR-01', 'https://rest.kr-01.braze.com'],
  ])('BRAZE_INSTANCE %s maps to %s', (instance, origin) => {
    const config = loadConfig({ BRAZE_INSTANCE: instance, BRAZE_API_KEY: KEY , ...AUTH });
    expect(config.braze.mode === 'live' && config.braze.endpoint.origin).toBe(origin);
  });

  it('accepts an https endpoint, and http on loopback only', () => {
    for (const endpoint of ['https://rest.iad-03.braze.com/', 'http://127.0.0.1:9999', 'http://localhost:1', 'http://[::1]:2']) {
      expect(loadConfig({ BRAZE_REST_ENDPOINT: endpoint, BRAZE_API_KEY: KEY , ...AUTH }).braze.mode).toBe('live');
    }
    const config = loadConfig({ BRAZE_REST_ENDPOINT: 'https://proxy.example.com/braze/', BRAZE_API_KEY: KEY , ...AUTH });
    expect(config.braze.mode === 'live' && config.braze.endpoint.href).toBe('https://proxy.example.com/braze');
  });

  it('live series: reads the poll floor and the caps; unset, SSE streams fit half the client connections, the total is not tied to them', () => {
    expect(loadConfig({ LIVE_MIN_INTERVAL_MS: '1000', LIVE_MAX_SUBSCRIPTIONS: '50', LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT: '5' }, NO_LIMIT).live).toMatchObject({
      minIntervalMs: 1_000,
      maxSubscriptions: 50,
      maxSubscriptionsPerClient: 5,
    });
    expect(loadConfig({ SERVER_MAX_CONNECTIONS: '100' }, NO_LIMIT).live).toMatchObject({ maxSubscriptions: 10_000, maxSseStreams: 50 });
    expect(loadConfig({ SERVER_MAX_CONNECTIONS: '100', LIVE_MAX_SUBSCRIPTIONS: '5000' }, NO_LIMIT).live.maxSubscriptions).toBe(5_000);
    expect(loadConfig({ LIVE_MAX_SUBSCRIPTIONS: '0' }, NO_LIMIT).live.maxSubscriptions).toBe(0);
  });

  it('live series: refuses what cannot hold, naming the bound', () => {
    expect(problemsOf({ LIVE_MIN_INTERVAL_MS: '50' })).toEqual(['LIVE_MIN_INTERVAL_MS must be a whole number from 100 to 3600000 (got "50")']);
    expect(problemsOf({ LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT: '0' })).toEqual(['LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT must be a whole number from 1 to 1000000 (got "0")']);
    expect(problemsOf({ SERVER_MAX_CONNECTIONS: '100', LIVE_MAX_SSE_STREAMS: '100' })).toEqual([
      'LIVE_MAX_SSE_STREAMS=100 must be below SERVER_MAX_CONNECTIONS (100): each SSE subscription holds a connection, and the rest must stay free for queries and /health',
    ]);
    expect(problemsOf({ LIVE_MAX_SUBSCRIPTIONS: '10', LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT: '11' })).toEqual([
      'LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT=11 must not exceed LIVE_MAX_SUBSCRIPTIONS (10)',
    ]);
  });

  it('reports every bad variable together', () => {
    expect(
      problemsOf({
        BRAZE_INSTANCE: 'US-09',
        BRAZE_API_KEY: '"quoted-key"',
        PORT: '70000',
        BRAZE_TIMEOUT_MS: 'soon',
        GRAPHIQL_ENABLED: 'maybe',
        INTROSPECTION_ENABLED: '2',
        LOG_LEVEL: 'loud',
      }),
    ).toEqual([
      'BRAZE_INSTANCE must be one of US-01, US-02, US-03, US-04, US-05, US-06, US-07, US-08, US-10, EU-01, EU-02, AU-01, ID-01, JP-01, KR-01 (got "US-09")',
      'BRAZE_API_KEY begins or ends with a quote: quotes would be part of the value; remove them',
      'PORT must be a whole number from 0 to 65535 (got "70000")',
      'BRAZE_TIMEOUT_MS must be a whole number from 100 to 300000 (got "soon")',
      'GRAPHIQL_ENABLED must be true or false (got "maybe")',
      'INTROSPECTION_ENABLED must be true or false (got "2")',
      'LOG_LEVEL must be one of debug, info, warn, error, silent (got "loud")',
    ]);
  });

  it.each([
    [{ BRAZE_REST_ENDPOINT: 'http://rest.iad-01.braze.com', BRAZE_API_KEY: KEY }, 'BRAZE_REST_ENDPOINT must use https (http is allowed only for loopback addresses)'],
    [{ BRAZE_REST_ENDPOINT: 'rest.iad-01.braze.com', BRAZE_API_KEY: KEY }, 'BRAZE_REST_ENDPOINT must be a URL such as https://rest.iad-01.braze.com (got "rest.iad-01.braze.com")'],
    [{ BRAZE_REST_ENDPOINT: 'ftp://127.0.0.1', BRAZE_API_KEY: KEY }, 'BRAZE_REST_ENDPOINT must be an http(s) URL (got protocol "ftp:")'],
    [{ BRAZE_REST_ENDPOINT: 'https://rest.iad-01.braze.com?api_key=k', BRAZE_API_KEY: KEY }, 'BRAZE_REST_ENDPOINT must not carry credentials, a query or a fragment'],
    [{ BRAZE_REST_ENDPOINT: 'https://rest.iad-01.braze.com', BRAZE_INSTANCE: 'US-01', BRAZE_API_KEY: KEY }, 'set BRAZE_REST_ENDPOINT or BRAZE_INSTANCE, not both'],
    [{ BRAZE_INSTANCE: 'US-01' }, 'BRAZE_API_KEY is required when BRAZE_REST_ENDPOINT or BRAZE_INSTANCE is set'],
    [{ BRAZE_API_KEY: KEY }, 'BRAZE_API_KEY is set, so BRAZE_REST_ENDPOINT or BRAZE_INSTANCE is required'],
    [{ BRAZE_API_KEY: 'two words', BRAZE_INSTANCE: 'US-01' }, 'BRAZE_API_KEY contains white space'],
    [{ PORT: '-1' }, 'PORT must be a whole number from 0 to 65535 (got "-1")'],
    [{ BRAZE_TIMEOUT_MS: '50' }, 'BRAZE_TIMEOUT_MS must be a whole number from 100 to 300000 (got "50")'],
    [{ BRAZE_MAX_ATTEMPTS: '0' }, 'BRAZE_MAX_ATTEMPTS must be a whole number from 1 to 10 (got "0")'],
    [{ BRAZE_RETRY_BASE_MS: '500', BRAZE_RETRY_MAX_MS: '100' }, 'BRAZE_RETRY_BASE_MS must not exceed BRAZE_RETRY_MAX_MS'],
    [{ BRAZE_CAMPAIGN_SERIES_RATE_LIMIT_RESERVE: '-1' }, 'BRAZE_CAMPAIGN_SERIES_RATE_LIMIT_RESERVE must be a whole number from 0 to 1000000 (got "-1")'],
    [{ BRAZE_CAMPAIGN_SERIES_RATE_LIMIT_RESERVE: 'half' }, 'BRAZE_CAMPAIGN_SERIES_RATE_LIMIT_RESERVE must be a whole number from 0 to 1000000 (got "half")'],
    [{ BRAZE_MAX_CONNECTIONS: '0' }, 'BRAZE_MAX_CONNECTIONS must be a whole number from 1 to 1000 (got "0")'],
    [{ SHUTDOWN_GRACE_MS: '1e3' }, 'SHUTDOWN_GRACE_MS must be a whole number from 0 to 600000 (got "1e3")'],
  ])('refuses %j', (env, problem) => {
    expect(problemsOf(env)).toEqual([problem]);
  });

  it('never echoes the key in a problem', () => {
    const problems = problemsOf({ BRAZE_API_KEY: "'secret-key-123'", BRAZE_REST_ENDPOINT: 'http://example.com' });
    expect(problems.join('\n')).not.toContain('secret-key-123');
    expect(problems).toHaveLength(2);
  });
});

describe('secrets that cannot be what the operator meant are refused at start, never echoed', () => {
  const LIVE = { BRAZE_INSTANCE: 'US-01', ...AUTH };

  it.each([
    // A one-character key had the log redactor blank that character in every line.
    ['one character', 'k', 'BRAZE_API_KEY is too short to be a Braze REST API key (1 of at least 32 characters; the dashboard\'s are 36-character UUIDs)'],
    ['31 characters', 'k'.repeat(31), 'BRAZE_API_KEY is too short to be a Braze REST API key (31 of at least 32 characters; the dashboard\'s are 36-character UUIDs)'],
    ['wrapped in double quotes', `"${KEY}"`, 'BRAZE_API_KEY begins or ends with a quote: quotes would be part of the value; remove them'],
    ['wrapped in single quotes', `'${KEY}'`, 'BRAZE_API_KEY begins or ends with a quote: quotes would be part of the value; remove them'],
    ['with a leading quote only', `"${KEY}`, 'BRAZE_API_KEY begins or ends with a quote: quotes would be part of the value; remove them'],
    ['with a trailing quote only', `${KEY}'`, 'BRAZE_API_KEY begins or ends with a quote: quotes would be part of the value; remove them'],
    ['with a non-breaking space', `${KEY}\u00a0x`, 'BRAZE_API_KEY contains white space'],
    ['outside ASCII', `${KEY}é`, 'BRAZE_API_KEY must be printable ASCII: it is sent in an HTTP header'],
    ['with a control character', `${KEY}\u0000`, 'BRAZE_API_KEY must be printable ASCII: it is sent in an HTTP header'],
  ])('BRAZE_API_KEY %s', (_name, key, problem) => {
    const problems = problemsOf({ ...LIVE, BRAZE_API_KEY: key });
    expect(problems).toEqual([problem]);
    if (key.length > 8) expect(problems.join('\n')).not.toContain(key.slice(1, -1));
  });

  it('keys of 32 characters and more, UUIDs or not, are accepted (the test gateways\' key included)', () => {
    for (const key of ['k'.repeat(32), KEY, 'sk-test-9f8e7d6c5b4a39281706f5e4d3c2b1a0']) {
      expect(loadConfig({ ...LIVE, BRAZE_API_KEY: key }).braze).toMatchObject({ mode: 'live', apiKey: key });
    }
  });

  it.each([
    ['AUTH_TOKENS quoted whole', { AUTH_TOKENS: '"tok-0123456789abcdef"' }, 'AUTH_TOKENS begins or ends with a quote: quotes would be part of the value; remove them'],
    ['AUTH_TOKENS quoted whole in single quotes', { AUTH_TOKENS: "'tok-0123456789abcdef,tok-fedcba9876543210'" }, 'AUTH_TOKENS begins or ends with a quote: quotes would be part of the value; remove them'],
    ['an AUTH_TOKENS entry quoted', { AUTH_TOKENS: 'tok-0123456789abcdef, "tok-fedcba9876543210", tok-aaaaaaaaaaaaaaaaaa' }, 'AUTH_TOKENS entry 2 begins or ends with a quote: quotes would be part of the token; remove them'],
    ['an AUTH_TOKENS entry outside ASCII', { AUTH_TOKENS: 'tok-0123456789abcdef,tok-fedcba98765432é0' }, 'AUTH_TOKENS entry 2 must be printable ASCII: clients send it in an HTTP header'],
    ['AUTH_JWT_SECRET quoted', { AUTH_JWT_SECRET: `"${'s'.repeat(40)}"` }, 'AUTH_JWT_SECRET begins or ends with a quote: quotes would be part of the value; remove them'],
    ['AUTH_JWT_ISSUER quoted', { AUTH_JWT_SECRET: 's'.repeat(40), AUTH_JWT_ISSUER: "'https://issuer.example.com/'" }, 'AUTH_JWT_ISSUER begins or ends with a quote: quotes would be part of the value; remove them'],
    ['AUTH_JWT_AUDIENCE quoted', { AUTH_JWT_SECRET: 's'.repeat(40), AUTH_JWT_AUDIENCE: '"braze-gateway"' }, 'AUTH_JWT_AUDIENCE begins or ends with a quote: quotes would be part of the value; remove them'],
    ['OTEL_EXPORTER_OTLP_HEADERS quoted', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_HEADERS: "'api-key=collector-secret-value'" }, 'OTEL_EXPORTER_OTLP_HEADERS begins or ends with a quote: quotes would be part of the value; remove them'],
    ['OTEL_EXPORTER_OTLP_TRACES_HEADERS quoted', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_TRACES_HEADERS: '"authorization=Bearer%20collector-secret-value"' }, 'OTEL_EXPORTER_OTLP_TRACES_HEADERS begins or ends with a quote: quotes would be part of the value; remove them'],
  ])('%s', (_name, env, problem) => {
    const problems = problemsOf({ BRAZE_INSTANCE: 'US-01', BRAZE_API_KEY: KEY, ...AUTH, ...env });
    expect(problems[0]).toBe(problem);
    expect(problems.join('\n')).not.toMatch(/tok-|s{40}|secret-value|issuer\.example|braze-gateway/);
  });

  it('a REDIS_URL in quotes was already refused: it is no URL', () => {
    expect(problemsOf({ REDIS_URL: '"redis://:password@127.0.0.1:6379"' })).toEqual(['REDIS_URL must be a redis:// or rediss:// URL']);
  });
});

describe('the whole-response cache settings', () => {
  it('follows the answer cache: off with CACHE_ENABLED=false unless set, and RESPONSE_CACHE_MAX_ENTRIES is bounded', () => {
    expect(loadConfig({ CACHE_ENABLED: 'false' }, NO_LIMIT).responseCache).toEqual({ enabled: false, maxEntries: 1_000, maxBytes: 32 * 1024 * 1024 });
    expect(loadConfig({ RESPONSE_CACHE_ENABLED: 'false' }, NO_LIMIT).responseCache.enabled).toBe(false);
    expect(loadConfig({ RESPONSE_CACHE_MAX_ENTRIES: '50' }, NO_LIMIT).responseCache).toEqual({ enabled: true, maxEntries: 50, maxBytes: 32 * 1024 * 1024 });
    expect(problemsOf({ RESPONSE_CACHE_MAX_ENTRIES: '0' })).toEqual(['RESPONSE_CACHE_MAX_ENTRIES must be a whole number from 1 to 1000000 (got "0")']);
    expect(loadConfig({ RESPONSE_CACHE_MAX_BYTES: '1048576' }, NO_LIMIT).responseCache.maxBytes).toBe(1_048_576);
    expect(problemsOf({ RESPONSE_CACHE_MAX_BYTES: '1000' })).toHaveLength(1);
  });

  it('refuses RESPONSE_CACHE_ENABLED=true with CACHE_ENABLED=false', () => {
    expect(problemsOf({ CACHE_ENABLED: 'false', RESPONSE_CACHE_ENABLED: 'true' })).toEqual([
      'RESPONSE_CACHE_ENABLED=true needs CACHE_ENABLED=true (a response is kept only as long as the answers it was built from)',
    ]);
  });
});
