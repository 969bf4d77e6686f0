import type { Plugin } from 'graphql-yoga';
import { SubscriptionNotAcceptedError } from '../errors/gatewayErrors.js';
import { acceptsMediaType } from './acceptHeader.js';

/** The one media type yoga streams a subscription in (it tries only text/event-stream, then JSON). */
export const SUBSCRIPTION_MEDIA_TYPE = 'text/event-stream';

/**
 * Subscriptions are streamed over SSE only (GraphQL over SSE, distinct connections: graphql-sse's
 * client, EventSource, fetch with `Accept: text/event-stream`). A subscription whose request's Accept
 * does not take text/event-stream as yoga reads it (application/json, multipart/mixed as Apollo
 * Client's HttpLink sends, text/html, a non-UTF-8 charset, …), or refuses it with `q=0`, is refused
 * with SUBSCRIPTION_NOT_ACCEPTED (HTTP 406) before its subscribe resolver runs: nothing subscribes,
 * nothing is polled, no cap slot is taken. Yoga alone would subscribe, then find no way to send the
 * stream, answer an empty 406 and never close it. A request yoga did not get over HTTP (no `request`
 * in the context) cannot be streamed either: refused, unless `streamedElsewhere` says another
 * transport sends its results (GraphQL over WebSocket).
 */
export interface SubscriptionsOverSseOptions {
  /** True for a request whose results another transport sends (src/server/websocketOperations.ts). Default: none. */
  streamedElsewhere?: (request: Request) => boolean;
}

export function useSubscriptionsOverSse({ streamedElsewhere = () => false }: SubscriptionsOverSseOptions = {}): Plugin {
  return {
    onSubscribe({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      if (request && streamedElsewhere(request)) return;
      if (!request || !acceptsMediaType(request.headers.get('accept'), SUBSCRIPTION_MEDIA_TYPE)) throw new SubscriptionNotAcceptedError();
    },
  };
}
