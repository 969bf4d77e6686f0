import { describe, expect, it } from 'vitest';
import { RateLimitTracker, type Ticket } from '../../src/braze/rateLimit.js';

const NOW = 1_700_000_000_000;
const RESET = String(NOW / 1000 + 3600);
const headers = (remaining: number, reset = RESET) => ({ 'x-ratelimit-limit': '250000', 'x-ratelimit-remaining': String(remaining), 'x-ratelimit-reset': reset });

/** A ticket, failing the test if the tracker refused. */
function take(tracker: RateLimitTracker): Ticket {
  const taken = tracker.take();
  if (typeof taken !== 'number') throw new Error(`refused: ${taken.message}`);
  return taken;
}

describe('RateLimitTracker', () => {
  it('knows nothing, and holds nothing back, before Braze says anything', () => {
    const tracker = new RateLimitTracker(100, () => NOW);
    expect(tracker.snapshot()).toBeUndefined();
    expect(typeof tracker.take()).toBe('number');
    expect(tracker.paused()).toBe(false);
  });

  it("counts calls sent after the figure's call until a later call's answer replaces the figure", () => {
    const tracker = new RateLimitTracker(100, () => NOW);
    tracker.settle(take(tracker), headers(1000));
    expect(tracker.snapshot()?.remaining).toBe(1000);
    const a = take(tracker);
    const b = take(tracker);
    expect(tracker.snapshot()?.remaining).toBe(998);
    tracker.settle(a, undefined); // failed without an answer: Braze may have counted it
    expect(tracker.snapshot()?.remaining).toBe(998);
    tracker.settle(b, headers(997)); // Braze's figure after both
    expect(tracker.snapshot()?.remaining).toBe(997);
  });

  it('answers arriving out of order: the later-sent call\'s figure stands', () => {
    const tracker = new RateLimitTracker(0, () => NOW);
    const first = take(tracker);
    const second = take(tracker);
    tracker.settle(second, headers(500));
    tracker.settle(first, headers(501)); // older news
    expect(tracker.snapshot()?.remaining).toBe(500);
  });

  it('a later figure wins even when higher: one stray low figure cannot pause for the hour', () => {
    const tracker = new RateLimitTracker(100, () => NOW);
    const early = take(tracker);
    tracker.settle(early, headers(50));
    expect(tracker.paused()).toBe(true);
    expect(typeof tracker.take()).not.toBe('number');
    // A call sent after the pause... cannot be; but one sent before it and answered later can correct it.
    const tracker2 = new RateLimitTracker(100, () => NOW);
    const a = take(tracker2);
    const b = take(tracker2);
    tracker2.settle(a, headers(50));
    expect(tracker2.paused()).toBe(true);
    tracker2.settle(b, headers(240_000));
    expect(tracker2.paused()).toBe(false);
    expect(tracker2.snapshot()?.remaining).toBe(240_000);
  });

  it('an earlier window never replaces a later one; a later one always does', () => {
    const tracker = new RateLimitTracker(0, () => NOW);
    const a = take(tracker);
    const b = take(tracker);
    tracker.settle(a, headers(10, String(NOW / 1000 + 7200)));
    tracker.settle(b, headers(99_999, RESET));
    expect(tracker.snapshot()?.remaining).toBe(10);
  });

  it('refuses at the reserve counting the calls on the wire, and not after the reset', () => {
    let now = NOW;
    const tracker = new RateLimitTracker(100, () => now);
    tracker.settle(take(tracker), headers(102));
    take(tracker);
    take(tracker);
    const refusal = tracker.take();
    expect(typeof refusal).not.toBe('number');
    if (typeof refusal === 'number') return;
    expect(refusal.code).toBe('UPSTREAM_RATE_LIMITED');
    expect(refusal.details()).toMatchObject({ reserve: true, resetAt: new Date(Number(RESET) * 1000).toISOString() });
    expect(() => tracker.admit()).toThrow(/reserve of 100/);
    now = Number(RESET) * 1000;
    expect(typeof tracker.take()).toBe('number');
  });
});

describe('RateLimitTracker: calls that failed without an answer', () => {
  it('count until a later figure, and when they alone reach the reserve one call at a time may fetch a fresh figure', () => {
    const tracker = new RateLimitTracker(100, () => NOW);
    tracker.settle(take(tracker), headers(103));
    // Three calls written and abandoned before Braze answered: maybe counted, maybe not.
    for (let i = 0; i < 3; i++) tracker.settle(take(tracker), undefined);
    expect(tracker.snapshot()?.remaining).toBe(100);
    // Not paused: one probe may go.
    expect(tracker.paused()).toBe(false);
    const probe = take(tracker);
    // While it is out, nothing else goes.
    expect(typeof tracker.take()).not.toBe('number');
    expect(tracker.paused()).toBe(true);
    // Braze had counted none of them: its figure corrects the estimate.
    tracker.settle(probe, headers(102));
    expect(tracker.snapshot()?.remaining).toBe(102);
    expect(tracker.paused()).toBe(false);
  });

  it('no probe when Braze\'s own figure is at the reserve', () => {
    const tracker = new RateLimitTracker(100, () => NOW);
    tracker.settle(take(tracker), headers(100));
    expect(tracker.paused()).toBe(true);
    expect(typeof tracker.take()).not.toBe('number');
  });

  it('a failed call sent before the figure\'s call does not count: the figure already includes it', () => {
    const tracker = new RateLimitTracker(0, () => NOW);
    const early = take(tracker);
    const late = take(tracker);
    tracker.settle(late, headers(500));
    tracker.settle(early, undefined);
    expect(tracker.snapshot()?.remaining).toBe(500);
  });
});
