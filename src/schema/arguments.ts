import type { BrazeUnit } from '../data/brazeTime.js';
import { MAX_LENGTH, MIN_LENGTH, type SeriesWindow } from '../data/series.js';
import { BadUserInputError } from '../errors.js';

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

/** The window of a series: `length` within Braze's bounds, `endingAt` defaulting to the request's time. */
export function toSeriesWindow(args: { length: number; unit?: BrazeUnit | null | undefined; endingAt?: Date | null | undefined }, requestTime: Date): SeriesWindow {
  const { length } = args;
  if (!Number.isInteger(length) || length < MIN_LENGTH || length > MAX_LENGTH) {
    throw new BadUserInputError(`length must be between ${MIN_LENGTH} and ${MAX_LENGTH} (inclusive), got ${length}`, 'length');
  }
  return { length, unit: args.unit ?? 'day', endingAt: args.endingAt ?? requestTime };
}
