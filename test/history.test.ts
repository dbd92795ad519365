// History: a sequence of synthetic hourly runs, made from a real probe output, recorded
// through the same steps the probe CLI takes (prepare → validate → commit), then read back
// as uptime, hysteresis status, feed entries and badges.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { startFakeCobalt, type FakeCobalt } from "./support/cobalt-server.ts";
import { temporaryDirectory, writeJson } from "./support/loopback.ts";
import { ROOT, runScript } from "./support/cli.ts";
import nunjucks from "nunjucks";
import type { CobaltInstance } from "../scripts/schema-types.ts";
import { assertValidOutput, type Instance } from "../scripts/lib/run.ts";
import { prepareHistory } from "../scripts/lib/history/index.ts";
import { eachDayNewestFirst, eachRun, readEvents, pruneRaw, appendRun, RAW_DAYS } from "../scripts/lib/history/store.ts";
import { roundMs, type Sample } from "../scripts/lib/history/samples.ts";
import fc from "fast-check";
import { mkdirSync, writeFileSync } from "node:fs";
import { readSiteHistory } from "../scripts/lib/history/site-history.ts";
import { FAILURES_TO_DOWN, HistoryDeriver, WINDOWS } from "../scripts/lib/history/derive.ts";
import { atomFeed, eventId } from "../scripts/lib/history/feed.ts";
import { scoreBadge, uptimeBadge } from "../scripts/lib/history/badges.ts";

const SERVICES = { youtube: "https://www.youtube.com/watch?v=vPwaXytZcgI", tiktok: "https://www.tiktok.com/@a/video/7195741644585454894" };
const HOUR = 3_600_000;
const T0 = Date.parse("2026-03-01T00:00:00Z");
const at = (hour: number) => new Date(T0 + hour * HOUR).toISOString().replace(".000Z", "Z");
/** Runs 10 to 14 did not happen (the schedule was skipped). */
const MISSED = new Set([10, 11, 12, 13, 14]);
const LAST = 29;

interface Plan {
  online: boolean;
  youtube?: boolean;
  version?: string;
}

/** What each synthetic instance does at each hour; undefined: not in the list then. */
const PLANS: Record<string, (hour: number) => Plan | undefined> = {
  // Always up; YouTube breaks from hour 20; a new version from hour 15.
  "a.test": (hour) => ({ online: true, youtube: hour < 20, version: hour < 15 ? "10.0.0" : "10.1.0" }),
  // Down at 5–7, back at 8, down at 9 and from 15 on (the missed runs between do not break the streak).
  "b.test": (hour) => ({ online: hour < 5 || hour === 8 }),
  // Flapping: every other check fails, never three in a row.
  "c.test": (hour) => ({ online: hour % 2 === 0 }),
  // Added to the list at hour 20.
  "d.test": (hour) => (hour >= 20 ? { online: true } : undefined),
  // Removed from the list at hour 25.
  "e.test": (hour) => (hour < 25 ? { online: true } : undefined),
};

function syntheticEntry(template: CobaltInstance, host: string, hour: number, plan: Plan): Instance {
  const url = `https://${host}`;
  const services = plan.online ? { youtube: plan.youtube ?? true, tiktok: true } : template.services;
  const serviceResults = Object.fromEntries(Object.entries(services).map(([name, passed]) => [name, { result: passed ? "pass" : "fail", status: null, error: passed ? null : "timeout" }]));
  return {
    ...template,
    api: host, api_url: url, frontEnd: "", frontend_url: null, name: host, protocol: "https",
    checked_at: at(hour), data_updated_at: plan.online ? at(hour) : template.data_updated_at,
    api_online: plan.online, offline_reason: plan.online ? null : "timeout", stale: !plan.online,
    response_ms: plan.online ? 200 + hour : null,
    version: plan.version ?? template.version,
    services,
    service_results: serviceResults,
    score: plan.online ? (services.youtube ? 100 : 50) : template.score,
  } as Instance;
}

describe("history of hourly runs", () => {
  let server: FakeCobalt;
  const folder = temporaryDirectory();
  const store = join(folder.dir, "history");
  let firstRun: CobaltInstance[];
  let final: Map<string, CobaltInstance>;
  const eventsByHour = new Map<number, string[]>();

  before(async () => {
    server = await startFakeCobalt({ cors: true, offered: ["youtube", "tiktok"], outcomes: { [SERVICES.youtube]: { status: "tunnel", bytes: 1000 }, [SERVICES.tiktok]: { status: "redirect" } } });
    writeJson(join(folder.dir, "list.json"), {
      title: "test list",
      probe: { timeoutMs: 30_000, allowPrivateAddresses: ["127.0.0.1/32"] },
      services: SERVICES,
      instances: [{ kind: "cobalt", api: server.url }],
    });
    const result = await runScript("scripts/probe.ts", ["--list", join(folder.dir, "list.json"), "--out", join(folder.dir, "instances.json")]);
    assert.equal(result.code, 0, result.stderr);
    firstRun = JSON.parse(readFileSync(join(folder.dir, "instances.json"), "utf8"));

    // The synthetic sequence, in a store of its own, through the steps probe.ts takes.
    const template = firstRun[0];
    const sequence = join(folder.dir, "sequence");
    let previous: Instance[] = [];
    for (let hour = 0; hour <= LAST; hour++) {
      if (MISSED.has(hour)) continue;
      const entries = Object.entries(PLANS).flatMap(([host, plan]) => {
        const today = plan(hour);
        return today ? [syntheticEntry(template, host, hour, today)] : [];
      });
      const update = prepareHistory(sequence, entries, previous);
      assertValidOutput(update.entries);
      update.commit();
      eventsByHour.set(hour, update.events.map((event) => `${event.type} ${event.key}${event.to && event.type === "version" ? ` ${event.to}` : ""}${event.type.startsWith("service") ? ` ${event.from}` : ""}`));
      previous = update.entries;
    }
    final = new Map((previous as CobaltInstance[]).map((entry) => [entry.api, entry]));
  });

  after(async () => {
    await server?.close();
    folder.remove();
  });

  it("the probe CLI records its run beside the output and publishes `history` in each entry", () => {
    const entry = firstRun[0];
    assert.equal(entry.history?.status, entry.api_online ? "up" : "unknown");
    assert.equal(entry.history?.checks["24h"], 1);
    assert.equal(entry.history?.first_seen, entry.checked_at);
    assert.equal(entry.history?.services.youtube?.pass_24h, 100);
    const files = readdirSync(join(store, "raw"));
    assert.equal(files.length, 1);
    const lines = readFileSync(join(store, "raw", files[0]), "utf8").trim().split("\n");
    assert.equal(lines.length, 2, "a key table line, then one line for the run");
    // The first run of a file has nothing to be predicted from: a level, "=" and both services passed, as absolute
    // trits; then the fleet's figures, one [tested, passed] per service of the table.
    assert.match(lines[1], /^\{"at":"[^"]+","up":"[A-Za-z0-9_~-]","t":"\+","m":".","f":\{"cobalt":\[\[1,1\],\[1,1\]\]\}\}$/);
  });

  it("computes uptime over the checks that were made: missed runs are not downtime", () => {
    const a = final.get("a.test")!.history!;
    assert.deepEqual(a.checks, { "24h": 19, "7d": 25, "30d": 25, "90d": 25 });
    assert.deepEqual(a.uptime, { "24h": 100, "7d": 100, "30d": 100, "90d": 100 });
    const b = final.get("b.test")!.history!;
    assert.equal(b.uptime["24h"], 5.26, "up at 1 of the 19 checks made in the last 24 hours");
    assert.equal(b.uptime["7d"], 24, "up at 6 of 25 checks");
    assert.equal(final.get("c.test")!.history!.uptime["24h"], 47.37);
  });

  it("marks an instance down only after three consecutive failures, and up after one success", () => {
    assert.deepEqual(eventsByHour.get(5), [], "one failure is not down");
    assert.ok(eventsByHour.get(7)!.includes("down cobalt b.test"), "the third failure is");
    assert.ok(eventsByHour.get(8)!.includes("up cobalt b.test"), "one success brings it back");
    assert.ok(eventsByHour.get(16)!.includes("down cobalt b.test"), "failures at 9, 15 and 16 are consecutive checks across the missed runs");
    assert.equal(final.get("b.test")!.history!.status, "down");
    assert.equal(final.get("b.test")!.history!.consecutive_failures, 16, "hour 9 and hours 15 to 29: the missed runs are not failures");
    assert.equal(final.get("b.test")!.api_online, false, "api_online stays the latest check");
  });

  it("does not let a flapping instance flap its status", () => {
    const c = final.get("c.test")!;
    assert.equal(c.api_online, false);
    assert.equal(c.history!.status, "up");
    assert.equal(c.history!.consecutive_failures, 1);
    for (const events of eventsByHour.values()) assert.ok(!events.some((event) => event.includes("c.test")));
  });

  it("keeps per-service pass shares, the last pass and a service status with the same hysteresis", () => {
    const youtube = final.get("a.test")!.history!.services.youtube!;
    assert.deepEqual(youtube, { pass_24h: 47.37, pass_7d: 60, last_pass: at(19), status: "failing" });
    assert.deepEqual(final.get("a.test")!.history!.services.tiktok, { pass_24h: 100, pass_7d: 100, last_pass: at(LAST), status: "working" });
    assert.deepEqual(eventsByHour.get(22), ["service_failing cobalt a.test youtube"]);
    assert.equal(final.get("a.test")!.services.youtube, false, "services stays the latest check");
  });

  it("records first and last sightings, the median response time and version changes", () => {
    const d = final.get("d.test")!.history!;
    assert.equal(d.first_seen, at(20));
    assert.equal(d.last_seen_online, at(LAST));
    assert.equal(final.get("b.test")!.history!.last_seen_online, at(8));
    assert.equal(final.get("a.test")!.history!.median_response_ms, roundMs(212), "median of 200+hour over the 25 checks, to a quarter octave");
    assert.deepEqual(eventsByHour.get(15), ["version cobalt a.test 10.1.0"]);
  });

  it("reports added and removed instances, and nothing on the first run", () => {
    assert.deepEqual(eventsByHour.get(0), []);
    assert.deepEqual(eventsByHour.get(20), ["added cobalt d.test"]);
    assert.deepEqual(eventsByHour.get(25), ["removed cobalt e.test"]);
  });

  it("gives a 90-day bar with gaps as unknown days and a response-time series", () => {
    const runs = eachRun(join(folder.dir, "sequence"), new Date(T0 - 90 * 24 * HOUR));
    const drawn = readSiteHistory(runs, { keys: ["cobalt a.test", "cobalt b.test"], now: new Date(at(LAST)), seriesDays: (LAST - 20) / 24 });
    const bar = drawn.cells("cobalt b.test");
    assert.equal(bar.length, 90);
    assert.deepEqual(bar.at(-2), { day: "2026-03-01", checks: 19, online: 6, uptime: 31.58 });
    assert.deepEqual(bar.at(-1), { day: "2026-03-02", checks: 6, online: 0, uptime: 0 });
    assert.equal(bar[0].uptime, null);
    assert.ok(drawn.cells("cobalt unknown.test").every((cell) => cell.checks === 0), "a key without checks has empty cells");
    const series = drawn.series("cobalt a.test");
    assert.deepEqual(series.map((point) => point.ms), Array.from({ length: 10 }, (_, hour) => roundMs(220 + hour)), "each to a quarter octave");
    assert.equal(series[0]!.at, at(20));
  });

  it("publishes one Atom entry per change with ids that stay the same from build to build", () => {
    const events = readEvents(join(folder.dir, "sequence"));
    const options = { title: "test <list>", siteUrl: "https://list.example/", feedUrl: "https://list.example/feed.xml" };
    const feed = atomFeed(events, options);
    assert.equal(atomFeed(readEvents(join(folder.dir, "sequence")), options), feed);
    assert.equal((feed.match(/<entry>/g) ?? []).length, events.length);
    assert.equal(new Set(events.map(eventId)).size, events.length);
    assert.match(feed, /<title>test &#60;list&#62;<\/title>/);
    assert.match(feed, /<title>b\.test is down<\/title>/);
    assert.match(feed, /<title>YouTube stopped working on a\.test<\/title>/);
    assert.match(feed, /<title>a\.test updated from 10\.0\.0 to 10\.1\.0<\/title>/);
    assert.equal(events[0].at, at(25), "newest first");
    assert.match(eventId(events[0]), /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("makes shields.io endpoint badges and the markdown that embeds them", async () => {
    // The site's own module, which the browser runs too.
    const { badgeMarkdown } = await import("../site/assets/badge-markdown.js" as string);
    assert.deepEqual(uptimeBadge(final.get("a.test")!.history), { schemaVersion: 1, label: "uptime 30d", message: "100%", color: "brightgreen" });
    assert.deepEqual(uptimeBadge(final.get("b.test")!.history), { schemaVersion: 1, label: "uptime 30d", message: "24% (down)", color: "red" });
    assert.deepEqual(uptimeBadge(final.get("c.test")!.history), { schemaVersion: 1, label: "uptime 30d", message: "48%", color: "red" });
    assert.deepEqual(scoreBadge(final.get("a.test")!.score), { schemaVersion: 1, label: "score", message: "50%", color: "orange" });
    assert.deepEqual(scoreBadge(null), { schemaVersion: 1, label: "score", message: "untested", color: "lightgrey" });
    assert.equal(
      badgeMarkdown("https://list.example/badges/cobalt/a.test/uptime.json", "https://list.example/cobalt/a.test/", "uptime"),
      "[![uptime](https://img.shields.io/endpoint?url=https%3A%2F%2Flist.example%2Fbadges%2Fcobalt%2Fa.test%2Fuptime.json)](https://list.example/cobalt/a.test/)",
    );
  });


  it("gives the site each instance's uptime bar, sparkline and badges, and renders /feed.xml", async () => {
    // Plain-JS site modules, loaded as the site build loads them.
    const siteHistory = await import("../site/_lib/history.js" as string);
    const feedPage = await import("../site/feed.11ty.js" as string);
    const pages = [...final.values()].map((entry) => ({ kind: "cobalt", slug: entry.api, entry, url: `/instances/cobalt/${entry.api}/` }));
    process.env.HISTORY_DIR = join(folder.dir, "sequence");
    let history;
    try {
      history = siteHistory.historyData({ pages, lastChecked: at(LAST), instancesFile: join(folder.dir, "instances.json") });
    } finally {
      delete process.env.HISTORY_DIR;
    }
    const b = history.byUrl["/instances/cobalt/b.test/"];
    const cells = b.bar.cells.split(" ");
    assert.equal(cells.length, 90, "one cell a day");
    assert.equal(b.bar.first, "2025-12-03", "ending on the day of the latest check");
    assert.equal(b.bar.checks, 19, "the usual number of checks a day: the most common, the larger on a tie");
    assert.deepEqual(cells.slice(-2), ["6", "0/6"], "online checks, of the usual number or of the number made");
    assert.equal(cells[0], "-", "a day without a check");
    assert.equal(b.barText, "Over the last 90 days: 0 days fully up, 88 days without any check; the worst, 2026-03-02, 0% up.");
    assert.equal(
      siteHistory.uptimeBarText([{ day: "2026-01-01", uptime: null, checks: 0, online: 0 }, { day: "2026-01-02", uptime: 100, checks: 1, online: 1 }]),
      "Over the last 2 days: 1 day fully up, 1 day without any check.",
      "one of each in the singular, and no worst day when every day was fully up",
    );
    const a = history.byUrl["/instances/cobalt/a.test/"];
    // One character per hour: the response time's quarter-octave level, "." for none.
    const slots = [...a.sparkline.slots].map((char) => (char === "." ? null : Math.round(2 ** (siteHistory.SLOT_LEVELS.indexOf(char) / 4))));
    assert.equal(slots.length, 7 * 24 + 1, "an hourly slot over 7 days, both ends included");
    assert.deepEqual(slots.slice(-3), [roundMs(227), roundMs(228), roundMs(229)], "the latest checks last");
    assert.equal(slots.filter((ms) => ms !== null).length, 25, "one per answer");
    assert.equal(a.sparklineText, `Response time over the last 7 days: 25 answers, fastest ${roundMs(200)} ms, median ${roundMs(212)} ms, slowest ${roundMs(229)} ms.`);
    assert.deepEqual(a.badges.map((badge: { path: string }) => badge.path), ["/badges/cobalt/a.test/uptime.json", "/badges/cobalt/a.test/score.json"]);
    assert.deepEqual(b.badges[0].json, { schemaVersion: 1, label: "uptime 30d", message: "24% (down)", color: "red" }, "the badge file's content");

    const feed = feedPage.render({ history, site: { title: "test list", url: "https://list.example/" } });
    assert.equal(feed, atomFeed(readEvents(join(folder.dir, "sequence"), 50), {
      title: "test list: changes", siteUrl: "https://list.example/", feedUrl: "https://list.example/feed.xml",
      pageUrl: (event) => (event.key === "cobalt e.test" ? "https://list.example/" : `https://list.example/instances/cobalt/${event.key.slice("cobalt ".length)}/`),
    }));
    assert.match(feed, /<link href="https:\/\/list\.example\/instances\/cobalt\/b\.test\/"\/>/);

    // The instance-page and table partials, rendered by Nunjucks as the site renders them.
    const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(join(ROOT, "site", "_includes")), { autoescape: true, throwOnUndefined: false });
    const { default: siteFilters } = await import("../site/_lib/filters.js" as string);
    siteFilters({ addFilter: (name: string, filter: (...args: any[]) => unknown) => env.addFilter(name, filter) });
    const b2 = final.get("b.test")!;
    const page = env.render("history/instance.njk", { entry: b2, p: pages.find((candidate) => candidate.entry === b2), history });
    assert.match(page, /Status: <strong class="status-down">down<\/strong> \(16 failed checks in a row\)/);
    assert.doesNotMatch(page, /<strong class="status-up">/, "an instance offline at the latest check never reads up");
    // One failed check after a long run of successes: still "up" in the history (down takes 3), but the page says it failed.
    const justFailed = { ...b2, history: { ...b2.history!, status: "up" as const, consecutive_failures: 1 } };
    const failing = env.render("history/instance.njk", { entry: justFailed, p: pages.find((candidate) => candidate.entry === b2), history });
    assert.match(failing, /Status: <strong class="status-failing">failing<\/strong>: the latest check failed; it is counted as down after 3 in a row; last seen online <time datetime="[^"]+">/);
    assert.doesNotMatch(failing, /status-up|: the latest check answered/);
    assert.ok(page.includes(`<figure class="uptime-bar" data-first="2025-12-03" data-checks="19" data-cells="${b.bar.cells}"><figcaption>${b.barText}</figcaption></figure>`), "the bar's figures, with its text for screen readers");
    assert.match(page, /Checks up: <b>5\.26%<\/b> of 19 in the last 24 hours, <b>24%<\/b> of 25 in 7 days, /);
    const youtube = env.render("history/instance.njk", { entry: final.get("a.test"), p: pages.find((candidate) => candidate.entry.api === "a.test"), history });
    assert.doesNotMatch(youtube, /<table class="service-history">/, "a cobalt page shows the shares beside its latest results, in one table");
    // The latest result, when the service last passed, and the shares of the last 24 hours and 7 days, in one row.
    const services = env.render("kinds/cobalt/instance.njk", { entry: final.get("a.test") });
    const hoursSincePass = Math.round((Date.parse(final.get("a.test")!.checked_at) - Date.parse("2026-03-01T19:00:00Z")) / HOUR);
    assert.match(services, new RegExp(`<tr class="fail"><th>YouTube<td>✗ fails<small>.*Last passed ${hoursSincePass} hours earlier\\. <a href="/services/youtube/#where">Where it works</a></small><td>47%<td>60%\n`));
    assert.match(services, /<tr><th>TikTok<td>✓ works<td>/, "a pass is the row without a class");
    // Offline: a service that last passed when the instance was last online says nothing more; one that failed before says when.
    const aEntry = final.get("a.test")!;
    const offline = (lastSeenOnline: string) => env.render("kinds/cobalt/instance.njk", { entry: { ...aEntry, api_online: false, history: { ...aEntry.history!, last_seen_online: lastSeenOnline } } });
    assert.match(offline("2026-03-01T19:00:00Z"), /<tr class="fail"><th>YouTube<td>✗ instance offline<td>/);
    assert.match(offline("2026-03-01T23:00:00Z"), /<tr class="fail"><th>YouTube<td>✗ instance offline<small>Last passed \d+ hours earlier\.<\/small><td>/);
    // The summary names whichever list is shorter.
    const summary = (results: Record<string, "pass" | "fail">) => env.render("kinds/cobalt/summary.njk", {
      entry: { ...aEntry, api_online: true, services_tested: 3, service_results: Object.fromEntries(Object.entries(results).map(([name, result]) => [name, { result, status: null, error: null }])) },
    });
    assert.match(summary({ youtube: "fail", tiktok: "pass", vimeo: "pass" }), /<dt>Works for<\/dt><dd>every tested service but YouTube<\/dd>/);
    assert.match(summary({ youtube: "fail", tiktok: "pass", vimeo: "fail" }), /<dt>Works for<\/dt><dd>only TikTok<\/dd>/);
    assert.match(summary({ youtube: "pass", tiktok: "pass", vimeo: "pass" }), /<dt>Works for<\/dt><dd>every tested service<\/dd>/);
  });
});

describe("the history store", () => {
  it("writes nothing until the run is committed", () => {
    const folder = temporaryDirectory();
    try {
      prepareHistory(join(folder.dir, "history"), [], []);
      assert.equal(existsSync(join(folder.dir, "history")), false);
    } finally {
      folder.remove();
    }
  });

  it(`folds raw days older than ${RAW_DAYS} days into a daily summary line and deletes them`, () => {
    const folder = temporaryDirectory();
    try {
      const dir = join(folder.dir, "history");
      const old = new Date(T0 - (RAW_DAYS + 1) * 24 * HOUR);
      const sample = (online: boolean) => ({ online, ms: online ? 120 : null, services: {} });
      appendRun(dir, { at: old.toISOString(), samples: new Map([["cobalt a.test", sample(true)], ["cobalt b.test", sample(false)]]) });
      appendRun(dir, { at: new Date(old.getTime() + HOUR).toISOString(), samples: new Map([["cobalt a.test", sample(true)], ["cobalt b.test", null]]) });
      appendRun(dir, { at: at(0), samples: new Map([["cobalt a.test", sample(true)]]) });
      assert.deepEqual(pruneRaw(dir, new Date(at(0))), [old.toISOString().slice(0, 10)]);
      assert.deepEqual(readdirSync(join(dir, "raw")), ["2026-03-01.ndjson"]);
      const daily = readFileSync(join(dir, "daily", `${old.getUTCFullYear()}.ndjson`), "utf8").trim().split("\n").map((line) => JSON.parse(line));
      assert.deepEqual(daily, [{ keys: ["cobalt a.test", "cobalt b.test"] }, { day: old.toISOString().slice(0, 10), up: [[2, 2, roundMs(120)], [1, 0, null]] }]);
    } finally {
      folder.remove();
    }
  });

  it("names the instances of the daily summaries again only when they change", () => {
    const folder = temporaryDirectory();
    try {
      const dir = join(folder.dir, "history");
      const first = T0 - (RAW_DAYS + 5) * 24 * HOUR;
      const sample = { online: true, ms: 120, services: {} };
      for (const day of [0, 1, 2]) {
        const keys = day < 2 ? ["cobalt a.test"] : ["cobalt a.test", "cobalt b.test"];
        appendRun(dir, { at: new Date(first + day * 24 * HOUR).toISOString(), samples: new Map(keys.map((key) => [key, sample])) });
      }
      pruneRaw(dir, new Date(at(0)));
      const lines = readFileSync(join(dir, "daily", `${new Date(first).getUTCFullYear()}.ndjson`), "utf8").trim().split("\n").map((line) => JSON.parse(line));
      assert.deepEqual(lines.map((line) => Object.keys(line)), [["keys"], ["day", "up"], ["day", "up"], ["keys"], ["day", "up"]]);
      assert.deepEqual(lines[3].keys, ["cobalt a.test", "cobalt b.test"]);
    } finally {
      folder.remove();
    }
  });

  it("appends a run once, even when the same run is recorded twice", () => {
    const folder = temporaryDirectory();
    try {
      const dir = join(folder.dir, "history");
      const run = { at: at(0), samples: new Map([["cobalt a.test", { online: true, ms: 100, services: {} }]]) };
      appendRun(dir, run);
      appendRun(dir, run);
      assert.equal([...eachRun(dir, new Date(T0))].length, 1);
    } finally {
      folder.remove();
    }
  });
});

describe("the history's line format", () => {
  /** What a reader should get back for a sample that was written. */
  const expected = (sample: Sample | null) => sample && { online: sample.online, ms: sample.online ? sample.ms : null, services: sample.online ? sample.services : {} };
  const read = (sample: Sample | null | undefined) => sample && { online: sample.online, ms: sample.ms, services: { ...sample.services } };

  const sampleArbitrary = (services: string[]) => fc.option(fc.record({
    online: fc.boolean(),
    ms: fc.option(fc.integer({ min: 1, max: 60_000 }).map(roundMs), { nil: null }),
    services: fc.subarray(services).chain((tested) => fc.tuple(...tested.map((name) => fc.tuple(fc.constant(name), fc.boolean()))).map((pairs) => Object.fromEntries(pairs))),
  }), { nil: null });

  it("reads back every run it appended, hour by hour, whatever the instances and services did, with or without the fleet's figures (generated runs)", () => {
    const keys = ["cobalt a.test", "cobalt b.test", "mastodon c.test", "cobalt d.test"];
    const services = ["bilibili", "tiktok", "youtube", "vimeo", "reddit"];
    fc.assert(fc.property(fc.array(fc.tuple(...keys.map(() => sampleArbitrary(services))), { minLength: 1, maxLength: 30 }), fc.boolean(), fc.nat(30), (runs, addLater, stripped) => {
      const folder = temporaryDirectory();
      try {
        const dir = join(folder.dir, "history");
        const written = runs.map((row, hour) => {
          const samples = new Map<string, Sample | null>(keys.map((key, index) => [key, row[index]!]));
          // An instance added during the day starts a new key table.
          if (addLater && hour >= runs.length / 2) samples.set("cobalt new.test", { online: true, ms: roundMs(90), services: { youtube: true } });
          const run = { at: at(hour), samples };
          appendRun(dir, run);
          return run;
        });
        const back = [...eachRun(dir, new Date(T0))];
        assert.equal(back.length, written.length);
        back.forEach((run, index) => {
          assert.equal(run.at, written[index]!.at);
          for (const [key, sample] of written[index]!.samples) assert.deepEqual(read(run.samples.get(key)), expected(sample), `${run.at} ${key}`);
        });
        // The site reads states alone where the fleet's figures are stored, and marks up to the last line without them
        // (written before they were): the same drawings and the same fleet health as from the runs themselves.
        if (stripped > 0) {
          const file = join(dir, "raw", readdirSync(join(dir, "raw"))[0]!);
          let runLines = 0;
          writeFileSync(file, readFileSync(file, "utf8").split("\n").map((line) => {
            if (!line.startsWith('{"at"') || runLines++ >= stripped) return line;
            const { f: _totals, ...rest } = JSON.parse(line);
            return JSON.stringify(rest);
          }).join("\n"));
        }
        const options = { keys: [...keys, "cobalt new.test"], now: new Date(at(runs.length)), seriesDays: 2 };
        const fromStates = readSiteHistory(eachRun(dir, new Date(T0), { marks: false }), options);
        const fromRuns = readSiteHistory(written, options);
        assert.deepEqual(fromStates.services, fromRuns.services);
        for (const key of options.keys) {
          assert.deepEqual(fromStates.cells(key), fromRuns.cells(key), key);
          assert.deepEqual(fromStates.series(key), fromRuns.series(key), key);
        }
      } finally {
        folder.remove();
      }
    }), { numRuns: 60 });
  });

  /**
   * The rules of data/history/README.md read plainly, one instance at a time over every run:
   * what the one-pass deriver must agree with.
   */
  function plainHistory(runs: { at: string; samples: Map<string, Sample | null> }[], key: string, now: number) {
    const checks = runs.flatMap((run) => (run.samples.get(key) ? [{ at: run.at, age: now - Date.parse(run.at), sample: run.samples.get(key)! }] : []));
    const windows = Object.entries(WINDOWS);
    const inWindow = (span: number) => checks.filter((check) => check.age < span);
    const share = (part: number, whole: number) => (whole ? Math.round((10000 * part) / whole) / 100 : null);
    const trailing = (results: boolean[]) => results.length - 1 - results.lastIndexOf(true);
    const ups = checks.map((check) => check.sample.online);
    const ms = inWindow(WINDOWS["7d"]).flatMap((check) => (check.sample.online && check.sample.ms !== null ? [check.sample.ms] : [])).sort((a, b) => a - b);
    const online = checks.filter((check) => check.sample.online);
    const tested = (name: string) => online.filter((check) => name in check.sample.services);
    // The services tested in the last 7 days; for an instance not online in them, those of its latest online check.
    const onlineThisWeek = inWindow(WINDOWS["7d"]).filter((check) => check.sample.online);
    const names = (onlineThisWeek.length ? [...new Set(onlineThisWeek.flatMap((check) => Object.keys(check.sample.services)))] : Object.keys(online.at(-1)?.sample.services ?? {})).sort();
    return {
      status: trailing(ups) >= FAILURES_TO_DOWN ? "down" : ups.includes(true) ? "up" : "unknown",
      consecutive_failures: trailing(ups),
      uptime: Object.fromEntries(windows.map(([window, span]) => [window, share(inWindow(span).filter((check) => check.sample.online).length, inWindow(span).length)])),
      checks: Object.fromEntries(windows.map(([window, span]) => [window, inWindow(span).length])),
      median_response_ms: ms.length ? (ms.length % 2 ? ms[(ms.length - 1) / 2] : Math.round((ms[ms.length / 2 - 1]! + ms[ms.length / 2]!) / 2)) : null,
      first_seen: checks[0]?.at ?? runs.at(-1)!.at,
      last_seen_online: online.at(-1)?.at ?? null,
      services: Object.fromEntries(names.map((name) => {
        const results = tested(name).map((check) => check.sample.services[name]!);
        const within = (span: number) => tested(name).filter((check) => check.age < span).map((check) => check.sample.services[name]!);
        const passes = (list: boolean[]) => share(list.filter(Boolean).length, list.length);
        const lastPass = tested(name).findLast((check) => check.sample.services[name])?.at ?? null;
        return [name, { pass_24h: passes(within(WINDOWS["24h"])), pass_7d: passes(within(WINDOWS["7d"])), last_pass: lastPass, status: trailing(results) >= FAILURES_TO_DOWN ? "failing" : lastPass ? "working" : "unknown" }];
      })),
    };
  }

  it("derives every instance's history in one pass back from the newest run as the rules say, from the runs or from the store read a day at a time (generated runs over 30 days)", () => {
    const keys = ["cobalt a.test", "cobalt b.test", "mastodon c.test"];
    const services = ["tiktok", "youtube", "vimeo"];
    // Runs hours to days apart, so that each window (24 hours, 7 days, 30 days) holds some and misses some.
    const runArbitrary = fc.tuple(fc.integer({ min: 1, max: 60 }), fc.tuple(...keys.map(() => sampleArbitrary(services))));
    fc.assert(fc.property(fc.array(runArbitrary, { minLength: 1, maxLength: 40 }), (generated) => {
      let hour = 0;
      const runs = generated.map(([gap, row]) => ({ at: at((hour += gap)), samples: new Map<string, Sample | null>(keys.map((key, index) => [key, expected(row[index]!)])) }));
      const now = Date.parse(runs.at(-1)!.at) + HOUR;
      const folder = temporaryDirectory();
      try {
        const dir = join(folder.dir, "history");
        for (const run of runs) appendRun(dir, run);
        const fromRuns = new HistoryDeriver(keys, new Date(now));
        for (const run of runs.toReversed()) fromRuns.add(run);
        // As the probe reads the store: a day's marks only when an instance still needs them.
        const fromStore = new HistoryDeriver(keys, new Date(now));
        for (const read of eachDayNewestFirst(dir, new Date(T0))) fromStore.addDay(read);
        for (const key of keys) {
          assert.deepEqual(fromRuns.history(key), plainHistory(runs, key, now), key);
          assert.deepEqual(fromStore.history(key), fromRuns.history(key), key);
        }
      } finally {
        folder.remove();
      }
    }), { numRuns: 100 });
  });

  it("reads a day file written in the old format, and appends to it in the new one with nothing lost", () => {
    const folder = temporaryDirectory();
    try {
      const dir = join(folder.dir, "history");
      mkdirSync(join(dir, "raw"), { recursive: true });
      writeFileSync(join(dir, "raw", "2026-03-01.ndjson"), [
        '{"keys":["cobalt a.test","cobalt b.test","mastodon c.test"],"services":["tiktok","youtube"]}',
        `{"at":"${at(0)}","s":["230 1-","x","410"]}`,
        `{"at":"${at(1)}","s":["240 10",null,"?"]}`,
      ].join("\n") + "\n");
      const next = { at: at(2), samples: new Map<string, Sample | null>([
        ["cobalt a.test", { online: true, ms: roundMs(250), services: { tiktok: true } }],
        ["cobalt b.test", { online: true, ms: roundMs(1800), services: { tiktok: false, youtube: true } }],
        ["mastodon c.test", { online: false, ms: null, services: {} }],
      ]) };
      appendRun(dir, next);
      const lines = readFileSync(join(dir, "raw", "2026-03-01.ndjson"), "utf8").trim().split("\n");
      assert.equal(lines.length, 4, "the old lines stay, the new run is one more line under the same key table");
      assert.deepEqual(Object.keys(JSON.parse(lines[3]!)), ["at", "up", "t", "m", "f"]);
      const [first, second, third] = [...eachRun(dir, new Date(T0))];
      assert.deepEqual(read(first!.samples.get("cobalt a.test")), { online: true, ms: 230, services: { tiktok: true } });
      assert.deepEqual(read(first!.samples.get("cobalt b.test")), { online: false, ms: null, services: {} });
      assert.deepEqual(read(second!.samples.get("cobalt a.test")), { online: true, ms: 240, services: { tiktok: true, youtube: false } });
      assert.equal(second!.samples.get("cobalt b.test"), null);
      assert.deepEqual(read(second!.samples.get("mastodon c.test")), { online: true, ms: null, services: {} });
      for (const [key, sample] of next.samples) assert.deepEqual(read(third!.samples.get(key)), expected(sample), key);
    } finally {
      folder.remove();
    }
  });

  it("keeps response times to a quarter octave, the same value however often it is rounded", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 200_000 }), (ms) => {
      const kept = roundMs(ms);
      assert.equal(roundMs(kept), kept);
      // Within an eighth of an octave, or within 1 ms where whole milliseconds are coarser than that; the top level is 55 s.
      assert.ok(Math.abs(kept - ms) <= 1 || Math.abs(Math.log2(kept / ms)) <= 0.126 || (ms > 55_000 && kept === roundMs(60_000)), `${ms} → ${kept}`);
    }));
  });
});
