import type { ServerResponse } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import { TooManySubscriptionsError } from '../errors/gatewayErrors.js';
import { isWebSocketOperation } from '../server/websocketOperations.js';

export interface SseStreamCapOptions {
  /** Subscriptions streamed over SSE at once in the process (LIVE_MAX_SSE_STREAMS). */
  maxStreams: number;
}

/**
 * Over HTTP/1.1 each SSE subscription holds a client connection for as long as it streams, one the
 * connection cap never closes for a newcomer: as many as SERVER_MAX_CONNECTIONS would lock out queries
 * and /health. So SSE streams have a cap of their own, below the connection cap; beyond it a
 * subscription is refused with TOO_MANY_SUBSCRIPTIONS (`scope: sse`) before its resolver runs (nothing
 * subscribes or polls). WebSocket operations, many to one connection, count only in the live caps. A
 * slot is held from the subscription's start until its response closes (the Node response's 'close',
 * however the exchange ends). A request that came without a Node response (yoga.fetch in a test) has no
 * end to wait for and is not counted.
 */
export function useSseStreamCap({ maxStreams }: SseStreamCapOptions): Plugin {
  let open = 0;
  return {
    onSubscribe({ args }) {
      const { request, res } = args.contextValue as { request?: Request; res?: ServerResponse };
      if (!request || !res || isWebSocketOperation(request)) return;
      if (open >= maxStreams) throw new TooManySubscriptionsError(maxStreams, 'sse');
      open++;
      const release = (): void => {
        open--;
      };
      if (res.closed) release();
      else res.once('close', release);
    },
  };
}
