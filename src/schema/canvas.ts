import type { GatewayContext } from './context.js';
import { canvasDetailsEndpoint, type CanvasDetails, type CanvasStep, type CanvasVariant } from '../endpoints/canvasDetails.js';
import { CANVAS_LIST_PAGE_SIZE, canvasListEndpoint, type CanvasListEntry } from '../endpoints/canvasList.js';
import { checkId, MAX_ID_LENGTH } from './arguments.js';
import { builder } from './builder.js';
import { asKeyedEntity } from './entityRepresentations.js';
import { byIdIn } from './listedById.js';
import { canvasSeries, CanvasSeriesRef, canvasStatsArgs, CanvasStatsRef, resolveCanvasSummary, toBreakdowns, toCanvasWindow } from './canvasStats.js';
import { connectionArgs, connectionOf, pagedConnection } from './connection.js';
import { sortDirectionArg } from './sortDirection.js';
import { seriesEntityField } from './seriesField.js';

/**
 * A Canvas as resolved: its id, and what /canvas/list said of it when it came from the list. What the
 * list does not carry is loaded from /canvas/details when asked for, once per request per id.
 */
export interface CanvasView {
  readonly id: string;
  readonly listed?: CanvasListEntry;
}

async function details({ id }: CanvasView, context: GatewayContext): Promise<CanvasDetails> {
  return (await context.loader.load(canvasDetailsEndpoint, { canvasId: id })).answer;
}

// Archived Canvases included, so every Canvas `canvases` can list is found.
const lookup = byIdIn(
  async (loader, page) => (await loader.load(canvasListEndpoint, { page, includeArchived: true, lastEditedAfter: undefined, sortDirection: 'asc' })).answer,
  CANVAS_LIST_PAGE_SIZE,
);

/** The Canvas's entry in /canvas/list: the one it was listed with, else looked up in the list (only when `lastEditedAt` is asked). */
async function listEntry({ id, listed }: CanvasView, context: GatewayContext): Promise<CanvasListEntry | undefined> {
  return listed ?? (await lookup(context.loader, id));
}

const CanvasVariantRef = builder.objectRef<CanvasVariant>('CanvasVariant').implement({
  description: 'A variant of a Canvas (Braze `GET /canvas/details` `variants`).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Variant API identifier.' }),
    name: t.string({ nullable: true, description: 'Variant name.', resolve: (variant) => variant.name }),
    firstStepIds: t.stringList({ description: 'API identifiers of the first steps of the variant.', resolve: (variant) => variant.firstStepIds }),
  }),
});

const CanvasStepRef = builder.objectRef<CanvasStep>('CanvasStep').implement({
  description: 'A step of a Canvas (Braze `GET /canvas/details` `steps`).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Step API identifier.' }),
    name: t.string({ nullable: true, description: 'Step name.', resolve: (step) => step.name }),
    type: t.string({ nullable: true, description: 'The type of Canvas component (e.g. `email`, `delay`, `decision_split`).', resolve: (step) => step.type }),
    channels: t.stringList({ description: 'The channels used in the step.', resolve: (step) => step.channels }),
    nextStepIds: t.stringList({
      description: 'API identifiers of the steps that follow (Braze `next_step_ids` and the `next_step_id`s of `next_paths`, once each).',
      resolve: (step) => step.nextStepIds,
    }),
  }),
});

const DETAILS = 'from `GET /canvas/details`';

/** `Canvas.series`, and its live twin `canvasSeries(canvasId, …)`. */
const series = seriesEntityField(canvasSeries, {
  type: CanvasSeriesRef,
  description:
    "The Canvas's stats per day (Braze `GET /canvas/data_series`), over `length` days before `endingAt` or from `startingAt`. Variant and step breakdowns are asked of Braze only when this field's selection reads them (see the `variants` and `steps` arguments). Null, with an error for this field only, when the arguments are invalid or Braze fails.",
  key: { name: 'canvasId', description: 'The Canvas API identifier. Braze `canvas_id`.' },
  live: {
    field: 'canvasSeries',
    type: 'LiveCanvasSeries',
    what: 'Canvas series',
    description:
      '`Canvas.series`, live: a Canvas\'s stats per day, pushed again whenever they change. `endingAt` may be omitted here ("now" at each poll) with `length`; a `startingAt` window needs its `endingAt`. Breakdowns follow this subscription\'s selection as for the query.',
  },
});

export const CanvasRef = builder.objectRef<CanvasView>('Canvas').implement({
  description:
    "A Braze Canvas, identified by its Canvas API identifier. A federation entity keyed by `id`: other subgraphs reference it by id and get its details and stats from here. Each field has one value whatever the path (`canvases`, `canvas`, a federation reference): fields that `GET /canvas/list` does not carry are loaded from `GET /canvas/details`, and the one only the list carries (`lastEditedAt`) is looked up in the list, once per Canvas per request.",
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Canvas API identifier (Braze `id`, `canvas_id`).' }),
    name: t.string({ description: 'Canvas name.', resolve: async (canvas, _args, context) => canvas.listed?.name ?? (await details(canvas, context)).name }),
    tags: t.stringList({
      description: 'Tag names associated with the Canvas.',
      resolve: async (canvas, _args, context) => canvas.listed?.tags ?? (await details(canvas, context)).tags,
    }),
    lastEditedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description:
        'When the Canvas was last edited (Braze `last_edited`, from `GET /canvas/list` whatever the path: a Canvas reached by id or as an entity is looked up in the list, archived ones included, oldest first, 100 a page, once per request and only when this field is asked; the pages are cached by the list rule). Null when Braze does not say, or the list does not have the Canvas. `updatedAt` is the details\' own date.',
      resolve: async (canvas, _args, context) => (await listEntry(canvas, context))?.lastEdited ?? null,
    }),
    description: t.string({ nullable: true, description: `Canvas description (${DETAILS}).`, resolve: async (canvas, _args, context) => (await details(canvas, context)).description }),
    archived: t.boolean({ nullable: true, description: `Whether the Canvas is archived (${DETAILS}).`, resolve: async (canvas, _args, context) => (await details(canvas, context)).archived }),
    draft: t.boolean({ nullable: true, description: `Whether the Canvas is a draft (${DETAILS}).`, resolve: async (canvas, _args, context) => (await details(canvas, context)).draft }),
    enabled: t.boolean({ nullable: true, description: `Whether the Canvas is active (${DETAILS}).`, resolve: async (canvas, _args, context) => (await details(canvas, context)).enabled }),
    hasPostLaunchDraft: t.boolean({
      nullable: true,
      description: `Whether the Canvas has a post-launch draft (${DETAILS}).`,
      resolve: async (canvas, _args, context) => (await details(canvas, context)).hasPostLaunchDraft,
    }),
    scheduleType: t.string({ nullable: true, description: `The type of scheduling action (${DETAILS}).`, resolve: async (canvas, _args, context) => (await details(canvas, context)).scheduleType }),
    channels: t.stringList({ description: `The step channels the Canvas uses (${DETAILS}).`, resolve: async (canvas, _args, context) => (await details(canvas, context)).channels }),
    teams: t.stringList({ description: `The names of the Teams associated with the Canvas (${DETAILS}).`, resolve: async (canvas, _args, context) => (await details(canvas, context)).teams }),
    createdAt: t.field({ type: 'DateTime', nullable: true, description: `When the Canvas was created (${DETAILS}).`, resolve: async (canvas, _args, context) => (await details(canvas, context)).createdAt }),
    updatedAt: t.field({ type: 'DateTime', nullable: true, description: `When the Canvas was last updated (${DETAILS}).`, resolve: async (canvas, _args, context) => (await details(canvas, context)).updatedAt }),
    firstEntryAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: `When the first user entered the Canvas (Braze \`first_entry\`, ${DETAILS}); null before any entry.`,
      resolve: async (canvas, _args, context) => (await details(canvas, context)).firstEntry,
    }),
    lastEntryAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: `When the last user entered the Canvas (Braze \`last_entry\`, ${DETAILS}).`,
      resolve: async (canvas, _args, context) => (await details(canvas, context)).lastEntry,
    }),
    variants: t.field({ type: [CanvasVariantRef], description: `The Canvas's variants (${DETAILS}).`, resolve: async (canvas, _args, context) => (await details(canvas, context)).variants }),
    steps: t.field({ type: [CanvasStepRef], description: `The Canvas's steps (${DETAILS}).`, resolve: async (canvas, _args, context) => (await details(canvas, context)).steps }),
    series: series(t),
    summary: t.field({
      type: CanvasStatsRef,
      nullable: true,
      description:
        "The Canvas's stats rolled up over the window (Braze `GET /canvas/data_summary`); same arguments and breakdown rules as `series`. Null, with an error for this field only, when the arguments are invalid or Braze fails.",
      args: canvasStatsArgs,
      resolve: ({ id }, args, context, info) => resolveCanvasSummary(id, toCanvasWindow(args), toBreakdowns(args, info), context),
    }),
  }),
});

asKeyedEntity(CanvasRef, 'id', MAX_ID_LENGTH);

const CanvasConnectionRef = connectionOf<CanvasView>(
  'Canvas',
  CanvasRef,
  'Canvases, oldest or newest first as Braze lists them (Braze `GET /canvas/list`).',
);

builder.queryFields((t) => ({
  canvases: t.field({
    type: CanvasConnectionRef,
    nullable: true,
    description:
      "The workspace's Canvases (Braze `GET /canvas/list`, 100 a page, oldest first unless `sortDirection` says newest). Reads only the Braze pages this page needs. Null, with an error for this field only, when the arguments are invalid or Braze fails.",
    args: {
      ...connectionArgs,
      includeArchived: t.arg.boolean({
        defaultValue: false,
        description: 'Whether archived Canvases are listed too; stopped but not archived ones always are. Braze `include_archived`, sent only when true.',
      }),
      lastEditedAfter: t.arg({
        type: 'DateTime',
        description: 'Only Canvases edited after this instant. Braze `last_edit.time[gt]`, sent in UTC to the second (cut down, so nothing edited after the instant is left out).',
      }),
      ...sortDirectionArg,
    },
    resolve: (_root, args, context) => {
      const includeArchived = args.includeArchived ?? false;
      const lastEditedAfter = args.lastEditedAfter ?? undefined;
      const sortDirection = args.sortDirection ?? 'asc';
      return pagedConnection(args, CANVAS_LIST_PAGE_SIZE, async (page) =>
        (await context.loader.load(canvasListEndpoint, { page, includeArchived, lastEditedAfter, sortDirection })).answer.map((listed) => ({ id: listed.id, listed })),
      );
    },
  }),
  canvas: t.field({
    type: CanvasRef,
    nullable: true,
    description:
      "A Canvas by its API identifier (Braze `GET /canvas/details`, one call however many of its fields are asked for). Braze does not document its answer for an unknown id: the field is null with Braze's error (its code says which), never a silent null.",
    args: {
      id: t.arg.id({ required: true, description: 'Canvas API identifier, from `canvases` or the Canvas page of the dashboard. Braze `canvas_id`.' }),
    },
    resolve: async (_root, args, context) => {
      const canvas: CanvasView = { id: checkId(String(args.id), 'id') };
      // Asked now so an unknown id fails this field; the Canvas's fields get the same answer.
      await details(canvas, context);
      return canvas;
    },
  }),
}));
