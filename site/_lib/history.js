// History on the site: per instance page the figures its 90-day uptime bar and 7-day
// response-time sparkline are drawn from, as short text in the page that /assets/history-chart.js
// draws (inline SVG on 10,000 pages would weigh hundreds of megabytes), with their reading
// in words for readers without JavaScript or sight; the badges and the feed's events. The
// figures come from the history store (scripts/lib/history/); this file only lays them out.
import { dirname, join, resolve } from "node:path";
import { eachRun, fairShare, readEvents, readSiteHistory, scoreBadge, uptimeBadge } from "./probe-code.js";

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export function historyDir(instancesFile, env = process.env) {
  return resolve(env.HISTORY_DIR || join(dirname(instancesFile), "history"));
}

/** The URL an entry is listed under (`api_url` for cobalt, `url` for the others). */
const listedUrl = (entry) => String(entry.api_url ?? entry.url ?? "");

/** The key the history store files an instance under: "kind host[:port]". */
export function historyKey(kind, url) {
  try {
    const { hostname, port } = new URL(url);
    const host = hostname.replace(/\.$/, "");
    return `${kind} ${port ? `${host}:${port}` : host}`;
  } catch {
    return `${kind} ${url}`;
  }
}

/**
 * The bar's figures: its first day, the usual number of checks a day (the most common, the
 * larger on a tie), and the cells, oldest first, one per day separated by spaces: "-" no check
 * made, "23" 23 up of the usual number, "20/23" 20 up of 23 on a day with another number of
 * checks. Most days have the usual number, so most cells are a number alone.
 */
export function uptimeBar(cells) {
  const days = new Map();
  for (const cell of cells) if (cell.checks) days.set(cell.checks, (days.get(cell.checks) ?? 0) + 1);
  const [usual = 0] = [...days].sort(([a, countA], [b, countB]) => countB - countA || b - a)[0] ?? [];
  const text = cells.map((cell) => (cell.checks === 0 ? "-" : cell.checks === usual ? `${cell.online}` : `${cell.online}/${cell.checks}`)).join(" ");
  return { first: cells[0].day, checks: usual, cells: text };
}

/**
 * Response-time levels as one character each (history-chart.js reads the same alphabet): a
 * time kept to a quarter octave is 2^(level/4) ms, so one character per hour says it.
 */
export const SLOT_LEVELS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** Response times in hourly slots from `since`, a level character each, "." where no online check answered; the later check wins a slot. */
export function responseSlotsText(series, since, until) {
  const slots = new Array(Math.floor((until - since) / HOUR_MS) + 1).fill(".");
  for (const point of series) {
    const slot = Math.floor((Date.parse(point.at) - since) / HOUR_MS);
    const level = Math.min(SLOT_LEVELS.length - 1, Math.max(0, Math.round(4 * Math.log2(Math.max(1, point.ms)))));
    if (slot >= 0 && slot < slots.length) slots[slot] = SLOT_LEVELS[level];
  }
  return slots.join("");
}

const plural = (count, noun) => `${count} ${noun}${count === 1 ? "" : "s"}`;

/** A plain-text reading of the bar, for screen readers and readers without JavaScript. */
export function uptimeBarText(cells) {
  const measured = cells.filter((cell) => cell.uptime !== null);
  if (!measured.length) return `No checks in the last ${plural(cells.length, "day")}.`;
  // The period's uptime is said beside the bar in figures; this says what the bar shows beyond it.
  const full = measured.filter((cell) => cell.uptime === 100).length;
  const gaps = cells.length - measured.length;
  const worst = measured.reduce((low, cell) => (cell.uptime < low.uptime ? cell : low));
  return `Over the last ${cells.length} days: ${plural(full, "day")} fully up${gaps ? `, ${plural(gaps, "day")} without any check` : ""}${worst.uptime < 100 ? `; the worst, ${worst.day}, ${worst.uptime}% up` : ""}.`;
}

export function sparklineText(series) {
  if (!series.length) return "No response times measured in the last 7 days.";
  const values = series.map((point) => point.ms).sort((a, b) => a - b);
  return `Response time over the last 7 days: ${values.length} answers, fastest ${values[0]} ms, median ${values[Math.floor(values.length / 2)]} ms, slowest ${values[values.length - 1]} ms.`;
}

/**
 * The drawings of every page and the fleet's service health, from one pass over the runs of
 * the 90 days up to `now`; both data files ask for it, so it is made once per build.
 */
let cached = { key: null, value: null };
export function recentHistory({ dir, now, pages, repeated = new Set() }) {
  const key = [dir, now.toISOString(), pages, repeated];
  if (!cached.key || key.some((part, index) => part !== cached.key[index])) {
    const keys = pages.map((page) => historyKey(page.kind, listedUrl(page.entry)));
    cached = { key, value: readSiteHistory(eachRun(dir, new Date(now.getTime() - 90 * DAY_MS), { marks: false }), { keys, now, skip: repeated }) };
  }
  return cached.value;
}

/** An instance's shields.io endpoint badges: where each is published, and its JSON. */
export function badgesFor(page) {
  const base = `/badges/${page.url.replace(/^\/instances\//, "").replace(/\/$/, "")}`;
  const badges = [{ name: "uptime", path: `${base}/uptime.json`, json: uptimeBadge(page.entry.history) }];
  if ("score" in page.entry) badges.push({ name: "score", path: `${base}/score.json`, json: scoreBadge(page.entry.services_tested === 0 ? null : page.entry.score) });
  return badges;
}

/** Everything history adds to the site, per instance page, plus the feed's events. */
export function historyData({ pages, lastChecked, instancesFile, repeated }) {
  const dir = historyDir(instancesFile);
  const now = lastChecked ? new Date(lastChecked) : new Date();
  const drawn = recentHistory({ dir, now, pages, repeated });
  const since = now.getTime() - 7 * DAY_MS;
  const perPage = pages.map((page) => {
    const key = historyKey(page.kind, listedUrl(page.entry));
    const cells = drawn.cells(key);
    const series = drawn.series(key);
    return {
      url: page.url,
      key,
      bar: uptimeBar(cells),
      barText: uptimeBarText(cells),
      sparkline: series.length >= 2 ? { slots: responseSlotsText(series, since, now.getTime()) } : null,
      sparklineText: sparklineText(series),
      badges: badgesFor(page),
    };
  });
  return {
    byUrl: Object.fromEntries(perPage.map((page) => [page.url, page])),
    pageByKey: Object.fromEntries(perPage.map((page) => [page.key, page.url])),
    // The list-wide feed: the latest 50 events, at most a few per instance (read from more
    // than 50 so that one busy instance leaves room for the others).
    events: fairShare(readEvents(dir, 2000), 50),
  };
}
