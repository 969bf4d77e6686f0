import type { SimulatedAnswer, SimulationInput } from '../../data/endpoint.js';
import { bucketStarts, formatBucket, rhythmicValue } from './rhythm.js';

export interface SimulatedSeriesShape {
  /** Query parameters Braze requires besides `length` (e.g. `event`). */
  readonly required?: readonly string[];
  /** The field each point's value goes in, e.g. `count`, `dau`, `revenue`. */
  readonly measure: string;
  /** Whether the endpoint takes `unit` (day|hour); without it, days. */
  readonly withUnit: boolean;
  /** Query parameters whose values make a different series (event, app, segment, product). */
  readonly seededBy: readonly string[];
  /**
   * Turns the rhythmic base into this measure (a scale, cents, a smooth rolling figure); default: as
   * is. The base is 0 for buckets in the future, and a shape keeps it 0 there.
   */
  readonly shape?: (value: number, seed: string, bucket: SimulatedBucket) => number;
}

/** The bucket a simulated value is for. */
export interface SimulatedBucket {
  /** Its start, epoch milliseconds. */
  readonly start: number;
  readonly daily: boolean;
}

/**
 * A `…/data_series` answer as Braze would give it: parameters checked as Braze checks them (400 with
 * the problems), then `length` buckets ending with the one holding `ending_at`, zero in the future.
 */
export function simulateSeries({ params, now }: SimulationInput, shape: SimulatedSeriesShape): SimulatedAnswer {
  const length = Number(params.get('length'));
  const unit = shape.withUnit ? (params.get('unit') ?? 'day') : 'day';
  const endingAtRaw = params.get('ending_at');
  const endingAt = endingAtRaw === null ? now : Date.parse(endingAtRaw);
  const problems: string[] = [];
  for (const name of shape.required ?? []) if ((params.get(name) ?? '') === '') problems.push(`${name} is required`);
  if (!Number.isInteger(length) || length < 1 || length > 100) problems.push('length must be between 1 and 100');
  if (unit !== 'day' && unit !== 'hour') problems.push('unit must be day or hour');
  if (Number.isNaN(endingAt)) problems.push('ending_at must be an ISO-8601 datetime');
  if (problems.length > 0) return { status: 400, body: { message: 'Invalid request', errors: problems } };

  const seed = [shape.measure, ...shape.seededBy.map((name) => params.get(name) ?? '')].join('\u0000');
  const daily = unit === 'day';
  const body = seriesBody(bucketStarts(endingAt, length, daily), daily, shape.measure, (start) => {
    const base = start > now ? 0 : rhythmicValue(seed, start, daily);
    return shape.shape ? shape.shape(base, seed, { start, daily }) : base;
  });
  return { status: 200, body };
}

/**
 * A series answer's body as Braze sends it: one point per bucket (`starts`, oldest first), its time
 * written as Braze writes a bucket and its value under `measure`. Demo mode's numbers and the test
 * kit's (testkit/answers/series.ts) are put in this one shape.
 */
export function seriesBody(starts: readonly number[], daily: boolean, measure: string, valueOf: (start: number, index: number) => number): { message: string; data: Record<string, string | number>[] } {
  return { message: 'success', data: starts.map((start, index) => ({ time: formatBucket(start, daily), [measure]: valueOf(start, index) })) };
}
