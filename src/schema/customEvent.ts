import { builder } from './builder.js';
import { asKeyedEntity } from './entityRepresentations.js';
import { eventSeries, EventSeriesRef, eventWindowArgs } from './eventSeries.js';
import { checkName, MAX_NAME_LENGTH } from './arguments.js';
import { resolveSeries } from './seriesField.js';

/** A custom event, known by its name: the entity other subgraphs point at. */
export interface CustomEvent {
  readonly name: string;
}

export const CustomEventRef = builder.objectRef<CustomEvent>('CustomEvent').implement({
  description:
    'A Braze custom event, identified by its name. A federation entity keyed by `name`: other subgraphs reference it by name and get its series from here.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The custom event name, exactly as tracked in Braze.' }),
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
