// What helps a reader pick a working instance. /go/<service>/: the chooser module the page's
// script and the build share (who may receive readers, how often, with the pasted link), then
// the real site built from a fleet in which each way of being ineligible has one instance,
// opened in Chromium with and without JavaScript. "Listed since", from the history's first
// sighting, two entries that are one server, and the CDN in front of one, on the same built site.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { chromium, type Browser } from "playwright-core";
import { choose, destination, goCandidates, isEligible, pastedLink, UNKNOWN_SHARE, weightOf } from "../site/assets/go-choice.js";
import { cobaltEntry } from "./support/output-entries.ts";
import { buildSite } from "./support/site-data.ts";
import { serveStatic } from "./support/static-site.ts";
import { temporaryDirectory, writeJson, type Loopback } from "./support/loopback.ts";
import type { CobaltInstance } from "../scripts/schema-types.ts";
import { repeatedKeys, sameBackends } from "../scripts/lib/duplicates.ts";
import { serviceSeries } from "../scripts/lib/history/fleet.ts";

const CHROMIUM = "/usr/bin/chromium";
const PREFIX = "/test-list/";

/** A cobalt entry whose web app passed the front-end check, with a 7-day YouTube share. */
function withFrontEnd(host: string, pass7d: number | null, overrides: Record<string, unknown> = {}, firstSeen = "2026-10-01T00:17:00Z") {
  return cobaltEntry(`api.${host}`, {
    name: host,
    frontEnd: host,
    frontend_url: `https://${host}/`,
    frontend_online: true,
    history: history(pass7d, firstSeen),
    ...overrides,
  });
}

function history(pass7d: number | null, firstSeen: string) {
  return {
    status: "up", consecutive_failures: 0, uptime: { "24h": 100, "7d": 100, "30d": 100, "90d": 100 }, checks: { "24h": 24, "7d": 168, "30d": 720, "90d": 2160 },
    median_response_ms: 120, first_seen: firstSeen, last_seen_online: "2026-11-25T06:17:00Z",
    services: { youtube: { pass_24h: 100, pass_7d: pass7d, last_pass: "2026-11-25T06:17:00Z", status: "working" } },
  };
}

const TWIN_ADDRESSES = { ipv4_addresses: ["93.184.215.14"], ipv6_addresses: ["2606:2800:21f:cb07:6820:80da:af6b:8b2c"] };
const EDGE_ADDRESSES = { ipv4_addresses: ["104.16.2.2", "104.16.3.3"], ipv6_addresses: [] };

/** One instance per reason not to send anyone there, and three that may receive readers. */
const FLEET = [
  withFrontEnd("steady.example", 90, { cdn: "cloudflare", ipv4_addresses: ["104.16.1.1"], ipv6_addresses: ["2606:4700::6810:101"], answers_ipv6: true }),
  withFrontEnd("shaky.example", 30, { ipv4_addresses: ["203.0.114.9"], ipv6_addresses: ["2a01:4f8::9"], answers_ipv6: false }, "2026-11-22T05:17:00Z"),
  withFrontEnd("new.example", null, { ipv4_addresses: ["203.0.114.10"], ipv6_addresses: [], answers_ipv6: null }, "2026-11-25T00:17:00Z"),
  withFrontEnd("unsafe.example", 100, { trust: "not_safe" }),
  withFrontEnd("offline.example", 100, { api_online: false, offline_reason: "timeout", stale: true }),
  withFrontEnd("stale.example", 100, { stale: true }),
  withFrontEnd("failing.example", 100, { services: { youtube: false }, service_results: { youtube: { result: "fail", status: "error", error: "error.api.fetch.fail" } }, score: 0 }),
  withFrontEnd("not-cobalt.example", 100, { frontend_online: false }),
  cobaltEntry("api.no-front-end.example"),
  // One server under two names: the same process start and commit.
  cobaltEntry("api.mirror-a.example", { name: "Mirror A", startTime: 1790000000000, commit: "f00dbabe" }),
  cobaltEntry("api.mirror-b.example", { name: "Mirror B", startTime: 1790000000000, commit: "f00dbabe" }),
  // The same start, another commit; the same commit, an unknown start: two servers each.
  cobaltEntry("api.other-commit.example", { startTime: 1790000000000, commit: "0ddba11" }),
  cobaltEntry("api.unknown-start-a.example", { startTime: 0, commit: "f00dbabe" }),
  cobaltEntry("api.unknown-start-b.example", { startTime: 0, commit: "f00dbabe" }),
  // One machine under two names: the same public addresses, no CDN in front, each its own start time.
  cobaltEntry("api.twin-a.example", { name: "Twin A", cdn: null, ...TWIN_ADDRESSES }),
  cobaltEntry("api.twin-b.example", { name: "Twin B", cdn: null, ...TWIN_ADDRESSES }),
  // Behind one CDN, whose addresses answer for unrelated sites: not one server.
  cobaltEntry("api.edge-a.example", { cdn: "cloudflare", ...EDGE_ADDRESSES }),
  cobaltEntry("api.edge-b.example", { cdn: "cloudflare", ...EDGE_ADDRESSES }),
  // The same private address, which the list does not allow: says nothing.
  cobaltEntry("api.private-a.example", { cdn: null, ipv4_addresses: ["10.0.0.5"], ipv6_addresses: [] }),
  cobaltEntry("api.private-b.example", { cdn: null, ipv4_addresses: ["10.0.0.5"], ipv6_addresses: [] }),
  // A subset of the twins' addresses is another set.
  cobaltEntry("api.twin-v4.example", { cdn: null, ipv4_addresses: TWIN_ADDRESSES.ipv4_addresses, ipv6_addresses: [] }),
] as CobaltInstance[];
const MIRRORS = ["Mirror A", "Mirror B"];
const TWINS = ["Twin A", "Twin B"];
const ELIGIBLE = ["steady.example", "shaky.example", "new.example"];

/** A small seeded generator (mulberry32), so that the draws are the same at every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("the /go/ chooser", () => {
  it("sends readers only to fresh, passing, not unsafe instances with a checked cobalt web app", () => {
    assert.deepEqual(FLEET.filter((entry) => isEligible(entry, "youtube")).map((entry) => entry.name), ELIGIBLE);
    assert.deepEqual(FLEET.filter((entry) => isEligible(entry, "tiktok")), [], "a service it was not tested on is not passed");
  });

  it("weighs each by its 7-day pass share, an unknown one as an even chance, and none at zero", () => {
    assert.deepEqual(goCandidates(FLEET, "youtube").map(({ name, weight }) => [name, weight]), [["steady.example", 90], ["shaky.example", 30], ["new.example", UNKNOWN_SHARE]]);
    assert.equal(weightOf(0), 1, "it passed just now, so it keeps a chance");
  });

  it("picks each in proportion to its weight over many seeded draws", () => {
    const candidates = goCandidates(FLEET, "youtube");
    const total = candidates.reduce((sum, candidate) => sum + candidate.weight, 0);
    const random = seeded(21);
    const draws = 60_000;
    const counts = new Map<string, number>();
    for (let n = 0; n < draws; n++) {
      const name = choose(candidates, random)!.name;
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    for (const candidate of candidates) {
      const expected = candidate.weight / total;
      const seen = counts.get(candidate.name)! / draws;
      // Five standard deviations of a binomial share: a wrong weighting is far outside.
      assert.ok(Math.abs(seen - expected) < 5 * Math.sqrt((expected * (1 - expected)) / draws), `${candidate.name}: ${seen} drawn, ${expected} expected`);
    }
    assert.equal(choose([], random), null);
    assert.equal(choose(candidates, () => 0.999999999)!.name, "new.example", "the top of the range is the last one");
  });

  it("carries the pasted link into the web app's #<url> form", () => {
    const video = "https://www.youtube.com/watch?v=jNQXAC9IVRw&t=1";
    assert.equal(destination("https://steady.example/", `#${video}`), `https://steady.example/#${video}`);
    assert.equal(destination("https://steady.example/app", encodeURIComponent(video)), `https://steady.example/app#${video}`, "a link encoded as a whole is decoded once");
    assert.equal(destination("https://steady.example/", "#https://x.example/a%26b"), "https://steady.example/#https://x.example/a%26b", "a plain link keeps its own escapes");
    assert.equal(destination("https://steady.example/", ""), "https://steady.example/");
  });

  it("drops anything pasted that is not an http(s) link", () => {
    for (const text of ["#javascript:alert(1)", "#data:text/html,<script>", "#steady", "#https%3A%ZZ"]) assert.equal(pastedLink(text), null, text);
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (text) => {
      const link = pastedLink(text);
      return link === null || /^https?:\/\//.test(link);
    }));
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (text) => destination("https://steady.example/", text).startsWith("https://steady.example/")));
  });
});

describe("entries that are one server", () => {
  it("are found by the same start time and commit, and only then", () => {
    assert.deepEqual(sameBackends(FLEET).map((group) => [group.reasons, group.entries.map((entry) => entry.name)]), [[["start_and_commit"], MIRRORS], [["same_addresses"], TWINS]]);
  });

  it("are found by the same public addresses, never behind a CDN nor by a private address the list does not allow", () => {
    const [, twins] = sameBackends(FLEET);
    assert.deepEqual(twins!.addresses, [...TWIN_ADDRESSES.ipv4_addresses, ...TWIN_ADDRESSES.ipv6_addresses]);
    const privateOnes = FLEET.filter((entry) => entry.api.startsWith("api.private-"));
    assert.deepEqual(sameBackends(privateOnes).length, 0);
    assert.deepEqual(sameBackends(privateOnes, ["10.0.0.0/8"]).map((group) => group.entries.length), [2], "a list that allows the range counts it");
    // Linked by either: one group, both reasons.
    const [a, b, c] = ["a", "b", "c"].map((name) => cobaltEntry(`api.${name}.example`, { cdn: null, ipv4_addresses: [], ipv6_addresses: [] }) as CobaltInstance);
    Object.assign(a!, { startTime: 1790000000001, commit: "f00dbabe" });
    Object.assign(b!, { startTime: 1790000000001, commit: "f00dbabe", ...TWIN_ADDRESSES });
    Object.assign(c!, TWIN_ADDRESSES);
    assert.deepEqual(sameBackends([a!, b!, c!]).map((group) => [group.reasons, group.entries.map((entry) => (entry as CobaltInstance).api)]), [[["start_and_commit", "same_addresses"], [a!.api, b!.api, c!.api]]]);
  });

  it("count once in a service's health over time", () => {
    const repeated = repeatedKeys(sameBackends(FLEET));
    assert.deepEqual([...repeated], ["cobalt api.mirror-b.example", "cobalt api.twin-b.example"], "the first listed counts, the other repeats it");
    const samples = new Map(FLEET.map((entry) => [`cobalt ${entry.api}`, { online: true, ms: 100, services: { youtube: entry.services.youtube === true } }]));
    const run = { at: "2026-11-25T06:17:00Z", samples };
    const point = (skip?: Set<string>) => serviceSeries([run], "cobalt", skip).get("youtube")![0]!;
    assert.deepEqual([point().tested, point(repeated).tested], [FLEET.length, FLEET.length - 2]);
    assert.equal(point().passed - point(repeated).passed, 2);
  });
});

describe("/go/<service>/ and \"listed since\" on the built site", () => {
  const folder = temporaryDirectory();
  const output = join(folder.dir, "site");
  const goPage = () => readFileSync(join(output, "go/youtube/index.html"), "utf8");
  let server: Loopback;

  before(async () => {
    const listFile = join(folder.dir, "list.json");
    const instancesFile = join(folder.dir, "instances.json");
    writeJson(listFile, {
      title: "Test list",
      site: "https://lists.example/test-list/",
      services: { youtube: "https://www.youtube.com/watch?v=jNQXAC9IVRw" },
      instances: FLEET.map((entry) => ({ kind: "cobalt", api: `https://${entry.api}`, ...(entry.frontend_url ? { frontEnd: entry.frontend_url } : {}) })),
    });
    writeJson(instancesFile, FLEET);
    const build = await buildSite({ listFile, instancesFile, output });
    assert.equal(build.code, 0, build.stderr);
    server = await serveStatic(output, PREFIX);
  });
  after(async () => {
    await server?.close();
    folder.remove();
  });

  it("lists exactly the eligible web apps as links, and is linked from the service page", () => {
    const links = [...goPage().matchAll(/<a href="([^"]+)" data-url/g)].map((match) => match[1]);
    assert.deepEqual(links.sort(), ELIGIBLE.map((host) => `https://${host}/`).sort());
    assert.match(readFileSync(join(output, "services/youtube/index.html"), "utf8"), new RegExp(`href="${PREFIX}go/youtube/"`));
  });

  it("says on each instance page since when the list has watched it, from the history rather than the instance's start time", () => {
    const page = (host: string) => readFileSync(join(output, `instances/cobalt/api.${host}/index.html`), "utf8");
    assert.match(page("steady.example"), /Listed since <time>2026-10-01<\/time>: monitored for 55 days\./);
    assert.match(page("shaky.example"), /monitored for 3 days\./);
    assert.match(page("new.example"), /monitored for under a day\./);
    assert.doesNotMatch(page("no-front-end.example"), /Listed since/, "no history, no claim");
  });

  it("marks both pages of one server, and counts it once on the service page and in its JSON", () => {
    const page = (host: string) => readFileSync(join(output, `instances/cobalt/api.${host}/index.html`), "utf8");
    assert.match(page("mirror-a.example"), new RegExp(`The same server as</strong> <a href="${PREFIX}instances/cobalt/api.mirror-b.example/">Mirror B</a>`));
    assert.match(page("mirror-b.example"), new RegExp(`The same server as</strong> <a href="${PREFIX}instances/cobalt/api.mirror-a.example/">Mirror A</a>`));
    assert.match(page("mirror-a.example"), /: they answer with the same start time and commit, so they are one backend/);
    assert.match(page("twin-b.example"), new RegExp(`The same server as</strong> <a href="${PREFIX}instances/cobalt/api.twin-a.example/">Twin A</a>: their host names resolve to the same addresses \\(<code>93\\.184\\.215\\.14</code>, <code>2606:2800:21f:cb07:6820:80da:af6b:8b2c</code>\\) with no CDN in front of either, so`));
    assert.doesNotMatch(page("twin-a.example"), /start time and commit/);
    for (const host of ["other-commit.example", "unknown-start-a.example", "steady.example", "edge-a.example", "private-a.example", "twin-v4.example"]) assert.doesNotMatch(page(host), /The same server as/, host);
    const tested = FLEET.filter((entry) => ["pass", "fail"].includes(entry.service_results.youtube?.result ?? "")).length;
    const working = FLEET.filter((entry) => entry.api_online && !entry.stale && entry.services.youtube).length;
    const json = JSON.parse(readFileSync(join(output, "services/youtube.json"), "utf8"));
    assert.equal(json.tested, tested - 2);
    assert.equal(json.instances.length, working, "both are still listed where it works");
    assert.match(readFileSync(join(output, "services/youtube/index.html"), "utf8"), new RegExp(`<p>${working - 2} of ${tested - 2} tested instances \\(a server listed under more than one name counts once\\)`));
  });

  describe("in a browser", { skip: existsSync(CHROMIUM) ? false : `no browser at ${CHROMIUM}` }, () => {
    let browser: Browser;
    before(async () => {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
    });
    after(async () => {
      await browser?.close();
    });

    it("opens one eligible web app with the pasted link filled in", async () => {
      const context = await browser.newContext();
      // The web apps are not on loopback: answer for them, and note where the browser went.
      const reached: string[] = [];
      await context.route(/^https:\/\/[a-z-]+\.example\//, async (route) => {
        reached.push(route.request().url());
        await route.fulfill({ status: 200, contentType: "text/html", body: "<!doctype html><title>cobalt</title>" });
      });
      const page = await context.newPage();
      const video = "https://www.youtube.com/watch?v=jNQXAC9IVRw";
      await page.goto(`${server.url}${PREFIX}go/youtube/#${video}`);
      await page.waitForURL(/\.example\//);
      const landed = new URL(page.url());
      assert.ok(ELIGIBLE.includes(landed.host), landed.host);
      assert.equal(landed.hash, `#${video}`);
      assert.deepEqual(reached.map((address) => new URL(address).host), [landed.host], "one request, to the chosen one only");
      await context.close();
    });

    it("is offered by the home page's \"Works for\" filter", async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${server.url}${PREFIX}?service=youtube`);
      const link = page.getByRole("link", { name: "open one that works" });
      assert.equal(await link.getAttribute("href"), `${PREFIX}go/youtube/`);
      await context.close();
    });

    it("sorts the list by how long each instance has been listed", async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${server.url}${PREFIX}`);
      const listed = page.locator("section#cobalt thead th", { hasText: "Listed since" });
      await listed.getByRole("button").click();
      // The sort is drawn once the kind's index has been fetched.
      await page.locator('section#cobalt thead th[aria-sort="descending"]', { hasText: "Listed since" }).waitFor();
      const column = await listed.evaluate((header) => (header as { cellIndex: number }).cellIndex + 1);
      const cells = (await page.locator(`section#cobalt tbody tr > :nth-child(${column})`).allTextContents()).map((text) => text.trim());
      const withHistory = FLEET.filter((entry) => entry.history).length;
      assert.deepEqual(cells.slice(withHistory - 2), ["2026-11-223 days", "2026-11-25under a day", ...Array(FLEET.length - withHistory).fill("–")], "the longest listed first, none without history last");
      assert.ok(cells.slice(0, withHistory - 2).every((text) => text === "2026-10-0155 days"), cells.join(" | "));
      await context.close();
    });

    it("filters out the instances behind a CDN, and says which CDN on the instance's page", async () => {
      assert.match(readFileSync(join(output, "instances/cobalt/api.steady.example/index.html"), "utf8"), /Behind a CDN: <strong>Cloudflare<\/strong>/);
      assert.doesNotMatch(readFileSync(join(output, "instances/cobalt/api.shaky.example/index.html"), "utf8"), /Behind a CDN/);
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${server.url}${PREFIX}?nocdn=1`);
      await page.locator("section#cobalt [data-count]", { hasText: "match" }).waitFor();
      const names = await page.locator("section#cobalt tbody th a").allTextContents();
      const expected = FLEET.filter((entry) => entry.api_online && !entry.cdn).map((entry) => entry.name);
      assert.deepEqual(names.sort(), expected.sort());
      await context.close();
    });

    it("filters the instances that answer over IPv6, and says on each page where its host resolved and whether IPv6 worked", async () => {
      const page = (host: string) => readFileSync(join(output, `instances/cobalt/api.${host}/index.html`), "utf8");
      assert.match(page("steady.example"), /resolved to <code>104\.16\.1\.1<\/code> and <code>2606:4700::6810:101<\/code>\. <strong>Answers over IPv6<\/strong>/);
      assert.match(page("shaky.example"), /<strong>Not over IPv6<\/strong>: it has an IPv6 address, but the connection to it failed/);
      assert.match(page("new.example"), /<strong>No IPv6<\/strong>: it has no IPv6 address/);
      assert.doesNotMatch(page("no-front-end.example"), /resolved to/, "nothing known, nothing said");
      const context = await browser.newContext();
      const tab = await context.newPage();
      await tab.goto(`${server.url}${PREFIX}?ipv6=1`);
      await tab.locator("section#cobalt [data-count]", { hasText: "match" }).waitFor();
      const names = await tab.locator("section#cobalt tbody th a").allTextContents();
      assert.deepEqual(names, FLEET.filter((entry) => entry.api_online && entry.answers_ipv6 === true).map((entry) => entry.name));
      assert.deepEqual(names, ["steady.example"]);
      await context.close();
    });

    it("shows the eligible web apps as links without JavaScript", async () => {
      const context = await browser.newContext({ javaScriptEnabled: false });
      const page = await context.newPage();
      const response = await page.goto(`${server.url}${PREFIX}go/youtube/`);
      assert.equal(response?.status(), 200);
      const links = await page.locator("#go-choices a").evaluateAll((anchors) => anchors.map((anchor) => [anchor.textContent, anchor.getAttribute("href")]));
      assert.deepEqual(links.sort(), ELIGIBLE.map((host) => [host, `https://${host}/`]).sort());
      assert.equal(new URL(page.url()).pathname, `${PREFIX}go/youtube/`, "nothing moved the reader");
      await context.close();
    });
  });
});
