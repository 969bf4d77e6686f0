import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The README is the front door and docs/ holds the rest, by reader. This keeps the door small and the
 * links between them honest: a moved section or a renamed heading breaks a test, not a reader's click.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const README_MAX_LINES = 200;

/** README.md and every docs/*.md, by their path from the repository's root. */
const DOCUMENTS = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`),
];

const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

/** Lines as `wc -l` counts them: a final newline ends the last line, it does not start another. */
function lineCount(text: string): number {
  const lines = text.split('\n');
  return text.endsWith('\n') ? lines.length - 1 : lines.length;
}

/** The text outside fenced code blocks, line by line (a `#` in a shell block is no heading, a `](` no link). */
function proseLines(markdown: string): string[] {
  let fenced = false;
  const prose: string[] = [];
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    else if (!fenced) prose.push(line);
  }
  return prose;
}

/**
 * GitHub's anchor for a heading (github-slugger): its text without markup, lowercased, every character
 * that is not a letter, mark, digit, connector, space or hyphen dropped, spaces turned to hyphens. A
 * repeated heading gets `-1`, `-2`, … in order.
 */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of proseLines(markdown)) {
    const heading = /^#{1,6} (.*?)#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const text = heading.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[`*]/g, '');
    const slug = text
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const times = seen.get(slug) ?? 0;
    seen.set(slug, times + 1);
    anchors.add(times === 0 ? slug : `${slug}-${times}`);
  }
  return anchors;
}

/** The targets of the inline links and images of a markdown text, code (fenced or in backticks) left out. */
function linkTargets(markdown: string): string[] {
  const targets: string[] = [];
  for (const line of proseLines(markdown)) {
    const withoutCode = line.replace(/`[^`]*`/g, '');
    for (const match of withoutCode.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) targets.push(match[1]!);
  }
  return targets;
}

/** What is wrong with one relative link of `from`, or undefined when it leads somewhere. */
function brokenLink(from: string, target: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined; // https:, mailto:: not ours to check
  const hash = target.indexOf('#');
  const pathPart = decodeURIComponent(hash === -1 ? target : target.slice(0, hash));
  const anchor = hash === -1 ? undefined : decodeURIComponent(target.slice(hash + 1));
  const file = pathPart === '' ? from : normalize(join(dirname(from), pathPart));
  if (file.startsWith('..')) return `${target}: leaves the repository`;
  if (!existsSync(join(ROOT, file))) return `${target}: no file ${file}`;
  if (anchor === undefined) return undefined;
  if (!file.endsWith('.md')) return `${target}: an anchor into ${file}, which has no headings to check`;
  return headingAnchors(read(file)).has(anchor) ? undefined : `${target}: no heading in ${file} has the anchor #${anchor}`;
}

describe('the README and docs/', () => {
  it(`README.md is a front door: at most ${README_MAX_LINES} lines`, () => {
    expect(lineCount(read('README.md'))).toBeLessThanOrEqual(README_MAX_LINES);
  });

  it('are found, and link to each other, so the checks below check something', () => {
    expect(DOCUMENTS.length).toBeGreaterThanOrEqual(10);
    const relative = DOCUMENTS.flatMap((path) => linkTargets(read(path))).filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
    expect(relative.filter((target) => target.includes('#')).length).toBeGreaterThan(20);
  });

  it('every docs file is linked from the README', () => {
    const linked = new Set(linkTargets(read('README.md')).map((target) => normalize(target.split('#')[0]!)));
    expect(DOCUMENTS.filter((path) => path !== 'README.md' && !linked.has(path))).toEqual([]);
  });

  it.each(DOCUMENTS)('every relative link of %s points at a file that exists, and at a heading it has', (path) => {
    const broken = linkTargets(read(path))
      .map((target) => brokenLink(path, target))
      .filter((problem) => problem !== undefined);
    expect(broken).toEqual([]);
  });

  it('anchors are GitHub\'s: lowercase, spaces to hyphens, punctuation dropped, repeats numbered', () => {
    const anchors = headingAnchors(
      ['# Federation (Apollo Federation v2 subgraph)', '## Incremental delivery: @defer and @stream', '### A real frontend: examples/dashboard', '## `npm run bench`', '## Logs', '## Logs', '```sh', '# not a heading', '```'].join('\n'),
    );
    expect([...anchors]).toEqual(['federation-apollo-federation-v2-subgraph', 'incremental-delivery-defer-and-stream', 'a-real-frontend-examplesdashboard', 'npm-run-bench', 'logs', 'logs-1']);
  });
});
