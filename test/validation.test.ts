import { describe, expect, it } from 'vitest';
import { EventSeriesDocument } from './generated/graphql.js';
import { useGatewayWithFakeBraze } from './helpers/gateway.js';

const { braze, gateway } = useGatewayWithFakeBraze();

const VALID = { event: 'purchase', length: 7, endingAt: '2024-03-10T00:00:00Z' };

describe('bad arguments are BAD_USER_INPUT and cost no upstream call', () => {
  it.each([
    ['length 0', { length: 0 }, 'length', 'length must be between 1 and 1000 (inclusive), got 0'],
    ['length 1001', { length: 1001 }, 'length', 'length must be between 1 and 1000 (inclusive), got 1001'],
    ['negative length', { length: -5 }, 'length', 'length must be between 1 and 1000 (inclusive), got -5'],
    ['an empty event', { event: '' }, 'event', 'event must not be empty'],
    ['a blank event', { event: '   ' }, 'event', 'event must not be empty'],
    ['an empty appId', { appId: '' }, 'appId', 'appId must not be empty; omit it to not filter'],
    ['an empty segmentId', { segmentId: ' ' }, 'segmentId', 'segmentId must not be empty; omit it to not filter'],
    // A ~100 KB value would become a ~300 KB upstream URL and log line.
    ['a 100 KB event', { event: 'e'.repeat(100_000) }, 'event', 'event must be at most 255 characters, got 100000'],
    ['a 256-character event', { event: 'e'.repeat(256) }, 'event', 'event must be at most 255 characters, got 256'],
    ['a 100 KB appId', { appId: 'a'.repeat(100_000) }, 'appId', 'appId must be at most 128 characters, got 100000'],
    ['a 129-character segmentId', { segmentId: 's'.repeat(129) }, 'segmentId', 'segmentId must be at most 128 characters, got 129'],
  ])('%s', async (_name, override, argument, message) => {
    const result = await gateway.execute(EventSeriesDocument, { ...VALID, ...override });
    expect(result.data).toEqual({ eventSeries: null });
    expect(result.errors).toEqual([
      {
        message,
        path: ['eventSeries'],
        locations: [{ line: 2, column: 3 }],
        extensions: { code: 'BAD_USER_INPUT', argument },
      },
    ]);
    expect(braze.calls).toHaveLength(0);
  });

  it('names of 255 and identifiers of 128 characters are sent as they are', async () => {
    const long = { event: 'e'.repeat(255), appId: 'a'.repeat(128), segmentId: 's'.repeat(128) };
    const result = await gateway.execute(EventSeriesDocument, { ...VALID, ...long });
    expect(result.errors).toEqual([]);
    expect(braze.seriesCalls.map((c) => [c.query['event'], c.query['app_id'], c.query['segment_id']])).toEqual([[long.event, long.appId, long.segmentId]]);
  });

  it('customEvent(name) is held to the same cap', async () => {
    const result = await gateway.query(`{ customEvent(name: "${'n'.repeat(256)}") { name series(length: 1) { total } } }`);
    expect(result.data).toEqual({ customEvent: null });
    expect(result.errors[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'name' });
    expect(result.errors[0]?.message).toBe('name must be at most 255 characters, got 256');
    expect(braze.calls).toHaveLength(0);
  });

  it('the 1 and 100 bounds are allowed', async () => {
    const result = await gateway.query(`{
      one: eventSeries(event: "e", length: 1, endingAt: "2024-03-10T00:00:00Z") { total }
      hundred: eventSeries(event: "e", length: 100, unit: HOUR, endingAt: "2024-03-10T00:00:00Z") { total }
    }`);
    expect(result.errors).toEqual([]);
    expect(result.data).toEqual({ one: { total: 1 }, hundred: { total: 5050 } });
    expect(braze.calls).toHaveLength(2);
  });

  it.each(['2024-13-01T00:00:00Z', '2024-02-30T00:00:00Z', '2024-03-10', 'yesterday', '1710028800'])(
    'an invalid DateTime variable "%s"',
    async (endingAt) => {
      const result = await gateway.query(
        `query ($e: DateTime) { eventSeries(event: "e", length: 1, endingAt: $e) { total } }`,
        { e: endingAt },
      );
      expect(result.data).toBeUndefined();
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]?.message).toContain('DateTime cannot represent');
      expect(result.errors[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
      expect(braze.calls).toHaveLength(0);
    },
  );

  it('an invalid DateTime literal', async () => {
    const result = await gateway.query(`{ eventSeries(event: "e", length: 1, endingAt: "2024-03-10T25:00:00Z") { total } }`);
    expect(result.errors[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(result.errors[0]?.message).toContain('DateTime cannot represent');
    expect(braze.calls).toHaveLength(0);
  });

  it('an unknown unit is refused by GraphQL validation', async () => {
    const result = await gateway.query(`{ eventSeries(event: "e", length: 1, unit: WEEK) { total } }`);
    expect(result.status).toBe(400);
    expect(result.errors[0]?.message).toContain('Value "WEEK" does not exist in "TimeUnit" enum.');
    expect(braze.calls).toHaveLength(0);
  });

  it('a bad field does not stop a good one in the same request', async () => {
    const result = await gateway.query(`{
      bad: eventSeries(event: "e", length: 5000) { total }
      good: eventSeries(event: "e", length: 2, endingAt: "2024-03-10T00:00:00Z") { total }
    }`);
    expect(result.data).toEqual({ bad: null, good: { total: 3 } });
    expect(result.errors.map((e) => [e.path, e.extensions?.['code']])).toEqual([[['bad'], 'BAD_USER_INPUT']]);
    expect(braze.calls).toHaveLength(1);
  });

  it('an explicit null unit means the default, DAY', async () => {
    const result = await gateway.execute(EventSeriesDocument, { ...VALID, length: 1, unit: null });
    expect(result.data?.eventSeries?.unit).toBe('DAY');
    expect(braze.calls[0]?.query['unit']).toBe('day');
  });
});
