import type { ExecutionResult } from 'graphql';

/**
 * A subscription's results as yoga streams them, each emptied of its `data` once the next is asked for
 * (by then the previous one was sent). Why: graphql-tools' executor wraps each event's result in a
 * one-item async generator and flattens those (`flattenAsyncIterable`); the generator it finished and the
 * suspended `next()` that finished it still reference the previous result while the stream waits for
 * the next event. A live series pushes only when its numbers change, so that wait is the subscription's
 * whole life: one stale result per subscriber (6.6 KiB of a 30-point series, a third of what a
 * WebSocket subscriber cost). Emptying it is safe: a subscription event's result is made for this one
 * operation by its execution (fresh objects, never cached), and it is already serialized.
 *
 * Only whole results are emptied: an incremental payload (`@defer`, `@stream`, marked by `hasNext`) may
 * share objects with the executor's later payloads, and its stream ends by itself.
 */
export function forgettingSent<Result extends ExecutionResult>(stream: AsyncIterable<Result>): AsyncIterableIterator<Result> {
  return new ForgettingSent(stream[Symbol.asyncIterator]());
}

/** A class rather than closures: its methods cost nothing per subscription. */
class ForgettingSent<Result extends ExecutionResult> implements AsyncIterableIterator<Result> {
  readonly #iterator: AsyncIterator<Result>;
  /** The whole result last handed out: being sent until the next is asked for. */
  #sent: Result | undefined;

  constructor(iterator: AsyncIterator<Result>) {
    this.#iterator = iterator;
  }

  async next(): Promise<IteratorResult<Result>> {
    this.#forgetSent();
    const step = await this.#iterator.next();
    if (!step.done && isWholeResult(step.value)) this.#sent = step.value;
    return step;
  }

  async return(value?: unknown): Promise<IteratorResult<Result>> {
    this.#forgetSent();
    return (await this.#iterator.return?.(value)) ?? { done: true, value: undefined };
  }

  async throw(error?: unknown): Promise<IteratorResult<Result>> {
    this.#forgetSent();
    if (this.#iterator.throw) return this.#iterator.throw(error);
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  #forgetSent(): void {
    if (this.#sent !== undefined) empty(this.#sent);
    this.#sent = undefined;
  }
}

function isWholeResult(result: ExecutionResult): boolean {
  return !('hasNext' in result) && !('incremental' in result);
}

/** Drops what `result.data` holds (the top-level fields), so the tree under it can be collected. */
function empty(result: ExecutionResult): void {
  const data = result.data as Record<string, unknown> | null | undefined;
  if (data === null || data === undefined || typeof data !== 'object') return;
  // Reflect: a frozen result (none is, today) is left as it is rather than throwing.
  for (const field of Object.keys(data)) Reflect.deleteProperty(data, field);
}
