import type { SchemaTypes } from '@pothos/core';
import type { SeriesPoint } from '../endpoints/answers/series.js';
import { ResultOutOfRangeError } from '../errors/gatewayErrors.js';
import type { builder } from './builder.js';
import type { SeriesWindow } from '../data/chunks.js';

/** A series as resolved: the window asked for, Braze's points (stitched from its chunks), when Braze gave them, and in how many calls. */
export interface SeriesResult<Call extends SeriesWindow, Point = SeriesPoint> {
  readonly call: Call;
  readonly points: readonly Point[];
  readonly fetchedAt: Date;
  readonly calls: number;
}

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T extends SchemaTypes> ? T : never;

/** How the fields every series shares are described (an interface declaring them uses these too). */
export const SERIES_CALL_FIELD_DESCRIPTIONS = {
  length: 'The number of units asked for (Braze `length`); Braze may send fewer points.',
  appId: 'The app the numbers are limited to; null for all apps of the workspace.',
  endingAt: 'The instant Braze was asked about: the `endingAt` argument, or the time of the request when omitted.',
  brazeCalls:
    'How many Braze calls the window is made of: 1 up to 100 units, more for longer windows (consecutive chunks). Each is an ordinary call: served from the cache or shared with other fields when it can be (see `extensions.brazeCache`).',
  fetchedAt:
    'When Braze gave these numbers (the oldest of its chunks, for a long window). Older than the request when they were served from the cache (see `extensions.brazeCache`; send `Cache-Control: no-cache` for fresh ones).',
} as const;

/** Fields every series echoes from its window, and when Braze gave it: `length`, `endingAt`, `fetchedAt`. */
export function seriesWindowFields<Parent extends SeriesResult<SeriesWindow, unknown>>(t: PothosSchemaTypes.ObjectFieldBuilder<Types, Parent>) {
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
    brazeCalls: t.int({ description: SERIES_CALL_FIELD_DESCRIPTIONS.brazeCalls, resolve: ({ calls }) => calls }),
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
