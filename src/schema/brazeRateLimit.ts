import type { RateLimitSnapshot } from '../braze/rateLimit.js';
import { builder } from './builder.js';

interface BrazeRateLimitView extends RateLimitSnapshot {
  readonly reserve: number;
  readonly paused: boolean;
}

const BrazeRateLimitRef = builder.objectRef<BrazeRateLimitView>('BrazeRateLimit').implement({
  description:
    "Braze's shared rate-limit bucket for the export endpoints (250,000 requests an hour per workspace, shared with the customer's other integrations), as Braze last reported it.",
  fields: (t) => ({
    limit: t.exposeInt('limit', { description: 'Requests allowed in the window (`x-ratelimit-limit`).' }),
    remaining: t.exposeInt('remaining', {
      description: 'Requests left in the window (`x-ratelimit-remaining`), less the calls made since.',
    }),
    resetAt: t.field({
      type: 'DateTime',
      description: 'When the window resets (`x-ratelimit-reset`).',
      resolve: (view) => view.resetAt,
    }),
    reserve: t.exposeInt('reserve', {
      description: 'Requests the gateway leaves to other integrations: at or below it, it stops calling Braze until the reset.',
    }),
    paused: t.exposeBoolean('paused', { description: 'True while calls are held back by the reserve.' }),
  }),
});

builder.queryField('brazeRateLimit', (t) =>
  t.field({
    type: BrazeRateLimitRef,
    nullable: true,
    description: "Braze's shared rate-limit bucket as last reported; null until Braze has answered a call. Costs no call.",
    resolve: (_root, _args, { braze }) => {
      const status = braze.status();
      return status.rateLimit
        ? { ...status.rateLimit, reserve: braze.rateLimitReserve, paused: status.rateLimitPaused }
        : null;
    },
  }),
);
