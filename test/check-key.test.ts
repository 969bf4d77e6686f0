import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENDPOINTS } from '../src/endpoints/index.js';
import { PROBES } from '../scripts/check-key.js';
import { defaultResponder, startFakeBraze, type FakeBraze, type RecordedCall } from '../testkit/fakeBraze.js';
import { TEST_API_KEY } from './helpers/gateway.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** `npm run check-key` as its own process, with only this environment (plus PATH). */
function checkKey(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/check-key.ts'], {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The table's rows, each as `permission result detail` with single spaces. */
const rowsOf = (stdout: string): string[] =>
  stdout
    .split('\n')
    .filter((line) => / GET \//.test(line))
    .map((line) => line.replace(/\s+/g, ' ').trim());

const callsOf = (calls: readonly RecordedCall[]): string[] => calls.map((call) => `${call.path}?${new URLSearchParams(call.query).toString()}`);
/** A one-day series' call: `ending_at` is the time of the run, to the second. */
const series = (path: string, query = ''): RegExp => new RegExp(`^${path}\\?${query}length=1&ending_at=\\d{4}-\\d\\d-\\d\\dT\\d\\d%3A\\d\\d%3A\\d\\dZ$`);

/** With every permission: the calls made, in order (lists first: their first ids feed the calls that need one). */
const EVERY_CALL = [
  '/events/list?page=0',
  '/segments/list?page=0',
  '/campaigns/list?page=0',
  '/canvas/list?page=0',
  series('/kpi/dau/data_series'),
  series('/kpi/mau/data_series'),
  series('/kpi/new_users/data_series'),
  series('/kpi/uninstalls/data_series'),
  series('/sessions/data_series'),
  series('/purchases/quantity_series'),
  series('/purchases/revenue_series'),
  '/purchases/product_list?page=0',
  '/events?',
  '/custom_attributes?',
  series('/events/data_series', 'event=event_000&'),
  '/segments/details?segment_id=segment-000',
  series('/segments/data_series', 'segment_id=segment-000&'),
  '/campaigns/details?campaign_id=campaign-000',
  series('/campaigns/data_series', 'campaign_id=campaign-000&'),
  '/canvas/details?canvas_id=canvas-000',
  series('/canvas/data_series', 'canvas_id=canvas-000&'),
  series('/canvas/data_summary', 'canvas_id=canvas-000&'),
];

/** The row of the one endpoint no list can feed. */
const NO_SEND_ID = 'sends.data_series GET /sends/data_series skipped needs a send id, which no Braze list names: not checked';

describe('npm run check-key against a fake Braze', () => {
  let braze: FakeBraze;
  let env: Record<string, string>;
  beforeAll(async () => {
    braze = await startFakeBraze();
    env = { BRAZE_API_KEY: TEST_API_KEY, BRAZE_REST_ENDPOINT: braze.url.href };
  });
  afterAll(() => braze.close());
  beforeEach(() => {
    braze.calls.length = 0;
    braze.respond(defaultResponder);
  });

  it('has a probe for every endpoint the gateway calls', () => {
    expect(ENDPOINTS.filter((endpoint) => PROBES[endpoint.path] === undefined).map((endpoint) => endpoint.path)).toEqual([]);
  });

  it('with every permission: one call each, every row ok, exit 0, the key nowhere in its output', async () => {
    const run = await checkKey(env);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(braze.calls.map((call) => call.headers.authorization)).toEqual(EVERY_CALL.map(() => `Bearer ${TEST_API_KEY}`));
    const made = callsOf(braze.calls);
    expect(made.length).toBe(EVERY_CALL.length);
    made.forEach((call, index) => (typeof EVERY_CALL[index] === 'string' ? expect(call).toBe(EVERY_CALL[index]) : expect(call).toMatch(EVERY_CALL[index] as RegExp)));
    expect(rowsOf(run.stdout)).toHaveLength(ENDPOINTS.length);
    // A send's id comes from the code that sent it: no Braze list names one, so /sends/data_series is never guessed at.
    expect(rowsOf(run.stdout).filter((row) => !/ GET \/\S+ ok$/.test(row))).toEqual([NO_SEND_ID]);
    expect(run.stdout).toContain('22 calls made to Braze for 23 permissions (at most one each; 1 not checked).');
    expect(run.stdout).toContain('Every permission checked is there; the skipped ones could not be tried.');
    expect(run.stdout).not.toContain(TEST_API_KEY);
  });

  it('403 on some endpoints: those rows say missing, the summary names them, exit 1; an id its list could not give is a skip, not a guess', async () => {
    const refused = ['/kpi/mau/data_series', '/canvas/details', '/segments/list'];
    braze.respond((call) => (refused.includes(call.path) ? { status: 403, body: { message: `Access Denied for ${TEST_API_KEY}` } } : defaultResponder(call)));
    const run = await checkKey(env);
    expect(run.code).toBe(1);
    const rows = rowsOf(run.stdout);
    expect(rows.filter((row) => !row.endsWith(' ok'))).toEqual([
      'segments.list GET /segments/list missing 403',
      'kpi.mau.data_series GET /kpi/mau/data_series missing 403',
      NO_SEND_ID,
      'segments.details GET /segments/details skipped needs a segment id: /segments/list failed',
      'segments.data_series GET /segments/data_series skipped needs a segment id: /segments/list failed',
      'canvas.details GET /canvas/details missing 403',
    ]);
    // Two calls fewer than with every permission: the two that needed a segment id.
    expect(braze.calls).toHaveLength(EVERY_CALL.length - 2);
    expect(braze.calls.filter((call) => call.path.startsWith('/segments/')).map((call) => call.path)).toEqual(['/segments/list']);
    expect(run.stdout).toContain('20 calls made to Braze for 23 permissions (at most one each; 3 not checked).');
    expect(run.stdout).toContain('Missing: segments.list, kpi.mau.data_series, canvas.details. A Braze key');
    expect(run.stdout + run.stderr).not.toContain(TEST_API_KEY);
  });

  it('401 at the first call: the key itself is refused, nothing more is asked, exit 1', async () => {
    braze.respond(() => ({ status: 401, body: { message: `Invalid API key: ${TEST_API_KEY}` } }));
    const run = await checkKey(env);
    expect(run.code).toBe(1);
    expect(callsOf(braze.calls)).toEqual(['/events/list?page=0']);
    const rows = rowsOf(run.stdout);
    expect(rows[0]).toBe('events.list GET /events/list invalid key 401');
    expect(rows.slice(1).filter((row) => row !== NO_SEND_ID).every((row) => row.includes(' not tried Braze refused the key itself (401) before any call succeeded'))).toBe(true);
    expect(rows).toContain(NO_SEND_ID);
    expect(run.stdout).toContain('1 call made to Braze for 23 permissions');
    expect(run.stdout).toContain('Braze refused the key itself (401)');
    expect(run.stdout).not.toContain('Missing:');
    expect(run.stdout + run.stderr).not.toContain(TEST_API_KEY);
  });

  it('a list that names nothing: the calls needing its id are skipped honestly, exit 0 (nothing is missing)', async () => {
    braze.respond((call) => (call.path === '/canvas/list' ? { body: { message: 'success', canvases: [] } } : defaultResponder(call)));
    const run = await checkKey(env);
    expect(run.code).toBe(0);
    expect(rowsOf(run.stdout).filter((row) => !row.endsWith(' ok'))).toEqual([
      NO_SEND_ID,
      'canvas.details GET /canvas/details skipped needs a canvas id: /canvas/list named none',
      'canvas.data_series GET /canvas/data_series skipped needs a canvas id: /canvas/list named none',
      'canvas.data_summary GET /canvas/data_summary skipped needs a canvas id: /canvas/list named none',
    ]);
    expect(braze.calls).toHaveLength(EVERY_CALL.length - 3);
    expect(run.stdout).toContain('Every permission checked is there; the skipped ones could not be tried.');
  });

  it('another failure (a 500) cannot tell: exit 2, one call for it (no retry)', async () => {
    braze.respond((call) => (call.path === '/sessions/data_series' ? { status: 500, body: { message: 'oops' } } : defaultResponder(call)));
    const run = await checkKey(env);
    expect(run.code).toBe(2);
    expect(rowsOf(run.stdout).filter((row) => !row.endsWith(' ok'))).toEqual(['sessions.data_series GET /sessions/data_series other UPSTREAM_UNAVAILABLE (500)', NO_SEND_ID]);
    expect(braze.calls.filter((call) => call.path === '/sessions/data_series')).toHaveLength(1);
  });

  it('without a key or with a wrong configuration: no call, exit 2, the reason', async () => {
    const none = await checkKey({});
    expect(none).toEqual({ code: 2, stdout: 'BRAZE_API_KEY is not set: there is no key to check (without one the gateway serves its simulated Braze).\n', stderr: '' });
    const wrong = await checkKey({ BRAZE_API_KEY: TEST_API_KEY, BRAZE_INSTANCE: 'US-99' });
    expect(wrong.code).toBe(2);
    expect(wrong.stdout).toContain('BRAZE_INSTANCE must be one of US-01');
    expect(wrong.stdout).not.toContain(TEST_API_KEY);
    expect(braze.calls).toHaveLength(0);
  });
});
