import type { Dispatcher } from 'undici';
import type { RateLimitTracker } from './rateLimit.js';

/**
 * An undici interceptor that counts a call against the rate-limit bucket at the moment it is written
 * to a socket, not when it is handed to the connection queue: a call abandoned while it waits for a
 * connection never reached Braze and must not lower the estimate. A call whose turn comes after the
 * calls sent meanwhile reached the reserve is aborted with RateLimitReserveError before a byte is sent.
 */
export function countCallsWhenSent(tracker: RateLimitTracker): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (options, handler) => dispatch(options, new CountWhenSentHandler(tracker, handler));
}

class CountWhenSentHandler implements Dispatcher.DispatchHandler {
  #taken = false;

  constructor(
    private readonly tracker: RateLimitTracker,
    private readonly inner: Dispatcher.DispatchHandler,
  ) {}

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    // undici may start a request again on a new socket after a pipelining failure: count it once.
    if (!this.#taken) {
      const refusal = this.tracker.take();
      if (refusal) return controller.abort(refusal);
      this.#taken = true;
    }
    this.inner.onRequestStart?.(controller, context);
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

  #settle(headers: Parameters<RateLimitTracker['settle']>[0]): void {
    if (!this.#taken) return;
    this.#taken = false;
    this.tracker.settle(headers);
  }
}
