import { readFileSync } from 'node:fs';
import { renderGraphiQL as renderStockGraphiQL } from '@graphql-yoga/render-graphiql';
import type { GraphiQLOptions } from 'graphql-yoga';
import type { Logger } from '../observability/logger.js';

/**
 * The GraphiQL page: GraphiQL with the chart plugin, built by `npm run build` (scripts/build-graphiql.ts,
 * sources in graphiql/) into dist/graphiql/, and inlined here whole, so the page asks nothing of any
 * other host. Without a build (`npm run dev` on a fresh clone) it falls back to yoga's stock GraphiQL,
 * without charts, and says so once.
 */

/** From src/ (tsx) and from dist/ (the build) alike: both are one level under the package root. */
export const GRAPHIQL_ASSETS_DIR = new URL('../../dist/graphiql/', import.meta.url);

export interface GraphiQLAssets {
  readonly js: string;
  readonly css: string;
}

/** The built page's script and styles; undefined when they have not been built. */
export function readGraphiQLAssets(dir: URL = GRAPHIQL_ASSETS_DIR): GraphiQLAssets | undefined {
  try {
    return { js: readFileSync(new URL('app.js', dir), 'utf8'), css: readFileSync(new URL('app.css', dir), 'utf8') };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/** JSON inside a <script> element: no `</` or `<!`, so nothing can end it early or open a comment in it. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/<(?=[/!])/g, '\\u003c');
}

export function renderGraphiQLPage(assets: GraphiQLAssets, options: GraphiQLOptions): string {
  // Concatenation, not String.replace: the bundle is full of `$&`-like sequences.
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8" />',
    '<meta name="viewport" content="width=device-width, initial-scale=1" />',
    `<title>${escapeHtml(options.title ?? 'GraphiQL')}</title>`,
    `<style>${assets.css.replace(/<\/style/gi, '<\\/style')}</style>`,
    '</head>',
    '<body>',
    '<noscript>GraphiQL needs JavaScript.</noscript>',
    '<div id="graphiql"></div>',
    `<script type="application/json" id="graphiql-options">${scriptJson(options)}</script>`,
    `<script>${assets.js}</script>`,
    '</body>',
    '</html>',
  ].join('\n');
}

/** yoga's `renderGraphiQL`: the built page when there is one, else yoga's stock page. Reads the files on first use. */
export function graphiqlRenderer(logger: Logger, dir: URL = GRAPHIQL_ASSETS_DIR): (options: GraphiQLOptions) => string {
  let assets: GraphiQLAssets | null | undefined;
  return (options) => {
    if (assets === undefined) {
      assets = readGraphiQLAssets(dir) ?? null;
      if (assets === null) logger.warn('GraphiQL without charts: its build is missing (run npm run build)', { dir: dir.pathname });
    }
    return assets ? renderGraphiQLPage(assets, options) : renderStockGraphiQL(options);
  };
}
