import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { integer, parsed, type Report, type VariableReader, type VariableTable } from './read.js';
import type { AutomaticPersistedQueriesPolicy } from '../plugins/useAutomaticPersistedQueries.js';
export type { AutomaticPersistedQueriesPolicy } from '../plugins/useAutomaticPersistedQueries.js';

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

/**
 * Automatic persisted queries: documents clients registered by hash, per process. The operations in
 * test/operations print to 260 B-2.3 KB (450 B median) and a 50-chart dashboard to about 8 KB, so the
 * 1,000 entries bind before the 4 MiB for most frontends, and 4 MiB still holds 500 of the largest.
 * APQ_MAX_BYTES=0 turns APQ off (a hash alone is answered PERSISTED_QUERY_NOT_SUPPORTED, and clients
 * send documents).
 */
export const APQ_VARIABLES: VariableTable<AutomaticPersistedQueriesPolicy> = {
  maxBytes: integer('APQ_MAX_BYTES', { min: 0, max: 1024 ** 3, default: 4 * 1024 * 1024 }),
  maxEntries: integer('APQ_MAX_ENTRIES', { min: 1, max: 1_000_000, default: 1_000 }),
};

/**
 * The APQ policy, or undefined when APQ is off: APQ_MAX_BYTES=0, or PERSISTED_OPERATIONS_FILE (only
 * the manifest's operations run, so nothing may be registered). Setting an APQ variable with a
 * manifest cannot be what the operator meant: a problem.
 */
export function readApq(vars: VariableReader, persistedOperations: ReadonlyMap<string, string> | undefined): AutomaticPersistedQueriesPolicy | undefined {
  const policy = vars.readAll(APQ_VARIABLES);
  if (persistedOperations !== undefined) {
    const named = Object.values(APQ_VARIABLES).filter((variable) => vars.isSet(variable));
    if (named.length > 0) {
      vars.report(`${named.map((variable) => variable.name).join(' and ')} cannot apply with PERSISTED_OPERATIONS_FILE (only the manifest's operations run, none can be registered): unset it`);
    }
    return undefined;
  }
  return policy.maxBytes === 0 ? undefined : Object.freeze(policy);
}
