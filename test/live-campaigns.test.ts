import { afterAll, describe, expect, it } from 'vitest';
import { defaultResponder, type CannedAnswer, type RecordedCall } from '../testkit/fakeBraze.js';
import { useGatewayWithFakeBraze } from './helpers/gateway.js';
import { sampleValue } from './helpers/prometheus.js';
import { expectOneCallPerInterval, expectPollingStopped, LIVE_INTERVAL_MS, LIVE_TEST_ENV, liveClient, subscribe, type LiveStream } from './helpers/live.js';

const INTERVAL_MS = LIVE_INTERVAL_MS;
const ENV = LIVE_TEST_ENV;

const CAMPAIGN = `subscription { campaignSeries(campaignId: "campaign-007", length: 3) {
  series { campaignId brazeCalls points { uniqueRecipients } }
  status { state }
} }`;
const CANVAS = `subscription { canvasSeries(canvasId: "canvas-004", length: 3) {
  series { canvasId includesSteps includesVariants points { date total { entries } steps { stepId name } } }
  status { state }
} }`;

/**
 * The fake Braze's default answers, but the n-th call of a path says n: every campaign day has n
 * unique recipients, every Canvas day n entries. `times` keeps when each path was called.
 */
function movingBraze(): { responder: (call: RecordedCall) => Promise<CannedAnswer>; times: Map<string, number[]> } {
  const times = new Map<string, number[]>();
  const responder = async (call: RecordedCall): Promise<CannedAnswer> => {
    const mine = times.get(call.path) ?? [];
    mine.push(Date.now());
    times.set(call.path, mine);
    const { body } = await defaultResponder(call);
    const answer = body as { data: unknown };
    if (call.path === '/campaigns/data_series') {
      const days = answer.data as Record<string, unknown>[];
      return { body: { ...answer, data: days.map((day) => ({ ...day, unique_recipients: mine.length })) } };
    }
    if (call.path === '/canvas/data_series') {
      const data = answer.data as { stats: { total_stats: Record<string, unknown> }[] };
      return { body: { ...answer, data: { ...data, stats: data.stats.map((day) => ({ ...day, total_stats: { ...day.total_stats, entries: mine.length } })) } } };
    }
    return { body };
  };
  return { responder, times };
}

interface LiveCampaign {
  campaignSeries: { series: { campaignId: string; brazeCalls: number; points: { uniqueRecipients: number }[] } | null; status: { state: string } };
}
interface LiveCanvas {
  canvasSeries: {
    series: { canvasId: string; includesSteps: boolean; includesVariants: boolean; points: { date: string; total: { entries: number }; steps: { stepId: string; name: string }[] }[] } | null;
    status: { state: string };
  };
}

describe('live campaign and Canvas series: one Braze poll however many subscribers', () => {
  const { braze, gateway } = useGatewayWithFakeBraze(ENV);
  const open: LiveStream<unknown>[] = [];
  afterAll(() => open.forEach((stream) => stream.close()));

  /** What /metrics says is open. */
  async function liveGauges(): Promise<{ subscriptions: number | undefined; polls: number | undefined }> {
    const text = await (await fetch(new URL('/metrics', gateway.url))).text();
    return { subscriptions: sampleValue(text, 'braze_gateway_live_subscriptions'), polls: sampleValue(text, 'braze_gateway_live_polls') };
  }

  it('60 subscribers to a campaign and 60 to a Canvas: one call of each per interval, every subscriber sees each poll; the last leaving stops the calls', async () => {
    const { responder, times } = movingBraze();
    braze.respond(responder);
    const client = liveClient(gateway);
    const campaigns = Array.from({ length: 60 }, () => subscribe<LiveCampaign>(client, CAMPAIGN));
    const canvases = Array.from({ length: 60 }, () => subscribe<LiveCanvas>(client, CANVAS));
    open.push(...campaigns, ...canvases);
    await Promise.all([...campaigns, ...canvases].map((stream) => stream.waitFor(4, 15_000)));
    expect(gateway.running.live.stats()).toMatchObject({ polls: 2, subscriptions: 120 });
    expect(await liveGauges()).toEqual({ subscriptions: 120, polls: 2 });
    expect([...times.keys()].sort()).toEqual(['/campaigns/data_series', '/canvas/data_series']);

    // Campaign n-th poll: n recipients every day. Every value seen is a poll's, 1, 2, 3, … in order.
    const campaignPolls = [...new Set(campaigns.flatMap((stream) => stream.results.map((result) => result.data!.campaignSeries.series!.points[0]!.uniqueRecipients)))].sort((a, b) => a - b);
    expect(campaignPolls.slice(0, 3)).toEqual([1, 2, 3]);
    expect(campaigns[0]!.results[0]!.data).toEqual({ campaignSeries: { series: { campaignId: 'campaign-007', brazeCalls: 1, points: [{ uniqueRecipients: 1 }, { uniqueRecipients: 1 }, { uniqueRecipients: 1 }] }, status: { state: 'LIVE' } } });

    // The Canvas selection reads `steps` and not `variants`: only the step breakdown is asked for.
    const canvasCalls = braze.calls.filter((call) => call.path === '/canvas/data_series');
    expect(canvasCalls[0]!.query).toMatchObject({ canvas_id: 'canvas-004', length: '3', include_step_breakdown: 'true' });
    expect(canvasCalls[0]!.query['include_variant_breakdown']).not.toBe('true');
    const first = canvases[0]!.results[0]!.data!.canvasSeries;
    expect(first.status).toEqual({ state: 'LIVE' });
    expect(first.series).toMatchObject({ canvasId: 'canvas-004', includesSteps: true, includesVariants: false });
    expect(first.series!.points.map((point) => point.total.entries)).toEqual([1, 1, 1]);
    expect(first.series!.points[0]!.steps.map((step) => step.stepId)).toEqual(['canvas-004-s1', 'canvas-004-s2']);
    const canvasPolls = [...new Set(canvases.flatMap((stream) => stream.results.map((result) => result.data!.canvasSeries.series!.points[0]!.total.entries)))].sort((a, b) => a - b);
    expect(canvasPolls.slice(0, 3)).toEqual([1, 2, 3]);

    // One call per interval per series, not one per subscriber.
    for (const path of ['/campaigns/data_series', '/canvas/data_series']) expectOneCallPerInterval(times.get(path) ?? [], INTERVAL_MS, path);

    [...campaigns, ...canvases].forEach((stream) => stream.close());
    await expectPollingStopped(gateway, braze, INTERVAL_MS * 3);
    expect(await liveGauges()).toEqual({ subscriptions: 0, polls: 0 });
  }, 60_000);
});

describe('live campaign and Canvas series: past windows and bad arguments', () => {
  const { braze, gateway } = useGatewayWithFakeBraze(ENV);

  it('past windows are sent once (COMPLETE) with exact numbers, one Braze call each, then the streams end', async () => {
    const client = liveClient(gateway);
    const campaign = subscribe(client, `subscription { campaignSeries(campaignId: "campaign-001", length: 2, endingAt: "2024-03-10T00:00:00Z") {
      series { points { date uniqueRecipients revenue } } status { state } } }`);
    const canvas = subscribe(client, `subscription { canvasSeries(canvasId: "canvas-001", startingAt: "2024-03-08T00:00:00Z", endingAt: "2024-03-10T00:00:00Z") {
      series { points { date total { entries revenue } variants { variantId entries } } } status { state } } }`);
    await Promise.all([campaign.done, canvas.done]);
    expect(campaign.results.map((result) => result.data)).toEqual([
      {
        campaignSeries: {
          series: { points: [{ date: '2024-03-09', uniqueRecipients: 10, revenue: '1.1' }, { date: '2024-03-10', uniqueRecipients: 20, revenue: '2.1' }] },
          status: { state: 'COMPLETE' },
        },
      },
    ]);
    expect(canvas.results.map((result) => result.data)).toEqual([
      {
        canvasSeries: {
          series: {
            // Day n (1 = oldest) of the fake's Canvas: entries 10n, revenue n + 0.1, variants 6n and 4n.
            points: ['2024-03-08', '2024-03-09', '2024-03-10'].map((date, index) => ({ date, n: index + 1 })).map(({ date, n }) => ({
              date,
              total: { entries: 10 * n, revenue: `${n}.1` },
              variants: [
                { variantId: 'canvas-001-v1', entries: 6 * n },
                { variantId: 'canvas-001-v2', entries: 4 * n },
              ],
            })),
          },
          status: { state: 'COMPLETE' },
        },
      },
    ]);
    expect(braze.calls.map((call) => `${call.path} ${call.query['include_variant_breakdown'] ?? ''}`).sort()).toEqual(['/campaigns/data_series ', '/canvas/data_series true']);
  });

  it('refuses before anything is polled: a startingAt window with no end, an unknown-shaped id, both length and startingAt', async () => {
    const client = liveClient(gateway);
    const cases = [
      ['subscription { canvasSeries(canvasId: "canvas-001", startingAt: "2024-03-08T00:00:00Z") { status { state } } }', 'endingAt'],
      ['subscription { canvasSeries(canvasId: "canvas-001", length: 2, startingAt: "2024-03-08T00:00:00Z", endingAt: "2024-03-10T00:00:00Z") { status { state } } }', 'startingAt'],
      ['subscription { canvasSeries(canvasId: " ", length: 2) { status { state } } }', 'canvasId'],
      ['subscription { campaignSeries(campaignId: " ", length: 2) { status { state } } }', 'campaignId'],
      ['subscription { campaignSeries(campaignId: "campaign-001", length: 0) { status { state } } }', 'length'],
    ] as const;
    for (const [query, argument] of cases) {
      const stream = subscribe(client, query);
      await stream.done;
      expect(stream.results[0]?.errors?.[0]?.extensions, query).toEqual({ code: 'BAD_USER_INPUT', argument });
    }
    expect(braze.calls).toHaveLength(0);
    expect(gateway.running.live.stats()).toEqual({ polls: 0, subscriptions: 0, timers: 0, inFlight: 0 });
  });
});
