import { describe, expect, it } from 'vitest';
import { defaultResponder, type RecordedCall } from '../testkit/fakeBraze.js';
import { fakeListedCampaign } from '../testkit/answers/campaigns.js';
import { startTestGateway, useFakeBrazeWithGatewaysPerTest } from './helpers/gateway.js';

/**
 * topCampaigns against the fake Braze: the newest campaigns `campaign-100` … `campaign-149` convert
 * i·(1 + n mod 7) on day i of a series and earn i·(1 + n mod 5) + 0.1 (testkit/answers/campaigns.ts),
 * so over 3 days `campaign-<n>` has 6·(1 + n mod 7) conversions and 6·(1 + n mod 5) + 0.3 of revenue;
 * every other id 6 and 6.3.
 */
const { braze, start } = useFakeBrazeWithGatewaysPerTest();
const AT = '2024-03-10T12:00:00Z';

/** The 25 newest campaigns that are not archived (every 10th is), newest first: the default candidates. */
const NEWEST_25 = [148, 147, 146, 145, 144, 143, 142, 141, 140, 138, 137, 136, 135, 134, 133, 132, 131, 130, 128, 127, 126, 125, 124, 123, 122].map((n) => `campaign-${n}`);
const LIST_PAGE = { path: '/campaigns/list', query: { page: '0', include_archived: 'false', sort_direction: 'desc' } };
const seriesCall = (id: string, length = 3) => ({ path: '/campaigns/data_series', query: { campaign_id: id, length: String(length), ending_at: AT } });
const calls = (): { path: string; query: Record<string, string> }[] => braze.calls.map(({ path, query }) => ({ path, query: { ...query } }));
const byQuery = (a: { query: Record<string, string> }, b: { query: Record<string, string> }): number => JSON.stringify(a.query).localeCompare(JSON.stringify(b.query));

interface Ranking {
  by: string;
  length: number;
  endingAt: string;
  candidates: number;
  moreCandidates: boolean;
  brazeCalls: number;
  entries: { rank: number; value: string | null; campaign: { id: string; name?: string } }[];
}
const RANKING = 'by length endingAt candidates moreCandidates brazeCalls entries { rank value campaign { id name } }';

describe('topCampaigns: campaigns ranked by a total of their series', () => {
  it('by default ranks the 25 newest campaigns not archived by conversions: one list page and one series call each, names from the list', async () => {
    const gateway = await start();
    const result = await gateway.query<{ topCampaigns: Ranking }>(`{ topCampaigns(length: 3, endingAt: "${AT}") { ${RANKING} } }`);
    expect(result.errors).toEqual([]);
    const entry = (rank: number, n: number, value: string) => ({ rank, value, campaign: { id: `campaign-${n}`, name: `Campaign ${n}` } });
    expect(result.data?.topCampaigns).toEqual({
      by: 'CONVERSIONS',
      length: 3,
      endingAt: '2024-03-10T12:00:00.000Z',
      candidates: 25,
      moreCandidates: true,
      brazeCalls: 26,
      // 1 + n mod 7 = 7 for 125, 132, 146 (a tie, in id order), 6 for 124, 131, 138, 145, 5 for 123, 130, 137, …
      entries: [
        entry(1, 125, '42'),
        entry(2, 132, '42'),
        entry(3, 146, '42'),
        entry(4, 124, '36'),
        entry(5, 131, '36'),
        entry(6, 138, '36'),
        entry(7, 145, '36'),
        entry(8, 123, '30'),
        entry(9, 130, '30'),
        entry(10, 137, '30'),
      ],
    });
    expect(calls().sort(byQuery)).toEqual([LIST_PAGE, ...NEWEST_25.map((id) => seriesCall(id))].sort(byQuery));
  });

  it('by REVENUE, exact decimals, `first` of them; `candidates` chooses how many of the newest', async () => {
    const gateway = await start();
    const result = await gateway.query<{ topCampaigns: Ranking }>(`{ topCampaigns(by: REVENUE, length: 3, endingAt: "${AT}", first: 4, candidates: 12) { ${RANKING} } }`);
    expect(result.errors).toEqual([]);
    // The 12 newest: 148 … 140, 138, 137, 136; revenue 6·(1 + n mod 5) + 0.3: 30.3 for 144, 24.3 for 138, 143, 148.
    expect(result.data?.topCampaigns).toMatchObject({ by: 'REVENUE', candidates: 12, moreCandidates: true, brazeCalls: 13 });
    expect(result.data?.topCampaigns.entries).toEqual([
      { rank: 1, value: '30.3', campaign: { id: 'campaign-144', name: 'Campaign 144' } },
      { rank: 2, value: '24.3', campaign: { id: 'campaign-138', name: 'Campaign 138' } },
      { rank: 3, value: '24.3', campaign: { id: 'campaign-143', name: 'Campaign 143' } },
      { rank: 4, value: '24.3', campaign: { id: 'campaign-148', name: 'Campaign 148' } },
    ]);
    expect(calls().filter((call) => call.path === '/campaigns/data_series').map((call) => call.query['campaign_id']).sort()).toEqual(NEWEST_25.slice(0, 12).sort());
    expect(calls().filter((call) => call.path === '/campaigns/list')).toEqual([LIST_PAGE]);
  });

  it('campaignIds are the candidates: each once, archived ones too, no list call; moreCandidates false', async () => {
    const gateway = await start();
    const result = await gateway.query<{ topCampaigns: Ranking }>(
      `{ topCampaigns(length: 3, endingAt: "${AT}", campaignIds: ["c-plain", "campaign-146", "campaign-139", "campaign-146"]) { candidates moreCandidates brazeCalls entries { rank value campaign { id } } } }`,
    );
    expect(result.errors).toEqual([]);
    // campaign-139 is archived; it and campaign-146 both convert 7 times as much: a tie, in id order.
    expect(result.data?.topCampaigns).toEqual({
      candidates: 3,
      moreCandidates: false,
      brazeCalls: 3,
      entries: [
        { rank: 1, value: '42', campaign: { id: 'campaign-139' } },
        { rank: 2, value: '42', campaign: { id: 'campaign-146' } },
        { rank: 3, value: '6', campaign: { id: 'c-plain' } },
      ],
    });
    expect(calls().sort(byQuery)).toEqual(['c-plain', 'campaign-139', 'campaign-146'].map((id) => seriesCall(id)).sort(byQuery));
  });

  it('moreCandidates says whether the list had campaigns beyond the candidates', async () => {
    const gateway = await start();
    // A workspace with 3 campaigns that are not archived.
    braze.respond((call) =>
      call.path === '/campaigns/list' ? { status: 200, body: { message: 'success', campaigns: ['campaign-102', 'campaign-101', 'campaign-100'].map(fakeListedCampaign) } } : defaultResponder(call),
    );
    const ask = (candidates: number) =>
      gateway.query<{ topCampaigns: Ranking }>(`{ topCampaigns(length: 3, endingAt: "${AT}", candidates: ${candidates}) { candidates moreCandidates entries { rank value campaign { id } } } }`);
    const all = await ask(3);
    expect(all.errors).toEqual([]);
    expect(all.data?.topCampaigns).toEqual({
      candidates: 3,
      moreCandidates: false,
      entries: [
        { rank: 1, value: '30', campaign: { id: 'campaign-102' } },
        { rank: 2, value: '24', campaign: { id: 'campaign-101' } },
        { rank: 3, value: '18', campaign: { id: 'campaign-100' } },
      ],
    });
    expect((await ask(10)).data?.topCampaigns).toMatchObject({ candidates: 3, moreCandidates: false });
    const two = await ask(2);
    expect(two.data?.topCampaigns).toEqual({
      candidates: 2,
      moreCandidates: true,
      entries: [
        { rank: 1, value: '30', campaign: { id: 'campaign-102' } },
        { rank: 2, value: '24', campaign: { id: 'campaign-101' } },
      ],
    });
  });

  it('a campaign none of whose days reports conversions has no value and ranks last', async () => {
    const gateway = await start();
    braze.respond((call) =>
      call.path === '/campaigns/data_series' && call.query['campaign_id'] === 'c-silent' ? { status: 200, body: { message: 'success', data: [] } } : defaultResponder(call),
    );
    const result = await gateway.query<{ topCampaigns: Ranking }>(
      `{ topCampaigns(length: 3, endingAt: "${AT}", campaignIds: ["c-silent", "campaign-100"]) { entries { rank value campaign { id } } } }`,
    );
    expect(result.errors).toEqual([]);
    expect(result.data?.topCampaigns.entries).toEqual([
      { rank: 1, value: '18', campaign: { id: 'campaign-100' } },
      { rank: 2, value: null, campaign: { id: 'c-silent' } },
    ]);
  });
});

describe('topCampaigns: what it costs', () => {
  it('Campaign.series of a ranked campaign, and the same list page, in the same request cost no further call', async () => {
    const gateway = await start();
    const result = await gateway.query<{
      topCampaigns: { entries: { campaign: { id: string; series: { totals: { conversions: number } } }; series: { brazeCalls: number; totals: { conversions: number } } }[] };
      campaigns: { nodes: { id: string; series: { totals: { conversions: number } } }[] };
    }>(`{
      topCampaigns(length: 3, endingAt: "${AT}", candidates: 3) {
        entries { campaign { id series(length: 3, endingAt: "${AT}") { totals { conversions } } } series { brazeCalls totals { conversions } } }
      }
      campaigns(first: 2, sortDirection: DESC) { nodes { id series(length: 3, endingAt: "${AT}") { totals { conversions } } } }
    }`);
    expect(result.errors).toEqual([]);
    expect(result.data?.topCampaigns.entries).toEqual([
      { campaign: { id: 'campaign-146', series: { totals: { conversions: 42 } } }, series: { brazeCalls: 1, totals: { conversions: 42 } } },
      { campaign: { id: 'campaign-148', series: { totals: { conversions: 12 } } }, series: { brazeCalls: 1, totals: { conversions: 12 } } },
      { campaign: { id: 'campaign-147', series: { totals: { conversions: 6 } } }, series: { brazeCalls: 1, totals: { conversions: 6 } } },
    ]);
    expect(result.data?.campaigns.nodes).toEqual([
      { id: 'campaign-148', series: { totals: { conversions: 12 } } },
      { id: 'campaign-147', series: { totals: { conversions: 6 } } },
    ]);
    expect(calls().sort(byQuery)).toEqual([LIST_PAGE, seriesCall('campaign-146'), seriesCall('campaign-147'), seriesCall('campaign-148')].sort(byQuery));
  });

  it('with the cache on, the same ranking again costs no call', async () => {
    const gateway = await start({ CACHE_ENABLED: 'true' });
    const query = `{ topCampaigns(length: 3, endingAt: "${AT}", candidates: 5) { ${RANKING} } }`;
    const first = await gateway.query<{ topCampaigns: Ranking }>(query);
    expect(first.errors).toEqual([]);
    expect(braze.calls).toHaveLength(6);
    const again = await gateway.query<{ topCampaigns: Ranking }>(query);
    expect(again.errors).toEqual([]);
    expect(braze.calls).toHaveLength(6);
    expect(again.data).toEqual(first.data);
  });

  it('a window past 100 days is each candidate\'s chunks, counted in brazeCalls and shared with Campaign.series', async () => {
    const gateway = await start();
    const result = await gateway.query<{ topCampaigns: { brazeCalls: number; entries: { value: string; campaign: { id: string }; series: { brazeCalls: number } }[] } }>(
      `{ topCampaigns(length: 150, endingAt: "${AT}", campaignIds: ["campaign-100", "campaign-101"]) { brazeCalls entries { value campaign { id } series { brazeCalls } } } }`,
    );
    expect(result.errors).toEqual([]);
    expect(result.data?.topCampaigns.brazeCalls).toBe(4);
    expect(result.data?.topCampaigns.entries.map((entry) => [entry.campaign.id, entry.series.brazeCalls])).toEqual([
      ['campaign-101', 2],
      ['campaign-100', 2],
    ]);
    expect(braze.calls.filter((call) => call.path === '/campaigns/data_series')).toHaveLength(4);
  });

  it('a ranking that would take more calls than BRAZE_MAX_CALLS_PER_REQUEST allows is refused before any call', async () => {
    const gateway = await start({ BRAZE_MAX_CALLS_PER_REQUEST: '10' });
    // 10 campaigns of one call each, no list: exactly the cap.
    const ten = Array.from({ length: 10 }, (_, n) => `"campaign-${100 + n}"`).join(', ');
    const fits = await gateway.query(`{ topCampaigns(length: 3, endingAt: "${AT}", campaignIds: [${ten}]) { candidates } }`);
    expect(fits.errors).toEqual([]);
    expect(braze.calls).toHaveLength(10);
    braze.calls.length = 0;
    const refusals: [args: string, message: string][] = [
      ['candidates: 10', 'Ranking 10 campaigns over 3 days takes up to 11 Braze calls (10 × 1 series call + 1 list page), more than the 10 a request may make'],
      ['candidates: 5, length: 150', 'Ranking 5 campaigns over 150 days takes up to 11 Braze calls (5 × 2 series calls + 1 list page), more than the 10 a request may make'],
    ];
    for (const [args, message] of refusals) {
      const length = args.includes('length') ? '' : 'length: 3, ';
      const result = await gateway.query<{ topCampaigns: null; kpiSeries: { total: number } }>(
        `{ topCampaigns(${length}${args}, endingAt: "${AT}") { candidates } kpiSeries(kpi: NEW_USERS, length: 3, endingAt: "${AT}") { total } }`,
      );
      expect(result.errors, args).toEqual([{ message: `${message}: rank fewer campaigns or a shorter window`, path: ['topCampaigns'], locations: expect.any(Array), extensions: { code: 'TOO_MANY_UPSTREAM_CALLS', limit: 10 } }]);
      // The rest of the request answers.
      expect(result.data).toEqual({ topCampaigns: null, kpiSeries: { total: 6 } });
    }
    expect(braze.calls.map((call) => call.path)).toEqual(['/kpi/new_users/data_series', '/kpi/new_users/data_series']);
  });

  it('with the default cap of 50, the most candidates (50) and their list page are one call too many', async () => {
    const gateway = await start();
    const result = await gateway.query(`{ topCampaigns(length: 3, candidates: 50) { candidates } }`);
    expect(result.errors).toEqual([expect.objectContaining({ extensions: { code: 'TOO_MANY_UPSTREAM_CALLS', limit: 50 } })]);
    expect(braze.calls).toEqual([]);
    expect((await gateway.query(`{ topCampaigns(length: 3, candidates: 49, endingAt: "${AT}") { candidates } }`)).data).toEqual({ topCampaigns: { candidates: 49 } });
    expect(braze.calls).toHaveLength(50);
  });
});

describe('topCampaigns: refusals and failures', () => {
  const fiftyOne = Array.from({ length: 51 }, (_, n) => `"c-${n}"`).join(', ');
  const refusals: [args: string, argument: string, message: string][] = [
    ['length: 0', 'length', 'length must be between 1 and'],
    ['length: 1001', 'length', 'length must be between 1 and 1000'],
    ['length: 3, endingAt: "2001-01-01T00:00:00Z"', 'endingAt', 'endingAt must be an instant from 2011-01-01'],
    ['length: 3, first: 0', 'first', 'first must be between 1 and 50 (inclusive), got 0'],
    ['length: 3, first: 51', 'first', 'first must be between 1 and 50 (inclusive), got 51'],
    ['length: 3, candidates: 0', 'candidates', 'candidates must be between 1 and 50 (inclusive), got 0'],
    ['length: 3, candidates: 51', 'candidates', 'candidates must be between 1 and 50 (inclusive), got 51'],
    ['length: 3, campaignIds: []', 'campaignIds', 'campaignIds must name at least one campaign'],
    [`length: 3, campaignIds: [${fiftyOne}]`, 'campaignIds', 'campaignIds must name at most 50 campaigns, got 51'],
    ['length: 3, campaignIds: ["c-1", " "]', 'campaignIds', 'campaignIds must not be empty'],
    [`length: 3, campaignIds: ["${'x'.repeat(129)}"]`, 'campaignIds', 'campaignIds must be at most 128 characters, got 129'],
    ['length: 3, campaignIds: ["c-1"], candidates: 5', 'candidates', 'candidates counts the newest campaigns of the list: omit it when campaignIds names the candidates'],
  ];
  // Titled by their arguments, cut short where they are long.
  it.each(refusals.map(([args, argument, message]) => [args.length > 60 ? `${args.slice(0, 59)}…` : args, args, argument, message]))('%s is refused BAD_USER_INPUT naming the argument, with no Braze call', async (_label, args, argument, message) => {
    const gateway = await start();
    const result = await gateway.query(`{ topCampaigns(${args}) { candidates } }`);
    expect(result.data).toEqual({ topCampaigns: null });
    expect(result.errors).toEqual([expect.objectContaining({ message: expect.stringContaining(message), path: ['topCampaigns'], extensions: { code: 'BAD_USER_INPUT', argument } })]);
    expect(braze.calls).toEqual([]);
  });

  it('one candidate Braze refuses: no ranking, an error naming it with Braze\'s code; the rest of the request answers', async () => {
    const gateway = await start();
    braze.respond((call) =>
      call.path === '/campaigns/data_series' && call.query['campaign_id'] === 'campaign-146' ? { status: 401, body: { message: 'Invalid API key' } } : defaultResponder(call),
    );
    const result = await gateway.query<{ topCampaigns: null; kpiSeries: { total: number } }>(
      `{ topCampaigns(length: 3, endingAt: "${AT}", candidates: 5) { candidates } kpiSeries(kpi: NEW_USERS, length: 3, endingAt: "${AT}") { total } }`,
    );
    expect(result.data).toEqual({ topCampaigns: null, kpiSeries: { total: 6 } });
    expect(result.errors).toEqual([
      {
        message: expect.stringMatching(/^No ranking: Braze failed for 1 of the 5 campaigns ranked \(campaign-146\), and a ranking without them would be wrong\. /),
        path: ['topCampaigns'],
        locations: expect.any(Array),
        extensions: { code: 'UPSTREAM_UNAUTHORIZED', upstreamStatus: 401, attempts: 1, failed: 1 },
      },
    ]);
    // Every candidate was asked (at once): the list page, 5 series, the KPI.
    expect(braze.calls).toHaveLength(7);
  });

  it('candidates Braze fails with 500: all of them named, the first one\'s code, the attempts of all', async () => {
    const gateway = await start({ BRAZE_MAX_ATTEMPTS: '2', BRAZE_RETRY_BASE_MS: '1', BRAZE_RETRY_MAX_MS: '1' });
    const failing = (call: RecordedCall): boolean => call.path === '/campaigns/data_series' && ['campaign-146', 'campaign-125'].includes(call.query['campaign_id'] ?? '');
    braze.respond((call) => (failing(call) ? { status: 500, body: { message: 'Internal error' } } : defaultResponder(call)));
    const result = await gateway.query(`{ topCampaigns(length: 3, endingAt: "${AT}") { candidates } }`);
    expect(result.data).toEqual({ topCampaigns: null });
    expect(result.errors).toEqual([
      {
        message: expect.stringMatching(/^No ranking: Braze failed for 2 of the 25 campaigns ranked \(campaign-125, campaign-146\)/),
        path: ['topCampaigns'],
        locations: expect.any(Array),
        extensions: { code: 'UPSTREAM_UNAVAILABLE', upstreamStatus: 500, attempts: 4, failed: 2 },
      },
    ]);
    expect(braze.calls.filter(failing)).toHaveLength(4);
  });

  it('the list failing fails the ranking with its error, and no series is asked', async () => {
    const gateway = await start();
    braze.respond((call) => (call.path === '/campaigns/list' ? { status: 403, body: { message: 'Access Denied' } } : defaultResponder(call)));
    const result = await gateway.query(`{ topCampaigns(length: 3, endingAt: "${AT}") { candidates } }`);
    expect(result.data).toEqual({ topCampaigns: null });
    expect(result.errors).toEqual([expect.objectContaining({ path: ['topCampaigns'], extensions: expect.objectContaining({ code: 'UPSTREAM_FORBIDDEN', permission: 'campaigns.list' }) })]);
    expect(braze.calls.map((call) => call.path)).toEqual(['/campaigns/list']);
  });
});

describe('topCampaigns in demo mode', () => {
  it('ranks the simulated campaigns: different conversions, highest first, one list page and one series call each', async () => {
    const gateway = await startTestGateway(undefined);
    try {
      const result = await gateway.query<{ topCampaigns: Ranking }>('{ topCampaigns(length: 7, candidates: 10, first: 10) { candidates moreCandidates brazeCalls entries { rank value campaign { id name } } } }');
      expect(result.errors).toEqual([]);
      const ranking = result.data!.topCampaigns;
      expect(ranking).toMatchObject({ candidates: 10, moreCandidates: true, brazeCalls: 11 });
      const values = ranking.entries.map((entry) => Number(entry.value ?? -1));
      expect(ranking.entries.map((entry) => entry.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(values).toEqual([...values].sort((a, b) => b - a));
      expect(new Set(values).size).toBeGreaterThan(5);
      expect(values[0]).toBeGreaterThan(0);
      expect(ranking.entries.every((entry) => entry.campaign.name?.includes(': '))).toBe(true);
    } finally {
      await gateway.close();
    }
    expect(braze.calls).toEqual([]);
  });
});
