import type { InputShapeFromFields } from '@pothos/core';
import type { BrazeUnit } from '../data/brazeTime.js';
import type { EventSeriesCall } from '../data/endpoints/eventSeries.js';
import { MAX_LENGTH, MIN_LENGTH } from '../data/series.js';
import { BadUserInputError } from '../errors.js';
import { builder } from './builder.js';
import { TimeUnit } from './timeUnit.js';

/**
 * The arguments of a series, less the event name. Descriptions follow Braze's parameter docs for
 * GET /events/data_series, because GraphiQL is where people read them.
 */
export const seriesWindowArgs = builder.args((arg) => ({
    length: arg.int({
      required: true,
      description: `Maximum number of units (days or hours) before \`endingAt\` to include in the series. Must be between ${MIN_LENGTH} and ${MAX_LENGTH} (inclusive). Braze \`length\`.`,
    }),
    unit: arg.field({
      type: TimeUnit,
      defaultValue: 'day',
      description: 'Unit of time between data points: `DAY` or `HOUR`; defaults to `DAY`. Braze `unit`.',
    }),
    endingAt: arg.field({
      type: 'DateTime',
      description:
        'Date on which the data series should end, as an RFC 3339 date-time with any offset. Defaults to the time of the request (one instant for the whole GraphQL request). Braze `ending_at`, always sent in UTC.',
    }),
    appId: arg.string({
      description:
        'App API identifier (from the API Keys page of the Braze dashboard) to limit analytics to a specific app. Braze `app_id`.',
    }),
    segmentId: arg.string({
      description:
        'Segment API identifier of an analytics-enabled segment for which event analytics should be returned. Braze `segment_id`.',
    }),
}));

export type SeriesWindowArgs = InputShapeFromFields<typeof seriesWindowArgs>;

/**
 * Braze keeps custom event and product names to 255 characters; its app and segment identifiers are
 * 36-character UUIDs. Longer values cannot name anything, and would become huge upstream URLs and
 * log lines, so they are refused before any call.
 */
export const MAX_NAME_LENGTH = 255;
export const MAX_ID_LENGTH = 128;

/** A custom event name as an argument: not blank, not longer than Braze allows. */
export function checkEventName(name: string, argument: string): string {
  if (name.trim() === '') throw new BadUserInputError(`${argument} must not be empty`, argument);
  if (name.length > MAX_NAME_LENGTH) {
    throw new BadUserInputError(`${argument} must be at most ${MAX_NAME_LENGTH} characters, got ${name.length}`, argument);
  }
  return name;
}

/** Checks the arguments and turns them into the call Braze will get. Nothing bad reaches upstream. */
export function toEventSeriesCall(event: string, args: SeriesWindowArgs, requestTime: Date): EventSeriesCall {
  checkEventName(event, 'event');
  const { length } = args;
  if (!Number.isInteger(length) || length < MIN_LENGTH || length > MAX_LENGTH) {
    throw new BadUserInputError(
      `length must be between ${MIN_LENGTH} and ${MAX_LENGTH} (inclusive), got ${length}`,
      'length',
    );
  }
  return {
    event,
    length,
    unit: (args.unit ?? 'day') satisfies BrazeUnit,
    endingAt: args.endingAt ?? requestTime,
    appId: optionalId(args.appId, 'appId'),
    segmentId: optionalId(args.segmentId, 'segmentId'),
  };
}

function optionalId(value: string | null | undefined, name: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (value.trim() === '') throw new BadUserInputError(`${name} must not be empty; omit it to not filter`, name);
  if (value.length > MAX_ID_LENGTH) throw new BadUserInputError(`${name} must be at most ${MAX_ID_LENGTH} characters, got ${value.length}`, name);
  return value;
}
