/**
 * Braze meters its read endpoints in separate rate-limit buckets, each reported in the
 * x-ratelimit-* headers of its own answers: the export bucket (250,000 requests an hour per
 * workspace, shared with the customer's other integrations) and the list bucket (1,000 an hour,
 * shared by /events/list, /events, /custom_attributes and /purchases/product_list, and, as their own
 * pages say, /purchases/quantity_series and /purchases/revenue_series), and /campaigns/data_series's
 * own (50,000 a minute, as Braze corrected its docs in braze-docs PR 6748).
 */
export const BUCKETS = ['export', 'lists', 'campaignSeries'] as const;
export type BucketName = (typeof BUCKETS)[number];
