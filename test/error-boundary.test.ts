import { createServer, IncomingMessage, ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSchema, createYoga, type Plugin } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withErrorBoundary } from '../src/server/errorBoundary.js';
import { createLogger } from '../src/observability/logger.js';
import { withRequestId } from '../src/observability/requestId.js';
import { onlyServedPaths } from '../src/server/servedPaths.js';
import { SERVED_PATHS } from '../src/yoga.js';
import { openRaw } from './helpers/rawSocket.js';

/**
 * Whatever throws while a route is answered (a plugin's onRequest hook: /health, /ready, /metrics, `/`,
 * /healthz), yoga's request listener (whatwg-node's server adapter) answered the error's stack as plain
 * text, file paths included, whatever NODE_ENV said. The gateway's listener answers a generic JSON 500
 * with the request id instead, and logs the error. No input found after the rate-limit fixes makes the
 * real gateway's routes throw, so a yoga with a throwing plugin stands in, served through the wiring
 * of startServer: withRequestId(onlyServedPaths(SERVED_PATHS, withErrorBoundary(yoga, logger))).
 */

const THROWING: Record<string, () => never> = {
  '/health': () => {
    throw new RangeError('Invalid time value');
  },
  '/ready': () => {
    throw new TypeError("Cannot read properties of undefined (reading 'state')");
  },
  '/metrics': () => {
    // Not an Error (what a careless dependency may throw): nothing to call `.stack` on.
    throw 'metrics registry failed';
  },
  '/healthz': () => {
    throw Object.assign(new Error('with a status'), { status: 418 });
  },
  '/': () => {
    throw new Error(`ENOENT: no such file or directory, open '${process.cwd()}/dist/graphiql/app.js'`);
  },
};

/** Throws in onRequest for the routes above (asynchronously for /ready, as a hook returning a promise may). */
const throwingRoutes: Plugin = {
  onRequest({ url }): Promise<void> | void {
    const thrower = THROWING[url.pathname];
    if (!thrower) return undefined;
    if (url.pathname === '/ready') return Promise.resolve().then(thrower);
    return thrower();
  },
};

describe('a route that throws is answered a generic JSON 500, never a stack', () => {
  const logs: string[] = [];
  let server: Server;
  let base: URL;

  beforeAll(async () => {
    const yoga = createYoga({ schema: createSchema({ typeDefs: 'type Query { ok: Boolean }', resolvers: { Query: { ok: () => true } } }), plugins: [throwingRoutes], logging: false, healthCheckEndpoint: '/ never' });
    const logger = createLogger({ level: 'debug', write: (line) => logs.push(line) });
    server = createServer(withRequestId(onlyServedPaths(SERVED_PATHS, withErrorBoundary(yoga, logger))));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it.each(Object.keys(THROWING))('%s', async (path) => {
    const before = logs.length;
    const response = await fetch(new URL(path, base), { headers: { 'x-request-id': `req-${path.length}` } });
    const text = await response.text();
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-request-id')).toBe(`req-${path.length}`);
    expect(JSON.parse(text)).toEqual({ error: 'internal error', requestId: `req-${path.length}` });
    // The error is the operator's: logged once, with the request id.
    const logged = logs.slice(before).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 'error', requestId: `req-${path.length}`, msg: expect.stringContaining('answered 500') });
  });

  it('the body says nothing of the error, over a raw socket too (HEAD included)', async () => {
    for (const method of ['GET', 'HEAD']) {
      const connection = await openRaw(base);
      connection.socket.write(`${method} /health HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n\r\n`);
      await connection.closedAt;
      const raw = connection.received();
      expect(raw).toMatch(/^HTTP\/1\.1 500 /);
      expect(raw).not.toMatch(/RangeError|Invalid time value|\bat |\.ts:|\.js:|node_modules|text\/plain/);
      if (method === 'HEAD') expect(raw.split('\r\n\r\n')[1]).toBe('');
    }
  });

  it('what does not throw is served as before: GraphQL, and the paths yoga answers itself', async () => {
    const response = await fetch(new URL('/graphql', base), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ ok }"}' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { ok: true } });
  });
});

describe('the listener gives yoga what its own listener does', () => {
  it('the Node request and response are in the context: the live cap reads the peer address, the release waits on the response', async () => {
    const seen: { req: boolean; res: boolean; address: string | undefined }[] = [];
    const yoga = createYoga<{ req?: unknown; res?: unknown }>({
      schema: createSchema<{ req?: IncomingMessage; res?: ServerResponse }>({
        typeDefs: 'type Query { ok: Boolean }',
        resolvers: {
          Query: {
            ok: (_root, _args, context) => {
              seen.push({ req: context.req instanceof IncomingMessage, res: context.res instanceof ServerResponse, address: context.req?.socket.remoteAddress });
              return true;
            },
          },
        },
      }),
      logging: false,
    });
    const server = createServer(withErrorBoundary(yoga, createLogger({ level: 'silent', write: () => undefined })));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":"{ ok }"}',
      });
      expect(await response.json()).toEqual({ data: { ok: true } });
      expect(seen).toEqual([{ req: true, res: true, address: '127.0.0.1' }]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
