import { BadUserInputError } from '../errors/gatewayErrors.js';
import { builder } from './builder.js';
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

builder.asEntity(CustomEventRef, {
  key: builder.selection<{ name: string }>('name'),
  // Costs nothing: an event needs no lookup to exist, its series are fetched when asked for. The
  // representation comes from the caller as it is (`_Any`), whatever the key's declared type says.
  // A rejection, not a throw: federation resolves the representations of a call in one synchronous
  // map, so a throw would fail all of them.
  resolveReference: ({ name }: { name: unknown }) =>
    typeof name === 'string' && name.trim() !== '' && name.length <= MAX_NAME_LENGTH
      ? { name }
      : Promise.reject(
          new BadUserInputError(`A CustomEvent representation needs its key: name, a non-empty string of at most ${MAX_NAME_LENGTH} characters`, 'representations'),
        ),
});

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
