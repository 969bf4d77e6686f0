import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSeries, type RecordedCall } from '../testkit/fakeBraze.js';
import { useGatewayWithFakeBraze } from './helpers/gateway.js';
import { liveClient, subscribe } from './helpers/live.js';

/**
 * Yoga's own SSE keep-alive is a comment every 12 s, or every 300 ms when NODE_ENV is `test` (as
 * under vitest), which would hide what production does: this file runs as production, so that
 * nothing but the push interval writes to the stream while the idle timeout is far shorter. The
 * stream survives because yoga's server adapter (@whatwg-node/server) turns the socket's idle timeout
 * off for a streamed answer (socket.setTimeout(0)).
 */
const nodeEnv = process.env['NODE_ENV'];
beforeAll(() => {
  process.env['NODE_ENV'] = 'production';
});
afterAll(() => {
  process.env['NODE_ENV'] = nodeEnv;
});

const IDLE_MS = 400;
const INTERVAL_MS = 1_500;

describe('SSE streams outlive the idle timeout', () => {
  const { braze, gateway } = useGatewayWithFakeBraze({
    SERVER_IDLE_TIMEOUT_MS: String(IDLE_MS),
    CACHE_TTL_LIVE_MS: String(INTERVAL_MS),
    LIVE_MIN_INTERVAL_MS: String(INTERVAL_MS),
  });

  it(`a series pushed every ${INTERVAL_MS} ms stays open with a ${IDLE_MS} ms idle timeout (streamed answers are exempt), and gets every poll`, async () => {
    let n = 0;
    braze.respond((call: RecordedCall) => {
      n++;
      const body = defaultSeries(call.query, call.path) as { data: { time: string; count: number }[] };
      return { body: { ...body, data: body.data.map((point) => ({ ...point, count: n })) } };
    });
    const stream = subscribe<{ eventSeries: { series: { total: number } } }>(
      liveClient(gateway),
      'subscription { eventSeries(event: "quiet", length: 2) { series { total } } }',
    );
    await stream.waitFor(3, 10_000);
    expect(stream.ended).toBeUndefined();
    expect(stream.results.map((result) => result.data?.eventSeries.series.total)).toEqual([2, 4, 6]);
    stream.close();
  }, 20_000);
});
