import { describe, expect, it } from 'vitest';
import { PurchaseSeriesDocument } from './generated/graphql.js';
import { defaultSeries } from '../testkit/fakeBraze.js';
import { useGatewayWithFakeBraze } from './helpers/gateway.js';
import { withoutTypenames } from './helpers/typenames.js';

const { braze, gateway } = useGatewayWithFakeBraze({ BRAZE_RETRY_BASE_MS: '5', BRAZE_RETRY_MAX_MS: '10' });

const AT = '2024-03-10T12:00:00Z';

describe('purchaseSeries: GET /purchases/quantity_series and /purchases/revenue_series', () => {
  it('QUANTITY calls /purchases/quantity_series and answers counts', async () => {
    const result = await gateway.execute(PurchaseSeriesDocument, { measure: 'QUANTITY', length: 3, endingAt: AT });
    expect(result.errors).toEqual([]);
    expect(braze.calls.map((c) => [c.method, c.path, c.query])).toEqual([['GET', '/purchases/quantity_series', { length: '3', unit: 'day', ending_at: AT }]]);
    expect(withoutTypenames(result.data?.purchaseSeries)).toEqual({
      measure: 'QUANTITY',
      unit: 'DAY',
      length: 3,
      appId: null,
      product: null,
      endingAt: '2024-03-10T12:00:00.000Z',
      fetchedAt: result.data?.purchaseSeries?.fetchedAt,
      quantityTotal: 6,
      quantityPoints: [
        { time: '2024-03-08T00:00:00.000Z', date: '2024-03-08', value: 1 },
        { time: '2024-03-09T00:00:00.000Z', date: '2024-03-09', value: 2 },
        { time: '2024-03-10T00:00:00.000Z', date: '2024-03-10', value: 3 },
      ],
    });
  });

  it('REVENUE calls /purchases/revenue_series and keeps the cents exactly, in values and total', async () => {
    const result = await gateway.execute(PurchaseSeriesDocument, { measure: 'REVENUE', length: 7, endingAt: AT, appId: 'app-1', product: 'Dior Lip Gloss' });
    expect(result.errors).toEqual([]);
    expect(braze.calls.map((c) => [c.path, c.query])).toEqual([
      ['/purchases/revenue_series', { length: '7', unit: 'day', ending_at: AT, app_id: 'app-1', product: 'Dior Lip Gloss' }],
    ]);
    const series = result.data?.purchaseSeries;
    expect(series).toMatchObject({ measure: 'REVENUE', appId: 'app-1', product: 'Dior Lip Gloss' });
    // The operation selects the revenue fields under their own aliases: their presence says which type came.
    const revenue = series && 'revenuePoints' in series ? series : undefined;
    expect(revenue?.revenuePoints.map((p) => p.value)).toEqual(['1.1', '2.1', '3.1', '4.1', '5.1', '6.1', '7.1']);
    // The float sum of these drifts; the exact one does not.
    expect([1.1, 2.1, 3.1, 4.1, 5.1, 6.1, 7.1].reduce((a, b) => a + b, 0)).not.toBe(28.7);
    expect(revenue?.revenueTotal).toBe('28.7');
    expect(withoutTypenames(revenue?.revenuePoints[6])).toEqual({ time: '2024-03-10T00:00:00.000Z', date: '2024-03-10', value: '7.1' });
  });

  it('revenue as Braze may write it: integers, cents, exponent forms, all as plain decimals', async () => {
    braze.respond(() => ({
      body: '{"message":"success","data":[{"time":"2024-03-08","revenue":12},{"time":"2024-03-09","revenue":0.07},{"time":"2024-03-10","revenue":1e21}]}',
    }));
    const result = await gateway.query(`{ purchaseSeries(measure: REVENUE, length: 3, endingAt: "${AT}") { ... on PurchaseRevenueSeries { total points { value } } } }`);
    expect(result.errors).toEqual([]);
    expect(result.data).toEqual({
      purchaseSeries: { total: '1000000000000000000012.07', points: [{ value: '12' }, { value: '0.07' }, { value: '1000000000000000000000' }] },
    });
    braze.respond((call) => ({ body: defaultSeries(call.query, call.path) }));
  });

  it('a non-numeric revenue is UPSTREAM_INVALID_RESPONSE', async () => {
    braze.respond(() => ({ body: { message: 'success', data: [{ time: '2024-03-10', revenue: '12.50' }] } }));
    const result = await gateway.query(`{ purchaseSeries(measure: REVENUE, length: 1, endingAt: "${AT}") { measure } }`);
    expect(result.data).toEqual({ purchaseSeries: null });
    expect(result.errors[0]?.extensions?.['code']).toBe('UPSTREAM_INVALID_RESPONSE');
    expect(result.errors[0]?.message).toContain('data[0].revenue is not a finite number');
    braze.respond((call) => ({ body: defaultSeries(call.query, call.path) }));
  });

  it('a negative revenue (refunds) is read, as Canvas and campaign stats read it, and totals exactly', async () => {
    braze.respond(() => ({ body: { message: 'success', data: [{ time: '2024-03-09', revenue: 20.1 }, { time: '2024-03-10', revenue: -30.25 }] } }));
    const result = await gateway.query(`{ purchaseSeries(measure: REVENUE, length: 2, endingAt: "${AT}") { ... on PurchaseRevenueSeries { total points { value } } } }`);
    expect(result.errors).toEqual([]);
    expect(result.data).toEqual({ purchaseSeries: { total: '-10.15', points: [{ value: '20.1' }, { value: '-30.25' }] } });
    braze.respond((call) => ({ body: defaultSeries(call.query, call.path) }));
  });

  it('hourly: unit sent, points without a date', async () => {
    const result = await gateway.query(`{ purchaseSeries(measure: QUANTITY, length: 2, unit: HOUR, endingAt: "${AT}") {
      unit ... on PurchaseQuantitySeries { total points { time date value } } } }`);
    expect(result.errors).toEqual([]);
    expect(braze.calls.map((c) => c.query)).toEqual([{ length: '2', unit: 'hour', ending_at: AT }]);
    expect(result.data).toEqual({
      purchaseSeries: {
        unit: 'HOUR',
        total: 3,
        points: [
          { time: '2024-03-10T11:00:00.000Z', date: null, value: 1 },
          { time: '2024-03-10T12:00:00.000Z', date: null, value: 2 },
        ],
      },
    });
  });

  it.each([
    ['length 0', { length: 0 }, 'length'],
    ['length 1001 (over SERIES_MAX_LENGTH)', { length: 1001 }, 'length'],
    ['a blank appId', { length: 7, appId: ' ' }, 'appId'],
    ['a blank product', { length: 7, product: '' }, 'product'],
    ['a product over 255 characters', { length: 7, product: 'p'.repeat(256) }, 'product'],
  ])('refuses %s with BAD_USER_INPUT naming the argument, and calls no one', async (_name, args, argument) => {
    const result = await gateway.execute(PurchaseSeriesDocument, { measure: 'REVENUE', endingAt: AT, ...args });
    expect(result.data?.purchaseSeries).toBeNull();
    expect(result.errors.map((e) => e.extensions)).toEqual([{ code: 'BAD_USER_INPUT', argument }]);
    expect(braze.calls).toHaveLength(0);
  });

  it('a product of exactly 255 characters is sent as it is', async () => {
    const product = `${'p'.repeat(250)} & Co`;
    const result = await gateway.execute(PurchaseSeriesDocument, { measure: 'QUANTITY', length: 1, endingAt: AT, product });
    expect(result.errors).toEqual([]);
    expect(braze.calls.map((c) => c.query['product'])).toEqual([product]);
  });

  it('two aliases are one call; lengths 7 and 30 of one window are one call of 30; each measure its own', async () => {
    const result = await gateway.query(`{
      a: purchaseSeries(measure: REVENUE, length: 7, endingAt: "${AT}", product: "x") { ... on PurchaseRevenueSeries { total } }
      b: purchaseSeries(measure: REVENUE, length: 7, endingAt: "${AT}", product: "x") { ... on PurchaseRevenueSeries { total } }
      month: purchaseSeries(measure: REVENUE, length: 30, endingAt: "${AT}", product: "x") { ... on PurchaseRevenueSeries { total } }
      quantity: purchaseSeries(measure: QUANTITY, length: 7, endingAt: "${AT}", product: "x") { ... on PurchaseQuantitySeries { total } }
    }`);
    expect(result.errors).toEqual([]);
    // The last 7 of 30 points: 24.1 … 30.1.
    expect(result.data).toEqual({ a: { total: '189.7' }, b: { total: '189.7' }, month: { total: '468' }, quantity: { total: 28 } });
    expect(braze.calls.map((c) => [c.path, c.query['length']]).sort()).toEqual([
      ['/purchases/quantity_series', '7'],
      ['/purchases/revenue_series', '30'],
    ]);
  });

  it('the series type follows the measure (__typename), and a failure of one measure leaves the other', async () => {
    braze.respond((call) => (call.path === '/purchases/revenue_series' ? { status: 400, body: { message: 'bad' } } : { body: defaultSeries(call.query, call.path) }));
    const result = await gateway.query(`{
      quantity: purchaseSeries(measure: QUANTITY, length: 2, endingAt: "${AT}") { __typename measure }
      revenue: purchaseSeries(measure: REVENUE, length: 2, endingAt: "${AT}") { __typename measure }
    }`);
    expect(result.data).toEqual({ quantity: { __typename: 'PurchaseQuantitySeries', measure: 'QUANTITY' }, revenue: null });
    expect(result.errors.map((e) => [e.path, e.extensions?.['code']])).toEqual([[['revenue'], 'UPSTREAM_BAD_REQUEST']]);
    braze.respond((call) => ({ body: defaultSeries(call.query, call.path) }));
  });
});

describe('Product.quantitySeries and revenueSeries', () => {
  it('are the same calls as purchaseSeries(product: name): a root field and an entity share them', async () => {
    braze.calls.length = 0;
    const result = await gateway.query<{
      root: { total: string };
      entity: { name: string; revenueSeries: { total: string; product: string }; quantitySeries: { total: number } }[];
    }>(
      `query ($reps: [_Any!]!) {
        root: purchaseSeries(measure: REVENUE, length: 7, endingAt: "${AT}", product: "Rice Bowl") { ... on PurchaseRevenueSeries { total } }
        entity: _entities(representations: $reps) {
          ... on Product { name revenueSeries(length: 3, endingAt: "${AT}") { total product } quantitySeries(length: 3, endingAt: "${AT}") { total } }
        }
      }`,
      { reps: [{ __typename: 'Product', name: 'Rice Bowl' }] },
    );
    expect(result.errors).toEqual([]);
    expect(result.data?.root.total).toBe('28.7');
    // Length 3 is the last three points of the 7-point answer: 5.1 + 6.1 + 7.1.
    expect(result.data?.entity).toEqual([{ name: 'Rice Bowl', revenueSeries: { total: '18.3', product: 'Rice Bowl' }, quantitySeries: { total: 6 } }]);
    expect(braze.calls.map((c) => [c.path, c.query['product'], c.query['length']]).sort()).toEqual([
      ['/purchases/quantity_series', 'Rice Bowl', '3'],
      ['/purchases/revenue_series', 'Rice Bowl', '7'],
    ]);
  });
});
