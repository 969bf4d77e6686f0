import type { GraphQLError } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

/**
 * Removes `extensions.originalError` from every error in a response. Yoga attaches it itself to
 * request-parsing errors, which the masking never sees: for a body that is not JSON it holds
 * JSON.parse's message, which quotes the caller's body back. Default: installed by the gateway.
 */
export function useNoOriginalErrors(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || !('errors' in result) || !result.errors?.some(hasOriginalError)) return;
      setResult({ ...result, errors: result.errors.map((error) => (hasOriginalError(error) ? withoutOriginalError(error) : error)) });
    },
  };
}

function hasOriginalError(error: GraphQLError): boolean {
  return error.extensions?.['originalError'] !== undefined;
}

function withoutOriginalError(error: GraphQLError): GraphQLError {
  const { originalError: _dropped, ...extensions } = error.extensions;
  // Yoga answers such an error 400 only while originalError is there (else 200 for application/json,
  // when the status is marked `spec`); the status it chose is kept, unmarked.
  const http = extensions['http'];
  if (isRecord(http) && 'spec' in http) {
    const { spec: _spec, ...kept } = http;
    extensions['http'] = kept;
  }
  return createGraphQLError(error.message, {
    ...(error.nodes ? { nodes: error.nodes } : {}),
    ...(error.path ? { path: error.path } : {}),
    extensions,
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
