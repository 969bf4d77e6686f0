import { describe, expect, it } from 'vitest';
import { createMemoryCache } from '../../src/cache/memoryCache.js';
import { bodyCodec } from '../../src/data/cache.js';
import { eventListEndpoint } from '../../src/endpoints/eventList.js';
import { eventSeriesEndpoint, type EventSeriesCall } from '../../src/endpoints/eventSeries.js';
import { defaultSeries } from '../../testkit/fakeBraze.js';

const AT = '2024-03-10T00:00:00Z';
const call = (length: number): EventSeriesCall => ({ event: 'purchase', length, unit: 'day', endingAt: new Date(AT), appId: undefined, segmentId: undefined });
const series = (length: number) => eventSeriesEndpoint.parse(JSON.stringify(defaultSeries({ event: 'purchase', length: String(length), unit: 'day', ending_at: AT })), call(length));

/**
 * The in-memory answer cache counts what V8 keeps for an answer, as `npm run bench:memory -- kinds`
 * measured it (Node 20): 16,351 bytes for a 100-point event series with its key and entry (about 160
 * a point: an object, a Date, a number), 36,300 for a page of 250 event names of 60 € each.
 */
describe('the in-memory answer cache', () => {
  it('counts a 100-point series at no less than V8 keeps for it', async () => {
    const cache = createMemoryCache({ maxEntries: 10, maxBytes: 1024 * 1024 });
    await cache.set('eventSeries:["purchase",100]', { answer: series(100), fetchedAt: new Date() }, 60_000, bodyCodec(eventSeriesEndpoint.parse, call(100)));
    expect(cache.bytes).toBeGreaterThanOrEqual(16_351);
  });

  it('counts names by what their characters take: two bytes each above U+00FF', async () => {
    const cache = createMemoryCache({ maxEntries: 10, maxBytes: 1024 * 1024 });
    const names = Array.from({ length: 250 }, (_, k) => `${k}`.padEnd(60, '€'));
    await cache.set('eventList:0', { answer: names, fetchedAt: new Date() }, 60_000, bodyCodec(eventListEndpoint.parse, { page: 0 }));
    expect(cache.bytes).toBeGreaterThanOrEqual(36_300);
  });

  it('keeps answers within its bytes, the least recently used dropped first', async () => {
    const probe = createMemoryCache({ maxEntries: 10, maxBytes: 1024 * 1024 });
    await probe.set('a', { answer: series(10), fetchedAt: new Date() }, 60_000, bodyCodec(eventSeriesEndpoint.parse, call(100)));
    const cache = createMemoryCache({ maxEntries: 10, maxBytes: Math.floor(2.5 * probe.bytes) });
    for (const key of ['a', 'b', 'c']) await cache.set(key, { answer: series(10), fetchedAt: new Date() }, 60_000, bodyCodec(eventSeriesEndpoint.parse, call(100)));
    expect(await cache.get('a', bodyCodec(eventSeriesEndpoint.parse, call(100)))).toBeUndefined();
    expect(await cache.get('b', bodyCodec(eventSeriesEndpoint.parse, call(100)))).toBeDefined();
    expect(await cache.get('c', bodyCodec(eventSeriesEndpoint.parse, call(100)))).toBeDefined();
    expect(cache.bytes).toBe(2 * probe.bytes);
  });
});
