import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { parsed, type Report } from './read.js';

/**
 * Reads a persisted-operations manifest as GraphQL Code Generator's client preset writes it
 * (`persistedDocuments`): a JSON object from id to document. Every document must parse, so a broken
 * manifest stops the start instead of failing one client later.
 */
export function readManifest(path: string, report: Report): ReadonlyMap<string, string> | undefined {
  // Problems say what is wrong and where, never what the file holds: pointed at the wrong file (a key,
  // /etc/shadow), JSON.parse's and graphql's messages would quote it.
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    report(`PERSISTED_OPERATIONS_FILE cannot be read (${path}: ${typeof code === 'string' ? code : 'read failed'})`);
    return undefined;
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch {
    report(`PERSISTED_OPERATIONS_FILE is not valid JSON (${path})`);
    return undefined;
  }
  if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest) || Object.keys(manifest).length === 0) {
    report(`PERSISTED_OPERATIONS_FILE must hold a non-empty JSON object of { id: document } (${path})`);
    return undefined;
  }
  const operations = new Map<string, string>();
  Object.entries(manifest).forEach(([id, document], index) => {
    const entry = `PERSISTED_OPERATIONS_FILE entry ${index + 1}`;
    if (typeof document !== 'string') return void report(`${entry} is not a string`);
    try {
      parse(document);
      operations.set(id, document);
    } catch (error) {
      const at = (error as { locations?: readonly { line: number; column: number }[] }).locations?.[0];
      report(`${entry} is not a GraphQL document${at ? ` (syntax error at line ${at.line}, column ${at.column})` : ''}`);
    }
  });
  return operations;
}

/** The manifest, { id: document }: when set, only these operations run. undefined: any document is accepted. */
export const PERSISTED_OPERATIONS_FILE = parsed<ReadonlyMap<string, string> | undefined>(
  'PERSISTED_OPERATIONS_FILE',
  undefined,
  readManifest,
);
