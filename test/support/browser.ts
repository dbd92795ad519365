// The browser the browser tests drive, through playwright-core: Debian's chromium at
// /usr/bin/chromium, or whichever Chrome or Chromium CHROME_PATH names (GitHub's runners
// have Google Chrome). Without one a browser suite is skipped with a notice, except where
// CI=true: there a skipped browser suite would hide that nothing was tested, so it fails.
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

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
