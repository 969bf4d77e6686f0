import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

/**
 * Real-browser tests drive Debian's Chromium (`.ci/install-debian-packages.sh`) through playwright-core (a dev
 * dependency; Playwright's own browser downloads are never used). Without Chromium the browser tests
 * skip with a reason, except under CI, where they fail so that a missing install cannot pass as green.
 */

export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * `--no-sandbox`: we run as root. The background-networking flags stop Chromium's own outbound
 * connections (component updates, sync, field trials), which this closed network refuses noisily.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Bound for every single wait (launch, navigation, selector, response). */
export const BROWSER_WAIT_MS = 30_000;

export type BrowserSupport = { readonly available: true } | { readonly available: false; readonly reason: string };

/** CI systems (ours included) set CI=true; `CI=false`, `CI=0` and an empty CI count as unset. */
export function isCI(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env['CI'];
  return value !== undefined && value !== '' && value !== 'false' && value !== '0';
}

/** Whether Debian's Chromium is here; if not, why, with what to run. */
export async function detectBrowserSupport(): Promise<BrowserSupport> {
  try {
    await access(CHROMIUM_PATH, constants.X_OK);
    return { available: true };
  } catch {
    return { available: false, reason: `${CHROMIUM_PATH} is missing (run: bash .ci/install-debian-packages.sh)` };
  }
}

/** Headless Debian Chromium; never a browser downloaded by Playwright. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS], timeout: BROWSER_WAIT_MS });
}

/** The URLs a page must not have asked for: anything but `allowedHost` over http(s) or ws(s). */
export function foreignRequests(urls: readonly string[], allowedHost: string): string[] {
  return urls.filter((raw) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return true;
    }
    if (['blob:', 'data:', 'about:'].includes(url.protocol)) return false;
    return url.hostname !== allowedHost;
  });
}

/**
 * Whether a file's browser tests run: Chromium is here, or CI is set (then they run and fail with the
 * reason, so a missing install cannot pass as green). Says once, on the console, why they skip or fail.
 */
export async function browserTestSupport(what: string): Promise<{ readonly support: BrowserSupport; readonly skip: boolean }> {
  const support = await detectBrowserSupport();
  const skip = !support.available && !isCI();
  if (!support.available) console.warn(`${what} ${skip ? 'skipped' : 'FAILS (CI is set)'}: ${support.reason}`);
  return { support, skip };
}

/** Registers how to close something a browser fixture started; closed in reverse order, after the browser. */
export type OnClose = (close: () => unknown) => void;

/**
 * Chromium and what a describe block's browser tests need beside it (`start`: a gateway, a fake
 * Braze, a static site…), started in beforeAll and closed in afterAll: the browser first, then what
 * `start` registered with `onClose`, last first. Returns what a test calls to get them; it throws the
 * reason when Chromium is missing (reached only under CI: elsewhere the block skips).
 */
export function useChromium<Started>(
  support: BrowserSupport,
  start: (browser: Browser, onClose: OnClose) => Promise<Started>,
  timeoutMs = 2 * BROWSER_WAIT_MS,
): () => Started & { readonly browser: Browser } {
  let started: (Started & { readonly browser: Browser }) | undefined;
  let browser: Browser | undefined;
  const closers: (() => unknown)[] = [];
  beforeAll(async () => {
    if (!support.available) return;
    browser = await launchChromium();
    const made = await start(browser, (close) => closers.push(close));
    started = { ...made, browser };
  }, timeoutMs);
  afterAll(async () => {
    try {
      await browser?.close();
    } finally {
      for (const close of closers.reverse()) await close();
    }
  }, timeoutMs);
  return () => {
    if (!support.available) throw new Error(`CI is set, so the browser test fails instead of skipping: ${support.reason}`);
    if (!started) throw new Error('beforeAll did not start the browser and what the tests need');
    return started;
  };
}
