// The bundled build (scripts/build-server.ts, part of `npm run build`): dist/main.js and dist/gateway.js
// with the dependencies inside, for a fast cold start (issue 23, goal 5). Built here into a directory away
// from the checkout, where no node_modules can be found, and started as `node dist/main.js` is: it must
// answer on its own, load the Redis modules (ioredis) and OpenTelemetry (their chunks) when asked for, and its
// logged stack traces name src/ through the bundle's source map.
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { spawnServer } from '../testkit/serverProcess.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBraze, type FakeBraze } from '../testkit/fakeBraze.js';
import { redisAvailable, startRedis, type RedisServer } from '../testkit/redis.js';
import { TEST_API_KEY, TEST_AUTH_TOKEN } from './helpers/gateway.js';
import { startOtlpReceiver } from './helpers/otlpReceiver.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const QUERY = '{ eventSeries(event: "e", length: 3, endingAt: "2024-01-01T00:00:00Z") { total } }';

const withRedis = await redisAvailable();
let dir: string;
let braze: FakeBraze;
let redis: RedisServer | undefined;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gateway-bundle-'));
  // What the package's own package.json gives dist/ (ES modules), and nothing else of the package.
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/build-server.ts'], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', BUILD_SERVER_OUT_DIR: join(dir, 'dist') },
  });
  braze = await startFakeBraze();
  if (withRedis) redis = await startRedis();
}, 120_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await braze?.close();
  await redis?.kill();
  rmSync(dir, { recursive: true, force: true });
});

/** esbuild's comment before a bundled module's code (the bundle is not minified). */
const STOCK_PAGE_MODULE = '// node_modules/@graphql-yoga/render-graphiql/';

/** The chunk that holds yoga's stock GraphiQL page (@graphql-yoga/render-graphiql), by its content. */
function stockPageChunk(): string {
  const chunks = readdirSync(join(dir, 'dist')).filter((name) => name.startsWith('bundle-') && name.endsWith('.js'));
  const found = chunks.filter((name) => readFileSync(join(dir, 'dist', name), 'utf8').includes(STOCK_PAGE_MODULE));
  expect(found).toHaveLength(1);
  return found[0]!;
}

/** `node dist/main.js` from the temporary directory; resolves with its GraphQL URL once it logs that it listens. */
async function startBundle(env: Record<string, string>): Promise<{ url: URL; output: () => string; stop: () => Promise<void> }> {
  const server = spawnServer(
    { PORT: '0', HOST: '127.0.0.1', BRAZE_REST_ENDPOINT: braze.url.href, BRAZE_API_KEY: TEST_API_KEY, AUTH_TOKENS: TEST_AUTH_TOKEN, ...env },
    { entry: ['dist/main.js'], cwd: dir },
  );
  children.push(server.child);
  const url = await server.listening;
  const stop = async (): Promise<void> => {
    server.child.kill('SIGTERM');
    await server.exited;
  };
  return { url, output: server.output, stop };
}

async function ask(url: URL, query = QUERY): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_AUTH_TOKEN}` },
    body: JSON.stringify({ query }),
  });
  return response.json();
}

describe('the bundled build (dist/main.js with its dependencies inside)', () => {
  it('is an entry, a bundle and chunks for what is imported on demand, with source maps', () => {
    const files = readdirSync(join(dir, 'dist'));
    expect(files).toEqual(expect.arrayContaining(['main.js', 'main.js.map', 'gateway.js', 'gateway.js.map']));
    expect(files.some((name) => /^bundle-redisCache-\w+\.js$/.test(name))).toBe(true);
    // ioredis is in the Redis modules' chunks, not in what every start loads.
    expect(readFileSync(join(dir, 'dist', 'gateway.js'), 'utf8')).not.toContain('node_modules/ioredis/');
    const map = JSON.parse(readFileSync(join(dir, 'dist', 'gateway.js.map'), 'utf8')) as { sources: string[] };
    expect(map.sources.some((source) => source.endsWith('src/startServer.ts'))).toBe(true);
  });

  it('starts without node_modules and answers a query with one Braze call', async () => {
    const before = braze.seriesCalls.length;
    const gateway = await startBundle({});
    expect(await ask(gateway.url)).toMatchObject({ data: { eventSeries: { total: expect.any(Number) } } });
    expect(braze.seriesCalls.length - before).toBe(1);
    await gateway.stop();
  });

  it('prints the same subgraph SDL as the sources, at the first _service query rather than at start', async () => {
    const { printSubgraphSchema } = await import('@apollo/subgraph');
    const { schema } = await import('../src/schema/index.js');
    const gateway = await startBundle({});
    const answer = (await ask(gateway.url, '{ _service { sdl } }')) as { data?: { _service?: { sdl?: string } } };
    expect(answer.data?._service?.sdl).toBe(printSubgraphSchema(schema));
    await gateway.stop();
  });

  it('without GraphiQL\'s build nor node_modules: yoga\'s stock page comes from its own chunk, loaded at its first request', async () => {
    const chunk = stockPageChunk();
    expect(readFileSync(join(dir, 'dist', 'gateway.js'), 'utf8')).not.toContain(STOCK_PAGE_MODULE);
    const gateway = await startBundle({});
    const page = await fetch(gateway.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('YogaGraphiQL.renderYogaGraphiQL');
    expect(chunk).toMatch(/^bundle-[\w-]+\.js$/);
    await gateway.stop();
  });

  it('a failure is logged with a trace that names src/ (source maps), and the API answers on', async () => {
    // The stock page's chunk made to throw: the failure passes through src/graphiqlSite/page.ts.
    const chunk = join(dir, 'dist', stockPageChunk());
    const kept = readFileSync(chunk);
    writeFileSync(chunk, "export function renderGraphiQL() { throw new Error('the stock page failed'); }\n");
    try {
      const gateway = await startBundle({});
      const page = await fetch(gateway.url, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(500);
      await page.arrayBuffer();
      expect(await ask(gateway.url)).toMatchObject({ data: { eventSeries: { total: expect.any(Number) } } });
      const failure = gateway
        .output()
        .split('\n')
        .find((line) => line.includes('answered 500'));
      expect(failure).toContain('the stock page failed');
      expect(failure).toMatch(/src\/graphiqlSite\/page\.ts:\d+:\d+/);
      expect(failure).not.toMatch(/dist\/gateway\.js:\d+/);
      await gateway.stop();
    } finally {
      writeFileSync(chunk, kept);
    }
  });

  it.each(['http/protobuf', 'http/json'])('loads OpenTelemetry (its chunk) when tracing is on: the spans reach the collector over %s', async (protocol) => {
    const collector = await startOtlpReceiver();
    try {
      const gateway = await startBundle({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.url.href, OTEL_EXPORTER_OTLP_PROTOCOL: protocol });
      expect(await ask(gateway.url)).toMatchObject({ data: { eventSeries: { total: expect.any(Number) } } });
      // Exported in batches, and at the latest when the process stops.
      await gateway.stop();
      expect(collector.exports.map((sent) => sent.path)).toContain('/v1/traces');
      expect(collector.spans.length).toBeGreaterThan(0);
    } finally {
      await collector.close();
    }
  });

  it.runIf(withRedis)('loads the Redis modules when REDIS_URL asks: a second replica answers from the first one’s cache in Redis, and on its own once Redis is gone', async () => {
    if (!redis) throw new Error('redis-server is installed but did not start');
    const env = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: `bundle-${Date.now()}:` };
    const before = braze.seriesCalls.length;
    const first = await startBundle(env);
    const answer = (await ask(first.url)) as { data: unknown };
    await first.stop();
    const second = await startBundle(env);
    expect(await ask(second.url)).toMatchObject({ data: answer.data, extensions: { brazeCache: { hits: 1, misses: 0 } } });
    expect(braze.seriesCalls.length - before).toBe(1);
    // Redis gone: ioredis's error paths run inside the bundle (they name __dirname), and the replica serves on its own.
    await redis.kill();
    const alone = '{ eventSeries(event: "e", length: 3, endingAt: "2024-02-01T00:00:00Z") { total } }';
    expect(await ask(second.url, alone)).toMatchObject({ data: { eventSeries: { total: expect.any(Number) } } });
    expect(braze.seriesCalls.length - before).toBe(2);
    expect(second.output()).not.toContain('ReferenceError');
    await second.stop();
  });
});
