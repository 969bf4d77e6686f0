import { NoSchemaIntrospectionCustomRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Refuses `__schema` and `__type` queries during validation (graphql-js's own rule), so a gateway
 * that hides its schema makes no upstream call for such a document. `__typename` stays allowed.
 * Default: not installed; the gateway adds it when INTROSPECTION_ENABLED=false.
 */
export function useDisableIntrospection(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(NoSchemaIntrospectionCustomRule);
    },
  };
}
