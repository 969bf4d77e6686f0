import { MAX_LENGTH, MIN_LENGTH } from '../endpoints/answers/series.js';
import { builder } from './builder.js';
import { TimeUnit } from './timeUnit.js';

/**
 * The window arguments every series takes, once: descriptions follow Braze's parameter docs for its
 * `data_series` endpoints, because GraphiQL is where people read them.
 */

const ENDING_AT_DESCRIPTION =
  'Date on which the data series should end, as an RFC 3339 date-time with any offset. Defaults to the time of the request (one instant for the whole GraphQL request). Braze `ending_at`, always sent in UTC.';

/** The bound is a setting, so the schema names the setting and its default rather than a number that may not hold. */
function lengthDescription(units: 'days' | 'units (days or hours)'): string {
  return `Number of ${units} in the series, ending with the one that holds \`endingAt\`: from ${MIN_LENGTH} to SERIES_MAX_LENGTH (1,000 unless the operator changed it). Braze serves at most ${MAX_LENGTH} per call (Braze \`length\`); a longer window is asked as consecutive calls and stitched into one series, each bucket once (see \`brazeCalls\`). Braze may send fewer points (a young app, a new event).`;
}

/** `length` and `endingAt` of a daily series (Braze takes no `unit` there); `lengthNote` is added to `length`'s description. */
export function dayWindowArgs(lengthNote?: string) {
  return builder.args((arg) => ({
    length: arg.int({ required: true, description: lengthNote ? `${lengthDescription('days')} ${lengthNote}` : lengthDescription('days') }),
    endingAt: arg.field({ type: 'DateTime', description: ENDING_AT_DESCRIPTION }),
  }));
}

/** `length`, `unit` and `endingAt` of a series Braze counts by day or by hour. */
export const hourWindowArgs = builder.args((arg) => ({
  length: arg.int({ required: true, description: lengthDescription('units (days or hours)') }),
  unit: arg.field({
    type: TimeUnit,
    defaultValue: 'day',
    description: 'Unit of time between data points: `DAY` or `HOUR`; defaults to `DAY`. Braze `unit`.',
  }),
  endingAt: arg.field({ type: 'DateTime', description: ENDING_AT_DESCRIPTION }),
}));

/** `appId`, for a series Braze can limit to an app. */
export const appIdArg = builder.args((arg) => ({
  appId: arg.string({
    description:
      'App API identifier (from the API Keys page of the Braze dashboard) to limit analytics to a specific app; omitted, the results are for all apps in the workspace. Braze `app_id`.',
  }),
}));
