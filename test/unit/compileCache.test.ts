import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enableCompileCache, privateCacheDirectory } from '../../src/compileCache.js';

describe('the compile cache directory', () => {
  let root: string;
  const uid = process.getuid?.();
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'compile-cache-test-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('is made private (0700) when it does not exist', () => {
    const directory = join(root, 'cache');
    expect(privateCacheDirectory(directory, uid)).toBe(directory);
  });

  it('is refused when others can write it: another user could plant compiled code', () => {
    const directory = join(root, 'shared');
    mkdirSync(directory);
    chmodSync(directory, 0o777);
    expect(privateCacheDirectory(directory, uid)).toBeUndefined();
  });

  it('is refused when it belongs to another user', () => {
    const directory = join(root, 'cache');
    mkdirSync(directory, { mode: 0o700 });
    expect(privateCacheDirectory(directory, (uid ?? 0) + 1)).toBeUndefined();
  });

  it('is refused when it is a symlink (to anywhere)', () => {
    const target = join(root, 'target');
    mkdirSync(target, { mode: 0o700 });
    const link = join(root, 'link');
    symlinkSync(target, link);
    expect(privateCacheDirectory(link, uid)).toBeUndefined();
  });

  it('is refused, and promptly, under a parent that answers ENOENT (procfs as TMPDIR)', () => {
    // In a child with a deadline: Node's recursive mkdir loops forever there, which would hang this worker.
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', "import { privateCacheDirectory } from './src/compileCache.ts'; console.log(String(privateCacheDirectory('/proc/gateway-compile-cache', 0)));"],
      { encoding: 'utf8', timeout: 15_000 },
    );
    expect(child.error).toBeUndefined();
    expect(child.stdout.trim()).toBe('undefined');
  }, 20_000);

  it('is refused, not thrown, when it cannot be made (a read-only or missing parent)', () => {
    // A regular file as the parent fails mkdir whoever runs the test (root included), as a read-only root does.
    const parent = join(root, 'file');
    symlinkSync('/dev/null', parent);
    expect(privateCacheDirectory(join(parent, 'cache'), uid)).toBeUndefined();
  });
});

describe('enableCompileCache', () => {
  it('does nothing when NODE_DISABLE_COMPILE_CACHE is set', () => {
    expect(enableCompileCache({ NODE_DISABLE_COMPILE_CACHE: '1' })).toEqual({ enabled: false, reason: expect.any(String) });
  });

  it.runIf(Number(process.versions.node.split('.')[0]) < 22)('says why on a Node without one (20), and starts anyway', () => {
    expect(enableCompileCache({})).toEqual({ enabled: false, reason: expect.stringContaining('has no compile cache') });
  });
});
