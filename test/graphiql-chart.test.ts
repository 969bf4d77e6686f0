import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BROWSER_WAIT_MS, browserTestSupport } from './helpers/browser.js';
import { GRAPHIQL_CSP } from '../src/graphiqlSite/page.js';
import { expectSelfContained, recordedPage, runExampleQuery, showGraphiQL, useGraphiQLBrowser } from './helpers/graphiql.js';

/**
 * The chart in GraphiQL, as a person uses it: Debian's Chromium opens /graphql on a demo-mode gateway,
 * runs the example query, opens the Chart plugin and sees one line per series. What is drawn is read
 * back from the charting library in the page and compared with the answer, which the test also asks
 * the gateway for directly. The screenshot is the one the README and docs/clients.md show
 * (docs/graphiql-chart.png). Skips without Chromium, except under CI, where it fails instead.
 */

// The docs' picture is written only when asked (UPDATE_SCREENSHOTS=1): the demo's dates move, so
// every run would otherwise change a committed file. Each run still takes one, under test-results/.
const SCREENSHOT = fileURLToPath(
  process.env['UPDATE_SCREENSHOTS'] === '1' ? new URL('../docs/graphiql-chart.png', import.meta.url) : new URL('../test-results/screenshots/graphiql-chart.png', import.meta.url),
);
const FAILURE_DIR = fileURLToPath(new URL('../test-results/screenshots/', import.meta.url));

const { support, skip } = await browserTestSupport('chart browser test');

interface LastWeek {
  eventSeries: { points: { time: string; count: number }[] };
  dau: { points: { date: string; value: number }[] };
  sessions: { total: number };
  segments: { nodes: unknown[] };
}

interface LineSummary {
  name: string;
  points: number;
  first: number | null;
  last: number | null;
}

/** The lines the example query should draw, worked out here from the answer (not with the page's code). */
function expectedLines(data: LastWeek): LineSummary[] {
  const counts = data.eventSeries.points.map((p) => p.count);
  const values = data.dau.points.map((p) => p.value);
  return [
    { name: 'eventSeries.count', points: counts.length, first: counts[0] ?? null, last: counts.at(-1) ?? null },
    { name: 'dau.value', points: values.length, first: values[0] ?? null, last: values.at(-1) ?? null },
  ];
}

describe.skipIf(skip)('the Chart plugin in GraphiQL (Chromium via playwright-core)', () => {
  const started = useGraphiQLBrowser(support, { width: 1400, height: 900 });

  it('draws the example query’s two series, one line each, with the answer’s points, asking nothing of other hosts', async () => {
    const { gateway, context } = started();

    const opened = await recordedPage(context);
    const { page } = opened;

    let drawn: LineSummary[];
    let shown: LastWeek;
    let query: string;
    try {
      await showGraphiQL(page, gateway);
      const response = await runExampleQuery(page, gateway);
      expect(response.status()).toBe(200);
      const body = (await response.json()) as { data?: LastWeek; errors?: unknown[] };
      expect(body.errors).toBeUndefined();
      if (!body.data) throw new Error('the example query answered no data');
      shown = body.data;
      query = (JSON.parse(response.request().postData() ?? '{}') as { query: string }).query;
      // The result pane has the answer before the chart is opened: the chart reads it from there.
      await page
        .locator('section.result-window .monaco-editor .view-lines')
        .filter({ hasText: '"points"' })
        .waitFor({ state: 'visible', timeout: BROWSER_WAIT_MS });

      await page.getByRole('button', { name: /Chart/ }).click({ timeout: BROWSER_WAIT_MS });
      const plot = page.locator('.gateway-chart-plot[data-series]');
      await plot.waitFor({ state: 'visible', timeout: BROWSER_WAIT_MS });
      drawn = JSON.parse((await plot.getAttribute('data-series', { timeout: BROWSER_WAIT_MS })) ?? '[]') as LineSummary[];

      // uPlot's legend names the same lines, and it drew on a canvas of the pane's size.
      const legend = await page.locator('.gateway-chart-plot .u-legend .u-series .u-label').allInnerTexts();
      expect(legend.slice(1)).toEqual(['eventSeries.count', 'dau.value']);
      const canvas = await page.locator('.gateway-chart-plot canvas').boundingBox({ timeout: BROWSER_WAIT_MS });
      expect(canvas?.width).toBeGreaterThan(250);
      expect(canvas?.height).toBeGreaterThan(200);

      await mkdir(fileURLToPath(new URL('../docs/', import.meta.url)), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, timeout: BROWSER_WAIT_MS });
    } catch (error) {
      await mkdir(FAILURE_DIR, { recursive: true });
      await page.screenshot({ path: `${FAILURE_DIR}graphiql-chart-failure.png`, timeout: BROWSER_WAIT_MS }).catch(() => undefined);
      throw error;
    } finally {
      await page.close();
    }

    // Exactly the series of the answer the page showed: sessions (a total) and segments draw nothing.
    expect(shown.eventSeries.points).toHaveLength(7);
    expect(shown.dau.points).toHaveLength(7);
    expect(drawn).toEqual(expectedLines(shown));
    expect(drawn[0]?.first).toBe(shown.eventSeries.points[0]?.count);

    // And the same series when the test asks the gateway itself.
    const direct = await gateway.query<LastWeek>(query);
    expect(direct.errors).toEqual([]);
    if (!direct.data) throw new Error('the direct query answered no data');
    expect(expectedLines(direct.data)).toEqual(drawn);

    expectSelfContained(gateway, opened);
  }, 5 * BROWSER_WAIT_MS);

  it('is served with a CSP that Chromium enforces: the page above reported no violation, an injected inline script is refused and reported', async () => {
    const { gateway, context } = started();
    const opened = await recordedPage(context);
    const { page } = opened;
    try {
      const answer = await page.goto(gateway.url.href, { waitUntil: 'domcontentloaded', timeout: BROWSER_WAIT_MS });
      const headers = answer?.headers() ?? {};
      expect(headers['content-security-policy']).toBe(GRAPHIQL_CSP);
      expect(headers['x-content-type-options']).toBe('nosniff');
      await showGraphiQL(page, gateway);
      expect(opened.cspViolations).toEqual([]);
      // What an injection would do: Chromium must refuse it, and say so where the test above looks.
      const ran = await page.evaluate(() => {
        const script = document.createElement('script');
        script.textContent = 'window.__injected = true';
        document.body.append(script);
        return (window as { __injected?: boolean }).__injected === true;
      });
      expect(ran).toBe(false);
      await expect.poll(() => opened.cspViolations.length, { timeout: BROWSER_WAIT_MS }).toBeGreaterThan(0);
      expect(opened.cspViolations[0]).toMatch(/script-src 'self'/);
    } finally {
      await page.close();
    }
  }, 3 * BROWSER_WAIT_MS);
});
