// `npm start -- --demo` in a browser: the real start command starts the simulated fleets,
// probes them with the real probe and serves the real site; a reader sees that it is a demo,
// instances of both kinds, filters that work, and an instance's page.
import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { eventually, launchBrowser, missingBrowser, pageOpener } from "./support/browser.ts";
import { start, stop, type Started } from "./support/start.ts";
import type { Instance } from "../scripts/lib/run.ts";
import { ARTIFACTS } from "./support/cli.ts";

const DEMO_BANNER = /^Demo: every instance on this site is simulated, on this computer, by npm start -- --demo; none of this data comes from a real server\.$/;

describe("the demo in a browser", { skip: missingBrowser() }, () => {
  let running: Started;
  let browser: Browser;
  let entries: Instance[];
  const pages = pageOpener(() => browser);
  const open = (path: string) => pages.open(new URL(path, running.url).href);

  before(async () => {
    running = await start(["--demo"]);
    entries = await (await fetch(new URL("instances.json", running.url))).json() as Instance[];
    browser = await launchBrowser();
  });
  afterEach(async () => assert.deepEqual(await pages.closeAll(), []));
  after(async () => {
    await browser?.close();
    await stop(running);
  });

  const rows = (page: Page, kind: string) => page.locator(`table.instances[data-kind="${kind}"] tbody tr`).filter({ visible: true });
  const shownNames = (page: Page, kind: string) => rows(page, kind).locator("th a").allTextContents();
  const ofKind = (kind: string) => entries.filter((entry) => entry.kind === kind);

  it("says it is a demo at the top of the home page, and lists simulated instances of both kinds, some up and some down", async () => {
    const page = await open("");
    const banner = page.locator(".banner.demo");
    assert.ok(await banner.isVisible());
    assert.match((await banner.textContent())!, DEMO_BANNER);
    assert.equal(await rows(page, "cobalt").count(), ofKind("cobalt").length);
    assert.equal(await rows(page, "mastodon").count(), ofKind("mastodon").length);
    assert.ok(ofKind("cobalt").length >= 10 && ofKind("mastodon").length >= 10, "a fleet of each kind");
    assert.ok(ofKind("cobalt").some((entry) => !entry.api_online), "the fleet has instances that are down, as a real one does");
    assert.equal(await page.locator(".banner.stale").isVisible(), false, "just probed: not out of date");
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, "demo-home.png") });
  });

  it("filters: online only, then a search", async () => {
    const page = await open("");
    const form = page.locator("form#filters");
    await form.getByLabel("Online only").check();
    const online = (kind: string) => ofKind(kind).filter((entry) => entry.api_online);
    await eventually(async () => {
      assert.equal(await page.locator('output[name="count"]').textContent(),
        `cobalt instances: ${online("cobalt").length} of ${ofKind("cobalt").length} · Mastodon servers: ${online("mastodon").length} of ${ofKind("mastodon").length}`);
      assert.deepEqual((await shownNames(page, "cobalt")).sort(), online("cobalt").map((entry) => entry.name).sort());
    });
    await form.getByLabel("Online only").uncheck();
    await form.getByLabel("Search").fill("Demo cobalt 12");
    await eventually(async () => assert.deepEqual(await shownNames(page, "cobalt"), ["Demo cobalt 12"]));
  });

  it("opens an instance's page from its row, the demo banner on it too", async () => {
    const page = await open("");
    const first = rows(page, "cobalt").first().locator("th a");
    const name = await first.textContent();
    await Promise.all([page.waitForURL(/\/instances\/cobalt\/[^/]+\/$/), first.click()]);
    assert.equal(await page.locator("h1").first().textContent().then((text) => text?.includes(name!)), true, `the page of ${name}`);
    assert.match((await page.locator(".banner.demo").textContent())!, DEMO_BANNER);
  });
});
