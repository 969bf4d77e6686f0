import { describe, expect, it } from 'vitest';
import { EventSeriesDocument } from './generated/graphql.js';
import { useGatewayWithFakeBraze } from './helpers/gateway.js';
import { withoutTypenames } from './helpers/typenames.js';

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
    expect(withoutTypenames(result.data)).toEqual({ eventSeries: null });
    expect(result.errors).toEqual([
      {
        message,
        path: ['eventSeries'],
        locations: [{ line: 3, column: 3 }], // line 2 is the __typename codegen adds
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

describe('DateTime arguments outside 2011-01-01T00:00:00Z … a year after now are BAD_USER_INPUT, with no call', () => {
  const yearsAhead = (years: number) => new Date(Date.now() + years * 366 * 86_400_000).toISOString();
  const RANGE = 'must be an instant from 2011-01-01T00:00:00.000Z to a year after now, got';
  // Read once: two reads of the clock a millisecond apart would name two instants.
  const twoYearsAhead = yearsAhead(2);

  it.each([
    ['year 0', '0000-01-01T00:00:00Z', '0000-01-01T00:00:00.000Z'],
    ['the last second before 2011', '2010-12-31T23:59:59Z', '2010-12-31T23:59:59.000Z'],
    ['year 9999', '9999-12-31T23:59:59Z', '9999-12-31T23:59:59.000Z'],
    ['two years ahead', twoYearsAhead, twoYearsAhead],
  ])('endingAt of %s (variable and literal)', async (_name, endingAt, shown) => {
    const byVariable = await gateway.execute(EventSeriesDocument, { ...VALID, endingAt });
    const byLiteral = await gateway.query(`{ eventSeries(event: "e", length: 1, endingAt: "${endingAt}") { total } }`);
    for (const result of [byVariable, byLiteral]) {
      expect(withoutTypenames(result.data)).toEqual({ eventSeries: null });
      expect(result.errors.map(({ message, extensions }) => ({ message, extensions }))).toEqual([
        { message: `endingAt ${RANGE} ${shown}`, extensions: { code: 'BAD_USER_INPUT', argument: 'endingAt' } },
      ]);
    }
    expect(braze.calls).toHaveLength(0);
  });

  it('the bounds themselves, and a window ending in the coming months, are asked', async () => {
    const result = await gateway.query(`{
      first: eventSeries(event: "e", length: 1, endingAt: "2011-01-01T00:00:00Z") { total }
      soon: eventSeries(event: "e", length: 1, endingAt: "${yearsAhead(0.5)}") { total }
    }`);
    expect(result.errors).toEqual([]);
    expect(braze.seriesCalls.map((call) => call.query['ending_at'])).toEqual(['2011-01-01T00:00:00Z', expect.any(String)]);
  });

  it.each([
    // Nested: the parent's own lookup may be made; the series is not asked.
    ['a nested field (Segment.sizeSeries endingAt)', '{ segment(id: "s") { sizeSeries(length: 1, endingAt: "0000-01-01T00:00:00Z") { length } } }', 'endingAt', ['/segments/details']],
    ['Canvas.series startingAt', '{ canvas(id: "c") { series(startingAt: "1999-01-01T00:00:00Z", endingAt: "2024-03-10T00:00:00Z") { canvasId } } }', 'startingAt', ['/canvas/details']],
    ['campaigns lastEditedAfter', '{ campaigns(first: 1, lastEditedAfter: "9999-01-01T00:00:00Z") { nodes { id } } }', 'lastEditedAfter', []],
    ['canvases lastEditedAfter', '{ canvases(first: 1, lastEditedAfter: "0001-01-01T00:00:00Z") { nodes { id } } }', 'lastEditedAfter', []],
  ])('%s', async (_name, query, argument, parentCalls) => {
    const result = await gateway.query(query);
    expect(result.errors.map((error) => error.extensions)).toEqual([{ code: 'BAD_USER_INPUT', argument }]);
    expect(result.errors[0]?.message).toMatch(new RegExp(`^${argument} ${RANGE} `));
    expect(braze.calls.map((call) => call.path)).toEqual(parentCalls);
  });

  it('a live subscription with endingAt in 9999 is refused before anything is polled', async () => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { ...gateway.authHeaders, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { eventSeries(event: "e", length: 3, endingAt: "9999-12-31T00:00:00Z") { series { total } } }' }),
      // Before, the stream stayed open and polled: give up on it rather than wait for the test's timeout.
      signal: AbortSignal.timeout(5_000),
    });
    const text = await response.text();
    expect(text).toContain('"code":"BAD_USER_INPUT"');
    expect(text).toContain('"argument":"endingAt"');
    expect(gateway.running.live.stats()).toMatchObject({ polls: 0, subscriptions: 0 });
    expect(braze.calls).toHaveLength(0);
  });
});
