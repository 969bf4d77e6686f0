import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { describe, expect, it } from 'vitest';
import { startStaticSite, type StaticAsset, type StaticSite } from './fixtures/staticSite.js';
import { BROWSER_WAIT_MS, browserTestSupport, useChromium, type OnClose } from './helpers/browser.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

/**
 * The example dashboard (examples/dashboard), built with `vite build` and served as static files from
 * its own origin, in Debian's Chromium against a gateway in demo mode: the charts draw the gateway's
 * numbers, the live panel gets its push over SSE, and the gateway's own metrics count exactly the Braze
 * calls the page says it asked for. Skips without Chromium, except under CI, where it fails.
 */

const DASHBOARD_CONFIG = fileURLToPath(new URL('../examples/dashboard/vite.config.ts', import.meta.url));
const SCREENSHOT_DIR = fileURLToPath(new URL('../test-results/screenshots/', import.meta.url));
const CONTENT_TYPES: Readonly<Record<string, string>> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

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

describe.skipIf(skip)('the example dashboard, built, in a real browser against a demo gateway', () => {
  const started = useChromium(
    support,
    async (_browser, onClose) => {
      const site = await serveBuiltDashboard(onClose);
      // Live polls far apart, so the live panel's first poll is the only one within the test.
      const gateway = await startTestGateway(undefined, { CORS_ORIGINS: site.origin, LIVE_MIN_INTERVAL_MS: '3600000', CACHE_TTL_LIVE_MS: '3600000' });
      onClose(() => gateway.close());
      return { site, gateway };
    },
    4 * BROWSER_WAIT_MS,
  );

  it('draws the KPI, event and deferred campaign series, goes live over SSE, and causes exactly the Braze calls it asked for', async () => {
    const { browser, gateway, site } = started();
    const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    try {
      const before = await brazeAttempts(gateway);
      await page.goto(`${site.origin}/?gateway=${encodeURIComponent(gateway.url.href)}`, { timeout: BROWSER_WAIT_MS });
      for (const panel of ['kpi', 'events', 'campaign', 'live']) await ready(page, panel);
      await page.locator('#live .state[data-state="LIVE"]').waitFor({ state: 'attached', timeout: BROWSER_WAIT_MS });
      expect(await page.locator('#range button[aria-pressed="true"]').innerText()).toBe('30 days');

      // 30 days: the campaign list, DAU, the event series, the campaign's details and its series, and the
      // live panel's first poll: one call each, six in all, and the page counted the same six.
      expect(await page.locator('#braze-calls').getAttribute('data-count')).toBe('6');
      expect((await brazeAttempts(gateway)) - before).toBe(6);
      expect(Number(await page.locator('#live').getAttribute('data-pushes'))).toBe(1);
      await mkdir(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: `${SCREENSHOT_DIR}dashboard-30-days.png`, fullPage: true, timeout: BROWSER_WAIT_MS });

      // What was drawn is what the gateway answers (demo numbers are deterministic per day).
      const { data } = await gateway.query<{
        dau: { points: { time: string; value: number }[] };
        events: { points: { time: string; count: number }[] };
        campaigns: { nodes: { id: string }[] };
      }>(`{ dau: kpiSeries(kpi: DAILY_ACTIVE_USERS, length: 30) { points { time value } }
            events: eventSeries(event: "purchase", length: 30) { points { time count } }
            campaigns(first: 1) { nodes { id } } }`);
      if (!data) throw new Error('the gateway answered no data');
      const kpi = await drawn(page, 'kpi');
      expect(kpi.labels).toEqual(['daily active users']);
      expect(kpi.data).toEqual([data.dau.points.map((p) => seconds(p.time)), data.dau.points.map((p) => p.value)]);
      expect(kpi.data[0]).toHaveLength(30);
      const events = await drawn(page, 'events');
      expect(events.data).toEqual([data.events.points.map((p) => seconds(p.time)), data.events.points.map((p) => p.count)]);
      expect(await drawn(page, 'live')).toEqual(events);

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

      // 365 days: the gateway's long windows (several calls a series); the page sums their brazeCalls,
      // and the gateway made exactly that many more calls.
      const countBefore = Number(await page.locator('#braze-calls').getAttribute('data-count'));
      const attemptsBefore = await brazeAttempts(gateway);
      await page.locator('#range button', { hasText: '365 days' }).click();
      await page.locator('#live[data-pushes="1"]').waitFor({ state: 'attached', timeout: BROWSER_WAIT_MS });
      for (const panel of ['kpi', 'events', 'campaign', 'live']) await ready(page, panel);
      await page.locator('#live .state[data-state="LIVE"]').waitFor({ state: 'attached', timeout: BROWSER_WAIT_MS });
      expect((await drawn(page, 'kpi')).data[0]).toHaveLength(365);
      expect((await drawn(page, 'events')).data[0]).toHaveLength(365);
      const asked = Number(await page.locator('#braze-calls').getAttribute('data-count')) - countBefore;
      // DAU, events and live: 4–5 calls each; the campaign: details plus its chunks.
      expect(asked).toBeGreaterThanOrEqual(4 * 3 + 1 + 4);
      expect((await brazeAttempts(gateway)) - attemptsBefore).toBe(asked);
      await page.screenshot({ path: `${SCREENSHOT_DIR}dashboard-365-days.png`, fullPage: true, timeout: BROWSER_WAIT_MS });
      expect(pageErrors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 6 * BROWSER_WAIT_MS);
});

describe.skipIf(skip)('the example dashboard words the gateway\'s refusals and error codes for people', () => {
  const started = useChromium(support, async (_browser, onClose) => ({ site: await serveBuiltDashboard(onClose) }), 4 * BROWSER_WAIT_MS);

  /** Opens the dashboard against `gateway` and waits until no panel is loading any more. */
  async function open(gateway: TestGateway, token?: string): Promise<Page> {
    const { browser, site } = started();
    const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
    const query = `gateway=${encodeURIComponent(gateway.url.href)}${token ? `&token=${encodeURIComponent(token)}` : ''}`;
    await page.goto(`${site.origin}/?${query}`, { timeout: BROWSER_WAIT_MS });
    return page;
  }

  it('without an accepted credential: every panel says "not allowed", and Braze is never called', async () => {
    const { site } = started();
    const gateway = await startTestGateway(undefined, { CORS_ORIGINS: site.origin, AUTH_TOKENS: 'tok-dashboard-test-7c1e4a9b2d6f' });
    const page = await open(gateway, 'tok-wrong-credential-000000');
    try {
      for (const panel of ['kpi', 'events', 'campaign']) {
        await page.locator(`#${panel}[data-state="error"]`).waitFor({ state: 'attached', timeout: BROWSER_WAIT_MS });
        expect(await page.locator(`#${panel} .error`).innerText()).toBe('You are not allowed to see these numbers.');
      }
      await page.locator('#live[data-state="error"]').waitFor({ state: 'attached', timeout: BROWSER_WAIT_MS });
      expect(await page.locator('#live .error').innerText()).toBe('You are not allowed to see these numbers.');
      expect(await brazeAttempts(gateway)).toBe(0);
      expect(await page.locator('#braze-calls').getAttribute('data-count')).toBe('0');
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
