import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { acceptsMediaType } from '../../src/plugins/acceptHeader.js';

/** Yoga's own reading of Accept (not exported by the package: loaded by path). */
const yoga = createRequire(import.meta.url)('../../node_modules/graphql-yoga/cjs/plugins/result-processor/accept.js') as {
  getMediaTypesForRequestInOrder(request: Request): string[];
  isMatchingMediaType(processorMediaType: string, requestMediaType: string): boolean;
};

/** Whether yoga would pick a processor of `mediaType` for a request with this Accept (exactly its loop). */
function yogaUses(accept: string | null, mediaType: string): boolean {
  const request = new Request('http://localhost/graphql', accept === null ? {} : { headers: { accept } });
  return yoga.getMediaTypesForRequestInOrder(request).some((requested) => yoga.isMatchingMediaType(mediaType, requested));
}

/** The header as a handler reads it (fetch's Headers trims it, as Node's parser does). */
function read(accept: string | null): string | null {
  return accept === null ? null : new Request('http://localhost/graphql', { headers: { accept } }).headers.get('accept');
}

const TYPES = ['text/event-stream', 'multipart/mixed'] as const;

describe('acceptsMediaType: as yoga reads Accept, never taking what yoga would not write', () => {
  it.each([
    [null, 'text/event-stream', true],
    ['', 'text/event-stream', true],
    ['*/*', 'text/event-stream', true],
    ['text/*', 'text/event-stream', true],
    ['*/event-stream', 'text/event-stream', true],
    ['TEXT/Event-Stream', 'text/event-stream', true],
    ['text / event-stream', 'text/event-stream', true],
    ['text/event-stream;charset=UTF-8', 'text/event-stream', true],
    ['text/event-stream/extra', 'text/event-stream', true],
    ['application/json, text/event-stream;q=0.1', 'text/event-stream', true],
    ['*/*;q=0, text/event-stream', 'text/event-stream', true],
    ['text/*;q=0, text/event-stream', 'text/event-stream', true],
    ['application/json', 'text/event-stream', false],
    ['multipart/mixed;boundary="graphql";subscriptionSpec="1.0", application/json', 'text/event-stream', false],
    ['text/event-stream;charset=latin1', 'text/event-stream', false],
    ['text/event-stream;charset="utf-8"', 'text/event-stream', false],
    ['text/event-stream;xcharset=utf-8', 'text/event-stream', false],
    ['text/event-stream;q=0', 'text/event-stream', false],
    ['text/event-stream;q=0.000', 'text/event-stream', false],
    ['text/event-stream;q=0, */*', 'text/event-stream', false],
    ['text/event-stream;q=0, text/event-stream', 'text/event-stream', false],
    ['*/*;q=0', 'text/event-stream', false],
    [',,,', 'text/event-stream', false],
    ['text', 'text/event-stream', false],
    ['*', 'text/event-stream', false],
  ])('%j takes %s: %s', (accept, mediaType, expected) => {
    expect(acceptsMediaType(accept, mediaType)).toBe(expected);
  });

  it('agrees with yoga on 20,000 generated headers, except that it refuses a type given q=0', () => {
    const pieces = ['text/event-stream', 'multipart/mixed', 'application/json', 'text/*', '*/*', '*/event-stream', 'text/html', 'TEXT/EVENT-STREAM', 'text', 'event-stream', '*', '/',
      ';charset=utf-8', ';charset=latin1', ';CHARSET=UTF-8', ';charset="utf-8"', ';xcharset=a', ';q=0', ';q=0.0', ';q=0.5', ';q=1', ';boundary="graphql"', ';', ',', ', ', ' ', '\t', '"'];
    // A fixed-seed generator (mulberry32): the same headers every run.
    let seed = 19;
    const random = (below: number): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) % below;
    };
    let agreed = 0;
    let refusedByQ = 0;
    let taken = 0;
    for (let n = 0; n < 20_000; n++) {
      const accept = read(Array.from({ length: 1 + random(8) }, () => pieces[random(pieces.length)]).join(''));
      for (const mediaType of TYPES) {
        const mine = acceptsMediaType(accept, mediaType);
        const theirs = yogaUses(accept, mediaType);
        if (mine) taken++;
        // Never more than yoga: what is let through, yoga writes.
        if (mine) expect(theirs, `${JSON.stringify(accept)} ${mediaType}`).toBe(true);
        // Less only where the client wrote q=0.
        if (mine !== theirs) {
          expect(accept?.replace(/\s/g, ''), `${JSON.stringify(accept)} ${mediaType}`).toMatch(/;q=0(\.0*)?(?:[;,]|$)/i);
          refusedByQ++;
        } else agreed++;
      }
    }
    // The generated headers exercise every outcome: taken, refused alike, refused for q=0 only.
    expect({ agreed: agreed > 30_000, taken: taken > 1_000, refusedByQ: refusedByQ > 100 }).toEqual({ agreed: true, taken: true, refusedByQ: true });
  });

  it('reads a hostile header of 1 MiB (commas, parameters) at once (a quadratic reading would outlast the test timeout)', () => {
    expect(acceptsMediaType(`${',;q=0'.repeat(200_000)},text/event-stream`, 'text/event-stream')).toBe(true);
    expect(acceptsMediaType(',;'.repeat(500_000), 'text/event-stream')).toBe(false);
  });
});
