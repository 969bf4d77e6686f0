import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse, type DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { clientTexts, persistedManifest } from '../../examples/clients/persistedManifest.js';
import * as generated from '../generated/graphql.js';

const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
const committed = JSON.parse(readFileSync(new URL('../generated/persisted-manifest.json', import.meta.url), 'utf8')) as Record<string, string>;
const codegen = JSON.parse(readFileSync(new URL('../generated/persisted-documents.json', import.meta.url), 'utf8')) as Record<string, string>;

describe('the persisted manifest with the clients’ own ids', () => {
  it('holds every id under the sha256 of exactly its text: codegen’s, Apollo’s and urql’s for each operation', () => {
    for (const [id, text] of Object.entries(committed)) expect(id).toBe(sha256(text));
    expect(committed).toMatchObject(codegen);
    const documents = Object.entries(generated).filter(([name]) => name.endsWith('Document'));
    expect(documents).toHaveLength(Object.keys(codegen).length);
    // Apollo and urql print a document with one definition alike; with fragments, urql separates them by one newline.
    const clientIds = new Set(documents.flatMap(([, document]) => clientTexts(document as DocumentNode).map(sha256)));
    for (const id of clientIds) expect(committed[id]).toBeDefined();
    expect(Object.keys(committed)).toHaveLength(Object.keys(codegen).length + clientIds.size);
  });

  it('adds what a client adds itself: __typename where a document lacks it, in the client’s own printing', () => {
    const [apollo, urql] = clientTexts(parse('query Q { eventSeries(event: "e", length: 1) { total } }'));
    expect(apollo).toBe('query Q {\n  eventSeries(event: "e", length: 1) {\n    total\n    __typename\n  }\n}');
    expect(urql).toContain('__typename');
    const manifest = persistedManifest({}, [parse('query Q { eventSeries(event: "e", length: 1) { total } }')]);
    expect(Object.values(manifest).sort()).toEqual([apollo, urql].sort());
  });
});
