/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query Dashboard($event: String!, $endingAt: DateTime!, $sameInstantOtherOffset: DateTime!) {\n  daily: eventSeries(event: $event, length: 7, endingAt: $endingAt) {\n    ...SeriesFields\n  }\n  dailyAgain: eventSeries(event: $event, length: 7, endingAt: $endingAt) {\n    total\n  }\n  dailyOtherOffset: eventSeries(\n    event: $event\n    length: 7\n    endingAt: $sameInstantOtherOffset\n  ) {\n    total\n  }\n  hourly: eventSeries(event: $event, length: 24, unit: HOUR, endingAt: $endingAt) {\n    ...SeriesFields\n  }\n}": typeof types.DashboardDocument,
    "query EventSeries($event: String!, $length: Int!, $unit: TimeUnit, $endingAt: DateTime, $appId: String, $segmentId: String) {\n  eventSeries(\n    event: $event\n    length: $length\n    unit: $unit\n    endingAt: $endingAt\n    appId: $appId\n    segmentId: $segmentId\n  ) {\n    ...SeriesFields\n  }\n}\n\nfragment SeriesFields on EventSeries {\n  event\n  unit\n  length\n  appId\n  segmentId\n  endingAt\n  total\n  points {\n    time\n    count\n  }\n}": typeof types.EventSeriesDocument,
    "query KpiSeries($kpi: Kpi!, $length: Int!, $endingAt: DateTime, $appId: String) {\n  kpiSeries(kpi: $kpi, length: $length, endingAt: $endingAt, appId: $appId) {\n    kpi\n    length\n    appId\n    endingAt\n    fetchedAt\n    total\n    points {\n      time\n      date\n      value\n    }\n  }\n}": typeof types.KpiSeriesDocument,
    "query PurchaseSeries($measure: PurchaseMeasure!, $length: Int!, $unit: TimeUnit, $endingAt: DateTime, $appId: String, $product: String) {\n  purchaseSeries(\n    measure: $measure\n    length: $length\n    unit: $unit\n    endingAt: $endingAt\n    appId: $appId\n    product: $product\n  ) {\n    measure\n    unit\n    length\n    appId\n    product\n    endingAt\n    fetchedAt\n    ... on PurchaseQuantitySeries {\n      quantityTotal: total\n      quantityPoints: points {\n        time\n        date\n        value\n      }\n    }\n    ... on PurchaseRevenueSeries {\n      revenueTotal: total\n      revenuePoints: points {\n        time\n        date\n        value\n      }\n    }\n  }\n}": typeof types.PurchaseSeriesDocument,
    "query SessionSeries($length: Int!, $unit: TimeUnit, $endingAt: DateTime, $appId: String, $segmentId: String) {\n  sessionSeries(\n    length: $length\n    unit: $unit\n    endingAt: $endingAt\n    appId: $appId\n    segmentId: $segmentId\n  ) {\n    unit\n    length\n    appId\n    segmentId\n    endingAt\n    fetchedAt\n    total\n    points {\n      time\n      date\n      value\n    }\n  }\n}": typeof types.SessionSeriesDocument,
};
const documents: Documents = {
    "query Dashboard($event: String!, $endingAt: DateTime!, $sameInstantOtherOffset: DateTime!) {\n  daily: eventSeries(event: $event, length: 7, endingAt: $endingAt) {\n    ...SeriesFields\n  }\n  dailyAgain: eventSeries(event: $event, length: 7, endingAt: $endingAt) {\n    total\n  }\n  dailyOtherOffset: eventSeries(\n    event: $event\n    length: 7\n    endingAt: $sameInstantOtherOffset\n  ) {\n    total\n  }\n  hourly: eventSeries(event: $event, length: 24, unit: HOUR, endingAt: $endingAt) {\n    ...SeriesFields\n  }\n}": types.DashboardDocument,
    "query EventSeries($event: String!, $length: Int!, $unit: TimeUnit, $endingAt: DateTime, $appId: String, $segmentId: String) {\n  eventSeries(\n    event: $event\n    length: $length\n    unit: $unit\n    endingAt: $endingAt\n    appId: $appId\n    segmentId: $segmentId\n  ) {\n    ...SeriesFields\n  }\n}\n\nfragment SeriesFields on EventSeries {\n  event\n  unit\n  length\n  appId\n  segmentId\n  endingAt\n  total\n  points {\n    time\n    count\n  }\n}": types.EventSeriesDocument,
    "query KpiSeries($kpi: Kpi!, $length: Int!, $endingAt: DateTime, $appId: String) {\n  kpiSeries(kpi: $kpi, length: $length, endingAt: $endingAt, appId: $appId) {\n    kpi\n    length\n    appId\n    endingAt\n    fetchedAt\n    total\n    points {\n      time\n      date\n      value\n    }\n  }\n}": types.KpiSeriesDocument,
    "query PurchaseSeries($measure: PurchaseMeasure!, $length: Int!, $unit: TimeUnit, $endingAt: DateTime, $appId: String, $product: String) {\n  purchaseSeries(\n    measure: $measure\n    length: $length\n    unit: $unit\n    endingAt: $endingAt\n    appId: $appId\n    product: $product\n  ) {\n    measure\n    unit\n    length\n    appId\n    product\n    endingAt\n    fetchedAt\n    ... on PurchaseQuantitySeries {\n      quantityTotal: total\n      quantityPoints: points {\n        time\n        date\n        value\n      }\n    }\n    ... on PurchaseRevenueSeries {\n      revenueTotal: total\n      revenuePoints: points {\n        time\n        date\n        value\n      }\n    }\n  }\n}": types.PurchaseSeriesDocument,
    "query SessionSeries($length: Int!, $unit: TimeUnit, $endingAt: DateTime, $appId: String, $segmentId: String) {\n  sessionSeries(\n    length: $length\n    unit: $unit\n    endingAt: $endingAt\n    appId: $appId\n    segmentId: $segmentId\n  ) {\n    unit\n    length\n    appId\n    segmentId\n    endingAt\n    fetchedAt\n    total\n    points {\n      time\n      date\n      value\n    }\n  }\n}": types.SessionSeriesDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Dashboard($event: String!, $endingAt: DateTime!, $sameInstantOtherOffset: DateTime!) {\n  daily: eventSeries(event: $event, length: 7, endingAt: $endingAt) {\n    ...SeriesFields\n  }\n  dailyAgain: eventSeries(event: $event, length: 7, endingAt: $endingAt) {\n    total\n  }\n  dailyOtherOffset: eventSeries(\n    event: $event\n    length: 7\n    endingAt: $sameInstantOtherOffset\n  ) {\n    total\n  }\n  hourly: eventSeries(event: $event, length: 24, unit: HOUR, endingAt: $endingAt) {\n    ...SeriesFields\n  }\n}"): (typeof documents)["query Dashboard($event: String!, $endingAt: DateTime!, $sameInstantOtherOffset: DateTime!) {\n  daily: eventSeries(event: $event, length: 7, endingAt: $endingAt) {\n    ...SeriesFields\n  }\n  dailyAgain: eventSeries(event: $event, length: 7, endingAt: $endingAt) {\n    total\n  }\n  dailyOtherOffset: eventSeries(\n    event: $event\n    length: 7\n    endingAt: $sameInstantOtherOffset\n  ) {\n    total\n  }\n  hourly: eventSeries(event: $event, length: 24, unit: HOUR, endingAt: $endingAt) {\n    ...SeriesFields\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query EventSeries($event: String!, $length: Int!, $unit: TimeUnit, $endingAt: DateTime, $appId: String, $segmentId: String) {\n  eventSeries(\n    event: $event\n    length: $length\n    unit: $unit\n    endingAt: $endingAt\n    appId: $appId\n    segmentId: $segmentId\n  ) {\n    ...SeriesFields\n  }\n}\n\nfragment SeriesFields on EventSeries {\n  event\n  unit\n  length\n  appId\n  segmentId\n  endingAt\n  total\n  points {\n    time\n    count\n  }\n}"): (typeof documents)["query EventSeries($event: String!, $length: Int!, $unit: TimeUnit, $endingAt: DateTime, $appId: String, $segmentId: String) {\n  eventSeries(\n    event: $event\n    length: $length\n    unit: $unit\n    endingAt: $endingAt\n    appId: $appId\n    segmentId: $segmentId\n  ) {\n    ...SeriesFields\n  }\n}\n\nfragment SeriesFields on EventSeries {\n  event\n  unit\n  length\n  appId\n  segmentId\n  endingAt\n  total\n  points {\n    time\n    count\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query KpiSeries($kpi: Kpi!, $length: Int!, $endingAt: DateTime, $appId: String) {\n  kpiSeries(kpi: $kpi, length: $length, endingAt: $endingAt, appId: $appId) {\n    kpi\n    length\n    appId\n    endingAt\n    fetchedAt\n    total\n    points {\n      time\n      date\n      value\n    }\n  }\n}"): (typeof documents)["query KpiSeries($kpi: Kpi!, $length: Int!, $endingAt: DateTime, $appId: String) {\n  kpiSeries(kpi: $kpi, length: $length, endingAt: $endingAt, appId: $appId) {\n    kpi\n    length\n    appId\n    endingAt\n    fetchedAt\n    total\n    points {\n      time\n      date\n      value\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query PurchaseSeries($measure: PurchaseMeasure!, $length: Int!, $unit: TimeUnit, $endingAt: DateTime, $appId: String, $product: String) {\n  purchaseSeries(\n    measure: $measure\n    length: $length\n    unit: $unit\n    endingAt: $endingAt\n    appId: $appId\n    product: $product\n  ) {\n    measure\n    unit\n    length\n    appId\n    product\n    endingAt\n    fetchedAt\n    ... on PurchaseQuantitySeries {\n      quantityTotal: total\n      quantityPoints: points {\n        time\n        date\n        value\n      }\n    }\n    ... on PurchaseRevenueSeries {\n      revenueTotal: total\n      revenuePoints: points {\n        time\n        date\n        value\n      }\n    }\n  }\n}"): (typeof documents)["query PurchaseSeries($measure: PurchaseMeasure!, $length: Int!, $unit: TimeUnit, $endingAt: DateTime, $appId: String, $product: String) {\n  purchaseSeries(\n    measure: $measure\n    length: $length\n    unit: $unit\n    endingAt: $endingAt\n    appId: $appId\n    product: $product\n  ) {\n    measure\n    unit\n    length\n    appId\n    product\n    endingAt\n    fetchedAt\n    ... on PurchaseQuantitySeries {\n      quantityTotal: total\n      quantityPoints: points {\n        time\n        date\n        value\n      }\n    }\n    ... on PurchaseRevenueSeries {\n      revenueTotal: total\n      revenuePoints: points {\n        time\n        date\n        value\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query SessionSeries($length: Int!, $unit: TimeUnit, $endingAt: DateTime, $appId: String, $segmentId: String) {\n  sessionSeries(\n    length: $length\n    unit: $unit\n    endingAt: $endingAt\n    appId: $appId\n    segmentId: $segmentId\n  ) {\n    unit\n    length\n    appId\n    segmentId\n    endingAt\n    fetchedAt\n    total\n    points {\n      time\n      date\n      value\n    }\n  }\n}"): (typeof documents)["query SessionSeries($length: Int!, $unit: TimeUnit, $endingAt: DateTime, $appId: String, $segmentId: String) {\n  sessionSeries(\n    length: $length\n    unit: $unit\n    endingAt: $endingAt\n    appId: $appId\n    segmentId: $segmentId\n  ) {\n    unit\n    length\n    appId\n    segmentId\n    endingAt\n    fetchedAt\n    total\n    points {\n      time\n      date\n      value\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;