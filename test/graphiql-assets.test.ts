import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMMUTABLE } from '../src/plugins/useGraphiQLAssets.js';
import { GRAPHIQL_CSP } from '../src/graphiqlSite/page.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';
import { openRaw } from './helpers/rawSocket.js';
import { rawHttp } from './helpers/rawHttp.js';

/**
 * GraphiQL over HTTP: a small page with its security headers and an ETag, and the build's files, each
 * at exactly its content-hashed name, immutable, brotli or gzip as the client accepts. Needs the build
 * (`npm run build:graphiql`), as the browser tests do.
 */

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway(undefined);
});
afterAll(() => gateway.close());

async function page(headers: Record<string, string> = {}) {
  return rawHttp(gateway.url, { headers: { accept: 'text/html', ...headers } });
}

/** The files the page names: its stylesheet and script. */
function named(html: string): string[] {
  return [...html.matchAll(/(?:href|src)="(\/graphiql\/[^"]+)"/g)].map((match) => match[1] ?? '');
}

describe('the GraphiQL page', () => {
  it('is small, names its files, and carries a CSP allowing only them, nosniff, no framing, no-cache and an ETag', async () => {
    const answer = await page();
    expect(answer.status).toBe(200);
    expect(answer.body.byteLength).toBeLessThan(4096);
    expect(answer.headers).toMatchObject({
      'content-security-policy': GRAPHIQL_CSP,
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'cache-control': 'no-cache',
    });
    expect(GRAPHIQL_CSP).toContain("frame-ancestors 'none'");
    expect(answer.headers['etag']).toMatch(/^W\/"[\w-]+"$/);
    expect(named(answer.body.toString())).toEqual([expect.stringMatching(/^\/graphiql\/app-[\w-]+\.css$/), expect.stringMatching(/^\/graphiql\/app-[\w-]+\.js$/)]);
  });

  it('answers 304 with no body when the browser has it (If-None-Match), 200 when it has another', async () => {
    const etag = String((await page()).headers['etag']);
    const same = await page({ 'if-none-match': etag });
    expect(same.status).toBe(304);
    expect(same.body.byteLength).toBe(0);
    expect(same.headers['etag']).toBe(etag);
    expect(same.headers['content-security-policy']).toBe(GRAPHIQL_CSP);
    expect((await page({ 'if-none-match': `"x", ${etag.replace(/^W\//, '')}` })).status).toBe(304);
    expect((await page({ 'if-none-match': 'W/"another"' })).status).toBe(200);
  });
});

describe('GraphiQL’s files', () => {
  it('are served at their names, immutable, nosniff, in brotli, gzip or none as accepted, the same bytes each way', async () => {
    const paths = named((await page()).body.toString());
    expect(paths).toHaveLength(2);
    for (const path of paths) {
      const url = new URL(path, gateway.url);
      const plain = await rawHttp(url);
      expect(plain.status).toBe(200);
      expect(plain.headers).toMatchObject({ 'cache-control': IMMUTABLE, 'x-content-type-options': 'nosniff', vary: 'Accept-Encoding' });
      expect(plain.headers['content-type']).toMatch(path.endsWith('.js') ? /^text\/javascript/ : /^text\/css/);
      expect(plain.headers['content-encoding']).toBeUndefined();
      const br = await rawHttp(url, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
      expect(br.headers['content-encoding']).toBe('br');
      expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
      const gzip = await rawHttp(url, { headers: { 'accept-encoding': 'br;q=0, gzip' } });
      expect(gzip.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gzip.body).equals(plain.body)).toBe(true);
      const head = await rawHttp(url, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.body.byteLength).toBe(0);
    }
  });

  it('the stylesheet’s fonts are files of their own, served like the rest', async () => {
    const html = (await page()).body.toString();
    const css = (await rawHttp(new URL(named(html)[0] ?? '', gateway.url))).body.toString();
    expect(css).not.toMatch(/data:font\//);
    const fonts = [...css.matchAll(/url\((font-[\w-]+\.woff2)\)/g)].map((match) => match[1] ?? '');
    expect(fonts.length).toBeGreaterThan(0);
    const font = await rawHttp(new URL(`/graphiql/${fonts[0]}`, gateway.url));
    expect(font.status).toBe(200);
    expect(font.headers['content-type']).toBe('font/woff2');
    expect(font.headers['cache-control']).toBe(IMMUTABLE);
  });

  it.each(['/graphiql/app-0000000000.js', '/graphiql/manifest.json', '/graphiql/', '/graphiql', '/graphiql/../package.json', '/graphiql/%2e%2e/package.json'])(
    '%s, which the build did not make, is 404 and never reaches yoga',
    async (target) => {
      const connection = await openRaw(gateway.url);
      connection.socket.write(`GET ${target} HTTP/1.1\r\nHost: ${gateway.url.host}\r\nConnection: close\r\n\r\n`);
      await connection.closedAt;
      const raw = connection.received();
      expect(raw).toMatch(/^HTTP\/1\.1 404 /);
      expect(raw).toContain('"error":"not found"');
    },
  );

  it('a compressed form by its own name is 404 too: only the names the manifest lists', async () => {
    const script = named((await page()).body.toString())[1] ?? '';
    expect((await rawHttp(new URL(`${script}.br`, gateway.url))).status).toBe(404);
  });
});
