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
    "query CustomEvents($first: Int, $after: String) {\n  customEvents(first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        name\n      }\n    }\n    pageInfo {\n      ...PageInfoFields\n    }\n  }\n}\n\nquery Products($first: Int, $after: String) {\n  products(first: $first, after: $after) {\n    nodes {\n      name\n    }\n    pageInfo {\n      ...PageInfoFields\n    }\n  }\n}\n\nquery Segments($first: Int, $after: String) {\n  segments(first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        id\n        name\n        analyticsTrackingEnabled\n        tags\n      }\n    }\n    pageInfo {\n      ...PageInfoFields\n    }\n  }\n}\n\nfragment PageInfoFields on PageInfo {\n  hasNextPage\n  hasPreviousPage\n  startCursor\n  endCursor\n}": typeof types.CustomEventsDocument,
    "query Segment($id: ID!, $length: Int!, $endingAt: DateTime) {\n  segment(id: $id) {\n    id\n    name\n    analyticsTrackingEnabled\n    tags\n    description\n    textDescription\n    teams\n    createdAt\n    updatedAt\n    sizeSeries(length: $length, endingAt: $endingAt) {\n      segmentId\n      length\n      endingAt\n      points {\n        time\n        date\n        value\n      }\n      latest {\n        date\n        value\n      }\n    }\n  }\n}": typeof types.SegmentDocument,
};
const documents: Documents = {
    "query Dashboard($event: String!, $endingAt: DateTime!, $sameInstantOtherOffset: DateTime!) {\n  daily: eventSeries(event: $event, length: 7, endingAt: $endingAt) {\n    ...SeriesFields\n  }\n  dailyAgain: eventSeries(event: $event, length: 7, endingAt: $endingAt) {\n    total\n  }\n  dailyOtherOffset: eventSeries(\n    event: $event\n    length: 7\n    endingAt: $sameInstantOtherOffset\n  ) {\n    total\n  }\n  hourly: eventSeries(event: $event, length: 24, unit: HOUR, endingAt: $endingAt) {\n    ...SeriesFields\n  }\n}": types.DashboardDocument,
    "query EventSeries($event: String!, $length: Int!, $unit: TimeUnit, $endingAt: DateTime, $appId: String, $segmentId: String) {\n  eventSeries(\n    event: $event\n    length: $length\n    unit: $unit\n    endingAt: $endingAt\n    appId: $appId\n    segmentId: $segmentId\n  ) {\n    ...SeriesFields\n  }\n}\n\nfragment SeriesFields on EventSeries {\n  event\n  unit\n  length\n  appId\n  segmentId\n  endingAt\n  total\n  points {\n    time\n    count\n  }\n}": types.EventSeriesDocument,
    "query CustomEvents($first: Int, $after: String) {\n  customEvents(first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        name\n      }\n    }\n    pageInfo {\n      ...PageInfoFields\n    }\n  }\n}\n\nquery Products($first: Int, $after: String) {\n  products(first: $first, after: $after) {\n    nodes {\n      name\n    }\n    pageInfo {\n      ...PageInfoFields\n    }\n  }\n}\n\nquery Segments($first: Int, $after: String) {\n  segments(first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        id\n        name\n        analyticsTrackingEnabled\n        tags\n      }\n    }\n    pageInfo {\n      ...PageInfoFields\n    }\n  }\n}\n\nfragment PageInfoFields on PageInfo {\n  hasNextPage\n  hasPreviousPage\n  startCursor\n  endCursor\n}": types.CustomEventsDocument,
    "query Segment($id: ID!, $length: Int!, $endingAt: DateTime) {\n  segment(id: $id) {\n    id\n    name\n    analyticsTrackingEnabled\n    tags\n    description\n    textDescription\n    teams\n    createdAt\n    updatedAt\n    sizeSeries(length: $length, endingAt: $endingAt) {\n      segmentId\n      length\n      endingAt\n      points {\n        time\n        date\n        value\n      }\n      latest {\n        date\n        value\n      }\n    }\n  }\n}": types.SegmentDocument,
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
export function graphql(source: "query CustomEvents($first: Int, $after: String) {\n  customEvents(first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        name\n      }\n    }\n    pageInfo {\n      ...PageInfoFields\n    }\n  }\n}\n\nquery Products($first: Int, $after: String) {\n  products(first: $first, after: $after) {\n    nodes {\n      name\n    }\n    pageInfo {\n      ...PageInfoFields\n    }\n  }\n}\n\nquery Segments($first: Int, $after: String) {\n  segments(first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        id\n        name\n        analyticsTrackingEnabled\n        tags\n      }\n    }\n    pageInfo {\n      ...PageInfoFields\n    }\n  }\n}\n\nfragment PageInfoFields on PageInfo {\n  hasNextPage\n  hasPreviousPage\n  startCursor\n  endCursor\n}"): (typeof documents)["query CustomEvents($first: Int, $after: String) {\n  customEvents(first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        name\n      }\n    }\n    pageInfo {\n      ...PageInfoFields\n    }\n  }\n}\n\nquery Products($first: Int, $after: String) {\n  products(first: $first, after: $after) {\n    nodes {\n      name\n    }\n    pageInfo {\n      ...PageInfoFields\n    }\n  }\n}\n\nquery Segments($first: Int, $after: String) {\n  segments(first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        id\n        name\n        analyticsTrackingEnabled\n        tags\n      }\n    }\n    pageInfo {\n      ...PageInfoFields\n    }\n  }\n}\n\nfragment PageInfoFields on PageInfo {\n  hasNextPage\n  hasPreviousPage\n  startCursor\n  endCursor\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Segment($id: ID!, $length: Int!, $endingAt: DateTime) {\n  segment(id: $id) {\n    id\n    name\n    analyticsTrackingEnabled\n    tags\n    description\n    textDescription\n    teams\n    createdAt\n    updatedAt\n    sizeSeries(length: $length, endingAt: $endingAt) {\n      segmentId\n      length\n      endingAt\n      points {\n        time\n        date\n        value\n      }\n      latest {\n        date\n        value\n      }\n    }\n  }\n}"): (typeof documents)["query Segment($id: ID!, $length: Int!, $endingAt: DateTime) {\n  segment(id: $id) {\n    id\n    name\n    analyticsTrackingEnabled\n    tags\n    description\n    textDescription\n    teams\n    createdAt\n    updatedAt\n    sizeSeries(length: $length, endingAt: $endingAt) {\n      segmentId\n      length\n      endingAt\n      points {\n        time\n        date\n        value\n      }\n      latest {\n        date\n        value\n      }\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;