import { accessSync, constants, lstatSync, mkdirSync } from 'node:fs';
import nodeModule from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `module.enableCompileCache` (Node 22.1+); Node 20's types and runtime have none. */
type EnableCompileCache = (directory?: string) => { status: number; message?: string; directory?: string };

/** What became of the compile cache at start (for a debug line: the logger does not exist yet when it is decided). */
export type CompileCacheOutcome = { readonly enabled: true; readonly directory: string } | { readonly enabled: false; readonly reason: string };

/**
 * A cache directory only this user can write: the cache holds compiled code that Node runs, so a
 * directory another local user could have made (or swapped for a symlink) under a shared tmp is refused.
 */
export function privateCacheDirectory(directory: string, uid: number | undefined): string | undefined {
  try {
    // Not `recursive`: Node's recursive mkdir never returns under a parent that refuses with ENOENT (procfs
    // as TMPDIR: seen spinning on Node 20 and 24), and a start must not hang for a cache. No temporary
    // directory at all means no cache.
    try {
      mkdirSync(directory, { mode: 0o700 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const stat = lstatSync(directory);
    if (!stat.isDirectory()) return undefined;
    if (uid !== undefined && (stat.uid !== uid || (stat.mode & 0o022) !== 0)) return undefined;
    // A read-only filesystem (a container's root) refuses the write here, before Node tries it.
    accessSync(directory, constants.W_OK);
    return directory;
  } catch {
    return undefined;
  }
}

/**
 * Turns on Node's on-disk compile cache (V8 code of every module loaded after this call) where Node has
 * one: a replica's second start, and every start of an image whose cache was warmed, skips compiling the
 * gateway's modules. `NODE_COMPILE_CACHE` (a directory the operator chose) is Node's own: Node enabled it
 * before any code ran; `NODE_DISABLE_COMPILE_CACHE` turns it off. Never fails the start: without a
 * writable directory the gateway starts as it did, only slower.
 */
export function enableCompileCache(env: NodeJS.ProcessEnv, uid: number | undefined = process.getuid?.()): CompileCacheOutcome {
  const enable = (nodeModule as { enableCompileCache?: EnableCompileCache }).enableCompileCache;
  if (enable === undefined) return { enabled: false, reason: `Node ${process.versions.node} has no compile cache (22.1+)` };
  if (env['NODE_DISABLE_COMPILE_CACHE']) return { enabled: false, reason: 'NODE_DISABLE_COMPILE_CACHE is set' };
  const chosen = env['NODE_COMPILE_CACHE'];
  const directory = chosen ? chosen : privateCacheDirectory(join(tmpdir(), `braze-analytics-gateway-compile-cache-${uid ?? 'user'}`), uid);
  if (directory === undefined) return { enabled: false, reason: 'no private writable directory under the temporary directory' };
  try {
    const result = enable(directory);
    // ENABLED (1) or ALREADY_ENABLED (2, NODE_COMPILE_CACHE); FAILED (0) and DISABLED (3) are no cache.
    if (result.status === 1 || result.status === 2) return { enabled: true, directory: result.directory ?? directory };
    return { enabled: false, reason: result.message ?? `status ${result.status}` };
  } catch (error) {
    return { enabled: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
