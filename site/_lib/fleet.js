// The fleet on the site: per cobalt service its health over time (an inline SVG chart
// drawn at build time, readable without JavaScript in both colour schemes), the times it
// was broken everywhere, the versions the listed instances run, and each instance's own
// feed's events. The figures come from scripts/lib/ (history/fleet.ts, versions.ts); this
// file only arranges and draws them.
import { serviceLabel } from "./filters.js";
import { allBrokenEpisodes, BROKEN_EVERYWHERE, compareVersionsDescending, isBehind, newestReleases, serviceKey, releaseKey, versionFacts } from "./probe-code.js";

const DAY_MS = 86_400_000;
/** A chart draws at most this many points: a day's runs are averaged beyond it. */
const MAX_POINTS = 540;

const escapeXml = (text) => String(text).replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
const share = (passed, tested) => (tested ? Math.round((1000 * passed) / tested) / 10 : null);

/** Points merged into at most `max` buckets of equal time, each its runs' total. */
function bucketed(points, max) {
  if (points.length <= max) return points.map((point) => ({ ...point, time: Date.parse(point.at) }));
  const first = Date.parse(points[0].at);
  const span = Date.parse(points[points.length - 1].at) - first || 1;
  const buckets = new Map();
  for (const point of points) {
    const time = Date.parse(point.at);
    const index = Math.min(max - 1, Math.floor(((time - first) / span) * max));
    const bucket = buckets.get(index) ?? { at: point.at, time, tested: 0, passed: 0 };
    bucket.tested += point.tested;
    bucket.passed += point.passed;
    buckets.set(index, bucket);
  }
  return [...buckets.values()];
}

/**
 * The share of tested instances where the service worked, per run, as a line over time;
 * runs that tested none break the line; episodes of "broken everywhere" are shaded. Colours
 * come from the stylesheet (classes), so both schemes apply.
 */
export function healthChartSvg(points, episodes, { width = 720, height = 200, small = false } = {}) {
  if (!points.length) return "";
  const pad = small ? { left: 2, right: 2, top: 2, bottom: 2 } : { left: 40, right: 8, top: 8, bottom: 22 };
  const drawn = bucketed(points, small ? 90 : MAX_POINTS);
  const first = drawn[0].time;
  const last = drawn[drawn.length - 1].time;
  const span = Math.max(1, last - first);
  const x = (time) => pad.left + ((time - first) / span) * (width - pad.left - pad.right);
  const y = (percent) => pad.top + (1 - percent / 100) * (height - pad.top - pad.bottom);
  let path = "";
  let open = false;
  for (const point of drawn) {
    if (!point.tested) {
      open = false;
      continue;
    }
    path += `${open ? "L" : "M"}${x(point.time).toFixed(1)},${y((100 * point.passed) / point.tested).toFixed(1)}`;
    open = true;
  }
  const shades = episodes.map((episode) => {
    const from = x(Math.max(first, Date.parse(episode.started)));
    const to = x(episode.ended ? Math.min(last, Date.parse(episode.ended)) : last);
    return `<rect class="broken" x="${from.toFixed(1)}" y="${pad.top}" width="${Math.max(2, to - from).toFixed(1)}" height="${height - pad.top - pad.bottom}"><title>${escapeXml(`Broken everywhere from ${utc(episode.started)}${episode.ended ? ` to ${utc(episode.ended)}` : " until now"}`)}</title></rect>`;
  });
  const axes = small ? "" : [
    ...[0, 50, 100].map((percent) => `<line class="grid" x1="${pad.left}" x2="${width - pad.right}" y1="${y(percent)}" y2="${y(percent)}"/><text x="${pad.left - 6}" y="${y(percent) + 4}" text-anchor="end">${percent}%</text>`),
    `<text x="${pad.left}" y="${height - 6}">${escapeXml(utc(drawn[0].at))}</text>`,
    `<text x="${width - pad.right}" y="${height - 6}" text-anchor="end">${escapeXml(utc(drawn[drawn.length - 1].at))}</text>`,
  ].join("");
  // A single point is a line of no length: a dot shows it.
  const dot = path && !path.includes("L") ? `<circle class="line-dot" cx="${path.slice(1).split(",")[0]}" cy="${path.split(",")[1]}" r="3"/>` : "";
  return `<svg class="health${small ? " small" : ""}" viewBox="0 0 ${width} ${height}" preserveAspectRatio="none" role="img" aria-hidden="true" focusable="false">${shades.join("")}${axes}<path class="line" d="${path}"/>${dot}</svg>`;
}

const utc = (iso) => `${iso.slice(0, 16).replace("T", " ")} UTC`;

/** The chart in words, for screen readers and for anyone who wants the figures. */
export function healthText(points, label, days) {
  const measured = points.filter((point) => point.tested);
  if (!measured.length) return `${label} was not tested in the last ${days} days.`;
  const tested = measured.reduce((sum, point) => sum + point.tested, 0);
  const passed = measured.reduce((sum, point) => sum + point.passed, 0);
  const worst = measured.reduce((low, point) => (point.passed / point.tested < low.passed / low.tested ? point : low));
  return `Over ${measured.length} runs in the last ${days} days, ${label} worked at ${share(passed, tested)}% of its tests; the lowest run was ${utc(worst.at)}, when it worked on ${worst.passed} of ${worst.tested} tested instances.`;
}

/** Everything the fleet adds to the site; `series` is each service's health per run, a backend listed twice counted once. */
export function fleetData({ series, now, services, entries, pages }) {
  const episodes = allBrokenEpisodes(series);
  const since = now.getTime() - 90 * DAY_MS;
  const perService = {};
  for (const { name } of services) {
    const points = series.get(name) ?? [];
    const own = episodes.filter((episode) => episode.service === name);
    const latest = points.at(-1) ?? null;
    const current = own.find((episode) => episode.ended === null) ?? null;
    perService[name] = {
      name,
      points,
      latest,
      latestShare: latest ? share(latest.passed, latest.tested) : null,
      episodes: own,
      current,
      // An episode that ended in the last day is still news.
      recentEnd: own.find((episode) => episode.ended && now.getTime() - Date.parse(episode.endConfirmed) < DAY_MS) ?? null,
      chart: healthChartSvg(points, own),
      smallChart: healthChartSvg(points, own, { width: 180, height: 40, small: true }),
      text: healthText(points, serviceLabel(name), Math.max(1, Math.round((now.getTime() - Math.max(since, Date.parse(points[0]?.at ?? now.toISOString()))) / DAY_MS))),
    };
  }
  const versions = versionsData(entries, pages);
  const brokenNow = Object.values(perService).filter((service) => service.current);
  const endedLately = Object.values(perService).filter((service) => !service.current && service.recentEnd);
  return {
    rule: BROKEN_EVERYWHERE,
    services: perService,
    brokenNow,
    endedLately,
    versions,
    versionOf: Object.fromEntries(versions.flatMap((group) => group.rows.filter((row) => row.page).map((row) => [row.page.url, { software: group.software, newest: group.newest, raw: row.raw, semver: row.semver, behind: row.behind }]))),
    eventPages: {
      ...Object.fromEntries(services.map(({ name }) => [serviceKey(name), `/services/${name}/`])),
      ...Object.fromEntries([...new Set(entries.map((entry) => versionFacts(entry).software))].map((software) => [releaseKey(software), `/versions/#software-${software}`])),
    },
  };
}

/** Per kind, per software: the versions run and by how many instances, newest first, and every instance's row. */
function versionsData(entries, pages) {
  const pageOf = new Map(pages.map((page) => [page.entry, page]));
  const newest = newestReleases(entries);
  const groups = new Map();
  for (const entry of entries) {
    const facts = versionFacts(entry);
    const id = `${entry.kind} ${facts.software}`;
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { kind: entry.kind, software: facts.software, newest: newest.get(facts.software) ?? null, rows: [], counts: new Map() }));
    const behind = isBehind(facts.semver, group.newest);
    group.rows.push({ entry, page: pageOf.get(entry), raw: facts.raw, semver: facts.semver, behind });
    const label = facts.semver ?? "unknown";
    const count = group.counts.get(label) ?? { version: facts.semver, label, count: 0, behind };
    count.count++;
    group.counts.set(label, count);
  }
  return [...groups.values()]
    .sort((a, b) => a.kind.localeCompare(b.kind) || b.rows.length - a.rows.length || a.software.localeCompare(b.software))
    .map((group) => {
      const counts = [...group.counts.values()].sort((a, b) => compareVersionsDescending(a.version, b.version));
      group.rows.sort((a, b) => compareVersionsDescending(a.semver, b.semver) || String(a.entry.name).localeCompare(String(b.entry.name)));
      return { ...group, counts, chart: versionChartSvg(counts), behindCount: group.rows.filter((row) => row.behind).length };
    });
}

/** One bar per version (the 12 most run; the rest summed as "other"), behind ones in their own colour. */
function versionChartSvg(counts) {
  const shown = [...counts].sort((a, b) => b.count - a.count).slice(0, 12).sort((a, b) => compareVersionsDescending(a.version, b.version));
  const rest = counts.length > shown.length ? counts.filter((count) => !shown.includes(count)).reduce((sum, count) => sum + count.count, 0) : 0;
  const bars = rest ? [...shown, { label: "other", count: rest, behind: true }] : shown;
  const max = Math.max(1, ...bars.map((bar) => bar.count));
  const row = 22, labelWidth = 110, width = 480;
  const rects = bars.map((bar, index) => {
    const length = Math.max(2, ((width - labelWidth - 40) * bar.count) / max);
    const top = index * row;
    return `<text x="${labelWidth - 6}" y="${top + 15}" text-anchor="end">${escapeXml(bar.label)}</text><rect class="${bar.behind ? "behind" : "current"}" x="${labelWidth}" y="${top + 3}" width="${length.toFixed(1)}" height="${row - 6}"/><text x="${(labelWidth + length + 4).toFixed(1)}" y="${top + 15}">${bar.count}</text>`;
  });
  return `<svg class="versions-chart" viewBox="0 0 ${width} ${bars.length * row}" role="img" aria-hidden="true" focusable="false">${rects.join("")}</svg>`;
}

/** Events read for the per-instance feeds: enough for every instance's latest few. */
export const EVENTS_READ = 20_000;

/** Each instance's latest events (its own feed), by history key; at most 30 each. */
export function instanceFeeds(events) {
  const byKey = new Map();
  for (const event of events) {
    const list = byKey.get(event.key);
    if (!list) byKey.set(event.key, [event]);
    else if (list.length < 30) list.push(event);
  }
  return Object.fromEntries(byKey);
}
