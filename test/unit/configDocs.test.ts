import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig, VARIABLES } from '../../src/config/index.js';

/**
 * The lines under the heading `Configuration` (of any level up to 2) until the next heading of level 1 or 2,
 * or the end of the file: the table and its introduction.
 */
function configurationSection(markdown: string): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => /^#{1,2} Configuration$/.test(line));
  if (start === -1) return '';
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => /^#{1,2} /.test(line));
  return (end === -1 ? rest : rest.slice(0, end)).join('\n');
}

/** The names in the first cell of each row of the configuration table (a row may name two). */
function documentedVariables(markdown: string): Set<string> {
  const names = new Set<string>();
  for (const row of configurationSection(markdown).split('\n').filter((line) => line.startsWith('| `'))) {
    const firstCell = row.split('|')[1] ?? '';
    for (const match of firstCell.matchAll(/`([A-Z][A-Z0-9_]*)`/g)) names.add(match[1]!);
  }
  return names;
}

describe("docs/configuration.md's variable table", () => {
  const documented = documentedVariables(readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8'));
  const read = VARIABLES.map((variable) => variable.name);

  it('is found, so the checks below compare something', () => {
    expect(documented.size).toBeGreaterThan(40);
    expect(read.length).toBeGreaterThan(40);
  });

  it('names every variable the gateway reads', () => {
    expect(read.filter((name) => !documented.has(name))).toEqual([]);
  });

  it('names no variable the gateway does not read', () => {
    expect([...documented].filter((name) => !read.includes(name))).toEqual([]);
  });

  it('lists every variable loadConfig looks at, and each once', () => {
    const looked = new Set<string>();
    // An empty environment, watched: every variable is looked at even when unset.
    const env = new Proxy<Record<string, string | undefined>>({}, {
      get: (target, name) => {
        if (typeof name === 'string') looked.add(name);
        return Reflect.get(target, name);
      },
    });
    loadConfig(env, { descriptorLimit: 65_536 });
    expect([...looked].sort()).toEqual([...read].sort());
    expect(new Set(read).size).toBe(read.length);
  });
});
