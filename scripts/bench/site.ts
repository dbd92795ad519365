// Site build benchmark: a list of instances (seven cobalt in ten, made from what the real
// probe wrote for loopback instances) with 90 days of hourly history, built by the real
// Eleventy command in a child process. Reports the build's wall time and peak RSS, the files
// written and their size (all of them, and those of the instances: pages, JSON, feeds,
// badges), the list page's size, the same list page for 300 instances, and the list page
// measured in Chromium (list-page.ts).
//
//   node scripts/bench/site.ts [--instances 1000] [--days 90] [--keep DIR] [--no-browser]
//   npm run bench -- --only site          1,000 and 10,000 instances with 90 days
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { parseList } from "../lib/list.ts";
import { assertValidOutput, instanceKey, runProbes, type Instance } from "../lib/run.ts";
import { appendRun } from "../lib/history/store.ts";
import { prepareHistory } from "../lib/history/index.ts";
import type { Run, Sample } from "../lib/history/samples.ts";
import type { CobaltInstance, MastodonInstance } from "../schema-types.ts";
import { seeded } from "./virtual-hosts.ts";
import { startFakeCobalt } from "../../test/support/cobalt-server.ts";
import { mastodon4, startFakeMastodon } from "../../test/support/mastodon-server.ts";
import { temporaryDirectory } from "../../test/support/loopback.ts";
import { missingBrowser } from "../../test/support/browser.ts";
import { listPageTargets, measureListPage } from "./list-page.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const HOUR_MS = 3_600_000;
const LANGUAGES = ["en", "de", "fr", "ja", "es", "pt", "nl", "it"];
const ERRORS = ["error.api.youtube.login", "error.api.fetch.fail", "error.api.content.video.unavailable", "error.api.fetch.empty"];

export interface SiteBenchOptions {
  instances?: number;
  days?: number;
  /** Keep the data and the built site in this folder instead of deleting them. */
  keep?: string;
  /** Measure the list page in Chromium too (when it is installed). */
  browser?: boolean;
}

/** One real entry of each kind, as the probe writes them for loopback instances. */
async function templates(services: Record<string, string>): Promise<{ cobalt: CobaltInstance; mastodon: MastodonInstance }> {
  const offered = Object.keys(services).map((name) => name.replace(/_(music|shorts|clips)$/, "").replace("odnoklassniki", "ok"));
  const cobalt = await startFakeCobalt({ cors: true, offered, outcomes: Object.fromEntries(Object.values(services).map((link) => [link, { status: "redirect" as const }])) });
  const mastodon = await startFakeMastodon(mastodon4);
  try {
    const list = parseList("bench list", JSON.stringify({
      title: "Site benchmark",
      probe: { timeoutMs: 5_000, allowPrivateAddresses: ["127.0.0.1/32"] },
      services,
      instances: [{ kind: "cobalt", api: cobalt.url }, { kind: "mastodon", url: mastodon.url }],
    }));
    const { entries } = await runProbes({ list });
    return { cobalt: entries.find((entry) => entry.kind === "cobalt") as CobaltInstance, mastodon: entries.find((entry) => entry.kind === "mastodon") as MastodonInstance };
  } finally {
    await Promise.all([cobalt.close(), mastodon.close()]);
  }
}

/** The fleet: seven cobalt instances in ten, each varied from the templates by its index. */
function fleet(count: number, template: { cobalt: CobaltInstance; mastodon: MastodonInstance }): Instance[] {
  return Array.from({ length: count }, (_, index): Instance => {
    const random = seeded(`site ${index}`);
    const online = random() < 0.9;
    if (index % 10 < 7) {
      const host = `cobalt-${index}.bench.example`;
      const results: CobaltInstance["service_results"] = {};
      for (const name of Object.keys(template.cobalt.service_results)) {
        const roll = random();
        results[name] = !online ? { result: "fail", status: null, error: "timeout" }
          : roll < 0.7 ? { result: "pass", status: "tunnel", error: null }
          : roll < 0.95 ? { result: "fail", status: "error", error: ERRORS[Math.floor(random() * ERRORS.length)]! }
          : { result: "disabled", status: null, error: null };
      }
      const tested = Object.values(results).filter((result) => result.result === "pass" || result.result === "fail");
      const passed = tested.filter((result) => result.result === "pass").length;
      return {
        ...template.cobalt,
        api: host, api_url: `https://${host}/`, frontEnd: `web-${index}.bench.example`, frontend_url: `https://web-${index}.bench.example/`,
        name: `cobalt ${index}`, protocol: "https", trust: random() < 0.3 ? "safe" : "unknown",
        // Each server started at its own time, but one in a hundred is the one before it under a second name.
        startTime: template.cobalt.startTime - (index % 100 === 1 ? index - 1 : index) * 7_919_000,
        api_online: online, offline_reason: online ? null : "timeout", response_ms: online ? Math.round(80 + random() * 900) : null,
        service_results: results,
        services: Object.fromEntries(Object.entries(results).map(([name, result]) => [name, result.result === "pass"])),
        services_tested: tested.length,
        score: tested.length ? Math.round((1000 * passed) / tested.length) / 10 : 0,
      };
    }
    const host = `social-${index}.bench.example`;
    return {
      ...template.mastodon,
      url: `https://${host}/`, domain: host, name: `Social ${index}`, title: `Social ${index}`, protocol: "https",
      api_online: online, offline_reason: online ? null : "timeout", response_ms: online ? Math.round(80 + random() * 900) : null,
      users: { ...template.mastodon.users, active_month: Math.floor(random() * 50_000) },
      languages: [LANGUAGES[index % LANGUAGES.length]!],
    };
  });
}

/** Hourly runs over `days`, about one in fifty missed, written to the history store. */
function writeHistory(dir: string, entries: Instance[], days: number, end: number): number {
  const keys = entries.map((entry) => instanceKey(entry.kind, "api_url" in entry ? entry.api_url : entry.url));
  const services = entries.map((entry) => ("service_results" in entry ? Object.keys(entry.services) : []));
  const random = seeded("history");
  let runs = 0;
  for (let hour = days * 24; hour >= 1; hour--) {
    if (random() < 0.02) continue;
    const samples = new Map<string, Sample | null>();
    keys.forEach((key, index) => {
      const online = random() < 0.93;
      samples.set(key, {
        online,
        ms: online ? Math.round(80 + random() * 900) : null,
        services: online ? Object.fromEntries(services[index]!.map((name) => [name, random() < 0.8])) : {},
      });
    });
    const run: Run = { at: new Date(end - hour * HOUR_MS).toISOString().replace(/\.\d{3}Z$/, "Z"), samples };
    appendRun(dir, run);
    runs++;
  }
  return runs;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/** `npm run build` in a child process that reports its own peak RSS as it exits. */
function build(env: Record<string, string>, output: string): Promise<{ wallMs: number; peakRssMb: number }> {
  const report = 'process.on("exit", () => process.stderr.write(`PEAK_RSS_KB ${process.resourceUsage().maxRSS}\\n`))';
  const args = ["--import", `data:text/javascript,${encodeURIComponent(report)}`, join(ROOT, "node_modules/@11ty/eleventy/cmd.cjs"), "--config=site/eleventy.config.js", `--output=${output}`, "--quiet"];
  const began = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    child.on("close", (code) => {
      const wallMs = Math.round(performance.now() - began);
      const rss = /PEAK_RSS_KB (\d+)/.exec(stderr);
      if (code !== 0 || !rss) return reject(new Error(`the site build failed (exit ${code}):\n${stderr}`));
      resolve({ wallMs, peakRssMb: Math.round(Number(rss[1]) / 1024) });
    });
  });
}

export interface SiteData {
  listFile: string;
  instancesFile: string;
  historyDir: string;
  entries: Instance[];
  historyRuns: number;
  historyDeriveMs: number;
}

/**
 * A list of `instances` (seven cobalt in ten, every service of data/list.json) with `days` of
 * hourly history, written to `dir` as the build reads it. The browser test of the large list
 * uses it too.
 */
export async function writeSiteData({ instances, days, dir }: { instances: number; days: number; dir: string }): Promise<SiteData> {
  const list = JSON.parse(readFileSync(join(ROOT, "data/list.json"), "utf8")) as { services: Record<string, string> };
  const end = Date.now();
  const probed = fleet(instances, await templates(list.services));
  const historyDir = join(dir, "history");
  mkdirSync(historyDir, { recursive: true });
  const historyRuns = writeHistory(historyDir, probed, days, end);
  const at = new Date(end).toISOString().replace(/\.\d{3}Z$/, "Z");
  const current = probed.map((entry) => ({ ...entry, checked_at: at, data_updated_at: entry.api_online ? at : entry.data_updated_at }) as Instance);
  // What each probe run spends on history for a list this size: read 90 days, derive every entry's.
  const historyStarted = performance.now();
  const { entries } = prepareHistory(historyDir, current, []);
  const historyDeriveMs = Math.round(performance.now() - historyStarted);
  assertValidOutput(entries);
  const instancesFile = join(dir, "instances.json");
  const listFile = join(dir, "list.json");
  writeFileSync(instancesFile, `${JSON.stringify(entries, null, 2)}\n`);
  writeFileSync(listFile, JSON.stringify({
    title: "Site benchmark",
    site: "https://bench.example/list/",
    services: list.services,
    instances: entries.map((entry) => ("api_url" in entry ? { kind: "cobalt", api: entry.api_url } : { kind: "mastodon", url: entry.url })),
  }));
  return { listFile, instancesFile, historyDir, entries, historyRuns, historyDeriveMs };
}

/** Bytes of the files under `dir` at one of `paths`: a folder ("badges/") or a file. */
function bytesUnder(dir: string, files: string[], paths: string[]): number {
  const wanted = (file: string) => paths.some((path) => (path.endsWith("/") ? file.startsWith(join(dir, path)) : file === join(dir, path)));
  return files.filter(wanted).reduce((total, file) => total + statSync(file).size, 0);
}

const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;

export async function measureSiteBuild(options: SiteBenchOptions = {}) {
  const count = options.instances ?? 1_000;
  const days = options.days ?? 90;
  const folder = options.keep ? { dir: options.keep, remove: () => {} } : temporaryDirectory();
  mkdirSync(folder.dir, { recursive: true });
  try {
    const { listFile, instancesFile, historyDir, entries, historyRuns: runs, historyDeriveMs } = await writeSiteData({ instances: count, days, dir: folder.dir });
    const output = join(folder.dir, "_site");
    const { wallMs, peakRssMb } = await build({ LIST_FILE: listFile, INSTANCES_FILE: instancesFile, HISTORY_DIR: historyDir }, output);
    const home = readFileSync(join(output, "index.html"));
    const files = filesUnder(output);
    // The list page of a 300-instance list (the size of the original public list, with room).
    const small = { instances: join(folder.dir, "instances-300.json"), output: join(folder.dir, "_site-300") };
    writeFileSync(small.instances, `${JSON.stringify(entries.slice(0, 300), null, 2)}\n`);
    await build({ LIST_FILE: listFile, INSTANCES_FILE: small.instances, HISTORY_DIR: historyDir }, small.output);
    const home300 = readFileSync(join(small.output, "index.html"));
    const browser = options.browser !== false && !missingBrowser() ? await measureListPage(output) : null;
    return {
      wallMs,
      instances: count,
      cobalt: entries.filter((entry) => entry.kind === "cobalt").length,
      mastodon: entries.filter((entry) => entry.kind === "mastodon").length,
      historyDays: days,
      historyRuns: runs,
      historyDeriveMs,
      filesWritten: files.length,
      siteMb: mb(files.reduce((total, file) => total + statSync(file).size, 0)),
      // What grows with the list: each instance's page, JSON, feed and badges.
      instanceFilesMb: mb(bytesUnder(output, files, ["instances/", "badges/"])),
      // The published lists, whose contents are the API: /instances.json, /<kind>.json, /services/*.json.
      listJsonMb: mb(bytesUnder(output, files, ["instances.json", "cobalt.json", "mastodon.json", "services/"])),
      buildPeakRssMb: peakRssMb,
      homeKb: Math.round(home.length / 1024),
      homeGzipKb: Math.round(gzipSync(home).length / 1024),
      home300Kb: Math.round(home300.length / 1024),
      home300GzipKb: Math.round(gzipSync(home300).length / 1024),
      listPage: browser,
    };
  } finally {
    folder.remove();
  }
}

export type SiteFigures = Awaited<ReturnType<typeof measureSiteBuild>>;

/** The targets for a build of `figures.instances` (the size ones at 10,000). */
export function siteTargets(figures: SiteFigures): { target: string; met: boolean }[] {
  const large = figures.instances >= 10_000;
  return [
    ...(large ? [
      { target: "10,000 instances, 90 days: build < 30 s", met: figures.wallMs < 30_000 },
      { target: "build peak RSS < 1 GB", met: figures.buildPeakRssMb < 1_024 },
      { target: "instance pages, JSON, feeds and badges < 150 MB", met: figures.instanceFilesMb < 150 },
      { target: "whole site < 1 GB (GitHub Pages' limit)", met: figures.siteMb < 1_000 },
    ] : []),
    { target: "list page of 300 instances ≤ 53 KB, 6 KB gzipped (as before)", met: figures.home300Kb <= 53 && figures.home300GzipKb <= 6 },
    ...(figures.listPage ? listPageTargets(figures.listPage) : [{ target: "list page measured in Chromium", met: false }]),
  ];
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { instances: { type: "string" }, days: { type: "string" }, keep: { type: "string" }, "no-browser": { type: "boolean", default: false } }, strict: true });
  const figures = await measureSiteBuild({ instances: values.instances ? Number(values.instances) : undefined, days: values.days ? Number(values.days) : undefined, keep: values.keep, browser: !values["no-browser"] });
  console.log(JSON.stringify(figures, null, 2));
  for (const { target, met } of siteTargets(figures)) console.log(`${met ? "✓" : "✗"} ${target}`);
}
