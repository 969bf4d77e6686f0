import type { ExecutionResult, GraphQLError } from 'graphql';
import { handleStreamOrSingleExecutionResult, isAsyncIterable } from 'graphql-yoga';

/**
 * One payload of an incremental response (@defer, @stream) as yoga's executor yields it: the first
 * carries `data`, later ones `incremental` parts, each with its own `errors`; `hasNext: false` marks
 * the last.
 */
export interface IncrementalPayload extends ExecutionResult {
  hasNext?: boolean;
  incremental?: readonly IncrementalPart[];
}

export interface IncrementalPart {
  readonly path?: readonly (string | number)[];
  readonly label?: string;
  readonly data?: unknown;
  readonly items?: readonly unknown[];
  readonly errors?: readonly GraphQLError[];
  readonly extensions?: Record<string, unknown>;
}

interface ResultPayload {
  result: unknown;
  setResult: (result: ExecutionResult) => void;
}

type OnNext = (payload: { result: ExecutionResult; setResult: (result: ExecutionResult) => void }) => void;

/**
 * Calls `handle` once an execution has made all its loads: with the result, or, for an incremental
 * response, with its last payload (`hasNext: false`). For onExecuteDone hooks that report on the
 * whole request (extensions, metrics): return what this returns.
 */
export function onCompleteResult(payload: ResultPayload, handle: (result: IncrementalPayload, setResult: (result: ExecutionResult) => void) => void): { onNext: OnNext } | undefined {
  const streamed = isAsyncIterable(payload.result);
  return handleStreamOrSingleExecutionResult(payload as Parameters<typeof handleStreamOrSingleExecutionResult>[0], ({ result, setResult }) => {
    const one = result as IncrementalPayload;
    if (streamed && one.hasNext !== false) return;
    handle(one, setResult);
  }) as { onNext: OnNext } | undefined;
}

/** Calls `handle` with every payload an execution sends: its result, or each payload of an incremental response. */
export function onEveryPayload(payload: ResultPayload, handle: (result: IncrementalPayload, setResult: (result: ExecutionResult) => void) => void): { onNext: OnNext } | undefined {
  return handleStreamOrSingleExecutionResult(payload as Parameters<typeof handleStreamOrSingleExecutionResult>[0], ({ result, setResult }) =>
    handle(result as IncrementalPayload, setResult),
  ) as { onNext: OnNext } | undefined;
}
