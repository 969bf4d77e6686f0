/**
 * Builds GraphiQL with the chart plugin (graphiql/) into dist/graphiql/: separate files named by a hash of
 * their content (the script, the styles, Monaco's three workers, its codicon font), each beside its brotli
 * (`.br`) and gzip (`.gz`) forms where they are smaller, and `manifest.json`, which lists them. src/graphiqlSite/page.ts serves
 * each file at `/graphiql/<name>` as immutable (a new build is new names) and writes a small page that
 * loads them, so a browser downloads GraphiQL once and a Content-Security-Policy can allow only these
 * files. Compressed here, once, at the highest settings: never per request. Run by `npm run build`.
 */
import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';
import { GRAPHIQL_ASSET_PREFIX, type GraphiQLManifest } from '../src/graphiqlSite/manifest.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const OUT_DIR = `${ROOT}dist/graphiql/`;

const WORKERS = {
  editor: 'monaco-editor/esm/vs/editor/editor.worker.js',
  graphql: 'monaco-graphql/esm/graphql.worker.js',
  json: 'monaco-editor/esm/vs/language/json/json.worker.js',
} as const;

const production = { 'process.env.NODE_ENV': '"production"' };

/** The files to write, by name. */
const files = new Map<string, Uint8Array>();

function contentHash(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('base64url').slice(0, 12);
}

/** A worker bundled on its own, kept as `<label>.worker-<hash>.js`; returns that name. */
async function bundleWorker(label: string, entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    absWorkingDir: ROOT,
    bundle: true,
    format: 'iife',
    minify: true,
    write: false,
    define: production,
    logLevel: 'warning',
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error(`esbuild wrote nothing for ${entry}`);
  const name = `${label}.worker-${contentHash(file.contents)}.js`;
  files.set(name, file.contents);
  return name;
}

/** `import url from 'worker-url:json'`: where the gateway serves that worker. */
function workerUrls(names: Record<string, string>): Plugin {
  return {
    name: 'worker-url',
    setup(esbuild) {
      esbuild.onResolve({ filter: /^worker-url:/ }, (args) => ({ path: args.path.slice('worker-url:'.length), namespace: 'worker-url' }));
      esbuild.onLoad({ filter: /.*/, namespace: 'worker-url' }, (args) => {
        const name = names[args.path];
        if (name === undefined) throw new Error(`no worker named ${args.path}`);
        return { contents: `export default ${JSON.stringify(GRAPHIQL_ASSET_PREFIX + name)};`, loader: 'js' };
      });
    },
  };
}

const started = Date.now();
const workers: Record<string, string> = {};
for (const [label, entry] of Object.entries(WORKERS)) workers[label] = await bundleWorker(label, entry);

const result = await build({
  entryPoints: { app: `${ROOT}graphiql/main.tsx` },
  absWorkingDir: ROOT,
  bundle: true,
  format: 'iife',
  minify: true,
  jsx: 'automatic',
  target: 'es2022',
  outdir: OUT_DIR,
  entryNames: '[name]-[hash]',
  // Monaco's codicon font, a file of its own that the styles name relative to themselves.
  assetNames: '[name]-[hash]',
  loader: { '.ttf': 'file' },
  write: false,
  metafile: true,
  define: production,
  // Only for websocket subscriptions, which this page does not use (src: graphiql/fetcher.ts).
  external: ['graphql-ws'],
  plugins: [workerUrls(workers)],
  logLevel: 'warning',
});

/** GraphiQL's styles carry its fonts inline as base64 (about 0.5 MB): each becomes a file of its own, fetched only when used. */
const INLINE_FONT = /url\((["']?)data:font\/(woff2|woff|ttf);base64,([A-Za-z0-9+/=]+)\1\)/g;

function externalFonts(css: string): string {
  return css.replace(INLINE_FONT, (_match, _quote: string, format: string, base64: string) => {
    const bytes = Buffer.from(base64, 'base64');
    const name = `font-${contentHash(bytes)}.${format}`;
    files.set(name, bytes);
    return `url(${name})`;
  });
}

let script: string | undefined;
let stylesheet: string | undefined;
for (const file of result.outputFiles) {
  const name = file.path.slice(OUT_DIR.length);
  if (!/^[\w.-]+$/.test(name)) throw new Error(`unexpected output ${file.path}`);
  if (/^app-[\w-]+\.js$/.test(name)) script = name;
  else if (/^app-[\w-]+\.css$/.test(name)) {
    // Named by the hash of what is served, the fonts' names included.
    const css = Buffer.from(externalFonts(file.text));
    stylesheet = `app-${contentHash(css)}.css`;
    files.set(stylesheet, css);
    continue;
  } else if (!/^codicon-[\w-]+\.ttf$/.test(name)) throw new Error(`unexpected output ${file.path}`);
  files.set(name, file.contents);
}
if (!script || !stylesheet) throw new Error('esbuild wrote no app script or stylesheet');

// A fresh directory: the names of an earlier build would otherwise stay listed nowhere and served never.
await rm(OUT_DIR, { recursive: true, force: true });
await mkdir(OUT_DIR, { recursive: true });
const sizes: string[] = [];
for (const [name, bytes] of files) {
  const br = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength } });
  const gz = gzipSync(bytes, { level: 9 });
  await writeFile(`${OUT_DIR}${name}`, bytes);
  // A file that does not shrink by 5 % (a font, compressed already) is served as it is: no variant.
  const worthIt = (compressed: Uint8Array) => compressed.byteLength < bytes.byteLength * 0.95;
  if (worthIt(br)) await writeFile(`${OUT_DIR}${name}.br`, br);
  if (worthIt(gz)) await writeFile(`${OUT_DIR}${name}.gz`, gz);
  sizes.push(worthIt(br) ? `${name} ${kib(bytes.byteLength)} (br ${kib(br.byteLength)}, gzip ${kib(gz.byteLength)})` : `${name} ${kib(bytes.byteLength)}`);
}
const manifest: GraphiQLManifest = { script, stylesheet, files: [...files.keys()].sort() };
await writeFile(`${OUT_DIR}manifest.json`, `${JSON.stringify(manifest, null, 2)}\n`);

const uplotBytes = Object.entries(result.metafile.inputs)
  .filter(([path]) => path.includes('node_modules/uplot/'))
  .reduce((sum, [, input]) => sum + input.bytes, 0);
console.log(`graphiql: ${sizes.join(', ')} (uPlot source ${kib(uplotBytes)}) in ${Date.now() - started} ms`);

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(0)} KiB`;
}
