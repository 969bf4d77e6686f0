import { dateOf } from '../endpoints/answers/brazeTime.js';
import { decimalFromNumber, sumDecimals } from '../endpoints/answers/decimal.js';
import { PURCHASE_SERIES_ENDPOINTS, type PurchaseMeasure, type PurchaseSeriesCall } from '../endpoints/purchaseSeries.js';
import type { SeriesPoint } from '../endpoints/answers/series.js';
import { MAX_NAME_LENGTH, optionalFilter, toSeriesWindow } from './arguments.js';
import { builder } from './builder.js';
import { countPoints, CountPointRef, type CountPointView } from './countPoint.js';
import { appIdArg, hourWindowArgs } from './seriesArgs.js';
import { defineSeries, loadCallSeries, seriesQueryField } from './seriesField.js';
import { countTotal, SERIES_CALL_FIELD_DESCRIPTIONS, type SeriesResult } from './seriesFields.js';
import { TimeUnit } from './timeUnit.js';

export interface PurchaseSeriesResult extends SeriesResult<PurchaseSeriesCall> {
  readonly measure: PurchaseMeasure;
}

export const PurchaseMeasureEnum = builder.enumType('PurchaseMeasure', {
  description: 'What a purchase series measures.',
  values: {
    QUANTITY: { value: 'quantity', description: 'The number of items purchased (Braze `GET /purchases/quantity_series`).' },
    REVENUE: { value: 'revenue', description: 'The amount of revenue (Braze `GET /purchases/revenue_series`).' },
  } as const,
});

/**
 * The arguments of a purchase series less what it measures and the product: what a field of a product
 * (which knows its name) takes too.
 */
export const purchaseWindowArgs = { ...hourWindowArgs, ...appIdArg };

/**
 * Purchases of one measure, for all products (`product` omitted) or one (Braze
 * `GET /purchases/quantity_series` or `/purchases/revenue_series`: `measure` chooses). A field of a
 * product resolves its series with this, its name as `product`.
 */
export const purchaseSeries = defineSeries({
  args: builder.args((arg) => ({
    measure: arg.field({ type: PurchaseMeasureEnum, required: true, description: 'What to measure: selects the Braze endpoint.' }),
    ...purchaseWindowArgs,
    product: arg.string({
      description: `Name of product to filter response by (at most ${MAX_NAME_LENGTH} characters, Braze's limit for a product ID); omitted, the results are for all products. Braze \`product\`.`,
    }),
  })),
  call: (args, bounds): PurchaseSeriesCall => ({
    ...toSeriesWindow(args, bounds),
    appId: optionalFilter(args.appId, 'appId'),
    // A product name is a `product_id` of logged purchases: Braze keeps those to 255 characters.
    product: optionalFilter(args.product, 'product', MAX_NAME_LENGTH),
  }),
  endpoint: ({ measure }) => PURCHASE_SERIES_ENDPOINTS[measure],
  load: async (loader, endpoint, call, { measure }): Promise<PurchaseSeriesResult> => ({ measure, ...(await loadCallSeries(loader, endpoint, call)) }),
});

const TIME_DESCRIPTION =
  "DAY points have `time` at midnight UTC of the `date` Braze reported (a day in the workspace's time zone); HOUR points have the hour's start. Braze's purchase pages describe an hour's `time` as a date: such a point is the UTC hour of its place in the window (the last point the hour holding `endingAt`).";

export const PurchaseSeriesRef = builder.interfaceRef<PurchaseSeriesResult>('PurchaseSeries').implement({
  description:
    'Purchases over time, from Braze `GET /purchases/quantity_series` or `/purchases/revenue_series`: a PurchaseQuantitySeries (counts) or a PurchaseRevenueSeries (decimal amounts), as `measure` says.',
  resolveType: ({ measure }) => (measure === 'quantity' ? 'PurchaseQuantitySeries' : 'PurchaseRevenueSeries'),
  fields: (t) => ({
    measure: t.field({ type: PurchaseMeasureEnum, description: 'What the series measures.', resolve: ({ measure }) => measure }),
    unit: t.field({ type: TimeUnit, description: 'Time between points.', resolve: ({ call }) => call.unit }),
    product: t.string({
      nullable: true,
      description: 'The product the purchases are limited to; null for all products.',
      resolve: ({ call }) => call.product ?? null,
    }),
    length: t.int({ description: SERIES_CALL_FIELD_DESCRIPTIONS.length, resolve: ({ call }) => call.length }),
    appId: t.string({ nullable: true, description: SERIES_CALL_FIELD_DESCRIPTIONS.appId, resolve: ({ call }) => call.appId ?? null }),
    endingAt: t.field({ type: 'DateTime', description: SERIES_CALL_FIELD_DESCRIPTIONS.endingAt, resolve: ({ call }) => call.endingAt }),
    fetchedAt: t.field({ type: 'DateTime', description: SERIES_CALL_FIELD_DESCRIPTIONS.fetchedAt, resolve: ({ fetchedAt }) => fetchedAt }),
    brazeCalls: t.int({ description: SERIES_CALL_FIELD_DESCRIPTIONS.brazeCalls, resolve: ({ calls }) => calls }),
  }),
});

export const PurchaseQuantitySeriesRef = builder.objectRef<PurchaseSeriesResult>('PurchaseQuantitySeries').implement({
  description: 'The number of items purchased per day or hour (Braze `GET /purchases/quantity_series`).',
  interfaces: [PurchaseSeriesRef],
  fields: (t) => ({
    points: t.field({
      type: [CountPointRef],
      description: `Braze's data points, oldest first: items purchased in each bucket. ${TIME_DESCRIPTION}`,
      resolve: ({ call, points }): CountPointView[] => countPoints(points, call.unit === 'day'),
    }),
    total: t.field({
      type: 'SafeInt',
      description: 'Sum of the items of all points. Fails with RESULT_OUT_OF_RANGE past 2^53 - 1.',
      resolve: ({ points }) => countTotal(points),
    }),
  }),
});

/** A revenue point as handed out: the point, and whether its series is daily (then it has a date). */
interface RevenuePointView {
  readonly point: SeriesPoint;
  readonly daily: boolean;
}

export const RevenuePointRef = builder.objectRef<RevenuePointView>('RevenuePoint').implement({
  description: 'One bucket of a revenue series.',
  fields: (t) => ({
    time: t.field({
      type: 'DateTime',
      description:
        "Start of the bucket as an instant. For DAY series, midnight UTC of `date`: Braze counts days in the workspace's time zone and reports only the date.",
      resolve: ({ point }) => point.time,
    }),
    date: t.field({
      type: 'Date',
      nullable: true,
      description: "The day, exactly as Braze reported it (a day in the workspace's time zone); null for HOUR series.",
      resolve: ({ point, daily }) => (daily ? dateOf(point.time) : null),
    }),
    value: t.field({
      type: 'Decimal',
      description:
        "The revenue in the bucket, in the workspace's currency (Braze names none), as an exact decimal string. Braze documents an int, but purchase prices are floats, so cents are kept: the JSON number Braze sent, written in its shortest exact form (1234.5 → \"1234.5\", never an exponent).",
      resolve: ({ point }) => decimalFromNumber(point.value),
    }),
  }),
});

export const PurchaseRevenueSeriesRef = builder.objectRef<PurchaseSeriesResult>('PurchaseRevenueSeries').implement({
  description: 'The amount of revenue per day or hour (Braze `GET /purchases/revenue_series`).',
  interfaces: [PurchaseSeriesRef],
  fields: (t) => ({
    points: t.field({
      type: [RevenuePointRef],
      description: `Braze's data points, oldest first: revenue in each bucket. ${TIME_DESCRIPTION}`,
      resolve: ({ call, points }): RevenuePointView[] => points.map((point) => ({ point, daily: call.unit === 'day' })),
    }),
    total: t.field({
      type: 'Decimal',
      description:
        'Sum of the revenue of all points, computed exactly in decimal (no float rounding: 0.1 + 0.2 is "0.3"), so it always equals the sum of the `value`s as written.',
      resolve: ({ points }) => sumDecimals(points.map((point) => decimalFromNumber(point.value))),
    }),
  }),
});

seriesQueryField('purchaseSeries', purchaseSeries, {
  type: PurchaseSeriesRef,
  description:
    'Purchases over time: items bought or revenue (Braze `GET /purchases/quantity_series` or `/purchases/revenue_series`). These spend the 1,000-an-hour list rate-limit bucket (as Braze\'s endpoint pages say), not the export bucket. Select `... on PurchaseQuantitySeries` or `... on PurchaseRevenueSeries` for the points and total. Null, with an error for this field only, when the arguments are invalid or Braze fails; identical calls within one request reach Braze once, and calls differing only in `length` share the longest.',
  live: {
    type: 'LivePurchaseSeries',
    what: 'purchase series',
    description:
      "The `purchaseSeries` query, live: pushed again whenever Braze's numbers change. Spends the list rate-limit bucket (1,000 an hour, shared): each live purchase series costs one call per interval.",
  },
});
