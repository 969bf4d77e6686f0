import { createHash } from 'node:crypto';
import type { GraphiQLOptions } from 'graphql-yoga';
import type { Logger } from '../observability/logger.js';
import { GRAPHIQL_ASSET_PREFIX, GRAPHIQL_ASSETS_DIR, readGraphiQLManifest, type GraphiQLManifest } from './manifest.js';

/**
 * The GraphiQL page: GraphiQL with the chart plugin, built by `npm run build` (scripts/build-graphiql.ts,
 * sources in graphiql/) into dist/graphiql/ as content-hashed files, which the page names and the gateway
 * serves (src/plugins/useGraphiQLAssets.ts). The page itself is a few hundred bytes plus its options, asks
 * nothing of any other host, and runs no inline script: its Content-Security-Policy allows only those
 * files. Without a build (`npm run dev` on a fresh clone) it falls back to yoga's stock GraphiQL, without
 * charts and from a CDN, and says so once.
 */

/**
 * What the built page may do: its own files and nothing else. Styles may also be inline because Monaco
 * and GraphiQL write `<style>` elements and style attributes at run time (no script can be inline); images
 * and fonts may be `data:` URLs, which GraphiQL's styles use for icons.
 */
export const GRAPHIQL_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Yoga's stock page loads its script from a CDN and inlines its start: only framing can be refused there. */
const STOCK_CSP = "frame-ancestors 'none'";

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/** JSON inside a <script> element: no `</` or `<!`, so nothing can end it early or open a comment in it. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/<(?=[/!])/g, '\\u003c');
}

export function renderGraphiQLPage(manifest: GraphiQLManifest, options: GraphiQLOptions): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8" />',
    '<meta name="viewport" content="width=device-width, initial-scale=1" />',
    `<title>${escapeHtml(options.title ?? 'GraphiQL')}</title>`,
    `<link rel="stylesheet" href="${escapeHtml(GRAPHIQL_ASSET_PREFIX + manifest.stylesheet)}" />`,
    '</head>',
    '<body>',
    '<noscript>GraphiQL needs JavaScript.</noscript>',
    '<div id="graphiql"></div>',
    // Data, not script: a CSP without 'unsafe-inline' does not run it, and the page's script reads it.
    `<script type="application/json" id="graphiql-options">${scriptJson(options)}</script>`,
    `<script src="${escapeHtml(GRAPHIQL_ASSET_PREFIX + manifest.script)}"></script>`,
    '</body>',
    '</html>',
  ].join('\n');
}

/** The page yoga serves, and what goes with it. */
export interface GraphiQLSite {
  /** The build's files, or undefined without a build. */
  readonly manifest: GraphiQLManifest | undefined;
  /**
   * yoga's `renderGraphiQL`: built once (the options never change), the built page or the stock one. The
   * stock page's module is imported only when it is needed (without a build): it holds yoga's whole
   * GraphiQL bundle as strings, about 27 MiB of heap every replica paid for a page it never served.
   */
  readonly render: (options: GraphiQLOptions) => string | Promise<string>;
  /** The headers the page is sent with: its policy, and a weak ETag once it has been rendered. */
  readonly pageHeaders: () => Record<string, string>;
}

/** `manifest`: the build's, when the caller has read it already (src/yoga.ts does, for the served paths). */
export function createGraphiQLSite(logger: Logger, dir: URL = GRAPHIQL_ASSETS_DIR, manifest = readGraphiQLManifest(dir)): GraphiQLSite {
  let page: string | undefined;
  let etag: string | undefined;
  let warned = false;
  return {
    manifest,
    render(options) {
      if (page !== undefined) return page;
      const keep = (rendered: string): string => {
        page = rendered;
        // Weak: the same page is sent compressed or not (src/plugins/useCompression.ts).
        etag = `W/"${createHash('sha256').update(rendered).digest('base64url').slice(0, 22)}"`;
        return rendered;
      };
      if (manifest) return keep(renderGraphiQLPage(manifest, options));
      if (!warned) {
        warned = true;
        logger.warn('GraphiQL without charts: its build is missing (run npm run build)', { dir: dir.pathname });
      }
      return import('@graphql-yoga/render-graphiql').then(({ renderGraphiQL }) => keep(renderGraphiQL(options)));
    },
    pageHeaders() {
      return {
        'content-security-policy': manifest ? GRAPHIQL_CSP : STOCK_CSP,
        'x-content-type-options': 'nosniff',
        // For browsers older than CSP's frame-ancestors.
        'x-frame-options': 'DENY',
        // Not no-referrer: under it a same-origin POST carries `Origin: null` (Fetch's rule), a foreign origin to our checks.
        'referrer-policy': 'same-origin',
        // Asked again every time, answered 304 while the build and options are the same.
        'cache-control': 'no-cache',
        ...(etag ? { etag } : {}),
      };
    },
  };
}
