import { describe, expect, it } from 'vitest';
import { RateLimitTracker, type Ticket } from '../../src/braze/rateLimit.js';
import { ImplausibleFigureLog, readRateLimitHeaders, readRateLimitReset, type Headers } from '../../src/braze/rateLimitHeaders.js';
import type { Logger } from '../../src/observability/logger.js';

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
    tracker.settle(a, headers(10, RESET));
    tracker.settle(b, headers(99_999, String(NOW / 1000 + 60)));
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

describe('RateLimitTracker: a Braze (or proxy) that never sends a usable figure', () => {
  it.each([
    ['none yet', false],
    ["the last one's window has reset", true],
  ])('keeps nothing per failed call while no figure holds (%s): two million calls leave the heap as it was', (_name, expired) => {
    let now = NOW;
    const tracker = new RateLimitTracker(100, () => now);
    if (expired) {
      tracker.settle(take(tracker), headers(1000));
      now = Number(RESET) * 1000;
    }
    const before = process.memoryUsage().heapUsed;
    for (let call = 0; call < 2_000_000; call++) tracker.settle(take(tracker), undefined);
    const grownMiB = (process.memoryUsage().heapUsed - before) / 2 ** 20;
    // Calls that failed without a figure (or whose figure was ignored) were kept, one number each: the heap
    // grew 124 MiB here before (40 MiB of it retained after a full GC: 2 million numbers in a Set).
    expect(grownMiB).toBeLessThan(24);
    expect(tracker.paused()).toBe(false);
  });
});

/** Hostile values of each header, as a misbehaving Braze or proxy could send them. */
const HOSTILE_RESETS: readonly (string | string[])[] = [
  '1e20',
  '1'.repeat(30),
  '-1',
  'NaN',
  'soon',
  'Infinity',
  '0x6553F100',
  `${NOW / 1000 + 3600}.5`,
  '',
  '   ',
  '١٧٠٠٠٠٣٦٠٠', // Arabic-Indic digits
  '１７００００３６００', // full-width digits
  `+${NOW / 1000 + 3600}`,
  `${NOW / 1000 + 3600} 1`,
  String(NOW / 1000 - 3600), // an hour in the past
  String(NOW / 1000 + 86_400 * 365), // a year ahead
  '0',
  [RESET, String(Number(RESET) + 1)], // repeated, different
];
const HOSTILE_COUNTS: readonly string[] = ['1e300', '1e3', '-5', '5.5', '', ' ', 'Infinity', '0x10', '2147483648', '٥'];

describe('readRateLimitHeaders: what cannot be Braze\'s figure is ignored, whole', () => {
  const figure = (remaining: string | string[], reset: string | string[] = RESET, limit: string | string[] | null = '250000'): Headers => ({
    ...(limit === null ? {} : { 'x-ratelimit-limit': limit }),
    'x-ratelimit-remaining': remaining,
    'x-ratelimit-reset': reset,
  });

  it('reads a real figure: whole numbers, a reset within the hour', () => {
    expect(readRateLimitHeaders(figure('1000'), NOW)).toEqual({ kind: 'figure', figure: { limit: 250_000, remaining: 1000, resetAt: Number(RESET) * 1000 } });
    // No limit: the tracker keeps the last one. Spaces around a value, and a header repeated with one value, are HTTP.
    expect(readRateLimitHeaders(figure(' 7 ', ['\t' + RESET, RESET], null), NOW)).toEqual({ kind: 'figure', figure: { limit: undefined, remaining: 7, resetAt: Number(RESET) * 1000 } });
    // Clock skew: five minutes either way of the window are still real.
    expect(readRateLimitHeaders(figure('1', String(NOW / 1000 - 300)), NOW).kind).toBe('figure');
    expect(readRateLimitHeaders(figure('1', String(NOW / 1000 + 3600 + 300)), NOW).kind).toBe('figure');
    expect(readRateLimitHeaders(figure('0', RESET, '1'), NOW).kind).toBe('figure');
    expect(readRateLimitHeaders(figure('2147483647', RESET, '2147483647'), NOW).kind).toBe('figure');
  });

  it('no rate-limit headers at all is no figure, and nothing to report', () => {
    expect(readRateLimitHeaders({ 'content-type': 'application/json' }, NOW)).toEqual({ kind: 'none' });
  });

  it.each(HOSTILE_RESETS.map((reset) => [JSON.stringify(reset), reset] as const))('x-ratelimit-reset %s', (_name, reset) => {
    const reading = readRateLimitHeaders(figure('1000', reset), NOW);
    expect(reading.kind).toBe('implausible');
    if (reading.kind === 'implausible') expect(reading.problem).toMatch(/x-ratelimit-reset/);
    expect(readRateLimitReset(figure('0', reset), NOW)).toBeUndefined();
  });

  it('just past the bounds of the skew is not real', () => {
    expect(readRateLimitHeaders(figure('1', String(NOW / 1000 - 301)), NOW).kind).toBe('implausible');
    expect(readRateLimitHeaders(figure('1', String(NOW / 1000 + 3600 + 301)), NOW).kind).toBe('implausible');
  });

  it.each(HOSTILE_COUNTS)('x-ratelimit-remaining %j', (remaining) => {
    expect(readRateLimitHeaders(figure(remaining), NOW)).toMatchObject({ kind: 'implausible', problem: expect.stringContaining('x-ratelimit-remaining') });
  });

  it.each([...HOSTILE_COUNTS, '0'])('x-ratelimit-limit %j', (limit) => {
    expect(readRateLimitHeaders(figure('0', RESET, limit), NOW)).toMatchObject({ kind: 'implausible', problem: expect.stringContaining('x-ratelimit-limit') });
  });

  it('remaining above the limit, a repeated count with two values', () => {
    expect(readRateLimitHeaders(figure('1001', RESET, '1000'), NOW)).toMatchObject({ kind: 'implausible', problem: 'x-ratelimit-remaining 1001 exceeds x-ratelimit-limit 1000' });
    expect(readRateLimitHeaders(figure(['5', '6']), NOW).kind).toBe('implausible');
  });

  it('a remaining without a reset, or the other way round, is no figure (a 429 may carry its reset alone)', () => {
    expect(readRateLimitHeaders({ 'x-ratelimit-remaining': '5' }, NOW)).toEqual({ kind: 'none' });
    expect(readRateLimitHeaders({ 'x-ratelimit-reset': RESET }, NOW)).toEqual({ kind: 'none' });
  });

  it('quotes what it got cut short, control characters escaped', () => {
    const reading = readRateLimitHeaders(figure(`x\u0000${'y'.repeat(500)}`), NOW);
    expect(reading.kind === 'implausible' && reading.problem.length).toBeLessThan(120);
    expect(reading.kind === 'implausible' && reading.problem).toContain('\\u0000');
  });

  it("a 429's reset is read the same way, alone or with a figure, and not believed beside a figure that cannot be real", () => {
    expect(readRateLimitReset({ 'x-ratelimit-reset': RESET }, NOW)).toBe(Number(RESET) * 1000);
    expect(readRateLimitReset(figure('0'), NOW)).toBe(Number(RESET) * 1000);
    expect(readRateLimitReset({}, NOW)).toBeUndefined();
    expect(readRateLimitReset(figure('1e300'), NOW)).toBeUndefined();
    expect(readRateLimitReset(figure('0', RESET, '0'), NOW)).toBeUndefined();
  });
});

describe('RateLimitTracker: headers that cannot be a real figure', () => {
  it.each([
    ['a reset of 1e20', headers(5, '1e20')],
    ['a reset a year ahead', headers(5, String(NOW / 1000 + 86_400 * 365))],
    ['a remaining of 1e300', { ...headers(5), 'x-ratelimit-remaining': '1e300' }],
  ])('%s: ignored as if absent, told, and the call counted as Braze may have', (_name, hostile) => {
    const problems: string[] = [];
    const tracker = new RateLimitTracker(100, () => NOW, (problem) => problems.push(problem));
    tracker.settle(take(tracker), headers(1000));
    expect(tracker.settle(take(tracker), hostile)).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(tracker.snapshot()).toEqual({ limit: 250_000, remaining: 999, resetAt: new Date(Number(RESET) * 1000) });
    expect(tracker.paused()).toBe(false);
  });

  it('a figure that can be real is returned, for the shared view', () => {
    const tracker = new RateLimitTracker(100, () => NOW);
    expect(tracker.settle(take(tracker), headers(1000))).toEqual({ limit: 250_000, remaining: 1000, resetAt: Number(RESET) * 1000 });
  });
});

describe('ImplausibleFigureLog: once, then at most a line a minute per bucket', () => {
  it('logs the first at once, counts the rest, and says how many when it logs again', () => {
    let now = NOW;
    const lines: unknown[][] = [];
    const logger: Logger = { debug: () => undefined, info: () => undefined, error: () => undefined, warn: (...args: unknown[]) => lines.push(args) };
    const log = new ImplausibleFigureLog(logger, () => now);
    for (let i = 0; i < 1000; i++) log.report('export', 'x-ratelimit-reset "1e20" is not whole epoch seconds');
    log.report('lists', 'x-ratelimit-limit "0" is not a count from 1 to 2147483647');
    expect(lines).toHaveLength(2);
    expect(lines[0]?.[1]).toEqual({ upstream: { bucket: 'export', problem: 'x-ratelimit-reset "1e20" is not whole epoch seconds' } });
    now += 59_999;
    log.report('export', 'again');
    expect(lines).toHaveLength(2);
    now += 1;
    log.report('export', 'again');
    expect(lines).toHaveLength(3);
    expect(lines[2]?.[1]).toEqual({ upstream: { bucket: 'export', problem: 'again', alsoIgnoredSinceLastLine: 1000 } });
  });
});
