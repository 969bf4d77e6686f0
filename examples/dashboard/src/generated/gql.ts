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
    "query Dashboard($length: Int!, $event: String!, $campaignId: ID!) {\n  dau: kpiSeries(kpi: DAILY_ACTIVE_USERS, length: $length) {\n    ...KpiPanel\n  }\n  events: eventSeries(event: $event, length: $length) {\n    ...EventPanel\n  }\n  ... @defer(label: \"campaign\") {\n    campaign(id: $campaignId) {\n      ...CampaignPanel\n    }\n  }\n}\n\nquery CampaignChoices {\n  campaigns(first: 20) {\n    nodes {\n      id\n      name\n    }\n  }\n}": typeof types.DashboardDocument,
    "fragment CampaignPanel on Campaign {\n  id\n  name\n  channels\n  series(length: $length) {\n    brazeCalls\n    fetchedAt\n    points {\n      time\n      channels {\n        channel\n        ...SentByChannel\n      }\n    }\n  }\n}\n\nfragment SentByChannel on ChannelStats {\n  ... on EmailStats {\n    sent\n  }\n  ... on PushStats {\n    sent\n  }\n  ... on SmsStats {\n    sent\n  }\n  ... on MessagingStats {\n    sent\n  }\n  ... on ContentCardStats {\n    sent\n  }\n  ... on WebhookStats {\n    sent\n  }\n}": typeof types.CampaignPanelFragmentDoc,
    "fragment EventPanel on EventSeries {\n  event\n  brazeCalls\n  fetchedAt\n  sum\n  points {\n    time\n    value\n  }\n}\n\nsubscription LiveEvents($event: String!, $length: Int!) {\n  live: eventSeries(event: $event, length: $length) {\n    series {\n      ...EventPanel\n    }\n    status {\n      ...LiveStatusBadge\n    }\n  }\n}": typeof types.EventPanelFragmentDoc,
    "fragment KpiPanel on KpiSeries {\n  kpi\n  brazeCalls\n  fetchedAt\n  total\n  points {\n    time\n    value\n  }\n}\n\nsubscription LiveKpi($kpi: Kpi!, $length: Int!) {\n  live: kpiSeries(kpi: $kpi, length: $length) {\n    series {\n      ...KpiPanel\n    }\n    status {\n      ...LiveStatusBadge\n    }\n  }\n}": typeof types.KpiPanelFragmentDoc,
    "fragment LiveStatusBadge on LiveStatus {\n  state\n  reason\n  code\n  retryAt\n}": typeof types.LiveStatusBadgeFragmentDoc,
    "fragment RevenuePanel on PurchaseRevenueSeries {\n  brazeCalls\n  fetchedAt\n  total\n  points {\n    time\n    value\n  }\n}\n\nsubscription LiveRevenue($length: Int!) {\n  live: purchaseSeries(measure: REVENUE, length: $length) {\n    series {\n      __typename\n      ...RevenuePanel\n    }\n    status {\n      ...LiveStatusBadge\n    }\n  }\n}": typeof types.RevenuePanelFragmentDoc,
    "fragment SessionPanel on SessionSeries {\n  brazeCalls\n  fetchedAt\n  total\n  points {\n    time\n    value\n  }\n}\n\nsubscription LiveSessions($length: Int!) {\n  live: sessionSeries(length: $length) {\n    series {\n      ...SessionPanel\n    }\n    status {\n      ...LiveStatusBadge\n    }\n  }\n}": typeof types.SessionPanelFragmentDoc,
};
const documents: Documents = {
    "query Dashboard($length: Int!, $event: String!, $campaignId: ID!) {\n  dau: kpiSeries(kpi: DAILY_ACTIVE_USERS, length: $length) {\n    ...KpiPanel\n  }\n  events: eventSeries(event: $event, length: $length) {\n    ...EventPanel\n  }\n  ... @defer(label: \"campaign\") {\n    campaign(id: $campaignId) {\n      ...CampaignPanel\n    }\n  }\n}\n\nquery CampaignChoices {\n  campaigns(first: 20) {\n    nodes {\n      id\n      name\n    }\n  }\n}": types.DashboardDocument,
    "fragment CampaignPanel on Campaign {\n  id\n  name\n  channels\n  series(length: $length) {\n    brazeCalls\n    fetchedAt\n    points {\n      time\n      channels {\n        channel\n        ...SentByChannel\n      }\n    }\n  }\n}\n\nfragment SentByChannel on ChannelStats {\n  ... on EmailStats {\n    sent\n  }\n  ... on PushStats {\n    sent\n  }\n  ... on SmsStats {\n    sent\n  }\n  ... on MessagingStats {\n    sent\n  }\n  ... on ContentCardStats {\n    sent\n  }\n  ... on WebhookStats {\n    sent\n  }\n}": types.CampaignPanelFragmentDoc,
    "fragment EventPanel on EventSeries {\n  event\n  brazeCalls\n  fetchedAt\n  sum\n  points {\n    time\n    value\n  }\n}\n\nsubscription LiveEvents($event: String!, $length: Int!) {\n  live: eventSeries(event: $event, length: $length) {\n    series {\n      ...EventPanel\n    }\n    status {\n      ...LiveStatusBadge\n    }\n  }\n}": types.EventPanelFragmentDoc,
    "fragment KpiPanel on KpiSeries {\n  kpi\n  brazeCalls\n  fetchedAt\n  total\n  points {\n    time\n    value\n  }\n}\n\nsubscription LiveKpi($kpi: Kpi!, $length: Int!) {\n  live: kpiSeries(kpi: $kpi, length: $length) {\n    series {\n      ...KpiPanel\n    }\n    status {\n      ...LiveStatusBadge\n    }\n  }\n}": types.KpiPanelFragmentDoc,
    "fragment LiveStatusBadge on LiveStatus {\n  state\n  reason\n  code\n  retryAt\n}": types.LiveStatusBadgeFragmentDoc,
    "fragment RevenuePanel on PurchaseRevenueSeries {\n  brazeCalls\n  fetchedAt\n  total\n  points {\n    time\n    value\n  }\n}\n\nsubscription LiveRevenue($length: Int!) {\n  live: purchaseSeries(measure: REVENUE, length: $length) {\n    series {\n      __typename\n      ...RevenuePanel\n    }\n    status {\n      ...LiveStatusBadge\n    }\n  }\n}": types.RevenuePanelFragmentDoc,
    "fragment SessionPanel on SessionSeries {\n  brazeCalls\n  fetchedAt\n  total\n  points {\n    time\n    value\n  }\n}\n\nsubscription LiveSessions($length: Int!) {\n  live: sessionSeries(length: $length) {\n    series {\n      ...SessionPanel\n    }\n    status {\n      ...LiveStatusBadge\n    }\n  }\n}": types.SessionPanelFragmentDoc,
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
export function graphql(source: "query Dashboard($length: Int!, $event: String!, $campaignId: ID!) {\n  dau: kpiSeries(kpi: DAILY_ACTIVE_USERS, length: $length) {\n    ...KpiPanel\n  }\n  events: eventSeries(event: $event, length: $length) {\n    ...EventPanel\n  }\n  ... @defer(label: \"campaign\") {\n    campaign(id: $campaignId) {\n      ...CampaignPanel\n    }\n  }\n}\n\nquery CampaignChoices {\n  campaigns(first: 20) {\n    nodes {\n      id\n      name\n    }\n  }\n}"): (typeof documents)["query Dashboard($length: Int!, $event: String!, $campaignId: ID!) {\n  dau: kpiSeries(kpi: DAILY_ACTIVE_USERS, length: $length) {\n    ...KpiPanel\n  }\n  events: eventSeries(event: $event, length: $length) {\n    ...EventPanel\n  }\n  ... @defer(label: \"campaign\") {\n    campaign(id: $campaignId) {\n      ...CampaignPanel\n    }\n  }\n}\n\nquery CampaignChoices {\n  campaigns(first: 20) {\n    nodes {\n      id\n      name\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment CampaignPanel on Campaign {\n  id\n  name\n  channels\n  series(length: $length) {\n    brazeCalls\n    fetchedAt\n    points {\n      time\n      channels {\n        channel\n        ...SentByChannel\n      }\n    }\n  }\n}\n\nfragment SentByChannel on ChannelStats {\n  ... on EmailStats {\n    sent\n  }\n  ... on PushStats {\n    sent\n  }\n  ... on SmsStats {\n    sent\n  }\n  ... on MessagingStats {\n    sent\n  }\n  ... on ContentCardStats {\n    sent\n  }\n  ... on WebhookStats {\n    sent\n  }\n}"): (typeof documents)["fragment CampaignPanel on Campaign {\n  id\n  name\n  channels\n  series(length: $length) {\n    brazeCalls\n    fetchedAt\n    points {\n      time\n      channels {\n        channel\n        ...SentByChannel\n      }\n    }\n  }\n}\n\nfragment SentByChannel on ChannelStats {\n  ... on EmailStats {\n    sent\n  }\n  ... on PushStats {\n    sent\n  }\n  ... on SmsStats {\n    sent\n  }\n  ... on MessagingStats {\n    sent\n  }\n  ... on ContentCardStats {\n    sent\n  }\n  ... on WebhookStats {\n    sent\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment EventPanel on EventSeries {\n  event\n  brazeCalls\n  fetchedAt\n  sum\n  points {\n    time\n    value\n  }\n}\n\nsubscription LiveEvents($event: String!, $length: Int!) {\n  live: eventSeries(event: $event, length: $length) {\n    series {\n      ...EventPanel\n    }\n    status {\n      ...LiveStatusBadge\n    }\n  }\n}"): (typeof documents)["fragment EventPanel on EventSeries {\n  event\n  brazeCalls\n  fetchedAt\n  sum\n  points {\n    time\n    value\n  }\n}\n\nsubscription LiveEvents($event: String!, $length: Int!) {\n  live: eventSeries(event: $event, length: $length) {\n    series {\n      ...EventPanel\n    }\n    status {\n      ...LiveStatusBadge\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment KpiPanel on KpiSeries {\n  kpi\n  brazeCalls\n  fetchedAt\n  total\n  points {\n    time\n    value\n  }\n}\n\nsubscription LiveKpi($kpi: Kpi!, $length: Int!) {\n  live: kpiSeries(kpi: $kpi, length: $length) {\n    series {\n      ...KpiPanel\n    }\n    status {\n      ...LiveStatusBadge\n    }\n  }\n}"): (typeof documents)["fragment KpiPanel on KpiSeries {\n  kpi\n  brazeCalls\n  fetchedAt\n  total\n  points {\n    time\n    value\n  }\n}\n\nsubscription LiveKpi($kpi: Kpi!, $length: Int!) {\n  live: kpiSeries(kpi: $kpi, length: $length) {\n    series {\n      ...KpiPanel\n    }\n    status {\n      ...LiveStatusBadge\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment LiveStatusBadge on LiveStatus {\n  state\n  reason\n  code\n  retryAt\n}"): (typeof documents)["fragment LiveStatusBadge on LiveStatus {\n  state\n  reason\n  code\n  retryAt\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment RevenuePanel on PurchaseRevenueSeries {\n  brazeCalls\n  fetchedAt\n  total\n  points {\n    time\n    value\n  }\n}\n\nsubscription LiveRevenue($length: Int!) {\n  live: purchaseSeries(measure: REVENUE, length: $length) {\n    series {\n      __typename\n      ...RevenuePanel\n    }\n    status {\n      ...LiveStatusBadge\n    }\n  }\n}"): (typeof documents)["fragment RevenuePanel on PurchaseRevenueSeries {\n  brazeCalls\n  fetchedAt\n  total\n  points {\n    time\n    value\n  }\n}\n\nsubscription LiveRevenue($length: Int!) {\n  live: purchaseSeries(measure: REVENUE, length: $length) {\n    series {\n      __typename\n      ...RevenuePanel\n    }\n    status {\n      ...LiveStatusBadge\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment SessionPanel on SessionSeries {\n  brazeCalls\n  fetchedAt\n  total\n  points {\n    time\n    value\n  }\n}\n\nsubscription LiveSessions($length: Int!) {\n  live: sessionSeries(length: $length) {\n    series {\n      ...SessionPanel\n    }\n    status {\n      ...LiveStatusBadge\n    }\n  }\n}"): (typeof documents)["fragment SessionPanel on SessionSeries {\n  brazeCalls\n  fetchedAt\n  total\n  points {\n    time\n    value\n  }\n}\n\nsubscription LiveSessions($length: Int!) {\n  live: sessionSeries(length: $length) {\n    series {\n      ...SessionPanel\n    }\n    status {\n      ...LiveStatusBadge\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;