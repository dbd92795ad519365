// How old the data is, on every page and in /status.json: a site built from a real probe
// run whose check times were moved three hours back, as when the hourly workflow stops.
// Without JavaScript the pages say what was true at build time; in a browser the age is
// worked out at view time (the browser's clock is moved to prove it).
import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { Browser, Page } from "playwright-core";
import { buildSite, probedSiteData, readText, type SiteData } from "./support/site-data.ts";
import { serveStatic } from "./support/static-site.ts";
import { temporaryDirectory, type Loopback } from "./support/loopback.ts";
import { launchBrowser, missingBrowser, pageOpener, type PageOptions } from "./support/browser.ts";
import { assertValidOutput, type Instance } from "../scripts/lib/run.ts";
import { validateStatus } from "../scripts/lib/schemas.ts";
import { checkedFrom } from "../scripts/lib/runner.ts";

const PREFIX = "/test-list/";
const HOUR = 3_600_000;
const RUN = { GITHUB_RUN_NUMBER: "417", GITHUB_RUN_ID: "987654321", GITHUB_SERVER_URL: "https://github.com", GITHUB_REPOSITORY: "example/test-list" };

interface Counts { total: number; online: number; offline: number; stale: number }
interface StatusFile {
  generated_at: string;
  checked_at: string;
  stale: boolean;
  demo: boolean;
  run: { number: number | null; url: string | null; commit: string };
  instances: Counts & { by_kind: Record<string, Counts> };
}

const pagesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile() && entry.name.endsWith(".html")).map((entry) => relative(dir, join(entry.parentPath, entry.name)));

/** The out-of-date warning of a page as built: its opening tag, or null when the page has none. */
const staleWarning = (html: string): string | null => /<p class="banner stale"[^>]*>/.exec(html)?.[0] ?? null;

describe("the data's age", () => {
  let data: SiteData;
  let entries: Instance[];
  let checkedAt: number;
  let probedFrom: unknown[];
  const output = temporaryDirectory();
  const site = (path: string) => join(output.dir, path);

  before(async () => {
    data = await probedSiteData();
    assert.equal(data.probe.code, 0, data.probe.stderr);
    entries = JSON.parse(readText(data.instancesFile));
    // The run three hours ago (to the second, as the probe writes times); one instance checked a minute before the rest.
    checkedAt = Math.floor((Date.now() - 3 * HOUR) / 1000) * 1000;
    entries.forEach((entry, index) => (entry.checked_at = new Date(checkedAt - (index === 1 ? 60_000 : 0)).toISOString().replace(/\.\d{3}Z$/, "Z")));
    // The probe ran here, outside GitHub Actions; then as a sharded run would have: one shard on a machine of the list's own.
    probedFrom = entries.map((entry) => entry.checked_from);
    entries.forEach((entry, index) => (entry.checked_from = index === 1 ? { runner: "self-hosted", os: "Linux", arch: "ARM64" } : { runner: "github-hosted", os: "Linux", arch: "X64" }));
    assertValidOutput(entries);
    writeFileSync(data.instancesFile, `${JSON.stringify(entries, null, 2)}\n`);
    const build = await buildSite({ listFile: data.listFile, instancesFile: data.instancesFile, output: output.dir, env: RUN });
    assert.equal(build.code, 0, build.stderr);
  });
  after(async () => {
    await data?.close();
    output.remove();
  });

  it("publishes /status.json, valid against its schema, with the latest check, the run and the counts of the data", () => {
    const status: StatusFile = JSON.parse(readText(site("status.json")));
    assert.ok(validateStatus(status), JSON.stringify(validateStatus.errors));
    assert.equal(Date.parse(status.checked_at), checkedAt, "the latest check of any instance");
    assert.ok(Date.now() - Date.parse(status.generated_at) < HOUR, "built now");
    assert.equal(status.stale, true);
    assert.equal(status.demo, false);
    assert.equal(status.run.number, 417);
    assert.equal(status.run.url, "https://github.com/example/test-list/actions/runs/987654321");
    assert.match(status.run.commit, /^[0-9a-f]{40}$/);
    const count = (of: Instance[]) => ({
      total: of.length,
      online: of.filter((entry) => entry.api_online).length,
      offline: of.filter((entry) => !entry.api_online).length,
      stale: of.filter((entry) => entry.stale).length,
    });
    const kinds = [...new Set(entries.map((entry) => entry.kind))];
    assert.deepEqual(status.instances, {
      ...count(entries),
      by_kind: Object.fromEntries(kinds.map((kind) => [kind, count(entries.filter((entry) => entry.kind === kind))])),
    });
    assert.ok(status.instances.online > 0 && status.instances.offline > 0, "the fleet has instances up and down");
  });

  it("says where the instances were checked from: each entry as its run's machine was, /status.json and every page's footer", () => {
    assert.deepEqual(new Set(probedFrom.map((from) => JSON.stringify(from))), new Set([JSON.stringify(checkedFrom({}))]), "a run outside Actions is local");
    assert.equal((probedFrom[0] as { runner: string }).runner, "local");
    const status: StatusFile & { checked_from: unknown } = JSON.parse(readText(site("status.json")));
    assert.deepEqual(status.checked_from, [
      { runner: "github-hosted", os: "Linux", arch: "X64", instances: entries.length - 1 },
      { runner: "self-hosted", os: "Linux", arch: "ARM64", instances: 1 },
    ]);
    for (const path of ["index.html", "api/index.html"]) {
      assert.match(readText(site(path)), new RegExp(`Checked from a runner hosted by GitHub \\(Linux, X64\\) for ${entries.length - 1} instances; a self-hosted runner \\(Linux, ARM64\\) for 1 instance:`), path);
    }
  });

  it("reads the runner from what GitHub Actions sets, and only its known values", () => {
    const actions = { GITHUB_ACTIONS: "true", RUNNER_ENVIRONMENT: "github-hosted", RUNNER_OS: "Linux", RUNNER_ARCH: "X64" };
    assert.deepEqual(checkedFrom(actions), { runner: "github-hosted", os: "Linux", arch: "X64" });
    assert.deepEqual(checkedFrom({ GITHUB_ACTIONS: "true", RUNNER_ENVIRONMENT: "<b>x</b>", RUNNER_OS: "TempleOS" }), { runner: null, os: null, arch: null }, "Actions without a known value: unknown");
    assert.deepEqual(checkedFrom({ RUNNER_ENVIRONMENT: "github-hosted" }, "darwin", "arm64"), { runner: "local", os: "macOS", arch: "ARM64" }, "outside Actions, this machine");
    assert.deepEqual(checkedFrom({}, "aix", "ppc64"), { runner: "local", os: null, arch: null });
  });

  it("documents /status.json on /api/ and its keys on /api/keys/", () => {
    const api = readText(site("api/index.html"));
    assert.match(api, /<a href="\/test-list\/status\.json"><code>\/status\.json<\/code><\/a>/);
    assert.match(api, /<h2 id="current">Is the data current\?<\/h2>[\s\S]*stale_after_minutes/);
    const keys = readText(site("api/keys/index.html"));
    for (const key of ["generated_at", "checked_at", "stale_after_minutes", "run-number", "run-commit", "checked_from-runner", "instances-by_kind-name-online"]) {
      assert.match(keys, new RegExp(`id="status-key-${key}"`), key);
    }
  });

  it("warns at the top of every page, without JavaScript, when the data was already old at build time", () => {
    const pages = pagesUnder(output.dir);
    assert.ok(pages.length > 10);
    for (const path of pages) {
      const warning = staleWarning(readText(site(path)));
      assert.ok(warning, `${path} has the out-of-date warning`);
      assert.doesNotMatch(warning, /\shidden/, `${path}: shown`);
    }
  });

  describe("in a browser", { skip: missingBrowser() }, () => {
    let server: Loopback;
    let browser: Browser;
    const pages = pageOpener(() => browser);
    const open = (path: string, options?: PageOptions) => pages.open(`${server.url}${PREFIX}${path}`, options);

    before(async () => {
      server = await serveStatic(output.dir, PREFIX);
      browser = await launchBrowser();
    });
    afterEach(async () => assert.deepEqual(await pages.closeAll(), []));
    after(async () => {
      await browser?.close();
      await server?.close();
    });

    const footerAge = (page: Page) => page.locator("footer time[data-age] + .age").textContent();

    for (const path of ["", "api/", "api/keys/"]) {
      it(`shows the warning and the age on /${path} read three hours after the check`, async () => {
        const page = await open(path);
        const warning = page.locator(".banner.stale");
        await assert.doesNotReject(warning.waitFor({ state: "visible" }));
        assert.match(await warning.textContent() ?? "", /Out of date: the instances were last checked \d{4}-\d\d-\d\d \d\d:\d\d UTC \(3 hours ago\), more than 2 hours ago/);
        assert.equal(await footerAge(page), " (3 hours ago)");
      });
    }

    it("hides the warning when the same page is read half an hour after the check (the age is the reader's, not the build's)", async () => {
      const page = await open("", { now: checkedAt + 30 * 60_000 });
      await page.locator("footer .age").waitFor();
      assert.equal(await footerAge(page), " (30 minutes ago)");
      assert.equal(await page.locator(".banner.stale").isVisible(), false);
    });

    it("shows the warning as built to a reader without JavaScript", async () => {
      const page = await open("", { javaScriptEnabled: false });
      assert.equal(await page.locator(".banner.stale").isVisible(), true);
      assert.equal(await page.locator("footer .age").count(), 0, "no age without JavaScript: the date alone");
    });
  });
});
