import { describe, expect, it } from 'vitest';
import { seriesOf, summarize } from '../../graphiql/series.js';

const DAY1 = Date.parse('2024-03-01T00:00:00Z') / 1000;
const DAY2 = Date.parse('2024-03-02T00:00:00Z') / 1000;
const DAY3 = Date.parse('2024-03-03T00:00:00Z') / 1000;

describe('seriesOf: the lines the GraphiQL chart draws', () => {
  it('one line per alias for event, KPI (date only) series; totals and lists without times are not lines', () => {
    const chart = seriesOf({
      data: {
        eventSeries: { total: 3, points: [{ time: '2024-03-01T00:00:00.000Z', count: 1 }, { time: '2024-03-02T00:00:00.000Z', count: 2 }] },
        dau: { total: 9, points: [{ date: '2024-03-02', value: 4 }, { date: '2024-03-03', value: 5 }] },
        sessions: { total: 7 },
        segments: { nodes: [{ id: '1', name: 'a' }] },
      },
    });
    expect(chart.times).toEqual([DAY1, DAY2, DAY3]);
    expect(chart.lines).toEqual([
      { name: 'eventSeries.count', values: [1, 2, null] },
      { name: 'dau.value', values: [null, 4, 5] },
    ]);
  });

  it('campaign channels (by channel and variation), their name/value stats and Decimal revenue are separate lines', () => {
    const chart = seriesOf({
      data: {
        campaign: {
          series: {
            points: [
              {
                time: '2024-03-01T00:00:00Z',
                date: '2024-03-01',
                conversions: 2,
                revenue: '10.50',
                channels: [
                  { channel: 'email', variationName: 'A', variationId: '123', sends: 10, stats: [{ name: 'opens', value: '4' }] },
                  { channel: 'ios_push', sends: 3, uniqueRecipients: null },
                ],
              },
            ],
          },
        },
      },
    });
    expect(chart.lines.map((line) => [line.name, line.values[0]])).toEqual([
      ['campaign.series.conversions', 2],
      ['campaign.series.revenue', 10.5],
      ['campaign.series.channels[email/A].sends', 10],
      ['campaign.series.channels[email/A].stats[opens]', 4],
      ['campaign.series.channels[ios_push].sends', 3],
    ]);
  });

  it('Canvas steps are lines per step (by stepId), and series inside lists are labelled by their element', () => {
    const chart = seriesOf({
      data: {
        canvases: {
          nodes: [
            {
              name: 'Onboarding',
              series: { points: [{ date: '2024-03-01', time: '2024-03-01T00:00:00Z', entries: 5, steps: [{ stepId: 's1', conversions: 1 }, { conversions: 2 }] }] },
            },
          ],
        },
      },
    });
    expect(chart.lines.map((line) => line.name)).toEqual([
      'canvases.nodes[Onboarding].series.entries',
      'canvases.nodes[Onboarding].series.steps[s1].conversions',
      'canvases.nodes[Onboarding].series.steps[1].conversions',
    ]);
  });

  it('nothing to draw: errors only, no data, not JSON-shaped, points without a usable time', () => {
    expect(seriesOf({ errors: [{ message: 'x' }] }).lines).toEqual([]);
    expect(seriesOf(undefined).lines).toEqual([]);
    expect(seriesOf('text').lines).toEqual([]);
    expect(seriesOf({ data: { s: { points: [{ time: 'yesterday', count: 1 }] } } }).lines).toEqual([]);
    expect(seriesOf({ data: { s: { points: [] } } }).lines).toEqual([]);
  });

  it('summarize: points, first and last present values per line', () => {
    expect(summarize(['a', 'b'], [[null, 2, 3], [null, null]])).toEqual([
      { name: 'a', points: 2, first: 2, last: 3 },
      { name: 'b', points: 0, first: null, last: null },
    ]);
  });
});
