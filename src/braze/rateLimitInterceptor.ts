import type { Dispatcher } from 'undici';
import type { RateLimitTracker, Ticket } from './rateLimit.js';

/** The part of a bucket's tracker (local or shared) that counts calls as they are sent. */
export type SendCounter = Pick<RateLimitTracker, 'take' | 'settle'>;

/**
 * An undici interceptor that counts a call against the rate-limit bucket at the moment it is written
 * to a socket, not when it is handed to the connection queue: a call abandoned while it waits for a
 * connection never reached Braze and must not lower the estimate. A call whose turn comes after the
 * calls sent meanwhile reached the reserve is aborted with RateLimitReserveError before a byte is sent.
 */
export function countCallsWhenSent(tracker: SendCounter): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (options, handler) => dispatch(options, new CountWhenSentHandler(tracker, handler));
}

class CountWhenSentHandler implements Dispatcher.DispatchHandler {
  #ticket: Ticket | undefined;

  constructor(
    private readonly tracker: SendCounter,
    private readonly inner: Dispatcher.DispatchHandler,
  ) {}

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.inner.onRequestStart?.(controller, context);
    // A call whose client left while it waited for a connection gets its turn anyway and is aborted
    // just above, before a byte is written: it never reached Braze. undici may also start a request
    // again on a new socket after a pipelining failure: count it once.
    if (controller.aborted || this.#ticket !== undefined) return;
    const taken = this.tracker.take();
    if (typeof taken !== 'number') return controller.abort(taken);
    this.#ticket = taken;
  }

  onRequestUpgrade(...args: Parameters<NonNullable<Dispatcher.DispatchHandler['onRequestUpgrade']>>): void {
    this.inner.onRequestUpgrade?.(...args);
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseStart']>>[2],
    statusMessage?: string,
  ): void {
    // Braze's figure in these headers already includes this call.
    this.#settle(headers);
    this.inner.onResponseStart?.(controller, statusCode, headers, statusMessage);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.inner.onResponseData?.(controller, chunk);
  }

  onResponseEnd(...args: Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseEnd']>>): void {
    this.inner.onResponseEnd?.(...args);
  }

  onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    // Sent and failed before headers (reset, timeout, the client gave up): Braze may or may not have
    // counted it; its next answer says.
    this.#settle(undefined);
    this.inner.onResponseError?.(controller, error);
  }

  #settle(headers: Parameters<RateLimitTracker['settle']>[1]): void {
    if (this.#ticket === undefined) return;
    this.tracker.settle(this.#ticket, headers);
    this.#ticket = undefined;
  }
}
