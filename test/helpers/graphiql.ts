import type { BrowserContext, Page, Response } from 'playwright-core';
import { expect } from 'vitest';
import { BROWSER_WAIT_MS, foreignRequests, useChromium, type BrowserSupport } from './browser.js';
import { startTestGateway, type TestGateway } from './gateway.js';

/** A demo-mode gateway and a browser context with `viewport`, for the tests that use GraphiQL. */
export function useGraphiQLBrowser(support: BrowserSupport, viewport: { width: number; height: number }) {
  return useChromium(support, async (browser, onClose) => {
    const gateway = await startTestGateway(undefined);
    onClose(() => gateway.close());
    const context = await browser.newContext({ viewport });
    onClose(() => context.close());
    return { gateway, context };
  });
}

/** What Chromium writes on the console when the page's Content-Security-Policy refuses something. */
export const CSP_VIOLATION = /Content Security Policy/i;

/** A page of `context`, with every URL it asks for, every error it throws and every CSP violation it reports recorded. */
export async function recordedPage(context: BrowserContext): Promise<{ page: Page; requested: string[]; pageErrors: string[]; cspViolations: string[] }> {
  const requested: string[] = [];
  const pageErrors: string[] = [];
  const cspViolations: string[] = [];
  context.on('request', (request) => requested.push(request.url()));
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (CSP_VIOLATION.test(message.text())) cspViolations.push(message.text());
  });
  return { page, requested, pageErrors, cspViolations };
}

/** Opens GraphiQL on `gateway`; resolves once its operation editor (Monaco) shows the default query. */
export async function showGraphiQL(page: Page, gateway: TestGateway): Promise<void> {
  await page.goto(gateway.url.href, { waitUntil: 'domcontentloaded', timeout: BROWSER_WAIT_MS });
  await operationEditor(page).filter({ hasText: 'eventSeries' }).waitFor({ state: 'visible', timeout: BROWSER_WAIT_MS });
}

export const operationEditor = (page: Page) => page.locator('section.graphiql-query-editor .monaco-editor .view-lines');

/**
 * Runs the example query with the toolbar's run button (labelled "Execute query (Ctrl-Enter)", Cmd-Enter
 * on macOS) and resolves with its answer from the network, since the editor may not render every line
 * of a long result. Promise.all: if the click fails, the pending wait's own rejection is handled too;
 * the wait outlasts the click's timeout so that a click that failed is what gets reported.
 */
export async function runExampleQuery(page: Page, gateway: TestGateway): Promise<Response> {
  const [response] = await Promise.all([
    page.waitForResponse(
      (candidate) =>
        candidate.request().method() === 'POST' &&
        new URL(candidate.url()).pathname === gateway.url.pathname &&
        (candidate.request().postData() ?? '').includes('eventSeries'),
      { timeout: BROWSER_WAIT_MS + 5_000 },
    ),
    page.getByRole('button', { name: /^Execute query/ }).click({ timeout: BROWSER_WAIT_MS }),
  ]);
  return response;
}

/** Everything GraphiQL needs is the gateway's: the page asked nothing of any other host, threw nothing, and its CSP refused nothing. */
export function expectSelfContained(
  gateway: TestGateway,
  { requested, pageErrors, cspViolations }: { requested: readonly string[]; pageErrors: readonly string[]; cspViolations: readonly string[] },
): void {
  expect(cspViolations).toEqual([]);
  expect(gateway.url.hostname).toBe('127.0.0.1');
  expect(requested.length).toBeGreaterThan(0);
  expect(foreignRequests(requested, '127.0.0.1')).toEqual([]);
  expect(pageErrors).toEqual([]);
}
