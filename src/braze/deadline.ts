/** One Braze call's deadline joined with its GraphQL request's signal. */
export interface CallDeadline {
  /** Aborted when the deadline passes or the request's signal aborts, whichever comes first. */
  readonly signal: AbortSignal;
  /** True once the deadline itself has passed (not when the request went away). */
  readonly timedOut: boolean;
  /** The call is over: stops the timer and stops listening to the request's signal. */
  release(): void;
}

/**
 * The signal a call's attempts and backoff waits run under. Built by hand instead of
 * `AbortSignal.any([AbortSignal.timeout(ms), request])` because that pair outlives the call: the
 * timeout's timer runs for the whole timeout after every call and then aborts (a DOMException and an
 * abort event each time, for calls long finished), and `any` registers the combined signal with each
 * source. Here the timer is cleared and the listener removed as soon as the call ends; the
 * DOMException is made only when a deadline really passes.
 */
export function callDeadline(timeoutMs: number, request?: AbortSignal): CallDeadline {
  const controller = new AbortController();
  let timedOut = false;
  const onRequestAbort = (): void => controller.abort(request?.reason);
  // Like AbortSignal.timeout's, the timer alone does not keep the process alive.
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
  }, timeoutMs).unref();
  if (request?.aborted) onRequestAbort();
  else request?.addEventListener('abort', onRequestAbort, { once: true });
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    release() {
      clearTimeout(timer);
      request?.removeEventListener('abort', onRequestAbort);
    },
  };
}
