import type { BrazeConfig } from './braze.js';
import { list, type VariableReader } from './read.js';

/** Browser origins allowed to call the gateway: '*' for any, or an exact list (empty: none). */
export type CorsOrigins = '*' | readonly string[];

export const CORS_ORIGINS = list('CORS_ORIGINS');

export function readCorsOrigins(vars: VariableReader, brazeMode: BrazeConfig['mode'] | undefined): CorsOrigins {
  const entries = vars.read(CORS_ORIGINS);
  // Demo data is made up, so any page may read it; a real key's numbers only go where allowed.
  if (entries === undefined) return brazeMode === 'simulated' ? '*' : Object.freeze([]);
  if (entries.length === 1 && entries[0] === '*') return '*';
  const origins: string[] = [];
  for (const entry of entries.filter((e) => e !== '')) {
    // A URL may hold a `*` in its host (https://*.example.com parses), but no browser's origin does:
    // the operator meant a pattern, which would silently allow nothing.
    if (entry.includes('*')) {
      vars.report(`CORS_ORIGINS takes no patterns: list each origin, or * alone for any (got "${entry}")`);
      continue;
    }
    const origin = originOf(entry);
    if (origin === undefined) vars.report(`CORS_ORIGINS entries must be origins such as https://app.example.com (got "${entry}")`);
    else origins.push(origin);
  }
  return Object.freeze(origins);
}

/** The origin an entry names exactly (a trailing slash allowed), or undefined for anything more or less. */
function originOf(entry: string): string | undefined {
  try {
    const url = new URL(entry);
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.origin === entry.replace(/\/$/, '')) return url.origin;
  } catch {
    // not a URL at all
  }
  return undefined;
}
