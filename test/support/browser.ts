// The browser the browser tests drive, through playwright-core: Debian's chromium at
// /usr/bin/chromium, or whichever Chrome or Chromium CHROME_PATH names (GitHub's runners
// have Google Chrome). Without one a browser suite is skipped with a notice, except where
// CI=true: there a skipped browser suite would hide that nothing was tested, so it fails.
import { existsSync } from "node:fs";
import assert from "node:assert/strict";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";

export const BROWSER_PATH = process.env.CHROME_PATH || "/usr/bin/chromium";

/** False when the browser is there; else why the suite is skipped. Throws in CI. */
export function missingBrowser(): string | false {
  if (existsSync(BROWSER_PATH)) return false;
  const why = `no browser at ${BROWSER_PATH}: apt-get install chromium, or set CHROME_PATH to a Chrome or Chromium, to run this test`;
  if (process.env.CI === "true") throw new Error(`${why}. CI=true, where the browser suites must run, not be skipped.`);
  return why;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: BROWSER_PATH,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
  });
}

/**
 * Retries `check` (assertions on what a page shows) until it passes or `timeoutMs` is over,
 * then throws its last error: a page's script redraws after the event that a test sent, and
 * on a busy machine later than on an idle one.
 */
export async function eventually(check: () => Promise<void>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

export interface PageOptions extends BrowserContextOptions {
  /** The browser's clock, fixed at this time (ms). */
  now?: number;
}

/**
 * Opens pages, each in a fresh context, and records their script errors; `closeAll` closes
 * them and returns the errors (none expected), for an afterEach.
 */
export function pageOpener(browser: () => Browser) {
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  return {
    async open(url: string, { now, ...options }: PageOptions = {}): Promise<Page> {
      const context = await browser().newContext({ viewport: { width: 1400, height: 900 }, ...options });
      contexts.push(context);
      context.setDefaultTimeout(15_000);
      if (now !== undefined) await context.clock.setFixedTime(now);
      const page = await context.newPage();
      page.on("pageerror", (error) => errors.push(`${url}: ${error.message}`));
      const response = await page.goto(url);
      assert.equal(response?.status(), 200, url);
      return page;
    },
    async closeAll(): Promise<string[]> {
      await Promise.all(contexts.splice(0).map((context) => context.close()));
      return errors.splice(0);
    },
  };
}
