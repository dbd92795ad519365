// The published site in a real browser: Chromium (test/support/browser.ts), driven by playwright-core,
// reads the site the real Eleventy build made from a real probe run (hostile instances
// included), served under a path prefix as Pages serves a fork. It checks what only a
// browser shows: that no instance's text runs as script, that sorting and the filters
// work and live in the URL, that the tables are whole without JavaScript, that a failed
// service's error shows on keyboard focus, and that every link leads somewhere.
import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page } from "playwright-core";
import { eventually, launchBrowser, missingBrowser } from "./support/browser.ts";
import { PAYLOADS, buildSite, probedSiteData, readText, type SiteData } from "./support/site-data.ts";
import { serveStatic } from "./support/static-site.ts";
import { temporaryDirectory, type Loopback } from "./support/loopback.ts";
import { assertValidOutput, type Instance } from "../scripts/lib/run.ts";
import { instanceSlug } from "../scripts/lib/slug.ts";
import { ARTIFACTS } from "./support/cli.ts";


/** Runs in the page: each visible text whose contrast with the first opaque background behind it is under 4.5:1. */
const LOW_CONTRAST_TEXT = `(() => {
  const rgb = (color) => color.match(/[\\d.]+/g).map(Number);
  const luminance = ([r, g, b]) => {
    const channel = (value) => ((value /= 255) <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4);
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const backgroundOf = (element) => {
    for (let at = element; at; at = at.parentElement) {
      const color = rgb(getComputedStyle(at).backgroundColor);
      if (color.length === 3 || color[3] > 0) return color;
    }
    return [255, 255, 255];
  };
  const problems = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!node.textContent.trim() || !element.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
    const fg = luminance(rgb(getComputedStyle(element).color));
    const bg = luminance(backgroundOf(element));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    if (ratio < 4.5) problems.push(element.localName + "." + element.className + ": " + JSON.stringify(node.textContent.trim().slice(0, 30)) + " at " + ratio.toFixed(2) + ":1");
  }
  return [...new Set(problems)].slice(0, 12);
})()`;
const PREFIX = "/test-list/";

describe("the built site in a browser", { skip: missingBrowser() }, () => {
  let data: SiteData;
  let server: Loopback;
  let browser: Browser;
  let entries: Instance[];
  let ownScripts: string[];
  const output = temporaryDirectory();
  const contexts: BrowserContext[] = [];
  /** Dialogs any page opened (alert, confirm, prompt): none should ever open. */
  const dialogs: string[] = [];
  /** Page errors, failed requests and resources under the prefix that did not answer 200. */
  const trouble: string[] = [];

  before(async () => {
    data = await probedSiteData();
    assert.equal(data.probe.code, 0, data.probe.stderr);
    entries = JSON.parse(readText(data.instancesFile));
    for (const entry of entries) {
      // More payloads where the schema lets them through, as the build test adds them.
      if (entry.kind === "cobalt" && entry.name === PAYLOADS.img) Object.assign(entry, { frontEnd: PAYLOADS.attribute, commit: PAYLOADS.attribute });
      if (entry.kind === "cobalt" && entry.name === "Down cobalt") entry.offline_reason = PAYLOADS.img;
      if (entry.kind === "mastodon" && entry.name === PAYLOADS.script) entry.rules = [{ text: PAYLOADS.img, hint: PAYLOADS.attribute }];
      // Two Mastodon servers that differ, so that their filters have something to tell apart.
      if (entry.kind === "mastodon" && entry.name === "Mastodon") {
        entry.registrations.enabled = true;
        entry.languages = ["de"];
      }
      // Tables open busiest first: fixed numbers keep the two servers in list order, not in the order of their response times.
      if (entry.kind === "mastodon" && entry.users) entry.users.active_month = entry.name === "Mastodon" ? 2000 : 1000;
    }
    assertValidOutput(entries);
    writeFileSync(data.instancesFile, `${JSON.stringify(entries, null, 2)}\n`);
    const build = await buildSite({ listFile: data.listFile, instancesFile: data.instancesFile, output: output.dir });
    assert.equal(build.code, 0, build.stderr);
    ownScripts = readdirSync(join(output.dir, "assets")).filter((file) => file.endsWith(".js")).map((file) => `${PREFIX}assets/${file}`);
    server = await serveStatic(output.dir, PREFIX);
    browser = await launchBrowser();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
    const seen = { dialogs: dialogs.splice(0), trouble: trouble.splice(0) };
    assert.deepEqual(seen, { dialogs: [], trouble: [] });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await data?.close();
    output.remove();
  });

  const url = (path: string): string => `${server.url}${PREFIX}${path}`;
  const underPrefix = (address: string): boolean => address.startsWith(server.url + PREFIX);

  /** A fresh browser context whose dialogs, page errors and failed requests are recorded. */
  async function newContext(options: BrowserContextOptions = {}): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, ...options });
    contexts.push(context);
    context.setDefaultTimeout(5000);
    context.on("dialog", (dialog) => {
      dialogs.push(`${dialog.type()} on ${dialog.page()?.url()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
    context.on("weberror", (error) => trouble.push(`page error: ${error.error().message}`));
    context.on("requestfailed", (request) => {
      // ERR_ABORTED is the browser cancelling a request itself (a favicon still loading when a test navigates
      // or closes the page); an answer that is not 200 is still caught below.
      const reason = request.failure()?.errorText;
      if (reason !== "net::ERR_ABORTED") trouble.push(`request failed: ${request.url()} (${reason})`);
    });
    context.on("response", (response) => {
      // Pages are checked where they are opened (the 404 page answers 404 on purpose).
      if (response.request().resourceType() !== "document" && underPrefix(response.url()) && response.status() !== 200) {
        trouble.push(`${response.status()} for ${response.url()}`);
      }
    });
    return context;
  }

  /** Opens a path under the prefix in a new page and checks that it answered 200. */
  async function open(path: string, options?: BrowserContextOptions): Promise<Page> {
    const page = await (await newContext(options)).newPage();
    await visit(page, path);
    return page;
  }

  async function visit(page: Page, path: string): Promise<void> {
    const response = await page.goto(url(path));
    assert.equal(response?.status(), 200, path);
  }

  /** The links of a page to other pages of this site, without their fragments. */
  async function internalLinks(page: Page): Promise<string[]> {
    const hrefs = await page.locator("a[href]:not([href^='#'])").evaluateAll((links) => links.map((link) => link.href as string));
    const internal = hrefs.filter((href) => new URL(href).origin === server.url).map((href) => href.replace(/#.*$/, ""));
    return [...new Set(internal)];
  }

  /** Saves a full-page screenshot under test/.artifacts/ and checks that it is a PNG image. */
  async function saveScreenshot(page: Page, name: string): Promise<void> {
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, name);
    await page.screenshot({ path: file, fullPage: true });
    assert.deepEqual([...readFileSync(file).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], `${file} is a PNG`);
  }

  /** No element carries an event handler attribute or a javascript: link, and every script is the site's own file. */
  async function assertOnlyOwnMarkup(page: Page): Promise<void> {
    const where = page.url();
    const handlers = await page.locator("*").evaluateAll((elements) =>
      elements.flatMap((element) => [...element.attributes].filter((attribute) => /^on/i.test(attribute.name)).map((attribute) => `<${element.localName} ${attribute.name}>`)),
    );
    assert.deepEqual(handlers, [], `${where}: event handler attributes`);
    const scripts = await page.locator("script").evaluateAll((elements) => elements.map((script) => script.getAttribute("src") ?? `inline: ${script.textContent}`));
    for (const script of scripts) assert.ok(ownScripts.includes(script), `${where}: a script that is not the site's own: ${script}`);
    const scriptUrls = await page.locator("[href], [src], [action], [formaction]").evaluateAll((elements) =>
      elements.flatMap((element) => ["href", "src", "action", "formaction"].map((name) => element.getAttribute(name) ?? "")).filter((value) => /^\s*javascript:/i.test(value)),
    );
    assert.deepEqual(scriptUrls, [], `${where}: javascript: addresses`);
  }

  /**
   * Does to a page what would set off a handler an instance's text smuggled in: sends every
   * element the events such handlers wait for, then really hovers and focuses each element
   * that shows a payload. Returns how many of those there were.
   */
  async function stir(page: Page): Promise<number> {
    await page.locator("body *").evaluateAll((elements) => {
      for (const element of elements) {
        for (const type of ["mouseover", "mouseenter", "mousemove", "pointerover", "focus", "focusin", "blur", "load", "error"]) element.dispatchEvent(new Event(type, { bubbles: true }));
      }
    });
    const shown = await page.getByText(/xss/).filter({ visible: true }).all();
    for (const element of shown) {
      await element.hover();
      const focusable = element.locator("xpath=ancestor-or-self::*[@tabindex or @href][1]");
      if (await focusable.count()) await focusable.focus();
    }
    return shown.length;
  }

  const table = (page: Page, kind: string): Locator => page.locator(`table.instances[data-kind="${kind}"]`);
  /** The names of a table's rows the reader can see, top to bottom. */
  const shownNames = (page: Page, kind: string): Promise<string[]> =>
    table(page, kind).locator("tbody tr").filter({ visible: true }).locator("th a").allTextContents();
  const count = (page: Page): Promise<string | null> => page.locator('output[name="count"]').textContent();
  /** Waits until `read` gives `expected`: the page's script redraws after an action, and on a busy machine later. */
  const shows = <T>(read: () => Promise<T>, expected: T): Promise<void> => eventually(async () => assert.deepEqual(await read(), expected));
  const query = (page: Page): Record<string, string> => Object.fromEntries(new URL(page.url()).searchParams);
  const namesOf = (kind: string): string[] => entries.filter((entry) => entry.kind === kind).map((entry) => entry.name ?? "");

  it("notices a dialog when a page opens one (so the checks below can fail)", async () => {
    const page = await open("");
    await page.evaluate(`alert("a dialog on purpose")`);
    assert.equal(dialogs.length, 1);
    assert.match(dialogs.splice(0)[0]!, /^alert on .*: a dialog on purpose$/);
  });

  it("loads the home page with no errors, no failed request and nothing of an instance's running", async () => {
    const requested: string[] = [];
    const context = await newContext();
    context.on("requestfinished", (request) => requested.push(request.url()));
    const page = await context.newPage();
    await visit(page, "");
    // The stylesheet and the script loaded (and so were checked for their status).
    assert.ok(requested.includes(url("assets/site.css")), requested.join("\n"));
    assert.ok(requested.includes(url("assets/list.js")), requested.join("\n"));
    // Every file the page names under the prefix is there, those the browser fetches lazily too.
    const named = await page.locator("link[href], script[src]").evaluateAll((elements) => elements.map((element) => (element.href ?? element.src) as string));
    const local = named.filter(underPrefix);
    assert.ok(local.length >= 4, named.join("\n"));
    for (const address of local) assert.equal((await page.request.get(address)).status(), 200, address);
    await assertOnlyOwnMarkup(page);
    await saveScreenshot(page, "home.png");
    assert.deepEqual(await page.locator("script").evaluateAll((scripts) => scripts.map((script) => script.getAttribute("src"))), [`${PREFIX}assets/data-age.js`, `${PREFIX}assets/list.js`]);

    // The payloads are on the page, as text: the hostile rows' names and a failed service's error.
    const hostileCobalt = table(page, "cobalt").locator("tbody tr").filter({ has: page.locator("th", { hasText: PAYLOADS.img }) });
    const hostileMastodon = table(page, "mastodon").locator("tbody tr").filter({ has: page.locator("th", { hasText: PAYLOADS.script }) });
    assert.equal(await hostileCobalt.count(), 1);
    assert.equal(await hostileMastodon.count(), 1);
    assert.equal(await hostileCobalt.locator("th a").textContent(), PAYLOADS.img);
    assert.equal(await hostileMastodon.locator("th a").textContent(), PAYLOADS.script);
    // The front end's listed name and the version the instance sent, as text.
    assert.ok((await hostileCobalt.textContent())!.includes(PAYLOADS.attribute));
    assert.ok((await hostileCobalt.textContent())!.includes(PAYLOADS.script));
    // The down instance's reason (a payload here) in words under "offline".
    const downReason = table(page, "cobalt").locator("tbody tr", { hasText: "Down cobalt" }).locator("td .no + .sub");
    assert.equal(await downReason.textContent(), `The instance reported "${PAYLOADS.img}"`);
    assert.ok((await stir(page)) >= 5);
    // Sorting draws the rows from the index in the browser: the payloads stay text there too.
    await table(page, "cobalt").locator("thead th", { hasText: "Name" }).getByRole("button").click();
    await page.waitForURL(/sort-cobalt=name/);
    assert.equal(await hostileCobalt.locator("th a").textContent(), PAYLOADS.img);
    assert.ok((await stir(page)) >= 5);
    await assertOnlyOwnMarkup(page);

    // The hostile instances' own pages, where more of their text is shown.
    for (const name of [PAYLOADS.img, PAYLOADS.script]) {
      await page.getByRole("link", { name, exact: true }).click();
      await page.waitForLoadState("load");
      assert.ok(new URL(page.url()).pathname.startsWith(`${PREFIX}instances/`), page.url());
      assert.equal(await page.locator("h1").textContent(), name);
      // What the page's script fills in from the instance's JSON is text too: open every collapsed part first.
      for (const summary of await page.locator("details summary").all()) await summary.click();
      await eventually(async () => assert.equal(await page.locator("details[data-filled], details.raw-values dl.values[data-filled]").count(), await page.locator("details.extended-description, details.raw-values").count()));
      assert.ok((await stir(page)) > 0, `${name}: no payload on its page`);
      await assertOnlyOwnMarkup(page);
      await page.goBack();
    }
    assert.deepEqual(dialogs, []);
    assert.deepEqual(trouble, []);
  });

  it("sorts a table by the column header a reader clicks", async () => {
    const page = await open("");
    const cobalt = table(page, "cobalt");
    const score = cobalt.locator("thead th", { hasText: "Score" });
    const name = cobalt.locator("thead th", { hasText: "Name" });
    await shows(() => shownNames(page, "cobalt"), ["Working cobalt", "Protected cobalt", PAYLOADS.img, "Down cobalt"]);
    await shows(() => score.getAttribute("aria-sort"), null);

    // Numbers start with the highest; an instance with no score sorts below a score of 0.
    await score.getByRole("button").click();
    await shows(() => score.getAttribute("aria-sort"), "descending");
    await shows(() => shownNames(page, "cobalt"), ["Working cobalt", PAYLOADS.img, "Down cobalt", "Protected cobalt"]);
    const column = await score.evaluate((header) => header.cellIndex + 1);
    const scores = async () => (await cobalt.locator(`tbody tr > :nth-child(${column})`).allTextContents()).map((text) => text.trim());
    await shows(scores, ["75%", "0%", "0%", "–"]);

    await score.getByRole("button").click();
    await shows(() => score.getAttribute("aria-sort"), "ascending");
    await shows(scores, ["–", "0%", "0%", "75%"]);
    await shows(async () => (await shownNames(page, "cobalt"))[3], "Working cobalt");

    // Text starts from A, and only the column sorted by says so.
    await name.getByRole("button").click();
    await shows(() => name.getAttribute("aria-sort"), "ascending");
    await shows(() => score.getAttribute("aria-sort"), null);
    await shows(() => shownNames(page, "cobalt"), [PAYLOADS.img, "Down cobalt", "Protected cobalt", "Working cobalt"]);
    // The other table keeps its own order.
    await shows(() => shownNames(page, "mastodon"), namesOf("mastodon"));

    // The order is kept in the address, and the address brings it back.
    await shows(async () => query(page), { "sort-cobalt": "name" });
    await visit(page, "?sort-cobalt=-score");
    await shows(() => score.getAttribute("aria-sort"), "descending");
    await shows(() => shownNames(page, "cobalt"), ["Working cobalt", PAYLOADS.img, "Down cobalt", "Protected cobalt"]);
  });

  it("filters the rows, counts them per kind, sets the other kind aside, and keeps the filters in the URL", async () => {
    const page = await open("");
    const form = page.locator("form#filters");
    const setAside = (kind: string) => page.locator(`section#${kind} [data-count]`).textContent();
    assert.ok(await form.isVisible(), "the script shows the filter form");
    await shows(() => count(page), "");
    await shows(async () => query(page), {});

    await form.getByLabel("Online only").check();
    await shows(() => shownNames(page, "cobalt"), ["Working cobalt", "Protected cobalt", PAYLOADS.img]);
    await shows(() => shownNames(page, "mastodon"), namesOf("mastodon"));
    await shows(() => count(page), "cobalt instances: 3 of 4 · Mastodon servers: 2 of 2");
    await shows(async () => query(page), { online: "1" });

    // A cobalt filter narrows the cobalt table and sets Mastodon's aside, saying so.
    await form.getByLabel("Works for").selectOption("tiktok");
    await shows(() => shownNames(page, "cobalt"), ["Working cobalt"]);
    await shows(() => shownNames(page, "mastodon"), []);
    assert.match((await setAside("mastodon"))!, /^Set aside while filters for cobalt instances are on/);
    await shows(() => count(page), "cobalt instances: 1 of 4 · Mastodon servers: set aside");
    await shows(async () => query(page), { online: "1", service: "tiktok" });
    // The service's own ranking is one link away.
    assert.equal(await page.locator("section#cobalt [data-count] a").first().getAttribute("href"), `${PREFIX}services/tiktok/`);

    // Loading that address restores the same view.
    await visit(page, `?online=1&service=tiktok`);
    assert.ok(await form.getByLabel("Online only").isChecked());
    assert.equal(await form.getByLabel("Works for").inputValue(), "tiktok");
    await shows(() => shownNames(page, "cobalt"), ["Working cobalt"]);
    await shows(() => count(page), "cobalt instances: 1 of 4 · Mastodon servers: set aside");

    // The set-aside kind's button clears the filters that set it aside, and only those.
    await page.locator("section#mastodon").getByRole("button", { name: "Clear the filters for cobalt instances" }).click();
    await shows(() => form.getByLabel("Works for").inputValue(), "");
    assert.ok(await form.getByLabel("Online only").isChecked());
    await shows(() => shownNames(page, "mastodon"), namesOf("mastodon"));
    await form.getByLabel("Online only").uncheck();
    await shows(() => count(page), "");
    await shows(async () => new URL(page.url()).search, "");

    // A minimum score keeps instances at or above it; one with no score has none.
    await form.getByLabel("Minimum score").fill("50");
    await shows(() => shownNames(page, "cobalt"), ["Working cobalt"]);
    await form.getByLabel("Minimum score").fill("0");
    await shows(() => shownNames(page, "cobalt"), ["Working cobalt", PAYLOADS.img, "Down cobalt"]);
    await shows(async () => query(page), { score: "0" });
    await form.getByLabel("No protection").check();
    await form.getByLabel("Trust").selectOption("not_safe");
    await shows(() => shownNames(page, "cobalt"), [PAYLOADS.img]);
    await shows(() => count(page), "cobalt instances: 1 of 4 · Mastodon servers: set aside");

    // Mastodon's filters narrow only the Mastodon table and set cobalt's aside.
    await visit(page, "");
    await form.getByLabel("Open sign-ups").check();
    await shows(() => shownNames(page, "mastodon"), ["Mastodon"]);
    await shows(() => shownNames(page, "cobalt"), []);
    assert.match((await setAside("cobalt"))!, /^Set aside while filters for Mastodon servers are on/);
    await shows(() => count(page), "cobalt instances: set aside · Mastodon servers: 1 of 2");
    await form.getByLabel("Open sign-ups").uncheck();
    await shows(async () => (await shownNames(page, "cobalt")).length, 4);
    assert.deepEqual(await form.getByLabel("Language").locator("option").allTextContents(), ["any", "de", "en"]);
    await form.getByLabel("Language").selectOption("en");
    await shows(() => shownNames(page, "mastodon"), [PAYLOADS.script]);
    await shows(async () => query(page), { language: "en" });

    await visit(page, `?signups=1&language=de&q=mastodon`);
    assert.ok(await form.getByLabel("Open sign-ups").isChecked());
    assert.equal(await form.getByLabel("Language").inputValue(), "de");
    assert.equal(await form.getByLabel("Search").inputValue(), "mastodon");
    await shows(() => shownNames(page, "mastodon"), ["Mastodon"]);
    await shows(() => shownNames(page, "cobalt"), []);
    await shows(() => count(page), "cobalt instances: set aside · Mastodon servers: 1 of 2");

    // Nothing matches: the section says so and offers to clear every filter.
    await visit(page, `?q=no-such-instance`);
    await shows(async () => [await shownNames(page, "cobalt"), await shownNames(page, "mastodon")], [[], []]);
    await page.locator("section#cobalt").getByRole("button", { name: "clear filters" }).click();
    await shows(() => form.getByLabel("Search").inputValue(), "");
    await shows(async () => (await shownNames(page, "cobalt")).length, 4);
    await shows(async () => new URL(page.url()).search, "");
  });

  it("shows every instance without JavaScript, and no filter form that could not work", async () => {
    const page = await open("", { javaScriptEnabled: false });
    assert.equal(await page.locator("thead button").count(), 0, "the script did not run");
    for (const kind of ["cobalt", "mastodon"]) {
      assert.equal(await table(page, kind).locator("tbody tr").count(), namesOf(kind).length, kind);
      assert.deepEqual(await shownNames(page, kind), namesOf(kind));
    }
    assert.ok(await page.locator("form#filters").isHidden());
    await assertOnlyOwnMarkup(page);
  });

  it("reaches every control and every instance link with Tab, in at most two stops per row", async () => {
    const page = await open("");
    const { rows, presses, missed } = await tabThrough(page);
    assert.deepEqual(missed, [], "instance links Tab never reached");
    assert.ok(presses <= rows * 2 + (await stopsOutsideRows(page)) + 2, `${presses} Tab stops for ${rows} rows`);
  });

  it("links each instance to its page, and every internal link answers", async () => {
    const page = await open("");
    const [response] = await Promise.all([
      page.waitForResponse((answer) => answer.request().isNavigationRequest()),
      page.getByRole("link", { name: "Working cobalt", exact: true }).click(),
    ]);
    assert.equal(response.status(), 200);
    assert.match(new URL(page.url()).pathname, new RegExp(`^${PREFIX}instances/cobalt/[^/]+/$`));
    assert.equal(await page.locator("h1").textContent(), "Working cobalt");
    assert.ok(await page.getByRole("heading", { name: "Services" }).isVisible());
    assert.ok(await page.getByRole("heading", { name: "Reliability" }).isVisible());
    const services = page.locator("table.services tbody tr");
    assert.equal(await services.count(), 4);
    assert.match((await services.filter({ hasText: "tiktok" }).textContent())!, /✓ works/);
    assert.match((await page.locator("table.services").textContent())!, /YouTube refused this instance's IP/);
    await assertOnlyOwnMarkup(page);
    await saveScreenshot(page, "instance-page.png");

    const checked = new Set<string>();
    for (const path of ["", "api/", "api/keys/"]) {
      await visit(page, path);
      const links = await internalLinks(page);
      assert.ok(links.length > 3, `${path}: ${links.join(", ")}`);
      for (const link of links) {
        assert.ok(underPrefix(link), `${path}: ${link} leaves the path prefix`);
        if (checked.has(link)) continue;
        checked.add(link);
        assert.equal((await page.request.get(link)).status(), 200, `${path || "home"}: ${link}`);
      }
    }
    // Every instance's page is among them.
    assert.equal([...checked].filter((link) => /\/instances\/[^/]+\/[^/]+\/$/.test(link)).length, entries.length);
  });

  it("draws an instance page's charts and fills its collapsed parts in the browser, and says the same without JavaScript", async () => {
    const server = entries.find((entry) => entry.kind === "mastodon" && entry.name === "Mastodon") as Instance & { url: string; extended_description: string; activity: Array<{ week: string; statuses: number }> };
    const slug = instanceSlug(server.url);
    const path = `instances/mastodon/${slug}/`;
    const page = await open(path);
    assert.equal(await page.locator("h1").textContent(), "Mastodon", `${path} is the server's page`);
    // Posts per week: a bar per row of the page's own table, titled with its figures.
    const bars = page.locator("figure.activity svg rect");
    await eventually(async () => assert.equal(await bars.count(), server.activity.length));
    assert.equal(await page.locator("table.activity tbody tr").count(), server.activity.length);
    assert.equal(await bars.first().locator("title").textContent(), `Week of ${server.activity[0]!.week}: ${server.activity[0]!.statuses.toLocaleString("en")} posts`);
    // The long description is read from the instance's JSON when opened, a paragraph per blank line.
    await page.locator("details.extended-description summary").click();
    const paragraphs = page.locator("details.extended-description p");
    await eventually(async () => assert.equal(await paragraphs.count(), server.extended_description.split("\n\n").length));
    assert.equal((await paragraphs.first().textContent())!, server.extended_description.split("\n\n")[0]!.replaceAll("\n", ""));
    // The badge's Markdown for a README, from the badge's link and the page's public address.
    await page.locator("details.badges summary").click();
    const site = "https://lists.example/test-list/";
    assert.equal(await page.locator("details.badges code").textContent(),
      `[![uptime of Mastodon](https://img.shields.io/endpoint?url=${encodeURIComponent(`${site}badges/mastodon/${slug}/uptime.json`)})](${site}instances/mastodon/${slug}/)`);
    // Every probed value, listed from the same JSON.
    await page.locator("details.raw-values summary").click();
    await eventually(async () => assert.equal(await page.locator("details.raw-values dt").count(), Object.keys(server).length));
    await assertOnlyOwnMarkup(page);

    // When the JSON cannot be read, the section keeps its links and says so once, however often it is opened.
    const failing = await open(path);
    // (Answered 200, so that the context's own check of every answer's status stays as it is.)
    await failing.route("**/*.json", (route) => route.fulfill({ status: 200, contentType: "application/json", body: "not JSON" }));
    const description = failing.locator("details.extended-description");
    for (let i = 0; i < 2; i++) {
      await description.locator("summary").click(); // open, and fetch
      await eventually(async () => assert.equal(await description.locator(".load-error").count(), 1));
      await description.locator("summary").click(); // close
    }
    assert.match((await description.locator(".load-error").textContent())!, /^ \(It could not be loaded here: .+\.\)$/);
    assert.equal(await description.locator("a").first().getAttribute("href"), new URL("/about", server.url).href);

    // Without JavaScript: the figures in the table, the description's source and the files linked, nothing that needs a script.
    const plain = await open(path, { javaScriptEnabled: false });
    assert.equal(await plain.locator("figure.activity svg").count(), 0);
    assert.match((await plain.locator("figure.activity figcaption").textContent())!, /^Posts per week from \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d; the busiest week had [\d,]+\.$/);
    await plain.locator("details.extended-description summary").click();
    assert.equal(await plain.locator("details.extended-description a").first().getAttribute("href"), new URL("/about", server.url).href);
    assert.equal(await plain.locator("details.raw-values, details.badges").count(), 0);
    assert.equal(await plain.locator("p.badges a[data-badge]").getAttribute("href"), `${PREFIX}badges/mastodon/${slug}/uptime.json`);
    assert.equal(await plain.locator("a.json-link").getAttribute("href"), `${PREFIX}instances/mastodon/${slug}.json`);
  });

  it("shows the 404 page, styled and with working links, at an unknown address", async () => {
    const page = await (await newContext()).newPage();
    const response = await page.goto(url("no/such/page/"));
    assert.equal(response?.status(), 404);
    assert.equal(await page.locator("h1").textContent(), "Not found");
    assert.equal(await page.title(), "Not found · Test list");
    // The stylesheet applied (its status is checked with every other resource).
    assert.notEqual(await page.locator("a.skip").evaluate((element) => element.ownerDocument.defaultView.getComputedStyle(element).position), "static");
    // Its links lead into the site from any depth.
    const links = await internalLinks(page);
    assert.ok(links.length > 3, links.join(", "));
    for (const link of links) {
      assert.ok(underPrefix(link), `${link} leaves the path prefix`);
      assert.equal((await page.request.get(link)).status(), 200, link);
    }
    await Promise.all([page.waitForURL(url("")), page.getByRole("link", { name: "See every instance" }).click()]);
    assert.equal(await table(page, "cobalt").locator("tbody tr").count(), namesOf("cobalt").length);
  });

  for (const colorScheme of ["light", "dark"] as const) {
    it(`reads on a phone in the ${colorScheme} scheme: nothing but the tables scrolls sideways, and all text has 4.5:1 contrast`, async () => {
      const context = await newContext({ viewport: { width: 390, height: 844 }, colorScheme, isMobile: true, hasTouch: true });
      const page = await context.newPage();
      await visit(page, "");
      const instancePages = (await internalLinks(page)).filter((link) => /\/instances\/[^/]+\/[^/]+\/$/.test(link));
      for (const address of [url(""), url("api/"), url("api/keys/"), ...instancePages]) {
        assert.equal((await page.goto(address))?.status(), 200, address);
        const { overflow, background } = await page.evaluate(`({
          overflow: document.documentElement.scrollWidth - window.innerWidth,
          background: getComputedStyle(document.body).backgroundColor,
        })`) as { overflow: number; background: string };
        assert.ok(overflow <= 0, `${address}: the page is ${overflow}px wider than the phone`);
        const [r, g, b] = background.match(/\d+/g)!.map(Number);
        assert.equal(r! + g! + b! < 150, colorScheme === "dark", `${address}: background ${background} in the ${colorScheme} scheme`);
        assert.deepEqual(await lowContrastText(page), [], `${address} in the ${colorScheme} scheme`);
      }
      await page.goto(url(""));
      await saveScreenshot(page, `phone-${colorScheme}.png`);
    });
  }

  /** Focusable things outside the table rows: the site's links, the filters, the sort buttons, the pagers. */
  const stopsOutsideRows = (page: Page): Promise<number> => page.evaluate(`[...document.querySelectorAll("a[href], button, input, select, summary, [tabindex]:not([tabindex='-1'])")]
    .filter((element) => !element.closest("tbody") && element.checkVisibility()).length`) as Promise<number>;
  /** Presses Tab from the top of the page until focus leaves the last table; says which instance links it never reached. */
  async function tabThrough(page: Page): Promise<{ rows: number; presses: number; missed: string[] }> {
    const links = await page.locator("table.instances tbody th a").filter({ visible: true }).evaluateAll((elements) => elements.map((element) => element.getAttribute("href")!));
    const reached = new Set<string>();
    let presses = 0;
    const last = links[links.length - 1];
    while (!reached.has(last!)) {
      assert.ok(++presses < 4 * links.length + 200, "Tab went on without reaching the last instance link");
      await page.keyboard.press("Tab");
      const href = await page.evaluate(`document.activeElement?.closest("tbody") ? document.activeElement.getAttribute("href") : null`) as string | null;
      if (href) reached.add(href);
    }
    return { rows: links.length, presses, missed: links.filter((link) => !reached.has(link)) };
  }

  /** Visible text whose colour has less than 4.5:1 contrast (WCAG AA) against what is behind it. */
  const lowContrastText = (page: Page): Promise<string[]> => page.evaluate(LOW_CONTRAST_TEXT) as Promise<string[]>;
});
