import { describe, expect, it } from 'vitest';
import { RateLimitTracker } from '../../src/braze/rateLimit.js';

const NOW = 1_700_000_000_000;
const RESET = String(NOW / 1000 + 3600);
const headers = (remaining: number, reset = RESET) => ({ 'x-ratelimit-limit': '250000', 'x-ratelimit-remaining': String(remaining), 'x-ratelimit-reset': reset });

describe('RateLimitTracker', () => {
  it('knows nothing, and holds nothing back, before Braze says anything', () => {
    const tracker = new RateLimitTracker(100, () => NOW);
    expect(tracker.snapshot()).toBeUndefined();
    expect(tracker.take()).toBeUndefined();
    expect(tracker.paused()).toBe(false);
  });

  it('counts calls on the wire until they are answered, then takes Braze\'s figure', () => {
    const tracker = new RateLimitTracker(100, () => NOW);
    tracker.take();
    tracker.settle(headers(1000));
    expect(tracker.snapshot()?.remaining).toBe(1000);
    tracker.take();
    tracker.take();
    expect(tracker.snapshot()?.remaining).toBe(998);
    tracker.settle(undefined); // failed before headers: no longer on the wire
    expect(tracker.snapshot()?.remaining).toBe(999);
    tracker.settle(headers(997)); // Braze counted both
    expect(tracker.snapshot()?.remaining).toBe(997);
  });

  it('within a window the latest answer wins, even a higher one: one stray low figure cannot pause for the hour', () => {
    const tracker = new RateLimitTracker(100, () => NOW);
    tracker.take();
    tracker.settle(headers(50));
    expect(tracker.paused()).toBe(true);
    // An answer that was already on its way (taken before the pause) corrects it.
    tracker.settle(headers(240_000));
    expect(tracker.paused()).toBe(false);
    expect(tracker.snapshot()?.remaining).toBe(240_000);
  });

  it('an earlier window never replaces a later one; a later one always does', () => {
    const tracker = new RateLimitTracker(0, () => NOW);
    tracker.settle(headers(10, String(NOW / 1000 + 7200)));
    tracker.settle(headers(99_999, RESET));
    expect(tracker.snapshot()?.remaining).toBe(10);
  });

  it('refuses at the reserve counting the calls on the wire, and not after the reset', () => {
    let now = NOW;
    const tracker = new RateLimitTracker(100, () => now);
    tracker.settle(headers(102));
    expect(tracker.take()).toBeUndefined();
    expect(tracker.take()).toBeUndefined();
    const refusal = tracker.take();
    expect(refusal?.code).toBe('UPSTREAM_RATE_LIMITED');
    expect(refusal?.details()).toMatchObject({ reserve: true, resetAt: new Date(Number(RESET) * 1000).toISOString() });
    expect(() => tracker.admit()).toThrow(/reserve of 100/);
    now = Number(RESET) * 1000;
    expect(tracker.take()).toBeUndefined();
  });
});
