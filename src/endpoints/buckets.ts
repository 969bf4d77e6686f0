/**
 * Braze meters its read endpoints in separate rate-limit buckets, each reported in the
 * x-ratelimit-* headers of its own answers and each shared with the customer's other integrations.
 * This table is the one place a bucket is described: the client keeps a tracker per row, config reads
 * its reserve variable, the schema's RateLimitBucket enum and the simulated Braze are built from it.
 * A new bucket is a new row (and the descriptors that spend it name it).
 */
export interface RateLimitBucket {
  /** How descriptors, metrics (`bucket` label), /health and the brazeRateLimit extension name it. */
  readonly name: string;
  /** Its value of the GraphQL enum RateLimitBucket. */
  readonly enumValue: string;
  /** Braze's documented limit per window. */
  readonly limit: number;
  /** Braze's window: the reset comes this often. */
  readonly windowMs: number;
  /** What the gateway leaves to other integrations: the variable, its default and its bounds. */
  readonly reserve: { readonly variable: string; readonly default: number; readonly max: number };
  /** For the schema (the enum value's description) and for people. */
  readonly description: string;
}

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

export const BUCKET_TABLE = [
  {
    name: 'export',
    enumValue: 'EXPORT',
    limit: 250_000,
    windowMs: HOUR_MS,
    reserve: { variable: 'BRAZE_RATE_LIMIT_RESERVE', default: 1_000, max: 10_000_000 },
    description: "The export bucket: 250,000 requests an hour per workspace, shared with the customer's other integrations (series, segments, campaigns).",
  },
  {
    name: 'lists',
    enumValue: 'LISTS',
    limit: 1_000,
    windowMs: HOUR_MS,
    reserve: { variable: 'BRAZE_LIST_RATE_LIMIT_RESERVE', default: 100, max: 1_000_000 },
    description:
      'The list bucket: 1,000 requests an hour, shared by /events/list, /events, /custom_attributes and /purchases/product_list, and by the purchase series (/purchases/quantity_series, /purchases/revenue_series), as their Braze pages say.',
  },
  {
    // Its own since Braze corrected its docs (braze-docs PR 6748): 50,000 a minute.
    name: 'campaignSeries',
    enumValue: 'CAMPAIGN_SERIES',
    limit: 50_000,
    windowMs: MINUTE_MS,
    reserve: { variable: 'BRAZE_CAMPAIGN_SERIES_RATE_LIMIT_RESERVE', default: 500, max: 1_000_000 },
    description: "/campaigns/data_series's own bucket: 50,000 requests a minute (campaign series spend it, not the export bucket).",
  },
] as const satisfies readonly RateLimitBucket[];

export type BucketName = (typeof BUCKET_TABLE)[number]['name'];

export const BUCKETS: readonly BucketName[] = BUCKET_TABLE.map((bucket) => bucket.name);
