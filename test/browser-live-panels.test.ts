import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startStaticSite } from './fixtures/staticSite.js';
import { BROWSER_WAIT_MS, browserTestSupport, useChromium } from './helpers/browser.js';
import { startFakeBraze } from '../testkit/fakeBraze.js';
import { startTestGateway } from './helpers/gateway.js';
import { LIVE_TEST_ENV, sleep } from './helpers/live.js';

/**
 * A dashboard page in Debian's Chromium with twelve live panels and ordinary queries, over HTTP/1.1
 * (Chromium opens at most six connections to one host). Over graphql-ws the panels share one WebSocket
 * and everything delivers within seconds; over SSE alone (one request per panel) six connect and the
 * rest of the page, queries included, waits behind them. Skips without Chromium, except under CI.
 */

const SCREENSHOT_DIR = fileURLToPath(new URL('../test-results/screenshots/', import.meta.url));
const PANELS = 12;
const QUERIES = 3;
/** "Within a few seconds", on a loaded machine: the page asks twelve series and three queries of a local fake. */
const DELIVERY_MS = 10_000;

const { support, skip } = await browserTestSupport('live-panels browser test');

const delivered = (page: Page): Promise<number> => page.locator('output[data-delivered="true"]').count();
const answered = async (page: Page): Promise<number> => Number(await page.locator('#answered').innerText());

describe.skipIf(skip)('a page with twelve live panels in a real browser (Chromium via playwright-core, HTTP/1.1)', () => {
  const started = useChromium(support, async (_browser, onClose) => {
    const braze = await startFakeBraze();
    onClose(() => braze.close());
    const site = await startStaticSite(new URL('./fixtures/live-panels-page.html', import.meta.url), {
      'graphql-ws.js': { file: new URL('../node_modules/graphql-ws/umd/graphql-ws.js', import.meta.url), contentType: 'text/javascript; charset=utf-8' },
      'graphql-sse.js': { file: new URL('../node_modules/graphql-sse/umd/graphql-sse.js', import.meta.url), contentType: 'text/javascript; charset=utf-8' },
    });
    onClose(() => site.close());
    const gateway = await startTestGateway(braze, { ...LIVE_TEST_ENV, CACHE_TTL_LIVE_MS: '60000', CORS_ORIGINS: site.origin });
    onClose(() => gateway.close());
    return { braze, site, gateway };
  });

  const open = async (transport: 'ws' | 'sse'): Promise<Page> => {
    const { browser, site, gateway } = started();
    const page = await browser.newPage({ viewport: { width: 1100, height: 520 } });
    const token = (gateway.authHeaders['authorization'] ?? '').replace(/^Bearer /, '');
    await page.goto(`${site.origin}/?transport=${transport}&gateway=${encodeURIComponent(gateway.url.href)}&token=${encodeURIComponent(token)}`, { timeout: BROWSER_WAIT_MS });
    return page;
  };

  it('over graphql-ws: all twelve panels and every query deliver within seconds, on one socket', async () => {
    const { braze, gateway } = started();
    const page = await open('ws');
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    try {
      const deadline = Date.now() + DELIVERY_MS;
      while ((await delivered(page)) < PANELS || (await answered(page)) < QUERIES) {
        if (Date.now() > deadline) throw new Error(`after ${DELIVERY_MS} ms: ${await delivered(page)} panels, ${await answered(page)} queries`);
        await sleep(50);
      }
      expect(gateway.running.websockets.connections).toBe(1);
      expect(gateway.running.live.stats()).toMatchObject({ subscriptions: PANELS, polls: PANELS });
      const panelCalls = braze.seriesCalls.filter((call) => String(call.query['event']).startsWith('panel-'));
      expect(panelCalls).toHaveLength(PANELS);
      await mkdir(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: `${SCREENSHOT_DIR}live-panels-websocket.png`, timeout: BROWSER_WAIT_MS });
      expect(pageErrors).toEqual([]);
    } finally {
      await page.close();
    }
    // Closing the page closes its socket: every subscription released.
    const deadline = Date.now() + 5_000;
    while (gateway.running.live.stats().subscriptions > 0 && Date.now() < deadline) await sleep(50);
    expect(gateway.running.live.stats()).toEqual({ polls: 0, subscriptions: 0, timers: 0, inFlight: 0 });
  }, 3 * BROWSER_WAIT_MS);

  it('over SSE alone the same page freezes: six panels connect, the other six and the queries wait', async () => {
    const { gateway } = started();
    const page = await open('sse');
    try {
      const deadline = Date.now() + DELIVERY_MS;
      while ((await delivered(page)) < 6) {
        if (Date.now() > deadline) throw new Error(`after ${DELIVERY_MS} ms only ${await delivered(page)} panels`);
        await sleep(50);
      }
      // Long past what the WebSocket page needed for everything: nothing more gets through.
      await sleep(3_000);
      expect(await delivered(page)).toBe(6);
      expect(await answered(page)).toBe(0);
      expect(gateway.running.live.stats().subscriptions).toBe(6);
      await mkdir(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: `${SCREENSHOT_DIR}live-panels-sse-frozen.png`, timeout: BROWSER_WAIT_MS });
    } finally {
      await page.close();
    }
  }, 3 * BROWSER_WAIT_MS);
});
