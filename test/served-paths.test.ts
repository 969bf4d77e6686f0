import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';
import { openRaw } from './helpers/rawSocket.js';

/**
 * Only the served paths, byte for byte, over raw sockets (fetch and URL would normalise what is
 * tested here before it is sent). Before, `//graphql`, `/./graphql` and `/health/../graphql` were
 * served as GraphQL: a proxy rule that lets `/health/*` through reached it.
 */

let gateway: TestGateway;
beforeAll(async () => {
  // Demo mode: no credential, so a 200 is GraphQL answering, not auth refusing.
  gateway = await startTestGateway(undefined);
});
afterAll(() => gateway.close());

const BODY = '{"query":"{ __typename }"}';

/** Sends one request with `target` exactly as given; the status and body of the answer. */
async function send(method: 'GET' | 'POST', target: string): Promise<{ status: number; body: string; raw: string }> {
  const connection = await openRaw(gateway.url);
  const body = method === 'POST' ? BODY : '';
  const headers = [`${method} ${target} HTTP/1.1`, `Host: ${gateway.url.host}`, 'Connection: close'];
  if (method === 'POST') headers.push('Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`);
  connection.socket.write(`${headers.join('\r\n')}\r\n\r\n${body}`);
  await connection.closedAt;
  const raw = connection.received();
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1]);
  const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
  const rest = raw.slice(head.length + 4);
  return { status, body: /\r\ntransfer-encoding: chunked/i.test(head) ? dechunk(rest) : rest, raw };
}

/** A chunked body's content. */
function dechunk(text: string): string {
  let body = '';
  let at = 0;
  for (;;) {
    const lineEnd = text.indexOf('\r\n', at);
    const size = Number.parseInt(text.slice(at, lineEnd), 16);
    if (!(size > 0)) return body;
    body += text.slice(lineEnd + 2, lineEnd + 2 + size);
    at = lineEnd + 2 + size + 2;
  }
}

const NOT_FOUND = { error: 'not found', served: ['/graphql', '/', '/health', '/healthz', '/ready', '/metrics'] };

describe('a path that is not one of the served ones, byte for byte, is 404 and never GraphQL', () => {
  it.each([
    '//graphql',
    '/./graphql',
    '/health/../graphql',
    '/health/%2e%2e/graphql',
    '/healthz/..%2Fgraphql',
    '/%2Fgraphql',
    '/graphql%2F',
    '/%67raphql',
    '/graphql/',
    '/GRAPHQL',
    '/Graphql',
    '/graphql;x',
    '/graphql%3Bx',
    '/graphql#x',
    '/graphql%00',
    '/graphql\\',
    '/\\graphql',
    '/health/..\\graphql',
    '/graphql/.',
    '/graphql/..',
    'http://HOST//graphql',
    'http://HOST/./graphql',
    'http://HOST/health/../graphql',
    'http://HOST/graphql/',
    'http://HOST#/graphql',
  ])('POST %s', async (target) => {
    const { status, body } = await send('POST', target.replace('HOST', gateway.url.host));
    // Node's parser may refuse a target outright (400); if it is parsed, the gateway says 404. Never GraphQL.
    expect([400, 404]).toContain(status);
    if (status === 404) expect(JSON.parse(body)).toEqual(NOT_FOUND);
    expect(body).not.toContain('__typename');
  });

  it.each(['\\graphql', '*', 'graphql'])('a target that is no path at all (%s)', async (target) => {
    const { status, body } = await send('POST', target);
    expect([400, 404]).toContain(status);
    expect(body).not.toContain('__typename');
  });

  it('a GET of /health/../graphql is not GraphiQL either, nor /health', async () => {
    const { status, body } = await send('GET', '/health/../graphql?query=%7B__typename%7D');
    expect(status).toBe(404);
    expect(JSON.parse(body)).toEqual(NOT_FOUND);
  });
});

describe('the served paths answer in origin form and in absolute form', () => {
  it.each([
    ['/graphql', () => '/graphql'],
    ['/graphql with a query string', () => '/graphql?operation=x'],
    ['absolute-form /graphql', () => `http://${gateway.url.host}/graphql`],
    ['absolute-form /graphql with a query string', () => `http://${gateway.url.host}/graphql?x=/health`],
  ])('POST %s is GraphQL', async (_name, target) => {
    const { status, body } = await send('POST', target());
    expect(status).toBe(200);
    expect(JSON.parse(body)).toEqual({ data: { __typename: 'Query' } });
  });

  it('absolute-form /health, /ready and an empty path (/, the redirect to GraphiQL)', async () => {
    const origin = `http://${gateway.url.host}`;
    const health = await send('GET', `${origin}/health`);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok', braze: 'simulated' });
    expect((await send('GET', `${origin}/ready`)).status).toBe(200);
    const root = await send('GET', origin);
    expect(root.status).toBe(302);
    expect(root.raw).toMatch(/\r\nlocation: \/graphql\r\n/i);
  });
});
