import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

/** What the log knows about the HTTP request it is written during. */
export interface RequestScope {
  readonly requestId: string;
}

/** Entered once per HTTP request (withRequestId); read by the logger. */
export const requestScope = new AsyncLocalStorage<RequestScope>();

export const REQUEST_ID_HEADER = 'x-request-id';

/** An id a proxy or client may hand us: short, and nothing that could forge a log line or a header. */
const SANE_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** The incoming id when it is sane, else a fresh UUID. */
export function requestIdFrom(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && SANE_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * Gives every HTTP request an id (the caller's `x-request-id` when sane, so one id follows a request
 * through proxies and services), echoes it in the response's `x-request-id`, and runs the handler
 * inside it, so every log line written on the request's behalf carries it.
 */
export function withRequestId(handler: RequestListener): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const requestId = requestIdFrom(request.headers[REQUEST_ID_HEADER]);
    response.setHeader(REQUEST_ID_HEADER, requestId);
    requestScope.run({ requestId }, () => handler(request, response));
  };
}
