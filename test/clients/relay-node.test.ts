import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { createOperationDescriptor, fetchQuery, getSelector, type ConcreteRequest, type Environment, type ReaderFragment } from 'relay-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRelayEnvironment } from '../../examples/clients/relayEnvironment.js';
import { useGatewayWithFakeBraze } from '../helpers/gateway.js';

/**
 * Relay as a frontend team runs it: relay-compiler (its npm package's own binary) over the committed
 * client SDL and the documents of examples/clients/relay, then relay-runtime against the real gateway,
 * fetching a query and refetching a @refetchable fragment through `node(id:)`.
 */
const { braze, gateway } = useGatewayWithFakeBraze();

const ROOT = resolve(import.meta.dirname, '../..');
let workDir = '';
let artifacts: { query: ConcreteRequest; refetch: ConcreteRequest; fragment: ReaderFragment };

beforeAll(async () => {
  // The compiler reads a project rooted at its config's folder: the committed SDL and documents are copied there.
  workDir = await mkdtemp(join(tmpdir(), 'relay-'));
  await cp(join(ROOT, 'examples/clients/relay'), join(workDir, 'src'), { recursive: true });
  await cp(join(ROOT, 'schema/schema.graphql'), join(workDir, 'schema.graphql'));
  await mkdir(join(workDir, '__generated__'));
  const config = { src: './src', schema: './schema.graphql', artifactDirectory: './__generated__', language: 'typescript', eagerEsModules: true };
  await writeFile(join(workDir, 'relay.config.json'), JSON.stringify(config));
  await promisify(execFile)(join(ROOT, 'node_modules/.bin/relay-compiler'), ['relay.config.json', '--noWatchman', '--output', 'quiet-with-errors'], { cwd: workDir, timeout: 60_000 });
  expect((await readdir(join(workDir, '__generated__'))).sort()).toEqual([
    'CustomEventPanelQuery.graphql.ts',
    'CustomEventPanelRefetchQuery.graphql.ts',
    'CustomEventPanel_event.graphql.ts',
  ]);
  const load = async <T,>(name: string): Promise<T> => ((await import(pathToFileURL(join(workDir, '__generated__', `${name}.graphql.ts`)).href)) as { default: T }).default;
  artifacts = {
    query: await load<ConcreteRequest>('CustomEventPanelQuery'),
    refetch: await load<ConcreteRequest>('CustomEventPanelRefetchQuery'),
    fragment: await load<ReaderFragment>('CustomEventPanel_event'),
  };
}, 90_000);

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

/** The panel fragment's data, read from the store through the fragment reference `owner` holds at `field`. */
function panelData(environment: Environment, request: ConcreteRequest, variables: Record<string, unknown>, field: string): unknown {
  const root = environment.lookup(createOperationDescriptor(request, variables).fragment).data as Record<string, unknown>;
  const selector = getSelector(artifacts.fragment, root[field] as never);
  if (!selector || !('dataID' in selector)) throw new Error(`no single fragment reference at ${field}`);
  return environment.lookup(selector).data;
}

const ENDING_AT = '2024-03-10T00:00:00Z';

describe('relay-compiler over the committed schema, relay-runtime against the gateway', () => {
  it('fetches a query, then refetches its @refetchable fragment through node(id:): one series call each', async () => {
    const environment = createRelayEnvironment(gateway.url.href, gateway.authHeaders);
    const variables = { name: 'event_001', length: 2, endingAt: ENDING_AT };
    await fetchQuery(environment, artifacts.query, variables).toPromise();
    expect(panelData(environment, artifacts.query, variables, 'customEvent')).toEqual({
      id: 'CustomEvent:event_001',
      series: {
        total: 3,
        points: [
          { time: '2024-03-09T00:00:00.000Z', count: 1 },
          { time: '2024-03-10T00:00:00.000Z', count: 2 },
        ],
      },
    });
    expect(braze.calls.map((call) => call.path)).toEqual(['/events/data_series']);

    braze.calls.length = 0;
    const refetchVariables = { id: 'CustomEvent:event_001', length: 3, endingAt: ENDING_AT };
    await fetchQuery(environment, artifacts.refetch, refetchVariables).toPromise();
    expect(panelData(environment, artifacts.refetch, refetchVariables, 'node')).toEqual({
      id: 'CustomEvent:event_001',
      series: {
        total: 6,
        points: [
          { time: '2024-03-08T00:00:00.000Z', count: 1 },
          { time: '2024-03-09T00:00:00.000Z', count: 2 },
          { time: '2024-03-10T00:00:00.000Z', count: 3 },
        ],
      },
    });
    expect(braze.calls.map((call) => [call.path, call.query['event'], call.query['length']])).toEqual([['/events/data_series', 'event_001', '3']]);
    // One record for the event, whichever path reached it.
    expect(environment.getStore().getSource().getRecordIDs()).toContain('CustomEvent:event_001');
  });
});

describe('node(id:)', () => {
  it('each named entity by its global id, no upstream call for the node itself', async () => {
    braze.calls.length = 0;
    const result = await gateway.query(`{
      product: node(id: "Product:product_001") { __typename id ... on Product { name } }
      event: node(id: "CustomEvent:a:b") { __typename id ... on CustomEvent { name } }
      attribute: node(id: "CustomAttribute:plan") { __typename id ... on CustomAttribute { name } }
    }`);
    expect(result.errors).toEqual([]);
    expect(result.data).toEqual({
      product: { __typename: 'Product', id: 'Product:product_001', name: 'product_001' },
      event: { __typename: 'CustomEvent', id: 'CustomEvent:a:b', name: 'a:b' },
      attribute: { __typename: 'CustomAttribute', id: 'CustomAttribute:plan', name: 'plan' },
    });
    expect(braze.calls).toEqual([]);
  });

  const REFUSED: [string, string][] = [
    ['a campaign id (Braze ids do not say their type)', 'campaign-001'],
    ['an unknown type', 'Campaign:campaign-001'],
    ['an empty name', 'CustomEvent:'],
    ['a blank name', 'Product:   '],
    ['a name longer than Braze allows', `CustomEvent:${'n'.repeat(256)}`],
    ['a huge id', 'x'.repeat(100_000)],
  ];
  for (const [what, id] of REFUSED) {
    it(`${what}: BAD_USER_INPUT on the field, no upstream call`, async () => {
      braze.calls.length = 0;
      const result = await gateway.query('query ($id: ID!) { node(id: $id) { id } }', { id });
      expect(result.data).toEqual({ node: null });
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toMatchObject({ path: ['node'], extensions: { code: 'BAD_USER_INPUT', argument: 'id' } });
      expect(result.errors[0]?.message).not.toContain('x'.repeat(300));
      expect(braze.calls).toEqual([]);
    });
  }
});
