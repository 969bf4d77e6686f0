import { describe, expect, it } from 'vitest';
import {
  canvasSeriesCoalescing,
  canvasStatsKey,
  canvasStatsSearchParams,
  canvasSummaryCoalescing,
  parseCanvasSeries,
  parseCanvasSummary,
  type CanvasStatsCall,
  type CanvasStatsPoint,
} from '../../src/endpoints/answers/canvasStats.js';
import { canvasDetailsEndpoint } from '../../src/endpoints/canvasDetails.js';
import { canvasListEndpoint } from '../../src/endpoints/canvasList.js';
import { UpstreamInvalidResponseError } from '../../src/errors/gatewayErrors.js';

const END = new Date('2024-03-10T00:00:00Z');
const call = (overrides: Partial<CanvasStatsCall> = {}): CanvasStatsCall => ({
  canvasId: 'c',
  length: 3,
  startingAt: undefined,
  endingAt: END,
  variants: false,
  steps: false,
  deletedSteps: false,
  ...overrides,
});

const totals = (n: number) => ({ revenue: n + 0.25, conversions: n, conversions_by_entry_time: n, entries: 10 * n });
const day = (date: string, n: number, extra: Record<string, unknown> = {}) => ({ time: date, total_stats: totals(n), ...extra });
const breakdowns = {
  variant_stats: { v1: { name: 'A', revenue: 1.5, conversions: 1, entries: 5 } },
  step_stats: { s1: { name: 'Email', revenue: 0, conversions: 0, conversions_by_entry_time: 0, messages: { email: [{ sent: 4, opens: 2, unique_opens: 1 }] } } },
};
const body = (stats: unknown[]): string => JSON.stringify({ message: 'success', data: { name: 'Canvas', stats } });

describe('Canvas stats parameters and keys', () => {
  it('length as a string, instants in UTC, flags only when true, deleted steps only with steps', () => {
    expect(canvasStatsSearchParams(call({ variants: true })).toString()).toBe('canvas_id=c&length=3&ending_at=2024-03-10T00%3A00%3A00Z&include_variant_breakdown=true');
    expect(canvasStatsSearchParams(call({ length: undefined, startingAt: new Date('2024-03-08T12:30:00+01:00'), steps: true, deletedSteps: true })).toString()).toBe(
      'canvas_id=c&starting_at=2024-03-08T11%3A30%3A00Z&ending_at=2024-03-10T00%3A00%3A00Z&include_step_breakdown=true&include_deleted_step_data=true',
    );
    expect(canvasStatsSearchParams(call({ deletedSteps: true })).has('include_deleted_step_data')).toBe(false);
  });

  it('one instant in other offsets is one key; other breakdowns are other keys', () => {
    expect(canvasStatsKey(call({ endingAt: new Date('2024-03-10T02:00:00+02:00') }))).toBe(canvasStatsKey(call()));
    expect(canvasStatsKey(call({ variants: true }))).not.toBe(canvasStatsKey(call()));
  });

  it('list and details parameters', () => {
    expect(canvasListEndpoint.searchParams({ page: 2, includeArchived: false, lastEditedAfter: undefined, sortDirection: 'asc' }).toString()).toBe('page=2');
    expect(canvasDetailsEndpoint.searchParams({ canvasId: 'x y' }).toString()).toBe('canvas_id=x+y');
  });
});

describe('parsing /canvas/data_series and /canvas/data_summary', () => {
  it('days as midnight UTC of the date Braze wrote, totals, and only the breakdowns asked for', () => {
    const text = body([day('2024-03-09', 1, breakdowns), day('2024-03-10T00:00:00-05:00', 2, breakdowns)]);
    const [first, second] = parseCanvasSeries(text, call({ variants: true }));
    expect(first).toEqual({
      time: new Date('2024-03-09T00:00:00Z'),
      total: { revenue: 1.25, conversions: 1, conversionsByEntryTime: 1, entries: 10, conversionEvents: [{ index: 0, conversions: 1, byTime: 1 }] },
      variants: [{ id: 'v1', name: 'A', revenue: 1.5, conversions: 1, conversionsByEntryTime: null, entries: 5, conversionEvents: [{ index: 0, conversions: 1, byTime: null }] }],
      steps: [],
    });
    expect(second?.time).toEqual(new Date('2024-03-10T00:00:00Z'));
  });

  it('step messages become typed channel entries', () => {
    const [point] = parseCanvasSeries(body([day('2024-03-10', 1, breakdowns)]), call({ steps: true }));
    expect(point?.steps.map((step) => [step.id, step.channels.map((entry) => [entry.family, entry.channel, entry.counts])])).toEqual([
      ['s1', [['email', 'email', expect.objectContaining({ sent: 4, opens: 2, unique_opens: 1, clicks: null })]]],
    ]);
  });

  it('a breakdown asked for but absent is empty', () => {
    expect(parseCanvasSummary(JSON.stringify({ message: 'success', data: { total_stats: totals(1) } }), call({ variants: true, steps: true }))).toMatchObject({ variants: [], steps: [] });
  });

  const invalid: [string, string, CanvasStatsCall, string][] = [
    ['data a list', JSON.stringify({ message: 'success', data: [] }), call(), 'Braze answered without a "data" object'],
    ['no stats list', JSON.stringify({ message: 'success', data: { name: 'x' } }), call(), 'Braze answered without a "data.stats" list'],
    ['more days than a starting_at window holds', body([1, 2, 3, 4].map((n) => day('2024-03-10', n))), call({ length: undefined, startingAt: new Date('2024-03-08T00:00:00Z') }), 'Braze answered 4 days for a window of at most 3'],
    ['variant stats keyed wrongly', body([day('2024-03-10', 1, { variant_stats: [] })]), call({ variants: true }), 'data.stats[0].variant_stats is not an object keyed by id'],
    ['a channel that is not a list', body([day('2024-03-10', 1, { step_stats: { s: { revenue: 0, conversions: 0, messages: { email: {} } } } })]), call({ steps: true }), 'data.stats[0].step_stats["s"].messages.email is not a list of variations'],
    ['revenue not a number', body([{ time: '2024-03-10', total_stats: { ...totals(1), revenue: '1' } }]), call(), 'data.stats[0].total_stats.revenue is not a finite number'],
  ];
  for (const [name, text, asked, message] of invalid) {
    it(`${name}: UpstreamInvalidResponseError saying so`, () => {
      expect(() => parseCanvasSeries(text, asked)).toThrow(new UpstreamInvalidResponseError(message));
    });
  }
});

describe('Canvas coalescing: a covering call built from the group', () => {
  const points: CanvasStatsPoint[] = parseCanvasSeries(body(['2024-03-06', '2024-03-07', '2024-03-08', '2024-03-09', '2024-03-10'].map((date, i) => day(date, i + 1, breakdowns))), call({ length: 5, variants: true, steps: true }));

  it('series: one window for any length and breakdowns; the cover takes the longest length and every breakdown', () => {
    const group = [call({ length: 2, variants: true }), call({ length: 5, steps: true }), call({ length: 3 })];
    expect(new Set(group.map(canvasSeriesCoalescing.windowKey)).size).toBe(1);
    expect(canvasSeriesCoalescing.cover?.(group)).toEqual(call({ length: 5, variants: true, steps: true }));
  });

  it('series: other windows are other groups (a starting_at, another end, deleted steps)', () => {
    const keys = [call(), call({ length: undefined, startingAt: new Date('2024-03-08T00:00:00Z') }), call({ endingAt: new Date('2024-03-11T00:00:00Z') }), call({ steps: true, deletedSteps: true })].map(
      canvasSeriesCoalescing.windowKey,
    );
    expect(new Set(keys).size).toBe(4);
  });

  it('series: each call gets its last days and its own breakdowns; an incomplete answer cannot be cut', () => {
    const covering = call({ length: 5, variants: true, steps: true });
    const part = canvasSeriesCoalescing.slice(points, covering, call({ length: 2, variants: true }));
    expect(part?.map((point) => [point.time.toISOString().slice(0, 10), point.variants.length, point.steps.length])).toEqual([
      ['2024-03-09', 1, 0],
      ['2024-03-10', 1, 0],
    ]);
    expect(canvasSeriesCoalescing.slice(points.slice(1), covering, call({ length: 2 }))).toBeUndefined();
    // The same length needs no complete answer: only the breakdowns are cut.
    expect(canvasSeriesCoalescing.slice(points.slice(1), covering, call({ length: 5, steps: true }))?.every((point) => point.variants.length === 0 && point.steps.length === 1)).toBe(true);
  });

  it('summary: only the same window exactly, breakdowns merged and cut', () => {
    expect(canvasSummaryCoalescing.windowKey(call({ length: 2 }))).not.toBe(canvasSummaryCoalescing.windowKey(call({ length: 3 })));
    expect(canvasSummaryCoalescing.windowKey(call({ variants: true }))).toBe(canvasSummaryCoalescing.windowKey(call({ steps: true })));
    const stats = points[0]!;
    expect(canvasSummaryCoalescing.slice(stats, call({ variants: true, steps: true }), call({ steps: true }))).toEqual({ ...stats, variants: [] });
  });
});

