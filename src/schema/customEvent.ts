import { builder } from './builder.js';
import { asKeyedEntity } from './entityRepresentations.js';
import { eventSeries, EventSeriesRef, eventWindowArgs } from './eventSeries.js';
import { checkName, MAX_NAME_LENGTH } from './arguments.js';
import { resolveSeries } from './seriesField.js';
import { eventExportEndpoint } from '../endpoints/eventExport.js';
import { byNameIn } from './cursorList.js';
import { nameId, nameIdDescription } from './nameIds.js';
import { NodeRef } from './node.js';

/** The event's entry in `GET /events`, found once per request (see byNameIn). */
const exported = byNameIn(eventExportEndpoint);

const FROM_EVENTS =
  'from Braze `GET /events`, read page by page (50 a page, list bucket) only when a field of it is asked, until the event is found; once per request, cached by the list rule';
const UNLISTED = 'when `GET /events` does not list this event';

/** A custom event, known by its name: the entity other subgraphs point at. */
export interface CustomEvent {
  readonly name: string;
}

export const CustomEventRef = builder.objectRef<CustomEvent>('CustomEvent').implement({
  description:
    'A Braze custom event, identified by its name. A federation entity keyed by `name`: other subgraphs reference it by name and get its series from here.',
  interfaces: [NodeRef],
  fields: (t) => ({
    id: t.id({ description: nameIdDescription('CustomEvent'), resolve: ({ name }) => nameId('CustomEvent', name) }),
    name: t.exposeString('name', { description: 'The custom event name, exactly as tracked in Braze.' }),
    description: t.string({
      nullable: true,
      description: `The event's description (Braze \`description\`, ${FROM_EVENTS}); null when it has none, or ${UNLISTED}.`,
      resolve: async ({ name }, _args, context) => (await exported(context.loader, name))?.description ?? null,
    }),
    tags: t.stringList({
      nullable: true,
      description: `The tag names of the event (Braze \`tag_names\`, ${FROM_EVENTS}); null ${UNLISTED}.`,
      resolve: async ({ name }, _args, context) => (await exported(context.loader, name))?.tags ?? null,
    }),
    includedInAnalyticsReport: t.boolean({
      nullable: true,
      description: `Whether the event is included in analytics reports (Braze \`included_in_analytics_report\`, ${FROM_EVENTS}); null ${UNLISTED}, or when Braze does not say.`,
      resolve: async ({ name }, _args, context) => (await exported(context.loader, name))?.includedInAnalyticsReport ?? null,
    }),
    status: t.string({
      nullable: true,
      description: `The event's status as Braze words it, e.g. "Active" (Braze \`status\`, ${FROM_EVENTS}); null ${UNLISTED}, or when Braze does not say.`,
      resolve: async ({ name }, _args, context) => (await exported(context.loader, name))?.status ?? null,
    }),
    series: t.field({
      type: EventSeriesRef,
      nullable: true,
      description:
        'Counts of this event over time (Braze `GET /events/data_series`). Fields of one request asking the same series, through any number of entities, share one upstream call.',
      args: eventWindowArgs,
      resolve: ({ name }, args, context, info) => resolveSeries(eventSeries, { ...args, event: name }, context, undefined, info),
    }),
  }),
});

asKeyedEntity(CustomEventRef, 'name', MAX_NAME_LENGTH);

builder.queryField('customEvent', (t) =>
  t.field({
    type: CustomEventRef,
    nullable: true,
    description: 'A custom event by name, to reach its series. Makes no upstream call by itself.',
    args: {
      name: t.arg.string({ required: true, description: 'The custom event name. Braze `event`.' }),
    },
    resolve: (_root, { name }) => ({ name: checkName(name, 'name') }),
  }),
);
