import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url);

/** README.md and every Markdown file under docs/. */
function markdownFiles(): string[] {
  const docs = readdirSync(new URL('docs/', ROOT), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`);
  return ['README.md', ...docs];
}

/** A fenced code block whose info string names a file: ```ts title="examples/clients/apollo.ts". */
interface TitledBlock {
  readonly doc: string;
  readonly line: number;
  readonly file: string;
  readonly code: string;
}

/** Every titled block of `text`: its opening fence's info string holds title="<path>". */
export function titledBlocks(doc: string, text: string): TitledBlock[] {
  const blocks: TitledBlock[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const open = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(lines[index]!);
    if (!open) continue;
    const [, indent, fence, info] = open as unknown as [string, string, string, string];
    const close = lines.findIndex((line, at) => at > index && line.trimEnd() === `${indent}${fence}`);
    const end = close === -1 ? lines.length : close;
    const title = /\btitle="([^"]+)"/.exec(info)?.[1];
    if (title) blocks.push({ doc, line: index + 1, file: title, code: lines.slice(index + 1, end).map((line) => line.slice(indent.length)).join('\n') });
    index = end;
  }
  return blocks;
}

describe('documentation snippets tagged with a file are that file', () => {
  const blocks = markdownFiles().flatMap((doc) => titledBlocks(doc, readFileSync(new URL(doc, ROOT), 'utf8')));

  it('finds the tagged blocks (the client guide has some)', () => {
    expect(blocks.filter((block) => block.doc === 'docs/clients.md').length).toBeGreaterThanOrEqual(4);
  });

  it('each tagged block equals its file, byte for byte (but the final newline)', () => {
    const differing = blocks
      .filter((block) => {
        let file: string;
        try {
          file = readFileSync(new URL(block.file, ROOT), 'utf8');
        } catch {
          return true;
        }
        return file.replace(/\n$/, '') !== block.code;
      })
      .map((block) => `${block.doc}:${block.line} differs from ${block.file} (copy the file into the block)`);
    expect(differing).toEqual([]);
  });

  it('reads blocks as Markdown does: the info string, nested fences, an indented list item', () => {
    const text = ['````md title="a.md"', '```ts', 'x', '```', '````', '', '- item', '  ```ts title="b.ts"', '  const b = 1;', '  ```', '```ts', 'untitled', '```'].join('\n');
    expect(titledBlocks('t.md', text)).toEqual([
      { doc: 't.md', line: 1, file: 'a.md', code: '```ts\nx\n```' },
      { doc: 't.md', line: 8, file: 'b.ts', code: 'const b = 1;' },
    ]);
  });
});
