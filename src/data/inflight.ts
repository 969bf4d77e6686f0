import { UpstreamUnavailableError } from '../errors.js';

interface Entry<T> {
  readonly promise: Promise<T>;
  readonly controller: AbortController;
  waiters: number;
}

/**
 * Concurrent requests that need the same upstream call share one call in flight. The call is aborted
 * only when every request waiting for it has gone away. Nothing is kept once it settles: a failure is
 * shared by those who were waiting, never cached.
 */
export class InflightCalls<T> {
  readonly #entries = new Map<string, Entry<T>>();

  /**
   * Joins the call for `key`, or starts it with `start`. Resolves `joined` so callers can tell a shared
   * answer from their own.
   */
  run(key: string, signal: AbortSignal | undefined, start: (signal: AbortSignal) => Promise<T>): { promise: Promise<T>; joined: boolean } {
    let entry = this.#entries.get(key);
    const joined = entry !== undefined;
    if (!entry) {
      const controller = new AbortController();
      const created: Entry<T> = { controller, waiters: 0, promise: start(controller.signal) };
      const forget = (): void => {
        if (this.#entries.get(key) === created) this.#entries.delete(key);
      };
      created.promise.then(forget, forget);
      this.#entries.set(key, created);
      entry = created;
    }
    return { promise: this.#wait(entry, signal), joined };
  }

  #wait(entry: Entry<T>, signal: AbortSignal | undefined): Promise<T> {
    entry.waiters++;
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const leave = (): void => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        entry.waiters--;
      };
      const onAbort = (): void => {
        leave();
        if (entry.waiters === 0) entry.controller.abort();
        reject(new UpstreamUnavailableError('The request was cancelled before Braze answered'));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      entry.promise.then(
        (value) => {
          leave();
          resolve(value);
        },
        (error: unknown) => {
          leave();
          reject(error);
        },
      );
    });
  }
}
