import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BROWSER_WAIT_MS, browserTestSupport, useChromium } from './helpers/browser.js';
import { expectSelfContained, operationEditor, recordedPage, runExampleQuery, showGraphiQL, useGraphiQLBrowser } from './helpers/graphiql.js';
import { startStaticSite, type StaticSite } from './fixtures/staticSite.js';
import { startFakeBraze } from '../testkit/fakeBraze.js';
import { startTestGateway } from './helpers/gateway.js';

/**
 * GraphiQL as a person meets it: Debian's Chromium opens /graphql on a demo-mode gateway, runs the
 * example query with the run button and sees the simulated series. Skips without Chromium or
 * Chromium, except under CI, where it fails instead.
 */

const SCREENSHOT_DIR = fileURLToPath(new URL('../test-results/screenshots/', import.meta.url));
const SCREENSHOT = `${SCREENSHOT_DIR}graphiql.png`;
const FAILURE_SCREENSHOT = `${SCREENSHOT_DIR}graphiql-failure.png`;

const { support, skip } = await browserTestSupport('browser test');

interface EventSeriesResult {
  data?: {
    eventSeries: { event: string; unit: string; endingAt: string; total: number; points: { time: string; count: number }[] } | null;
  };
  errors?: unknown[];
}

/** Monaco renders spaces as no-break spaces. */
const plain = (text: string) => text.replace(/\u00a0/g, ' ');

describe.skipIf(skip)('GraphiQL in a real browser (Chromium via playwright-core)', () => {
  // Tall enough that the whole 7-point result fits the result pane in the screenshot.
  const started = useGraphiQLBrowser(support, { width: 1400, height: 1100 });

  it('runs the default eventSeries query from the run button and shows 7 simulated points', async () => {
    const { gateway, context } = started();

    const opened = await recordedPage(context);
    const { page } = opened;

    try {
      await showGraphiQL(page, gateway);
      const operation = plain(await operationEditor(page).innerText({ timeout: BROWSER_WAIT_MS }));
      expect(operation).toContain('query LastWeek');
      expect(operation).toContain('eventSeries(event: "purchase", length: 7, unit: DAY)');

      const response = await runExampleQuery(page, gateway);
      expect(response.status()).toBe(200);
      const body = (await response.json()) as EventSeriesResult;
      expect(body.errors).toBeUndefined();
      const series = body.data?.eventSeries;
      expect(series?.event).toBe('purchase');
      expect(series?.unit).toBe('DAY');
      expect(series?.points).toHaveLength(7);
      expect(series?.points.every((p) => Number.isInteger(p.count) && p.count >= 0)).toBe(true);
      expect(series?.total).toBe(series?.points.reduce((sum, p) => sum + p.count, 0));

      // And on screen: the result pane shows that same answer.
      const resultPane = page.locator('section.result-window .monaco-editor .view-lines');
      await resultPane
        .filter({ hasText: '"points"' })
        .filter({ hasText: '"count"' })
        .waitFor({ state: 'visible', timeout: BROWSER_WAIT_MS });
      const shown = plain(await resultPane.innerText({ timeout: BROWSER_WAIT_MS }));
      expect(shown).toContain('"eventSeries"');
      expect(shown).toContain('"points"');
      expect(shown).toContain('"count"');
      expect(shown).toContain(`"total": ${series?.total}`);
      expect(shown).toContain(`"time": "${series?.points[0]?.time}"`);
      expect(shown).not.toContain('"errors"');

      await mkdir(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: SCREENSHOT, timeout: BROWSER_WAIT_MS });
    } catch (error) {
      await mkdir(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: FAILURE_SCREENSHOT, timeout: BROWSER_WAIT_MS }).catch(() => undefined);
      throw error;
    } finally {
      await page.close();
    }

    expectSelfContained(gateway, opened);
  }, 5 * BROWSER_WAIT_MS);
});

describe.skipIf(skip)('a frontend on another origin, in a real browser (CORS)', () => {
  const started = useChromium(support, async (_browser, onClose) => {
    const braze = await startFakeBraze();
    onClose(() => braze.close());
    const allowed = await startStaticSite(new URL('./fixtures/cors-page.html', import.meta.url));
    onClose(() => allowed.close());
    const refused = await startStaticSite(new URL('./fixtures/cors-page.html', import.meta.url));
    onClose(() => refused.close());
    const gateway = await startTestGateway(braze, { CORS_ORIGINS: allowed.origin });
    onClose(() => gateway.close());
    return { braze, allowed, refused, gateway };
  });

  /** Opens the page of `site`, waits for its fetch to settle, screenshots it, returns what it shows. */
  async function visit(site: StaticSite, screenshot: string): Promise<{ status: string; points: string[] }> {
    const { browser, gateway } = started();
    const page = await browser.newPage({ viewport: { width: 900, height: 600 } });
    try {
      const token = (gateway.authHeaders['authorization'] ?? '').replace(/^Bearer /, '');
      await page.goto(`${site.origin}/?gateway=${encodeURIComponent(gateway.url.href)}&token=${encodeURIComponent(token)}`, {
        timeout: BROWSER_WAIT_MS,
      });
      const status = page.locator('#status');
      await status.filter({ hasNotText: 'loading' }).waitFor({ state: 'visible', timeout: BROWSER_WAIT_MS });
      await mkdir(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: `${SCREENSHOT_DIR}${screenshot}`, timeout: BROWSER_WAIT_MS });
      return { status: await status.innerText(), points: await page.locator('#points li').allInnerTexts() };
    } finally {
      await page.close();
    }
  }

  it('renders the points for an allowed origin', async () => {
    const { braze, allowed } = started();
    const before = braze.seriesCalls.length;
    const shown = await visit(allowed, 'cors-allowed.png');
    expect(shown).toEqual({
      status: 'total 28',
      points: ['2024-03-04: 1', '2024-03-05: 2', '2024-03-06: 3', '2024-03-07: 4', '2024-03-08: 5', '2024-03-09: 6', '2024-03-10: 7'],
    });
    expect(braze.seriesCalls.length - before).toBe(1);
  }, 3 * BROWSER_WAIT_MS);

  it('is refused for another origin: the preflight fails, so Braze is never called', async () => {
    const { braze, refused } = started();
    const before = braze.seriesCalls.length;
    const shown = await visit(refused, 'cors-refused.png');
    expect(shown.status).toMatch(/^refused: /);
    expect(shown.points).toEqual([]);
    expect(braze.seriesCalls.length - before).toBe(0);
  }, 3 * BROWSER_WAIT_MS);
});
