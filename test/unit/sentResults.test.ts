import type { ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { forgettingSent } from '../../src/websocket/sentResults.js';

/** A stream of `results` that records whether it was returned. */
function streamOf<Result>(results: Result[]): AsyncIterableIterator<Result> & { returned: boolean } {
  let index = 0;
  const stream = {
    returned: false,
    async next(): Promise<IteratorResult<Result>> {
      if (stream.returned || index >= results.length) return { done: true, value: undefined };
      return { done: false, value: results[index++]! };
    },
    async return(): Promise<IteratorResult<Result>> {
      stream.returned = true;
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return stream;
    },
  };
  return stream;
}

describe('forgettingSent', () => {
  it('passes every result through in order, then ends', async () => {
    const results = [{ data: { n: 1 } }, { data: { n: 2 } }, { errors: [] }];
    const seen: unknown[] = [];
    for await (const result of forgettingSent(streamOf<ExecutionResult>(results))) seen.push(structuredClone(result));
    expect(seen).toEqual([{ data: { n: 1 } }, { data: { n: 2 } }, { errors: [] }]);
  });

  it('empties a whole result’s data when the next one is asked for, not before', async () => {
    const first = { data: { series: { points: [1, 2, 3] } } };
    const second = { data: { series: { points: [4] } } };
    const stream = forgettingSent(streamOf<ExecutionResult>([first, second]));
    expect((await stream.next()).value).toBe(first);
    // Handed out and not yet sent: intact.
    expect(first.data).toEqual({ series: { points: [1, 2, 3] } });
    expect((await stream.next()).value).toBe(second);
    expect(first.data).toEqual({});
    expect(second.data).toEqual({ series: { points: [4] } });
  });

  it('empties the last result when the stream is returned (the operation completed), and returns the source', async () => {
    const source = streamOf<ExecutionResult>([{ data: { n: 1 } }, { data: { n: 2 } }]);
    const stream = forgettingSent(source);
    const { value } = await stream.next();
    expect(await stream.return!()).toEqual({ done: true, value: undefined });
    expect(value).toEqual({ data: {} });
    expect(source.returned).toBe(true);
  });

  it('leaves incremental payloads (@defer, @stream) as they are: they may share objects with later ones', async () => {
    const initial = { data: { a: { b: 1 } }, hasNext: true };
    const later = { incremental: [{ data: { c: 2 }, path: ['a'] }], hasNext: false };
    const stream = forgettingSent(streamOf<ExecutionResult & { hasNext: boolean }>([initial, later]));
    await stream.next();
    await stream.next();
    await stream.next();
    expect(initial.data).toEqual({ a: { b: 1 } });
    expect(later.incremental[0]!.data).toEqual({ c: 2 });
  });

  it('leaves a result without data (errors only, or data null) as it is', async () => {
    const refused = { errors: [{ message: 'no' }] } as unknown as ExecutionResult;
    const nulled = { data: null, errors: [{ message: 'failed' }] } as unknown as ExecutionResult;
    const stream = forgettingSent(streamOf([refused, nulled]));
    await stream.next();
    await stream.next();
    await stream.next();
    expect(refused).toEqual({ errors: [{ message: 'no' }] });
    expect(nulled).toEqual({ data: null, errors: [{ message: 'failed' }] });
  });
});
