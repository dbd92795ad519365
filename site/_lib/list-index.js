// The home page's compact index: per kind, one small object per instance with only what
// the table shows, filters and sorts on (site/assets/rows.js draws it). Published as
// /assets/list-<kind>.json, which the page fetches only when a reader filters, sorts or
// searches, and used at build time for the first page of each kind and the static pages
// of the rest. It is the page's own data, not part of the JSON API.
import { errorText } from "./filters.js";
import { httpUrl } from "./settings.js";
import { PAGE_SIZE, kindTitle, monitoredDays } from "../assets/rows.js";

const PROTECTION = { turnstile: "Turnstile", api_key: "API key", jwt: "session token", auth: "credentials", challenge: "bot check" };
const MARKS = { pass: "p", fail: "f", untested: "u", disabled: "d" };

const hostOf = (url) => String(url ?? "").replace(/^https?:\/\//i, "").replace(/\/$/, "");
const state = (entry) => (entry.api_online !== true ? 0 : entry.stale === true ? 1 : 2);
const uptimes = (entry) => [entry.history?.uptime?.["24h"] ?? null, entry.history?.uptime?.["30d"] ?? null];

function common(entry, page) {
  return {
    n: String(entry.name ?? entry.title ?? page.slug),
    s: page.slug,
    o: state(entry),
    r: entry.api_online === true ? "" : errorText(entry.offline_reason) || "no answer",
    u: uptimes(entry),
    // Listed since (the first sighting's date) and for how many days.
    ls: monitoredDays(entry) === null ? null : entry.history.first_seen.slice(0, 10),
    lm: monitoredDays(entry),
    // For the "answers over IPv6" filter: present only when it does, so the index stays small.
    ...(entry.answers_ipv6 === true ? { v6: 1 } : {}),
  };
}

const ROW = {
  cobalt: (entry, page, services) => ({
    ...common(entry, page),
    h: String(entry.api ?? ""),
    w: httpUrl(entry.frontend_url)?.href ?? null,
    // The front end's name as listed, when it says more than the address.
    ...(entry.frontEnd && entry.frontEnd !== hostOf(entry.frontend_url) ? { f: String(entry.frontEnd) } : {}),
    // A score over no tested service (protected, never reached) is 0 but says nothing: shown as none.
    c: typeof entry.score === "number" && entry.services_tested !== 0 ? entry.score : null,
    sv: services.map((name) => MARKS[entry.service_results?.[name]?.result] ?? "-").join(""),
    v: String(entry.version ?? ""),
    t: String(entry.trust ?? "unknown"),
    p: (entry.protection ?? []).map((name) => PROTECTION[name] ?? name).join(", "),
    // The CDN in front of it, for the "not behind a CDN" filter; null for none known.
    d: entry.cdn ?? null,
  }),
  mastodon: (entry, page) => ({
    ...common(entry, page),
    h: String(entry.domain ?? ""),
    w: httpUrl(entry.url)?.href ?? null,
    a: typeof entry.users?.active_month === "number" ? entry.users.active_month : null,
    g: entry.registrations?.enabled === true ? (entry.registrations.approval_required ? 1 : 2) : entry.registrations?.enabled === false ? 0 : -1,
    v: entry.software?.name ? `${entry.software.name}${entry.software.version ? ` ${entry.software.version}` : ""}` : String(entry.version ?? ""),
    l: (entry.languages ?? []).map(String),
  }),
};

function genericRow(entry, page) {
  const url = httpUrl(entry.url ?? entry.api_url)?.href ?? null;
  return { ...common(entry, page), h: url ? url.replace(/^https?:\/\//, "").replace(/\/$/, "") : "", w: url };
}

/**
 * Per kind, in table order: { kind, title, services, labels, rows, online, pages }, where
 * `pages` are the static pages (number, url, rows) and the first is the home page's.
 */
export function listIndex({ kinds, tableRows, pageOf, serviceNames, serviceLabel }) {
  return kinds.map((kind) => {
    const services = kind === "cobalt" ? serviceNames : [];
    const rows = tableRows[kind].map((entry) => (ROW[kind] ?? genericRow)(entry, pageOf.get(entry), services));
    const count = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
    const pages = Array.from({ length: count }, (_, index) => ({
      kind,
      number: index + 1,
      count,
      url: index === 0 ? `/#${kind}` : `/${kind}/${index + 1}/`,
      first: index * PAGE_SIZE + 1,
      last: Math.min(rows.length, (index + 1) * PAGE_SIZE),
      rows: rows.slice(index * PAGE_SIZE, (index + 1) * PAGE_SIZE),
    }));
    return {
      kind,
      title: kindTitle(kind),
      services,
      labels: services.map(serviceLabel),
      rows,
      online: rows.filter((row) => row.o > 0).length,
      pages,
    };
  });
}
