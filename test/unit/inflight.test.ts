import { describe, expect, it } from 'vitest';
import { InflightCalls } from '../../src/data/inflight.js';
import { UpstreamUnavailableError } from '../../src/errors/gatewayErrors.js';

/** A call that settles when the test says so. */
function controlledCall(): { start: () => Promise<string>; finish: (value: string) => void; starts: () => number } {
  let finish: (value: string) => void = () => undefined;
  let starts = 0;
  return {
    start: () => {
      starts++;
      return new Promise<string>((resolve) => {
        finish = resolve;
      });
    },
    finish: (value) => finish(value),
    starts: () => starts,
  };
}

describe('InflightCalls', () => {
  it('makes one call for every concurrent caller of a key, and each gets its answer', async () => {
    const calls = new InflightCalls<string>();
    const call = controlledCall();
    const first = calls.run('k', undefined, call.start);
    const others = [1, 2, 3].map(() => calls.run('k', undefined, call.start));
    expect(call.starts()).toBe(1);
    expect([first.joined, ...others.map((o) => o.joined)]).toEqual([false, true, true, true]);
    call.finish('answer');
    expect(await Promise.all([first.promise, ...others.map((o) => o.promise)])).toEqual(['answer', 'answer', 'answer', 'answer']);
    // Settled: the next caller starts a call of its own.
    calls.run('k', undefined, call.start);
    expect(call.starts()).toBe(2);
  });

  it('resumes the waiters of a shared call across turns of the event loop, not all in one', async () => {
    // Resuming a waiter runs the rest of its GraphQL request synchronously; all in one turn, the
    // process read no new request until every waiter had been answered (a burst after each call).
    const calls = new InflightCalls<string>();
    const call = controlledCall();
    const waiters = [0, 1, 2, 3, 4].map(() => calls.run('k', undefined, call.start));
    let turns = 0;
    const count = (): void => {
      turns++;
      if (turns < 50) setImmediate(count);
    };
    const resumedAt: number[] = [];
    const done = waiters.map(({ promise }) => promise.then(() => resumedAt.push(turns)));
    call.finish('answer');
    setImmediate(count);
    await Promise.all(done);
    expect(resumedAt).toHaveLength(5);
    expect(resumedAt.at(-1)! - resumedAt[0]!).toBeGreaterThanOrEqual(3);
  });

  it('tells a waiter that leaves while the others are being resumed that it was cancelled, and skips it', async () => {
    const calls = new InflightCalls<string>();
    const call = controlledCall();
    const stays = calls.run('k', undefined, call.start);
    const leaving = new AbortController();
    const leaves = calls.run('k', leaving.signal, call.start);
    const last = calls.run('k', undefined, call.start);
    const outcome = leaves.promise.then(
      () => 'resolved',
      (error: unknown) => error,
    );
    call.finish('answer');
    expect(await stays.promise).toBe('answer');
    leaving.abort();
    expect(await outcome).toBeInstanceOf(UpstreamUnavailableError);
    expect(await last.promise).toBe('answer');
  });

  it('aborts the call only when every waiter has left', async () => {
    const calls = new InflightCalls<string>();
    let upstream: AbortSignal | undefined;
    const start = (signal: AbortSignal) => {
      upstream = signal;
      return new Promise<string>(() => undefined);
    };
    const a = new AbortController();
    const b = new AbortController();
    const first = calls.run('k', a.signal, start);
    const second = calls.run('k', b.signal, start);
    first.promise.catch(() => undefined);
    second.promise.catch(() => undefined);
    a.abort();
    expect(upstream?.aborted).toBe(false);
    b.abort();
    expect(upstream?.aborted).toBe(true);
    await expect(second.promise).rejects.toBeInstanceOf(UpstreamUnavailableError);
  });
});
