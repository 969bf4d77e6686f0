import { truncate } from '../../observability/redact.js';
import { amount, brazeDay, count, invalidAnswer, isRecord, optionalCount, optionalString } from './answerFields.js';
import { formatInstant } from './brazeTime.js';
import { CHANNEL_MESSAGES_SHAPE, parseChannelMessages, type ChannelStats } from './channelStats.js';
import { isConversionKey, parseConversionEvents, type ConversionEventCounts } from './conversions.js';
import { ANY, keyedBy as keyedShape, keys, leaves, listOf, record, withUnknownKeys } from './shape.js';
import type { Coalescing, TtlPolicy } from '../../data/endpoint.js';
import { parseSuccessBody } from './lists.js';
import { seriesTtlMs } from './series.js';
import { UNIT_MS } from '../../data/chunks.js';

/**
 * What GET /canvas/data_series and GET /canvas/data_summary share: the same parameters (`canvas_id`,
 * `ending_at`, and `length` 1–14 days or `starting_at`; the `include_*` flags) and the same stats
 * objects (`total_stats`, `variant_stats` and `step_stats` keyed by id, steps with `messages` keyed by
 * channel). The series answers them per day under `data.stats`, the summary once under `data`.
 */

/** Braze's bounds for `length` on both Canvas endpoints ("between 1 and 14 (inclusive)"). */
export const CANVAS_MIN_LENGTH = 1;
export const CANVAS_MAX_LENGTH = 14;

/**
 * One normalised call of either endpoint. Exactly one of `length` and `startingAt` is set (the schema
 * checks this before any call). `deletedSteps` is false unless `steps` is true: Braze's
 * `include_deleted_step_data` only adds to the step breakdown.
 */
export interface CanvasStatsCall {
  readonly canvasId: string;
  readonly length: number | undefined;
  readonly startingAt: Date | undefined;
  readonly endingAt: Date;
  readonly variants: boolean;
  readonly steps: boolean;
  readonly deletedSteps: boolean;
}

/** Whole-Canvas numbers (Braze `total_stats`). */
export interface CanvasTotals {
  /** Dollars (USD), as the JSON number Braze sent. */
  readonly revenue: number;
  readonly conversions: number;
  readonly conversionsByEntryTime: number;
  readonly entries: number;
  /** Conversions per conversion event, by index (by entry time as the twin): `conversions`, `conversions1`, … however many. */
  readonly conversionEvents: readonly ConversionEventCounts[];
}

/** One variant's numbers (Braze `variant_stats[id]`); the summary's variants carry no `conversions_by_entry_time`. */
export interface CanvasVariantStats {
  readonly id: string;
  readonly name: string | null;
  readonly revenue: number;
  readonly conversions: number;
  readonly conversionsByEntryTime: number | null;
  readonly entries: number;
  readonly conversionEvents: readonly ConversionEventCounts[];
}

/** One step's numbers (Braze `step_stats[id]`). */
export interface CanvasStepStats {
  readonly id: string;
  readonly name: string | null;
  readonly revenue: number;
  readonly conversions: number;
  readonly conversionsByEntryTime: number | null;
  readonly conversionEvents: readonly ConversionEventCounts[];
  /** Braze `messages`: one entry per channel × message variation, typed by channel family. */
  readonly channels: readonly ChannelStats[];
}

/** Numbers for a window or a day: totals, and the breakdowns Braze was asked for (empty when not). */
export interface CanvasStats {
  readonly total: CanvasTotals;
  readonly variants: readonly CanvasVariantStats[];
  readonly steps: readonly CanvasStepStats[];
}

/** One day of a Canvas series. */
export interface CanvasStatsPoint extends CanvasStats {
  /** Start of the day: midnight UTC of the date Braze wrote (a day in the workspace's time zone). */
  readonly time: Date;
}

/** The query string both endpoints take; flags are sent only when true (Braze's default is false). */
export function canvasStatsSearchParams(call: CanvasStatsCall): URLSearchParams {
  const params = new URLSearchParams({ canvas_id: call.canvasId });
  // Braze types `length` as a String; a query string carries it as one either way.
  if (call.length !== undefined) params.set('length', String(call.length));
  if (call.startingAt !== undefined) params.set('starting_at', formatInstant(call.startingAt));
  params.set('ending_at', formatInstant(call.endingAt));
  if (call.variants) params.set('include_variant_breakdown', 'true');
  if (call.steps) params.set('include_step_breakdown', 'true');
  if (call.steps && call.deletedSteps) params.set('include_deleted_step_data', 'true');
  return params;
}

/** Identity of a call: instants as epoch milliseconds, so one instant written with other offsets is one call. */
export function canvasStatsKey(call: CanvasStatsCall): string {
  return JSON.stringify([call.canvasId, call.length ?? null, call.startingAt?.getTime() ?? null, call.endingAt.getTime(), call.variants, call.steps, call.deletedSteps]);
}

/** Settled once the window's end lies a day in the past; the same rule as every daily series. */
export function canvasStatsTtlMs(call: CanvasStatsCall, now: number, policy: TtlPolicy): number {
  return seriesTtlMs({ unit: 'day', endingAt: call.endingAt }, now, policy);
}

/**
 * The most days a `starting_at` window can hold: the dates it touches in any time zone (Braze counts
 * days in the workspace's), both ends included.
 */
export function mostDays(startingAt: Date, endingAt: Date): number {
  return Math.ceil((endingAt.getTime() - startingAt.getTime()) / UNIT_MS.day) + 1;
}

/** The most days an answer to `call` can hold: its `length`, or the days its `starting_at` window touches. */
function mostDaysOf(call: CanvasStatsCall): number {
  return call.length ?? (call.startingAt ? mostDays(call.startingAt, call.endingAt) : 1);
}

/**
 * The covering call of a group: the furthest `length` (a `starting_at` window is the same in the whole
 * group), and every breakdown any of them asks for. Braze then computes each breakdown once.
 */
function coverCalls(group: readonly CanvasStatsCall[]): CanvasStatsCall {
  const [first, ...rest] = group;
  if (first === undefined) throw new RangeError('a coalescing group has at least one call');
  return rest.reduce<CanvasStatsCall>(
    (cover, call) => ({
      ...cover,
      length: cover.length === undefined || call.length === undefined ? cover.length : Math.max(cover.length, call.length),
      variants: cover.variants || call.variants,
      steps: cover.steps || call.steps,
    }),
    first,
  );
}

/** `stats` as `call` asked for it: a breakdown it did not ask for is left out, whoever's call brought it. */
export function withBreakdownsOf<T extends CanvasStats>(stats: T, call: Pick<CanvasStatsCall, 'variants' | 'steps'>): T {
  if ((call.variants || stats.variants.length === 0) && (call.steps || stats.steps.length === 0)) return stats;
  return { ...stats, variants: call.variants ? stats.variants : [], steps: call.steps ? stats.steps : [] };
}

/**
 * Canvas series calls one answer can serve: same Canvas, same `ending_at`, same kind of window (the
 * same `starting_at`, or any `length`), same `include_deleted_step_data`. One call is made with the
 * longest length and the union of the breakdowns; each field gets its last days and its breakdowns.
 * As for every series, a shorter window is cut from a longer answer only when that answer is complete.
 */
export const canvasSeriesCoalescing: Coalescing<CanvasStatsCall, readonly CanvasStatsPoint[]> = {
  windowKey: (call) => JSON.stringify([call.canvasId, call.endingAt.getTime(), call.startingAt?.getTime() ?? 'length', call.deletedSteps]),
  reach: (call) => call.length ?? 0,
  cover: coverCalls,
  slice(points, covering, call) {
    let days = points;
    if (call.length !== undefined && covering.length !== undefined && call.length < covering.length) {
      if (points.length !== covering.length) return undefined;
      days = points.slice(points.length - call.length);
    }
    return days.map((point) => withBreakdownsOf(point, call));
  },
};

/**
 * Canvas summaries one answer can serve: the same window exactly (a roll-up cannot be cut into a
 * shorter one), differing only in the breakdowns asked for.
 */
export const canvasSummaryCoalescing: Coalescing<CanvasStatsCall, CanvasStats> = {
  windowKey: (call) => JSON.stringify([call.canvasId, call.length ?? null, call.startingAt?.getTime() ?? null, call.endingAt.getTime(), call.deletedSteps]),
  reach: () => 0,
  cover: coverCalls,
  slice: (stats, _covering, call) => withBreakdownsOf(stats, call),
};

// ---- Parsing Braze's answers ------------------------------------------------------------------------

/** Whole-Canvas, variant and step stats as Braze documents them, conversions of every event included. */
const isEntryConversion = (name: string): boolean => isConversionKey(name, 'entry');
const STATS_SHAPE = {
  total_stats: keys(['revenue', 'conversions', 'conversions_by_entry_time', 'entries'], isEntryConversion),
  variant_stats: keyedShape(keys(['name', 'revenue', 'conversions', 'conversions_by_entry_time', 'entries'], isEntryConversion)),
  step_stats: keyedShape(record({ ...leaves(['name', 'revenue', 'conversions', 'conversions_by_entry_time']), messages: CHANNEL_MESSAGES_SHAPE }, isEntryConversion)),
};

/** What Braze documents of a /canvas/data_series answer. */
export const CANVAS_SERIES_SHAPE = record({ message: ANY, data: record({ name: ANY, stats: listOf(record({ time: ANY, ...STATS_SHAPE })) }) });

/** What Braze documents of a /canvas/data_summary answer. */
export const CANVAS_SUMMARY_SHAPE = record({ message: ANY, data: record({ name: ANY, ...STATS_SHAPE }) });

/** The `data` object of a successful answer (Canvas endpoints answer an object here, not a list), and the body it is in. */
export function parseCanvasData(text: string): { readonly body: Record<string, unknown>; readonly data: Record<string, unknown> } {
  const body = parseSuccessBody(text);
  const data = body['data'];
  if (!isRecord(data)) throw invalidAnswer('Braze answered without a "data" object');
  return { body, data };
}

/** GET /canvas/data_series: one point per day, oldest first, no more than the window holds. */
export function parseCanvasSeries(text: string, call: CanvasStatsCall): CanvasStatsPoint[] {
  const { body, data } = parseCanvasData(text);
  const stats = data['stats'];
  if (!Array.isArray(stats)) throw invalidAnswer('Braze answered without a "data.stats" list');
  const most = mostDaysOf(call);
  if (stats.length > most) throw invalidAnswer(`Braze answered ${stats.length} days for a window of at most ${most}`);
  const points = stats.map((entry: unknown, index) => {
    const at = `data.stats[${index}]`;
    if (!isRecord(entry)) throw invalidAnswer(`${at} is not an object`);
    return { time: brazeDay(entry['time'], `${at}.time`), ...parseStats(entry, at, call) };
  });
  return withUnknownKeys(points, body, CANVAS_SERIES_SHAPE);
}

/** GET /canvas/data_summary: the window's roll-up. */
export function parseCanvasSummary(text: string, call: CanvasStatsCall): CanvasStats {
  const { body, data } = parseCanvasData(text);
  return withUnknownKeys(parseStats(data, 'data', call), body, CANVAS_SUMMARY_SHAPE);
}

/**
 * Totals and the breakdowns the call asked for. A breakdown not asked for is ignored even if sent;
 * one asked for but absent is empty (Braze documents both as optional).
 */
function parseStats(entry: Record<string, unknown>, at: string, call: Pick<CanvasStatsCall, 'variants' | 'steps'>): CanvasStats {
  const totals = entry['total_stats'];
  if (!isRecord(totals)) throw invalidAnswer(`${at}.total_stats is not an object`);
  return {
    total: {
      revenue: amount(totals['revenue'], `${at}.total_stats.revenue`),
      conversions: count(totals['conversions'], `${at}.total_stats.conversions`),
      conversionsByEntryTime: count(totals['conversions_by_entry_time'], `${at}.total_stats.conversions_by_entry_time`),
      entries: count(totals['entries'], `${at}.total_stats.entries`),
      conversionEvents: parseConversionEvents(totals, `${at}.total_stats`, 'entry'),
    },
    variants: call.variants ? keyedBy(entry['variant_stats'], `${at}.variant_stats`, parseVariant) : [],
    steps: call.steps ? keyedBy(entry['step_stats'], `${at}.step_stats`, parseStep) : [],
  };
}

/** What a variant's and a step's stats both carry: their name and their conversion results. */
function parseResults(value: Record<string, unknown>, at: string) {
  return {
    name: optionalString(value['name'], `${at}.name`),
    revenue: amount(value['revenue'], `${at}.revenue`),
    conversions: count(value['conversions'], `${at}.conversions`),
    conversionsByEntryTime: optionalCount(value['conversions_by_entry_time'], `${at}.conversions_by_entry_time`),
    conversionEvents: parseConversionEvents(value, at, 'entry'),
  };
}

function parseVariant(id: string, value: Record<string, unknown>, at: string): CanvasVariantStats {
  return { id, ...parseResults(value, at), entries: count(value['entries'], `${at}.entries`) };
}

function parseStep(id: string, value: Record<string, unknown>, at: string): CanvasStepStats {
  return { id, ...parseResults(value, at), channels: parseChannelMessages(value['messages'], `${at}.messages`) };
}

/** An object keyed by id → its entries in Braze's order; absent or null is none. */
function keyedBy<T>(value: unknown, at: string, parse: (id: string, value: Record<string, unknown>, at: string) => T): T[] {
  if (value === undefined || value === null) return [];
  if (!isRecord(value)) throw invalidAnswer(`${at} is not an object keyed by id`);
  return Object.entries(value).map(([id, entry]) => {
    const here = `${at}["${truncate(id, 40)}"]`;
    if (!isRecord(entry)) throw invalidAnswer(`${here} is not an object`);
    return parse(id, entry, here);
  });
}

