import { BadUserInputError } from '../errors/gatewayErrors.js';
import { checkName, MAX_NAME_LENGTH } from './arguments.js';
import { builder } from './builder.js';
import { NAMED_ENTITY_TYPES, nameId, parseNameId, type NamedEntityType } from './nameIds.js';

/**
 * What `node(id:)` resolves to: the entity's name and, since every named entity has that shape, its
 * type. The types themselves resolve `id` from the name (nameId).
 */
export interface NodeView {
  readonly name: string;
  readonly nodeType?: NamedEntityType;
}

/**
 * Relay's Node interface, for the entities whose id alone says what they are: those Braze knows by
 * name (`Product:<name>`, `CustomEvent:<name>`, `CustomAttribute:<name>`), so `node(id:)` needs no Braze
 * call to find one. Campaigns, Canvases and segments keep Braze's own ids, which do not say their type:
 * `node` would have to ask Braze each kind in turn, so they are reached by `campaign(id:)`, `canvas(id:)`
 * and `segment(id:)` instead.
 */
export const NodeRef = builder.interfaceRef<NodeView>('Node').implement({
  description:
    'An object with a global id (Relay\'s Node): the entities Braze knows by name, whose `id` is their type, a colon and their name. Refetch one with `node(id:)`.',
  fields: (t) => ({
    id: t.id({
      description: 'A stable identifier, unique across types: the type, a colon and the name.',
      resolve: ({ name, nodeType }) => {
        // Each implementing type resolves its own id; this one answers only for node(id:)'s values.
        if (nodeType === undefined) throw new Error('a Node without its type');
        return nameId(nodeType, name);
      },
    }),
  }),
  resolveType: ({ nodeType }) => nodeType ?? null,
});

const FORMAT = `${NAMED_ENTITY_TYPES.map((type) => `\`${type}:<name>\``).join(', ')}`;

builder.queryField('node', (t) =>
  t.field({
    type: NodeRef,
    nullable: true,
    description: `The object with this global id (Relay's \`node\`): ${FORMAT}, as their \`id\` field gives it. Makes no upstream call by itself; the fields asked of it do. Any other id (a campaign's, a Canvas's or a segment's Braze id among them) is BAD_USER_INPUT: reach those by \`campaign(id:)\`, \`canvas(id:)\`, \`segment(id:)\`.`,
    args: { id: t.arg.id({ required: true, description: `A global id: ${FORMAT}.` }) },
    resolve: (_root, args) => {
      const id = String(args.id);
      const parsed = id.length <= MAX_NAME_LENGTH + 32 ? parseNameId(id) : undefined;
      if (!parsed) throw new BadUserInputError(`id must be a global id, ${NAMED_ENTITY_TYPES.map((type) => `${type}:<name>`).join(', ')}; reach campaigns, Canvases and segments by campaign(id:), canvas(id:), segment(id:)`, 'id');
      return { name: checkName(parsed.name, 'id'), nodeType: parsed.type };
    },
  }),
);
