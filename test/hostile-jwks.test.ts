import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  JWKS_CACHE_MAX_AGE_MS,
  JWKS_COOLDOWN_MS,
  JWKS_MAX_BYTES,
  JWKS_RETRY_AFTER_FAILURE_MS,
  JWKS_TIMEOUT_MS,
} from '../src/auth/remoteKeySet.js';
import { useFakeBrazeWithGatewaysPerTest, type TestGateway } from './helpers/gateway.js';

/**
 * AUTH_JWKS_URL pointing at a JWKS that hangs, stalls, answers huge, endless, compressed, junk or
 * redirects, rotates its keys mid-request, or is flooded with tokens naming unknown keys. Every request
 * gets its 401 (or its 200 when the key is there) within JWKS_TIMEOUT_MS and a margin; memory stays
 * flat; the JWKS server sees an exact number of fetches.
 */

const { braze, start } = useFakeBrazeWithGatewaysPerTest();
const QUERY = JSON.stringify({ query: '{ eventSeries(event: "e", length: 2, endingAt: "2024-01-01T00:00:00Z") { total } }' });
/** What a loaded machine may add to a deadline. */
const MARGIN_MS = 3_000;

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** A JWKS server whose behaviour a test sets; counts fetches and the bytes it managed to send. */
class JwksServer {
  fetches = 0;
  bytesSent = 0;
  handler: Handler = (_request, response) => response.end('{"keys":[]}');
  readonly #server: Server = createServer((request, response) => {
    this.fetches++;
    const write = response.write.bind(response);
    response.write = ((chunk: Buffer | string, ...rest: never[]) => {
      this.bytesSent += Buffer.byteLength(chunk);
      return write(chunk, ...rest);
    }) as typeof response.write;
    this.handler(request, response);
  });
  url = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/.well-known/jwks.json`;
  }
  serve(keys: readonly JWK[]): void {
    this.handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys }));
    };
  }
  reset(): void {
    this.fetches = 0;
    this.bytesSent = 0;
  }
  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }
}

const jwks = new JwksServer();
let k1: { privateKey: CryptoKey; jwk: JWK };
let k2: { privateKey: CryptoKey; jwk: JWK };
let stranger: { privateKey: CryptoKey; jwk: JWK };

async function key(kid: string): Promise<{ privateKey: CryptoKey; jwk: JWK }> {
  const pair = await generateKeyPair('ES256');
  return { privateKey: pair.privateKey, jwk: { ...(await exportJWK(pair.publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

beforeAll(async () => {
  await jwks.start();
  [k1, k2, stranger] = await Promise.all([key('k1'), key('k2'), key('stranger')]);
});
afterAll(() => jwks.close());

// Jose and the gateway read time from Date.now: a test moves it forward to pass a cooldown or a cache age.
const realNow = Date.now.bind(Date);
let clockOffsetMs = 0;
function advanceClock(ms: number): void {
  clockOffsetMs += ms;
  vi.spyOn(Date, 'now').mockImplementation(() => realNow() + clockOffsetMs);
}
afterEach(() => {
  vi.restoreAllMocks();
  clockOffsetMs = 0;
  jwks.reset();
  jwks.handler = (_request, response) => response.end('{"keys":[]}');
});

async function token(signer: { privateKey: CryptoKey }, header: { kid?: string } = {}): Promise<string> {
  return new SignJWT({ sub: 'dashboard' }).setProtectedHeader({ alg: 'ES256', ...header }).setIssuedAt().setExpirationTime('5m').sign(signer.privateKey);
}

/** POSTs the query with `bearer`; status, elapsed ms, and the calls Braze got for it. */
async function ask(gateway: TestGateway, bearer: string): Promise<{ status: number; ms: number; calls: number }> {
  const before = braze.calls.length;
  const started = performance.now();
  const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` }, body: QUERY });
  await response.arrayBuffer();
  return { status: response.status, ms: performance.now() - started, calls: braze.calls.length - before };
}

/**
 * Peak growth (MiB) of the memory JavaScript holds (heap and buffers outside it) while `run` runs,
 * sampled every 5 ms. Not RSS: a process keeps RSS it once had, so an earlier test could hide a peak.
 */
async function peakMemoryGrowthMiB<T>(run: () => Promise<T>): Promise<{ result: T; growthMiB: number }> {
  const held = (): number => {
    const { heapUsed, external } = process.memoryUsage();
    return heapUsed + external;
  };
  const base = held();
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, held())), 5);
  try {
    const result = await run();
    peak = Math.max(peak, held());
    return { result, growthMiB: (peak - base) / 1024 / 1024 };
  } finally {
    clearInterval(sampler);
  }
}

const startGateway = (): Promise<TestGateway> => start({ AUTH_JWKS_URL: jwks.url });

describe('a JWKS that hangs', () => {
  it.each([
    ['never answers', (() => undefined) as Handler],
    ['sends its headers, then stalls the body', ((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"keys":[');
    }) as Handler],
  ])('%s: three concurrent requests share one fetch and get 401 at its timeout; then none is made for the retry pause', async (_name, handler) => {
    jwks.handler = handler;
    const gateway = await startGateway();
    const good = await token(k1, { kid: 'k1' });
    const answers = await Promise.all([ask(gateway, good), ask(gateway, good), ask(gateway, good)]);
    for (const answer of answers) {
      expect(answer).toMatchObject({ status: 401, calls: 0 });
      expect(answer.ms).toBeGreaterThanOrEqual(JWKS_TIMEOUT_MS - 100);
      expect(answer.ms).toBeLessThan(JWKS_TIMEOUT_MS + MARGIN_MS);
    }
    expect(jwks.fetches).toBe(1);
    // Within the retry pause: refused at once, the JWKS not asked.
    const paused = await ask(gateway, good);
    expect(paused).toMatchObject({ status: 401, calls: 0 });
    expect(paused.ms).toBeLessThan(1_000);
    expect(jwks.fetches).toBe(1);
    expect(gateway.logs.some((line) => line.includes('JWKS unavailable: the last JWKS fetch failed'))).toBe(true);
    // Past it, and the JWKS well again: asked once more, and the token is good.
    jwks.serve([k1.jwk]);
    advanceClock(JWKS_RETRY_AFTER_FAILURE_MS);
    expect(await ask(gateway, good)).toMatchObject({ status: 200, calls: 1 });
    expect(jwks.fetches).toBe(2);
  }, 30_000);
});

describe('a JWKS that answers too much', () => {
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  /** Writes `{"keys":[],"pad":"` then spaces until `totalBytes` or the client leaves, then `"}`. */
  const padded =
    (totalBytes: number, headers: Record<string, string> = {}): Handler =>
    (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', ...headers });
      let sent = response.write('{"keys":[],"pad":"') ? 0 : 0;
      let gone = false;
      response.on('close', () => (gone = true));
      const pump = (): void => {
        while (!gone && sent < totalBytes) {
          sent += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
        if (!gone) response.end('"}');
      };
      pump();
    };

  it.each([
    ['100 MB with its Content-Length', padded(100 * 1024 * 1024, { 'content-length': String(100 * 1024 * 1024 + 20) })],
    ['100 MB chunked', padded(100 * 1024 * 1024)],
    // "Endless": stopped by the test at 256 MiB so that a gateway that reads it all cannot take the machine down.
    ['an answer that never ends (chunked)', padded(256 * 1024 * 1024)],
  ])('%s: 401 long before the timeout, the JWKS abandoned after at most 1 MiB read, memory flat', async (_name, handler) => {
    jwks.handler = handler;
    const gateway = await startGateway();
    const good = await token(k1, { kid: 'k1' });
    const { result, growthMiB } = await peakMemoryGrowthMiB(() => ask(gateway, good));
    expect(result).toMatchObject({ status: 401, calls: 0 });
    expect(result.ms).toBeLessThan(JWKS_TIMEOUT_MS);
    expect(jwks.fetches).toBe(1);
    // What left the server before the gateway hung up: the 1 MiB read plus socket buffers.
    expect(jwks.bytesSent).toBeLessThan(32 * 1024 * 1024);
    expect(growthMiB).toBeLessThan(16);
    expect(gateway.logs.some((line) => line.includes(`JWKS unavailable: the JWKS answer is larger than ${JWKS_MAX_BYTES} bytes`))).toBe(true);
  }, 30_000);

  it('a gzip bomb (100 MB in 100 KB): counted as it is inflated, refused at 1 MiB', async () => {
    const bomb = gzipSync(Buffer.concat([Buffer.from('{"keys":[],"pad":"'), Buffer.alloc(100 * 1024 * 1024, 0x20), Buffer.from('"}')]));
    expect(bomb.length).toBeLessThan(200 * 1024);
    jwks.handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(bomb.length) });
      response.end(bomb);
    };
    const gateway = await startGateway();
    const { result, growthMiB } = await peakMemoryGrowthMiB(async () => ask(gateway, await token(k1, { kid: 'k1' })));
    expect(result).toMatchObject({ status: 401, calls: 0 });
    expect(jwks.fetches).toBe(1);
    expect(growthMiB).toBeLessThan(16);
  }, 30_000);
});

describe('a large but honest JWKS', () => {
  it('2,000 keys (under 1 MiB): a token by the last one → 200; a token without a kid, several keys matching → 401 (jose does not guess)', async () => {
    const keys = Array.from({ length: 2_000 }, (_, i) => ({ ...k1.jwk, kid: `k-${i}` }));
    expect(JSON.stringify({ keys }).length).toBeLessThan(JWKS_MAX_BYTES);
    jwks.serve(keys);
    const gateway = await startGateway();
    expect(await ask(gateway, await token(k1, { kid: 'k-1999' }))).toMatchObject({ status: 200, calls: 1 });
    expect(await ask(gateway, await token(k1))).toMatchObject({ status: 401, calls: 0 });
    expect(jwks.fetches).toBe(1);
  });
});

describe('a JWKS that answers junk, errors or redirects', () => {
  const junk: [string, Handler][] = [
    ['an HTML page (200)', (_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Sign in</body></html>')],
    ['JSON that is not a key set', (_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{"keys":"k1"}')],
    ['null', (_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('null')],
    ['a list', (_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('[{"kid":"k1"}]')],
    ['an empty body', (_request, response) => response.writeHead(200).end()],
    ['a 500', (_request, response) => response.writeHead(500, { 'content-type': 'application/json' }).end('{"keys":[]}')],
    ['a 404', (_request, response) => response.writeHead(404).end()],
    ['a 302 to a good JWKS', (request, response) => {
      if (request.url === '/elsewhere') response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [k1.jwk] }));
      else response.writeHead(302, { location: '/elsewhere' }).end();
    }],
    ['a connection reset', (request) => request.socket.destroy()],
  ];

  it.each(junk)('%s: 401 at once, one fetch, the redirect not followed; 200 requests in the retry pause make no other fetch', async (_name, handler) => {
    jwks.handler = handler;
    const gateway = await startGateway();
    const good = await token(k1, { kid: 'k1' });
    const first = await ask(gateway, good);
    expect(first).toMatchObject({ status: 401, calls: 0 });
    expect(first.ms).toBeLessThan(JWKS_TIMEOUT_MS);
    for (let i = 0; i < 200; i++) expect((await ask(gateway, good)).status).toBe(401);
    expect(jwks.fetches).toBe(1);
  }, 30_000);

  it('a JWKS failing for a minute under a steady stream of requests is asked once per retry pause, not once per request', async () => {
    jwks.handler = (_request, response) => response.writeHead(503).end();
    const gateway = await startGateway();
    const good = await token(k1, { kid: 'k1' });
    // 12 pauses' worth of time, 10 requests in each.
    for (let pause = 0; pause < 12; pause++) {
      for (let i = 0; i < 10; i++) expect((await ask(gateway, good)).status).toBe(401);
      advanceClock(JWKS_RETRY_AFTER_FAILURE_MS);
    }
    expect(jwks.fetches).toBe(12);
  }, 30_000);
});

describe('keys rotated, and tokens naming keys that are not there', () => {
  it('a flood of tokens with unknown kids, or none: one fetch per cooldown, however many; the good key keeps working', async () => {
    jwks.serve([k1.jwk]);
    const gateway = await startGateway();
    const good = await token(k1, { kid: 'k1' });
    expect(await ask(gateway, good)).toMatchObject({ status: 200, calls: 1 });
    expect(jwks.fetches).toBe(1);
    const flood = async (count: number): Promise<void> => {
      const tokens = await Promise.all(
        Array.from({ length: count }, (_, i) => (i % 3 === 0 ? token(stranger) : token(stranger, { kid: i % 3 === 1 ? `kid-${i}` : 'k1' }))),
      );
      for (let i = 0; i < tokens.length; i += 25) {
        const answers = await Promise.all(tokens.slice(i, i + 25).map((bearer) => ask(gateway, bearer)));
        for (const answer of answers) expect(answer).toMatchObject({ status: 401, calls: 0 });
      }
    };
    await flood(300);
    expect(jwks.fetches).toBe(1);
    advanceClock(JWKS_COOLDOWN_MS + 1);
    await flood(300);
    expect(jwks.fetches).toBe(2);
    expect(await ask(gateway, good)).toMatchObject({ status: 200, calls: 1 });
    expect(jwks.fetches).toBe(2);
  }, 60_000);

  it('a token by a new key while the fetch is in flight: it waits for that fetch; the rotated set serves it, one fetch', async () => {
    let answer: () => void = () => undefined;
    jwks.handler = (_request, response) => {
      answer = () => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [k1.jwk, k2.jwk] }));
    };
    const gateway = await startGateway();
    const byOld = ask(gateway, await token(k1, { kid: 'k1' }));
    await vi.waitFor(() => expect(jwks.fetches).toBe(1));
    const byNew = ask(gateway, await token(k2, { kid: 'k2' }));
    answer();
    expect(await byOld).toMatchObject({ status: 200 });
    expect(await byNew).toMatchObject({ status: 200 });
    expect(jwks.fetches).toBe(1);
  });

  it('a token by a new key while a fetch of the old set is in flight: 401 (the fetched set lacks it), accepted once the cooldown has passed', async () => {
    let answer: () => void = () => undefined;
    jwks.handler = (_request, response) => {
      answer = () => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [k1.jwk] }));
    };
    const gateway = await startGateway();
    const byOld = ask(gateway, await token(k1, { kid: 'k1' }));
    await vi.waitFor(() => expect(jwks.fetches).toBe(1));
    const newToken = await token(k2, { kid: 'k2' });
    const byNew = ask(gateway, newToken);
    answer();
    expect(await byOld).toMatchObject({ status: 200 });
    expect(await byNew).toMatchObject({ status: 401, calls: 0 });
    expect(jwks.fetches).toBe(1);
    // The IdP publishes k2; within the cooldown the gateway does not ask again.
    jwks.serve([k1.jwk, k2.jwk]);
    expect(await ask(gateway, newToken)).toMatchObject({ status: 401 });
    expect(jwks.fetches).toBe(1);
    advanceClock(JWKS_COOLDOWN_MS + 1);
    expect(await ask(gateway, newToken)).toMatchObject({ status: 200 });
    expect(jwks.fetches).toBe(2);
  });

  it('a key removed from the JWKS is trusted until the set is fetched again (at the latest after the cache age), then refused', async () => {
    jwks.serve([k1.jwk, k2.jwk]);
    const gateway = await startGateway();
    const old = await token(k1, { kid: 'k1' });
    expect(await ask(gateway, old)).toMatchObject({ status: 200 });
    jwks.serve([k2.jwk]);
    advanceClock(JWKS_CACHE_MAX_AGE_MS - 1_000);
    expect(await ask(gateway, old)).toMatchObject({ status: 200 });
    expect(jwks.fetches).toBe(1);
    advanceClock(1_001);
    expect(await ask(gateway, old)).toMatchObject({ status: 401, calls: 0 });
    expect(await ask(gateway, await token(k2, { kid: 'k2' }))).toMatchObject({ status: 200 });
    expect(jwks.fetches).toBe(2);
  });
});
