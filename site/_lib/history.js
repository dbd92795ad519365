// History on the site: the 90-day uptime bar and the response-time sparkline as inline
// SVG made at build time, the badges and the feed's events. The figures come from the
// history store (scripts/lib/history/); this file only draws them.
import { dirname, join, resolve } from "node:path";
import { badgeMarkdown, dailyUptime, fairShare, readEvents, readRuns, responseSeries, scoreBadge, uptimeBadge } from "./probe-code.js";

const DAY_MS = 86_400_000;

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

const escapeXml = (text) => String(text).replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

function colorOf(uptime) {
  if (uptime === null) return "#d0d4d9";
  if (uptime >= 99) return "#2f9e44";
  if (uptime >= 95) return "#94d82d";
  if (uptime >= 80) return "#fab005";
  return "#e03131";
}

/** One cell a day; days without a check are grey and say "no data". */
export function uptimeBarSvg(cells) {
  const width = 4, gap = 1, height = 24;
  const rects = cells.map((cell, index) => {
    const label = cell.uptime === null ? `${cell.day}: no check made` : `${cell.day}: ${cell.uptime}% of ${cell.checks} checks`;
    return `<rect x="${index * (width + gap)}" y="0" width="${width}" height="${height}" fill="${colorOf(cell.uptime)}"><title>${escapeXml(label)}</title></rect>`;
  });
  const total = cells.length * (width + gap) - gap;
  return `<svg class="uptime-bar" viewBox="0 0 ${total} ${height}" width="${total}" height="${height}" aria-hidden="true" focusable="false">${rects.join("")}</svg>`;
}

/** A plain-text reading of the bar for screen readers. */
export function uptimeBarText(cells) {
  const measured = cells.filter((cell) => cell.uptime !== null);
  if (!measured.length) return `No checks in the last ${cells.length} days.`;
  const checks = measured.reduce((sum, cell) => sum + cell.checks, 0);
  const online = measured.reduce((sum, cell) => sum + cell.online, 0);
  const full = measured.filter((cell) => cell.uptime === 100).length;
  const gaps = cells.length - measured.length;
  return `Over the last ${cells.length} days: up at ${online} of ${checks} checks (${Math.round((10000 * online) / checks) / 100}%); ${full} days fully up${gaps ? `, ${gaps} days without any check` : ""}.`;
}

/** Response time of the online checks as a polyline, oldest on the left. */
export function sparklineSvg(series, since, until) {
  const width = 240, height = 40;
  if (series.length < 2) return "";
  const max = Math.max(...series.map((point) => point.ms));
  const span = Math.max(1, until - since);
  const points = series.map((point) => {
    const x = ((Date.parse(point.at) - since) / span) * width;
    const y = height - 2 - (point.ms / max) * (height - 4);
    return `${x.toFixed(1)},${y.toFixed(1)}`;
  });
  return `<svg class="sparkline" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" aria-hidden="true" focusable="false"><polyline fill="none" stroke="currentColor" stroke-width="1.5" points="${points.join(" ")}"/></svg>`;
}

export function sparklineText(series) {
  if (!series.length) return "No response times measured in the last 7 days.";
  const values = series.map((point) => point.ms).sort((a, b) => a - b);
  return `Response time over the last 7 days: ${values.length} answers, fastest ${values[0]} ms, median ${values[Math.floor(values.length / 2)]} ms, slowest ${values[values.length - 1]} ms.`;
}

/** The runs of the 90 days up to `now`, read once per build for every page that draws from them. */
let cachedRuns = { key: null, runs: null };
export function recentRuns(dir, now) {
  const key = `${dir}\0${now.toISOString()}`;
  if (cachedRuns.key !== key) cachedRuns = { key, runs: readRuns(dir, new Date(now.getTime() - 90 * DAY_MS)) };
  return cachedRuns.runs;
}

/** Everything history adds to the site, per instance page, plus the feed's events. */
export function historyData({ pages, lastChecked, instancesFile, siteUrl }) {
  const dir = historyDir(instancesFile);
  const now = lastChecked ? new Date(lastChecked) : new Date();
  const runs = recentRuns(dir, now);
  const since = now.getTime() - 7 * DAY_MS;
  const perPage = pages.map((page) => {
    const key = historyKey(page.kind, listedUrl(page.entry));
    const cells = dailyUptime(runs, key, now);
    const series = responseSeries(runs, key, new Date(since));
    const base = `/badges/${page.url.replace(/^\/instances\//, "").replace(/\/$/, "")}`;
    const badges = [{ name: "uptime", path: `${base}/uptime.json`, json: uptimeBadge(page.entry.history) }];
    if ("score" in page.entry) badges.push({ name: "score", path: `${base}/score.json`, json: scoreBadge(page.entry.services_tested === 0 ? null : page.entry.score) });
    for (const badge of badges) {
      badge.markdown = siteUrl ? badgeMarkdown(new URL(badge.path.slice(1), siteUrl).href, new URL(page.url.slice(1), siteUrl).href, `${badge.name} of ${page.entry.name ?? key}`) : null;
    }
    return { url: page.url, key, bar: uptimeBarSvg(cells), barText: uptimeBarText(cells), sparkline: sparklineSvg(series, since, now.getTime()), sparklineText: sparklineText(series), badges };
  });
  return {
    byUrl: Object.fromEntries(perPage.map((page) => [page.url, page])),
    pageByKey: Object.fromEntries(perPage.map((page) => [page.key, page.url])),
    badges: perPage.flatMap((page) => page.badges),
    // The list-wide feed: the latest 50 events, at most a few per instance (read from more
    // than 50 so that one busy instance leaves room for the others).
    events: fairShare(readEvents(dir, 2000), 50),
  };
}
