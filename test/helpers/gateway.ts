import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { GraphQLClient } from 'graphql-request';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startServer, type RunningGateway } from '../../src/startServer.js';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/observability/logger.js';
import { defaultResponder, FakeBraze, startFakeBraze, type FakeBrazeOptions } from '../../testkit/fakeBraze.js';

/** A key that looks real enough; tests assert it never leaves the gateway except towards Braze. */
export const TEST_API_KEY = 'sk-test-9f8e7d6c5b4a39281706f5e4d3c2b1a0';

/** The static bearer token live-mode test gateways accept by default (AUTH_TOKENS); never to be logged. */
export const TEST_AUTH_TOKEN = 'tok-test-4b1d9e0c7a2f48e6b3d5c8a1f0e9d7c6';

/** A GraphQL error as it arrives over the wire. */
export interface WireError {
  message: string;
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

export interface WireResult<T> {
  status: number;
  headers: Headers;
  body: string;
  data: T | null | undefined;
  errors: WireError[];
}

export interface TestGateway {
  readonly running: RunningGateway;
  readonly url: URL;
  readonly client: GraphQLClient;
  /**
   * What every helper request carries: `authorization: Bearer TEST_AUTH_TOKEN` when the gateway was
   * started with the default credential, the first of `env.AUTH_TOKENS` when given, else nothing.
   * Spread it into a hand-made fetch.
   */
  readonly authHeaders: Readonly<Record<string, string>>;
  /** Every log line the gateway wrote, at debug level and up, exactly as written. */
  readonly logs: string[];
  /** Sends a typed document over HTTP (graphql-request) and returns data and errors, never throwing on errors. */
  execute<T, V extends Record<string, unknown>>(document: TypedDocumentNode<T, V>, variables?: V): Promise<WireResult<T>>;
  /** The same for an ad-hoc query string. */
  query<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<WireResult<T>>;
  /**
   * POSTs a query with the credential and returns the raw Response, for tests that add headers
   * (Cache-Control, …) or abort the request part-way.
   */
  post(query: string, init?: { headers?: Record<string, string>; signal?: AbortSignal }): Promise<Response>;
  close(): Promise<void>;
}

/**
 * Starts the real gateway (loadConfig → startServer → listening socket on port 0). With a FakeBraze
 * it is in live mode against it; without one, in demo mode against the built-in simulator. The
 * cross-request cache and the whole-response cache are off unless `env` turns them on. A live gateway needs a credential: unless `env`
 * sets any AUTH_* variable, it accepts TEST_AUTH_TOKEN, and `client`, `query` and `execute` send it (or
 * the first of the test's own AUTH_TOKENS).
 */
export async function startTestGateway(
  braze: FakeBraze | undefined,
  env: Record<string, string> = {},
): Promise<TestGateway> {
  const live = braze !== undefined || env['BRAZE_API_KEY'] !== undefined;
  const defaultAuth = live && !Object.keys(env).some((name) => name.startsWith('AUTH_'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    // Off unless a test asks: most tests count upstream calls per request, which a cache would hide.
    CACHE_ENABLED: 'false',
    // Likewise the whole-response cache, which would otherwise follow a test's CACHE_ENABLED=true.
    RESPONSE_CACHE_ENABLED: 'false',
    ...(braze ? { BRAZE_REST_ENDPOINT: braze.url.href, BRAZE_API_KEY: TEST_API_KEY } : {}),
    ...(defaultAuth ? { AUTH_TOKENS: TEST_AUTH_TOKEN } : {}),
    ...env,
  });
  // A test that configures its own AUTH_TOKENS gets helpers that send the first of them.
  const token = defaultAuth ? TEST_AUTH_TOKEN : env['AUTH_TOKENS']?.split(',')[0]?.trim();
  const authHeaders: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const logs: string[] = [];
  // No `secrets` here on purpose: tests prove the key is never logged, not that it is redacted.
  const logger = createLogger({ level: 'debug', write: (line) => logs.push(line) });
  const running = await startServer(config, logger);
  const url = new URL(running.url.href.replace('localhost', '127.0.0.1'));
  const client = new GraphQLClient(url.href, { errorPolicy: 'all', headers: authHeaders });

  const post = (text: string, init: { headers?: Record<string, string>; signal?: AbortSignal; variables?: Record<string, unknown> } = {}): Promise<Response> =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...authHeaders, ...init.headers },
      body: JSON.stringify({ query: text, variables: init.variables }),
      ...(init.signal ? { signal: init.signal } : {}),
    });

  const query = async <T,>(text: string, variables?: Record<string, unknown>): Promise<WireResult<T>> => {
    const response = await post(text, variables ? { variables } : {});
    const body = await response.text();
    const parsed = JSON.parse(body) as { data?: T | null; errors?: WireError[] };
    return { status: response.status, headers: response.headers, body, data: parsed.data, errors: parsed.errors ?? [] };
  };

  return {
    running,
    url,
    client,
    authHeaders,
    logs,
    async execute(document, variables) {
      const result = await client.rawRequest<unknown, Record<string, unknown>>(print(document), variables);
      return {
        status: result.status,
        headers: result.headers,
        body: result.body,
        data: result.data as never,
        errors: (result.errors ?? []) as unknown as WireError[],
      };
    },
    query,
    post: (text, init) => post(text, init),
    close: () => running.close(1000),
  };
}

/** A fake Braze and a gateway in live mode against it: what most test files start in beforeAll. */
export async function startGatewayWithFakeBraze(env: Record<string, string> = {}): Promise<{ braze: FakeBraze; gateway: TestGateway }> {
  const braze = await startFakeBraze();
  return { braze, gateway: await startTestGateway(braze, env) };
}

/** Stops what startGatewayWithFakeBraze started, the gateway first so it drains before Braze goes. */
export async function stopGatewayWithFakeBraze({ braze, gateway }: { braze: FakeBraze | undefined; gateway: TestGateway | undefined }): Promise<void> {
  await gateway?.close();
  await braze?.close();
}

/**
 * For files whose tests each need their own Braze (its rate-limit headers counting from the start, say):
 * returns `start`, which starts a fake Braze with `options` and a gateway against it; whatever a test
 * started is stopped after it.
 */
export function useGatewayPerTest(env: Record<string, string> = {}): (options?: FakeBrazeOptions) => Promise<{ braze: FakeBraze; gateway: TestGateway }> {
  let braze: FakeBraze | undefined;
  let gateway: TestGateway | undefined;
  afterEach(async () => {
    await stopGatewayWithFakeBraze({ braze, gateway });
    braze = undefined;
    gateway = undefined;
  });
  return async (options = {}) => {
    const fake = (braze = await startFakeBraze(options));
    const started = (gateway = await startTestGateway(fake, env));
    return { braze: fake, gateway: started };
  };
}

/**
 * One fake Braze for a file, and gateways against it started by each test (`start(env)`), closed after
 * that test; the fake's recorded calls and answers go back to their defaults after each test too.
 */
export function useFakeBrazeWithGatewaysPerTest(): { readonly braze: FakeBraze; readonly start: (env?: Record<string, string>) => Promise<TestGateway> } {
  const braze = new FakeBraze();
  const started: TestGateway[] = [];
  beforeAll(() => braze.start());
  afterAll(() => braze.close());
  afterEach(async () => {
    await Promise.all(started.splice(0).map((gateway) => gateway.close()));
    braze.calls.length = 0;
    braze.respond(defaultResponder);
  });
  return {
    braze,
    async start(env = {}) {
      const gateway = await startTestGateway(braze, env);
      started.push(gateway);
      return gateway;
    },
  };
}

/**
 * What most test files start: a fake Braze and a gateway in live mode against it, started in
 * beforeAll, stopped in afterAll, with the recorded calls forgotten before each test unless
 * `resetCallsBeforeEach` is false (for files whose tests read calls made by earlier ones). Call it at
 * the top of a file or a describe block; both are usable from the first hook on (before that, the fake
 * has no url and the gateway throws).
 */
export function useGatewayWithFakeBraze(
  env: Record<string, string> = {},
  { resetCallsBeforeEach = true, latencyMs = 0 }: { resetCallsBeforeEach?: boolean; latencyMs?: number } = {},
): { readonly braze: FakeBraze; readonly gateway: TestGateway } {
  const braze = new FakeBraze({ latencyMs });
  let started: TestGateway | undefined;
  beforeAll(async () => {
    await braze.start();
    started = await startTestGateway(braze, env);
  });
  afterAll(() => stopGatewayWithFakeBraze({ braze, gateway: started }));
  if (resetCallsBeforeEach) {
    beforeEach(() => {
      braze.calls.length = 0;
    });
  }
  const gateway = (): TestGateway => {
    if (!started) throw new Error('the gateway is not started yet: use it in a test or a hook');
    return started;
  };
  return { braze, gateway: forwardTo(gateway) };
}

/** A TestGateway that is the one `current` returns when used, so a file can hold it before it starts. */
function forwardTo(current: () => TestGateway): TestGateway {
  return {
    get running() {
      return current().running;
    },
    get url() {
      return current().url;
    },
    get client() {
      return current().client;
    },
    get authHeaders() {
      return current().authHeaders;
    },
    get logs() {
      return current().logs;
    },
    execute: (document, variables) => current().execute(document, variables),
    query: (text, variables) => current().query(text, variables),
    post: (text, init) => current().post(text, init),
    close: () => current().close(),
  };
}
