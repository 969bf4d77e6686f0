import { readFileSync } from 'node:fs';

/** Where the gateway serves GraphiQL's built files: `/graphiql/<name>`, each name exactly one in the manifest. */
export const GRAPHIQL_ASSET_PREFIX = '/graphiql/';

/** dist/graphiql/manifest.json, written by scripts/build-graphiql.ts. */
export interface GraphiQLManifest {
  /** The page's script, e.g. `app-3fA9….js`. */
  readonly script: string;
  /** The page's styles, e.g. `app-b81x….css`. */
  readonly stylesheet: string;
  /** Every file served, the two above included; each may also exist as `<name>.br` and `<name>.gz` (not when compressing it saves nothing). */
  readonly files: readonly string[];
}

/** From src/ (tsx) and from dist/ (the build) alike: both are one level under the package root. */
export const GRAPHIQL_ASSETS_DIR = new URL('../../dist/graphiql/', import.meta.url);

/** A name the build makes (letters, digits, `.`, `_`, `-`): never a path. */
const FILE_NAME = /^[\w-]+(?:\.[\w-]+)*$/;

/**
 * The manifest of a build; undefined when there is none (a fresh clone before `npm run build`). A manifest
 * that is not what the build writes stops the start: serving names from it unchecked could reach other files.
 */
export function readGraphiQLManifest(dir: URL = GRAPHIQL_ASSETS_DIR): GraphiQLManifest | undefined {
  let text: string;
  try {
    text = readFileSync(new URL('manifest.json', dir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<GraphiQLManifest>;
  const { script, stylesheet, files } = parsed;
  const names = Array.isArray(files) ? files : [];
  const valid =
    typeof script === 'string' &&
    typeof stylesheet === 'string' &&
    names.length > 0 &&
    names.every((name) => typeof name === 'string' && FILE_NAME.test(name)) &&
    names.includes(script) &&
    names.includes(stylesheet);
  if (!valid) throw new Error(`${new URL('manifest.json', dir).pathname} is not a GraphiQL build's manifest: run npm run build:graphiql`);
  return { script, stylesheet, files: names };
}

/** The build this process serves, read once at start (`npm run build` writes it before the gateway starts). */
export const BUILT_GRAPHIQL: GraphiQLManifest | undefined = readGraphiQLManifest();

/** The paths a build's files are served at. */
export function graphiqlAssetPaths(manifest: GraphiQLManifest | undefined): string[] {
  return manifest ? manifest.files.map((name) => GRAPHIQL_ASSET_PREFIX + name) : [];
}
