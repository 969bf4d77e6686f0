/**
 * Builds GraphiQL with the chart plugin (graphiql/) into dist/graphiql/: `app.js` and `app.css`, which
 * src/yoga/graphiqlPage.ts inlines into the page the gateway serves. Monaco's three workers are bundled first
 * and carried inside app.js as text, so the page needs no other file and no network. Run by `npm run build`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const OUT_DIR = `${ROOT}dist/graphiql/`;

const WORKERS = {
  editor: 'monaco-editor/esm/vs/editor/editor.worker.js',
  graphql: 'monaco-graphql/esm/graphql.worker.js',
  json: 'monaco-editor/esm/vs/language/json/json.worker.js',
} as const;

const production = { 'process.env.NODE_ENV': '"production"' };

/** The module a worker is in, resolved from where GraphiQL depends on it. */
async function bundleWorker(entry: string): Promise<string> {
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
  return file.text;
}

/** `import source from 'inline-worker:json'`: the bundled worker as a string. */
function inlineWorkers(sources: Record<string, string>): Plugin {
  return {
    name: 'inline-worker',
    setup(esbuild) {
      esbuild.onResolve({ filter: /^inline-worker:/ }, (args) => ({ path: args.path.slice('inline-worker:'.length), namespace: 'inline-worker' }));
      esbuild.onLoad({ filter: /.*/, namespace: 'inline-worker' }, (args) => {
        const source = sources[args.path];
        if (source === undefined) throw new Error(`no worker named ${args.path}`);
        return { contents: `export default ${JSON.stringify(source)};`, loader: 'js' };
      });
    },
  };
}

const started = Date.now();
const sources: Record<string, string> = {};
for (const [label, entry] of Object.entries(WORKERS)) sources[label] = await bundleWorker(entry);

const result = await build({
  entryPoints: { app: `${ROOT}graphiql/main.tsx` },
  absWorkingDir: ROOT,
  bundle: true,
  format: 'iife',
  minify: true,
  jsx: 'automatic',
  target: 'es2022',
  outdir: OUT_DIR,
  write: false,
  metafile: true,
  define: production,
  // Monaco's codicon font, inlined like everything else.
  loader: { '.ttf': 'dataurl' },
  // Only for websocket subscriptions, which this page does not use (src: graphiql/fetcher.ts).
  external: ['graphql-ws'],
  plugins: [inlineWorkers(sources)],
  logLevel: 'warning',
});

await mkdir(OUT_DIR, { recursive: true });
for (const file of result.outputFiles) {
  if (!/\/app\.(js|css)$/.test(file.path)) throw new Error(`unexpected output ${file.path}`);
  // `</script>` inside the script would end the inline <script> element early.
  await writeFile(file.path, file.path.endsWith('.js') ? file.text.replace(/<\/script/gi, '<\\/script') : file.text);
}

const uplotBytes = Object.entries(result.metafile.inputs)
  .filter(([path]) => path.includes('node_modules/uplot/'))
  .reduce((sum, [, input]) => sum + input.bytes, 0);
const sizes = result.outputFiles.map((file) => `${file.path.slice(OUT_DIR.length)} ${(file.contents.byteLength / 1024).toFixed(0)} KiB`);
console.log(`graphiql: ${sizes.join(', ')} (uPlot source ${(uplotBytes / 1024).toFixed(0)} KiB) in ${Date.now() - started} ms`);
