import type { ExecutionResult } from 'graphql';
import { isAsyncIterable, processRegularResult, type Plugin } from 'graphql-yoga';
import { IncrementalDeliveryNotAcceptedError, MediaTypeNotAcceptedError, SubscriptionNotAcceptedError } from '../errors/gatewayErrors.js';
import { acceptsMediaType } from './acceptHeader.js';
import { toGraphQLError } from './graphqlErrors.js';

/**
 * What yoga does with a result it has no way to write for the request's Accept, made safe:
 * - A stream (a subscription, an incremental response) that no streaming processor takes is closed at
 *   once (`return()`: a live subscription releases its cap slot and poll) and the request is refused as
 *   SUBSCRIPTION_NOT_ACCEPTED or INCREMENTAL_DELIVERY_NOT_ACCEPTED. Yoga alone answers an empty 406 and
 *   leaves the stream open forever. useSubscriptionsOverSse and useIncrementalDelivery refuse such
 *   requests before execution; this is the backstop should their reading of Accept and yoga's ever part.
 * - Any other answer no processor takes (text/html on a POST, image/png: a whole-response cache hit,
 *   which useAcceptableAnswers cannot refuse before execution) is replaced by MEDIA_TYPE_NOT_ACCEPTED.
 * - A refusal (an error carrying an HTTP status: 401, 403, 406, 413, …) that no processor takes is
 *   written as application/json with its status, so that a client whose Accept names no type yoga
 *   writes (text/html, image/png, garbage) still learns why. Yoga alone answers an empty 406. A 406
 *   (the request's Accept is what is refused) is always written as application/json: yoga would
 *   write it as an event stream to a client that refused text/event-stream with `q=0`. It is written as
 *   application/graphql-response+json when the client names that type (Apollo Client 4's HttpLink
 *   does), so the client reads the body and shows the code instead of a bare status.
 * Must come after yoga's own result processors (every plugin of the gateway does) and before the
 * plugins that count or rewrite results (useMetrics): they then see the refusal. No options.
 */
export function useUnsendableResults(): Plugin {
  const subscriptions = new WeakSet<Request>();
  return {
    onSubscribe({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      if (request) subscriptions.add(request);
    },
    onResultProcess({ request, result, resultProcessor, setResult, setResultProcessor }) {
      let sent = result;
      if (!resultProcessor && isAsyncIterable(sent)) {
        closeStream(sent);
        const refusal = subscriptions.has(request) ? new SubscriptionNotAcceptedError() : new IncrementalDeliveryNotAcceptedError();
        sent = { errors: [toGraphQLError(refusal)] };
        setResult(sent);
      } else if (!resultProcessor && refusalStatus(sent) === undefined) {
        // An answer this Accept cannot take, made without executing (a whole-response cache hit):
        // useAcceptableAnswers refuses the same before execution.
        sent = { errors: [toGraphQLError(new MediaTypeNotAcceptedError())] };
        setResult(sent);
      }
      const status = refusalStatus(sent);
      if (status !== undefined && (!resultProcessor || status === NOT_ACCEPTABLE)) setResultProcessor(processRegularResult, refusalMediaType(request));
    },
  };
}

function closeStream(stream: AsyncIterable<unknown>): void {
  // Nothing waits on the answer: a failing return() has nothing more to release.
  void Promise.resolve(stream[Symbol.asyncIterator]().return?.()).catch(() => undefined);
}

const NOT_ACCEPTABLE = 406;

const GRAPHQL_RESPONSE = 'application/graphql-response+json';

/**
 * A refusal is written as application/graphql-response+json when the client names that type and
 * accepts it, else as application/json. Clients read a GraphQL-over-HTTP response's body whatever its
 * status (Apollo Client's HttpLink then shows the errors and their codes), while an application/json
 * answer with an error status is to them a server error with an unread body.
 */
function refusalMediaType(request: Request): string {
  const accept = request.headers.get('accept');
  return accept !== null && accept.toLowerCase().includes(GRAPHQL_RESPONSE) && acceptsMediaType(accept, GRAPHQL_RESPONSE) ? GRAPHQL_RESPONSE : 'application/json';
}

/**
 * The highest status a single result's errors refuse the request with (yoga answers with it), or
 * undefined when it is no refusal. Yoga marks with `spec` the statuses the GraphQL-over-HTTP spec
 * leaves to the media type (a validation error is 200 as application/json): those do not count.
 */
function refusalStatus(result: ExecutionResult | readonly ExecutionResult[] | AsyncIterable<unknown>): number | undefined {
  if (Array.isArray(result) || isAsyncIterable(result)) return undefined;
  let highest: number | undefined;
  for (const error of (result as ExecutionResult).errors ?? []) {
    const http = error.extensions?.['http'] as { status?: unknown; spec?: unknown } | undefined;
    if (typeof http?.status !== 'number' || http.status < 400 || http.spec !== undefined) continue;
    highest = Math.max(highest ?? 0, http.status);
  }
  return highest;
}
