import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Plugin } from 'graphql-yoga';
import { chooseEncoding, varyOnAcceptEncoding, type ContentCoding } from '../server/acceptEncoding.js';
import { GRAPHIQL_ASSET_PREFIX, GRAPHIQL_ASSETS_DIR } from '../graphiqlSite/manifest.js';
import type { GraphiQLSite } from '../graphiqlSite/page.js';

export interface GraphiQLAssetsOptions {
  readonly site: GraphiQLSite;
  /** Where GraphiQL is served: its page gets the site's headers there. */
  readonly graphqlEndpoint: string;
  /** Where the build is; dist/graphiql/ otherwise. */
  readonly dir?: URL;
}

/** A year, the most HTTP caches keep anything; the names change with the content, so nothing goes stale. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

const CONTENT_TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  ttf: 'font/ttf',
  woff: 'font/woff',
  woff2: 'font/woff2',
};

const EXTENSIONS: Record<ContentCoding, string> = { br: '.br', gzip: '.gz' };

/**
 * GraphiQL's built files and its page's headers. `GET|HEAD /graphiql/<name>` answers a file the build's
 * manifest lists, exactly that name (anything else under /graphiql/ never reaches yoga:
 * src/server/servedPaths.ts serves only the manifest's paths), as immutable, in the coding the client
 * prefers of those the build wrote (brotli, gzip, or none), read from disk for each request: a browser
 * asks once a build, and 10 MB of files kept in memory would count against every replica. The page
 * (`GET /graphql` with `Accept: text/html`, which yoga renders) gets its Content-Security-Policy and
 * other headers, and 304 when the browser's `If-None-Match` names the page it has.
 */
export function useGraphiQLAssets({ site, graphqlEndpoint, dir = GRAPHIQL_ASSETS_DIR }: GraphiQLAssetsOptions): Plugin {
  // Each file of the build, with the compressed forms the build wrote for it, looked up once.
  const variants = new Map((site.manifest?.files ?? []).map((name) => [name, (['br', 'gzip'] as const).filter((coding) => existsSync(new URL(name + EXTENSIONS[coding], dir)))]));
  return {
    // Not async: every request passes here, and only GraphiQL's files need to wait for anything.
    onRequest({ url, request, endResponse, fetchAPI }) {
      if (!url.pathname.startsWith(GRAPHIQL_ASSET_PREFIX)) return;
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      const name = url.pathname.slice(GRAPHIQL_ASSET_PREFIX.length);
      const offered = variants.get(name);
      if (offered === undefined) return;
      const coding = chooseEncoding(request.headers.get('accept-encoding'), offered);
      return readFile(new URL(coding ? name + EXTENSIONS[coding] : name, dir)).then((body) => {
        const headers: Record<string, string> = {
          'content-type': CONTENT_TYPES[name.slice(name.lastIndexOf('.') + 1)] ?? 'application/octet-stream',
          'cache-control': IMMUTABLE,
          vary: 'Accept-Encoding',
          'x-content-type-options': 'nosniff',
          'content-length': String(body.byteLength),
          ...(coding ? { 'content-encoding': coding } : {}),
        };
        endResponse(new fetchAPI.Response(request.method === 'HEAD' ? null : body, { status: 200, headers }));
      });
    },
    onResponse({ request, response, setResponse, fetchAPI }) {
      if (request.method !== 'GET' || !response.headers.get('content-type')?.startsWith('text/html')) return;
      if (new URL(request.url).pathname !== graphqlEndpoint) return;
      const headers = site.pageHeaders();
      const etag = headers['etag'];
      if (etag !== undefined && matchesEtag(request.headers.get('if-none-match'), etag)) {
        const unchanged = new fetchAPI.Headers(headers);
        unchanged.set('vary', varyOnAcceptEncoding(response.headers.get('vary')));
        setResponse(new fetchAPI.Response(null, { status: 304, headers: unchanged }));
        return;
      }
      for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
    },
  };
}

/** If-None-Match against our (weak) ETag, by weak comparison (RFC 9110 §13.1.2): `*` or any listed tag, `W/` or not. */
function matchesEtag(header: string | null, etag: string): boolean {
  if (header === null) return false;
  const opaque = etag.replace(/^W\//, '');
  return header.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === opaque;
  });
}
