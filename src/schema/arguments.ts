import { defaultFieldResolver, getNamedType, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { MIN_LENGTH } from '../endpoints/answers/series.js';
import type { ListWindow } from '../endpoints/answers/pages.js';
import { BadUserInputError } from '../errors/gatewayErrors.js';
import { decodeCursor } from './cursor.js';
import type { TimeUnit, SeriesWindow } from '../data/chunks.js';

/**
 * Checks every endpoint's arguments share. Braze keeps custom event and product names to 255
 * characters; its app, segment, campaign and Canvas identifiers are 36-character UUIDs. Longer values
 * cannot name anything, and would become huge upstream URLs and log lines, so they are refused before
 * any call.
 */
export const MAX_NAME_LENGTH = 255;
export const MAX_ID_LENGTH = 128;

/** A name (custom event, product) as an argument: not blank, not longer than Braze allows. */
export function checkName(name: string, argument: string): string {
  if (name.trim() === '') throw new BadUserInputError(`${argument} must not be empty`, argument);
  if (name.length > MAX_NAME_LENGTH) {
    throw new BadUserInputError(`${argument} must be at most ${MAX_NAME_LENGTH} characters, got ${name.length}`, argument);
  }
  return name;
}

/** A required identifier: not blank, not absurdly long. */
export function checkId(value: string, argument: string): string {
  if (value.trim() === '') throw new BadUserInputError(`${argument} must not be empty`, argument);
  if (value.length > MAX_ID_LENGTH) throw new BadUserInputError(`${argument} must be at most ${MAX_ID_LENGTH} characters, got ${value.length}`, argument);
  return value;
}

/** An optional filter (appId, segmentId, product): omitted is no filter; given, it must be usable. */
export function optionalFilter(value: string | null | undefined, argument: string, maxLength = MAX_ID_LENGTH): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (value.trim() === '') throw new BadUserInputError(`${argument} must not be empty; omit it to not filter`, argument);
  if (value.length > maxLength) throw new BadUserInputError(`${argument} must be at most ${maxLength} characters, got ${value.length}`, argument);
  return value;
}

/** What a series' window is checked against: the request's time, and the longest series allowed. */
export interface SeriesBounds {
  /** The request's time, for a window that omits `endingAt` (GatewayContext.requestNow). */
  requestNow(): Date;
  readonly seriesMaxLength: number;
}

/**
 * The window of a series: `length` from 1 to the configured maximum (windows longer than Braze serves
 * in one call are asked in chunks: see data/longSeries.ts), `endingAt` defaulting to the request's time.
 */
export function toSeriesWindow(
  args: { length: number; unit?: TimeUnit | null | undefined; endingAt?: Date | null | undefined },
  bounds: SeriesBounds,
): SeriesWindow {
  const { seriesMaxLength } = bounds;
  const { length } = args;
  if (!Number.isInteger(length) || length < MIN_LENGTH || length > seriesMaxLength) {
    throw new BadUserInputError(`length must be between ${MIN_LENGTH} and ${seriesMaxLength} (inclusive), got ${length}`, 'length');
  }
  // Asked only when needed: the request's time marks the response as good for its slice only.
  return { length, unit: args.unit ?? 'day', endingAt: args.endingAt ?? bounds.requestNow() };
}

/** The window of a daily series (Braze takes no `unit` there): toSeriesWindow's, always by day. */
export function toDayWindow(args: { length: number; endingAt?: Date | null | undefined }, bounds: SeriesBounds): SeriesWindow & { readonly unit: 'day' } {
  const { length, endingAt } = toSeriesWindow(args, bounds);
  return { length, unit: 'day', endingAt };
}

/** Connection page sizes: `first` defaults to this and may not exceed the max (one Braze event page). */
export const DEFAULT_FIRST = 50;
export const MAX_FIRST = 250;
/** No Braze list this gateway pages through is longer: a cursor past it is not one we wrote. */
export const MAX_LIST_OFFSET = 100_000;

/** `first` and `after` of a connection → the window of offsets it asks for. */
/** A count argument (`first`, how many to rank): a whole number from 1 to `max`, else BAD_USER_INPUT naming it. */
export function checkCount(value: number, argument: string, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) throw new BadUserInputError(`${argument} must be between 1 and ${max} (inclusive), got ${value}`, argument);
  return value;
}

export function toListWindow(args: { first?: number | null | undefined; after?: string | null | undefined }): ListWindow {
  const first = checkCount(args.first ?? DEFAULT_FIRST, 'first', MAX_FIRST);
  if (args.after === null || args.after === undefined) return { offset: 0, limit: first };
  const after = decodeCursor(args.after);
  if (after === undefined || after >= MAX_LIST_OFFSET) {
    throw new BadUserInputError('after must be a cursor from this list (an edge cursor or pageInfo.endCursor)', 'after');
  }
  return { offset: after + 1, limit: first };
}

/**
 * The instants a DateTime argument may name. From 2011-01-01T00:00:00Z: Braze began (as Appboy) in
 * 2011, so no workspace holds data from before, while its own docs ask about 2014-12-10. To a year
 * after the request: a window may end in the future (this month, this year), and a live series polls
 * until its window is past, so an `endingAt` in 9999 would poll Braze for as long as the subscription
 * lasts. Year 0 or 9999 are typing mistakes; without the bounds they were sent to Braze and polled.
 */
export const EARLIEST_INSTANT = new Date('2011-01-01T00:00:00Z');
export const LATEST_INSTANT_AHEAD_MS = 366 * 86_400_000;

/** A DateTime argument's value, when it is an instant the gateway asks Braze about. */
export function checkInstant(value: Date, argument: string, now: number): Date {
  const time = value.getTime();
  if (!(time >= EARLIEST_INSTANT.getTime() && time <= now + LATEST_INSTANT_AHEAD_MS)) {
    const got = Number.isNaN(time) ? String(value) : value.toISOString();
    throw new BadUserInputError(`${argument} must be an instant from ${EARLIEST_INSTANT.toISOString()} to a year after now, got ${got}`, argument);
  }
  return value;
}

/**
 * Checks every DateTime argument of every field (queries, nested fields, subscriptions) with
 * checkInstant before the field's resolver (or a subscription's subscribe) runs: one place for
 * `endingAt`, `startingAt`, `lastEditedAfter` and any argument added later, so an instant out of range
 * is refused with BAD_USER_INPUT naming the argument, before any call or poll. Changes the schema's
 * fields in place and returns the schema.
 */
export function guardInstantArguments(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const instants = field.args.filter((arg) => getNamedType(arg.type).name === 'DateTime').map((arg) => arg.name);
      if (instants.length === 0) continue;
      const check = (args: Record<string, unknown>): void => {
        const now = Date.now();
        for (const name of instants) {
          const value = args[name];
          if (value instanceof Date) checkInstant(value, name, now);
        }
      };
      const guard = (resolve: GraphQLFieldResolver<unknown, unknown>): GraphQLFieldResolver<unknown, unknown> => (source, args: Record<string, unknown>, context, info) => {
        check(args);
        return resolve(source, args, context, info);
      };
      field.resolve = guard(field.resolve ?? defaultFieldResolver);
      if (field.subscribe) field.subscribe = guard(field.subscribe);
    }
  }
  return schema;
}
