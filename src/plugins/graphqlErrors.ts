import type { GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import type { GatewayError } from '../errors/gatewayErrors.js';

/**
 * The one place a GatewayError becomes what the client sees. Path and locations are kept from the
 * error graphql-js built, so the client knows which field failed.
 */
export function toGraphQLError(error: GatewayError, located?: GraphQLError): GraphQLError {
  return createGraphQLError(error.message, {
    ...(located?.nodes ? { nodes: located.nodes } : {}),
    ...(located?.source ? { source: located.source } : {}),
    ...(located?.positions ? { positions: located.positions } : {}),
    ...(located?.path ? { path: located.path } : {}),
    extensions: { code: error.code, ...error.details(), ...(error.http() ? { http: error.http() } : {}) },
  });
}
