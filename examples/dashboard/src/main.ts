import { drawChart, type Line } from './chart.js';
import { friendlyMessage, friendlyStatus, type GatewayError } from './errors.js';
import {
  CampaignChoicesDocument,
  DashboardDocument,
  type CampaignPanelFragment,
  type EventPanelFragment,
  type KpiPanelFragment,
  type LiveEventsSubscription,
} from './generated/graphql.js';
import { fetchInParts, RefusedError } from './incremental.js';
import { subscribeLiveEvents } from './live.js';
import { authHeaders, readSettings } from './settings.js';
import './style.css';

const RANGES = [7, 30, 90, 365] as const;
type Range = (typeof RANGES)[number];

const settings = readSettings();
const headers = authHeaders(settings);

function element<T extends HTMLElement = HTMLElement>(selector: string): T {
  const found = document.querySelector<T>(selector);
  if (!found) throw new Error(`index.html has no ${selector}`);
  return found;
}

/** One panel of index.html: a note (total, freshness), a chart and an error line. */
function panel(id: string) {
  const root = element(`#${id}`);
  const note = element(`#${id} .note`);
  const chart = element(`#${id} .chart`);
  const error = element(`#${id} .error`);
  return {
    loading(): void {
      root.dataset['state'] = 'loading';
      note.textContent = 'loading…';
      error.textContent = '';
    },
    show(text: string, times: readonly string[], lines: readonly Line[]): void {
      root.dataset['state'] = 'ready';
      note.textContent = text;
      error.textContent = '';
      drawChart(chart, times, lines);
    },
    fail(errors: readonly GatewayError[]): void {
      root.dataset['state'] = 'error';
      note.textContent = '';
      error.textContent = [...new Set(errors.map((e) => friendlyMessage(e)))].join(' ');
      error.dataset['codes'] = errors.map((e) => String(e.extensions?.['code'] ?? '')).join(',');
    },
  };
}

const panels = { kpi: panel('kpi'), events: panel('events'), campaign: panel('campaign'), live: panel('live') };
const liveState = element('#live .state');
const callCounter = element('#braze-calls');

/**
 * What the page asked Braze for, from the answers' own `brazeCalls` (a long window is several calls)
 * plus the campaign list and details calls. The cache can only make the real count lower.
 */
let brazeCallsAskedFor = 0;
function countBrazeCalls(calls: number): void {
  brazeCallsAskedFor += calls;
  callCounter.textContent = String(brazeCallsAskedFor);
  callCounter.dataset['count'] = String(brazeCallsAskedFor);
}

function freshness(fetchedAt: string): string {
  return `as of ${new Date(fetchedAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })}`;
}

function showKpi(series: KpiPanelFragment): void {
  countBrazeCalls(series.brazeCalls);
  panels.kpi.show(`${series.total ?? '–'} user-days, ${freshness(series.fetchedAt)}`, series.points.map((p) => p.time), [{ label: 'daily active users', values: series.points.map((p) => p.value) }]);
}

function showEvents(series: EventPanelFragment, target = panels.events): void {
  target.show(`${series.sum} ${series.event} events, ${freshness(series.fetchedAt)}`, series.points.map((p) => p.time), [{ label: series.event, values: series.points.map((p) => p.value) }]);
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
  panels.campaign.show(`${campaign.name}, ${freshness(series.fetchedAt)}`, times, lines);
}

let campaignId: string | undefined;
let stopLive: (() => void) | undefined;
let inFlight: AbortController | undefined;

function errorsOf(error: unknown): readonly GatewayError[] {
  if (error instanceof RefusedError) return error.errors.length > 0 ? error.errors : [{ message: friendlyStatus(error.status) }];
  return [{ message: error instanceof Error ? error.message : String(error) }];
}

/** Errors of a part, for the panel whose root field each is on (path[0]). */
function errorsFor(errors: readonly GatewayError[], field: string): GatewayError[] {
  return errors.filter((error) => (error as { path?: readonly (string | number)[] }).path?.[0] === field);
}

/** Loads the query panels; false when a newer range replaced this load before it ended. */
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
      if ('events' in data) {
        if (data.events) {
          countBrazeCalls(data.events.brazeCalls);
          showEvents(data.events);
        } else panels.events.fail(errorsFor(errors, 'events'));
      }
      if ('campaign' in data && campaignId !== undefined) data.campaign ? showCampaign(data.campaign, errors) : panels.campaign.fail(errorsFor(errors, 'campaign'));
    }
  } catch (error) {
    if (controller.signal.aborted) return false;
    for (const each of [panels.kpi, panels.events, panels.campaign]) each.fail(errorsOf(error));
    // Refused for the credential: the live panel would be refused too, so it is not opened.
    if (error instanceof RefusedError && (error.status === 401 || error.status === 403)) {
      panels.live.fail(errorsOf(error));
      liveState.textContent = 'off';
      return false;
    }
  }
  return !controller.signal.aborted;
}

function showLive(value: LiveEventsSubscription['eventSeries']): void {
  const { series, status } = value;
  liveState.textContent = status.state;
  liveState.dataset['state'] = status.state;
  element('#live').dataset['pushes'] = String(Number(element('#live').dataset['pushes'] ?? '0') + 1);
  if (series) {
    countBrazeCalls(series.brazeCalls);
    showEvents(series, panels.live);
  }
  if (status.code) panels.live.fail([{ message: status.reason ?? '', extensions: { code: status.code, retryAt: status.retryAt } }]);
}

function goLive(length: Range): void {
  stopLive?.();
  panels.live.loading();
  element('#live').dataset['pushes'] = '0';
  liveState.textContent = 'connecting';
  stopLive = subscribeLiveEvents(settings.gatewayUrl, headers, { event: settings.event, length }, { onPush: showLive, onError: (errors) => panels.live.fail(errors) });
}

let currentRange: Range = 30;

function selectRange(length: Range): void {
  currentRange = length;
  for (const button of document.querySelectorAll<HTMLButtonElement>('#range button')) button.setAttribute('aria-pressed', String(button.value === String(length)));
  stopLive?.();
  stopLive = undefined;
  // The live panel subscribes once the query has been answered: its first poll then finds the chunks
  // the query just fetched in the cache instead of racing it to Braze.
  void loadDashboard(length).then((current) => current && goLive(length));
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
