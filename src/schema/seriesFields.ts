import type { SchemaTypes } from '@pothos/core';
import type { SeriesPoint, SeriesWindow } from '../data/series.js';
import { ResultOutOfRangeError } from '../errors.js';
import type { builder } from './builder.js';

/** A series as resolved: the call Braze was asked, what it answered, and when. */
export interface SeriesResult<Call extends SeriesWindow> {
  readonly call: Call;
  readonly points: readonly SeriesPoint[];
  readonly fetchedAt: Date;
}

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T extends SchemaTypes> ? T : never;

/** The description of `endingAt` as an argument, shared by every series. */
export const ENDING_AT_ARG_DESCRIPTION =
  'Date on which the data series should end, as an RFC 3339 date-time with any offset. Defaults to the time of the request (one instant for the whole GraphQL request). Braze `ending_at`, always sent in UTC.';

/** The description of `appId` as an argument, shared by every series that takes it. */
export const APP_ID_ARG_DESCRIPTION =
  'App API identifier (from the API Keys page of the Braze dashboard) to limit analytics to a specific app; omitted, the results are for all apps in the workspace. Braze `app_id`.';

/** How the fields every series shares are described (an interface declaring them uses these too). */
export const SERIES_CALL_FIELD_DESCRIPTIONS = {
  length: 'The number of units asked for (Braze `length`); Braze may send fewer points.',
  appId: 'The app the numbers are limited to; null for all apps of the workspace.',
  endingAt: 'The instant Braze was asked about: the `endingAt` argument, or the time of the request when omitted.',
  fetchedAt:
    'When Braze gave these numbers. Older than the request when they were served from the cache (see `extensions.brazeCache`; send `Cache-Control: no-cache` for fresh ones).',
} as const;

/** Fields every series echoes from its window, and when Braze gave it: `length`, `endingAt`, `fetchedAt`. */
export function seriesWindowFields<Parent extends SeriesResult<SeriesWindow>>(t: PothosSchemaTypes.ObjectFieldBuilder<Types, Parent>) {
  return {
    length: t.int({ description: SERIES_CALL_FIELD_DESCRIPTIONS.length, resolve: ({ call }) => call.length }),
    endingAt: t.field({
      type: 'DateTime',
      description: SERIES_CALL_FIELD_DESCRIPTIONS.endingAt,
      resolve: ({ call }) => call.endingAt,
    }),
    fetchedAt: t.field({
      type: 'DateTime',
      description: SERIES_CALL_FIELD_DESCRIPTIONS.fetchedAt,
      resolve: ({ fetchedAt }) => fetchedAt,
    }),
  };
}

/** The window's fields, and `appId` for the series that can be limited to an app. */
export function seriesCallFields<Parent extends SeriesResult<SeriesWindow & { readonly appId: string | undefined }>>(t: PothosSchemaTypes.ObjectFieldBuilder<Types, Parent>) {
  return {
    ...seriesWindowFields(t),
    appId: t.string({
      nullable: true,
      description: SERIES_CALL_FIELD_DESCRIPTIONS.appId,
      resolve: ({ call }) => call.appId ?? null,
    }),
  };
}

/**
 * The sum of a count series. Each count is a safe integer, their sum need not be: past 2^53 - 1 a
 * total would be silently wrong, so it is refused (RESULT_OUT_OF_RANGE) instead.
 */
export function countTotal(points: readonly SeriesPoint[]): number {
  let total = 0;
  for (const { value } of points) {
    if (value > Number.MAX_SAFE_INTEGER - total) {
      throw new ResultOutOfRangeError(`total exceeds ${Number.MAX_SAFE_INTEGER} (2^53 - 1), the largest integer SafeInt can carry exactly`);
    }
    total += value;
  }
  return total;
}
