import { describe, expect, it } from 'vitest';
import { encodeCursor } from '../src/schema/cursor.js';
import { CanvasDocument, CanvasesDocument } from './generated/graphql.js';
import { defaultResponder, type RecordedCall } from '../testkit/fakeBraze.js';
import { FAKE_CANVAS_IDS, fakeListedCanvas } from '../testkit/answers/canvases.js';
import { useGatewayWithFakeBraze } from './helpers/gateway.js';
import { withoutTypenames } from './helpers/typenames.js';

const { braze, gateway } = useGatewayWithFakeBraze();

const callsTo = (path: string): Record<string, string>[] => braze.calls.filter((call) => call.path === path).map((call) => call.query);
/** The query string exactly as the gateway wrote it (the fake keeps parameters in the order sent). */
const queryString = (call: RecordedCall): string => new URLSearchParams(call.query).toString();

/** Canvas fields through `_entities`: no details call is made unless a field needs it. */
const onCanvas = (id: string, fields: string): string => `{ _entities(representations: [{ __typename: "Canvas", id: "${id}" }]) { ... on Canvas { ${fields} } } }`;

const AT = '2024-03-10T00:00:00Z';

/** The fake's step channel stats for n (a day's number, or a window's sum), typed by family. */
const emailChannel = (n: number) => [{ channel: 'email', variationId: null, sent: 10 * n, delivered: 10 * n, opens: 5 * n, uniqueOpens: 4 * n, clicks: 2 * n }];
const pushChannel = (n: number) => [{ channel: 'android_push', variationId: null, sent: 3 * n, directOpens: n, totalOpens: n }];

/** Day n of the fake's series, with every breakdown, as the schema hands it out. */
function fakeDay(id: string, date: string, n: number) {
  return {
    time: `${date}T00:00:00.000Z`,
    date,
    total: { revenue: `${n}.1`, conversions: n, conversionsByEntryTime: n, entries: 10 * n },
    variants: [
      { variantId: `${id}-v1`, name: 'Variant A', revenue: String(n), conversions: n, conversionsByEntryTime: n, entries: 6 * n },
      { variantId: `${id}-v2`, name: 'Control', revenue: '0.1', conversions: 0, conversionsByEntryTime: 0, entries: 4 * n },
    ],
    steps: [
      { stepId: `${id}-s1`, name: 'Welcome email', revenue: String(n), conversions: n, conversionsByEntryTime: n, channels: emailChannel(n) },
      { stepId: `${id}-s2`, name: 'Nudge', revenue: '0', conversions: 0, conversionsByEntryTime: 0, channels: pushChannel(n) },
    ],
  };
}

describe('canvases: /canvas/list, 100 a page', () => {
  it('list fields come from the list alone: one call, page 0, no filters sent by default', async () => {
    const result = await gateway.execute(CanvasesDocument, { first: 2 });
    expect(result.errors).toEqual([]);
    expect(withoutTypenames(result.data?.canvases)).toEqual({
      edges: [
        { cursor: encodeCursor(0), node: { id: 'canvas-000', name: 'Canvas 0', tags: ['from-list'], lastEditedAt: '2024-05-06T07:08:09.000Z' } },
        { cursor: encodeCursor(1), node: { id: 'canvas-001', name: 'Canvas 1', tags: ['from-list'], lastEditedAt: '2024-05-06T07:08:09.000Z' } },
      ],
      pageInfo: { hasNextPage: true, hasPreviousPage: false, startCursor: encodeCursor(0), endCursor: encodeCursor(1) },
    });
    expect(braze.calls.map(({ path, query }) => ({ path, query }))).toEqual([{ path: '/canvas/list', query: { page: '0' } }]);
  });

  it('includeArchived and lastEditedAfter become include_archived and last_edit.time[gt] (UTC, cut to the second)', async () => {
    const result = await gateway.execute(CanvasesDocument, { first: 1, includeArchived: true, lastEditedAfter: '2024-05-01T10:00:00.750+02:00' });
    expect(result.errors).toEqual([]);
    expect(braze.calls.map(queryString)).toEqual(['page=0&include_archived=true&last_edit.time%5Bgt%5D=2024-05-01T08%3A00%3A00Z']);
  });

  it('sortDirection: DESC sends sort_direction=desc and pages newest first', async () => {
    const result = await gateway.query<{ canvases: { nodes: { id: string }[] } }>('{ canvases(first: 2, sortDirection: DESC) { nodes { id } } }');
    expect(result.errors).toEqual([]);
    expect(result.data?.canvases.nodes.map((node) => node.id)).toEqual(['canvas-149', 'canvas-148']);
    expect(callsTo('/canvas/list')).toEqual([{ page: '0', sort_direction: 'desc' }]);
  });

  it('a window over two pages reads both; the short last page ends the list', async () => {
    const result = await gateway.execute(CanvasesDocument, { first: 100, after: encodeCursor(79) });
    expect(result.data?.canvases?.edges.map((edge) => edge.node.id)).toEqual(FAKE_CANVAS_IDS.slice(80, 150));
    expect(result.data?.canvases?.pageInfo.hasNextPage).toBe(false);
    expect(callsTo('/canvas/list')).toEqual([{ page: '0' }, { page: '1' }]);
  });

  it('fields only /canvas/details carries cost one details call per Canvas', async () => {
    const result = await gateway.query<{ canvases: { nodes: { id: string; name: string; enabled: boolean; lastEditedAt: string }[] } }>(
      '{ canvases(first: 2) { nodes { id name enabled lastEditedAt } } }',
    );
    expect(result.data?.canvases.nodes).toEqual([
      { id: 'canvas-000', name: fakeListedCanvas('canvas-000').name, enabled: true, lastEditedAt: '2024-05-06T07:08:09.000Z' },
      { id: 'canvas-001', name: fakeListedCanvas('canvas-001').name, enabled: true, lastEditedAt: '2024-05-06T07:08:09.000Z' },
    ]);
    expect(callsTo('/canvas/details')).toEqual([{ canvas_id: 'canvas-000' }, { canvas_id: 'canvas-001' }]);
  });
});

describe('canvas(id): details once, /canvas/data_series and /canvas/data_summary', () => {
  it('every field: exact upstream calls (breakdowns asked because they are selected) and parsed values', async () => {
    const result = await gateway.execute(CanvasDocument, { id: 'c1', length: 3, endingAt: '2024-03-10T12:00:00+02:00' });
    expect(result.errors).toEqual([]);
    const window = { canvasId: 'c1', length: 3, startingAt: null, endingAt: '2024-03-10T10:00:00.000Z', includesVariants: true, includesSteps: true };
    const days = [fakeDay('c1', '2024-03-08', 1), fakeDay('c1', '2024-03-09', 2), fakeDay('c1', '2024-03-10', 3)];
    expect(withoutTypenames(result.data?.canvas)).toEqual({
      id: 'c1',
      name: 'Details of c1',
      tags: ['from-details'],
      // Braze `last_edited`, from /canvas/list whatever the path: c1 is on none of its pages.
      lastEditedAt: null,
      description: 'About c1',
      archived: false,
      draft: false,
      enabled: true,
      hasPostLaunchDraft: false,
      scheduleType: 'action_based',
      channels: ['email', 'android_push'],
      teams: ['Team A'],
      createdAt: '2024-01-02T03:04:05.000Z',
      updatedAt: '2024-02-03T04:05:06.000Z',
      firstEntryAt: '2024-01-05T00:00:00.000Z',
      lastEntryAt: '2024-03-01T12:00:00.000Z',
      variants: [
        { id: 'c1-v1', name: 'Variant A', firstStepIds: ['c1-s1'] },
        { id: 'c1-v2', name: 'Control', firstStepIds: ['c1-s1'] },
      ],
      steps: [
        { id: 'c1-s1', name: 'Welcome email', type: 'email', channels: ['email'], nextStepIds: ['c1-s2'] },
        { id: 'c1-s2', name: 'Nudge', type: 'push', channels: ['android_push'], nextStepIds: [] },
      ],
      series: { ...window, includesDeletedSteps: false, totals: { revenue: '6.3', conversions: 6, conversionsByEntryTime: 6, entries: 60 }, points: days },
      summary: {
        ...window,
        total: { revenue: '6.3', conversions: 6, conversionsByEntryTime: 6, entries: 60 },
        variants: [
          { variantId: 'c1-v1', name: 'Variant A', revenue: '6', conversions: 6, conversionsByEntryTime: null, entries: 36 },
          { variantId: 'c1-v2', name: 'Control', revenue: '0.3', conversions: 0, conversionsByEntryTime: null, entries: 24 },
        ],
        steps: [
          { stepId: 'c1-s1', name: 'Welcome email', revenue: '6', conversions: 6, conversionsByEntryTime: 6, channels: emailChannel(6) },
          { stepId: 'c1-s2', name: 'Nudge', revenue: '0', conversions: 0, conversionsByEntryTime: 0, channels: pushChannel(6) },
        ],
      },
    });
    const stats = 'canvas_id=c1&length=3&ending_at=2024-03-10T10%3A00%3A00Z&include_variant_breakdown=true&include_step_breakdown=true';
    expect(braze.calls.map((call) => `${call.path}?${queryString(call)}`).sort()).toEqual([
      `/canvas/data_series?${stats}`,
      `/canvas/data_summary?${stats}`,
      '/canvas/details?canvas_id=c1',
      '/canvas/list?page=0&include_archived=true',
      '/canvas/list?page=1&include_archived=true',
    ]);
  });

  it('a startingAt window: starting_at and ending_at in UTC, no length; one point per date', async () => {
    const result = await gateway.query<{ _entities: { series: { length: number | null; startingAt: string; points: { date: string }[] } }[] }>(
      onCanvas('c1', 'series(startingAt: "2024-03-08T06:00:00+01:00", endingAt: "2024-03-10T12:00:00Z") { length startingAt points { date } }'),
    );
    expect(result.errors).toEqual([]);
    expect(result.data?._entities[0]?.series).toEqual({
      length: null,
      startingAt: '2024-03-08T05:00:00.000Z',
      points: [{ date: '2024-03-08' }, { date: '2024-03-09' }, { date: '2024-03-10' }],
    });
    expect(braze.calls.map(queryString)).toEqual(['canvas_id=c1&starting_at=2024-03-08T05%3A00%3A00Z&ending_at=2024-03-10T12%3A00%3A00Z']);
  });
});

describe('conversion events past the first: conversions1..N and their _by_entry_time twins', () => {
  // The shape of Braze's newest summary page (braze.com/docs, "Conversion event fields": "fifth and later
  // events follow the same pattern"), in total, variant and step stats, here with five events.
  const stats = (n: number) => ({
    revenue: 1.5,
    conversions: 10 * n,
    conversions_by_entry_time: 9 * n,
    conversions1: 5 * n,
    conversions1_by_entry_time: 4 * n,
    conversions2: 3 * n,
    conversions3: 2 * n,
    conversions3_by_entry_time: n,
    conversions4: n,
    conversions4_by_entry_time: n,
  });
  const events = (n: number) => [
    { index: 0, conversions: 10 * n, byEntryTime: 9 * n },
    { index: 1, conversions: 5 * n, byEntryTime: 4 * n },
    { index: 2, conversions: 3 * n, byEntryTime: null },
    { index: 3, conversions: 2 * n, byEntryTime: n },
    { index: 4, conversions: n, byEntryTime: n },
  ];
  const day = (time: string, n: number) => ({
    time,
    total_stats: { ...stats(n), entries: 100 },
    variant_stats: { v1: { name: 'A', ...stats(n), entries: 60 } },
    step_stats: { s1: { name: 'Email', ...stats(n), messages: {} } },
  });
  const FIELDS = 'conversionEvents { index conversions byEntryTime }';
  const BREAKDOWNS = `total { conversions conversionsByEntryTime ${FIELDS} } variants { variantId ${FIELDS} } steps { stepId ${FIELDS} }`;

  it('are listed by index on total, variant and step stats of summaries and series, and summed per event over a series', async () => {
    braze.respond((call) => {
      if (call.path === '/canvas/data_summary') return { body: { message: 'success', data: { name: 'C', ...day('2024-03-10', 1) } } };
      if (call.path === '/canvas/data_series') return { body: { message: 'success', data: { name: 'C', stats: [day('2024-03-09', 1), day('2024-03-10', 2)] } } };
      return defaultResponder(call);
    });
    try {
      const result = await gateway.query<{ _entities: { summary: unknown; series: { points: unknown[]; totals: unknown } }[] }>(
        onCanvas('c-conversions', `summary(length: 1, endingAt: "${AT}") { ${BREAKDOWNS} } series(length: 2, endingAt: "${AT}") { points { ${BREAKDOWNS} } totals { conversions ${FIELDS} } }`),
      );
      expect(result.errors).toEqual([]);
      const [canvas] = result.data?._entities ?? [];
      expect(canvas?.summary).toEqual({
        total: { conversions: 10, conversionsByEntryTime: 9, conversionEvents: events(1) },
        variants: [{ variantId: 'v1', conversionEvents: events(1) }],
        steps: [{ stepId: 's1', conversionEvents: events(1) }],
      });
      expect(canvas?.series.points[1]).toEqual({
        total: { conversions: 20, conversionsByEntryTime: 18, conversionEvents: events(2) },
        variants: [{ variantId: 'v1', conversionEvents: events(2) }],
        steps: [{ stepId: 's1', conversionEvents: events(2) }],
      });
      expect(canvas?.series.totals).toEqual({ conversions: 30, conversionEvents: events(3) });
    } finally {
      braze.respond(defaultResponder);
    }
  });
});

describe('the include_* flags follow the selection set', () => {
  const flagsSent = (): Record<string, string | undefined>[] =>
    braze.calls.map(({ query }) => ({
      variants: query['include_variant_breakdown'],
      steps: query['include_step_breakdown'],
      deleted: query['include_deleted_step_data'],
    }));
  const none = { variants: undefined, steps: undefined, deleted: undefined };

  const cases: [string, string, Record<string, unknown>, Record<string, string | undefined>][] = [
    ['totals only: neither flag', `series(length: 2, endingAt: "${AT}") { totals { entries } }`, {}, none],
    ['variants through an inline fragment', `series(length: 2, endingAt: "${AT}") { points { ... on CanvasSeriesPoint { variants { variantId } } } }`, {}, { ...none, variants: 'true' }],
    ['steps through a named fragment', `series(length: 2, endingAt: "${AT}") { ...Days }`, {}, { ...none, steps: 'true' }],
    ['variants under @skip(if: true)', `series(length: 2, endingAt: "${AT}") { points { variants @skip(if: true) { variantId } date } }`, {}, none],
    ['steps under @include(if: $on) with $on true', `series(length: 2, endingAt: "${AT}") { points { steps @include(if: $on) { stepId } } }`, { on: true }, { ...none, steps: 'true' }],
    ['steps under @include(if: $on) with $on false', `series(length: 2, endingAt: "${AT}") { points { steps @include(if: $on) { stepId } } }`, { on: false }, none],
    ['variants: false although selected: no flag', `series(length: 2, endingAt: "${AT}", variants: false) { points { variants { variantId } } }`, {}, none],
    ['variants: true although not selected: the flag', `series(length: 2, endingAt: "${AT}", variants: true) { totals { entries } }`, {}, { ...none, variants: 'true' }],
    ['deletedSteps with steps selected', `summary(length: 2, endingAt: "${AT}", deletedSteps: true) { steps { stepId } }`, {}, { ...none, steps: 'true', deleted: 'true' }],
    ['deletedSteps without steps: not sent', `summary(length: 2, endingAt: "${AT}", deletedSteps: true) { total { entries } }`, {}, none],
  ];
  for (const [name, field, variables, expected] of cases) {
    it(name, async () => {
      const fragment = name.includes('named fragment') ? 'fragment Days on CanvasSeries { points { steps { stepId } } }' : '';
      const declared = 'on' in variables ? '($on: Boolean!)' : '';
      const result = await gateway.query(`query Q${declared} { _entities(representations: [{ __typename: "Canvas", id: "c1" }]) { ... on Canvas { ${field} } } } ${fragment}`, variables);
      expect(result.errors).toEqual([]);
      expect(flagsSent()).toEqual([expected]);
    });
  }

  it('variants: false answers empty variants, and says so', async () => {
    const result = await gateway.query<{ _entities: { series: { includesVariants: boolean; points: { variants: unknown[] }[] } }[] }>(
      onCanvas('c1', `series(length: 2, endingAt: "${AT}", variants: false) { includesVariants points { variants { variantId } } }`),
    );
    expect(result.data?._entities[0]?.series).toEqual({ includesVariants: false, points: [{ variants: [] }, { variants: [] }] });
  });

  it('breakdowns Braze sends without being asked are left out', async () => {
    braze.respond((call) => (call.path === '/canvas/data_summary' ? defaultResponder({ ...call, query: { ...call.query, include_variant_breakdown: 'true' } }) : defaultResponder(call)));
    try {
      const result = await gateway.query<{ _entities: { summary: { variants: unknown[] } }[] }>(onCanvas('c1', `summary(length: 2, endingAt: "${AT}", variants: false) { variants { variantId } }`));
      expect(result.data?._entities[0]?.summary).toEqual({ variants: [] });
    } finally {
      braze.respond(defaultResponder);
    }
  });
});

describe('a query selecting breakdowns in several places makes one call', () => {
  it('three series aliases (variants, steps, totals; lengths 3, 7, 5) are one data_series call: length 7, both flags', async () => {
    const result = await gateway.query<{ _entities: Record<string, { length: number; includesVariants: boolean; includesSteps: boolean; points: { date: string; variants?: unknown[]; steps?: unknown[] }[] }>[] }>(
      onCanvas(
        'c1',
        `a: series(length: 3, endingAt: "${AT}") { length includesVariants includesSteps points { date variants { variantId } } }
         b: series(length: 7, endingAt: "${AT}") { length includesVariants includesSteps points { date steps { stepId } } }
         c: series(length: 5, endingAt: "${AT}") { length includesVariants includesSteps points { date } }`,
      ),
    );
    expect(result.errors).toEqual([]);
    expect(braze.calls.map((call) => `${call.path}?${queryString(call)}`)).toEqual([
      '/canvas/data_series?canvas_id=c1&length=7&ending_at=2024-03-10T00%3A00%3A00Z&include_variant_breakdown=true&include_step_breakdown=true',
    ]);
    const entity = result.data?._entities[0] ?? {};
    expect(entity['a']?.points.map((point) => point.date)).toEqual(['2024-03-08', '2024-03-09', '2024-03-10']);
    expect(entity['a']?.points.map((point) => point.variants)).toEqual([5, 6, 7].map(() => [{ variantId: 'c1-v1' }, { variantId: 'c1-v2' }]));
    expect(entity['b']?.points).toHaveLength(7);
    expect(entity['b']?.points[0]?.steps).toEqual([{ stepId: 'c1-s1' }, { stepId: 'c1-s2' }]);
    expect(entity['c']?.points.map((point) => point.date)).toEqual(['2024-03-06', '2024-03-07', '2024-03-08', '2024-03-09', '2024-03-10']);
    // Each field still says what it asked for.
    expect([entity['a'], entity['b'], entity['c']].map((series) => [series?.length, series?.includesVariants, series?.includesSteps])).toEqual([
      [3, true, false],
      [7, false, true],
      [5, false, false],
    ]);
  });

  it('summaries of one window selecting variants and steps in different aliases are one data_summary call with both flags', async () => {
    const result = await gateway.query<{ _entities: Record<string, { variants?: unknown[]; steps?: unknown[]; total?: { entries: number } }>[] }>(
      onCanvas(
        'c1',
        `v: summary(length: 4, endingAt: "${AT}") { variants { variantId entries } }
         s: summary(length: 4, endingAt: "${AT}") { steps { stepId } }
         t: summary(length: 4, endingAt: "${AT}") { total { entries } }`,
      ),
    );
    expect(result.errors).toEqual([]);
    expect(braze.calls.map((call) => `${call.path}?${queryString(call)}`)).toEqual([
      '/canvas/data_summary?canvas_id=c1&length=4&ending_at=2024-03-10T00%3A00%3A00Z&include_variant_breakdown=true&include_step_breakdown=true',
    ]);
    expect(result.data?._entities[0]).toEqual({
      v: { variants: [{ variantId: 'c1-v1', entries: 60 }, { variantId: 'c1-v2', entries: 40 }] },
      s: { steps: [{ stepId: 'c1-s1' }, { stepId: 'c1-s2' }] },
      t: { total: { entries: 100 } },
    });
  });

  it('summaries of different lengths are different roll-ups: one call each', async () => {
    await gateway.query(onCanvas('c1', `a: summary(length: 2, endingAt: "${AT}") { total { entries } } b: summary(length: 3, endingAt: "${AT}") { total { entries } }`));
    expect(callsTo('/canvas/data_summary').map((query) => query['length']).sort()).toEqual(['2', '3']);
  });
});

describe('bad arguments: BAD_USER_INPUT naming the argument, no upstream call', () => {
  const bad: [string, string, string][] = [
    ['both length and startingAt', `series(length: 2, startingAt: "2024-03-09T00:00:00Z", endingAt: "${AT}") { points { date } }`, 'startingAt'],
    ['neither length nor startingAt', `series(endingAt: "${AT}") { points { date } }`, 'length'],
    ['length 0', `series(length: 0, endingAt: "${AT}") { points { date } }`, 'length'],
    ['length 15', `summary(length: 15, endingAt: "${AT}") { total { entries } }`, 'length'],
    ['startingAt equal to endingAt', `series(startingAt: "${AT}", endingAt: "${AT}") { points { date } }`, 'startingAt'],
    ['startingAt after endingAt', `summary(startingAt: "2024-03-11T00:00:00Z", endingAt: "${AT}") { total { entries } }`, 'startingAt'],
    ['startingAt more than 14 days before endingAt', `series(startingAt: "2024-02-24T23:59:59Z", endingAt: "${AT}") { points { date } }`, 'startingAt'],
  ];
  for (const [name, field, argument] of bad) {
    it(name, async () => {
      const result = await gateway.query(onCanvas('c1', field));
      expect(result.errors.map((error) => error.extensions)).toEqual([{ code: 'BAD_USER_INPUT', argument }]);
      expect(braze.calls).toEqual([]);
    });
  }

  it('exactly 14 days before endingAt is allowed', async () => {
    const result = await gateway.query(onCanvas('c1', `series(startingAt: "2024-02-25T00:00:00Z", endingAt: "${AT}") { points { date } }`));
    expect(result.errors).toEqual([]);
    expect(callsTo('/canvas/data_series')).toHaveLength(1);
  });

  it('an empty or blank id', async () => {
    for (const id of ['', '   ']) {
      const result = await gateway.query(`{ canvas(id: "${id}") { id } }`);
      expect(result.errors.map((error) => error.extensions)).toEqual([{ code: 'BAD_USER_INPUT', argument: 'id' }]);
    }
    expect(braze.calls).toEqual([]);
  });

  it('a malformed Canvas representation fails its entry only', async () => {
    const result = await gateway.query('query ($r: [_Any!]!) { _entities(representations: $r) { ... on Canvas { id } } }', { r: [{ __typename: 'Canvas', id: 5 }, { __typename: 'Canvas', id: 'ok' }] });
    expect(result.data).toEqual({ _entities: [null, { id: 'ok' }] });
    expect(result.errors.map((error) => error.extensions)).toEqual([{ code: 'BAD_USER_INPUT', argument: 'representations' }]);
    expect(braze.calls).toEqual([]);
  });
});

describe('per-field failure', () => {
  it('a refused series nulls only itself; the summary and the details arrive', async () => {
    braze.respond((call) => (call.path === '/canvas/data_series' ? { status: 403, body: { message: 'no permission' } } : defaultResponder(call)));
    try {
      const result = await gateway.query(`{ canvas(id: "c1") { name series(length: 1, endingAt: "${AT}") { totals { entries } } summary(length: 1, endingAt: "${AT}") { total { entries } } } }`);
      expect(result.data).toEqual({ canvas: { name: 'Details of c1', series: null, summary: { total: { entries: 10 } } } });
      expect(result.errors.map((error) => ({ path: error.path, code: error.extensions?.['code'] }))).toEqual([{ path: ['canvas', 'series'], code: 'UPSTREAM_FORBIDDEN' }]);
    } finally {
      braze.respond(defaultResponder);
    }
  });

  const invalid: [string, unknown, string][] = [
    ['data as a list (as other series have it)', { message: 'success', data: [] }, 'Braze answered without a "data" object'],
    ['a day that is not a date', { message: 'success', data: { name: 'x', stats: [{ time: 'yesterday', total_stats: {} }] } }, 'data.stats[0].time "yesterday" is not a date (YYYY-MM-DD)'],
    ['entries that are not a count', { message: 'success', data: { name: 'x', stats: [{ time: '2024-03-10', total_stats: { revenue: 1, conversions: 1, conversions_by_entry_time: 1, entries: -1 } }] } }, 'data.stats[0].total_stats.entries is not a non-negative integer'],
    ['more days than asked', { message: 'success', data: { name: 'x', stats: [1, 2].map(() => ({ time: '2024-03-10', total_stats: { revenue: 1, conversions: 1, conversions_by_entry_time: 1, entries: 1 } })) } }, 'Braze answered 2 days for a window of at most 1'],
  ];
  for (const [name, body, message] of invalid) {
    it(`${name}: UPSTREAM_INVALID_RESPONSE for the series only`, async () => {
      braze.respond((call) => (call.path === '/canvas/data_series' ? { body } : defaultResponder(call)));
      try {
        const result = await gateway.query(onCanvas('c1', `id series(length: 1, endingAt: "${AT}") { totals { entries } }`));
        expect(result.data).toEqual({ _entities: [{ id: 'c1', series: null }] });
        expect(result.errors.map((error) => ({ path: error.path, code: error.extensions?.['code'] }))).toEqual([{ path: ['_entities', 0, 'series'], code: 'UPSTREAM_INVALID_RESPONSE' }]);
        expect(result.errors[0]?.message).toContain(message);
      } finally {
        braze.respond(defaultResponder);
      }
    });
  }

  it("an id Braze refuses: canvas is null with Braze's error, no stats call", async () => {
    braze.respond((call) => (call.path === '/canvas/details' ? { status: 400, body: { message: 'Invalid canvas_id' } } : defaultResponder(call)));
    try {
      const result = await gateway.query(`{ canvas(id: "nope") { name series(length: 1, endingAt: "${AT}") { totals { entries } } } }`);
      expect(result.data).toEqual({ canvas: null });
      expect(result.errors.map((error) => ({ path: error.path, code: error.extensions?.['code'] }))).toEqual([{ path: ['canvas'], code: 'UPSTREAM_BAD_REQUEST' }]);
      expect(callsTo('/canvas/data_series')).toEqual([]);
    } finally {
      braze.respond(defaultResponder);
    }
  });
});

describe('Canvas series longer than 14 days', () => {
  it('30 days are three calls of at most 14 days on the grid, stitched into 30 consecutive days, breakdowns in every chunk', async () => {
    const at = '2024-03-10T12:00:00Z';
    const result = await gateway.query<{ _entities: { series: { brazeCalls: number; length: number; points: { date: string; total: { entries: number }; variants: { variantId: string }[] }[]; totals: { entries: number } } }[] }>(
      onCanvas('c-long', `series(length: 30, endingAt: "${at}") { brazeCalls length points { date total { entries } variants { variantId } } totals { entries } }`),
    );
    expect(result.errors).toEqual([]);
    // 12:00Z on 2024-03-10 is 19,791 days after the grid's anchor (1970-01-01T18:00Z); grid points every 13 days.
    expect(callsTo('/canvas/data_series').sort((a, b) => a['ending_at']!.localeCompare(b['ending_at']!))).toEqual([
      { canvas_id: 'c-long', length: '14', ending_at: '2024-02-20T18:00:00Z', include_variant_breakdown: 'true' },
      { canvas_id: 'c-long', length: '14', ending_at: '2024-03-04T18:00:00Z', include_variant_breakdown: 'true' },
      { canvas_id: 'c-long', length: '6', ending_at: at, include_variant_breakdown: 'true' },
    ]);
    const series = result.data!._entities[0]!.series;
    expect(series.brazeCalls).toBe(3);
    expect(series.length).toBe(30);
    expect(series.points.map((p) => p.date)).toEqual(Array.from({ length: 30 }, (_, i) => new Date(Date.parse('2024-02-10') + i * 86_400_000).toISOString().slice(0, 10)));
    // The fake numbers each chunk's days from 1 (entries 10·n): 02-10…02-19 are days 4…13 of the chunk ending
    // 02-20; 02-20…03-04 days 1…14 of the next (the newer chunk wins the day both hold); 03-05…03-10 days 1…6.
    const n = [...Array.from({ length: 10 }, (_, i) => 4 + i), ...Array.from({ length: 14 }, (_, i) => 1 + i), ...Array.from({ length: 6 }, (_, i) => 1 + i)];
    expect(series.points.map((p) => p.total.entries)).toEqual(n.map((k) => 10 * k));
    expect(series.totals.entries).toBe(n.reduce((sum, k) => sum + 10 * k, 0));
    expect(series.points.every((p) => p.variants.length === 2)).toBe(true);
  });

  it('a summary stays within Braze’s 14 days (a roll-up of unique counts cannot be added up from chunks), and startingAt too', async () => {
    const summary = await gateway.query(onCanvas('c-x', `summary(length: 15, endingAt: "${AT}") { total { entries } }`));
    expect(summary.errors.map((e) => [e.message, e.extensions?.['code']])).toEqual([['length must be between 1 and 14 (inclusive), got 15', 'BAD_USER_INPUT']]);
    const series = await gateway.query(onCanvas('c-x', `series(length: 1001, endingAt: "${AT}") { brazeCalls }`));
    expect(series.errors.map((e) => [e.message, e.extensions?.['code']])).toEqual([['length must be between 1 and 1000 (inclusive), got 1001', 'BAD_USER_INPUT']]);
    expect(braze.calls).toEqual([]);
  });
});
