import { describe, expect, it } from 'vitest';
import type { Endpoint } from '../../src/data/endpoint.js';
import { createLoadStats, createRequestLoader } from '../../src/data/loader.js';
import type { DataService, Loaded } from '../../src/data/service.js';

/** A call of a made-up series: how far back it reaches, and which optional parts it asks for. */
interface Call {
  readonly name: string;
  readonly length: number;
  readonly parts: readonly string[];
}

/** The answer: one entry per unit, each carrying the parts asked for. */
type Answer = readonly { readonly index: number; readonly parts: readonly string[] }[];

const key = (call: Call): string => JSON.stringify([call.name, call.length, [...call.parts].sort()]);

function endpoint(withCover: boolean): Endpoint<Call, Answer> {
  return {
    name: withCover ? 'covered' : 'furthest',
    path: '/made-up',
    permission: 'made-up',
    bucket: 'export',
    key,
    searchParams: (call) => new URLSearchParams({ name: call.name, length: String(call.length), parts: [...call.parts].sort().join(',') }),
    parse: () => [],
    ttlMs: () => 0,
    coalescing: {
      windowKey: (call) => call.name,
      reach: (call) => call.length,
      ...(withCover
        ? {
            cover: (group: readonly Call[]): Call => ({
              name: group[0]!.name,
              length: Math.max(...group.map((call) => call.length)),
              parts: [...new Set(group.flatMap((call) => call.parts))].sort(),
            }),
          }
        : {}),
      slice: (answer, _covering, call) => answer.slice(answer.length - call.length).map((entry) => ({ ...entry, parts: entry.parts.filter((part) => call.parts.includes(part)) })),
    },
    simulate: () => ({ status: 200, body: {} }),
  };
}

/** A service that answers any call at once and records the query string of each. */
function recordingService(): { service: DataService; made: string[] } {
  const made: string[] = [];
  const service = {
    get<C, A>(target: Endpoint<C, A>, call: C): Promise<Loaded<A>> {
      made.push(target.searchParams(call).toString());
      const { length, parts } = call as unknown as Call;
      const answer = Array.from({ length }, (_, index) => ({ index, parts }));
      return Promise.resolve({ answer: answer as unknown as A, fetchedAt: new Date(0), source: 'braze', expiresAt: 60_000 });
    },
  };
  // Only `get` is used by the loader.
  return { service: service as unknown as DataService, made };
}

describe('request loader coalescing', () => {
  it('a group asking different parts is one covering call (length = max, parts = union); each gets its own part', async () => {
    const { service, made } = recordingService();
    const stats = createLoadStats();
    const loader = createRequestLoader(service, { maxCalls: 10, stats });
    const covered = endpoint(true);
    const [a, b, c] = await Promise.all([
      loader.load(covered, { name: 'x', length: 3, parts: ['variants'] }),
      loader.load(covered, { name: 'x', length: 5, parts: ['steps'] }),
      loader.load(covered, { name: 'x', length: 2, parts: [] }),
    ]);
    expect(made).toEqual(['name=x&length=5&parts=steps%2Cvariants']);
    expect(a.answer).toEqual([2, 3, 4].map((index) => ({ index, parts: ['variants'] })));
    expect(b.answer).toEqual([0, 1, 2, 3, 4].map((index) => ({ index, parts: ['steps'] })));
    expect(c.answer).toEqual([3, 4].map((index) => ({ index, parts: [] })));
    expect(stats.coalesced).toBe(3);
    // The covering call is this request's answer to exactly that call, later loads included.
    const again = await loader.load(covered, { name: 'x', length: 5, parts: ['variants', 'steps'] });
    expect(again.answer).toHaveLength(5);
    expect(made).toHaveLength(1);
  });

  it('a covering call equal to one of the group is that call: its field gets the answer whole', async () => {
    const { service, made } = recordingService();
    const stats = createLoadStats();
    const loader = createRequestLoader(service, { maxCalls: 10, stats });
    const covered = endpoint(true);
    const [whole, part] = await Promise.all([
      loader.load(covered, { name: 'x', length: 4, parts: ['steps', 'variants'] }),
      loader.load(covered, { name: 'x', length: 2, parts: ['steps'] }),
    ]);
    expect(made).toEqual(['name=x&length=4&parts=steps%2Cvariants']);
    expect(whole.answer).toEqual([0, 1, 2, 3].map((index) => ({ index, parts: ['steps', 'variants'] })));
    expect(part.answer).toEqual([2, 3].map((index) => ({ index, parts: ['steps'] })));
    expect(stats.coalesced).toBe(1);
  });

  it('without cover, the furthest-reaching call of the group is made, as before', async () => {
    const { service, made } = recordingService();
    const loader = createRequestLoader(service, { maxCalls: 10 });
    const furthest = endpoint(false);
    const [short, long] = await Promise.all([
      loader.load(furthest, { name: 'x', length: 2, parts: ['variants'] }),
      loader.load(furthest, { name: 'x', length: 6, parts: ['steps'] }),
    ]);
    expect(made).toEqual(['name=x&length=6&parts=steps']);
    expect(long.answer).toHaveLength(6);
    expect(short.answer).toEqual([4, 5].map((index) => ({ index, parts: [] })));
  });

  it('a lone call is made as it is, cover or not', async () => {
    const { service, made } = recordingService();
    const loader = createRequestLoader(service, { maxCalls: 10 });
    await loader.load(endpoint(true), { name: 'y', length: 3, parts: ['steps'] });
    expect(made).toEqual(['name=y&length=3&parts=steps']);
  });
});

describe('createRequestLoader hands each answer over as it comes', () => {
  /** A service whose calls named "slow" answer only when `release` is called. */
  function gatedService(): { service: DataService; release: () => void } {
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const service = {
      async get<C, A>(_target: Endpoint<C, A>, call: C): Promise<Loaded<A>> {
        if ((call as unknown as Call).name === 'slow') await gate;
        return { answer: [] as unknown as A, fetchedAt: new Date(0), source: 'braze', expiresAt: 60_000 };
      },
    };
    // Only `get` is used by the loader.
    return { service: service as unknown as DataService, release };
  }

  it('a fast call loaded in the same batch as a slow one is answered before the slow one is (a deferred field does not hold up the rest)', async () => {
    const { service, release } = gatedService();
    const loader = createRequestLoader(service, { maxCalls: 10 });
    const order: string[] = [];
    const fast = loader.load(endpoint(false), { name: 'fast', length: 1, parts: [] }).then(() => order.push('fast'));
    const slow = loader.load(endpoint(false), { name: 'slow', length: 1, parts: [] }).then(() => order.push('slow'));
    await fast;
    expect(order).toEqual(['fast']);
    release();
    await slow;
    expect(order).toEqual(['fast', 'slow']);
  });

  it('a failed call fails only its own loads, every one of them, and is made once', async () => {
    let calls = 0;
    const service = {
      get(): Promise<never> {
        calls++;
        return Promise.reject(new Error('no'));
      },
    } as unknown as DataService;
    const loader = createRequestLoader(service, { maxCalls: 10 });
    const call = { name: 'x', length: 1, parts: [] };
    await expect(loader.load(endpoint(false), call)).rejects.toThrow('no');
    await expect(loader.load(endpoint(false), call)).rejects.toThrow('no');
    expect(calls).toBe(1);
  });
});
