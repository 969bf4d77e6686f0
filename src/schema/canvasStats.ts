import type { GraphQLResolveInfo } from 'graphql';
import type { GatewayContext } from './context.js';
import { dateOf } from '../endpoints/answers/brazeTime.js';
import { CANVAS_MAX_LENGTH, CANVAS_MIN_LENGTH, type CanvasStats, type CanvasStatsCall, type CanvasStatsPoint, type CanvasStepStats, type CanvasTotals, type CanvasVariantStats } from '../endpoints/answers/canvasStats.js';
import { decimalFromNumber, sumDecimals } from '../endpoints/answers/decimal.js';
import { canvasSeriesEndpoint, canvasSummaryEndpoint } from '../endpoints/canvasSeries.js';
import { BadUserInputError } from '../errors/gatewayErrors.js';
import { builder } from './builder.js';
import { channelStatsField } from './channelStats.js';
import { CanvasConversionEventRef, CONVERSION_EVENTS_DESCRIPTION } from './conversionEvents.js';
import { sumConversionEvents, type ConversionEventCounts } from '../endpoints/answers/conversions.js';
import { selectedFieldNames } from './selection.js';
import { defineSeries } from './seriesField.js';
import { countTotal, SERIES_CALL_FIELD_DESCRIPTIONS } from './seriesFields.js';
import { UNIT_MS, type SeriesWindow } from '../data/chunks.js';
import { loadWindow } from '../data/loader.js';

/** The window of a Canvas series or summary, checked: `length` days before `endingAt`, or from `startingAt`. */
export interface CanvasWindow {
  readonly length: number | undefined;
  readonly startingAt: Date | undefined;
  readonly endingAt: Date;
}

/** What Braze is asked to break the numbers down by. */
export interface CanvasBreakdowns {
  readonly variants: boolean;
  readonly steps: boolean;
  readonly deletedSteps: boolean;
}

export interface CanvasStatsArgs {
  readonly length?: number | null | undefined;
  readonly startingAt?: Date | null | undefined;
  readonly endingAt: Date;
  readonly variants?: boolean | null | undefined;
  readonly steps?: boolean | null | undefined;
  readonly deletedSteps?: boolean | null | undefined;
}

/** The longest `startingAt` window: Braze's page caps `length` at 14 days and documents no other bound. */
const MAX_RANGE_MS = CANVAS_MAX_LENGTH * UNIT_MS.day;

/**
 * Checks the window before any call: exactly one of `length` and `startingAt`; `startingAt` before
 * `endingAt` and at most 14 days before it (Braze's bound for `length`; its page states none for
 * `starting_at`). `length` is 1–14 as Braze's page says, or up to `maxLength` for series, which are
 * asked in 14-day chunks past that (a summary cannot be: its unique counts do not add up).
 */
export function toCanvasWindow(args: Pick<CanvasStatsArgs, 'length' | 'startingAt' | 'endingAt'>, maxLength: number = CANVAS_MAX_LENGTH): CanvasWindow {
  const { length, startingAt, endingAt } = args;
  const hasLength = length !== null && length !== undefined;
  const hasStart = startingAt !== null && startingAt !== undefined;
  if (hasLength && hasStart) throw new BadUserInputError('Give either length or startingAt, not both', 'startingAt');
  if (hasLength) {
    if (!Number.isInteger(length) || length < CANVAS_MIN_LENGTH || length > maxLength) {
      throw new BadUserInputError(`length must be between ${CANVAS_MIN_LENGTH} and ${maxLength} (inclusive), got ${length}`, 'length');
    }
    return { length, startingAt: undefined, endingAt };
  }
  if (!hasStart) throw new BadUserInputError('Either length (days before endingAt) or startingAt is required', 'length');
  if (startingAt.getTime() >= endingAt.getTime()) throw new BadUserInputError('startingAt must be before endingAt', 'startingAt');
  if (endingAt.getTime() - startingAt.getTime() > MAX_RANGE_MS) {
    throw new BadUserInputError(`startingAt must be at most ${CANVAS_MAX_LENGTH} days before endingAt`, 'startingAt');
  }
  return { length: undefined, startingAt, endingAt };
}

const BREAKDOWN_FIELDS: ReadonlySet<string> = new Set(['variants', 'steps']);

/**
 * What to ask Braze for. An argument given decides; one omitted follows the selection: the breakdown
 * is asked for when the query reads `variants` (or `steps`) anywhere under this field.
 */
export function toBreakdowns(args: Pick<CanvasStatsArgs, 'variants' | 'steps' | 'deletedSteps'>, info: GraphQLResolveInfo): CanvasBreakdowns {
  const needsSelection = args.variants === null || args.variants === undefined || args.steps === null || args.steps === undefined;
  const selected = needsSelection ? selectedFieldNames(info, BREAKDOWN_FIELDS) : new Set<string>();
  const variants = args.variants ?? selected.has('variants');
  const steps = args.steps ?? selected.has('steps');
  return { variants, steps, deletedSteps: steps && args.deletedSteps === true };
}

export interface CanvasSeriesResult {
  readonly call: CanvasStatsCall;
  readonly points: readonly CanvasStatsPoint[];
  readonly fetchedAt: Date;
  /** Braze calls the window is made of: more than one past 14 days. */
  readonly calls: number;
}

export interface CanvasSummaryResult {
  readonly call: CanvasStatsCall;
  readonly stats: CanvasStats;
  readonly fetchedAt: Date;
}

/** A Canvas's stats rolled up over a checked window. */
export async function resolveCanvasSummary(canvasId: string, window: CanvasWindow, breakdowns: CanvasBreakdowns, context: GatewayContext): Promise<CanvasSummaryResult> {
  const call: CanvasStatsCall = { canvasId, ...window, ...breakdowns };
  const { answer, fetchedAt } = await context.loader.load(canvasSummaryEndpoint, call);
  return { call, stats: answer, fetchedAt };
}

/** The arguments of `Canvas.series` and `Canvas.summary`, as Braze's parameters for both endpoints. */
export const canvasStatsArgs = builder.args((arg) => ({
  length: arg.int({
    description: `Number of days ending with the one that holds \`endingAt\`. Give either \`length\` or \`startingAt\`. Braze \`length\` (a string on Braze's side), which Braze bounds at ${CANVAS_MIN_LENGTH}–${CANVAS_MAX_LENGTH}: so is \`summary\`; \`series\` takes up to SERIES_MAX_LENGTH (1,000 unless the operator changed it), asked as consecutive ${CANVAS_MAX_LENGTH}-day calls stitched into one series, each day once (see \`brazeCalls\`).`,
  }),
  startingAt: arg.field({
    type: 'DateTime',
    description: `Date on which the data should begin: before \`endingAt\`, at most ${CANVAS_MAX_LENGTH} days before it. Give either \`length\` or \`startingAt\`. Braze \`starting_at\`, sent in UTC.`,
  }),
  endingAt: arg.field({
    type: 'DateTime',
    required: true,
    description:
      "Date on which the data should end, as an RFC 3339 date-time with any offset. Braze `ending_at`, sent in UTC. Braze's dashboard counts days in the company's time zone: an `endingAt` at midnight there matches its days.",
  }),
  variants: arg.boolean({
    description:
      'Whether Braze breaks the numbers down by variant (Braze `include_variant_breakdown`). Omitted: asked for exactly when this query selects `variants` under this field. `false`: never asked, `variants` lists are empty. `true`: always asked.',
  }),
  steps: arg.boolean({
    description:
      'Whether Braze breaks the numbers down by step (Braze `include_step_breakdown`). Omitted: asked for exactly when this query selects `steps` under this field. `false`: never asked, `steps` lists are empty. `true`: always asked.',
  }),
  deletedSteps: arg.boolean({
    defaultValue: false,
    description: 'Whether the step breakdown includes steps since deleted (Braze `include_deleted_step_data`). Only sent when the step breakdown is asked for.',
  }),
}));

/**
 * A Canvas's stats per day (Braze `GET /canvas/data_series`): a `startingAt` window in one call, a
 * `length` window in 14-day chunks past Braze's bound. Live, `endingAt` may be omitted ("now" at each
 * poll) for a `length` window.
 */
export const canvasSeries = defineSeries({
  args: canvasStatsArgs,
  liveArgs: builder.args((arg) => ({
    ...canvasStatsArgs,
    endingAt: arg.field({
      type: 'DateTime',
      description: 'Date on which the data should end, as an RFC 3339 date-time with any offset (Braze `ending_at`, sent in UTC). Omitted: "now" at each poll, which only a `length` window may use.',
    }),
  })),
  call: (args, bounds, canvasId: string, info): CanvasStatsCall => {
    const given = args.endingAt ?? undefined;
    // A window from a fixed start to a moving "now" would outgrow Braze's 14 days while it is watched.
    if (given === undefined && args.startingAt !== null && args.startingAt !== undefined) {
      throw new BadUserInputError('A live Canvas series from startingAt needs its endingAt; a window ending now takes length', 'endingAt');
    }
    const window = toCanvasWindow({ ...args, endingAt: given ?? bounds.requestNow() }, bounds.seriesMaxLength);
    return { canvasId, ...window, ...toBreakdowns(args, info) };
  },
  endpoint: () => canvasSeriesEndpoint,
  async load(loader, endpoint, call): Promise<CanvasSeriesResult> {
    if (call.length === undefined) {
      const { answer, fetchedAt } = await loader.load(endpoint, call);
      return { call, points: answer, fetchedAt, calls: 1 };
    }
    const days: SeriesWindow = { length: call.length, unit: 'day', endingAt: call.endingAt };
    const chunkCall = (chunk: SeriesWindow): CanvasStatsCall => (chunk === days ? call : { ...call, length: chunk.length, endingAt: chunk.endingAt });
    return { call, ...(await loadWindow(loader, endpoint, days, chunkCall, CANVAS_MAX_LENGTH)) };
  },
});

/** Revenue as Braze sent it, an exact decimal string. */
const revenue = (value: number): string => decimalFromNumber(value);

const REVENUE_DESCRIPTION = 'Revenue in dollars (USD, Braze `revenue`), as an exact decimal string: the JSON number Braze sent, in its shortest exact form.';

export const CanvasTotalStatsRef = builder.objectRef<CanvasTotals>('CanvasTotalStats').implement({
  description: 'Whole-Canvas numbers (Braze `total_stats`).',
  fields: (t) => ({
    revenue: t.field({ type: 'Decimal', description: REVENUE_DESCRIPTION, resolve: (stats) => revenue(stats.revenue) }),
    conversions: t.field({ type: 'SafeInt', description: 'Conversions (Braze `conversions`).', resolve: (stats) => stats.conversions }),
    conversionsByEntryTime: t.field({
      type: 'SafeInt',
      description: 'Conversions counted by the time of entry into the Canvas (Braze `conversions_by_entry_time`).',
      resolve: (stats) => stats.conversionsByEntryTime,
    }),
    entries: t.field({ type: 'SafeInt', description: 'Entries into the Canvas (Braze `entries`).', resolve: (stats) => stats.entries }),
    conversionEvents: t.field({ type: [CanvasConversionEventRef], description: CONVERSION_EVENTS_DESCRIPTION, resolve: (stats) => stats.conversionEvents }),
  }),
});

export const CanvasVariantStatsRef = builder.objectRef<CanvasVariantStats>('CanvasVariantStats').implement({
  description: "One variant's numbers (Braze `variant_stats`, keyed by the variant's API identifier).",
  fields: (t) => ({
    variantId: t.exposeID('id', { description: 'Variant API identifier.' }),
    name: t.string({ nullable: true, description: 'Variant name, as the stats carry it.', resolve: (stats) => stats.name }),
    revenue: t.field({ type: 'Decimal', description: REVENUE_DESCRIPTION, resolve: (stats) => revenue(stats.revenue) }),
    conversions: t.field({ type: 'SafeInt', description: 'Conversions.', resolve: (stats) => stats.conversions }),
    conversionsByEntryTime: t.field({
      type: 'SafeInt',
      nullable: true,
      description: 'Conversions by entry time; null where Braze does not report it (its summary omits it for variants).',
      resolve: (stats) => stats.conversionsByEntryTime,
    }),
    entries: t.field({ type: 'SafeInt', description: 'Entries into this variant.', resolve: (stats) => stats.entries }),
    conversionEvents: t.field({ type: [CanvasConversionEventRef], description: CONVERSION_EVENTS_DESCRIPTION, resolve: (stats) => stats.conversionEvents }),
  }),
});

export const CanvasStepStatsRef = builder.objectRef<CanvasStepStats>('CanvasStepStats').implement({
  description: "One step's numbers (Braze `step_stats`, keyed by the step's API identifier).",
  fields: (t) => ({
    stepId: t.exposeID('id', { description: 'Step API identifier.' }),
    name: t.string({ nullable: true, description: 'Step name, as the stats carry it.', resolve: (stats) => stats.name }),
    revenue: t.field({ type: 'Decimal', description: REVENUE_DESCRIPTION, resolve: (stats) => revenue(stats.revenue) }),
    conversions: t.field({ type: 'SafeInt', description: 'Conversions.', resolve: (stats) => stats.conversions }),
    conversionsByEntryTime: t.field({
      type: 'SafeInt',
      nullable: true,
      description: 'Conversions by entry time; null where Braze does not report it.',
      resolve: (stats) => stats.conversionsByEntryTime,
    }),
    conversionEvents: t.field({ type: [CanvasConversionEventRef], description: CONVERSION_EVENTS_DESCRIPTION, resolve: (stats) => stats.conversionEvents }),
    channels: channelStatsField(
      t,
      "The step's message stats (Braze `messages`): one entry per channel and message variation, in Braze's order, each typed by channel family (`... on EmailStats { opens }`).",
      (stats) => stats.channels,
    ),
  }),
});

/** Descriptions every stats type shares. */
const BREAKDOWN_DESCRIPTIONS = {
  variants: 'Numbers per variant, in Braze\'s order. Empty when the variant breakdown was not asked for (see `includesVariants`) or Braze sent none.',
  steps: 'Numbers per step, in Braze\'s order. Empty when the step breakdown was not asked for (see `includesSteps`) or Braze sent none.',
} as const;

export const CanvasSeriesPointRef = builder.objectRef<CanvasStatsPoint>('CanvasSeriesPoint').implement({
  description: "One day of a Canvas's stats.",
  fields: (t) => ({
    time: t.field({
      type: 'DateTime',
      description: "Start of the day as an instant: midnight UTC of `date` (Braze counts days in the company's time zone and reports only the date).",
      resolve: (point) => point.time,
    }),
    date: t.field({ type: 'Date', description: "The day, exactly as Braze reported it (a day in the company's time zone).", resolve: (point) => dateOf(point.time) }),
    total: t.field({ type: CanvasTotalStatsRef, description: 'Whole-Canvas numbers of the day.', resolve: (point) => point.total }),
    variants: t.field({ type: [CanvasVariantStatsRef], description: BREAKDOWN_DESCRIPTIONS.variants, resolve: (point) => point.variants }),
    steps: t.field({ type: [CanvasStepStatsRef], description: BREAKDOWN_DESCRIPTIONS.steps, resolve: (point) => point.steps }),
  }),
});

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

/** Fields a series and a summary both echo from their call. */
function callFields<Parent extends { readonly call: CanvasStatsCall; readonly fetchedAt: Date }>(t: PothosSchemaTypes.ObjectFieldBuilder<Types, Parent>) {
  return {
    canvasId: t.id({ description: 'The Canvas API identifier the numbers are of.', resolve: ({ call }) => call.canvasId }),
    length: t.int({ nullable: true, description: 'The number of days asked for (Braze `length`); null for a `startingAt` window.', resolve: ({ call }) => call.length ?? null }),
    startingAt: t.field({ type: 'DateTime', nullable: true, description: 'Where the window begins (Braze `starting_at`); null for a `length` window.', resolve: ({ call }) => call.startingAt ?? null }),
    endingAt: t.field({ type: 'DateTime', description: 'Where the window ends (Braze `ending_at`).', resolve: ({ call }) => call.endingAt }),
    includesVariants: t.boolean({ description: 'Whether Braze was asked for the variant breakdown for this field.', resolve: ({ call }) => call.variants }),
    includesSteps: t.boolean({ description: 'Whether Braze was asked for the step breakdown for this field.', resolve: ({ call }) => call.steps }),
    includesDeletedSteps: t.boolean({ description: 'Whether the step breakdown includes deleted steps.', resolve: ({ call }) => call.deletedSteps }),
    fetchedAt: t.field({ type: 'DateTime', description: SERIES_CALL_FIELD_DESCRIPTIONS.fetchedAt, resolve: ({ fetchedAt }) => fetchedAt }),
  };
}

/** The sum of a series' days: counts, and revenue as an exact decimal. */
interface CanvasSeriesTotals {
  readonly revenue: string;
  readonly conversions: number;
  readonly conversionsByEntryTime: number;
  readonly entries: number;
  readonly conversionEvents: readonly ConversionEventCounts[];
}

/** The sum of the days' totals: counts exact up to 2^53 - 1 (RESULT_OUT_OF_RANGE beyond), revenue exact in decimal. */
function sumTotals(points: readonly CanvasStatsPoint[]): CanvasSeriesTotals {
  const count = (pick: (totals: CanvasTotals) => number): number => countTotal(points.map((point) => ({ time: point.time, value: pick(point.total) })));
  return {
    revenue: sumDecimals(points.map((point) => revenue(point.total.revenue))),
    conversions: count((totals) => totals.conversions),
    conversionsByEntryTime: count((totals) => totals.conversionsByEntryTime),
    entries: count((totals) => totals.entries),
    conversionEvents: sumConversionEvents(points.map((point) => point.total.conversionEvents)),
  };
}

const CanvasSeriesTotalsRef = builder.objectRef<CanvasSeriesTotals>('CanvasSeriesTotals').implement({
  description: 'The sum of the days of a Canvas series.',
  fields: (t) => ({
    revenue: t.field({ type: 'Decimal', description: 'Sum of the days\' revenue, computed exactly in decimal (0.1 + 0.2 is "0.3").', resolve: (totals) => totals.revenue }),
    conversions: t.field({ type: 'SafeInt', description: 'Sum of the days\' conversions.', resolve: (totals) => totals.conversions }),
    conversionsByEntryTime: t.field({ type: 'SafeInt', description: 'Sum of the days\' conversions by entry time.', resolve: (totals) => totals.conversionsByEntryTime }),
    entries: t.field({ type: 'SafeInt', description: 'Sum of the days\' entries.', resolve: (totals) => totals.entries }),
    conversionEvents: t.field({ type: [CanvasConversionEventRef], description: `${CONVERSION_EVENTS_DESCRIPTION} Summed over the days per event.`, resolve: (totals) => totals.conversionEvents }),
  }),
});

export const CanvasSeriesRef = builder.objectRef<CanvasSeriesResult>('CanvasSeries').implement({
  description:
    "A Canvas's stats per day (Braze `GET /canvas/data_series`): totals, and per variant and per step when the query selects them (the `include_*` flags follow the selection). Fields of one request over the same Canvas and `endingAt` share one upstream call: the longest `length`, every breakdown any of them reads.",
  fields: (t) => ({
    ...callFields(t),
    brazeCalls: t.int({ description: SERIES_CALL_FIELD_DESCRIPTIONS.brazeCalls.replace('1 up to 100 units', '1 up to 14 days'), resolve: ({ calls }) => calls }),
    points: t.field({ type: [CanvasSeriesPointRef], description: "Braze's days, oldest first. Braze may send fewer days than asked (a Canvas younger than the window).", resolve: ({ points }) => points }),
    totals: t.field({
      type: CanvasSeriesTotalsRef,
      description: 'The sum of the days: counts fail with RESULT_OUT_OF_RANGE past 2^53 - 1, revenue is exact.',
      resolve: ({ points }) => sumTotals(points),
    }),
  }),
});

export const CanvasStatsRef = builder.objectRef<CanvasSummaryResult>('CanvasStats').implement({
  description:
    "A Canvas's stats rolled up over a window (Braze `GET /canvas/data_summary`): totals, and per variant and per step when the query selects them (the `include_*` flags follow the selection). Fields of one request over the same window share one upstream call carrying every breakdown any of them reads.",
  fields: (t) => ({
    ...callFields(t),
    total: t.field({ type: CanvasTotalStatsRef, description: 'Whole-Canvas numbers of the window.', resolve: ({ stats }) => stats.total }),
    variants: t.field({ type: [CanvasVariantStatsRef], description: BREAKDOWN_DESCRIPTIONS.variants, resolve: ({ stats }) => stats.variants }),
    steps: t.field({ type: [CanvasStepStatsRef], description: BREAKDOWN_DESCRIPTIONS.steps, resolve: ({ stats }) => stats.steps }),
  }),
});
