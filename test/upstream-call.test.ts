import { beforeEach, describe, expect, it } from 'vitest';
import { EventSeriesDocument } from './generated/graphql.js';
import { TEST_API_KEY, startTestGateway, useGatewayWithFakeBraze } from './helpers/gateway.js';
import { withoutTypenames } from './helpers/typenames.js';

const { braze, gateway } = useGatewayWithFakeBraze();
beforeEach(() => {
  braze.calls.length = 0;
  braze.respond((call) => {
    const unit = call.query['unit'];
    if (unit === 'hour') {
      return {
        body: {
          message: 'success',
          data: [
            { time: '2014-12-10T21:00:00', count: 3 },
            { time: '2014-12-10T22:00:00+01:00', count: 0 },
            { time: '2014-12-10T23:00:00.000Z', count: 9 },
          ],
        },
      };
    }
    return {
      body: {
        message: 'success',
        data: [
          { time: '2014-12-09', count: 12 },
          { time: '2014-12-10', count: 30 },
        ],
      },
    };
  });
});

describe('the upstream call', () => {
  it('is GET /events/data_series with Bearer auth and every parameter Braze documents', async () => {
    const result = await gateway.execute(EventSeriesDocument, {
      event: 'Added to Cart & Paid/ü 100%',
      length: 24,
      unit: 'HOUR',
      endingAt: '2014-12-10T23:59:59-05:00',
      appId: 'app-1 2',
      segmentId: 'seg=7',
    });
    expect(result.errors).toEqual([]);
    expect(braze.calls).toHaveLength(1);
    const [call] = braze.calls;
    expect(call?.method).toBe('GET');
    expect(call?.path).toBe('/events/data_series');
    expect(call?.headers.authorization).toBe(`Bearer ${TEST_API_KEY}`);
    expect(call?.query).toEqual({
      event: 'Added to Cart & Paid/ü 100%',
      length: '24',
      unit: 'hour',
      ending_at: '2014-12-11T04:59:59Z',
      app_id: 'app-1 2',
      segment_id: 'seg=7',
    });
  });

  it('URL-encodes the event name and never puts the key in the URL', async () => {
    await gateway.execute(EventSeriesDocument, { event: 'a&b=c?d#e f+g', length: 1, endingAt: '2024-01-01T00:00:00Z' });
    const raw = braze.calls[0];
    expect(raw?.query['event']).toBe('a&b=c?d#e f+g');
    expect(JSON.stringify(raw?.query)).not.toContain(TEST_API_KEY);
    expect(raw?.query).not.toHaveProperty('api_key');
  });

  it('leaves app_id and segment_id out when not given, and sends unit=day by default', async () => {
    await gateway.execute(EventSeriesDocument, { event: 'purchase', length: 2, endingAt: '2014-12-10T12:00:00Z' });
    expect(braze.calls[0]?.query).toEqual({
      event: 'purchase',
      length: '2',
      unit: 'day',
      ending_at: '2014-12-10T12:00:00Z',
    });
  });

  it('sends the request time, rounded down to the minute (REQUEST_TIME_GRANULARITY_MS), as ending_at when endingAt is omitted, and answers with that instant', async () => {
    const before = Math.floor(Date.now() / 60_000) * 60_000;
    const result = await gateway.execute(EventSeriesDocument, { event: 'purchase', length: 2 });
    const after = Date.now();
    const endingAt = result.data?.eventSeries?.endingAt ?? '';
    const sent = braze.calls[0]?.query['ending_at'] ?? '';
    expect(Date.parse(sent)).toBe(Date.parse(endingAt));
    expect(Date.parse(sent)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(sent)).toBeLessThanOrEqual(after);
    expect(Date.parse(sent) % 60_000).toBe(0);
    expect(sent).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });

  it('turns DAY dates into midnight UTC, keeps order, and sums the total', async () => {
    const result = await gateway.execute(EventSeriesDocument, {
      event: 'purchase',
      length: 2,
      endingAt: '2014-12-10T23:59:59-05:00',
      appId: 'app',
    });
    expect(withoutTypenames(result.data?.eventSeries)).toEqual({
      event: 'purchase',
      unit: 'DAY',
      length: 2,
      appId: 'app',
      segmentId: null,
      endingAt: '2014-12-11T04:59:59.000Z',
      total: 42,
      points: [
        { time: '2014-12-09T00:00:00.000Z', count: 12 },
        { time: '2014-12-10T00:00:00.000Z', count: 30 },
      ],
    });
  });

  it('reads HOUR times as instants (UTC when Braze gives no offset) and answers in UTC', async () => {
    const result = await gateway.execute(EventSeriesDocument, {
      event: 'purchase',
      length: 3,
      unit: 'HOUR',
      endingAt: '2014-12-10T23:00:00Z',
    });
    expect(withoutTypenames(result.data?.eventSeries?.points)).toEqual([
      { time: '2014-12-10T21:00:00.000Z', count: 3 },
      { time: '2014-12-10T21:00:00.000Z', count: 0 },
      { time: '2014-12-10T23:00:00.000Z', count: 9 },
    ]);
    expect(result.data?.eventSeries?.total).toBe(12);
    expect(result.data?.eventSeries?.unit).toBe('HOUR');
  });
});

describe('an endpoint with a path prefix (a proxy in front of Braze)', () => {
  it('keeps the prefix and joins it exactly once', async () => {
    const prefixed = await startTestGateway(undefined, {
      BRAZE_REST_ENDPOINT: new URL('/braze-proxy/', braze.url).href,
      BRAZE_API_KEY: TEST_API_KEY,
    });
    try {
      braze.respond(() => ({ status: 404, body: { message: 'no' } }));
      await prefixed.execute(EventSeriesDocument, { event: 'e', length: 1, endingAt: '2024-01-01T00:00:00Z' });
      expect(braze.calls.map((c) => c.path)).toEqual(['/braze-proxy/events/data_series']);
    } finally {
      await prefixed.close();
    }
  });
});
