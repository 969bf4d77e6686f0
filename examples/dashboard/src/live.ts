import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import type { GatewayError } from './errors.js';
import { FORBIDDEN_CLOSE, isCloseEvent, liveFailure } from './liveErrors.js';
import type { Settings } from './settings.js';

export interface LiveHandlers<T> {
  /** Each push: the subscription's data (and the errors of that push, if any). */
  readonly onPush: (data: T, errors: readonly GatewayError[]) => void;
  /** The subscription ended with an error (refused, over a cap, the socket lost for good). */
  readonly onError: (errors: readonly GatewayError[]) => void;
}

/** The page's live connection: every live panel subscribes on it, and all share one WebSocket. */
export interface LiveConnection {
  /** Subscribes a typed document; returns the function that unsubscribes it. */
  subscribe<T, V extends Record<string, unknown>>(document: TypedDocumentNode<T, V>, variables: V, handlers: LiveHandlers<T>): () => void;
  /** Ends every subscription and closes the socket (the gateway releases them at once). */
  dispose(): void;
}

/**
 * GraphQL over WebSocket with graphql-ws (docs/live-and-defer.md "Live series over WebSocket"): one
 * client, one socket, however many panels subscribe, so a page with more live panels than the browser's
 * six connections per host never waits for a connection. The token goes in `connectionParams` (browsers
 * cannot set headers on a WebSocket). The socket opens with the first subscription and closes when the
 * last one ends; a dropped socket is reopened twice and its subscriptions resubscribed.
 */
export function connectLive(settings: Settings): LiveConnection {
  const client: Client = createClient({
    url: webSocketUrl(settings.gatewayUrl),
    connectionParams: settings.token ? { authorization: `Bearer ${settings.token}` } : {},
    retryAttempts: 2,
    // A refused credential stays refused: say so at once rather than after the retries' back-off.
    shouldRetry: (closed) => isCloseEvent(closed) && closed.code !== FORBIDDEN_CLOSE,
  });
  // Once disposed, whatever the closing socket still reports belongs to panels that moved on.
  let disposed = false;
  return {
    subscribe<T, V extends Record<string, unknown>>(document: TypedDocumentNode<T, V>, variables: V, handlers: LiveHandlers<T>) {
      return client.subscribe<T>(
        { query: print(document), variables },
        {
          next: ({ data, errors }) => {
            if (disposed) return;
            if (data) handlers.onPush(data, errors ?? []);
            else if (errors?.length) handlers.onError(errors);
          },
          error: (error) => {
            if (!disposed) handlers.onError(liveFailure(error));
          },
          complete: () => {},
        },
      );
    },
    dispose() {
      disposed = true;
      void client.dispose();
    },
  };
}

/** The gateway's URL with ws: or wss: for http: or https: (the same /graphql path serves both). */
function webSocketUrl(gatewayUrl: string): string {
  const url = new URL(gatewayUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}
