import type { GraphQLError } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { onEveryPayload, type IncrementalPart } from './completeResult.js';
import { isIncrementalDocument } from './useIncrementalDelivery.js';

export interface MaskedIncrementalErrorsOptions {
  /** The gateway's error masking: what yoga applies to a response's top-level `errors`. */
  maskError: (error: unknown, message: string) => Error;
  /** Told about each error masking changed (an unexpected one), for the log. */
  onMasked?: (original: unknown) => void;
  /** Message of a masked error. Default yoga's, `Unexpected error.`. */
  message?: string;
}

/**
 * Yoga masks the `errors` of each payload, but an incremental response's later payloads carry their
 * errors in `incremental[].errors`, which it sends as they are: a deferred field's Braze failure
 * without its `extensions.code`, an unexpected one with its internal message. This masks those the
 * same way. Default: installed with @defer and @stream.
 */
export function useMaskedIncrementalErrors({ maskError, onMasked, message = 'Unexpected error.' }: MaskedIncrementalErrorsOptions): Plugin {
  const mask = (error: GraphQLError): GraphQLError => {
    // Masking returns a GraphQLError (or its serialisable stand-in), as for top-level errors.
    const masked = maskError(error, message) as GraphQLError;
    if (masked !== error) onMasked?.(error);
    return withoutInternalExtensions(masked);
  };
  return {
    onExecute({ args }) {
      // Only an operation with @defer or @stream has later payloads: any other gets no hook at all.
      if (!isIncrementalDocument(args.document)) return;
      return {
        onExecuteDone: (payload) =>
          onEveryPayload(payload, (result, setResult) => {
            if (!result.incremental?.some((part) => part.errors?.length)) return;
            const incremental = result.incremental.map((part): IncrementalPart => (part.errors?.length ? { ...part, errors: part.errors.map(mask) } : part));
            setResult({ ...result, incremental } as typeof result);
          }),
      };
    },
  };
}

/**
 * Yoga strips its internal extensions (`http`, `unexpected`) from top-level errors as it serialises
 * them, not from incremental ones: done here.
 */
function withoutInternalExtensions(error: GraphQLError): GraphQLError {
  const extensions = error.extensions ?? {};
  if (!('http' in extensions) && !('unexpected' in extensions)) return error;
  const { http: _http, unexpected: _unexpected, ...kept } = extensions;
  return createGraphQLError(error.message, {
    ...(error.nodes ? { nodes: error.nodes } : {}),
    ...(error.source ? { source: error.source } : {}),
    ...(error.positions ? { positions: error.positions } : {}),
    ...(error.path ? { path: error.path } : {}),
    extensions: kept,
  });
}
