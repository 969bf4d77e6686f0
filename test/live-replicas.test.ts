import { afterAll, describe, expect, it } from 'vitest';
import { isCI } from './helpers/browser.js';
import { startFakeBraze, type FakeBraze } from '../testkit/fakeBraze.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';
import { liveClient, sleep, subscribe } from './helpers/live.js';
import { redisAvailable, startRedis, type RedisServer } from '../testkit/redis.js';

const redisHere = await redisAvailable();
if (!redisHere) console.warn(`live replica tests ${isCI() ? 'FAIL' : 'skipped'}: /usr/bin/redis-server is missing (apt-get install redis-server)`);

/** Longer than REQUEST_TIME_GRANULARITY_MS (1 s): the poll's own instant is what the replicas share. */
const INTERVAL_MS = 2_000;

describe.skipIf(!redisHere && !isCI())('live series across replicas sharing Redis', () => {
  let redis: RedisServer | undefined;
  let braze: FakeBraze | undefined;
  const gateways: TestGateway[] = [];
  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.close()));
    await braze?.close();
    await redis?.kill();
  });

  it('two replicas polling one series at different moments make one Braze call per interval between them, not two', async () => {
    if (!redisHere) throw new Error('CI is set and /usr/bin/redis-server is missing');
    redis = await startRedis();
    braze = await startFakeBraze();
    const env = { CACHE_ENABLED: 'true', REDIS_URL: redis.url, REDIS_KEY_PREFIX: `live-${Date.now()}:`, CACHE_TTL_LIVE_MS: String(INTERVAL_MS), LIVE_MIN_INTERVAL_MS: '300' };
    gateways.push(await startTestGateway(braze, env), await startTestGateway(braze, env));
    const [a, b] = gateways as [TestGateway, TestGateway];
    const query = 'subscription { eventSeries(event: "replicated", length: 3) { series { total fetchedAt } status { state } } }';
    // Replica B's poll comes half an interval after A's: their polls do not overlap in time.
    const started = Date.now();
    const onA = subscribe(liveClient(a), query);
    await onA.waitFor(1);
    await sleep(INTERVAL_MS / 2);
    const onB = subscribe(liveClient(b), query);
    await onB.waitFor(1);
    await sleep(INTERVAL_MS * 5);
    onA.close();
    onB.close();
    const elapsed = Date.now() - started;
    const intervals = Math.ceil(elapsed / INTERVAL_MS);
    const calls = braze.seriesCalls.length;
    console.info(`live replicas: ${calls} Braze calls in ${elapsed} ms (${intervals} intervals of ${INTERVAL_MS} ms) for 2 replicas polling one series`);
    // One per interval slot (each replica polls about once an interval; the second in a slot finds the
    // first's answer in Redis); two per interval would be 2 × intervals.
    expect(calls).toBeGreaterThanOrEqual(intervals - 2);
    expect(calls).toBeLessThanOrEqual(intervals + 1);
    expect(onB.results[0]?.data).toMatchObject({ eventSeries: { series: { total: 6 }, status: { state: 'LIVE' } } });
  }, 30_000);
});
