import {
  getNamedType,
  GraphQLNonNull,
  GraphQLString,
  isAbstractType,
  isCompositeType,
  isEnumType,
  isListType,
  isNonNullType,
  isScalarType,
  Kind,
  typeFromAST,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { SCALAR_SCHEMAS, type JsonSchema, type ObjectSchema } from './inputSchema.js';

/**
 * A tool result's `structuredContent` as JSON Schema (the tool's `outputSchema`), so an agent knows
 * the shape before it asks: `data` as the operation selects it, compacted as compactResult.ts does
 * (series points as `[time, value]` pairs, lists as `nodes` with `endCursor` and `hasNextPage`),
 * `errors` (each a gateway code and sentence) and `braze` (what it cost). Clients validate results
 * against it, so it claims only what every answer keeps: a field is required only when GraphQL
 * cannot leave it out or null it (non-null, selected on every type), nothing forbids more.
 * Written with keywords JSON Schema drafts 7 to 2020-12 read alike (no tuples: a pair is an array
 * of two).
 */
export function resultSchema(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: readonly FragmentDefinitionNode[]): ObjectSchema {
  const root = schema.getRootType(operation.operation);
  if (!root) throw new Error(`the schema has no ${operation.operation} type`);
  const byName = new Map(fragments.map((fragment) => [fragment.name.value, fragment]));
  return {
    type: 'object',
    properties: {
      data: { ...selectionSchema(schema, root, operation.selectionSet, byName), description: 'The answer, compacted: series points as [time, value] pairs, lists as nodes. Absent when the request failed whole.' },
      errors: {
        type: 'array',
        description: 'Present when the request was refused or a field failed: each with the gateway\'s stable code and its sentence.',
        items: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } }, required: ['code', 'message'] },
      },
      braze: {
        type: 'object',
        description: 'What answering cost Braze (absent when the call was refused before the gateway was asked).',
        properties: {
          calls: { type: 'integer' },
          attempts: { type: 'integer' },
          failedAttempts: { type: 'integer' },
          fromCache: { type: 'boolean' },
          cachedAnswers: { type: 'integer' },
          sharedAnswers: { type: 'integer' },
          sessionBudgetLeft: { type: 'integer' },
          buckets: { type: 'object' },
        },
        required: ['calls', 'attempts', 'failedAttempts', 'fromCache', 'cachedAnswers', 'sharedAnswers', 'sessionBudgetLeft', 'buckets'],
      },
    },
  };
}

/** A selected field as its response key sees it: the field's type, and whether every answer has it non-null. */
interface Selected {
  readonly type: GraphQLOutputType;
  readonly selectionSet: SelectionSetNode | undefined;
  /** Selected outside any type condition narrower than its parent: in every answer. */
  readonly always: boolean;
}

function selectionSchema(schema: GraphQLSchema, parent: GraphQLCompositeType, selectionSet: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): ObjectSchema {
  const fields = collect(schema, parent, selectionSet, fragments, true, new Map());
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [key, field] of fields) {
    const certain = field.always && isNonNullType(field.type);
    const compacted = compactedField(schema, key, field, fragments);
    for (const [name, property] of Object.entries(compacted.properties)) properties[name] = property;
    if (certain) required.push(...compacted.requiredWhenCertain);
  }
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}) };
}

/** The property (or properties) a selected field becomes once compacted, as compactResult.ts writes them. */
function compactedField(
  schema: GraphQLSchema,
  key: string,
  field: Selected,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): { properties: Record<string, JsonSchema>; requiredWhenCertain: string[] } {
  const nullable = !isNonNullType(field.type);
  const inner = isNonNullType(field.type) ? field.type.ofType : field.type;
  const named = getNamedType(field.type);
  // A list of objects of one time and one value: [[time, value], …].
  if (key === 'points' && isListType(inner) && isCompositeType(named) && field.selectionSet) {
    const point = collect(schema, named, field.selectionSet, fragments, true, new Map());
    const rest = [...point.keys()].filter((name) => name !== 'time' && name !== 'date');
    const timeKey = point.has('time') ? 'time' : point.has('date') ? 'date' : undefined;
    const measure = rest.length === 1 ? point.get(rest[0] as string) : undefined;
    if (timeKey !== undefined && measure !== undefined && !isCompositeType(getNamedType(measure.type))) {
      const time = leafSchema(getNamedType(point.get(timeKey)!.type), true);
      const value = leafSchema(getNamedType(measure.type), true);
      const pair: JsonSchema = { type: 'array', minItems: 2, maxItems: 2, items: { anyOf: [time, value] } };
      return { properties: { [key]: orNull({ type: 'array', items: pair, description: `[${timeKey}, ${rest[0]}] pairs` }, nullable) }, requiredWhenCertain: [key] };
    }
  }
  // edges → nodes (each edge's node); a null list stays `edges: null`.
  if (key === 'edges' && isListType(inner) && isCompositeType(named) && field.selectionSet) {
    const edge = collect(schema, named, field.selectionSet, fragments, true, new Map());
    const node = edge.get('node');
    const item = node ? fieldSchema(schema, node, fragments) : selectionSchema(schema, named, field.selectionSet, fragments);
    const nodes: JsonSchema = { type: 'array', items: item };
    return { properties: nullable ? { nodes, edges: { type: 'null' } } : { nodes }, requiredWhenCertain: ['nodes'] };
  }
  // pageInfo → its endCursor and hasNextPage beside the list; a null pageInfo stays `pageInfo: null`.
  if (key === 'pageInfo' && isCompositeType(inner) && field.selectionSet) {
    const page = collect(schema, inner, field.selectionSet, fragments, true, new Map());
    const properties: Record<string, JsonSchema> = {};
    const requiredWhenCertain: string[] = [];
    for (const name of ['endCursor', 'hasNextPage']) {
      const selected = page.get(name);
      if (!selected) continue;
      properties[name] = fieldSchema(schema, selected, fragments);
      if (!nullable && selected.always) requiredWhenCertain.push(name);
    }
    if (nullable) properties['pageInfo'] = { type: 'null' };
    return { properties, requiredWhenCertain };
  }
  return { properties: { [key]: fieldSchema(schema, field, fragments) }, requiredWhenCertain: [key] };
}

/** A field's value as GraphQL answers it (compacted within). */
function fieldSchema(schema: GraphQLSchema, field: Selected, fragments: ReadonlyMap<string, FragmentDefinitionNode>): JsonSchema {
  return typeSchema(schema, field.type, field.selectionSet, fragments);
}

function typeSchema(schema: GraphQLSchema, type: GraphQLOutputType, selectionSet: SelectionSetNode | undefined, fragments: ReadonlyMap<string, FragmentDefinitionNode>): JsonSchema {
  const nullable = !isNonNullType(type);
  const inner = isNonNullType(type) ? type.ofType : type;
  let out: JsonSchema;
  if (isListType(inner)) out = { type: 'array', items: typeSchema(schema, inner.ofType, selectionSet, fragments) };
  else if (isCompositeType(inner)) out = selectionSet ? selectionSchema(schema, inner, selectionSet, fragments) : { type: 'object' };
  else out = leafSchema(inner, false);
  return orNull(out, nullable);
}

/** A scalar's or enum's JSON (described when `describe`); a scalar the gateway does not define is left open. */
function leafSchema(type: ReturnType<typeof getNamedType>, describe: boolean): JsonSchema {
  if (isEnumType(type)) return { type: 'string', enum: type.getValues().map((value) => value.name) };
  if (!isScalarType(type)) return {};
  const known = SCALAR_SCHEMAS[type.name];
  if (!known) return {};
  return describe && type.description ? { ...known, description: type.description } : { ...known };
}

function orNull(schema: JsonSchema, nullable: boolean): JsonSchema {
  if (!nullable) return schema;
  return { anyOf: [schema, { type: 'null' }] };
}

/**
 * The fields a selection set answers, by response key, fragments merged. A field under a type
 * condition narrower than `parent` (an abstract type's member) is not `always`.
 */
function collect(
  schema: GraphQLSchema,
  parent: GraphQLCompositeType,
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  always: boolean,
  into: Map<string, Selected>,
): Map<string, Selected> {
  for (const selection of selectionSet.selections) {
    // @skip/@include may leave any field out.
    const conditional = (selection.directives ?? []).some((directive) => directive.name.value === 'skip' || directive.name.value === 'include');
    if (selection.kind === Kind.FIELD) {
      const key = selection.alias?.value ?? selection.name.value;
      const type = fieldType(parent, selection.name.value);
      const earlier = into.get(key);
      into.set(key, { type, selectionSet: mergeSets(earlier?.selectionSet, selection.selectionSet), always: (earlier?.always ?? false) || (always && !conditional) });
      continue;
    }
    const condition = selection.kind === Kind.INLINE_FRAGMENT ? selection.typeCondition : fragments.get(selection.name.value)?.typeCondition;
    const set = selection.kind === Kind.INLINE_FRAGMENT ? selection.selectionSet : fragments.get(selection.name.value)?.selectionSet;
    if (!set) continue;
    const narrowed = condition ? (typeFromAST(schema, condition) as GraphQLCompositeType | undefined) : parent;
    const onEvery = narrowed === parent || (narrowed !== undefined && !isAbstractType(parent));
    collect(schema, narrowed ?? parent, set, fragments, always && !conditional && onEvery, into);
  }
  return into;
}

function fieldType(parent: GraphQLCompositeType, name: string): GraphQLOutputType {
  if (name === '__typename') return new GraphQLNonNull(GraphQLString);
  if (!('getFields' in parent)) throw new Error(`${parent.name} has no field ${name}`);
  const field = parent.getFields()[name];
  if (!field) throw new Error(`${parent.name} has no field ${name}`);
  return field.type;
}

function mergeSets(a: SelectionSetNode | undefined, b: SelectionSetNode | undefined): SelectionSetNode | undefined {
  if (!a) return b;
  if (!b) return a;
  return { kind: Kind.SELECTION_SET, selections: [...a.selections, ...b.selections] };
}
