// A real-sized list in a real browser: 300 instances (210 cobalt, 90 Mastodon) with every service of
// data/list.json, made and built once by the site benchmark's own data writer, read in Chromium at
// 1400 px and 390 px in both colour schemes. It checks what a reader scanning a long list on a phone
// needs: short rows, the key columns on screen, no page wider than the phone, headers that stay,
// filters, sort and search that reach instances past the first page, the no-JavaScript pages, and
// instance and key pages that lead with what matters. Screenshots go to test/.artifacts/large-list/.
import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, BrowserContextOptions, Page } from "playwright-core";
import { eventually, launchBrowser, missingBrowser } from "./support/browser.ts";
import { buildSite } from "./support/site-data.ts";
import { serveStatic } from "./support/static-site.ts";
import { temporaryDirectory, type Loopback } from "./support/loopback.ts";
import { writeSiteData, type SiteData } from "../scripts/bench/site.ts";
import { listPageTargets, measureListPage } from "../scripts/bench/list-page.ts";
import { ROOT, ARTIFACTS as TEST_ARTIFACTS } from "./support/cli.ts";

// The functions passed to page.evaluate run in the page, where these exist (the project's types have no DOM).
declare const window: { innerWidth: number }, document: { documentElement: { scrollWidth: number } };
declare function getComputedStyle(element: unknown): { lineHeight: string; fontSize: string; paddingTop: string; paddingBottom: string };

const ARTIFACTS = join(TEST_ARTIFACTS, "large-list");
/** The prefix of the benchmark list's site URL (https://bench.example/list/). */
const PREFIX = "/list/";
const WIDE = { width: 1400, height: 900 };
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

describe("a 300-instance list in a browser", { skip: missingBrowser() }, () => {
  const folder = temporaryDirectory();
  let data: SiteData;
  let server: Loopback;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const trouble: string[] = [];

  before(async () => {
    data = await writeSiteData({ instances: 300, days: 2, dir: folder.dir });
    const build = await buildSite({ listFile: data.listFile, instancesFile: data.instancesFile, output: join(folder.dir, "_site"), env: { HISTORY_DIR: data.historyDir } });
    assert.equal(build.code, 0, build.stderr);
    server = await serveStatic(join(folder.dir, "_site"), PREFIX);
    browser = await launchBrowser();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
    assert.deepEqual(trouble.splice(0), []);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    folder.remove();
  });

  const url = (path: string): string => `${server.url}${PREFIX}${path}`;
  const cobalt = () => data.entries.filter((entry) => entry.kind === "cobalt");
  const mastodon = () => data.entries.filter((entry) => entry.kind === "mastodon");
  const slugOf = (host: string): string => host.replace(/^https?:\/\//, "").replace(/\/$/, "");

  async function open(path: string, options: BrowserContextOptions = {}): Promise<Page> {
    const context = await browser.newContext({ viewport: WIDE, ...options });
    contexts.push(context);
    context.setDefaultTimeout(10_000);
    context.on("weberror", (error) => trouble.push(`page error: ${error.error().message}`));
    context.on("requestfailed", (request) => {
      // The browser cancelling a request itself (a favicon still loading as the page moves on) is not a failure.
      if (request.failure()?.errorText !== "net::ERR_ABORTED") trouble.push(`request failed: ${request.url()}`);
    });
    const page = await context.newPage();
    assert.equal((await page.goto(url(path)))?.status(), 200, path);
    return page;
  }

  async function saveScreenshot(page: Page, name: string): Promise<void> {
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, name);
    await page.screenshot({ path: file, fullPage: true });
    assert.deepEqual([...readFileSync(file).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], `${file} is a PNG`);
  }

  /** Waits until the list's script has shown the filters (the page is usable with JavaScript). */
  const ready = (page: Page) => eventually(async () => assert.ok(await page.locator("#filters").isVisible()));
  const shownNames = (page: Page, kind: string): Promise<string[]> =>
    page.locator(`table.instances[data-kind="${kind}"] tbody tr`).filter({ visible: true }).locator("th a").allTextContents();

  it("tests every service of the list: the site is as wide as a real cobalt list", () => {
    const services = Object.keys(JSON.parse(readFileSync(join(ROOT, "data/list.json"), "utf8")).services);
    assert.ok(services.length >= 20, `${services.length} services`);
    assert.equal(cobalt().length, 210);
    assert.equal(mastodon().length, 90);
    assert.equal(Object.keys((cobalt()[0] as { services: object }).services).length, services.length);
  });

  it("keeps each cobalt row to at most two text lines at 1400 px", async () => {
    const page = await open("");
    await ready(page);
    const tallest = await page.locator('table.instances[data-kind="cobalt"] tbody tr').evaluateAll((rows) => rows.map((row) => {
      const cell = row.querySelector("td")!;
      const style = getComputedStyle(cell);
      const line = style.lineHeight === "normal" ? 1.2 * parseFloat(style.fontSize) : parseFloat(style.lineHeight);
      const padding = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
      return { lines: (row.getBoundingClientRect().height - padding - 1) / line, name: row.querySelector("th")!.textContent };
    }).sort((a, b) => b.lines - a.lines)[0]!);
    assert.ok(tallest.lines <= 2.05, `${tallest.name}: ${tallest.lines.toFixed(2)} lines`);
    for (const colorScheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme });
      await saveScreenshot(page, `list-1400-${colorScheme}.png`);
    }
  });

  it("shows name, online, score and the services summary on a phone without scrolling sideways", async () => {
    const page = await open("", PHONE);
    await ready(page);
    const cut = await page.locator('table.instances[data-kind="cobalt"]').evaluate((table) => {
      const labels = [...table.querySelectorAll("thead th")].map((th) => th.textContent!.trim());
      const edge = Math.min(window.innerWidth, table.closest(".scroll")!.getBoundingClientRect().right);
      const row = table.querySelector("tbody tr")!;
      return ["Name", "Online", "Score", "Services"].filter((label) => {
        const cell = row.children[labels.indexOf(label)];
        return !cell || cell.getBoundingClientRect().right > edge;
      });
    });
    assert.deepEqual(cut, [], "columns cut off at 390 px");
  });

  it("keeps the column headers in view while a table scrolls", async () => {
    const page = await open("");
    await ready(page);
    const box = page.locator(".scroll").first();
    await box.evaluate((element) => element.scrollBy(0, 1500));
    await eventually(async () => {
      const { boxTop, headTop, scrolled } = await box.evaluate((element) => ({
        boxTop: element.getBoundingClientRect().top,
        headTop: element.querySelector("thead th")!.getBoundingClientRect().top,
        scrolled: element.scrollTop,
      }));
      assert.ok(scrolled > 500, `the box scrolled ${scrolled}px`);
      assert.ok(Math.abs(headTop - boxTop) <= 2, `header at ${headTop}, box at ${boxTop}`);
    });
  });

  it("finds, by search, sort and filter, instances that are not on the first page", async () => {
    const page = await open("");
    await ready(page);
    const firstCobalt = await shownNames(page, "cobalt");
    const firstMastodon = await shownNames(page, "mastodon");
    assert.ok(firstCobalt.length < cobalt().length && firstMastodon.length < mastodon().length, "the first page holds part of each kind");

    // Search: a cobalt instance past the first page, by its host.
    const hidden = cobalt().find((entry) => !firstCobalt.includes(entry.name ?? ""))!;
    await page.getByRole("searchbox", { name: "Search" }).fill((hidden as { api: string }).api);
    await eventually(async () => assert.deepEqual(await shownNames(page, "cobalt"), [hidden.name]));
    await page.getByRole("searchbox", { name: "Search" }).fill("");

    // Filter: every Mastodon server in one language, those past the first page included.
    const language = "ja";
    const speakers = mastodon().filter((entry) => (entry as { languages: string[] }).languages.includes(language)).map((entry) => entry.name!);
    assert.ok(speakers.some((name) => !firstMastodon.includes(name)), "some are past the first page");
    await page.getByRole("combobox", { name: "Language" }).selectOption(language);
    await eventually(async () => assert.deepEqual((await shownNames(page, "mastodon")).sort(), [...speakers].sort()));
    assert.equal(new URL(page.url()).searchParams.get("language"), language);
    await page.getByRole("combobox", { name: "Language" }).selectOption("");

    // Sort: the lowest scores first brings up instances the first page (best first) did not show.
    const scoreHeader = page.locator('table.instances[data-kind="cobalt"] thead th').filter({ hasText: "Score" }).getByRole("button");
    await scoreHeader.click();
    await scoreHeader.click();
    await eventually(async () => {
      const sorted = await shownNames(page, "cobalt");
      const scores = sorted.map((name) => (cobalt().find((entry) => entry.name === name) as { score: number }).score);
      assert.deepEqual(scores, [...scores].sort((a, b) => a - b), "lowest score first");
      assert.ok(sorted.some((name) => !firstCobalt.includes(name)), "instances from past the first page");
    });
  });

  it("links without JavaScript to the static page that lists an instance past the first page", async () => {
    const page = await open("", { javaScriptEnabled: false });
    const firstCobalt = await shownNames(page, "cobalt");
    const hidden = cobalt().find((entry) => !firstCobalt.includes(entry.name ?? ""))!;
    for (let pages = 0; !(await shownNames(page, "cobalt")).includes(hidden.name!); pages++) {
      assert.ok(pages < 10, `${hidden.name} is on none of the static pages`);
      await Promise.all([page.waitForURL(/\/cobalt\/\d+\/$/), page.locator('nav.pager a[rel="next"]').first().click()]);
    }
    const link = page.getByRole("link", { name: hidden.name!, exact: true });
    assert.match((await link.getAttribute("href"))!, new RegExp(`${PREFIX}instances/cobalt/${slugOf((hidden as { api: string }).api)}/$`));
  });

  it("says without JavaScript that a filtered address needs it, and links the services' rankings", async () => {
    const page = await open("?service=youtube", { javaScriptEnabled: false });
    const note = page.locator("main p.note").filter({ hasText: "need JavaScript" });
    assert.ok(await note.isVisible(), "the note is shown");
    assert.match((await note.textContent())!, /\?service=/);
    await Promise.all([page.waitForURL(/\/services\/$/), note.getByRole("link", { name: "each service has its own ranking" }).click()]);
    assert.equal(await page.getByRole("link", { name: "YouTube", exact: true }).getAttribute("href"), `${PREFIX}services/youtube/`);
  });

  it("names services as their owners write them on the service pages, the chart's words too", async () => {
    const page = await open("services/youtube/");
    assert.match((await page.locator("figure.health-chart figcaption").textContent())!, /YouTube worked at [\d.]+% of its tests/);
    const overview = await open("services/");
    assert.doesNotMatch((await overview.locator("main").innerText()), /\b(youtube|tiktok|twitch_clips|youtube_music)\b/);
  });

  for (const colorScheme of ["light", "dark"] as const) {
    it(`scrolls no page sideways at 390 px in the ${colorScheme} scheme, outside a table's own scroll box`, async () => {
      const offline = cobalt().find((entry) => !entry.api_online)!;
      const pages = ["", "cobalt/2/", "api/", "api/keys/", "services/", "services/youtube/", "versions/",
        `instances/cobalt/${slugOf((offline as { api: string }).api)}/`, `instances/cobalt/${slugOf((cobalt().find((entry) => entry.api_online) as { api: string }).api)}/`,
        `instances/mastodon/${slugOf(mastodon()[0]!.url as string)}/`];
      const page = await open("", { ...PHONE, colorScheme });
      for (const path of pages) {
        assert.equal((await page.goto(url(path)))?.status(), 200, path);
        const wider = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(wider <= 0, `${path || "home"}: ${wider}px wider than the phone`);
      }
      await page.goto(url(""));
      await saveScreenshot(page, `list-390-${colorScheme}.png`);
      await page.goto(url(pages[7]!));
      await saveScreenshot(page, `instance-offline-390-${colorScheme}.png`);
    });
  }

  it("starts an instance page with its summary: status in words, score, and the link to use it, on the first screen", async () => {
    const offline = cobalt().find((entry) => !entry.api_online) as { api: string; name: string };
    const page = await open(`instances/cobalt/${slugOf(offline.api)}/`, PHONE);
    const summary = page.locator("section.summary");
    assert.match((await summary.locator("p.status").textContent())!, /^Offline/);
    assert.match((await summary.textContent())!, /Score/);
    const use = summary.locator("a.use-link");
    assert.ok((await use.boundingBox())!.y + 20 < PHONE.viewport.height, "the web app link is on the first screen");
    // Offline now: reliability says so too, and no service reads as working.
    assert.match((await page.locator("section.history p").first().textContent())!, /Status: (failing|down)/);
    assert.equal(await page.locator("table.services").getByText("✓ works").count(), 0);
    // Raw values come last and collapsed.
    assert.equal(await page.locator("details.raw-values").getAttribute("open"), null);
    const headings = await page.locator("main h2").allTextContents();
    assert.equal(headings[0], "Reliability");
    assert.equal(headings.at(-1), "Raw data");
    // The uptime bar is drawn from the page's figures: a cell a day, each saying its day, and a legend.
    const bar = page.locator("figure.uptime-bar");
    await eventually(async () => assert.equal(await bar.locator("svg rect").count(), (await bar.getAttribute("data-cells"))!.split(" ").length));
    assert.match((await bar.locator("svg rect title").last().textContent())!, /^\d{4}-\d{2}-\d{2}: (\d+(\.\d+)?% of \d+ checks?|no check made)$/);
    assert.match((await bar.locator(".legend").textContent())!, /99% or more.*no check/);
    // The sparkline too: a point per hour that answered, one character each in the page's figures.
    const sparkline = page.locator("figure.sparkline");
    const answered = (await sparkline.getAttribute("data-slots"))!.replaceAll(".", "").length;
    assert.ok(answered >= 2, "it answered before it went offline");
    await eventually(async () => assert.equal((await sparkline.locator("svg polyline").getAttribute("points"))!.split(" ").length, answered));
    // Opened, the raw values are read from the instance's own JSON, each key linked to its explanation.
    await page.locator("details.raw-values summary").click();
    const values = page.locator("details.raw-values dl.values");
    await eventually(async () => assert.equal(await values.locator("dt").count(), Object.keys(offline).length));
    assert.equal(await values.locator("dt", { hasText: /^name$/ }).locator("xpath=following-sibling::dd[1]").textContent(), offline.name);
    assert.match((await values.locator("dt a").first().getAttribute("href"))!, /\/api\/keys\/#cobalt-key-kind$/);
    await saveScreenshot(page, "instance-390.png");

    const server = mastodon()[0]!;
    const mastodonPage = await open(`instances/mastodon/${slugOf(server.url as string)}/`, PHONE);
    assert.match((await mastodonPage.locator("section.summary").textContent())!, /Active users[\s\S]*\d,\d{3}[\s\S]*Sign-ups/);
  });

  it("is measured by the list page benchmark: its search and its filter find what they look for", { timeout: 180_000 }, async () => {
    // Correctness only (the bench's waits end when the rows show the search's and the filter's results); npm run bench reports the times.
    const figures = await measureListPage(join(folder.dir, "_site"), { runs: 1 });
    const first = await shownNames(await open("", { javaScriptEnabled: false }), "cobalt");
    assert.ok(!first.includes(cobalt().find((entry) => (entry as { api: string }).api === figures.searchedFor)!.name!), "the search looks past the first page");
    assert.equal(figures.filterMatches, cobalt().filter((entry) => (entry as { service_results: Record<string, { result: string }> }).service_results[figures.filteredBy]?.result === "pass").length);
    assert.ok(figures.firstLoadRequests >= 4 && figures.firstLoadGzipKb > 0 && figures.indexGzipKb > 0, JSON.stringify(figures));
    for (const value of Object.values(figures)) if (typeof value === "number") assert.ok(Number.isFinite(value) && value >= 0, JSON.stringify(figures));
    assert.equal(listPageTargets(figures).length, 4);
  });

  it("ranks the best 100 working instances on a service page and leads to the rest, in the list and as JSON", async () => {
    const working = cobalt().filter((entry) => (entry as { services: Record<string, boolean> }).services.youtube).length;
    assert.ok(working > 100, `the fleet has ${working} instances working for YouTube`);
    const page = await open("services/youtube/");
    assert.equal(await page.locator("table.ranking tbody tr").count(), 100);
    const more = page.locator("p.more");
    assert.match((await more.textContent())!, new RegExp(`The best 100 of ${working}\\.`));
    await more.getByRole("link", { name: /the list, filtered to YouTube/ }).click();
    await eventually(async () => assert.match((await page.locator("output[name=count]").first().textContent())!, new RegExp(`\\b${working}\\b`)));
    const feed = await (await page.request.get(url("services/youtube.json"))).json() as { instances: unknown[] };
    assert.equal(feed.instances.length, working, "the fail-over feed keeps every working instance");
  });

  it("shows code as code on /api/keys/, each key's name at least as large as its type", async () => {
    const page = await open("api/keys/");
    assert.doesNotMatch((await page.locator("main").textContent())!, /`/);
    const sizes = await page.locator(".keys dt").first().evaluate((dt) => ({
      name: parseFloat(getComputedStyle(dt.querySelector("code")!).fontSize),
      type: parseFloat(getComputedStyle(dt.querySelector(".type")!).fontSize),
    }));
    assert.ok(sizes.name >= sizes.type, JSON.stringify(sizes));
  });
});
