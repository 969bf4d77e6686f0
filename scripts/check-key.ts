// `npm run check-key`: which of the API key permissions the gateway needs does BRAZE_API_KEY have?
// One cheap call per permission (a page-0 list, a one-day series), through the gateway's own client and
// configuration; prints a table, never the key. Exit 0: every permission checked is there; 1: one is
// missing (403) or the key is refused (401); 2: nothing is missing but something could not be told
// (a failure of another kind, a permission this script has no probe for) or the configuration is wrong.
import { fileURLToPath } from 'node:url';
import { BrazeClient, createBrazeDispatcher } from '../src/braze/client.js';
import { readBraze } from '../src/config/braze.js';
import { VariableReader, type Env } from '../src/config/read.js';
import { readUpstream } from '../src/config/upstream.js';
import type { AnyEndpoint } from '../src/data/endpoint.js';
import { ENDPOINTS } from '../src/endpoints/index.js';
import { UpstreamError, UpstreamForbiddenError, UpstreamUnauthorizedError } from '../src/errors/gatewayErrors.js';
import { createLogger } from '../src/observability/logger.js';

/** The ids a probe may need, each read from the first item of a list's answer. */
type IdKind = 'event' | 'segment' | 'campaign' | 'canvas';

interface Probe {
  /** The query string of the cheapest call that needs the permission (`id` when `needs` says so). */
  readonly params: (id: string) => Record<string, string>;
  /** The id this call cannot be made without. */
  readonly needs?: IdKind;
  /** This list's answer names ids of this kind: its first one serves the probes that need one. */
  readonly yields?: { readonly kind: IdKind; readonly first: (body: unknown) => string | undefined };
  /** Why this permission cannot be checked at all (no list names what the call needs). */
  readonly unprobable?: string;
}

/** This run's time to the second, in UTC: every series asked ends then (the gateway always sends `ending_at`; the Canvas pages require it). */
const NOW = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
/** A one-day series ending now. */
const ONE_DAY = { length: '1', ending_at: NOW };
const canvasDay = (id: string) => ({ canvas_id: id, ...ONE_DAY });

/** `body[key][0]`, or `body[key][0].id`: the first item a list names, when there is one. */
function firstOf(key: string, field?: string): (body: unknown) => string | undefined {
  return (body) => {
    const items = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[key] : undefined;
    const first: unknown = Array.isArray(items) ? items[0] : undefined;
    const value = field === undefined ? first : typeof first === 'object' && first !== null ? (first as Record<string, unknown>)[field] : undefined;
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
}

/** How each endpoint's permission is checked, by the endpoint's path. */
export const PROBES: Readonly<Record<string, Probe>> = {
  '/events/list': { params: () => ({ page: '0' }), yields: { kind: 'event', first: firstOf('events') } },
  '/segments/list': { params: () => ({ page: '0' }), yields: { kind: 'segment', first: firstOf('segments', 'id') } },
  '/campaigns/list': { params: () => ({ page: '0' }), yields: { kind: 'campaign', first: firstOf('campaigns', 'id') } },
  '/canvas/list': { params: () => ({ page: '0' }), yields: { kind: 'canvas', first: firstOf('canvases', 'id') } },
  '/purchases/product_list': { params: () => ({ page: '0' }) },
  '/kpi/dau/data_series': { params: () => ONE_DAY },
  '/kpi/mau/data_series': { params: () => ONE_DAY },
  '/kpi/new_users/data_series': { params: () => ONE_DAY },
  '/kpi/uninstalls/data_series': { params: () => ONE_DAY },
  '/sessions/data_series': { params: () => ONE_DAY },
  '/purchases/quantity_series': { params: () => ONE_DAY },
  '/purchases/revenue_series': { params: () => ONE_DAY },
  '/events/data_series': { needs: 'event', params: (event) => ({ event, ...ONE_DAY }) },
  '/segments/details': { needs: 'segment', params: (id) => ({ segment_id: id }) },
  '/segments/data_series': { needs: 'segment', params: (id) => ({ segment_id: id, ...ONE_DAY }) },
  '/campaigns/details': { needs: 'campaign', params: (id) => ({ campaign_id: id }) },
  '/campaigns/data_series': { needs: 'campaign', params: (id) => ({ campaign_id: id, ...ONE_DAY }) },
  '/canvas/details': { needs: 'canvas', params: (id) => ({ canvas_id: id }) },
  '/canvas/data_series': { needs: 'canvas', params: canvasDay },
  '/canvas/data_summary': { needs: 'canvas', params: canvasDay },
  // The endpoints issue 21 adds: cursor-paged lists whose first page needs nothing, and one no list can feed.
  '/events': { params: () => ({}) },
  '/custom_attributes': { params: () => ({}) },
  '/sends/data_series': { params: () => ({}), unprobable: 'needs a send id, which no Braze list names: not checked' },
};

export type Outcome = 'ok' | 'missing' | 'invalid key' | 'skipped' | 'not tried' | 'other';

export interface Row {
  readonly permission: string;
  readonly path: string;
  readonly outcome: Outcome;
  readonly detail: string;
}

export interface Report {
  readonly rows: readonly Row[];
  /** HTTP requests sent to Braze. */
  readonly calls: number;
}

/** Lists first (their ids feed the others), then the calls that need nothing, then those that need an id. */
function order(endpoint: AnyEndpoint): number {
  const probe = PROBES[endpoint.path];
  return probe?.yields ? 0 : probe?.needs ? 2 : 1;
}

/** Makes the calls, one per permission, and says what each showed. Stops asking once a 401 came before any success: Braze says the key itself is refused. */
export async function checkKey(client: Pick<BrazeClient, 'call'>, endpoints: readonly AnyEndpoint[], countCalls: () => number): Promise<Report> {
  const ids = new Map<IdKind, string | undefined>();
  /** Why a kind of id is missing, by kind: the list's failure, or its empty answer. */
  const noId = new Map<IdKind, string>();
  const rows: Row[] = [];
  let succeeded = false;
  let refusedKey = false;
  for (const endpoint of [...endpoints].sort((a, b) => order(a) - order(b))) {
    const { permission, path } = endpoint;
    const row = (outcome: Outcome, detail: string): void => void rows.push({ permission, path, outcome, detail });
    const probe = PROBES[path];
    if (!probe) {
      row('other', 'scripts/check-key.ts has no probe for this endpoint: not checked');
      continue;
    }
    if (probe.unprobable !== undefined) {
      row('skipped', probe.unprobable);
      continue;
    }
    if (refusedKey) {
      row('not tried', 'Braze refused the key itself (401) before any call succeeded');
      continue;
    }
    let id = '';
    if (probe.needs) {
      const found = ids.get(probe.needs);
      if (found === undefined) {
        row('skipped', `needs a ${probe.needs} id: ${noId.get(probe.needs) ?? 'no list names one'}`);
        continue;
      }
      id = found;
    }
    const params = new URLSearchParams(probe.params(id));
    try {
      const body = await client.call({ path, params, bucket: endpoint.bucket, permission, parse: (text) => text });
      succeeded = true;
      row('ok', '');
      if (probe.yields) {
        let first: string | undefined;
        try {
          first = probe.yields.first(JSON.parse(body));
        } catch {
          first = undefined;
        }
        ids.set(probe.yields.kind, first);
        if (first === undefined) noId.set(probe.yields.kind, `${path} named none`);
      }
    } catch (error) {
      if (probe.yields) noId.set(probe.yields.kind, `${path} failed`);
      if (error instanceof UpstreamForbiddenError) row('missing', '403');
      else if (error instanceof UpstreamUnauthorizedError) {
        row('invalid key', succeeded ? '401, though other calls with this key succeeded: not what Braze documents 401 for' : '401');
        if (!succeeded) refusedKey = true;
      } else if (error instanceof UpstreamError) row('other', `${error.code}${error.status === undefined ? '' : ` (${error.status})`}`);
      else throw error;
    }
  }
  return { rows, calls: countCalls() };
}

/** The table and its summary, as printed. */
export function describeReport({ rows, calls }: Report, target: string): { text: string; exitCode: number } {
  const width = (pick: (row: Row) => string, title: string): number => Math.max(title.length, ...rows.map((row) => pick(row).length));
  const widths = [width((row) => row.permission, 'permission'), width((row) => `GET ${row.path}`, 'endpoint'), width((row) => row.outcome, 'result')];
  const line = (cells: string[]): string => cells.map((cell, index) => (index < 3 ? cell.padEnd(widths[index] ?? 0) : cell)).join('  ').trimEnd();
  const count = (outcome: Outcome): Row[] => rows.filter((row) => row.outcome === outcome);
  const missing = count('missing');
  const invalid = count('invalid key');
  const unknown = [...count('other'), ...count('skipped')];
  const lines = [
    `Braze API key check against ${target} (the key is not shown)`,
    '',
    line(['permission', 'endpoint', 'result', 'detail']),
    ...rows.map((row) => line([row.permission, `GET ${row.path}`, row.outcome, row.detail])),
    '',
    `${calls} ${calls === 1 ? 'call' : 'calls'} made to Braze for ${rows.length} permissions (at most one each; ${unknown.length + count('not tried').length} not checked).`,
  ];
  if (invalid.length > 0 && count('ok').length === 0) {
    lines.push(
      'Braze refused the key itself (401): it does not know this key on this instance. Check BRAZE_API_KEY, and that BRAZE_INSTANCE (or BRAZE_REST_ENDPOINT) is the instance the key belongs to.',
    );
  }
  if (missing.length > 0) {
    lines.push(
      `Missing: ${missing.map((row) => row.permission).join(', ')}. A Braze key's permissions are set when it is created: create a key with every permission above (Braze dashboard, Settings > APIs and Identifiers) and set BRAZE_API_KEY to it. (Braze also answers 403 when the plan does not include an endpoint or the account is inactive.)`,
    );
  }
  const exitCode = missing.length > 0 || invalid.length > 0 ? 1 : count('other').length > 0 ? 2 : 0;
  if (exitCode === 0) lines.push(unknown.length > 0 ? 'Every permission checked is there; the skipped ones could not be tried.' : 'Every permission the gateway uses is there.');
  return { text: `${lines.join('\n')}\n`, exitCode };
}

/** Reads the configuration the gateway reads, checks the key, prints the report; the exit code. */
export async function main(env: Env, write: (text: string) => void): Promise<number> {
  const vars = new VariableReader(env);
  const braze = readBraze(vars);
  const upstream = readUpstream(vars);
  if (vars.problems.length > 0 || braze === undefined) {
    write(`Invalid configuration:\n${vars.problems.map((problem) => `  - ${problem}`).join('\n')}\n`);
    return 2;
  }
  if (braze.mode === 'simulated') {
    write('BRAZE_API_KEY is not set: there is no key to check (without one the gateway serves its simulated Braze).\n');
    return 2;
  }
  // One attempt a call, no wait for a rate-limit reset, no breaker: each permission costs at most one request.
  const policy = { ...upstream, maxAttempts: 1, rateLimitWaitMs: 0, breakerThreshold: 0 };
  const dispatcher = createBrazeDispatcher(policy);
  let calls = 0;
  const client = new BrazeClient({
    endpoint: braze.endpoint,
    apiKey: braze.apiKey,
    dispatcher,
    policy,
    // The table says what each call did; the client's warnings would repeat it.
    logger: createLogger({ level: 'silent', secrets: [braze.apiKey] }),
    observer: { attempt: () => void calls++ },
  });
  try {
    const report = await checkKey(client, ENDPOINTS, () => calls);
    const { text, exitCode } = describeReport(report, braze.endpoint.href.replace(/\/$/, ''));
    write(text);
    return exitCode;
  } finally {
    await dispatcher.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.env, (text) => process.stdout.write(text));
}
