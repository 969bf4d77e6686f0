/**
 * Bundles the gateway's process entry for a fast cold start (issue 23, goal 5): `tsc` (run first by
 * `npm run build`) writes one file per module under dist/, and resolving and loading some 200 of them
 * (and the ~230 of the dependencies) is most of a start. This writes over tsc's dist/main.js and
 * dist/gateway.js with esbuild bundles of the same sources, with source maps (stack traces name src/):
 * - dist/main.js: the entry (src/main.ts), small: it turns the compile cache on before anything else loads;
 * - dist/gateway.js: everything it starts (src/gateway.ts), one file; what only some configurations load
 *   (`import()`: the Redis modules and ioredis under them, the OpenTelemetry SDK, MCP, yoga's stock
 *   GraphiQL page) stays in chunks of its own beside it, loaded only when asked for, as under tsc.
 * The dependencies are bundled too, so `node dist/main.js` runs without node_modules;
 * `BUILD_SERVER_EXTERNAL_DEPENDENCIES=1` leaves them in node_modules (`packages: 'external'`, measured in
 * docs/benchmarks.md#cold-start). tsc's other files stay in dist/ for what imports single modules (the
 * live bench's target).
 */
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Plugin } from 'esbuild';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SRC = `${ROOT}src/`;
/** dist/, or BUILD_SERVER_OUT_DIR (a test's directory away from node_modules: what runs with no dependencies installed). */
const OUT_DIR = process.env['BUILD_SERVER_OUT_DIR'] ? `${resolve(process.env['BUILD_SERVER_OUT_DIR'])}/` : `${ROOT}dist/`;
const bundleDependencies = process.env['BUILD_SERVER_EXTERNAL_DEPENDENCIES'] !== '1';

/**
 * A module of ours that finds files from its own URL (GraphiQL's built files: `new URL('../../dist/graphiql/',
 * import.meta.url)`) gets the URL it has under tsc (dist/<its path>.js) instead of the bundle's: every
 * output file is directly in dist/, so that URL is the bundle's, resolved against the module's path.
 */
const ownModuleUrls: Plugin = {
  name: 'own-module-urls',
  setup(context) {
    context.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!args.path.startsWith(SRC) || !source.includes('import.meta.url')) return undefined;
      const asBuilt = `./${relative(SRC, args.path).replace(/\.ts$/, '.js')}`;
      return { contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(asBuilt)}, import.meta.url).href`), loader: 'ts' };
    });
  },
};

/**
 * @pothos/plugin-federation's toSubGraphSchema prints the subgraph's SDL (`_service { sdl }`, asked only by
 * a federation router) while building the schema: about a quarter of a start's CPU in the profile
 * (printSubgraphSchema through @apollo/federation-internals). In the bundle the same print of the same
 * (immutable) sorted schema happens at the first `_service` query instead, once: the SDL is unchanged
 * (test/bundle.test.ts compares it). The text replaced is the pinned version's (package.json pins it
 * exactly); if an upgrade changes it, the build stops rather than bundle an unpatched or half-patched copy.
 */
const FEDERATION_BUILDER = /node_modules\/@pothos\/plugin-federation\/esm\/schema-builder\.js$/;
const EAGER_SDL = [
  ['                    resolve: () => ({\n                        sdl\n                    })', '                    resolve: () => ({\n                        sdl: sdl ??= printSubgraphSchema(sorted)\n                    })'],
  ['    const sdl = printSubgraphSchema(sorted);\n', '    let sdl;\n'],
] as const;
const subgraphSdlOnFirstUse: Plugin = {
  name: 'subgraph-sdl-on-first-use',
  setup(context) {
    let patched = false;
    context.onStart(() => {
      patched = false;
    });
    // Not found at all (another build of the package resolved, say) stops the build too.
    context.onEnd((result) => {
      if (result.errors.length === 0 && !patched) throw new Error(`${FEDERATION_BUILDER} was not bundled: the subgraph SDL would be printed at every start`);
    });
    context.onLoad({ filter: FEDERATION_BUILDER }, async (args) => {
      let contents = await readFile(args.path, 'utf8');
      for (const [eager, lazy] of EAGER_SDL) {
        if (contents.split(eager).length !== 2) throw new Error(`${args.path}: not the text this build defers (${JSON.stringify(eager.trim())}); update scripts/build-server.ts for this version`);
        contents = contents.replace(eager, lazy);
      }
      patched = true;
      return { contents, loader: 'js' };
    });
  },
};

const common: BuildOptions = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outdir: OUT_DIR,
  sourcemap: 'linked',
  // The maps name the files (src/…, node_modules/…) without holding them: 4× smaller.
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [ownModuleUrls],
};

// The chunks of an earlier build (their names change with their content).
await mkdir(OUT_DIR, { recursive: true });
for (const name of await readdir(OUT_DIR)) if (name.startsWith('bundle-')) await rm(`${OUT_DIR}${name}`);

// The entry alone: what it imports of ours (src/compileCache.ts) is inside it; ./gateway.js is the other bundle.
await build({ ...common, entryPoints: { main: `${SRC}main.ts` }, external: ['./gateway.js'] });

await build({
  ...common,
  entryPoints: { gateway: `${SRC}gateway.ts` },
  plugins: [ownModuleUrls, subgraphSdlOnFirstUse],
  // Chunks for `import()`, beside the bundle (not in a folder: the module URLs above assume dist/).
  splitting: true,
  chunkNames: 'bundle-[name]-[hash]',
  ...(bundleDependencies
    ? {
        // CommonJS dependencies call require() and name __dirname (ioredis: its package.json, its friendly
        // error stacks): inside an ES module bundle they have to be made, or those paths throw ReferenceError.
        banner: {
          js: [
            "import { createRequire as __gatewayCreateRequire } from 'node:module';",
            "import { dirname as __gatewayDirname } from 'node:path';",
            "import { fileURLToPath as __gatewayFileURLToPath } from 'node:url';",
            'const require = __gatewayCreateRequire(import.meta.url);',
            'const __filename = __gatewayFileURLToPath(import.meta.url);',
            'const __dirname = __gatewayDirname(__filename);',
          ].join(' '),
        },
        // ws's optional native helpers, loaded in a try when installed.
        external: ['bufferutil', 'utf-8-validate'],
      }
    : { packages: 'external' as const }),
});
