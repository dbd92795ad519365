// The fleet over several runs: loopback cobalt instances (one behind TLS with a certificate
// made here) and Mastodon servers, probed by the real probe CLI run after run, recorded in
// the real history store, built into the real site. YouTube breaks on every instance for
// two runs and comes back; an instance upgrades; the certificate nears expiry.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { launchBrowser, missingBrowser } from "./support/browser.ts";
import { startFakeCobalt, type FakeCobalt, type FakeCobaltOptions } from "./support/cobalt-server.ts";
import { akkoma, mastodon4, startFakeMastodon } from "./support/mastodon-server.ts";
import { temporaryDirectory, writeJson, type Loopback } from "./support/loopback.ts";
import { certificateFor127, startTlsFront, writeTrusted, type Certificate, type TlsFront } from "./support/tls-front.ts";
import { ARTIFACTS, runScript } from "./support/cli.ts";
import { buildSite, readText } from "./support/site-data.ts";
import { serveStatic } from "./support/static-site.ts";
import { instanceKey, type Instance } from "../scripts/lib/run.ts";
import { appendRun } from "../scripts/lib/history/store.ts";
import type { Run, Sample } from "../scripts/lib/history/samples.ts";
import { validateServiceHistory } from "../scripts/lib/schemas.ts";
import type { CobaltInstance } from "../scripts/schema-types.ts";
import { instanceSlug as slugOf } from "../scripts/lib/slug.ts";

const SERVICES = { youtube: "https://www.youtube.com/watch?v=jNQXAC9IVRw", tiktok: "https://www.tiktok.com/@a/video/7195741644585454894" };
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const PREFIX = "/fleet/";

const works = { status: "redirect" } as const;
const broken = { error: "error.api.youtube.decipher" };
const iso = (time: number) => new Date(time).toISOString().replace(/\.\d{3}Z$/, "Z");

describe("the fleet over several runs: probe → history → site", () => {
  const folder = temporaryDirectory();
  const listFile = join(folder.dir, "list.json");
  const instancesFile = join(folder.dir, "instances.json");
  const historyDir = join(folder.dir, "history");
  const whileBroken = join(folder.dir, "site-broken");
  const afterwards = join(folder.dir, "site-after");
  const options: FakeCobaltOptions[] = [0, 1, 2, 3].map(() => ({ offered: ["youtube", "tiktok"], outcomes: { [SERVICES.youtube]: works, [SERVICES.tiktok]: works } }));
  const servers: Array<FakeCobalt | Loopback | TlsFront> = [];
  let front: TlsFront;
  let certificates: Record<"long" | "ten" | "two", Certificate>;
  let trustFile: string;
  let urls: string[];
  /** Each run's time (its latest check), in order. */
  const runTimes: string[] = [];
  let final: Instance[];

  async function probeRun(): Promise<void> {
    // Runs are told apart by their time, to the second: a fast machine could finish two in one.
    const last = runTimes.at(-1);
    if (last) while (Date.now() < Date.parse(last) + 1000) await new Promise((resolve) => setTimeout(resolve, 100));
    const result = await runScript("scripts/probe.ts", ["--list", listFile, "--out", instancesFile], { NODE_EXTRA_CA_CERTS: trustFile });
    assert.equal(result.code, 0, result.stderr);
    const entries: Instance[] = JSON.parse(readText(instancesFile));
    runTimes.push(entries.map((entry) => entry.checked_at).sort().at(-1)!);
    final = entries;
  }

  async function build(output: string): Promise<void> {
    const result = await buildSite({ listFile, instancesFile, output, env: { PATH_PREFIX: PREFIX } });
    assert.equal(result.code, 0, result.stderr);
  }

  before(async () => {
    certificates = { long: await certificateFor127(60), ten: await certificateFor127(10), two: await certificateFor127(2) };
    trustFile = writeTrusted(join(folder.dir, "trusted.pem"), Object.values(certificates));
    const cobalts = await Promise.all(options.map((option) => startFakeCobalt(option)));
    front = await startTlsFront(cobalts[3]!.port, certificates.long);
    const mastodon = await startFakeMastodon(mastodon4);
    const akkomaServer = await startFakeMastodon(akkoma);
    servers.push(...cobalts, front, mastodon, akkomaServer);
    urls = [cobalts[0]!.url, cobalts[1]!.url, cobalts[2]!.url, front.url];
    writeJson(listFile, {
      title: "Fleet test",
      site: "https://lists.example/fleet/",
      probe: { timeoutMs: 30_000, allowPrivateAddresses: ["127.0.0.1/32"] },
      services: SERVICES,
      instances: [
        ...urls.map((api, index) => ({ kind: "cobalt", api, name: `cobalt ${"ABCD"[index]}`, ...(index === 0 ? { frontEnd: "https://web-a.example/" } : {}) })),
        { kind: "mastodon", url: mastodon.url },
        { kind: "mastodon", url: akkomaServer.url },
      ],
    });

    // Three days of hourly runs before this test's own, in which YouTube worked on most
    // instances, apart from six hours two days ago when it failed everywhere.
    const keys = urls.map((url) => instanceKey("cobalt", url));
    const now = Date.now();
    for (let hour = 72; hour >= 1; hour--) {
      const time = now - hour * HOUR_MS;
      const wasBroken = hour >= 44 && hour < 50;
      const samples = new Map<string, Sample | null>(keys.map((key, index) => [key, { online: true, ms: 120, services: { youtube: !wasBroken && (index + hour) % 5 !== 0, tiktok: true } }]));
      appendRun(historyDir, { at: iso(time), samples } satisfies Run);
    }

    await probeRun(); // 1: all work
    await probeRun(); // 2
    front.use(certificates.ten);
    for (const option of options) option.outcomes![SERVICES.youtube] = broken;
    await probeRun(); // 3: YouTube fails on every instance
    await probeRun(); // 4: the second run in a row: broken everywhere
    await build(whileBroken);
    for (const option of options) option.outcomes![SERVICES.youtube] = works;
    options[1]!.version = "10.10.0";
    front.use(certificates.two);
    await probeRun(); // 5: YouTube works again; B runs a new release
    await probeRun(); // 6: the second good run: the end is confirmed
    await build(afterwards);
  });

  after(async () => {
    await Promise.all(servers.map((server) => server.close()));
    folder.remove();
  });

  const page = (site: string, path: string) => readText(join(site, path));
  const feedEntries = (xml: string) => [...xml.matchAll(/<entry>[\s\S]*?<\/entry>/g)].map((match) => match[0]);
  const titleOf = (entry: string) => /<title>([^<]*)<\/title>/.exec(entry)![1]!;

  it("publishes each service's health as one point per run, valid against its schema", () => {
    const history: { service: string; points: Array<{ at: string; tested: number; passed: number }>; broken_everywhere: Array<{ started: string; ended: string | null }> } = JSON.parse(page(afterwards, "services/youtube/history.json"));
    assert.ok(validateServiceHistory(history), JSON.stringify(validateServiceHistory.errors));
    assert.equal(history.service, "youtube");
    assert.equal(history.points.length, 72 + 6);
    assert.deepEqual(history.points.slice(-6).map((point: { at: string }) => point.at), runTimes);
    assert.deepEqual(history.points.slice(-6).map((point: { tested: number; passed: number }) => [point.tested, point.passed]), [[4, 4], [4, 4], [4, 0], [4, 0], [4, 4], [4, 4]]);
    assert.deepEqual(history.broken_everywhere.map((episode: { started: string; ended: string | null }) => [episode.started, episode.ended]), [
      [history.points[23].at, history.points[29].at],
      [runTimes[2], runTimes[4]],
    ]);
    const tiktok = JSON.parse(page(afterwards, "services/tiktok/history.json"));
    assert.deepEqual(tiktok.broken_everywhere, []);
    assert.ok(tiktok.points.slice(-6).every((point: { tested: number; passed: number }) => point.tested === 4 && point.passed === 4));
  });

  it("says on the home page, the service page and in the feed that YouTube is broken everywhere, since when", () => {
    const since = runTimes[2]!.slice(0, 16).replace("T", " ");
    const home = page(whileBroken, "index.html");
    assert.match(home, new RegExp(`<strong><a href="${PREFIX}services/youtube/">YouTube</a> is failing on most instances</strong> since <time datetime="${runTimes[2]}">${since} UTC</time> \\(4 of 4 tested instances fail\\)\\. Most likely YouTube changed, not the instances\\.`));
    assert.doesNotMatch(home, /TikTok<\/a> is failing/);
    const service = page(whileBroken, "services/youtube/index.html");
    assert.match(service, /<strong>YouTube is failing on most instances<\/strong> since <time datetime="[^"]+">[^<]+<\/time>: at the latest run it failed on 4 of 4 tested instances\. When a service fails everywhere at once, it is most likely the service that changed, not the instances/);
    assert.match(service, /No instance downloads from YouTube right now\./);
    assert.match(service, /<svg class="health"[^>]*>.*<rect class="broken"/s);
    assert.match(page(whileBroken, "services/index.html"), /<strong class="no">Broken everywhere<\/strong> since <time datetime="[^"]+">/);
    const broke = feedEntries(page(whileBroken, "feed.xml")).filter((entry) => entry.includes('term="service_broken"'));
    assert.equal(broke.length, 1);
    assert.equal(titleOf(broke[0]!), `YouTube is failing on most instances (4/4 tested fail) since ${since} UTC`);
    assert.match(broke[0]!, /<link href="https:\/\/lists\.example\/fleet\/services\/youtube\/"\/>/);
    assert.match(broke[0]!, /<updated>([^<]+)<\/updated>/);
    assert.equal(/<updated>([^<]+)<\/updated>/.exec(broke[0]!)![1], runTimes[3], "news at the run that confirmed it");
  });

  it("says when it ended, in the feed, on the home page and on the service page", () => {
    const entries = feedEntries(page(afterwards, "feed.xml"));
    const restored = entries.filter((entry) => entry.includes('term="service_restored"'));
    assert.equal(restored.length, 1);
    const day = (time: string) => `${time.slice(0, 16).replace("T", " ")} UTC`;
    assert.equal(titleOf(restored[0]!), `YouTube works again on most instances (failing from ${day(runTimes[2]!)} to ${day(runTimes[4]!)})`);
    assert.equal(entries.filter((entry) => entry.includes('term="service_broken"')).length, 1, "one start, one end");
    assert.match(page(afterwards, "index.html"), new RegExp(`YouTube</a> works again</strong> on most instances since <time datetime="${runTimes[4]}">`));
    const service = page(afterwards, "services/youtube/index.html");
    assert.match(service, new RegExp(`<li>From <time datetime="${runTimes[2]}">[^<]+</time> to <time datetime="${runTimes[4]}">`));
    // Where it works now: every instance, with its pass shares and a link that says where it leads.
    assert.match(service, /<a href="https:\/\/web-a\.example\/" rel="nofollow">web-a\.example<\/a>/);
    assert.doesNotMatch(service, /open the web app/);
    assert.match(service, /<th scope="col">Worked, 24 h<\/th>/);
  });

  it("announces a new release once, and marks the instances behind it on the versions page", () => {
    const releases = feedEntries(page(afterwards, "feed.xml")).filter((entry) => entry.includes('term="release"'));
    assert.deepEqual(releases.map(titleOf), ["cobalt 10.10.0 is on the list (newest before: 10.9.3)"]);
    assert.match(releases[0]!, /<link href="https:\/\/lists\.example\/fleet\/versions\/#software-cobalt"\/>/);
    const versions = page(afterwards, "versions/index.html");
    assert.match(versions, /Newest release on the list: <strong>10\.10\.0<\/strong>\. 3 of 4 instances are behind it\./);
    const row = (name: string) => new RegExp(`<a href="${PREFIX}instances/cobalt/[^"]+">${name}</a></th>\\s*<td[^>]*>([^<]+)</td>\\s*<td[^>]*>(.*?)</td>`).exec(versions)!;
    assert.deepEqual([row("cobalt B")[1], row("cobalt B")[2]], ["10.10.0", '<span class="yes">newest</span>']);
    assert.deepEqual([row("cobalt A")[1], row("cobalt A")[2]], ["10.9.3", '<span class="warn">behind 10.10.0</span>']);
    assert.match(versions, /<h2 id="software-akkoma">akkoma/, "Mastodon-API software compared per software");
    assert.match(versions, /<svg class="versions-chart"/);
  });

  it("gives each instance its own feed, linked from its page with a line for its operator", () => {
    const b = `instances/cobalt/${slugOf(urls[1]!)}`;
    const feed = page(afterwards, `${b}/feed.xml`);
    assert.deepEqual(feedEntries(feed).map(titleOf), ["cobalt B updated from 10.9.3 to 10.10.0"]);
    assert.match(feed, new RegExp(`<link rel="self" href="https://lists\\.example/fleet/${b}/feed\\.xml"/>`));
    const a = feedEntries(page(afterwards, `instances/cobalt/${slugOf(urls[0]!)}/feed.xml`));
    assert.ok(!a.some((entry) => entry.includes("cobalt B")), "another instance's events stay out");
    const html = page(afterwards, `${b}/index.html`);
    assert.match(html, new RegExp(`Run this instance\\? <a href="${PREFIX}${b}/feed\\.xml" type="application/atom\\+xml">Its Atom feed</a> says when it goes down or comes back, a service stops working on it`));
    assert.match(html, /behind|the newest cobalt release on the list/);
  });

  it("reads the TLS certificate's expiry from the probe's connection and warns at 14 and 3 days", () => {
    const d = final.find((entry) => entry.kind === "cobalt" && entry.api_url === urls[3]) as CobaltInstance;
    assert.equal(d.tls_expires_at, iso(certificates.two.notAfter.getTime()));
    assert.equal(d.tls_days_left, Math.floor((certificates.two.notAfter.getTime() - Date.parse(d.checked_at)) / DAY_MS));
    assert.ok(d.tls_days_left! <= 2);
    const http = final.find((entry) => entry.kind === "cobalt" && entry.api_url === urls[0]) as CobaltInstance;
    assert.ok(!("tls_expires_at" in http) && !("tls_days_left" in http), "an http instance has no certificate keys");
    const slug = `instances/cobalt/${slugOf(urls[3]!)}`;
    const warnings = feedEntries(page(afterwards, `${slug}/feed.xml`)).filter((entry) => entry.includes('term="certificate_expiring"'));
    assert.deepEqual(warnings.map(titleOf), [
      `The TLS certificate of cobalt D expires in ${d.tls_days_left} day${d.tls_days_left === 1 ? "" : "s"} (${d.tls_expires_at!.slice(0, 16).replace("T", " ")} UTC)`,
      `The TLS certificate of cobalt D expires in 9 days (${iso(certificates.ten.notAfter.getTime()).slice(0, 16).replace("T", " ")} UTC)`,
    ]);
    assert.match(page(afterwards, `${slug}/index.html`), new RegExp(`<dt>TLS certificate</dt><dd class="no">expires in ${d.tls_days_left} day`));
    assert.match(page(afterwards, "versions/index.html"), new RegExp(`cobalt D</a></th>[\\s\\S]*?<td data-sort="${d.tls_days_left}"><span class="no">${d.tls_days_left}</span></td>`));
  });

  describe("in a browser", { skip: missingBrowser() }, () => {
    let browser: Browser;
    let site: Loopback;
    before(async () => {
      site = await serveStatic(afterwards, PREFIX);
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
      await site?.close();
    });

    it("draws the service chart, the small multiples and the versions view; saves their screenshots", async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      for (const colorScheme of ["light", "dark"] as const) {
        const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, colorScheme });
        const tab = await context.newPage();
        const errors: string[] = [];
        tab.on("pageerror", (error) => errors.push(error.message));
        for (const [path, name] of [["services/youtube/", "service-youtube"], ["services/", "services"], ["versions/", "versions"]] as const) {
          const response = await tab.goto(`${site.url}${PREFIX}${path}`);
          assert.equal(response?.status(), 200, path);
          await tab.screenshot({ path: join(ARTIFACTS, `${name}-${colorScheme}.png`), fullPage: true });
          assert.equal((readFileSync(join(ARTIFACTS, `${name}-${colorScheme}.png`)).subarray(1, 4)).toString(), "PNG");
        }
        await tab.goto(`${site.url}${PREFIX}services/youtube/`);
        const chart = await tab.locator("svg.health").boundingBox();
        assert.ok(chart && chart.width > 600 && chart.height >= 150, `the chart is drawn: ${JSON.stringify(chart)}`);
        // The line is visible against the page in this scheme.
        const [line, background] = await tab.evaluate<string[]>(`[getComputedStyle(document.querySelector("svg.health .line")).stroke, getComputedStyle(document.body).backgroundColor]`);
        assert.notEqual(line, background);
        await tab.goto(`${site.url}${PREFIX}services/`);
        assert.equal(await tab.locator(".small-multiples svg.health.small").count(), 2);
        await tab.goto(`${site.url}${PREFIX}versions/`);
        // Sorting by certificate days puts the one expiring soonest first (http ones have none and go last).
        await tab.locator('table[data-kind="cobalt"] thead th', { hasText: "Certificate" }).locator("button").click();
        assert.equal(await tab.locator('table[data-kind="cobalt"] tbody tr').first().locator("th").textContent(), "cobalt D");
        await tab.locator('table[data-kind="cobalt"] thead th', { hasText: "Certificate" }).locator("button").click();
        assert.equal(await tab.locator('table[data-kind="cobalt"] tbody tr').last().locator("th").textContent(), "cobalt D");
        assert.deepEqual(errors, []);
        await context.close();
      }
    });
  });
});
