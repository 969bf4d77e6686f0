import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The client guide's code is the code the tests run: each block of docs/clients.md tagged
 * ```ts title="examples/clients/<name>.ts" is that file, byte for byte, and each of the cache setups of
 * examples/clients (what test/clients/entities-*.test.ts and relay-*.test.ts import) has its block.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const GUIDE = readFileSync(join(ROOT, 'docs/clients.md'), 'utf8');

/** Each tagged block's file and text (up to its closing fence). */
function taggedBlocks(markdown: string): { file: string; text: string }[] {
  return [...markdown.matchAll(/^```ts title="(examples\/clients\/[^"]+\.ts)"\n([\s\S]*?)^```$/gm)].map((match) => ({ file: match[1]!, text: match[2]! }));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]));
}

describe('docs/clients.md: the Caches snippets', () => {
  const blocks = taggedBlocks(GUIDE);

  it('each tagged block equals its file', () => {
    expect(blocks.length).toBeGreaterThan(0);
    for (const { file, text } of blocks) expect(text, file).toBe(readFileSync(join(ROOT, file), 'utf8'));
  });

  it('each cache setup of examples/clients is in the guide', () => {
    const mine = ['apolloCache.ts', 'graphcacheExchange.ts', 'relayEnvironment.ts', 'relay/CustomEventPanel.ts'].map((name) => `examples/clients/${name}`);
    const present = filesUnder(join(ROOT, 'examples/clients')).map((path) => relative(ROOT, path));
    expect(present).toEqual(expect.arrayContaining(mine));
    expect(blocks.map((block) => block.file)).toEqual(expect.arrayContaining(mine));
  });
});
