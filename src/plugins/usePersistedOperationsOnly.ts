import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import { PersistedOperationError } from '../errors/gatewayErrors.js';

export interface PersistedOperationsOnlyOptions {
  /** The manifest, { id: document }, e.g. codegen's persisted-documents.json (ids like `sha256:<hex>`). */
  operations: ReadonlyMap<string, string>;
}

/** Request parameter names yoga must let through: the GraphQL-over-HTTP persisted-documents field. */
export const PERSISTED_OPERATION_PARAMS = ['documentId'];

/**
 * Persisted-operations mode (PERSISTED_OPERATIONS_FILE): only operations in the manifest run, so a
 * production gateway serves exactly what its frontends were built with. A request names its
 * operation by `documentId` (what the client preset's docs send), or by Apollo's
 * `extensions.persistedQuery.sha256Hash` (the bare hex; looked up as `sha256:<hex>` too). A document
 * sent as `query` is refused with PERSISTED_QUERY_ID_REQUIRED, an unknown id with
 * PERSISTED_QUERY_NOT_IN_LIST, both before parsing. Default: not installed.
 */
export function usePersistedOperationsOnly({ operations }: PersistedOperationsOnlyOptions): Plugin {
  const idRequired = () =>
    new PersistedOperationError(
      'PERSISTED_QUERY_ID_REQUIRED',
      'This gateway runs persisted operations only: send documentId (or extensions.persistedQuery.sha256Hash) from its manifest instead of a query',
    );
  return usePersistedOperations({
    allowArbitraryOperations: false,
    extractPersistedOperationId: (params, request) => persistedOperationId(params, request),
    getPersistedOperation: (id) => operations.get(id) ?? operations.get(`sha256:${id}`) ?? null,
    customErrors: {
      persistedQueryOnly: idRequired,
      keyNotFound: idRequired,
      notFound: () =>
        new PersistedOperationError('PERSISTED_QUERY_NOT_IN_LIST', "This operation id is not in the gateway's persisted-operations manifest"),
    },
  });
}

function persistedOperationId(params: GraphQLParams & { documentId?: unknown }, request: Request): string | null {
  if (typeof params.documentId === 'string') return params.documentId;
  // Yoga's GET parser keeps only the four standard parameters.
  if (request.method === 'GET') {
    const fromUrl = new URL(request.url).searchParams.get('documentId');
    if (fromUrl) return fromUrl;
  }
  const persistedQuery: unknown = params.extensions?.['persistedQuery'];
  if (persistedQuery !== null && typeof persistedQuery === 'object' && 'sha256Hash' in persistedQuery) {
    const { sha256Hash } = persistedQuery;
    if (typeof sha256Hash === 'string') return sha256Hash;
  }
  return null;
}
