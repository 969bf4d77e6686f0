import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSeries, type RecordedCall } from '../testkit/fakeBraze.js';
import { startGatewayWithFakeBraze, startTestGateway, stopGatewayWithFakeBraze, useGatewayWithFakeBraze, type TestGateway } from './helpers/gateway.js';
import { expectOneCallPerInterval, expectPollingStopped, LIVE_INTERVAL_MS, LIVE_TEST_ENV, liveClient, sleep, subscribe, until, type LiveStream } from './helpers/live.js';

const INTERVAL_MS = LIVE_INTERVAL_MS;
const ENV = LIVE_TEST_ENV;

const EVENT = `subscription ($event: String!) {
  eventSeries(event: $event, length: 3) {
    series { event fetchedAt total points { time count } }
    status { state reason code retryAt }
  }
}`;
const KPI = `subscription { kpiSeries(kpi: DAILY_ACTIVE_USERS, length: 3) { series { kpi total fetchedAt } status { state } } }`;
const SESSIONS = `subscription { sessionSeries(length: 3, unit: HOUR) { series { total fetchedAt } status { state } } }`;

interface LiveEvent {
  eventSeries: {
    series: { event: string; fetchedAt: string; total: number; points: { time: string; count: number }[] } | null;
    status: { state: string; reason: string | null; code: string | null; retryAt: string | null };
  } | null;
}

/** Which series a Braze call was for. */
const seriesOf = (call: RecordedCall): string => `${call.path}?${call.query['event'] ?? ''}`;

/**
 * A Braze whose numbers move with every call of a series: the n-th call of a series answers n at every
 * point. `times` keeps when each series was called.
 */
function countingBraze(): { responder: (call: RecordedCall) => { body: unknown }; times: Map<string, number[]> } {
  const times = new Map<string, number[]>();
  const responder = (call: RecordedCall): { body: unknown } => {
    const mine = times.get(seriesOf(call)) ?? [];
    mine.push(Date.now());
    times.set(seriesOf(call), mine);
    const body = defaultSeries(call.query, call.path) as { data: Record<string, unknown>[] };
    const measure = Object.keys(body.data[0] ?? {}).find((key) => key !== 'time') ?? 'count';
    return { body: { ...body, data: body.data.map((point) => ({ ...point, [measure]: mine.length })) } };
  };
  return { responder, times };
}

/** The total a live result carries, whichever series it is. */
function totalOf(result: LiveStream['results'][number]): number {
  const data = result.data as Record<string, { series: { total: number } | null }>;
  return Object.values(data)[0]?.series?.total ?? Number.NaN;
}

describe('live series over SSE: one Braze poll however many subscribers', () => {
  const { braze, gateway } = useGatewayWithFakeBraze(ENV);
  const open: LiveStream<unknown>[] = [];
  afterAll(() => open.forEach((stream) => stream.close()));

  it('200 subscribers to 3 series: one Braze call per series per interval, each pushed to all; the last one leaving stops the calls', async () => {
    const { responder, times } = countingBraze();
    braze.respond(responder);
    const client = liveClient(gateway);
    const queries = [[EVENT, { event: 'purchase' }], [KPI, {}], [SESSIONS, {}]] as const;
    const streams = Array.from({ length: 200 }, (_, i) => subscribe(client, queries[i % 3]![0], queries[i % 3]![1]));
    open.push(...streams);
    // Every subscriber has seen at least three polls' numbers.
    await Promise.all(streams.map((stream) => stream.waitFor(3, 15_000)));
    expect([...times.keys()].sort()).toEqual(['/events/data_series?purchase', '/kpi/dau/data_series?', '/sessions/data_series?']);
    expect(gateway.running.live.stats()).toMatchObject({ polls: 3, subscriptions: 200 });

    for (const [index, series] of ['/events/data_series?purchase', '/kpi/dau/data_series?', '/sessions/data_series?'].entries()) {
      const calls = times.get(series) ?? [];
      // Every value a subscriber saw is one poll's (the n-th call answers n at each of 3 points: total
      // 3n), polls 1, 2, 3, … with no gap, and Braze was called once per poll, not once per subscriber.
      const polls = [...new Set(streams.filter((_, i) => i % 3 === index).flatMap((stream) => stream.results.map((result) => totalOf(result) / 3)))].sort((a, b) => a - b);
      expect(polls[0], series).toBe(1);
      expect(polls, series).toEqual(Array.from({ length: polls.length }, (_, i) => i + 1));
      // A poll may be on its way while the last result is read.
      expect(calls.length - polls.length, series).toBeGreaterThanOrEqual(0);
      expect(calls.length - polls.length, series).toBeLessThanOrEqual(1);
      // One call per interval (the live cache lifetime), not one per subscriber.
      expectOneCallPerInterval(calls, INTERVAL_MS, series);
    }

    // 199 leave: the polls go on for the one left of each series.
    streams.slice(3).forEach((stream) => stream.close());
    await until(() => gateway.running.live.stats().subscriptions === 3, 5_000, '197 subscriptions released');
    const before = braze.calls.length;
    await sleep(INTERVAL_MS * 2.5);
    expect(braze.calls.length - before).toBeGreaterThanOrEqual(3);

    // The last ones leave: no poll, no timer, no call in flight, and no more Braze calls.
    streams.slice(0, 3).forEach((stream) => stream.close());
    await expectPollingStopped(gateway, braze, INTERVAL_MS * 3);
  }, 60_000);
});

describe('live series when Braze takes its time', () => {
  const { braze, gateway } = useGatewayWithFakeBraze(ENV, { latencyMs: 40 });

  it('a series about now asks Braze about each interval once, whatever REQUEST_TIME_GRANULARITY_MS: each poll asks about its own interval, not the minute', async () => {
    const { responder, times } = countingBraze();
    braze.respond(responder);
    const stream = subscribe(liveClient(gateway), EVENT, { event: 'purchase' });
    // The n-th call answers n: four pushes are four calls, an interval apart.
    await stream.waitFor(4, 15_000);
    expectOneCallPerInterval(times.get('/events/data_series?purchase') ?? [], INTERVAL_MS, 'purchase');
    // Each poll asks about its own interval's start. Rounded to the minute (REQUEST_TIME_GRANULARITY_MS's
    // default), every poll of a minute asked the same question, and one that came before the previous
    // answer's cache entry expired (a loaded process, a slow Braze) skipped Braze: bench:live measured one
    // call in two intervals.
    // Braze's ending_at is to the second, so what the calls asked spans their intervals, within a second.
    const endings = braze.calls.filter((call) => call.path === '/events/data_series').map((call) => Date.parse(call.query['ending_at'] ?? ''));
    expect(endings.length).toBeGreaterThanOrEqual(4);
    const span = endings.at(-1)! - endings[0]!;
    expect(span).toBeGreaterThanOrEqual((endings.length - 1) * INTERVAL_MS - 1_000);
    expect(span).toBeLessThanOrEqual((endings.length - 1) * INTERVAL_MS * 1.6 + 1_000);
    stream.close();
    await expectPollingStopped(gateway, braze, INTERVAL_MS * 2);
  }, 30_000);
});

describe('live series: what is pushed, and when Braze must not be asked', () => {
  const { braze, gateway } = useGatewayWithFakeBraze(ENV);

  it('an unchanged value is not pushed again, though every interval asks Braze', async () => {
    const stream = subscribe<LiveEvent>(liveClient(gateway), EVENT, { event: 'unchanged' });
    await stream.waitFor(1);
    await until(() => braze.seriesCalls.length >= 4, 10_000, 'four polls');
    stream.close();
    expect(stream.results).toHaveLength(1);
    const first = stream.results[0]?.data?.eventSeries;
    expect(first?.status).toEqual({ state: 'LIVE', reason: null, code: null, retryAt: null });
    expect(first?.series?.total).toBe(6);
    expect(Date.parse(first?.series?.fetchedAt ?? '')).toBeGreaterThan(Date.now() - 10_000);
  }, 20_000);

  it('a window wholly in the past is sent once (COMPLETE), the stream ends, and Braze is not polled', async () => {
    const stream = subscribe<LiveEvent>(liveClient(gateway), `subscription { eventSeries(event: "past", length: 3, endingAt: "2024-03-10T00:00:00Z") { series { total endingAt points { time count } } status { state } } }`);
    await stream.done;
    expect(stream.ended).toBe('complete');
    expect(stream.results).toHaveLength(1);
    expect(stream.results[0]?.data?.eventSeries).toEqual({
      series: {
        total: 6,
        endingAt: '2024-03-10T00:00:00.000Z',
        points: [
          { time: '2024-03-08T00:00:00.000Z', count: 1 },
          { time: '2024-03-09T00:00:00.000Z', count: 2 },
          { time: '2024-03-10T00:00:00.000Z', count: 3 },
        ],
      },
      status: { state: 'COMPLETE' },
    });
    await sleep(INTERVAL_MS * 3);
    expect(braze.seriesCalls).toHaveLength(1);
    expect(gateway.running.live.stats()).toEqual({ polls: 0, subscriptions: 0, timers: 0, inFlight: 0 });
  }, 20_000);

  it('a 429 while polling disconnects no one: the last value with PAUSED until the reset, no call meanwhile, then LIVE again by itself', async () => {
    const { responder } = countingBraze();
    braze.respond(responder);
    const client = liveClient(gateway);
    const streams = Array.from({ length: 10 }, () => subscribe<LiveEvent>(client, EVENT, { event: 'limited' }));
    await Promise.all(streams.map((stream) => stream.waitFor(1)));
    // Braze's window is spent for 1.5 to 2.5 s more (x-ratelimit-reset is in whole seconds): past the next poll's time.
    const resetAt = Math.ceil((Date.now() + 1_500) / 1000) * 1000;
    const limitedAt: number[] = [];
    braze.respond(() => (limitedAt.push(Date.now()), { status: 429, headers: { 'x-ratelimit-limit': '250000', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(resetAt / 1000) }, body: { message: 'rate limited' } }));
    await Promise.all(streams.map((stream) => stream.waitFor(2)));
    const calledWhenLimited = braze.seriesCalls.length;
    for (const stream of streams) {
      const paused = stream.results[1]?.data?.eventSeries;
      expect(paused?.status.state).toBe('PAUSED');
      expect(paused?.status.code).toBe('UPSTREAM_RATE_LIMITED');
      expect(paused?.status.reason).toMatch(/rate limit/i);
      expect(Date.parse(paused?.status.retryAt ?? '')).toBeGreaterThanOrEqual(resetAt);
      // The last value, unchanged, beside the status.
      expect(paused?.series).toEqual(stream.results[0]?.data?.eventSeries?.series);
      expect(stream.results[1]?.errors).toBeUndefined();
    }
    const resumedAt: number[] = [];
    braze.respond((call) => (resumedAt.push(Date.now()), responder(call)));
    expect(Date.now()).toBeLessThan(resetAt);
    await Promise.all(streams.map((stream) => stream.waitFor(3, 10_000)));
    // One poll met the 429; the next one waited for the reset (none reached Braze before it) and
    // asked again then.
    expect(limitedAt).toHaveLength(1);
    expect(braze.seriesCalls.length).toBe(calledWhenLimited + resumedAt.length);
    expect(resumedAt[0]).toBeGreaterThanOrEqual(resetAt);
    for (const stream of streams) {
      const resumed = stream.results[2]?.data?.eventSeries;
      expect(resumed?.status.state).toBe('LIVE');
      expect(resumed?.series?.total).toBe(3 * 2);
      expect(stream.ended).toBeUndefined();
    }
    streams.forEach((stream) => stream.close());
  }, 30_000);

  it('bad arguments: BAD_USER_INPUT and the stream ends, before anything is polled', async () => {
    const stream = subscribe<LiveEvent>(liveClient(gateway), `subscription { eventSeries(event: "purchase", length: 0) { status { state } } }`);
    await stream.done;
    expect(stream.results).toHaveLength(1);
    expect(stream.results[0]?.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'length' });
    expect(braze.calls).toHaveLength(0);
    expect(gateway.running.live.stats()).toEqual({ polls: 0, subscriptions: 0, timers: 0, inFlight: 0 });
  });

  it('needs the credential queries need: without one, 401 and nothing is polled', async () => {
    const stream = subscribe<LiveEvent>(liveClient(gateway, {}), EVENT, { event: 'anonymous' });
    await stream.done;
    expect(stream.ended).toBeInstanceOf(Error);
    expect(String(stream.ended)).toMatch(/401/);
    expect(braze.calls).toHaveLength(0);
  });

  it('a client that goes away without a word (its socket dropped) releases its subscription and the poll', async () => {
    const controller = new AbortController();
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...gateway.authHeaders },
      body: JSON.stringify({ query: EVENT, variables: { event: 'dropped' } }),
      signal: controller.signal,
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await until(() => braze.seriesCalls.length === 1, 5_000, 'the first poll');
    expect(gateway.running.live.stats()).toMatchObject({ polls: 1, subscriptions: 1 });
    controller.abort();
    await until(() => gateway.running.live.stats().subscriptions === 0, 5_000, 'the subscription released');
    expect(gateway.running.live.stats()).toEqual({ polls: 0, subscriptions: 0, timers: 0, inFlight: 0 });
    await sleep(INTERVAL_MS * 2);
    expect(braze.seriesCalls).toHaveLength(1);
  });
});

describe('live series: caps', () => {
  const { braze, gateway } = useGatewayWithFakeBraze({
    ...ENV,
    LIVE_MAX_SUBSCRIPTIONS: '3',
    LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT: '2',
    AUTH_TOKENS: 'tok-live-first-0123456789abcdef,tok-live-other-0123456789abcdef',
  });

  it('per client (credential) and in total: TOO_MANY_SUBSCRIPTIONS, no poll for the refused; a freed slot is usable again', async () => {
    const first = liveClient(gateway, { authorization: 'Bearer tok-live-first-0123456789abcdef' });
    const other = liveClient(gateway, { authorization: 'Bearer tok-live-other-0123456789abcdef' });
    const a = subscribe<LiveEvent>(first, EVENT, { event: 'a' });
    const b = subscribe<LiveEvent>(first, EVENT, { event: 'b' });
    await Promise.all([a.waitFor(1), b.waitFor(1)]);
    const third = subscribe<LiveEvent>(first, EVENT, { event: 'c' });
    await third.done;
    expect(third.results[0]?.errors?.[0]?.extensions).toEqual({ code: 'TOO_MANY_SUBSCRIPTIONS', limit: 2, scope: 'client' });
    const c = subscribe<LiveEvent>(other, EVENT, { event: 'c' });
    await c.waitFor(1);
    const fourth = subscribe<LiveEvent>(other, EVENT, { event: 'd' });
    await fourth.done;
    expect(fourth.results[0]?.errors?.[0]?.extensions).toEqual({ code: 'TOO_MANY_SUBSCRIPTIONS', limit: 3, scope: 'total' });
    expect(new Set(braze.seriesCalls.map((call) => call.query['event']))).toEqual(new Set(['a', 'b', 'c']));
    a.close();
    await until(() => gateway.running.live.stats().subscriptions === 2, 5_000, 'a released');
    const again = subscribe<LiveEvent>(first, EVENT, { event: 'd' });
    await again.waitFor(1);
    expect(again.results[0]?.data?.eventSeries?.status.state).toBe('LIVE');
    [b, c, again].forEach((stream) => stream.close());
  });
});

describe('live series: caps without credentials (demo mode)', () => {
  let gateway: TestGateway | undefined;
  beforeAll(async () => {
    gateway = await startTestGateway(undefined, { ...ENV, LIVE_MAX_SUBSCRIPTIONS: '10', LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT: '2' });
  });
  afterAll(() => gateway?.close());

  it('an Authorization header nobody checks does not make a caller many clients: the address is counted', async () => {
    const streams = ['a', 'b'].map((event, i) => subscribe<LiveEvent>(liveClient(gateway!, { authorization: `Bearer made-up-${i}` }), EVENT, { event }));
    await Promise.all(streams.map((stream) => stream.waitFor(1)));
    const third = subscribe<LiveEvent>(liveClient(gateway!, { authorization: 'Bearer made-up-2' }), EVENT, { event: 'c' });
    await third.done;
    expect(third.results[0]?.errors?.[0]?.extensions).toEqual({ code: 'TOO_MANY_SUBSCRIPTIONS', limit: 2, scope: 'client' });
    streams.forEach((stream) => stream.close());
  });
});

describe('live series: purchases and segment sizes too', () => {
  const { braze, gateway } = useGatewayWithFakeBraze(ENV);

  it('purchaseSeries (through its interface) and segmentSize: one push each for a past window, one Braze call each', async () => {
    const client = liveClient(gateway);
    const revenue = subscribe(client, `subscription { purchaseSeries(measure: REVENUE, length: 2, endingAt: "2024-03-10T00:00:00Z") {
      series { measure ... on PurchaseRevenueSeries { total points { date value } } } status { state } } }`);
    const size = subscribe(client, `subscription { segmentSize(segmentId: "seg-1", length: 2, endingAt: "2024-03-10T00:00:00Z") {
      series { segmentId latest { value } } status { state } } }`);
    await Promise.all([revenue.done, size.done]);
    expect(revenue.results.map((result) => result.data)).toEqual([
      {
        purchaseSeries: {
          series: { measure: 'REVENUE', total: '3.2', points: [{ date: '2024-03-09', value: '1.1' }, { date: '2024-03-10', value: '2.1' }] },
          status: { state: 'COMPLETE' },
        },
      },
    ]);
    expect(size.results.map((result) => result.data)).toEqual([{ segmentSize: { series: { segmentId: 'seg-1', latest: { value: 2 } }, status: { state: 'COMPLETE' } } }]);
    expect(braze.calls.map((call) => call.path).sort()).toEqual(['/purchases/revenue_series', '/segments/data_series']);
  });

  it('segmentSize refuses a blank segment id before anything is polled', async () => {
    const stream = subscribe(liveClient(gateway), 'subscription { segmentSize(segmentId: " ", length: 2) { status { state } } }');
    await stream.done;
    expect(stream.results[0]?.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'segmentId' });
    expect(braze.calls).toHaveLength(0);
  });
});

describe('live series: shutdown', () => {
  it('closing the gateway completes open streams at once (no wait for the grace period) and stops every poll', async () => {
    const started = await startGatewayWithFakeBraze({ ...ENV, SHUTDOWN_GRACE_MS: '10000' });
    try {
      const stream = subscribe(liveClient(started.gateway), EVENT, { event: 'shutdown' });
      await stream.waitFor(1);
      const closing = Date.now();
      await started.gateway.running.close(10_000);
      await stream.done;
      expect(stream.ended).toBe('complete');
      expect(Date.now() - closing).toBeLessThan(2_000);
      expect(started.gateway.running.live.stats()).toEqual({ polls: 0, subscriptions: 0, timers: 0, inFlight: 0 });
    } finally {
      await stopGatewayWithFakeBraze(started);
    }
  });
});

describe('live series: a long window polled in chunks', () => {
  const { braze, gateway } = useGatewayWithFakeBraze(ENV);

  it('a 1,000-hour series (11 Braze calls a poll) warns of no listener leak on the poll\'s signal', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => void warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', onWarning);
    try {
      const stream = subscribe(liveClient(gateway), `subscription { eventSeries(event: "long", length: 1000, unit: HOUR) { series { total } status { state } } }`);
      await stream.waitFor(1);
      const calls = braze.seriesCalls.length;
      expect(calls).toBeGreaterThan(10);
      await until(() => braze.seriesCalls.length >= 2 * calls, 10_000, 'a second poll');
      stream.close();
      await expectPollingStopped(gateway, braze, INTERVAL_MS * 3);
      // Node emits warnings on the next tick.
      await sleep(50);
      expect(warnings.filter((warning) => warning.includes('MaxListeners'))).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  }, 30_000);
});
