/**
 * Ids of the entities Braze knows by name alone (products, custom events, custom attributes): the
 * type name, a colon and the name, exactly. Stable (the name is the entity), unique across types (a
 * product and an event may share a name), readable, and cheap to turn back into the entity: what a
 * normalized cache (Apollo Client, graphcache, Relay) needs of an `id`, at no Braze call.
 */
export type NamedEntityType = 'Product' | 'CustomEvent' | 'CustomAttribute';

export const NAMED_ENTITY_TYPES: readonly NamedEntityType[] = ['Product', 'CustomEvent', 'CustomAttribute'];

export function nameId(type: NamedEntityType, name: string): string {
  return `${type}:${name}`;
}

/** The type and name an id of nameId stands for; undefined for any other string. */
export function parseNameId(id: string): { readonly type: NamedEntityType; readonly name: string } | undefined {
  const colon = id.indexOf(':');
  if (colon < 0) return undefined;
  const type = NAMED_ENTITY_TYPES.find((candidate) => candidate === id.slice(0, colon));
  return type === undefined ? undefined : { type, name: id.slice(colon + 1) };
}

/** The `id` field's description for `type`. */
export function nameIdDescription(type: NamedEntityType): string {
  return `A stable identifier derived from the name: \`${type}:\` followed by the name, exactly (\`${nameId(type, 'purchase')}\` for "purchase"). Unique across types, for caches that normalize by id (Apollo Client, graphcache, Relay).`;
}
