import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { sendNodeResponse } from '@whatwg-node/server';
import type { Logger } from '../observability/logger.js';
import { REQUEST_ID_HEADER } from '../observability/requestId.js';

/** What yoga's server adapter offers beside being a request listener: the handling without the sending. */
export interface NodeRequestHandler {
  // The server context yoga types as its own (which names neither `req` nor `res`); given NodeServerContext.
  handleNodeRequestAndResponse(request: IncomingMessage, response: ServerResponse, ...context: object[]): Response | Promise<Response>;
}

/** What yoga's own listener puts in the server context: the live subscriptions read both (the peer's address, the response's end). */
export interface NodeServerContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
}

/**
 * Yoga's request listener (whatwg-node's server adapter) answers anything thrown outside GraphQL
 * execution (a plugin's onRequest hook: /health, /ready, /metrics, `/`, the CORS or GraphiQL hooks)
 * with the error's stack as plain text, whatever NODE_ENV says: file paths and internals, to anyone.
 * This listener does what the adapter's does (handle, then send), with the failure answered as a
 * generic JSON 500 that carries the request id and nothing else, and the error logged with it.
 */
export function withErrorBoundary(handler: NodeRequestHandler, logger: Logger): RequestListener {
  return (request, response) => {
    void Promise.resolve()
      // As yoga's own listener does: without them a live subscription would know neither its client's
      // address (the per-client cap with auth off) nor when its response closed.
      .then(() => handler.handleNodeRequestAndResponse(request, response, { req: request, res: response } satisfies NodeServerContext))
      .then(
        // Yoga's own listener writes the status and headers in one writeHead; so does this.
        (answer) => sendNodeResponse(answer, response, request, true),
        (error: unknown) => {
          logger.error('request failed outside GraphQL execution; answered 500', error instanceof Error ? error : { reason: String(error) });
          answerInternalError(response);
        },
      )
      .catch((error: unknown) => {
        // The answer failed while being sent: its headers may be out, so the socket is all that can go.
        logger.error('response failed while being sent', error instanceof Error ? error : { reason: String(error) });
        response.destroy();
      });
  };
}

function answerInternalError(response: ServerResponse): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const requestId = response.getHeader(REQUEST_ID_HEADER);
  const body = JSON.stringify({ error: 'internal error', ...(typeof requestId === 'string' ? { requestId } : {}) });
  response.writeHead(500, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(body);
}
