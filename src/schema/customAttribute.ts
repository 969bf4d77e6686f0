import { customAttributeExportEndpoint, type ExportedAttribute } from '../endpoints/customAttributeExport.js';
import { MAX_NAME_LENGTH } from './arguments.js';
import { builder } from './builder.js';
import { connectionArgs, connectionOf } from './connection.js';
import type { GatewayContext } from './context.js';
import { byNameIn, cursorConnection, MAX_CURSOR_PAGES } from './cursorList.js';
import { asKeyedEntity } from './entityRepresentations.js';
import { nameId, nameIdDescription } from './nameIds.js';
import { NodeRef } from './node.js';

/**
 * A custom attribute, known by its name; what `GET /custom_attributes` said of it when it came from
 * that list. Reached by name only (a federation representation), its entry is looked up in the list.
 */
export interface CustomAttributeView {
  readonly name: string;
  readonly listed?: ExportedAttribute;
}

const lookup = byNameIn(customAttributeExportEndpoint);

/** The attribute's entry: the one it was listed with, else the list's entry of that name (undefined when the list has none). */
async function entryOf({ name, listed }: CustomAttributeView, context: GatewayContext): Promise<ExportedAttribute | undefined> {
  return listed ?? (await lookup(context.loader, name));
}

const UNLISTED = 'when `GET /custom_attributes` does not list this name (an attribute reached by name only)';

export const CustomAttributeRef = builder.objectRef<CustomAttributeView>('CustomAttribute').implement({
  description:
    'A Braze custom attribute, identified by its name, as `GET /custom_attributes` describes it: what a picker needs to offer it (type, description, tags, status). A federation entity keyed by `name`: other subgraphs reference it by name; its other fields are then looked up in the list (once per request).',
  interfaces: [NodeRef],
  fields: (t) => ({
    id: t.id({ description: nameIdDescription('CustomAttribute'), resolve: ({ name }) => nameId('CustomAttribute', name) }),
    name: t.exposeString('name', { description: 'The custom attribute name, exactly as set in Braze (Braze `name`).' }),
    dataType: t.string({
      nullable: true,
      description: `Braze's data type of the attribute, as Braze names it ("Number", "String", "Boolean", "Time", "Array", "Object", …; Braze \`data_type\`); null ${UNLISTED}.`,
      resolve: async (attribute, _args, context) => (await entryOf(attribute, context))?.dataType ?? null,
    }),
    description: t.string({
      nullable: true,
      description: `The attribute's description (Braze \`description\`); null when it has none, or ${UNLISTED}.`,
      resolve: async (attribute, _args, context) => (await entryOf(attribute, context))?.description ?? null,
    }),
    tags: t.stringList({
      nullable: true,
      description: `The tag names of the attribute (Braze \`tag_names\`); null ${UNLISTED}.`,
      resolve: async (attribute, _args, context) => (await entryOf(attribute, context))?.tags ?? null,
    }),
    status: t.string({
      nullable: true,
      description: `The attribute's status as Braze words it, e.g. "Active" (Braze \`status\`); null ${UNLISTED}.`,
      resolve: async (attribute, _args, context) => (await entryOf(attribute, context))?.status ?? null,
    }),
    arrayLength: t.field({
      type: 'SafeInt',
      nullable: true,
      description: `The maximum length of an array attribute (Braze \`array_length\`); null when not applicable, or ${UNLISTED}.`,
      resolve: async (attribute, _args, context) => (await entryOf(attribute, context))?.arrayLength ?? null,
    }),
  }),
});

asKeyedEntity(CustomAttributeRef, 'name', MAX_NAME_LENGTH);

const CustomAttributeConnectionRef = connectionOf<CustomAttributeView>(
  'CustomAttribute',
  CustomAttributeRef,
  'Custom attributes, sorted alphabetically as Braze sorts them (Braze `GET /custom_attributes`).',
);

builder.queryField('customAttributes', (t) =>
  t.field({
    type: CustomAttributeConnectionRef,
    nullable: true,
    description: `The workspace's custom attributes with their data type, description, tags, status and array length, to pick from (Braze \`GET /custom_attributes\`, 50 a page). Braze names each next page in a Link header, so its pages are read from the first, one after another, only as far as this page needs (at most ${MAX_CURSOR_PAGES}: TOO_MANY_UPSTREAM_CALLS beyond). They are in Braze's 1,000-an-hour list bucket and kept in the cache for CACHE_TTL_PAST_MS (the list rule): paging on costs cache reads. Null, with an error for this field only, when the arguments are invalid or Braze fails.`,
    args: connectionArgs,
    resolve: (_root, args, context) => cursorConnection(args, context.loader, customAttributeExportEndpoint, (listed): CustomAttributeView => ({ name: listed.name, listed })),
  }),
);
