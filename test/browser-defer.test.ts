import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startStaticSite } from './fixtures/staticSite.js';
import { BROWSER_WAIT_MS, browserTestSupport, useChromium } from './helpers/browser.js';
import { defaultResponder, startFakeBraze } from '../testkit/fakeBraze.js';
import { startTestGateway } from './helpers/gateway.js';
import { gate } from './helpers/incremental.js';

/**
 * A dashboard page in Debian's Chromium reads a deferred query's multipart answer with fetch and meros
 * and renders each part as it arrives. Skips without Chromium, except under CI, where it fails.
 */

const SCREENSHOT_DIR = fileURLToPath(new URL('../test-results/screenshots/', import.meta.url));

const { support, skip } = await browserTestSupport('deferred-page browser test');

describe.skipIf(skip)('a page reading @defer in a real browser (Chromium via playwright-core)', () => {
  const started = useChromium(support, async (_browser, onClose) => {
    const braze = await startFakeBraze();
    onClose(() => braze.close());
    const site = await startStaticSite(new URL('./fixtures/defer-page.html', import.meta.url), {
      'meros.mjs': { file: new URL('../node_modules/meros/browser/index.mjs', import.meta.url), contentType: 'text/javascript; charset=utf-8' },
    });
    onClose(() => site.close());
    const gateway = await startTestGateway(braze, { CORS_ORIGINS: site.origin });
    onClose(() => gateway.close());
    return { braze, site, gateway };
  });

  it('shows the fast panel while Braze still holds the slow call, then the slow one, in arrival order', async () => {
    const { browser, braze, site, gateway } = started();
    const slow = gate();
    braze.respond(async (call) => {
      if (call.query['event'] === 'slow') await slow.opened;
      return defaultResponder(call);
    });
    const page = await browser.newPage({ viewport: { width: 900, height: 500 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    try {
      const token = (gateway.authHeaders['authorization'] ?? '').replace(/^Bearer /, '');
      await page.goto(`${site.origin}/?gateway=${encodeURIComponent(gateway.url.href)}&token=${encodeURIComponent(token)}`, { timeout: BROWSER_WAIT_MS });

      // The first part is on screen while Braze has the slow call and has not answered it.
      await page.locator('#arrivals li').first().waitFor({ state: 'visible', timeout: BROWSER_WAIT_MS });
      expect(await page.locator('#arrivals li').allInnerTexts()).toEqual(['fast: 3']);
      expect(await page.locator('#slow').innerText()).toBe('loading…');
      expect(braze.seriesCalls.map((call) => call.query['event']).sort()).toEqual(['fast', 'slow']);
      await mkdir(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: `${SCREENSHOT_DIR}defer-first-part.png`, timeout: BROWSER_WAIT_MS });

      slow.open();
      await page.locator('#status').filter({ hasText: 'done' }).waitFor({ state: 'visible', timeout: BROWSER_WAIT_MS });
      expect(await page.locator('#arrivals li').allInnerTexts()).toEqual(['fast: 3', 'slow: 6']);
      expect(await page.locator('#fast').innerText()).toBe('3');
      expect(await page.locator('#slow').innerText()).toBe('6');
      await page.screenshot({ path: `${SCREENSHOT_DIR}defer-complete.png`, timeout: BROWSER_WAIT_MS });
      expect(pageErrors).toEqual([]);
      expect(braze.seriesCalls).toHaveLength(2);
    } finally {
      slow.open();
      await page.close();
    }
  }, 3 * BROWSER_WAIT_MS);
});
