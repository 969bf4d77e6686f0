import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/index.js';
import { MAX_REQUESTED_HEADERS, requestedHeaders } from '../src/plugins/useCorsPolicy.js';
import { useFakeBrazeWithGatewaysPerTest, type TestGateway } from './helpers/gateway.js';
import { openRaw } from './helpers/rawSocket.js';

/**
 * CORS under hostile origins and preflight headers: an origin is allowed only when it is, byte for byte,
 * one of CORS_ORIGINS; the client's Origin and Access-Control-Request-* are never echoed as they came;
 * nothing can be injected into the answer's headers; a preflight's answer stays small; a preflight
 * never reaches Braze.
 */

const ALLOWED = 'https://allowed.example';
const DEV = 'http://localhost:5173';
const AT = '2024-01-01T00:00:00Z';
const QUERY = JSON.stringify({ query: `{ eventSeries(event: "e", length: 2, endingAt: "${AT}") { total } }` });
const CORS_HEADERS = ['access-control-allow-origin', 'access-control-allow-methods', 'access-control-allow-headers', 'access-control-max-age', 'access-control-allow-credentials', 'access-control-expose-headers'];

/** Origins that are not ALLOWED or DEV, though each looks like one of them to a careless comparison. */
const LOOKALIKES = [
  'null',
  '*',
  'http://allowed.example',
  'https://allowed.example.',
  'https://allowed.example/',
  'https://allowed.example:443',
  'https://allowed.example:8443',
  'https://ALLOWED.example',
  'HTTPS://allowed.example',
  'https://user@allowed.example',
  'https://allowed.example@evil.example',
  'https://allowed.example.evil',
  'https://evil.allowed.example',
  'https://evil/https://allowed.example',
  'https://evil.example#https://allowed.example',
  'https://evil.example?https://allowed.example',
  'https://allowedXexample',
  'https://xn--llowed-8nf.example',
  'https://allowed.example, https://evil.example',
  'https://evil.example https://allowed.example',
  'http://localhost:5173.evil.example',
  'http://localhost:51730',
  'http://localhost',
  'http://127.0.0.1:5173',
  'http://[::1]:5173',
  `https://${'a'.repeat(8_000)}.allowed.example`,
  'file://',
  'chrome-extension://abcdefghijklmnop',
];

interface RawAnswer {
  readonly status: number;
  /** Header lines as sent, lowercased names, in order. */
  readonly headers: readonly [string, string][];
  readonly bytes: number;
  get(name: string): string[];
}

/** Sends `request` (a whole HTTP/1.1 request, Connection: close) over a raw socket and reads the answer to the end. */
async function rawExchange(url: URL, request: string | Buffer): Promise<RawAnswer> {
  const connection = await openRaw(url);
  connection.socket.write(request);
  await connection.closedAt;
  const text = connection.received();
  const head = text.split('\r\n\r\n')[0] ?? '';
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = lines.map((line): [string, string] => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
  });
  return {
    status: Number(statusLine.split(' ')[1]),
    headers,
    bytes: Buffer.byteLength(text, 'latin1'),
    get: (name) => headers.filter(([key]) => key === name).map(([, value]) => value),
  };
}

function preflightBytes(gateway: TestGateway, headerLines: string): string {
  return `OPTIONS /graphql HTTP/1.1\r\nHost: 127.0.0.1:${gateway.url.port}\r\nConnection: close\r\n${headerLines}\r\n`;
}

const preflight = (gateway: TestGateway, origin: string, requestHeaders = 'content-type, authorization') =>
  fetch(gateway.url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': requestHeaders } });

const post = (gateway: TestGateway, origin: string) =>
  fetch(gateway.url, { method: 'POST', headers: { origin, 'content-type': 'application/json', ...gateway.authHeaders }, body: QUERY });

/** No CORS header at all, and exactly one Vary naming Origin. */
function expectNoCors(headers: Headers, what: string): void {
  for (const name of CORS_HEADERS) expect(headers.get(name), `${what}: ${name}`).toBeNull();
  expect(headers.get('vary'), what).toBe('Origin');
}

describe('CORS_ORIGINS=https://allowed.example,http://localhost:5173 against lookalike origins', () => {
  const { braze, start } = useFakeBrazeWithGatewaysPerTest();

  it(`${LOOKALIKES.length} lookalike origins: no CORS header on the preflight or the answer, one Vary: Origin; preflights make no call`, async () => {
    const gateway = await start({ CORS_ORIGINS: `${ALLOWED},${DEV}` });
    for (const origin of LOOKALIKES) {
      const pre = await preflight(gateway, origin);
      expect(pre.status, origin).toBe(204);
      expect(await pre.text()).toBe('');
      expectNoCors(pre.headers, `preflight from ${origin.slice(0, 60)}`);
    }
    expect(braze.calls.length).toBe(0);
    for (const origin of LOOKALIKES) {
      const response = await post(gateway, origin);
      // CORS is the browser's business: the server answers, the browser withholds it.
      expect(((await response.json()) as { data: unknown }).data).toEqual({ eventSeries: { total: 3 } });
      expectNoCors(response.headers, `POST from ${origin.slice(0, 60)}`);
    }
    expect(braze.calls.length).toBe(LOOKALIKES.length);
  });

  it('the allowed origins, exactly as a browser sends them, are echoed; one Vary: Origin on the preflight too', async () => {
    const gateway = await start({ CORS_ORIGINS: `${ALLOWED}/,${DEV}` });
    for (const origin of [ALLOWED, DEV]) {
      const pre = await preflight(gateway, origin);
      expect(pre.status).toBe(204);
      expect(pre.headers.get('access-control-allow-origin')).toBe(origin);
      expect(pre.headers.get('access-control-allow-methods')).toBe('GET, POST');
      expect(pre.headers.get('access-control-allow-headers')).toBe('content-type, authorization');
      expect(pre.headers.get('access-control-allow-credentials')).toBeNull();
      expect(pre.headers.get('vary')).toBe('Origin');
      const response = await post(gateway, origin);
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      expect(response.headers.get('vary')).toBe('Origin');
    }
  });

  it('two Origin headers (raw socket, either order, even both allowed), and unicode bytes, are not an allowed origin', async () => {
    const gateway = await start({ CORS_ORIGINS: `${ALLOWED},${DEV}` });
    for (const [first, second] of [
      [ALLOWED, 'https://evil.example'],
      ['https://evil.example', ALLOWED],
      [ALLOWED, ALLOWED],
      [ALLOWED, DEV],
    ]) {
      const answer = await rawExchange(gateway.url, preflightBytes(gateway, `Origin: ${first}\r\nOrigin: ${second}\r\nAccess-Control-Request-Method: POST\r\n`));
      expect(answer.status).toBe(204);
      for (const name of CORS_HEADERS) expect(answer.get(name), `${first} + ${second}: ${name}`).toEqual([]);
    }
    // Unicode on the wire (UTF-8 bytes, read by Node as latin1): a Cyrillic "а" for the "a", or the name itself.
    for (const origin of ['https://\u0430llowed.example', 'https://allowed.example\u00a0', 'https://b\u00fccher.example']) {
      const bytes = Buffer.from(preflightBytes(gateway, `Origin: ${origin}\r\nAccess-Control-Request-Method: POST\r\n`), 'utf8');
      const answer = await rawExchange(gateway.url, bytes);
      expect(answer.status).toBe(204);
      for (const name of CORS_HEADERS) expect(answer.get(name), `${origin}: ${name}`).toEqual([]);
    }
  });

  it('CR, LF and NUL in Origin or the requested headers are refused by the HTTP parser (400), nothing injected', async () => {
    const gateway = await start({ CORS_ORIGINS: `${ALLOWED},${DEV}` });
    for (const lines of [
      `Origin: ${ALLOWED}\rInjected: 1\r\n`,
      `Origin: ${ALLOWED}\u0000\r\n`,
      `Origin: ${ALLOWED}\r\nAccess-Control-Request-Headers: x-a\rInjected: 1\r\n`,
      `Origin: ${ALLOWED}\r\nAccess-Control-Request-Headers: x-a\u0000\r\n`,
      `Origin: ${ALLOWED}\r\nAccess-Control-Request-Method: POST\rInjected: 1\r\n`,
    ]) {
      const answer = await rawExchange(gateway.url, preflightBytes(gateway, lines));
      expect(answer.status, JSON.stringify(lines)).toBe(400);
      expect(answer.get('injected')).toEqual([]);
      for (const name of CORS_HEADERS) expect(answer.get(name)).toEqual([]);
    }
    // A line folded onto the next (obsolete, refused by Node) does not smuggle a header either.
    const folded = await rawExchange(gateway.url, preflightBytes(gateway, `Origin: ${ALLOWED}\r\nAccess-Control-Request-Headers: x-a,\r\n Injected: 1\r\n`));
    expect(folded.get('injected')).toEqual([]);
    expect(braze.calls.length).toBe(0);
  });

  it('hostile Access-Control-Request-Headers from an allowed origin: only a list of header names is granted, lowercased, without repeats; anything else gets none', async () => {
    const gateway = await start({ CORS_ORIGINS: `${ALLOWED},${DEV}` });
    const names = (count: number) => Array.from({ length: count }, (_, i) => `x-h${i}`).join(',');
    const cases: [string, string | null][] = [
      ['x-a,x-b', 'x-a, x-b'],
      ['X-A, x-a ,X-B', 'x-a, x-b'],
      ['content-type,authorization,x-request-id,traceparent', 'content-type, authorization, x-request-id, traceparent'],
      [names(MAX_REQUESTED_HEADERS), names(MAX_REQUESTED_HEADERS).replaceAll(',', ', ')],
      [names(MAX_REQUESTED_HEADERS + 1), null],
      [names(1_000), null],
      ['x-'.padEnd(3_000, 'a'), null],
      ['x a', null],
      ['x-a;b', null],
      ['"x-a"', null],
      ['x-a,,x-b', null],
      [',', null],
      ['x-a, (x-b)', null],
      ['x-a: 1', null],
      ['<script>', null],
    ];
    for (const [requested, granted] of cases) {
      const pre = await preflight(gateway, ALLOWED, requested);
      expect(pre.status).toBe(204);
      expect(pre.headers.get('access-control-allow-origin')).toBe(ALLOWED);
      expect(pre.headers.get('access-control-allow-headers'), requested.slice(0, 60)).toBe(granted);
    }
    // Bytes above 0x7F (latin1 on the wire) are not names: not echoed (they came back as mojibake before).
    const answer = await rawExchange(gateway.url, Buffer.concat([Buffer.from(preflightBytes(gateway, `Origin: ${ALLOWED}\r\nAccess-Control-Request-Headers: x-a`).slice(0, -2), 'latin1'), Buffer.from([0xff, 0xfe]), Buffer.from('\r\n\r\n')]));
    expect(answer.status).toBe(204);
    expect(answer.get('access-control-allow-headers')).toEqual([]);
    expect(braze.calls.length).toBe(0);
  });

  it('hostile Access-Control-Request-Method: the answer grants GET and POST, nothing it was asked', async () => {
    const gateway = await start({ CORS_ORIGINS: `${ALLOWED},${DEV}` });
    for (const method of ['DELETE', 'PUT, PATCH', 'x'.repeat(8_000), '*', 'GET, POST, CONNECT']) {
      const pre = await fetch(gateway.url, { method: 'OPTIONS', headers: { origin: ALLOWED, 'access-control-request-method': method } });
      expect(pre.headers.get('access-control-allow-methods')).toBe('GET, POST');
    }
  });

  it('a preflight answer stays small, whatever the preflight carried (up to the 16 KiB Node takes in headers)', async () => {
    const gateway = await start({ CORS_ORIGINS: `${ALLOWED},${DEV}` });
    const big = 'x'.repeat(15_000);
    for (const lines of [
      `Origin: ${ALLOWED}\r\nAccess-Control-Request-Headers: ${'x-a,'.repeat(3_700)}x-a\r\n`,
      `Origin: ${ALLOWED}\r\nAccess-Control-Request-Headers: x-${big}\r\n`,
      `Origin: ${ALLOWED}\r\nAccess-Control-Request-Method: ${big}\r\n`,
      `Origin: https://${big}.example\r\n`,
      `Origin: ${ALLOWED}\r\nX-Request-Id: ${big}\r\n`,
    ]) {
      const answer = await rawExchange(gateway.url, preflightBytes(gateway, lines));
      expect(answer.status).toBe(204);
      expect(answer.bytes).toBeLessThan(600);
    }
    // Past Node's header limit: 431, before anything of ours runs.
    const tooBig = await rawExchange(gateway.url, preflightBytes(gateway, `Origin: ${ALLOWED}\r\nAccess-Control-Request-Headers: ${'x-a,'.repeat(5_000)}x-a\r\n`));
    expect(tooBig.status).toBe(431);
  });
});

describe('CORS_ORIGINS=* (and demo mode): every origin may read; its Origin is never echoed', () => {
  const { braze, start } = useFakeBrazeWithGatewaysPerTest();

  it('any Origin, hostile ones included, gets Access-Control-Allow-Origin: * and never its own text back', async () => {
    const gateway = await start({ CORS_ORIGINS: '*' });
    for (const origin of [ALLOWED, ...LOOKALIKES]) {
      const pre = await preflight(gateway, origin);
      expect(pre.headers.get('access-control-allow-origin'), origin.slice(0, 60)).toBe('*');
      expect(pre.headers.get('access-control-allow-credentials')).toBeNull();
      const response = await post(gateway, origin);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('vary')).toBe('Origin');
    }
    // Two Origin headers (joined by Node into one value) are not echoed either.
    const answer = await rawExchange(gateway.url, preflightBytes(gateway, `Origin: ${ALLOWED}\r\nOrigin: https://evil.example\r\n`));
    expect(answer.get('access-control-allow-origin')).toEqual(['*']);
    expect(braze.calls.length).toBe(LOOKALIKES.length + 1);
  });
});

describe('CORS_ORIGINS edge cases at start', () => {
  const LIVE = { BRAZE_INSTANCE: 'US-01', BRAZE_API_KEY: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', AUTH_TOKENS: 'tok-0123456789abcdef' };
  const read = (value: string): readonly string[] | '*' | ConfigError => {
    try {
      return loadConfig({ ...LIVE, CORS_ORIGINS: value }).corsOrigins;
    } catch (error) {
      if (error instanceof ConfigError) return error;
      throw error;
    }
  };
  const refused = (value: string): string => {
    const result = read(value);
    if (!(result instanceof ConfigError)) throw new Error(`"${value}" was accepted as ${JSON.stringify(result)}`);
    return result.problems.join('\n');
  };

  it.each([
    ['https://app.example.com', ['https://app.example.com']],
    ['https://app.example.com/', ['https://app.example.com']],
    [' https://app.example.com , http://localhost:5173/ ', ['https://app.example.com', 'http://localhost:5173']],
    ['https://xn--bcher-kva.example', ['https://xn--bcher-kva.example']],
    ['http://[::1]:5173', ['http://[::1]:5173']],
    ['https://app.example.com.', ['https://app.example.com.']],
    ['*', '*'],
    [',', []],
  ])('%j is read as %j', (value, expected) => {
    expect(read(value)).toEqual(expected);
  });

  it.each([
    // What browsers never send as an Origin, or what the URL parser would quietly rewrite.
    'null',
    'app.example.com',
    'https://app.example.com/path',
    'https://app.example.com//',
    'https://app.example.com?x',
    'https://app.example.com#x',
    'https://app.example.com:443',
    'http://app.example.com:80',
    'https://App.Example.com',
    'https://user:secret@app.example.com',
    'https://bücher.example',
    'http://0x7f.0.0.1',
    '"https://app.example.com"',
    'ftp://app.example.com',
  ])('%j is refused at start', (value) => {
    expect(refused(value)).toContain('CORS_ORIGINS entries must be origins such as https://app.example.com');
  });

  it.each(['https://*.example.com', 'http://*:5173', 'https://app-*.example.com', '*,https://app.example.com', 'https://app.example.com,*'])(
    '%j (a pattern, or * among origins) is refused at start: it would allow nothing the operator meant',
    (value) => {
      expect(refused(value)).toContain('CORS_ORIGINS takes no patterns: list each origin, or * alone for any');
    },
  );
});

describe('requestedHeaders', () => {
  it('reads a browser\'s list; refuses what is not one', () => {
    expect(requestedHeaders('content-type,authorization')).toEqual(['content-type', 'authorization']);
    expect(requestedHeaders('  X-A ,x-a')).toEqual(['x-a']);
    expect(requestedHeaders(null)).toBeUndefined();
    expect(requestedHeaders('')).toBeUndefined();
    expect(requestedHeaders('x a')).toBeUndefined();
    expect(requestedHeaders('ÿþ')).toBeUndefined();
  });
});
