import { BUCKET_TABLE, BUCKETS, type BucketName } from '../endpoints/buckets.js';
import type { BucketStatus } from '../braze/client.js';
import { isoTime } from '../observability/isoTime.js';
import { builder } from './builder.js';

interface BrazeRateLimitView {
  readonly bucket: BucketName;
  readonly status: BucketStatus;
}

const RateLimitBucket = builder.enumType('RateLimitBucket', {
  description: "Braze's rate-limit buckets: each is metered and reported on its own.",
  // One value per row of the bucket table (src/endpoints/buckets.ts).
  values: Object.fromEntries(BUCKET_TABLE.map(({ name, enumValue, description }) => [enumValue, { value: name, description }])) as {
    [Row in (typeof BUCKET_TABLE)[number] as Row['enumValue']]: { value: Row['name']; description: string };
  },
});

const BrazeRateLimitRef = builder.objectRef<BrazeRateLimitView>('BrazeRateLimit').implement({
  description: 'One of Braze\'s rate-limit buckets as Braze last reported it, less the gateway\'s calls in flight.',
  fields: (t) => ({
    bucket: t.field({ type: RateLimitBucket, description: 'Which bucket.', resolve: ({ bucket }) => bucket }),
    limit: t.int({ description: 'Requests allowed in the window (`x-ratelimit-limit`).', resolve: ({ status }) => status.rateLimit?.limit ?? 0 }),
    remaining: t.int({
      description: 'Requests left in the window (`x-ratelimit-remaining`), less the calls sent since.',
      resolve: ({ status }) => status.rateLimit?.remaining ?? 0,
    }),
    resetAt: t.field({
      type: 'DateTime',
      description: 'When the window resets (`x-ratelimit-reset`).',
      resolve: ({ status }) => status.rateLimit?.resetAt ?? new Date(0),
    }),
    reserve: t.int({
      description: 'Requests the gateway leaves to other integrations: at or below it, it stops calling Braze in this bucket until the reset.',
      resolve: ({ status }) => status.reserve,
    }),
    paused: t.boolean({ description: 'True while calls of this bucket are held back by the reserve.', resolve: ({ status }) => status.paused }),
  }),
});

builder.queryFields((t) => ({
  brazeRateLimit: t.field({
    type: BrazeRateLimitRef,
    nullable: true,
    description: 'One rate-limit bucket (the export bucket unless told) as last reported; null until Braze has answered a call of it. Costs no call.',
    args: { bucket: t.arg({ type: RateLimitBucket, defaultValue: 'export', description: 'Which bucket; defaults to `EXPORT`.' }) },
    resolve: (_root, { bucket }, { braze }) => {
      const name = bucket ?? 'export';
      const status = braze.status().buckets[name];
      return status && isReported(status) ? { bucket: name, status } : null;
    },
  }),
  brazeRateLimits: t.field({
    type: [BrazeRateLimitRef],
    description: 'Every rate-limit bucket Braze has reported on so far. Costs no call.',
    resolve: (_root, _args, { braze }) => {
      const { buckets } = braze.status();
      return BUCKETS.flatMap((name) => {
        const status = buckets[name];
        return status && isReported(status) ? [{ bucket: name, status }] : [];
      });
    },
  }),
}));

/** Braze has reported the bucket, with a reset that is an instant (else it is shown as not reported, never as an error). */
function isReported({ rateLimit }: BucketStatus): boolean {
  return isoTime(rateLimit?.resetAt) !== undefined;
}
