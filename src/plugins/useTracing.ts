import { getOperationAST, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { RequestTrace } from '../observability/tracing/requestTrace.js';
import { onCompleteResult, onEveryPayload } from './completeResult.js';

/**
 * A span per executed GraphQL operation (`query Dashboard`, kind SERVER, graphql.operation.* attributes),
 * continuing the caller's W3C trace context; the request's RequestTrace (in the context, made when
 * tracing is on) adds resolver, load and Braze attempt spans below it. The span ends with the last
 * payload, so @defer's later parts are inside it; it is marked an error when any payload carried
 * errors, with their codes. Installed only when tracing is on: with it off, nothing here runs.
 */
export function useTracing(): Plugin {
  return {
    onExecute({ args }) {
      const trace = (args.contextValue as { trace?: RequestTrace }).trace;
      if (!trace) return;
      const operation = getOperationAST(args.document, args.operationName);
      trace.startOperation(operation?.operation ?? 'query', operation?.name?.value);
      const errors: unknown[] = [];
      return {
        onExecuteDone: (payload) => {
          const collect = onEveryPayload(payload, (result) => {
            errors.push(...(result.errors ?? []), ...(result.incremental ?? []).flatMap((part) => part.errors ?? []));
          });
          const finish = onCompleteResult(payload, () => trace.endOperation(errors));
          if (!collect || !finish) return undefined;
          return {
            onNext: (next: { result: ExecutionResult; setResult: (result: ExecutionResult) => void }) => {
              collect.onNext(next);
              finish.onNext(next);
            },
            // A stream that stops early (the client went away) has no last payload: its span ends here.
            onEnd: () => trace.endOperation(errors),
          };
        },
      };
    },
  };
}
