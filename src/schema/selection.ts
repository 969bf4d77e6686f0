import { getDirectiveValues, GraphQLIncludeDirective, GraphQLSkipDirective, Kind, type GraphQLResolveInfo, type SelectionNode, type SelectionSetNode } from 'graphql';

/**
 * Which of `names` are selected anywhere below the field being resolved: in its own selection set, in
 * nested fields, inline fragments and named fragments, leaving out what `@skip`/`@include` remove.
 * Lets a field ask Braze only for the parts of an answer its query reads (Canvas breakdowns).
 */
export function selectedFieldNames(info: GraphQLResolveInfo, names: ReadonlySet<string>): Set<string> {
  const found = new Set<string>();
  const visited = new Set<string>();
  const walk = (selectionSet: SelectionSetNode | undefined): void => {
    if (!selectionSet) return;
    for (const selection of selectionSet.selections) {
      if (!included(selection, info.variableValues)) continue;
      if (selection.kind === Kind.FIELD) {
        if (names.has(selection.name.value)) found.add(selection.name.value);
        walk(selection.selectionSet);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet);
      } else {
        // A fragment spread once is walked once: what it selects does not depend on where it is spread.
        const name = selection.name.value;
        if (visited.has(name)) continue;
        visited.add(name);
        walk(info.fragments[name]?.selectionSet);
      }
    }
  };
  // Occurrences of the field under one response key are merged into one: each brings its selections.
  for (const node of info.fieldNodes) walk(node.selectionSet);
  return found;
}

function included(node: SelectionNode, variables: GraphQLResolveInfo['variableValues']): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.['if'] === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.['if'] !== false;
}
