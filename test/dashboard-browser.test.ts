import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { describe, expect, it } from 'vitest';
import { startFakeBraze, type RecordedCall } from '../testkit/fakeBraze.js';
import { startStaticSite, type StaticAsset, type StaticSite } from './fixtures/staticSite.js';
import { BROWSER_WAIT_MS, browserTestSupport, useChromium, type OnClose } from './helpers/browser.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';
import { sleep } from './helpers/live.js';

/**
 * The example dashboard (examples/dashboard), built with `vite build` and served as static files from
 * its own origin, in Debian's Chromium over HTTP/1.1 (at most six connections to one host): the
 * ordinary panels draw the gateway's numbers, the eight live panels (more than six) all go LIVE on one
 * WebSocket, and Braze is asked exactly once per distinct series, as many times as the page says it
 * asked. Skips without Chromium, except under CI, where it fails.
 */

const DASHBOARD_CONFIG = fileURLToPath(new URL('../examples/dashboard/vite.config.ts', import.meta.url));
const SCREENSHOT_DIR = fileURLToPath(new URL('../test-results/screenshots/', import.meta.url));
const CONTENT_TYPES: Readonly<Record<string, string>> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

/** The query panels and the live row, as examples/dashboard/src/livePanels.ts lists it. */
const ORDINARY_PANELS = ['kpi', 'events', 'campaign'] as const;
const LIVE_PANELS = ['live-dau', 'live-mau', 'live-new-users', 'live-uninstalls', 'live-sessions', 'live-event', 'live-second-event', 'live-revenue'] as const;
/** "Within a few seconds" on a loaded machine: a local gateway over a local fake Braze answers in milliseconds. */
const DELIVERY_MS = 10_000;

const { support, skip } = await browserTestSupport('dashboard browser test');
/** Builds the dashboard into a fresh directory and serves it: index.html at `/`, its assets beside it. */
async function serveBuiltDashboard(onClose: OnClose): Promise<StaticSite> {
  const outDir = await mkdtemp(join(tmpdir(), 'dashboard-'));
  onClose(() => rm(outDir, { recursive: true, force: true }));
  await build({ configFile: DASHBOARD_CONFIG, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const assets: Record<string, StaticAsset> = {};
  for (const name of await readdir(join(outDir, 'assets'))) {
    const type = CONTENT_TYPES[name.slice(name.lastIndexOf('.'))];
    if (type) assets[`assets/${name}`] = { file: pathToFileURL(join(outDir, 'assets', name)), contentType: type };
  }
  const site = await startStaticSite(pathToFileURL(join(outDir, 'index.html')), assets);
  onClose(() => site.close());
  return site;
}

/** Every HTTP attempt the gateway made to (simulated) Braze, from its Prometheus counter. */
async function brazeAttempts(gateway: TestGateway): Promise<number> {
  const text = await (await fetch(new URL('/metrics', gateway.url))).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('braze_gateway_upstream_attempts_total{'))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

interface Drawn {
  labels: string[];
  data: (number | null)[][];
}

async function drawn(page: Page, panel: string): Promise<Drawn> {
  const json = await page.locator(`#${panel} .chart`).getAttribute('data-drawn', { timeout: BROWSER_WAIT_MS });
  if (json === null) throw new Error(`#${panel} has drawn nothing`);
  return JSON.parse(json) as Drawn;
}

const ready = (page: Page, panel: string) => page.locator(`#${panel}[data-state="ready"]`).waitFor({ state: 'attached', timeout: BROWSER_WAIT_MS });
const seconds = (time: string) => Date.parse(time) / 1000;

/** What one panel shows: `data-state` (loading, ready, error), and a live panel's badge and pushes. */
interface PanelState {
  readonly state: string | undefined;
  readonly badge: string | undefined;
  readonly pushes: number;
}

/** Every panel's state, read in one round trip. */
async function panelStates(page: Page): Promise<Record<string, PanelState>> {
  return page.evaluate((ids) => {
    const states: Record<string, { state: string | undefined; badge: string | undefined; pushes: number }> = {};
    for (const id of ids) {
      const root = document.getElementById(id);
      const badge = root?.querySelector<HTMLElement>('.state');
      states[id] = { state: root?.dataset['state'], badge: badge?.dataset['state'], pushes: Number(root?.dataset['pushes'] ?? '0') };
    }
    return states;
  }, [...ORDINARY_PANELS, ...LIVE_PANELS]);
}

/**
 * Waits until every ordinary panel has drawn and every live panel is LIVE with `pushes` pushes; fails
 * after `timeoutMs` naming the panels that had not. Returns how long it took.
 */
async function everyPanelDelivered(page: Page, pushes: number, timeoutMs = DELIVERY_MS): Promise<number> {
  const began = Date.now();
  for (;;) {
    const states = await panelStates(page);
    const waiting = [
      ...ORDINARY_PANELS.filter((id) => states[id]?.state !== 'ready'),
      ...LIVE_PANELS.filter((id) => states[id]?.state !== 'ready' || states[id]?.badge !== 'LIVE' || states[id]?.pushes !== pushes),
    ];
    if (waiting.length === 0) return Date.now() - began;
    if (Date.now() - began > timeoutMs) {
      throw new Error(`after ${timeoutMs} ms, ${waiting.length} panels had not delivered: ${waiting.map((id) => `${id} ${JSON.stringify(states[id])}`).join('; ')}`);
    }
    await sleep(50);
  }
}

/** Polls a condition on the gateway's side until it holds; fails after a generous deadline. */
async function eventually(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(50);
  }
}

/** A Braze call as its series: the path and every query parameter (sorted), so equal series are equal strings. */
const seriesOf = (call: RecordedCall): string => `${call.path}?${new URLSearchParams(Object.entries(call.query).sort(([a], [b]) => a.localeCompare(b))).toString()}`;

/** The WebSockets a page opened and how many of them closed since. */
function watchWebSockets(page: Page): { opened: () => number; closed: () => number } {
  let opened = 0;
  let closed = 0;
  page.on('websocket', (socket) => {
    opened++;
    socket.on('close', () => closed++);
  });
  return { opened: () => opened, closed: () => closed };
}

/** The protocol of each HTTP response the page got from `origin` (Chrome DevTools Protocol: "http/1.1", "h2", …). */
async function watchProtocols(page: Page, origin: string): Promise<Set<string>> {
  const protocols = new Set<string>();
  const session = await page.context().newCDPSession(page);
  session.on('Network.responseReceived', ({ response }) => {
    if (response.url.startsWith(origin) && response.protocol) protocols.add(response.protocol);
  });
  await session.send('Network.enable');
  return protocols;
}

describe.skipIf(skip)('the example dashboard, built, in a real browser (HTTP/1.1) against a gateway over the fake Braze', () => {
  const started = useChromium(
    support,
    async (_browser, onClose) => {
      const site = await serveBuiltDashboard(onClose);
      const braze = await startFakeBraze();
      onClose(() => braze.close());
      // Live polls far apart, so each live panel's first poll is the only one within the test.
      const gateway = await startTestGateway(braze, { CORS_ORIGINS: site.origin, LIVE_MIN_INTERVAL_MS: '3600000', CACHE_TTL_LIVE_MS: '3600000' });
      onClose(() => gateway.close());
      return { site, braze, gateway };
    },
    4 * BROWSER_WAIT_MS,
  );

  it('draws the ordinary panels and eight live panels within seconds on one WebSocket, asks Braze once per distinct series, and releases everything when the page goes', async () => {
    const { browser, braze, gateway, site } = started();
    const page = await browser.newPage({ viewport: { width: 1100, height: 1000 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const sockets = watchWebSockets(page);
    const protocols = await watchProtocols(page, gateway.url.origin);
    const token = (gateway.authHeaders['authorization'] ?? '').replace(/^Bearer /, '');
    try {
      const before = await brazeAttempts(gateway);
      await page.goto(`${site.origin}/?gateway=${encodeURIComponent(gateway.url.href)}&token=${encodeURIComponent(token)}`, { timeout: BROWSER_WAIT_MS });
      const tookMs = await everyPanelDelivered(page, 1);
      console.info(`dashboard: 3 ordinary and ${LIVE_PANELS.length} live panels delivered ${tookMs} ms after the page loaded`);
      expect(await page.locator('#range button[aria-pressed="true"]').innerText()).toBe('30 days');
      expect([...protocols]).toEqual(['http/1.1']);

      // Every live panel on one socket: one opened by the page, one open at the gateway, eight subscriptions on eight polls.
      expect(sockets.opened()).toBe(1);
      expect(gateway.running.websockets.connections).toBe(1);
      expect(gateway.running.live.stats()).toMatchObject({ subscriptions: LIVE_PANELS.length, polls: LIVE_PANELS.length });

      // 30 days: the campaign list, DAU, the event series, the campaign's details and its series, then
      // each live panel's first poll (a live series asks about the start of its interval, so live DAU
      // and live purchases are other series than the query's). Each distinct series once, 13 in all,
      // and the page counted the same 13.
      const series = braze.calls.map(seriesOf);
      expect(new Set(series).size).toBe(series.length);
      expect(braze.calls.map((call) => call.path).sort()).toEqual(
        [
          '/campaigns/list',
          '/campaigns/details',
          '/campaigns/data_series',
          '/kpi/dau/data_series',
          '/kpi/dau/data_series',
          '/kpi/mau/data_series',
          '/kpi/new_users/data_series',
          '/kpi/uninstalls/data_series',
          '/sessions/data_series',
          '/events/data_series',
          '/events/data_series',
          '/events/data_series',
          '/purchases/revenue_series',
        ].sort(),
      );
      expect(braze.calls.filter((call) => call.path === '/events/data_series').map((call) => call.query['event']).sort()).toEqual(['added_cart', 'purchase', 'purchase']);
      expect(await page.locator('#braze-calls').getAttribute('data-count')).toBe('13');
      expect((await brazeAttempts(gateway)) - before).toBe(13);
      await mkdir(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: `${SCREENSHOT_DIR}dashboard-30-days.png`, fullPage: true, timeout: BROWSER_WAIT_MS });

      // What was drawn is what the gateway answers for the same series.
      const { data } = await gateway.query<{
        dau: { points: { time: string; value: number }[] };
        mau: { points: { time: string; value: number }[] };
        newUsers: { points: { time: string; value: number }[] };
        uninstalls: { points: { time: string; value: number }[] };
        sessions: { points: { time: string; value: number }[] };
        events: { points: { time: string; value: number }[] };
        secondEvent: { points: { time: string; value: number }[] };
        revenue: { points: { time: string; value: string }[] };
        campaigns: { nodes: { id: string }[] };
      }>(`{ dau: kpiSeries(kpi: DAILY_ACTIVE_USERS, length: 30) { points { time value } }
            mau: kpiSeries(kpi: MONTHLY_ACTIVE_USERS, length: 30) { points { time value } }
            newUsers: kpiSeries(kpi: NEW_USERS, length: 30) { points { time value } }
            uninstalls: kpiSeries(kpi: UNINSTALLS, length: 30) { points { time value } }
            sessions: sessionSeries(length: 30) { points { time value } }
            events: eventSeries(event: "purchase", length: 30) { points { time value } }
            secondEvent: eventSeries(event: "added_cart", length: 30) { points { time value } }
            revenue: purchaseSeries(measure: REVENUE, length: 30) { ... on PurchaseRevenueSeries { points { time value } } }
            campaigns(first: 1) { nodes { id } } }`);
      if (!data) throw new Error('the gateway answered no data');
      const asDrawn = (label: string, points: readonly { time: string; value: number | string }[]): Drawn => ({
        labels: [label],
        data: [points.map((p) => seconds(p.time)), points.map((p) => Number(p.value))],
      });
      const kpi = await drawn(page, 'kpi');
      expect(kpi).toEqual(asDrawn('daily active users', data.dau.points));
      expect(kpi.data[0]).toHaveLength(30);
      expect(await drawn(page, 'events')).toEqual(asDrawn('purchase', data.events.points));
      expect(await drawn(page, 'live-dau')).toEqual(kpi);
      expect(await drawn(page, 'live-mau')).toEqual(asDrawn('monthly active users', data.mau.points));
      expect(await drawn(page, 'live-new-users')).toEqual(asDrawn('new users', data.newUsers.points));
      expect(await drawn(page, 'live-uninstalls')).toEqual(asDrawn('uninstalls', data.uninstalls.points));
      expect(await drawn(page, 'live-sessions')).toEqual(asDrawn('sessions', data.sessions.points));
      expect(await drawn(page, 'live-event')).toEqual(asDrawn('purchase', data.events.points));
      expect(await drawn(page, 'live-second-event')).toEqual(asDrawn('added_cart', data.secondEvent.points));
      expect(await drawn(page, 'live-revenue')).toEqual(asDrawn('revenue', data.revenue.points));

      const campaignId = data.campaigns.nodes[0]?.id;
      const answer = await gateway.query<{ campaign: { series: { points: { time: string; channels: { channel: string; sent?: number | null }[] }[] } } }>(
        `query($id: ID!) { campaign(id: $id) { series(length: 30) { points { time channels { channel ... on EmailStats { sent } ... on PushStats { sent } ... on SmsStats { sent } } } } } }`,
        { id: campaignId },
      );
      const points = answer.data?.campaign.series.points ?? [];
      const channels = [...new Set(points.flatMap((p) => p.channels.map((c) => c.channel)))].sort();
      const campaign = await drawn(page, 'campaign');
      expect(campaign.labels).toEqual(channels);
      expect(channels.length).toBeGreaterThan(0);
      expect(campaign.data.slice(1).flat().some((sent) => sent !== null && sent > 0)).toBe(true);
      expect(campaign.data).toEqual([
        points.map((p) => seconds(p.time)),
        ...channels.map((channel) => points.map((p) => p.channels.filter((c) => c.channel === channel).reduce((sum, c) => sum + (c.sent ?? 0), 0))),
      ]);

      // 365 days: the settings changed, so the page disposes its client (the gateway releases the eight
      // subscriptions) and subscribes again on a new one; still one socket open. The gateway's long
      // windows are several calls a series; the page sums their brazeCalls, which the cache can only
      // lower: a long window's older chunks end on a fixed grid (18:00 UTC, src/data/chunks.ts), so the
      // query and the live panel of one series can share them (from 18:00 UTC, when the grid's newest
      // chunk is today's, 8 of 56 were shared; before, none).
      const countBefore = Number(await page.locator('#braze-calls').getAttribute('data-count'));
      const attemptsBefore = await brazeAttempts(gateway);
      await page.locator('#range button', { hasText: '365 days' }).click();
      await eventually(() => sockets.opened() === 2 && sockets.closed() === 1, 'the page closed its first socket and opened a second');
      await everyPanelDelivered(page, 1);
      await eventually(() => gateway.running.websockets.connections === 1, 'the gateway holds one socket');
      await eventually(() => gateway.running.live.stats().subscriptions === LIVE_PANELS.length, 'the first eight subscriptions are released');
      expect((await drawn(page, 'kpi')).data[0]).toHaveLength(365);
      expect((await drawn(page, 'events')).data[0]).toHaveLength(365);
      for (const id of LIVE_PANELS) expect((await drawn(page, id)).data[0]).toHaveLength(365);
      const asked = Number(await page.locator('#braze-calls').getAttribute('data-count')) - countBefore;
      // DAU and events: 4–5 calls each; each of the eight live series as many; the campaign: details plus its chunks.
      expect(asked).toBeGreaterThanOrEqual(10 * 4 + 1 + 4);
      const attempted = (await brazeAttempts(gateway)) - attemptsBefore;
      expect(attempted).toBeLessThanOrEqual(asked);
      // At least each panel's newest chunk (its window reaches now), the campaign's details and chunks.
      expect(attempted).toBeGreaterThanOrEqual(10 + 1 + 4);
      await page.screenshot({ path: `${SCREENSHOT_DIR}dashboard-365-days.png`, fullPage: true, timeout: BROWSER_WAIT_MS });
      expect(pageErrors).toEqual([]);
    } finally {
      await page.close();
    }
    // The page gone, its socket is closed and every subscription and poll released.
    await eventually(() => gateway.running.websockets.connections === 0 && gateway.running.live.stats().subscriptions === 0, 'the page\'s socket and subscriptions are released');
    expect(gateway.running.live.stats()).toEqual({ polls: 0, subscriptions: 0, timers: 0, inFlight: 0 });
  }, 6 * BROWSER_WAIT_MS);
});

describe.skipIf(skip)('the example dashboard words the gateway\'s refusals and error codes for people', () => {
  const started = useChromium(support, async (_browser, onClose) => ({ site: await serveBuiltDashboard(onClose) }), 4 * BROWSER_WAIT_MS);

  /** Opens the dashboard against `gateway` (in demo mode, no credential asked). */
  async function open(gateway: TestGateway): Promise<Page> {
    const { browser, site } = started();
    const page = await browser.newPage({ viewport: { width: 1100, height: 1000 } });
    await page.goto(`${site.origin}/?gateway=${encodeURIComponent(gateway.url.href)}`, { timeout: BROWSER_WAIT_MS });
    return page;
  }

  it('without an accepted credential: every panel says "not allowed", no socket is opened, and Braze is never called', async () => {
    const { site } = started();
    const gateway = await startTestGateway(undefined, { CORS_ORIGINS: site.origin, AUTH_TOKENS: 'tok-dashboard-test-7c1e4a9b2d6f' });
    const { browser } = started();
    const page = await browser.newPage({ viewport: { width: 1100, height: 1000 } });
    const sockets = watchWebSockets(page);
    try {
      await page.goto(`${site.origin}/?gateway=${encodeURIComponent(gateway.url.href)}&token=tok-wrong-credential-000000`, { timeout: BROWSER_WAIT_MS });
      for (const panel of [...ORDINARY_PANELS, ...LIVE_PANELS]) {
        await page.locator(`#${panel}[data-state="error"]`).waitFor({ state: 'attached', timeout: BROWSER_WAIT_MS });
        expect(await page.locator(`#${panel} .error`).innerText()).toBe('You are not allowed to see these numbers.');
      }
      // The query was refused for the credential, so the live panels are not opened: off, with the code.
      for (const panel of LIVE_PANELS) expect(await page.locator(`#${panel} .state`).innerText()).toBe('off · UNAUTHENTICATED');
      expect(sockets.opened()).toBe(0);
      expect(await brazeAttempts(gateway)).toBe(0);
      expect(await page.locator('#braze-calls').getAttribute('data-count')).toBe('0');
    } finally {
      await page.close();
      await gateway.close();
    }
  }, 3 * BROWSER_WAIT_MS);

  it('past LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT: six live panels go LIVE, the other two say why with TOO_MANY_SUBSCRIPTIONS, the ordinary panels draw', async () => {
    const { site } = started();
    const gateway = await startTestGateway(undefined, { CORS_ORIGINS: site.origin, LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT: '6', LIVE_MIN_INTERVAL_MS: '3600000', CACHE_TTL_LIVE_MS: '3600000' });
    const page = await open(gateway);
    try {
      for (const panel of ORDINARY_PANELS) await ready(page, panel);
      const deadline = Date.now() + DELIVERY_MS;
      const badges = async () => Object.values(await panelStates(page)).map((state) => state.badge);
      while ((await badges()).filter((badge) => badge === 'LIVE' || badge === 'error').length < LIVE_PANELS.length) {
        if (Date.now() > deadline) throw new Error(`after ${DELIVERY_MS} ms: ${JSON.stringify(await panelStates(page))}`);
        await sleep(50);
      }
      expect((await badges()).filter((badge) => badge === 'LIVE')).toHaveLength(6);
      const refused = page.locator('.live-panel[data-state="error"]');
      expect(await refused.count()).toBe(2);
      for (const panel of await refused.all()) {
        expect(await panel.locator('.state').innerText()).toBe('error · TOO_MANY_SUBSCRIPTIONS');
        expect(await panel.locator('.error').innerText()).toBe('Too many live panels are open: close some tabs.');
        expect(await panel.locator('.error').getAttribute('data-codes')).toBe('TOO_MANY_SUBSCRIPTIONS');
      }
      // Refused subscriptions hold nothing: six open, on one socket that stays open.
      expect(gateway.running.live.stats().subscriptions).toBe(6);
      expect(gateway.running.websockets.connections).toBe(1);
      await mkdir(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: `${SCREENSHOT_DIR}dashboard-too-many-subscriptions.png`, fullPage: true, timeout: BROWSER_WAIT_MS });
    } finally {
      await page.close();
      await gateway.close();
    }
  }, 3 * BROWSER_WAIT_MS);

  it('past BRAZE_MAX_CALLS_PER_REQUEST: the deferred campaign says to choose a shorter range, the other panels draw', async () => {
    const { site } = started();
    // 30 days: DAU, events and the campaign's details fit in 3 calls; its series is the 4th.
    const gateway = await startTestGateway(undefined, { CORS_ORIGINS: site.origin, BRAZE_MAX_CALLS_PER_REQUEST: '3', SERIES_MAX_LENGTH: '198', LIVE_MIN_INTERVAL_MS: '3600000' });
    const page = await open(gateway);
    try {
      await ready(page, 'kpi');
      await ready(page, 'events');
      await page.locator('#campaign[data-state="error"]').waitFor({ state: 'attached', timeout: BROWSER_WAIT_MS });
      expect(await page.locator('#campaign .error').innerText()).toBe('This view asks Braze too much at once: choose a shorter time range.');
      expect(await page.locator('#campaign .error').getAttribute('data-codes')).toBe('TOO_MANY_UPSTREAM_CALLS');
      await mkdir(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: `${SCREENSHOT_DIR}dashboard-too-many-calls.png`, fullPage: true, timeout: BROWSER_WAIT_MS });
    } finally {
      await page.close();
      await gateway.close();
    }
  }, 3 * BROWSER_WAIT_MS);
});
