import type { SimulatedAnswer, SimulationInput } from '../../data/endpoint.js';
import { bucketStarts, fnv1a, formatBucket, rhythmicValue } from './rhythm.js';
import { inRequestedOrder, simulatedUuid } from './lists.js';

/**
 * Demo mode's Canvases: a fixed set with variants and steps (ids, names and dates derived from the
 * name, nothing from the clock), and their stats, per day, consistent everywhere: a day's total is the
 * sum of its variants, a window's summary the sum of its days.
 */

const DAY_MS = 86_400_000;
const FIRST_CREATED = Date.UTC(2023, 1, 6, 14, 0);
const JOURNEYS = ['Onboarding', 'Win-back', 'Cart abandonment', 'Renewal reminder', 'Loyalty tier', 'Birthday', 'Re-engagement', 'Upsell', 'Survey follow-up', 'Feature launch', 'Trial conversion'];
const AUDIENCES = ['new users', 'lapsed buyers', 'VIPs', 'mobile users', 'web users', 'subscribers', 'trial users', 'high spenders', 'weekend shoppers', 'EU customers'];
const TAGS = ['lifecycle', 'retention', 'promo', 'transactional', 'experiment'];
const SCHEDULE_TYPES = ['date', 'action_based', 'api_triggered', 'recurring'];

/** A step kind: the Canvas component type, its channels, and the Braze `messages` channel names its stats use. */
const STEP_KINDS = [
  { type: 'email', name: 'Email', channels: ['email'] },
  { type: 'push', name: 'Push', channels: ['ios_push', 'android_push'] },
  { type: 'sms', name: 'SMS', channels: ['sms'] },
  { type: 'webhook', name: 'Webhook', channels: ['webhook'] },
  { type: 'in_app_message', name: 'In-app message', channels: ['trigger_in_app_message'] },
] as const;

export interface SimulatedCanvasVariant {
  readonly id: string;
  readonly name: string;
  /** Share of the Canvas's entries, in thousandths; the variants' shares add up to 1000. */
  readonly share: number;
  readonly firstStepIds: readonly string[];
}

export interface SimulatedCanvasStep {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly channels: readonly string[];
  readonly nextStepIds: readonly string[];
  /** Share of the Canvas's entries that reach this step, in thousandths. */
  readonly reach: number;
}

/** A Canvas as the simulator keeps it: what /canvas/list and /canvas/details tell of it. */
export interface SimulatedCanvas {
  readonly id: string;
  readonly name: string;
  readonly tags: readonly string[];
  readonly createdAt: string;
  readonly lastEdited: string;
  readonly archived: boolean;
  readonly draft: boolean;
  readonly enabled: boolean;
  readonly scheduleType: string;
  readonly firstEntry: string;
  readonly lastEntry: string | null;
  readonly variants: readonly SimulatedCanvasVariant[];
  readonly steps: readonly SimulatedCanvasStep[];
}

function simulateCanvas(name: string, index: number): SimulatedCanvas {
  const hash = fnv1a(name);
  const id = simulatedUuid(`canvas\u0000${name}`);
  const created = FIRST_CREATED + index * 3 * DAY_MS;
  const archived = hash % 9 === 0;
  const draft = !archived && hash % 11 === 0;
  const stepCount = 2 + (hash % 4);
  const steps: SimulatedCanvasStep[] = Array.from({ length: stepCount }, (_, step) => {
    const kind = STEP_KINDS[(hash >>> (step * 3)) % STEP_KINDS.length] ?? STEP_KINDS[0];
    return {
      id: simulatedUuid(`step\u0000${name}\u0000${step}`),
      name: `${kind.name} ${step + 1}`,
      type: kind.type,
      channels: kind.channels,
      nextStepIds: [],
      reach: Math.round(1000 * 0.8 ** step),
    };
  }).map((step, i, all) => ({ ...step, nextStepIds: all[i + 1] ? [all[i + 1]!.id] : [] }));
  const variantCount = 1 + (hash % 3);
  const variants = Array.from({ length: variantCount }, (_, variant) => ({
    id: simulatedUuid(`variant\u0000${name}\u0000${variant}`),
    name: variantCount === 1 ? 'Variant 1' : variant === variantCount - 1 && variantCount > 2 ? 'Control' : `Variant ${variant + 1}`,
    share: variant === variantCount - 1 ? 1000 - Math.floor(1000 / variantCount) * (variantCount - 1) : Math.floor(1000 / variantCount),
    firstStepIds: steps[0] ? [steps[0].id] : [],
  }));
  return {
    id,
    name,
    tags: TAGS.filter((_, tag) => (hash >>> (tag + 7)) % 4 === 0),
    createdAt: new Date(created).toISOString(),
    lastEdited: new Date(created + (hash % 60) * DAY_MS + 3_600_000).toISOString(),
    archived,
    draft,
    enabled: !archived && !draft && hash % 5 !== 0,
    scheduleType: SCHEDULE_TYPES[hash % SCHEDULE_TYPES.length] ?? 'date',
    firstEntry: new Date(created + 2 * DAY_MS).toISOString(),
    lastEntry: archived ? new Date(created + 40 * DAY_MS).toISOString() : null,
    variants,
    steps,
  };
}

/** 110 Canvases, oldest first (Braze's default order): two pages of /canvas/list once archived ones are included. */
export const SIMULATED_CANVASES: readonly SimulatedCanvas[] = JOURNEYS.flatMap((journey) => AUDIENCES.map((audience) => `${journey}: ${audience}`)).map(simulateCanvas);

const PAGE_SIZE = 100;

function invalidRequest(...errors: string[]): SimulatedAnswer {
  return { status: 400, body: { message: 'Invalid request', errors } };
}

/** A boolean query parameter as Braze reads it: absent is false. */
function flag(params: URLSearchParams, name: string): boolean | undefined {
  const value = params.get(name);
  if (value === null || value === 'false') return false;
  if (value === 'true') return true;
  return undefined;
}

/** GET /canvas/list: 100 a page, oldest first unless `sort_direction=desc`; archived ones only with `include_archived`; `last_edit.time[gt]` filters. */
export function simulateCanvasList({ params }: SimulationInput): SimulatedAnswer {
  const page = params.get('page') ?? '0';
  const includeArchived = flag(params, 'include_archived');
  const editedAfterRaw = params.get('last_edit.time[gt]');
  const editedAfter = editedAfterRaw === null ? undefined : Date.parse(editedAfterRaw);
  const problems: string[] = [];
  if (!/^\d{1,6}$/.test(page)) problems.push('page must be a non-negative integer');
  if (includeArchived === undefined) problems.push('include_archived must be true or false');
  if (editedAfter !== undefined && Number.isNaN(editedAfter)) problems.push('last_edit.time[gt] must be a time');
  if (problems.length > 0) return invalidRequest(...problems);
  const listed = inRequestedOrder(
    params,
    SIMULATED_CANVASES.filter((canvas) => (includeArchived || !canvas.archived) && (editedAfter === undefined || Date.parse(canvas.lastEdited) > editedAfter)),
  );
  if (listed === undefined) return invalidRequest('sort_direction must be asc or desc');
  const start = Number(page) * PAGE_SIZE;
  const canvases = listed.slice(start, start + PAGE_SIZE).map(({ id, name, lastEdited, tags }) => ({ id, last_edited: lastEdited, name, tags }));
  return { status: 200, body: { message: 'success', canvases } };
}

function findCanvas(params: URLSearchParams): SimulatedCanvas | SimulatedAnswer {
  const id = params.get('canvas_id') ?? '';
  if (id === '') return invalidRequest('canvas_id is required');
  // Braze does not document its answer for an unknown id; the simulator says it is invalid.
  return SIMULATED_CANVASES.find((canvas) => canvas.id === id) ?? { status: 400, body: { message: 'Invalid canvas_id' } };
}

const isCanvas = (found: SimulatedCanvas | SimulatedAnswer): found is SimulatedCanvas => 'steps' in found;

/** GET /canvas/details: the Canvas, its variants and its steps. */
export function simulateCanvasDetails({ params }: SimulationInput): SimulatedAnswer {
  const canvas = findCanvas(params);
  if (!isCanvas(canvas)) return canvas;
  return {
    status: 200,
    body: {
      message: 'success',
      created_at: canvas.createdAt,
      updated_at: canvas.lastEdited,
      name: canvas.name,
      description: `Demo Canvas: ${canvas.name.toLowerCase()}.`,
      archived: canvas.archived,
      draft: canvas.draft,
      enabled: canvas.enabled,
      has_post_launch_draft: false,
      schedule_type: canvas.scheduleType,
      first_entry: canvas.firstEntry,
      last_entry: canvas.lastEntry,
      channels: [...new Set(canvas.steps.flatMap((step) => step.channels))],
      variants: canvas.variants.map(({ id, name, firstStepIds }) => ({ name, id, first_step_ids: firstStepIds })),
      tags: canvas.tags,
      teams: [],
      steps: canvas.steps.map((step) => ({
        name: step.name,
        type: step.type,
        id: step.id,
        next_step_ids: step.nextStepIds,
        next_paths: step.nextStepIds.map((next) => ({ name: null, next_step_id: next })),
        channels: step.channels,
        messages: {},
      })),
    },
  };
}

/** The days a stats call covers, oldest first, or the reason Braze would refuse it. */
function statsDays(params: URLSearchParams, now: number): { canvas: SimulatedCanvas; days: number[]; variants: boolean; steps: boolean } | SimulatedAnswer {
  const canvas = findCanvas(params);
  if (!isCanvas(canvas)) return canvas;
  const endingAtRaw = params.get('ending_at');
  const endingAt = endingAtRaw === null ? now : Date.parse(endingAtRaw);
  const lengthRaw = params.get('length');
  const startingAtRaw = params.get('starting_at');
  const startingAt = startingAtRaw === null ? undefined : Date.parse(startingAtRaw);
  const variants = flag(params, 'include_variant_breakdown');
  const steps = flag(params, 'include_step_breakdown');
  const problems: string[] = [];
  if (Number.isNaN(endingAt)) problems.push('ending_at must be an ISO-8601 datetime');
  if (lengthRaw === null && startingAt === undefined) problems.push('either length or starting_at is required');
  if (lengthRaw !== null && (!/^\d+$/.test(lengthRaw) || Number(lengthRaw) < 1 || Number(lengthRaw) > 14)) problems.push('length must be between 1 and 14');
  if (startingAt !== undefined && (Number.isNaN(startingAt) || startingAt >= endingAt)) problems.push('starting_at must be an ISO-8601 datetime before ending_at');
  // Braze documents no cap for starting_at; the simulator holds it to the 14 days `length` may ask.
  else if (startingAt !== undefined && endingAt - startingAt > 14 * DAY_MS) problems.push('starting_at must be within 14 days of ending_at');
  if (variants === undefined || steps === undefined || flag(params, 'include_deleted_step_data') === undefined) problems.push('include_* flags must be true or false');
  if (problems.length > 0) return invalidRequest(...problems);
  const length = lengthRaw !== null ? Number(lengthRaw) : Math.floor(endingAt / DAY_MS) - Math.floor((startingAt ?? endingAt) / DAY_MS) + 1;
  // Days before the Canvas's first entry have no stats: Braze sends fewer days than asked.
  const firstDay = Math.floor(Date.parse(canvas.firstEntry) / DAY_MS) * DAY_MS;
  const days = bucketStarts(endingAt, length, true).filter((day) => day >= firstDay);
  return { canvas, days, variants: variants === true, steps: steps === true };
}

interface DayNumbers {
  entries: number;
  conversions: number;
  conversionsByEntryTime: number;
  /** Cents, so sums stay exact. */
  revenueCents: number;
}

/** One variant's numbers on one day: entries split by share, ~6% converting at a price with cents. */
function variantDay(canvas: SimulatedCanvas, variant: SimulatedCanvasVariant, day: number, now: number): DayNumbers {
  const entries = day > now ? 0 : Math.round((rhythmicValue(`canvas\u0000${canvas.id}`, day, true, 200, 3_000) * variant.share) / 1000);
  const rate = 40 + (fnv1a(`${variant.id}\u0000${day}`) % 50);
  const conversions = Math.round((entries * rate) / 1000);
  return {
    entries,
    conversions,
    conversionsByEntryTime: Math.round(conversions * 0.9),
    revenueCents: conversions * (1_999 + (fnv1a(variant.id) % 4_000)),
  };
}

const dollars = (cents: number): number => cents / 100;

function add(a: DayNumbers, b: DayNumbers): DayNumbers {
  return {
    entries: a.entries + b.entries,
    conversions: a.conversions + b.conversions,
    conversionsByEntryTime: a.conversionsByEntryTime + b.conversionsByEntryTime,
    revenueCents: a.revenueCents + b.revenueCents,
  };
}

const ZERO: DayNumbers = { entries: 0, conversions: 0, conversionsByEntryTime: 0, revenueCents: 0 };

/** A step's channel stats for `reached` users, in Braze's `messages` shape: one variation per channel. */
function stepMessages(step: SimulatedCanvasStep, reached: number): Record<string, Record<string, number>[]> {
  const messages: Record<string, Record<string, number>[]> = {};
  const share = (part: number): number => Math.round((reached * part) / 1000);
  for (const channel of step.channels) {
    const sent = step.channels.length > 1 ? share(500) : reached;
    const scaled = (part: number): number => Math.round((sent * part) / 1000);
    if (channel === 'email') {
      messages[channel] = [{ sent, delivered: scaled(980), opens: scaled(420), unique_opens: scaled(350), clicks: scaled(90), unique_clicks: scaled(70), bounces: scaled(20), unsubscribes: scaled(4), reported_spam: scaled(1) }];
    } else if (channel === 'ios_push' || channel === 'android_push') {
      messages[channel] = [{ sent, direct_opens: scaled(60), total_opens: scaled(110), bounces: scaled(15) }];
    } else if (channel === 'sms') {
      messages[channel] = [{ sent, sent_to_carrier: scaled(995), delivered: scaled(970), rejected: scaled(5), delivery_failed: scaled(25), clicks: scaled(80), opt_out: scaled(6), help: scaled(1) }];
    } else if (channel === 'webhook') {
      messages[channel] = [{ sent, errors: scaled(3) }];
    } else {
      messages[channel] = [{ impressions: sent, unique_impressions: scaled(900), clicks: scaled(150), first_button_clicks: scaled(40), second_button_clicks: scaled(10) }];
    }
  }
  return messages;
}

/** Braze's stats object for the given days (one day for a series point, the window for a summary). */
function statsOf(canvas: SimulatedCanvas, days: readonly number[], now: number, variants: boolean, steps: boolean, withConversionsByEntryTime: boolean): Record<string, unknown> {
  const byVariant = canvas.variants.map((variant) => ({ variant, numbers: days.map((day) => variantDay(canvas, variant, day, now)).reduce(add, ZERO) }));
  const total = byVariant.reduce((sum, { numbers }) => add(sum, numbers), ZERO);
  const stats: Record<string, unknown> = {
    total_stats: { revenue: dollars(total.revenueCents), conversions: total.conversions, conversions_by_entry_time: total.conversionsByEntryTime, entries: total.entries },
  };
  if (variants) {
    stats['variant_stats'] = Object.fromEntries(
      byVariant.map(({ variant, numbers }) => [
        variant.id,
        {
          name: variant.name,
          revenue: dollars(numbers.revenueCents),
          conversions: numbers.conversions,
          ...(withConversionsByEntryTime ? { conversions_by_entry_time: numbers.conversionsByEntryTime } : {}),
          entries: numbers.entries,
        },
      ]),
    );
  }
  if (steps) {
    stats['step_stats'] = Object.fromEntries(
      canvas.steps.map((step) => {
        const part = (value: number): number => Math.round((value * step.reach) / 1000);
        const revenueCents = part(total.revenueCents);
        return [
          step.id,
          {
            name: step.name,
            revenue: dollars(revenueCents),
            conversions: part(total.conversions),
            conversions_by_entry_time: part(total.conversionsByEntryTime),
            messages: stepMessages(step, part(total.entries)),
          },
        ];
      }),
    );
  }
  return stats;
}

/** GET /canvas/data_series: one entry per day, `data` an object as Braze has it. */
export function simulateCanvasSeries({ params, now }: SimulationInput): SimulatedAnswer {
  const found = statsDays(params, now);
  if (!('days' in found)) return found;
  const { canvas, days, variants, steps } = found;
  const stats = days.map((day) => ({ time: formatBucket(day, true), ...statsOf(canvas, [day], now, variants, steps, true) }));
  return { status: 200, body: { message: 'success', data: { name: canvas.name, stats } } };
}

/** GET /canvas/data_summary: the same days rolled up (variants without `conversions_by_entry_time`, as Braze documents). */
export function simulateCanvasSummary({ params, now }: SimulationInput): SimulatedAnswer {
  const found = statsDays(params, now);
  if (!('days' in found)) return found;
  const { canvas, days, variants, steps } = found;
  return { status: 200, body: { message: 'success', data: { name: canvas.name, ...statsOf(canvas, days, now, variants, steps, false) } } };
}
