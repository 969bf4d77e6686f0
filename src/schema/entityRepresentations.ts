import type { ObjectRef, SchemaTypes } from '@pothos/core';
import { getNamedType, isUnionType, type GraphQLSchema } from 'graphql';
import { BadUserInputError } from '../errors/gatewayErrors.js';
import { builder } from './builder.js';

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T extends SchemaTypes> ? T : never;

/**
 * Makes `ref` a federation entity keyed by one string field (`id`, `name`), which costs nothing to
 * resolve: its fields that need more load it. The representation comes from the caller as it is
 * (`_Any`), whatever the key's declared type says: a key that is not a non-empty string of at most
 * `maxLength` characters is BAD_USER_INPUT. A rejection, not a throw: federation resolves a call's
 * representations in one synchronous map, so a throw would fail all of them.
 */
export function asKeyedEntity<Key extends string, Shape extends Readonly<Record<Key, string>>>(ref: ObjectRef<Types, Shape>, key: Key, maxLength: number): void {
  builder.asEntity(ref, {
    // Pothos spells the selections it accepts from a literal shape; `key` is the shape's one field, by the signature.
    key: builder.selection<Record<Key, string>>(key as never),
    resolveReference: (representation: Readonly<Record<Key, unknown>>) => {
      const value = representation[key];
      // A view of the entity with only its key is one: its other parts are optional.
      if (typeof value === 'string' && value.trim() !== '' && value.length <= maxLength) return { [key]: value } as Shape;
      return Promise.reject(new BadUserInputError(`A ${ref.name} representation needs its key: ${key}, a non-empty string of at most ${maxLength} characters`, 'representations'));
    },
  });
}

/**
 * Why a federation representation cannot be resolved by any entity type here, if it cannot. Key
 * fields are the entity's own business (its `resolveReference`); this checks only what every
 * representation needs: to be an object naming one of `entityTypes` in `__typename`.
 */
export function representationProblem(representation: unknown, entityTypes: ReadonlySet<string>): BadUserInputError | undefined {
  const expected = [...entityTypes].join(', ');
  if (representation === null || typeof representation !== 'object' || Array.isArray(representation)) {
    return new BadUserInputError(`An entity representation must be an object with __typename (${expected}) and the key fields`, 'representations');
  }
  const { __typename } = representation as { __typename?: unknown };
  if (typeof __typename !== 'string') {
    return new BadUserInputError(`An entity representation needs __typename: ${expected}`, 'representations');
  }
  if (!entityTypes.has(__typename)) {
    return new BadUserInputError(`${JSON.stringify(__typename)} is not an entity type of this subgraph; __typename must be ${expected}`, 'representations');
  }
  return undefined;
}

/**
 * Makes `_entities` answer a malformed representation with BAD_USER_INPUT at its own index
 * (`["_entities", i]`, the entry null) and resolve the others. Federation's resolver throws a plain
 * Error for an unknown `__typename`, which fails every representation of the call and is masked as
 * an internal error logged with a stack; routers already expect errors per entry. Changes the
 * schema's `_entities` field in place and returns the schema.
 */
export function guardEntityRepresentations(schema: GraphQLSchema): GraphQLSchema {
  const field = schema.getQueryType()?.getFields()['_entities'];
  const resolveEntities = field?.resolve;
  if (!field || !resolveEntities) return schema;
  const entityUnion = getNamedType(field.type);
  const entityTypes = new Set(isUnionType(entityUnion) ? entityUnion.getTypes().map((type) => type.name) : []);
  field.resolve = async (source, args, context, info) => {
    // `representations: [_Any!]!`: graphql-js has already made it a list without nulls.
    const representations = args['representations'] as readonly unknown[];
    const problems = representations.map((representation) => representationProblem(representation, entityTypes));
    const valid = representations.filter((_, index) => problems[index] === undefined);
    const resolved = (await resolveEntities(source, { ...args, representations: valid }, context, info)) as readonly unknown[];
    let next = 0;
    // graphql-js turns an Error in a list into that entry's error, located at its index.
    return representations.map((_, index) => problems[index] ?? resolved[next++]);
  };
  return schema;
}
