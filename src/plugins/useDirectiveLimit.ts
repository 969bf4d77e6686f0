import { Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { QueryTooComplexError } from '../errors/gatewayErrors.js';

/**
 * The most directives any operation of `document` runs with: those on the operation, its variables and
 * every selection, each fragment's counted once per spread that reaches it, the spread's own included.
 * graphql-armor's count dropped the spread's own directives from the second spread of a fragment on,
 * so `...F @defer` written 490 times counted as 1 directive under a limit of 50 and ran 490 deferred
 * parts. Linear in the document: a fragment's count is worked out once. A fragment that spreads itself
 * (refused by validation) counts 0 inside itself.
 */
export function countDirectives(document: DocumentNode): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const counted = new Map<string, number>();
  const counting = new Set<string>();

  const inFragment = (name: string): number => {
    const known = counted.get(name);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    if (fragment === undefined || counting.has(name)) return 0;
    counting.add(name);
    const count = (fragment.directives?.length ?? 0) + inSelections(fragment.selectionSet);
    counting.delete(name);
    counted.set(name, count);
    return count;
  };

  const inSelections = (selectionSet: SelectionSetNode | undefined): number => {
    let count = 0;
    for (const selection of selectionSet?.selections ?? []) {
      count += selection.directives?.length ?? 0;
      if (selection.kind === Kind.FRAGMENT_SPREAD) count += inFragment(selection.name.value);
      else count += inSelections(selection.selectionSet);
    }
    return count;
  };

  let most = 0;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const variables = (definition.variableDefinitions ?? []).reduce((sum, variable) => sum + (variable.directives?.length ?? 0), 0);
    most = Math.max(most, (definition.directives?.length ?? 0) + variables + inSelections(definition.selectionSet));
  }
  return most;
}

export interface DirectiveLimitOptions {
  /** Most directives an operation may run with (QUERY_MAX_DIRECTIVES). */
  maxDirectives: number;
}

/**
 * Refuses, before validation, a document an operation of which runs with more than `maxDirectives`
 * directives (see countDirectives) with QUERY_TOO_COMPLEX, `limit: maxDirectives`. Every `@defer` and
 * `@stream` is a directive, so this bounds how many parts an answer can be sent in.
 */
export function useDirectiveLimit({ maxDirectives }: DirectiveLimitOptions): Plugin {
  // Documents come from yoga's document cache, so the same object recurs: count each once.
  const counts = new WeakMap<DocumentNode, number>();
  return {
    onValidate({ params: { documentAST } }) {
      let count = counts.get(documentAST);
      if (count === undefined) counts.set(documentAST, (count = countDirectives(documentAST)));
      if (count > maxDirectives) {
        throw new QueryTooComplexError(`Directives limit of ${maxDirectives} exceeded, found ${count}.`, 'maxDirectives');
      }
    },
  };
}
