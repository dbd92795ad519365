// The list page in a real browser: a built site served from 127.0.0.1 under its path prefix,
// opened in headless Chromium (the browser tests' one, test/support/browser.ts).
//
// - First load: every response until the page has loaded and the network is idle, summed as
//   served and gzipped as GitHub Pages serves text (a local server does not compress).
// - Desktop (1400 px): navigation start to the load event, to the script's `list-ready` mark,
//   and to interactive: a search typed the moment the filter form shows (for an instance past
//   the first page, so the script must fetch the index and filter every row) until the table
//   shows that instance and only matching rows.
// - Phone (390 px, CPU slowed 4× through CDP): the longest main-thread task from navigation
//   until the first filter has drawn (from a trace, so tasks under 50 ms count too; the
//   PerformanceObserver long tasks, over 50 ms, are counted beside it), and the time from the
//   load event until "Works for" a service shows the instances it matches, the service chosen
//   at the load event through the form's own controls ("More filters" opened, the select
//   focused, its value set and an input event sent, as a tap would, in one step). The same phone loading a page of one heading gives
//   the machine's floor for the longest task: on a busy machine it alone can pass 200 ms.
// Each figure is the median of `runs` fresh browser contexts (no cache), after one warm-up.
//
//   node scripts/bench/list-page.ts --site DIR [--prefix /list/] [--runs 3]
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import type { Browser, Page, Response } from "playwright-core";
import { launchBrowser } from "../../test/support/browser.ts";
import { serveStatic } from "../../test/support/static-site.ts";

export interface ListPageOptions {
  /** The path the site is served under; read from the built home page's stylesheet link when not given. */
  pathPrefix?: string;
  /** Fresh contexts per measurement; each figure is their median. */
  runs?: number;
}

export interface ListPageFigures {
  runs: number;
  /** Responses of the first load of `/`: HTML, styles, scripts and whatever else the page asks for before it is idle. */
  firstLoadRequests: number;
  firstLoadKb: number;
  /** The same responses with text gzipped (level 6), as GitHub Pages sends them. */
  firstLoadGzipKb: number;
  htmlGzipKb: number;
  /** The compact indexes the first filter, search or sort fetches, gzipped. */
  indexGzipKb: number;
  desktopLoadMs: number;
  desktopReadyMs: number;
  desktopInteractiveMs: number;
  /** Which instance the desktop search looked for (past the first page). */
  searchedFor: string;
  phoneLoadMs: number;
  phoneLongestTaskMs: number;
  phoneLongTasks: number;
  /** The longest task loading a page of one heading on the same phone: the machine's floor for phoneLongestTaskMs. */
  phoneBaselineLongestTaskMs: number;
  /** Load event to the filtered rows drawn, the filter chosen at the load event. */
  phoneFilterMs: number;
  /** The filter chosen to the filtered rows drawn (the index fetched, every row filtered, the page drawn). */
  phoneFilterDrawMs: number;
  /** The service the phone filtered by, and how many cobalt instances work for it. */
  filteredBy: string;
  filterMatches: number;
  /** The machine's 1-minute load average when the runs ended, and its CPUs: the phone's figures are slowed 4× on top of whatever else runs. */
  loadAverage: number;
  cpus: number;
}

const WIDE = { viewport: { width: 1400, height: 900 } };
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true };
const WAIT_MS = 60_000;
/** Rows per page of the list, from the code that draws it. */
const { PAGE_SIZE } = (await import("../../site/assets/rows.js" as string)) as { PAGE_SIZE: number };
const TEXT_TYPES = ["text/", "application/json", "application/javascript", "application/atom+xml", "image/svg+xml"];

interface IndexRow { n: string; h: string; sv?: string }
interface KindIndex { services: string[]; labels: string[]; rows: IndexRow[] }

const median = (values: number[]): number => {
  const sorted = values.toSorted((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const kb = (bytes: number): number => Math.round(bytes / 102.4) / 10;
const ms = (value: number): number => Math.round(value);

/** The prefix the site was built with: what comes before assets/site.css in the home page's stylesheet link. */
function prefixOf(siteDir: string): string {
  const html = readFileSync(join(siteDir, "index.html"), "utf8");
  const match = /href="([^"]*\/)assets\/site\.css"/.exec(html);
  return match?.[1] ?? "/";
}

/** Responses as served and as gzipped text, summed. */
async function sizes(responses: Response[]): Promise<{ bytes: number; gzip: number; htmlGzip: number }> {
  let bytes = 0, gzip = 0, htmlGzip = 0;
  for (const response of responses) {
    const body = await response.body().catch(() => Buffer.alloc(0));
    const type = response.headers()["content-type"] ?? "";
    const compressed = TEXT_TYPES.some((prefix) => type.startsWith(prefix)) ? gzipSync(body, { level: 6 }).length : body.length;
    bytes += body.length;
    gzip += compressed;
    if (type.startsWith("text/html")) htmlGzip += compressed;
  }
  return { bytes, gzip, htmlGzip };
}

/** The next frame's time (ms since navigation start) at which `condition`, an expression in the page, holds. */
async function whenTrue(page: Page, condition: string): Promise<number> {
  const handle = await page.waitForFunction(`(${condition}) ? performance.now() : false`, undefined, { polling: "raf", timeout: WAIT_MS });
  return Number(await handle.jsonValue());
}

const navigationTiming = (page: Page): Promise<{ load: number }> =>
  page.evaluate('(() => { const [n] = performance.getEntriesByType("navigation"); return { load: n.loadEventEnd }; })()');

interface TraceEvent { ph: string; name: string; pid: number; tid: number; dur?: number; args?: { name?: string; data?: { url?: string }; beginData?: { url?: string } } }

/**
 * The longest task on the main thread of the renderer that parsed a page from `origin`, in ms.
 * The trace holds the browser's own pages too (Chromium draws parts of its interface as web
 * pages, each in a renderer of its own): those are not the list's.
 */
function longestTask(trace: Buffer, origin: string): number {
  const { traceEvents } = JSON.parse(trace.toString("utf8")) as { traceEvents: TraceEvent[] };
  const pids = new Set(traceEvents.filter((event) => event.name === "ParseHTML" && (event.args?.beginData?.url ?? event.args?.data?.url ?? "").startsWith(origin)).map((event) => event.pid));
  const main = new Set(traceEvents.filter((event) => event.ph === "M" && event.name === "thread_name" && event.args?.name === "CrRendererMain" && pids.has(event.pid)).map((event) => `${event.pid}:${event.tid}`));
  let longest = 0;
  for (const event of traceEvents) {
    if (event.ph !== "X" || !(event.name === "RunTask" || event.name === "ThreadControllerImpl::RunTask")) continue;
    if (main.has(`${event.pid}:${event.tid}`)) longest = Math.max(longest, (event.dur ?? 0) / 1000);
  }
  if (main.size === 0) throw new Error(`the trace has no renderer that parsed a page from ${origin}`);
  return longest;
}

export async function measureListPage(siteDir: string, options: ListPageOptions = {}): Promise<ListPageFigures> {
  const prefix = options.pathPrefix ?? prefixOf(siteDir);
  const runs = Math.max(1, options.runs ?? 3);
  const cobalt = JSON.parse(readFileSync(join(siteDir, "assets/list-cobalt.json"), "utf8")) as KindIndex;
  if (cobalt.rows.length === 0) throw new Error(`${siteDir} lists no cobalt instance: the list page bench searches and filters cobalt rows`);
  // Search: the last row in the table's order, so never on the first page of a list longer than one.
  const target = cobalt.rows.at(-1)!;
  // Filter: the service fewest instances work for (but some do), so the view changes the most.
  const passes = cobalt.services.map((_, index) => cobalt.rows.filter((row) => row.sv?.[index] === "p").length);
  const service = passes.reduce((best, count, index) => (count > 0 && (passes[best]! === 0 || count < passes[best]!) ? index : best), 0);
  const matches = passes[service]!;
  const server = await serveStatic(siteDir, prefix);
  const url = `${server.url}${prefix}`;
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser();
    const open = async (context: typeof WIDE | typeof PHONE) => {
      const page = await (await browser!.newContext(context)).newPage();
      page.setDefaultTimeout(WAIT_MS);
      return page;
    };
    const close = (page: Page) => page.context().close();

    /** Every response of the first load, as served and gzipped. */
    async function firstLoad() {
      const page = await open(WIDE);
      const responses: Response[] = [];
      page.on("response", (response) => responses.push(response));
      await page.goto(url, { waitUntil: "networkidle" });
      const size = await sizes(responses);
      await close(page);
      return { requests: responses.length, ...size };
    }

    /** Desktop: load, ready, and a search that works. */
    async function desktop() {
      const page = await open(WIDE);
      const indexes: Response[] = [];
      page.on("response", (response) => {
        if (/\/assets\/list-[^/]*\.json$/.test(new URL(response.url()).pathname)) indexes.push(response);
      });
      await page.goto(url, { waitUntil: "commit" });
      await page.locator("#filters input[name=q]").fill(target.h);
      const host = JSON.stringify(target.h);
      const interactive = await whenTrue(page, `(() => {
        const hosts = [...document.querySelectorAll('table[data-kind="cobalt"] tbody th small')].map((small) => small.textContent);
        return hosts.includes(${host}) && hosts.every((text) => text.includes(${host}));
      })()`);
      await page.waitForLoadState("load");
      const { load } = await navigationTiming(page);
      const ready = Number(await page.evaluate('performance.getEntriesByName("list-ready")[0]?.startTime ?? -1'));
      await page.waitForLoadState("networkidle");
      const index = await sizes(indexes);
      await close(page);
      return { load, ready, interactive, indexGzip: index.gzip };
    }

    /** A phone page with the CPU slowed 4× and a trace running: `during` runs in it, the longest task is read from the trace. */
    async function onPhone<T>(during: (page: Page) => Promise<T>): Promise<{ page: Page; result: T; longest: number }> {
      const page = await open(PHONE);
      const cdp = await page.context().newCDPSession(page);
      await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
      await browser!.startTracing(page, { categories: ["devtools.timeline", "disabled-by-default-devtools.timeline", "toplevel"] });
      let trace: Buffer | undefined;
      try {
        const result = await during(page);
        trace = await browser!.stopTracing();
        return { page, result, longest: longestTask(trace, server.url) };
      } finally {
        if (!trace) await browser!.stopTracing();
      }
    }

    /** Phone: the longest task until the first filter has drawn, and load to filtered. */
    async function phone() {
      const { page, result: filtered, longest } = await onPhone(async (page) => {
        await page.addInitScript(`window.__longTasks = [];
          try { new PerformanceObserver((list) => { for (const entry of list.getEntries()) window.__longTasks.push(entry.duration); }).observe({ type: "longtask", buffered: true }); } catch {}`);
        await page.goto(url, { waitUntil: "load" });
        // As a reader's tap would, in one step and at once: open "More filters", focus "Works for", choose the service.
        const chosen = Number(await page.evaluate(`(() => {
          const form = document.getElementById("filters");
          form.querySelector("details.more").open = true;
          const select = form.elements.service;
          select.focus();
          select.value = ${JSON.stringify(cobalt.services[service])};
          select.dispatchEvent(new Event("input", { bubbles: true }));
          return performance.now();
        })()`));
        const count = JSON.stringify(`${matches.toLocaleString("en-US")} of `);
        const drawn = await whenTrue(page, `(() => {
          const count = document.querySelector('[data-count="cobalt"]');
          const rows = document.querySelectorAll('table[data-kind="cobalt"] tbody tr').length;
          return count?.textContent.startsWith(${count}) && rows === ${Math.min(matches, PAGE_SIZE)};
        })()`);
        return { chosen, drawn };
      });
      const { load } = await navigationTiming(page);
      const longTasks = (await page.evaluate("window.__longTasks")) as number[];
      await close(page);
      return { load, filter: filtered.drawn - load, draw: filtered.drawn - filtered.chosen, longest, longTasks: longTasks.length };
    }

    /**
     * The same phone on a page with one heading and no script, from the same server: what
     * loading any page costs on this machine now, so the list page's own part can be told apart.
     */
    async function phoneBaseline() {
      const { page, longest } = await onPhone(async (page) => {
        await page.route(`${url}calibration/`, (route) => route.fulfill({ contentType: "text/html", body: '<!doctype html><meta name="viewport" content="width=device-width"><title>Calibration</title><h1>Calibration</h1><p>One heading and one line.</p>' }));
        await page.goto(`${url}calibration/`, { waitUntil: "load" });
        await whenTrue(page, "performance.now() > 0");
      });
      await close(page);
      return longest;
    }

    // A warm-up: the browser's first page pays for starting its renderer.
    await firstLoad();
    const loads = [], desktops = [], phones = [], baselines = [];
    for (let run = 0; run < runs; run++) {
      loads.push(await firstLoad());
      desktops.push(await desktop());
      phones.push(await phone());
      baselines.push(await phoneBaseline());
    }
    return {
      runs,
      firstLoadRequests: median(loads.map((load) => load.requests)),
      firstLoadKb: kb(median(loads.map((load) => load.bytes))),
      firstLoadGzipKb: kb(median(loads.map((load) => load.gzip))),
      htmlGzipKb: kb(median(loads.map((load) => load.htmlGzip))),
      indexGzipKb: kb(median(desktops.map((run) => run.indexGzip))),
      desktopLoadMs: ms(median(desktops.map((run) => run.load))),
      desktopReadyMs: ms(median(desktops.map((run) => run.ready))),
      desktopInteractiveMs: ms(median(desktops.map((run) => run.interactive))),
      searchedFor: target.h,
      phoneLoadMs: ms(median(phones.map((run) => run.load))),
      phoneLongestTaskMs: ms(median(phones.map((run) => run.longest))),
      phoneLongTasks: median(phones.map((run) => run.longTasks)),
      phoneBaselineLongestTaskMs: ms(median(baselines)),
      phoneFilterMs: ms(median(phones.map((run) => run.filter))),
      phoneFilterDrawMs: ms(median(phones.map((run) => run.draw))),
      filteredBy: cobalt.services[service]!,
      filterMatches: matches,
      loadAverage: Math.round(loadavg()[0]! * 10) / 10,
      cpus: cpus().length,
    };
  } finally {
    await browser?.close();
    await server.close();
  }
}

/** The issues' targets for the list page, each with whether these figures meet it. */
export function listPageTargets(figures: ListPageFigures): { target: string; met: boolean }[] {
  return [
    { target: "first load of / < 150 KB gzipped", met: figures.firstLoadGzipKb < 150 },
    { target: "interactive (a search drawn) < 1 s, desktop", met: figures.desktopInteractiveMs < 1_000 },
    { target: "phone (4× CPU): longest main-thread task < 200 ms", met: figures.phoneLongestTaskMs < 200 },
    { target: "phone (4× CPU): a filter works < 1 s after load", met: figures.phoneFilterMs < 1_000 },
  ];
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { site: { type: "string" }, prefix: { type: "string" }, runs: { type: "string" } }, strict: true });
  if (!values.site) throw new Error("usage: node scripts/bench/list-page.ts --site DIR [--prefix /list/] [--runs 3]");
  const figures = await measureListPage(values.site, { pathPrefix: values.prefix, runs: values.runs ? Number(values.runs) : undefined });
  console.log(JSON.stringify(figures, null, 2));
  for (const { target, met } of listPageTargets(figures)) console.log(`${met ? "✓" : "✗"} ${target}`);
}
