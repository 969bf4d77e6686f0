import type { GraphQLResolveInfo } from 'graphql';
import { planChunks, type SeriesWindow } from '../data/chunks.js';
import { MAX_LENGTH } from '../endpoints/answers/series.js';
import { CAMPAIGN_LIST_PAGE_SIZE, campaignListEndpoint } from '../endpoints/campaignList.js';
import { BadUserInputError, findGatewayError, IncompleteResultError, TooManyUpstreamCallsError, type GatewayError } from '../errors/gatewayErrors.js';
import { checkCount, checkId, toDayWindow } from './arguments.js';
import { builder } from './builder.js';
import { CampaignRef, type CampaignView } from './campaign.js';
import { campaignSeries, CampaignSeriesRef, totalCount, totalRevenue, type CampaignSeriesResult } from './campaignSeries.js';
import type { GatewayContext } from './context.js';
import { rankByValue, type Ranked } from './ranking.js';
import { dayWindowArgs } from './seriesArgs.js';
import { resolveSeries } from './seriesField.js';

/**
 * "Top campaigns by conversions": Braze has no ranking endpoint, so a ranking is one campaign series
 * per candidate (`GET /campaigns/data_series`, its own bucket), summed and ordered here. That is only
 * honest over a bounded, named set of candidates, and only frugal when its cost is known before the
 * first call: both are in the field's arguments and checked before anything is asked.
 */

/** At most this many candidates, and ranked entries returned: one list page holds more (100), so one page always suffices. */
export const MAX_CANDIDATES = 50;
export const DEFAULT_CANDIDATES = 25;
export const DEFAULT_RANKED = 10;
if (MAX_CANDIDATES >= CAMPAIGN_LIST_PAGE_SIZE) throw new Error('the candidates of a ranking must fit in one /campaigns/list page, with one to spare to tell whether there are more');

/** What a ranking is by: a total of a campaign's series, exactly as `CampaignSeries.totals` has it. */
type RankingMetric = 'conversions' | 'revenue';

const CampaignRankingMetricRef = builder.enumType('CampaignRankingMetric', {
  description: "What campaigns are ranked by: a total over the window of each campaign's daily series, exactly as `CampaignSeries.totals` has it.",
  values: {
    CONVERSIONS: {
      value: 'conversions',
      description:
        'Conversions of the primary conversion event (A), by the day they happened: `totals.conversions` (Braze `conversions`). A campaign none of whose days reports it has no value and ranks after every campaign that has one.',
    },
    REVENUE: { value: 'revenue', description: 'Revenue attributed to the campaign, in dollars (USD), exact: `totals.revenue` (Braze `revenue`; "0" when no day reports any).' },
  } as const,
});

/** A ranked campaign: its view (with its list entry when it came from the list) and its series. */
interface RankedCampaign {
  readonly campaign: CampaignView;
  readonly series: CampaignSeriesResult;
}

interface CampaignRankingView {
  readonly by: RankingMetric;
  readonly window: SeriesWindow;
  readonly candidates: number;
  readonly moreCandidates: boolean;
  readonly brazeCalls: number;
  readonly entries: readonly Ranked<RankedCampaign>[];
}

const CampaignRankingEntryRef = builder.objectRef<Ranked<RankedCampaign>>('CampaignRankingEntry').implement({
  description: 'One campaign in its place in a ranking.',
  fields: (t) => ({
    rank: t.int({ description: 'Its position, from 1. Campaigns with equal values take consecutive ranks, ordered by campaign id.', resolve: ({ rank }) => rank }),
    campaign: t.field({ type: CampaignRef, description: 'The campaign (its name and other fields as anywhere else).', resolve: ({ item }) => item.campaign }),
    value: t.field({
      type: 'Decimal',
      nullable: true,
      description:
        "The campaign's total of the ranking's metric over the window, exact: a whole number for CONVERSIONS, dollars for REVENUE. Null when none of its days reports the metric (no day in the window, or Braze left the key out): such campaigns rank after every number.",
      resolve: ({ value }) => value,
    }),
    series: t.field({
      type: CampaignSeriesRef,
      description: "The campaign's series the value is the total of: the same as `Campaign.series` with the ranking's `length` and `endingAt`, and no further call.",
      resolve: ({ item }) => item.series,
    }),
  }),
});

const CampaignRankingRef = builder.objectRef<CampaignRankingView>('CampaignRanking').implement({
  description: 'Campaigns ranked by a total over a window, highest first. Only its candidates are ranked: `candidates` says how many, `moreCandidates` whether the list had others.',
  fields: (t) => ({
    by: t.field({ type: CampaignRankingMetricRef, description: 'What the campaigns are ranked by.', resolve: ({ by }) => by }),
    length: t.int({ description: "The window's number of days (Braze `length` of each series).", resolve: ({ window }) => window.length }),
    endingAt: t.field({
      type: 'DateTime',
      description: 'The instant the window ends at: the `endingAt` argument, or the time of the request when omitted.',
      resolve: ({ window }) => window.endingAt,
    }),
    candidates: t.int({ description: 'How many distinct campaigns were ranked: every one of them was asked for its series.', resolve: ({ candidates }) => candidates }),
    moreCandidates: t.boolean({
      description:
        'Whether the list had campaigns (not archived) beyond the newest `candidates` that were ranked: those are not in the ranking, however well they did. Always false with `campaignIds`.',
      resolve: ({ moreCandidates }) => moreCandidates,
    }),
    brazeCalls: t.int({
      description:
        `How many Braze calls the ranking is made of: the list page (without \`campaignIds\`) and each candidate's series (one up to ${MAX_LENGTH} days, more for longer windows). Each is an ordinary call: served from the cache or shared with other fields when it can be (see \`extensions.brazeCache\`).`,
      resolve: ({ brazeCalls }) => brazeCalls,
    }),
    entries: t.field({ type: [CampaignRankingEntryRef], description: 'The `first` highest, highest first.', resolve: ({ entries }) => entries }),
  }),
});

builder.queryField('topCampaigns', (t) =>
  t.field({
    type: CampaignRankingRef,
    nullable: true,
    description: `Campaigns ranked by their conversions (or revenue) over a window, highest first, from each one's daily series (Braze \`GET /campaigns/data_series\`, its own rate-limit bucket of 50,000 a minute: one call per candidate up to ${MAX_LENGTH} days, more for longer windows, shared with \`Campaign.series\` of the same request and cached by the same rule). Braze has no ranking of its own, so only candidates are ranked: the \`campaignIds\` given, else the newest \`candidates\` campaigns that are not archived (Braze \`GET /campaigns/list\`, newest by creation time, not by activity: one call). Campaigns outside the candidates are not ranked; \`moreCandidates\` says whether there were others. A ranking that would take more Braze calls than BRAZE_MAX_CALLS_PER_REQUEST allows a request is refused before any call (TOO_MANY_UPSTREAM_CALLS). Null, with an error for this field only, when the arguments are invalid or Braze fails for the list or for any candidate: the error names the campaigns that failed and carries Braze's code (a ranking without them would be wrong without saying so).`,
    args: {
      by: t.arg({ type: CampaignRankingMetricRef, defaultValue: 'conversions', description: 'What to rank by: `CONVERSIONS` (the default) or `REVENUE`.' }),
      ...dayWindowArgs(`Every candidate's series covers this window: one Braze call per candidate up to ${MAX_LENGTH} days, more for longer windows.`),
      first: t.arg.int({
        defaultValue: DEFAULT_RANKED,
        description: `How many ranked campaigns to return, highest first: 1 to ${MAX_CANDIDATES}; defaults to ${DEFAULT_RANKED}. Every candidate is asked whatever \`first\` is: a ranking needs every value.`,
      }),
      campaignIds: t.arg.idList({
        description: `The campaigns to rank (campaign API identifiers, Braze \`campaign_id\`), 1 to ${MAX_CANDIDATES}, a repeated id counted once, archived ones included. Omitted: the newest campaigns of the list (see \`candidates\`).`,
      }),
      candidates: t.arg.int({
        description: `Without \`campaignIds\`: how many of the newest campaigns that are not archived to rank (Braze \`GET /campaigns/list\` with \`sort_direction=desc\`, which sorts by creation time), 1 to ${MAX_CANDIDATES}; ${DEFAULT_CANDIDATES} when omitted. Not with \`campaignIds\`.`,
      }),
    },
    resolve: async (_root, args, context, info) => {
      const window = toDayWindow(args, context);
      const first = checkCount(args.first ?? DEFAULT_RANKED, 'first', MAX_CANDIDATES);
      const ids = args.campaignIds === null || args.campaignIds === undefined ? undefined : checkCampaignIds(args.campaignIds);
      if (ids !== undefined && args.candidates !== null && args.candidates !== undefined) {
        throw new BadUserInputError('candidates counts the newest campaigns of the list: omit it when campaignIds names the candidates', 'candidates');
      }
      const wanted = ids?.length ?? checkCount(args.candidates ?? DEFAULT_CANDIDATES, 'candidates', MAX_CANDIDATES);
      // Known before any call: refused here rather than after the cap has let part of it through.
      const seriesCalls = planChunks(window, MAX_LENGTH).length;
      const listCalls = ids === undefined ? 1 : 0;
      const cost = wanted * seriesCalls + listCalls;
      if (cost > context.maxCallsPerRequest) {
        throw new TooManyUpstreamCallsError(
          context.maxCallsPerRequest,
          `Ranking ${wanted} campaigns over ${window.length} days takes up to ${cost} Braze calls (${wanted} × ${seriesCalls} series ${seriesCalls === 1 ? 'call' : 'calls'}${listCalls ? ' + 1 list page' : ''}), more than the ${context.maxCallsPerRequest} a request may make: rank fewer campaigns or a shorter window`,
        );
      }
      const { campaigns, moreCandidates } = ids === undefined ? await newestCampaigns(context, wanted) : { campaigns: ids.map((id): CampaignView => ({ id })), moreCandidates: false };
      const by = args.by ?? 'conversions';
      const ranked = await seriesOfAll(campaigns, { length: args.length, endingAt: args.endingAt }, context, info);
      const entries = rankByValue(
        ranked.map((item) => ({ id: item.campaign.id, value: valueOf(item.series, by), item })),
        first,
      );
      const brazeCalls = listCalls + ranked.reduce((sum, { series }) => sum + series.calls, 0);
      return { by, window, candidates: campaigns.length, moreCandidates, brazeCalls, entries };
    },
  }),
);

/** The ids given, each checked, the repeated ones once, in the order given. */
function checkCampaignIds(given: readonly (string | number)[]): string[] {
  if (given.length === 0) throw new BadUserInputError('campaignIds must name at least one campaign; omit it to rank the newest campaigns of the list', 'campaignIds');
  if (given.length > MAX_CANDIDATES) throw new BadUserInputError(`campaignIds must name at most ${MAX_CANDIDATES} campaigns, got ${given.length}`, 'campaignIds');
  return [...new Set(given.map((id) => checkId(String(id), 'campaignIds')))];
}

/** The newest `wanted` campaigns that are not archived (one list page), and whether the page had more. */
async function newestCampaigns(context: GatewayContext, wanted: number): Promise<{ campaigns: CampaignView[]; moreCandidates: boolean }> {
  const { answer } = await context.loader.load(campaignListEndpoint, { page: 0, includeArchived: false, lastEditedAfter: undefined, sortDirection: 'desc' });
  const seen = new Set<string>();
  const listed = answer.filter(({ id }) => !seen.has(id) && seen.add(id));
  return { campaigns: listed.slice(0, wanted).map((entry) => ({ id: entry.id, listed: entry })), moreCandidates: listed.length > wanted };
}

/**
 * Every campaign's series, through `Campaign.series`' own definition (the same calls, so the same
 * dedup, coalescing and cache). All or nothing: one failing fails the ranking, naming every campaign
 * that failed, with the first failure's code (by campaign id, so the same failures give the same error).
 */
async function seriesOfAll(
  campaigns: readonly CampaignView[],
  window: { length: number; endingAt?: Date | null | undefined },
  context: GatewayContext,
  info: GraphQLResolveInfo,
): Promise<RankedCampaign[]> {
  const settled = await Promise.allSettled(campaigns.map((campaign) => resolveSeries(campaignSeries, window, context, campaign.id, info)));
  const failed: { id: string; error: GatewayError }[] = [];
  const ranked: RankedCampaign[] = [];
  settled.forEach((outcome, index) => {
    const campaign = campaigns[index]!;
    if (outcome.status === 'fulfilled') {
      ranked.push({ campaign, series: outcome.value });
      return;
    }
    const error = findGatewayError(outcome.reason);
    // Not a failure a client may see (a defect here): thrown as it is, masked by yoga.
    if (!error) throw outcome.reason;
    failed.push({ id: campaign.id, error });
  });
  if (failed.length === 0) return ranked;
  failed.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const [first] = failed;
  const named = failed.slice(0, 10).map(({ id }) => id);
  const rest = failed.length - named.length;
  throw new IncompleteResultError(
    `No ranking: Braze failed for ${failed.length} of the ${campaigns.length} campaigns ranked (${named.join(', ')}${rest > 0 ? ` and ${rest} more` : ''}), and a ranking without them would be wrong. ${first!.error.message}`,
    failed.map(({ error }) => error),
  );
}

function valueOf({ points }: CampaignSeriesResult, by: RankingMetric): string | null {
  if (by === 'revenue') return totalRevenue(points);
  const conversions = totalCount(points, 'conversions');
  return conversions === null ? null : String(conversions);
}
