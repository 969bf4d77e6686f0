import { describe, expect, it } from 'vitest';
import type { TtlPolicy } from '../../src/data/endpoint.js';
import { canvasSeriesEndpoint } from '../../src/endpoints/canvasSeries.js';
import { eventSeriesEndpoint, type EventSeriesCall } from '../../src/endpoints/eventSeries.js';
import { seriesSource } from '../../src/live/seriesSource.js';

const TTL: TtlPolicy = { liveTtlMs: 60_000, pastTtlMs: 600_000, settledTtlMs: 86_400_000 };
const NOW = Date.parse('2026-03-10T12:00:00Z');

const event = (endingAt: Date, length = 7): EventSeriesCall => ({ event: 'purchase', length, unit: 'hour', endingAt, appId: undefined, segmentId: undefined });
const points = (values: number[]) => ({ points: values.map((value, index) => ({ time: new Date(index * 3_600_000), value })) });
const noLoad = () => Promise.reject(new Error('not polled here'));

describe('seriesSource (a live series, derived from its endpoint)', () => {
  it('"now" series share one key whatever instant they were checked at; a given end is its own key', () => {
    const nowA = seriesSource(eventSeriesEndpoint, event(new Date(NOW)), undefined, TTL, noLoad);
    const nowB = seriesSource(eventSeriesEndpoint, event(new Date(NOW + 5_000)), undefined, TTL, noLoad);
    const at = seriesSource(eventSeriesEndpoint, event(new Date(NOW)), new Date(NOW), TTL, noLoad);
    expect(nowA.key).toBe(nowB.key);
    expect(nowA.key).toBe(`eventSeries:now:${eventSeriesEndpoint.key(event(new Date(0)))}`);
    expect(at.key).toBe(`eventSeries:at:${eventSeriesEndpoint.key(event(new Date(NOW)))}`);
    // Another length is another series.
    expect(seriesSource(eventSeriesEndpoint, event(new Date(NOW), 8), undefined, TTL, noLoad).key).not.toBe(nowA.key);
    expect([nowA.endingAt, at.endingAt]).toEqual([undefined, new Date(NOW)]);
  });

  it("polls at the endpoint's TTL rule for the poll's instant: live while the window is open, longer once it is past", () => {
    const source = seriesSource(eventSeriesEndpoint, event(new Date(NOW)), undefined, TTL, noLoad);
    expect(source.unit).toBe('hour');
    expect(source.ttlMs(new Date(NOW), NOW)).toBe(TTL.liveTtlMs);
    expect(source.ttlMs(new Date(NOW - 2 * 3_600_000), NOW)).toBe(TTL.pastTtlMs);
    expect(source.ttlMs(new Date(NOW - 30 * 86_400_000), NOW)).toBe(TTL.settledTtlMs);
  });

  it('a call without a unit (a Canvas series) is daily', () => {
    const call = { canvasId: 'c', length: 3, startingAt: undefined, endingAt: new Date(NOW), variants: false, steps: true, deletedSteps: false };
    const source = seriesSource(canvasSeriesEndpoint, call, undefined, TTL, noLoad);
    expect(source.unit).toBe('day');
    expect(source.key).toBe(`canvasSeries:now:${canvasSeriesEndpoint.key({ ...call, endingAt: new Date(0) })}`);
  });

  it('the same points are the same numbers, whatever else the value carries; the poll is the load given', async () => {
    const load = (instant: Date) => Promise.resolve({ ...points([1, 2]), fetchedAt: instant });
    const source = seriesSource(eventSeriesEndpoint, event(new Date(NOW)), undefined, TTL, load);
    const [a, b] = await Promise.all([source.load(new Date(1), new AbortController().signal), source.load(new Date(2), new AbortController().signal)]);
    expect(a.fetchedAt).toEqual(new Date(1));
    expect(source.fingerprint(a)).toBe(source.fingerprint(b));
    expect(source.fingerprint({ ...points([1, 3]), fetchedAt: new Date(1) })).not.toBe(source.fingerprint(a));
  });
});
