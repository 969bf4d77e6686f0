import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_LIVE_POLICY } from '../../src/config/index.js';
import { CircuitOpenError, TooManySubscriptionsError, UpstreamBadRequestError, UpstreamUnavailableError } from '../../src/errors/gatewayErrors.js';
import { LiveSeries, type LiveSource, type LiveUpdate } from '../../src/live/liveSeries.js';

const HOUR = 3_600_000;

/** A series whose answers the test scripts: `answers` are taken in order (the last one repeats). */
function source(answers: (number | Error)[], options: Partial<LiveSource<number>> = {}): LiveSource<number> & { asked: Date[] } {
  const asked: Date[] = [];
  return {
    key: 'series',
    endingAt: undefined,
    unit: 'hour',
    ttlMs: () => 1_000,
    async load(instant) {
      asked.push(instant);
      const answer = answers[Math.min(asked.length - 1, answers.length - 1)]!;
      if (answer instanceof Error) throw answer;
      return answer;
    },
    fingerprint: (value) => String(value),
    ...options,
    asked,
  };
}

async function take(iterator: AsyncIterator<LiveUpdate<number>>): Promise<LiveUpdate<number> | undefined> {
  const { value, done } = await iterator.next();
  return done ? undefined : value;
}

describe('LiveSeries (one poll per series)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.parse('2026-01-01T12:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const live = (policy: Partial<typeof DEFAULT_LIVE_POLICY> = {}) => new LiveSeries({ policy: { ...DEFAULT_LIVE_POLICY, minIntervalMs: 300, ...policy } });

  it('polls at the series cache lifetime, never below the minimum, each poll asking about the start of its interval', async () => {
    const series = live({ minIntervalMs: 5_000 });
    const watched = source([1, 2, 3]);
    const updates = series.subscribe(watched, 'a');
    expect(await take(updates)).toMatchObject({ value: 1, status: { state: 'live' } });
    await vi.advanceTimersByTimeAsync(4_999);
    expect(watched.asked).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(watched.asked).toHaveLength(2);
    // The instant is floored to the 5 s interval, so replicas asking within it ask the same question.
    expect(watched.asked.map((instant) => instant.getTime() % 5_000)).toEqual([0, 0]);
    void updates.return?.();
  });

  it('follows a TTL longer than the minimum', async () => {
    const series = live({ minIntervalMs: 100 });
    const watched = source([1], { ttlMs: () => 2_000 });
    const updates = series.subscribe(watched, 'a');
    await take(updates);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(watched.asked).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(watched.asked).toHaveLength(2);
    void updates.return?.();
  });

  it('shares one poll between subscribers of one key; a newcomer gets the last value at once', async () => {
    const series = live();
    const watched = source([7]);
    const first = series.subscribe(watched, 'a');
    await take(first);
    const second = series.subscribe(source([99]), 'b');
    expect(await take(second)).toMatchObject({ value: 7 });
    expect(series.stats()).toMatchObject({ polls: 1, subscriptions: 2 });
    void first.return?.();
    expect(series.stats()).toMatchObject({ polls: 1, subscriptions: 1 });
    void second.return?.();
    expect(series.stats()).toEqual({ polls: 0, subscriptions: 0, timers: 0, inFlight: 0 });
  });

  it('an open breaker is PAUSED until its retryAt, the last value kept; the poll resumes then', async () => {
    const series = live();
    const retryAt = new Date(Date.now() + 10_000);
    const watched = source([1, new CircuitOpenError(retryAt), 2]);
    const updates = series.subscribe(watched, 'a');
    await take(updates);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await take(updates)).toMatchObject({ value: 1, status: { state: 'paused', code: 'UPSTREAM_UNAVAILABLE', retryAt } });
    await vi.advanceTimersByTimeAsync(8_999);
    expect(watched.asked).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(watched.asked).toHaveLength(3);
    expect(await take(updates)).toMatchObject({ value: 2, status: { state: 'live' } });
    void updates.return?.();
  });

  it('an outage is FAILING (pushed once, not at every failed poll) and retried at the interval', async () => {
    const series = live();
    const down = new UpstreamUnavailableError('Braze is unavailable (503)', 503);
    const watched = source([1, down, down, down, 1]);
    const updates = series.subscribe(watched, 'a');
    await take(updates);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await take(updates)).toMatchObject({ value: 1, status: { state: 'failing', code: 'UPSTREAM_UNAVAILABLE', reason: 'Braze is unavailable (503)' } });
    await vi.advanceTimersByTimeAsync(3_000);
    expect(watched.asked).toHaveLength(5);
    // The same numbers as before the outage, but LIVE again: that is a change.
    expect(await take(updates)).toMatchObject({ value: 1, status: { state: 'live' } });
    void updates.return?.();
  });

  it('a failure that would repeat at every poll ends the series with its error', async () => {
    const series = live();
    const refused = new UpstreamBadRequestError('Braze rejected the request as malformed (400)', 400);
    const updates = series.subscribe(source([1, refused]), 'a');
    await take(updates);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await take(updates)).toMatchObject({ value: 1, error: refused });
    expect(await take(updates)).toBeUndefined();
    expect(series.stats()).toEqual({ polls: 0, subscriptions: 0, timers: 0, inFlight: 0 });
  });

  it('a fixed window that closes while watched gets one last push (COMPLETE) and ends', async () => {
    const series = live();
    const endingAt = new Date(Date.now() - HOUR + 2_000);
    const watched = source([1, 1], { endingAt });
    const updates = series.subscribe(watched, 'a');
    expect(await take(updates)).toMatchObject({ status: { state: 'live' } });
    // Asked about its own end every time, never about now.
    await vi.advanceTimersByTimeAsync(3_000);
    expect(await take(updates)).toMatchObject({ value: 1, status: { state: 'complete' } });
    expect(await take(updates)).toBeUndefined();
    expect(watched.asked.every((instant) => instant.getTime() === endingAt.getTime())).toBe(true);
    expect(series.stats().polls).toBe(0);
  });

  it('a slow reader gets the newest value, not a backlog', async () => {
    const series = live();
    const updates = series.subscribe(source([1, 2, 3, 4]), 'a');
    expect(await take(updates)).toMatchObject({ value: 1 });
    await vi.advanceTimersByTimeAsync(3_000);
    expect(await take(updates)).toMatchObject({ value: 4 });
    void updates.return?.();
  });

  it('caps per client and in total, before anything is polled', async () => {
    const series = live({ maxSubscriptions: 2, maxSubscriptionsPerClient: 1 });
    const watched = source([1]);
    await take(series.subscribe(watched, 'a'));
    expect(() => series.subscribe(watched, 'a')).toThrow(TooManySubscriptionsError);
    series.subscribe(watched, 'b');
    expect(() => series.subscribe(watched, 'c')).toThrow(/already serves 2 live series/);
    expect(watched.asked).toHaveLength(1);
    series.close();
    expect(series.stats()).toEqual({ polls: 0, subscriptions: 0, timers: 0, inFlight: 0 });
  });

  it('an aborted signal releases the subscription', async () => {
    const series = live();
    const controller = new AbortController();
    const updates = series.subscribe(source([1]), 'a', controller.signal);
    await take(updates);
    controller.abort();
    expect(series.stats()).toEqual({ polls: 0, subscriptions: 0, timers: 0, inFlight: 0 });
    expect(await take(updates)).toBeUndefined();
  });

  it('a stream never read holds its cap slot but polls nothing; returned, it gives the slot back', async () => {
    const series = live({ maxSubscriptionsPerClient: 1 });
    const watched = source([1]);
    const unread = series.subscribe(watched, 'a');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(watched.asked).toHaveLength(0);
    expect(series.stats()).toEqual({ polls: 0, subscriptions: 1, timers: 0, inFlight: 0 });
    expect(() => series.subscribe(watched, 'a')).toThrow(TooManySubscriptionsError);
    await unread.return?.();
    expect(series.stats()).toEqual({ polls: 0, subscriptions: 0, timers: 0, inFlight: 0 });
    // Returned before it was read: reading it now ends at once, and still asks nothing.
    expect(await take(unread)).toBeUndefined();
    expect(watched.asked).toHaveLength(0);
    const again = series.subscribe(watched, 'a');
    expect(await take(again)).toMatchObject({ value: 1 });
    void again.return?.();
  });

  it('an aborted signal releases a stream never read; shutdown ends one too', async () => {
    const series = live();
    const controller = new AbortController();
    const watched = source([1]);
    const aborted = series.subscribe(watched, 'a', controller.signal);
    const open = series.subscribe(watched, 'b');
    controller.abort();
    expect(series.stats()).toMatchObject({ subscriptions: 1 });
    series.close();
    expect(series.stats()).toEqual({ polls: 0, subscriptions: 0, timers: 0, inFlight: 0 });
    expect(await take(aborted)).toBeUndefined();
    expect(await take(open)).toBeUndefined();
    expect(watched.asked).toHaveLength(0);
  });

  it('a signal aborted before subscribing releases at once', async () => {
    const series = live();
    const controller = new AbortController();
    controller.abort();
    const updates = series.subscribe(source([1]), 'a', controller.signal);
    expect(series.stats()).toEqual({ polls: 0, subscriptions: 0, timers: 0, inFlight: 0 });
    expect(await take(updates)).toBeUndefined();
  });
});
