import type { GatewayContext } from './context.js';
import { segmentDetailsEndpoint, type SegmentDetails } from '../endpoints/segmentDetails.js';
import { SEGMENT_LIST_PAGE_SIZE, segmentListEndpoint, type SegmentListEntry } from '../endpoints/segmentList.js';
import { checkId, MAX_ID_LENGTH } from './arguments.js';
import { builder } from './builder.js';
import { asKeyedEntity } from './entityRepresentations.js';
import { byIdIn } from './listedById.js';
import { connectionArgs, connectionOf, pagedConnection } from './connection.js';
import { sortDirectionArg } from './sortDirection.js';
import { segmentSizeSeries, SegmentSizeSeriesRef } from './segmentSizeSeries.js';
import { seriesEntityField } from './seriesField.js';

/**
 * A segment as resolved: its id, and what /segments/list said of it when it came from the list. What
 * the list does not carry is loaded from /segments/details when asked for, once per request per id.
 */
export interface SegmentView {
  readonly id: string;
  readonly listed?: SegmentListEntry;
}

async function details({ id }: SegmentView, context: GatewayContext): Promise<SegmentDetails> {
  return (await context.loader.load(segmentDetailsEndpoint, { segmentId: id })).answer;
}

const lookup = byIdIn(async (loader, page) => (await loader.load(segmentListEndpoint, { page, sortDirection: 'asc' })).answer, SEGMENT_LIST_PAGE_SIZE);

/**
 * The segment's entry in /segments/list: the one it was listed with, else looked up in the list (only
 * when a field that only the list carries is asked), so such a field has one value whatever the path.
 */
async function listEntry({ id, listed }: SegmentView, context: GatewayContext): Promise<SegmentListEntry | undefined> {
  return listed ?? (await lookup(context.loader, id));
}

/** `Segment.sizeSeries`, and its live twin `segmentSize(segmentId, …)`. */
const sizeSeries = seriesEntityField(segmentSizeSeries, {
  type: SegmentSizeSeriesRef,
  description:
    "The segment's estimated size per day (Braze `GET /segments/data_series`). Fields of one request asking the same series, through any number of segments, share one upstream call.",
  key: { name: 'segmentId', description: 'The segment API identifier. Braze `segment_id`.' },
  live: {
    field: 'segmentSize',
    type: 'LiveSegmentSizeSeries',
    what: 'segment size series',
    description: "`Segment.sizeSeries`, live: a segment's estimated size per day, pushed again whenever it changes.",
  },
});

export const SegmentRef = builder.objectRef<SegmentView>('Segment').implement({
  description:
    'A Braze segment, identified by its segment API identifier. A federation entity keyed by `id`: other subgraphs reference it by id and get its details and sizes from here. Each field has one value whatever the path (`segments`, `segment`, a federation reference): fields that `GET /segments/list` does not carry are loaded from `GET /segments/details`, and the one only the list carries is looked up in the list, once per segment per request.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Segment API identifier (Braze `id`, `segment_id`).' }),
    name: t.string({
      description: 'Segment name.',
      resolve: async (segment, _args, context) => segment.listed?.name ?? (await details(segment, context)).name,
    }),
    analyticsTrackingEnabled: t.boolean({
      nullable: true,
      description:
        'Whether the segment has analytics tracking enabled (Braze `analytics_tracking_enabled`, from `GET /segments/list` whatever the path: a segment reached by id or as an entity is looked up in the list, oldest first, 100 a page, once per request and only when this field is asked; the pages are cached by the list rule and shared with `segments`). Null when the list does not have the segment (Braze leaves archived segments out).',
      resolve: async (segment, _args, context) => (await listEntry(segment, context))?.analyticsTrackingEnabled ?? null,
    }),
    tags: t.stringList({
      description: 'Tag names associated with the segment, formatted as strings.',
      resolve: async (segment, _args, context) => segment.listed?.tags ?? (await details(segment, context)).tags,
    }),
    description: t.string({
      nullable: true,
      description: 'A human-readable description of the filters (Braze `description`, from `GET /segments/details`).',
      resolve: async (segment, _args, context) => (await details(segment, context)).description,
    }),
    textDescription: t.string({
      nullable: true,
      description: 'The segment description (Braze `text_description`, from `GET /segments/details`).',
      resolve: async (segment, _args, context) => (await details(segment, context)).textDescription,
    }),
    teams: t.stringList({
      nullable: true,
      description: 'The names of the Teams associated with the segment (Braze `teams`, from `GET /segments/details`).',
      resolve: async (segment, _args, context) => (await details(segment, context)).teams,
    }),
    createdAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the segment was created (Braze `created_at`; a date alone is midnight UTC). Null when Braze does not say.',
      resolve: async (segment, _args, context) => (await details(segment, context)).createdAt,
    }),
    updatedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the segment was last updated (Braze `updated_at`; a date alone is midnight UTC). Null when Braze does not say.',
      resolve: async (segment, _args, context) => (await details(segment, context)).updatedAt,
    }),
    sizeSeries: sizeSeries(t),
  }),
});

asKeyedEntity(SegmentRef, 'id', MAX_ID_LENGTH);

const SegmentConnectionRef = connectionOf<SegmentView>(
  'Segment',
  SegmentRef,
  'Segments, oldest or newest first as Braze lists them (Braze `GET /segments/list`; archived segments are not included).',
);

builder.queryFields((t) => ({
  segments: t.field({
    type: SegmentConnectionRef,
    nullable: true,
    description:
      "The workspace's segments, to pick from (Braze `GET /segments/list`, 100 a page, oldest first unless `sortDirection` says newest; archived segments are not included). Reads only the Braze pages this page needs. Null, with an error for this field only, when the arguments are invalid or Braze fails.",
    args: { ...connectionArgs, ...sortDirectionArg },
    resolve: (_root, args, context) => {
      const sortDirection = args.sortDirection ?? 'asc';
      return pagedConnection(args, SEGMENT_LIST_PAGE_SIZE, async (page) =>
        (await context.loader.load(segmentListEndpoint, { page, sortDirection })).answer.map((listed) => ({ id: listed.id, listed })),
      );
    },
  }),
  segment: t.field({
    type: SegmentRef,
    nullable: true,
    description:
      "A segment by its API identifier (Braze `GET /segments/details`, one call however many of its fields are asked for). Braze does not document its answer for an unknown id: the field is null with Braze's error (its code says which), never a silent null.",
    args: {
      id: t.arg.id({ required: true, description: 'Segment API identifier, from the API Keys page of the dashboard or `segments`. Braze `segment_id`.' }),
    },
    resolve: async (_root, args, context) => {
      const segment: SegmentView = { id: checkId(String(args.id), 'id') };
      // Asked now so an unknown id fails this field; the segment's fields get the same answer.
      await details(segment, context);
      return segment;
    },
  }),
}));
