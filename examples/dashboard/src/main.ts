import { countBrazeCalls } from './brazeCalls.js';
import { friendlyStatus, type GatewayError } from './errors.js';
import { CampaignChoicesDocument, DashboardDocument, type CampaignPanelFragment, type EventPanelFragment, type KpiPanelFragment } from './generated/graphql.js';
import { fetchInParts, RefusedError } from './incremental.js';
import { connectLive, type LiveConnection } from './live.js';
import { goLive, livePanels } from './livePanels.js';
import { mountLiveViews } from './liveView.js';
import { element, freshness, panel } from './panel.js';
import { authHeaders, readSettings } from './settings.js';
import './style.css';

const RANGES = [7, 30, 90, 365] as const;
type Range = (typeof RANGES)[number];

const settings = readSettings();
const headers = authHeaders(settings);

const panels = { kpi: panel(element('#kpi')), events: panel(element('#events')), campaign: panel(element('#campaign')) };
const live = livePanels(settings);
const liveViews = mountLiveViews(element('#live'), live);

function showKpi(series: KpiPanelFragment): void {
  countBrazeCalls(series.brazeCalls);
  panels.kpi.show({
    note: `${series.total ?? '–'} user-days, ${freshness(series.fetchedAt)}`,
    times: series.points.map((p) => p.time),
    lines: [{ label: 'daily active users', values: series.points.map((p) => p.value) }],
  });
}

function showEvents(series: EventPanelFragment): void {
  countBrazeCalls(series.brazeCalls);
  panels.events.show({
    note: `${series.sum} ${series.event} events, ${freshness(series.fetchedAt)}`,
    times: series.points.map((p) => p.time),
    lines: [{ label: series.event, values: series.points.map((p) => p.value) }],
  });
}

/** Messages sent by one channel × variation; families without a `sent` count (in-app, other) send none. */
type ChannelDay = NonNullable<CampaignPanelFragment['series']>['points'][number]['channels'][number];

function sentBy(stats: ChannelDay): number {
  return 'sent' in stats ? (stats.sent ?? 0) : 0;
}

/** One line per channel: messages sent a day, summed over the campaign's variations. */
function showCampaign(campaign: CampaignPanelFragment, errors: readonly GatewayError[]): void {
  countBrazeCalls(1); // the campaign's details
  const series = campaign.series;
  if (!series) return panels.campaign.fail(errors);
  countBrazeCalls(series.brazeCalls);
  const times = series.points.map((p) => p.time);
  const channels = [...new Set(series.points.flatMap((p) => p.channels.map((c) => c.channel)))].sort();
  const lines = channels.map((channel) => ({
    label: channel,
    values: series.points.map((p) => p.channels.filter((c) => c.channel === channel).reduce((sum, c) => sum + sentBy(c), 0)),
  }));
  panels.campaign.show({ note: `${campaign.name}, ${freshness(series.fetchedAt)}`, times, lines });
}

let campaignId: string | undefined;
let inFlight: AbortController | undefined;

function errorsOf(error: unknown): readonly GatewayError[] {
  if (error instanceof RefusedError) return error.errors.length > 0 ? error.errors : [{ message: friendlyStatus(error.status) }];
  return [{ message: error instanceof Error ? error.message : String(error) }];
}

/** Errors of a part, for the panel whose root field each is on (path[0]). */
function errorsFor(errors: readonly GatewayError[], field: string): GatewayError[] {
  return errors.filter((error) => (error as { path?: readonly (string | number)[] }).path?.[0] === field);
}

/** Loads the query panels; false when a newer range replaced this load, or the credential was refused. */
async function loadDashboard(length: Range): Promise<boolean> {
  inFlight?.abort();
  const controller = new AbortController();
  inFlight = controller;
  panels.kpi.loading();
  panels.events.loading();
  panels.campaign.loading();
  if (campaignId === undefined) {
    panels.campaign.fail([{ message: 'no campaign', extensions: { code: 'UPSTREAM_NOT_FOUND' } }]);
  }
  try {
    const variables = { length, event: settings.event, campaignId: campaignId ?? '' };
    for await (const part of fetchInParts(settings.gatewayUrl, headers, DashboardDocument, variables, controller.signal)) {
      const { data, errors } = part;
      if ('dau' in data) data.dau ? showKpi(data.dau) : panels.kpi.fail(errorsFor(errors, 'dau'));
      if ('events' in data) data.events ? showEvents(data.events) : panels.events.fail(errorsFor(errors, 'events'));
      if ('campaign' in data && campaignId !== undefined) data.campaign ? showCampaign(data.campaign, errors) : panels.campaign.fail(errorsFor(errors, 'campaign'));
    }
  } catch (error) {
    if (controller.signal.aborted) return false;
    for (const each of [panels.kpi, panels.events, panels.campaign]) each.fail(errorsOf(error));
    // Refused for the credential: the live panels would be refused too, so no socket is opened.
    if (error instanceof RefusedError && (error.status === 401 || error.status === 403)) {
      for (const view of liveViews.values()) view.off(errorsOf(error));
      return false;
    }
  }
  return !controller.signal.aborted;
}

/**
 * The page's one live connection, for the range on screen. Changing the range or the campaign disposes
 * it (the gateway releases every subscription at once) and opens a new one; so does leaving the page.
 */
let connection: LiveConnection | undefined;

function stopLive(): void {
  connection?.dispose();
  connection = undefined;
}

function startLive(length: Range): void {
  stopLive();
  connection = connectLive(settings);
  goLive(connection, live, liveViews, length);
}

let currentRange: Range = 30;

function selectRange(length: Range): void {
  currentRange = length;
  for (const button of document.querySelectorAll<HTMLButtonElement>('#range button')) button.setAttribute('aria-pressed', String(button.value === String(length)));
  stopLive();
  // The live panels subscribe once the query has been answered: with the gateway's cache on, their first
  // polls then find the settled chunks of a long window the query just fetched, instead of racing it.
  void loadDashboard(length).then((current) => current && startLive(length));
}

async function start(): Promise<void> {
  element('#gateway').textContent = settings.gatewayUrl;
  const choice = element<HTMLSelectElement>('#campaign-choice');
  choice.addEventListener('change', () => {
    campaignId = choice.value;
    selectRange(currentRange);
  });
  const picker = element('#range');
  for (const length of RANGES) {
    const button = document.createElement('button');
    button.type = 'button';
    button.value = String(length);
    button.textContent = `${length} days`;
    button.addEventListener('click', () => selectRange(length));
    picker.append(button);
  }
  // Leaving the page disposes the live connection; back from the back/forward cache, it goes live again.
  addEventListener('pagehide', stopLive);
  addEventListener('pageshow', (event) => {
    if (event.persisted) selectRange(currentRange);
  });
  try {
    for await (const { data, errors } of fetchInParts(settings.gatewayUrl, headers, CampaignChoicesDocument, {})) {
      if (data.campaigns) countBrazeCalls(1);
      for (const { id, name } of data.campaigns?.nodes ?? []) choice.append(new Option(name, id));
      campaignId = settings.campaignId ?? data.campaigns?.nodes[0]?.id;
      if (campaignId !== undefined) choice.value = campaignId;
      if (errors.length > 0) panels.campaign.fail(errors);
    }
  } catch (error) {
    panels.campaign.fail(errorsOf(error));
  }
  selectRange(30);
}

void start();
