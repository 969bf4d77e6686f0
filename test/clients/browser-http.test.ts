import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { startFakeBraze } from '../../testkit/fakeBraze.js';
import { startStaticSite } from '../fixtures/staticSite.js';
import { BROWSER_WAIT_MS, browserTestSupport, useChromium } from '../helpers/browser.js';
import { startTestGateway } from '../helpers/gateway.js';

/**
 * The guide's urql and Apollo Client setups in Debian's Chromium, on a page whose origin is not the
 * gateway's: urql's default GET carrying Authorization is preflighted, CORS allows the page's origin,
 * and CSRF prevention accepts it. Skips without Chromium, except under CI, where it fails.
 */

const { support, skip } = await browserTestSupport('client defaults browser test');

describe.skipIf(skip)("clients' default HTTP settings in a real browser, cross-origin, with a bearer token", () => {
  const started = useChromium(support, async (_browser, onClose) => {
    const bundle = join(mkdtempSync(join(tmpdir(), 'browser-clients-')), 'clients.mjs');
    const built = await build({
      entryPoints: [new URL('./fixtures/browser-clients.ts', import.meta.url).pathname],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      define: { 'process.env.NODE_ENV': '"production"' },
      logLevel: 'silent',
    });
    writeFileSync(bundle, built.outputFiles[0]!.contents);
    const site = await startStaticSite(new URL('./fixtures/browser-clients.html', import.meta.url), {
      'clients.mjs': { file: pathToFileURL(bundle), contentType: 'text/javascript; charset=utf-8' },
    });
    onClose(() => site.close());
    const braze = await startFakeBraze();
    onClose(() => braze.close());
    const gateway = await startTestGateway(braze, { CORS_ORIGINS: site.origin });
    onClose(() => gateway.close());
    return { site, braze, gateway };
  }, 4 * BROWSER_WAIT_MS);

  it('urql (GET) and Apollo Client (POST, and GET with useGETForQueries) get the numbers', async () => {
    const { browser, site, braze, gateway } = started();
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (request) => {
      if (request.url().startsWith(gateway.url.href)) requests.push(request.method());
    });
    try {
      await page.goto(site.origin, { timeout: BROWSER_WAIT_MS });
      await page.waitForFunction(() => 'runClients' in globalThis, undefined, { timeout: BROWSER_WAIT_MS });
      const token = (gateway.authHeaders['authorization'] ?? '').replace(/^Bearer /, '');
      const results = await page.evaluate(
        ([url, bearer]) => (globalThis as unknown as { runClients: (u: string, t: string) => Promise<unknown> }).runClients(url!, bearer!),
        [gateway.url.href, token],
      );
      expect(results).toEqual({ urql: 3, apolloPost: 3, apolloGet: 3 });
      expect(requests.filter((method) => method !== 'OPTIONS')).toEqual(['GET', 'POST', 'GET']);
      expect(braze.seriesCalls).toHaveLength(3);
    } finally {
      await page.close();
    }
  });
});
