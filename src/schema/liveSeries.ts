import type { InterfaceRef, ObjectRef, SchemaTypes } from '@pothos/core';
import type { LiveUpdate } from '../live/liveSeries.js';
import type { LiveStatus } from '../live/status.js';
import { builder } from './builder.js';

/** The Subscription type and what every live series pushes; the twins themselves are made with their fields (seriesField.ts). */
builder.subscriptionType({
  description:
    'Live series over SSE (GraphQL over Server-Sent Events, distinct connections): each subscription field takes the arguments of the query field of the same name and pushes the series again whenever Braze\'s numbers change. However many subscribe to one series, the gateway polls Braze once per interval (the series\' cache lifetime, at least LIVE_MIN_INTERVAL_MS).',
});

const LiveStateEnum = builder.enumType('LiveState', {
  description: 'Where a live series stands.',
  values: {
    LIVE: { value: 'live', description: 'The last poll got Braze\'s numbers; the next comes after the interval.' },
    PAUSED: {
      value: 'paused',
      description: 'Braze must not be asked until `retryAt`: the rate-limit reserve is reached, Braze answered 429, or the circuit breaker is open. `series` is the last value; polling resumes by itself.',
    },
    FAILING: {
      value: 'failing',
      description: 'The last poll failed (Braze unavailable, slow or answering something unusable). `series` is the last value; the poll is retried at `retryAt`.',
    },
    COMPLETE: { value: 'complete', description: 'The window is wholly in the past: this is its final value and the subscription ends.' },
  } as const,
});

export const LiveStatusRef = builder.objectRef<LiveStatus>('LiveStatus').implement({
  description: 'Where a live series stands, pushed beside it: a status instead of an error, so that a rate limit or a Braze outage keeps the chart and its last numbers.',
  fields: (t) => ({
    state: t.field({ type: LiveStateEnum, description: 'LIVE, PAUSED, FAILING or COMPLETE.', resolve: ({ state }) => state }),
    reason: t.string({ nullable: true, description: 'Why the series is not LIVE, for people; null when LIVE or COMPLETE.', resolve: ({ reason }) => reason ?? null }),
    code: t.string({
      nullable: true,
      description: 'The error code the failed poll would have had as a query (`UPSTREAM_RATE_LIMITED`, `UPSTREAM_UNAVAILABLE`, …), to word it as for a query; null when LIVE or COMPLETE.',
      resolve: ({ code }) => code ?? null,
    }),
    retryAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When PAUSED or FAILING: when the gateway asks Braze again. Null otherwise.',
      resolve: ({ retryAt }) => retryAt ?? null,
    }),
  }),
});

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T extends SchemaTypes> ? T : never;

/** The type of a pushed update of series `Result`: the series (its `fetchedAt` says when Braze gave it) and the status. */
export function liveSeriesType<Result>(name: string, series: ObjectRef<Types, Result> | InterfaceRef<Types, Result>, what: string) {
  return builder.objectRef<LiveUpdate<Result>>(name).implement({
    description: `One push of a live ${what}: the series, and where it stands. Pushed when the numbers or the state change, not when a poll finds the same numbers.`,
    fields: (t) => ({
      series: t.field({
        type: series,
        nullable: true,
        description: 'The latest numbers (`fetchedAt`: when Braze gave them). Null only when no poll has succeeded yet (see `status`).',
        // Pothos cannot see through a type parameter that `Result` is the series ref's own shape: it is, by the signature.
        resolve: ({ value }) => (value ?? null) as never,
      }),
      status: t.field({ type: LiveStatusRef, description: 'LIVE, or why the numbers are not fresh (and when they will be).', resolve: ({ status }) => status }),
    }),
  });
}

/** The update, or the failure that ended the series as the field's error (a query would get the same). */
export function checked<Result>(update: LiveUpdate<Result>): LiveUpdate<Result> {
  if (update.error !== undefined) throw update.error;
  return update;
}

/** What every live twin's description ends with. */
export const SUBSCRIPTION_NOTE =
  'Bad arguments fail with BAD_USER_INPUT before anything is polled; past the caps, TOO_MANY_SUBSCRIPTIONS. A window wholly in the past is sent once (state COMPLETE) and the subscription ends.';
