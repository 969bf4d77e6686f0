import type { GatewayContext } from './context.js';
import { campaignDetailsEndpoint, type CampaignDetails, type CampaignVariation, type ConversionBehavior } from '../endpoints/campaignDetails.js';
import { CAMPAIGN_LIST_PAGE_SIZE, campaignListEndpoint, type CampaignListEntry } from '../endpoints/campaignList.js';
import { checkId, MAX_ID_LENGTH } from './arguments.js';
import { builder } from './builder.js';
import { asKeyedEntity } from './entityRepresentations.js';
import { byIdIn } from './listedById.js';
import { campaignSeries, CampaignSeriesRef } from './campaignSeries.js';
import { seriesEntityField } from './seriesField.js';
import { sendSeriesField } from './sendSeries.js';
import { connectionArgs, connectionOf, pagedConnection } from './connection.js';
import { sortDirectionArg } from './sortDirection.js';

/**
 * A campaign as resolved: its id, and what /campaigns/list said of it when it came from the list.
 * What the list does not carry is loaded from /campaigns/details when asked for, once per request per id.
 */
export interface CampaignView {
  readonly id: string;
  readonly listed?: CampaignListEntry;
}

async function details({ id }: CampaignView, context: GatewayContext): Promise<CampaignDetails> {
  return (await context.loader.load(campaignDetailsEndpoint, { campaignId: id })).answer;
}

// Archived campaigns included, so every campaign `campaigns` can list is found.
const lookup = byIdIn(
  async (loader, page) => (await loader.load(campaignListEndpoint, { page, includeArchived: true, lastEditedAfter: undefined, sortDirection: 'asc' })).answer,
  CAMPAIGN_LIST_PAGE_SIZE,
);

/**
 * The campaign's entry in /campaigns/list: the one it was listed with, else looked up in the list
 * (only when a field only the list carries is asked), so such a field has one value whatever the path.
 */
async function listEntry({ id, listed }: CampaignView, context: GatewayContext): Promise<CampaignListEntry | undefined> {
  return listed ?? (await lookup(context.loader, id));
}

const FROM_LIST =
  'from `GET /campaigns/list` whatever the path: a campaign reached by id or as an entity is looked up in the list (archived ones included, oldest first, 100 a page), once per request and only when a field of the list is asked; the pages are cached by the list rule';

const CampaignVariationRef = builder.objectRef<CampaignVariation>('CampaignVariation').implement({
  description: 'One message variation of a campaign (an entry of `messages` in Braze `GET /campaigns/details`).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The variation API identifier: the `variationId` of its ChannelStats.' }),
    channel: t.exposeString('channel', { nullable: true, description: 'Braze `channel` of the message (`email`, `ios_push`, …).' }),
    name: t.exposeString('name', { nullable: true, description: 'The name of the message in the dashboard, e.g. "Variation 1".' }),
    control: t.exposeBoolean('control', { description: 'Whether this is the control group (Braze `type: "control"`), which sends nothing.' }),
  }),
});

const ConversionBehaviorRef = builder.objectRef<ConversionBehavior>('ConversionBehavior').implement({
  description:
    'A conversion event of the campaign, in Braze\'s order: the first is `conversions` in a series, the second `conversions1`, then `conversions2`, `conversions3`.',
  fields: (t) => ({
    type: t.exposeString('type', { description: 'Braze `type`, e.g. "Makes Any Purchase", "Performs Custom Event".' }),
    windowSeconds: t.exposeInt('windowSeconds', { nullable: true, description: 'Seconds during which a user can convert (Braze `window`).' }),
    customEventName: t.exposeString('customEventName', { nullable: true, description: 'The custom event, for "Performs Custom Event".' }),
    product: t.exposeString('product', { nullable: true, description: 'The product, for "Makes Specific Purchase".' }),
  }),
});

const FROM_DETAILS = 'from `GET /campaigns/details`';

/** `Campaign.series`, and its live twin `campaignSeries(campaignId, …)`. */
const series = seriesEntityField(campaignSeries, {
  type: CampaignSeriesRef,
  description:
    "The campaign's results per day, campaign-wide and per channel × variation (Braze `GET /campaigns/data_series`, its own rate-limit bucket). Null, with an error for this field only, when the arguments are invalid or Braze fails. The same series asked through any number of campaigns of one request is one call; shorter windows share the longest.",
  key: { name: 'campaignId', description: 'The campaign API identifier. Braze `campaign_id`.' },
  live: {
    field: 'campaignSeries',
    type: 'LiveCampaignSeries',
    what: 'campaign series',
    description:
      "`Campaign.series`, live: a campaign's results per day, pushed again whenever they change. Spends the campaign-series rate-limit bucket: each live campaign series costs one call per interval.",
  },
});

export const CampaignRef = builder.objectRef<CampaignView>('Campaign').implement({
  description:
    'A Braze campaign, identified by its campaign API identifier. A federation entity keyed by `id`: other subgraphs (a CRM, a content system) reference it by id and get its details and results from here. Each field has one value whatever the path (`campaigns`, `campaign`, a federation reference): fields that `GET /campaigns/list` does not carry are loaded from `GET /campaigns/details`, and those only the list carries are looked up in the list, once per campaign per request.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Campaign API identifier (Braze `id`, `campaign_id`).' }),
    name: t.string({ description: 'Campaign name.', resolve: async (campaign, _args, context) => campaign.listed?.name ?? (await details(campaign, context)).name }),
    tags: t.stringList({
      description: 'Tag names associated with the campaign.',
      resolve: async (campaign, _args, context) => campaign.listed?.tags ?? (await details(campaign, context)).tags,
    }),
    lastEditedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: `When the campaign was last edited (Braze \`last_edited\`, ${FROM_LIST}). Null when Braze does not say, or the list does not have the campaign. \`updatedAt\` is the details' own date.`,
      resolve: async (campaign, _args, context) => (await listEntry(campaign, context))?.lastEditedAt ?? null,
    }),
    isApiCampaign: t.boolean({
      nullable: true,
      description: `Whether the campaign is an API campaign (Braze \`is_api_campaign\`, ${FROM_LIST}). Null when Braze does not say, or the list does not have the campaign.`,
      resolve: async (campaign, _args, context) => (await listEntry(campaign, context))?.isApiCampaign ?? null,
    }),
    archived: t.boolean({ description: `Whether the campaign is archived (${FROM_DETAILS}).`, resolve: async (c, _a, context) => (await details(c, context)).archived }),
    draft: t.boolean({ description: `Whether the campaign is a draft (${FROM_DETAILS}).`, resolve: async (c, _a, context) => (await details(c, context)).draft }),
    enabled: t.boolean({ description: `Whether the campaign is active (${FROM_DETAILS}).`, resolve: async (c, _a, context) => (await details(c, context)).enabled }),
    hasPostLaunchDraft: t.boolean({
      nullable: true,
      description: `Whether the campaign has a post-launch draft (${FROM_DETAILS}); null when Braze does not say.`,
      resolve: async (c, _a, context) => (await details(c, context)).hasPostLaunchDraft,
    }),
    description: t.string({ nullable: true, description: `The campaign description (${FROM_DETAILS}).`, resolve: async (c, _a, context) => (await details(c, context)).description }),
    scheduleType: t.string({
      nullable: true,
      description: `The type of scheduling action, as Braze names it (e.g. \`time_based\`, \`action_based\`, \`api_triggered\`; ${FROM_DETAILS}).`,
      resolve: async (c, _a, context) => (await details(c, context)).scheduleType,
    }),
    channels: t.stringList({ description: `The channels the campaign sends via (${FROM_DETAILS}).`, resolve: async (c, _a, context) => (await details(c, context)).channels }),
    teams: t.stringList({ description: `The names of the Teams associated with the campaign (${FROM_DETAILS}).`, resolve: async (c, _a, context) => (await details(c, context)).teams }),
    createdAt: t.field({ type: 'DateTime', nullable: true, description: `When the campaign was created (${FROM_DETAILS}).`, resolve: async (c, _a, context) => (await details(c, context)).createdAt }),
    updatedAt: t.field({ type: 'DateTime', nullable: true, description: `When the campaign was last updated (${FROM_DETAILS}).`, resolve: async (c, _a, context) => (await details(c, context)).updatedAt }),
    firstSentAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: `When the campaign first sent (Braze \`first_sent\`, ${FROM_DETAILS}); null if it never sent.`,
      resolve: async (c, _a, context) => (await details(c, context)).firstSentAt,
    }),
    lastSentAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: `When the campaign last sent (Braze \`last_sent\`, ${FROM_DETAILS}); null if Braze does not say.`,
      resolve: async (c, _a, context) => (await details(c, context)).lastSentAt,
    }),
    variations: t.field({
      type: [CampaignVariationRef],
      description: `The campaign's message variations (Braze \`messages\`, ${FROM_DETAILS}).`,
      resolve: async (c, _a, context) => (await details(c, context)).variations,
    }),
    conversionBehaviors: t.field({
      type: [ConversionBehaviorRef],
      description: `The campaign's conversion events, in order (Braze \`conversion_behaviors\`, ${FROM_DETAILS}).`,
      resolve: async (c, _a, context) => (await details(c, context)).conversionBehaviors,
    }),
    series: series(t),
    sendSeries: sendSeriesField(t),
  }),
});

asKeyedEntity(CampaignRef, 'id', MAX_ID_LENGTH);

const CampaignConnectionRef = connectionOf<CampaignView>(
  'Campaign',
  CampaignRef,
  'Campaigns, oldest or newest first as Braze lists them (Braze `GET /campaigns/list`).',
);

builder.queryFields((t) => ({
  campaigns: t.field({
    type: CampaignConnectionRef,
    nullable: true,
    description:
      "The workspace's campaigns (Braze `GET /campaigns/list`, 100 a page, oldest first unless `sortDirection` says newest). Reads only the Braze pages this page needs. Null, with an error for this field only, when the arguments are invalid or Braze fails.",
    args: {
      ...connectionArgs,
      includeArchived: t.arg.boolean({ defaultValue: false, description: 'Whether to include archived campaigns (Braze `include_archived`); defaults to false.' }),
      lastEditedAfter: t.arg({
        type: 'DateTime',
        description: 'Only campaigns edited after this instant. Braze `last_edit.time[gt]`, sent in UTC to the second (cut down, so nothing edited after the instant is left out).',
      }),
      ...sortDirectionArg,
    },
    resolve: (_root, args, context) => {
      const includeArchived = args.includeArchived ?? false;
      const lastEditedAfter = args.lastEditedAfter ?? undefined;
      const sortDirection = args.sortDirection ?? 'asc';
      return pagedConnection(args, CAMPAIGN_LIST_PAGE_SIZE, async (page) =>
        (await context.loader.load(campaignListEndpoint, { page, includeArchived, lastEditedAfter, sortDirection })).answer.map((listed): CampaignView => ({ id: listed.id, listed })),
      );
    },
  }),
  campaign: t.field({
    type: CampaignRef,
    nullable: true,
    description:
      "A campaign by its API identifier (Braze `GET /campaigns/details`, one call however many of its fields are asked for). Braze does not document its answer for an unknown id: the field is null with Braze's error (its code says which), never a silent null.",
    args: { id: t.arg.id({ required: true, description: 'Campaign API identifier, from the dashboard or `campaigns`. Braze `campaign_id`.' }) },
    resolve: async (_root, args, context) => {
      const campaign: CampaignView = { id: checkId(String(args.id), 'id') };
      // Asked now so an unknown id fails this field; the campaign's fields get the same answer.
      await details(campaign, context);
      return campaign;
    },
  }),
}));
