import { createSchema, createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import type { BucketStatus, UpstreamStatus } from '../../src/braze/client.js';
import { isoTime } from '../../src/observability/isoTime.js';
import { rateLimitExtension } from '../../src/plugins/useBrazeRateLimitExtension.js';
import { useServiceRoutes } from '../../src/plugins/useServiceRoutes.js';

/**
 * Defence in depth: the edge refuses figures that are no instant (rateLimitHeaders.ts, sharedFigure.ts),
 * and what shows them formats them without throwing all the same, so no value from elsewhere can
 * turn a response, /health or /ready into an error.
 */
const INVALID = new Date(Number.NaN);
const VALID = new Date('2024-03-10T01:00:00Z');
const bucket = (resetAt: Date, paused = false): BucketStatus => ({ rateLimit: { limit: 1000, remaining: 7, resetAt }, reserve: 100, paused });
const none: BucketStatus = { rateLimit: undefined, reserve: 100, paused: false };

describe('isoTime', () => {
  it('formats an instant, and says undefined for no instant instead of throwing', () => {
    expect(isoTime(VALID)).toBe('2024-03-10T01:00:00.000Z');
    expect(isoTime(INVALID)).toBeUndefined();
    expect(isoTime(new Date(1e23))).toBeUndefined();
    expect(isoTime(undefined)).toBeUndefined();
  });
});

describe('rateLimitExtension', () => {
  it('shows a bucket whose reset is no instant as not reported', () => {
    expect(rateLimitExtension({ export: bucket(INVALID), lists: bucket(VALID), campaignSeries: none })).toEqual({
      buckets: { lists: { limit: 1000, remaining: 7, resetAt: '2024-03-10T01:00:00.000Z' } },
    });
    expect(rateLimitExtension({ export: bucket(INVALID), lists: none, campaignSeries: none })).toBeUndefined();
  });
});

describe('/health and /ready', () => {
  const serve = (status: UpstreamStatus) =>
    createYoga({
      schema: createSchema({ typeDefs: 'type Query { ok: Boolean }' }),
      healthCheckEndpoint: '/ never',
      logging: false,
      plugins: [useServiceRoutes({ brazeMode: 'live', upstreamStatus: () => status, now: () => VALID.getTime() })],
    });

  it('answer 200 with a reset or a retryAt that is no instant left out', async () => {
    const yoga = serve({
      circuit: { state: 'open', consecutiveFailures: 5, retryAt: INVALID },
      buckets: { export: bucket(INVALID, true), lists: bucket(VALID), campaignSeries: none },
    });
    const health = await yoga.fetch('http://gateway/health');
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({
      status: 'ok',
      braze: 'live',
      upstream: {
        circuit: 'open',
        consecutiveFailures: 5,
        rateLimit: null,
        rateLimits: { export: null, lists: { limit: 1000, remaining: 7, resetAt: '2024-03-10T01:00:00.000Z', paused: false }, campaignSeries: null },
      },
    });
    // An open circuit whose retryAt is no instant has no cooldown that can be waited for: ready.
    const ready = await yoga.fetch('http://gateway/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });
});
