import { UpstreamInvalidResponseError } from '../errors/gatewayErrors.js';
import { simulateCanvasDetails } from './simulated/canvases.js';
import { isRecord, optionalBoolean, optionalInstant, optionalString, stringList } from './answers/answerFields.js';
import type { Endpoint } from '../data/endpoint.js';
import { keyedBy, keys, leaves, listOf, record, withUnknownKeys } from './answers/shape.js';
import { MESSAGE_SHAPE } from './campaignDetails.js';
import { listTtlMs, parseSuccessBody } from './answers/lists.js';

export interface CanvasDetailsCall {
  readonly canvasId: string;
}

export interface CanvasVariant {
  readonly id: string;
  readonly name: string | null;
  readonly firstStepIds: readonly string[];
}

export interface CanvasStep {
  readonly id: string;
  readonly name: string | null;
  /** The Canvas component type (e.g. `email`, `delay`, `decision_split`). */
  readonly type: string | null;
  readonly channels: readonly string[];
  readonly nextStepIds: readonly string[];
}

/** A Canvas as /canvas/details tells of it (message contents are left out: this gateway is about numbers). */
export interface CanvasDetails {
  readonly name: string;
  readonly description: string | null;
  readonly createdAt: Date | null;
  readonly updatedAt: Date | null;
  readonly archived: boolean | null;
  readonly draft: boolean | null;
  readonly enabled: boolean | null;
  readonly hasPostLaunchDraft: boolean | null;
  readonly scheduleType: string | null;
  readonly firstEntry: Date | null;
  readonly lastEntry: Date | null;
  readonly channels: readonly string[];
  readonly tags: readonly string[];
  readonly teams: readonly string[];
  readonly variants: readonly CanvasVariant[];
  readonly steps: readonly CanvasStep[];
}

function list<T>(value: unknown, field: string, parse: (entry: Record<string, unknown>, at: string) => T): T[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new UpstreamInvalidResponseError(`${field} is not a list`);
  return value.map((entry: unknown, index) => {
    const at = `${field}[${index}]`;
    if (!isRecord(entry)) throw new UpstreamInvalidResponseError(`${at} is not an object`);
    return parse(entry, at);
  });
}

function id(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') throw new UpstreamInvalidResponseError(`${field} is not a non-empty string`);
  return value;
}

function parseVariant(entry: Record<string, unknown>, at: string): CanvasVariant {
  // `first_step_id` is the deprecated single form, sent only when the variant has one first step.
  const single = optionalString(entry['first_step_id'], `${at}.first_step_id`);
  const firstStepIds = stringList(entry['first_step_ids'], `${at}.first_step_ids`);
  return {
    id: id(entry['id'], `${at}.id`),
    name: optionalString(entry['name'], `${at}.name`),
    firstStepIds: firstStepIds.length === 0 && single !== null ? [single] : firstStepIds,
  };
}

function parseStep(entry: Record<string, unknown>, at: string): CanvasStep {
  const nextStepIds = stringList(entry['next_step_ids'], `${at}.next_step_ids`);
  // Every step has `next_paths` ({name, next_step_id}); Message steps have `next_step_ids` too.
  const fromPaths = list(entry['next_paths'], `${at}.next_paths`, (path, here) => optionalString(path['next_step_id'], `${here}.next_step_id`));
  const next = [...new Set([...nextStepIds, ...fromPaths.filter((step): step is string => step !== null)])];
  return {
    id: id(entry['id'], `${at}.id`),
    name: optionalString(entry['name'], `${at}.name`),
    type: optionalString(entry['type'], `${at}.type`),
    channels: stringList(entry['channels'], `${at}.channels`),
    nextStepIds: next,
  };
}

/** What Braze documents of a /canvas/details answer (step messages as /campaigns/details documents them). */
export const CANVAS_DETAILS_SHAPE = record({
  ...leaves(['message', 'created_at', 'updated_at', 'name', 'description', 'archived', 'draft', 'enabled', 'has_post_launch_draft', 'schedule_type', 'first_entry', 'last_entry', 'channels', 'tags', 'teams']),
  variants: listOf(keys(['name', 'id', 'first_step_ids', 'first_step_id'])),
  steps: listOf(
    record({
      ...leaves(['name', 'type', 'id', 'next_step_ids', 'channels']),
      next_paths: listOf(keys(['name', 'next_step_id'])),
      messages: keyedBy(MESSAGE_SHAPE),
    }),
  ),
});

/**
 * GET /canvas/details: one Canvas's metadata, variants and steps. Braze does not document its answer
 * for an id it does not know; whatever it is (a 4xx, a body without success), the field asking gets
 * that error.
 */
export const canvasDetailsEndpoint: Endpoint<CanvasDetailsCall, CanvasDetails> = {
  name: 'canvasDetails',
  path: '/canvas/details',
  permission: 'canvas.details',
  bucket: 'export',
  key: (call) => call.canvasId,
  searchParams: (call) => new URLSearchParams({ canvas_id: call.canvasId }),
  parse(text) {
    const body = parseSuccessBody(text);
    if (typeof body['name'] !== 'string') throw new UpstreamInvalidResponseError('Braze answered Canvas details without a "name" string');
    return withUnknownKeys(
      {
        name: body['name'],
        description: optionalString(body['description'], 'description'),
        createdAt: optionalInstant(body['created_at'], 'created_at'),
        updatedAt: optionalInstant(body['updated_at'], 'updated_at'),
        archived: optionalBoolean(body['archived'], 'archived'),
        draft: optionalBoolean(body['draft'], 'draft'),
        enabled: optionalBoolean(body['enabled'], 'enabled'),
        hasPostLaunchDraft: optionalBoolean(body['has_post_launch_draft'], 'has_post_launch_draft'),
        scheduleType: optionalString(body['schedule_type'], 'schedule_type'),
        firstEntry: optionalInstant(body['first_entry'], 'first_entry'),
        lastEntry: optionalInstant(body['last_entry'], 'last_entry'),
        channels: stringList(body['channels'], 'channels'),
        tags: stringList(body['tags'], 'tags'),
        teams: stringList(body['teams'], 'teams'),
        variants: list(body['variants'], 'variants', parseVariant),
        steps: list(body['steps'], 'steps', parseStep),
      },
      body,
      CANVAS_DETAILS_SHAPE,
    );
  },
  // A Canvas's shape changes rarely: kept as long as a list page.
  ttlMs: listTtlMs,
  simulate: simulateCanvasDetails,
};
