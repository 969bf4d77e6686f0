import { print } from 'graphql';
import { createClient, NetworkError, type Client } from 'graphql-sse';
import type { GatewayError } from './errors.js';
import { LiveEventsDocument, type LiveEventsSubscription, type LiveEventsSubscriptionVariables } from './generated/graphql.js';

export interface LiveHandlers {
  readonly onPush: (value: LiveEventsSubscription['eventSeries']) => void;
  readonly onError: (errors: readonly GatewayError[]) => void;
}

/**
 * GraphQL over SSE with graphql-sse (docs/live-and-defer.md "Live series over SSE"): fetch-based, so it
 * sends the Authorization header that EventSource cannot. Each push is the whole series and its status;
 * the gateway polls Braze once per series however many tabs watch. Returns the function that stops it.
 */
export function subscribeLiveEvents(url: string, headers: Record<string, string>, variables: LiveEventsSubscriptionVariables, handlers: LiveHandlers): () => void {
  const client: Client = createClient({ url, headers, retryAttempts: 2 });
  const stop = client.subscribe<LiveEventsSubscription>(
    { query: print(LiveEventsDocument), variables },
    {
      next: ({ data, errors }) => {
        if (errors?.length) handlers.onError(errors as readonly GatewayError[]);
        if (data) handlers.onPush(data.eventSeries);
      },
      error: (error) => handlers.onError(errorsOf(error)),
      complete: () => {},
    },
  );
  return () => {
    stop();
    client.dispose();
  };
}

/** graphql-sse rejects with a list of GraphQL errors, a NetworkError (after its retries), or an Error. */
function errorsOf(error: unknown): readonly GatewayError[] {
  if (Array.isArray(error)) return error as GatewayError[];
  const status = error instanceof NetworkError ? error.response?.status : undefined;
  if (status === 401 || status === 403) return [{ message: `HTTP ${status}`, extensions: { code: 'UNAUTHENTICATED' } }];
  return [{ message: error instanceof Error ? error.message : String(error) }];
}
