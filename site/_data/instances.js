// The probed data: the raw file (published byte for byte), its entries grouped by kind,
// one page record per instance, and per-service rankings for cobalt.
import { existsSync, readFileSync, statSync } from "node:fs";
import { dataPaths, readList } from "../_lib/settings.js";
import { instanceSlug, instancesProblems, kindSlug, repeatedKeys, sameBackends } from "../_lib/probe-code.js";
import { listIndex } from "../_lib/list-index.js";
import { serviceLabel } from "../_lib/filters.js";
import { goCandidates } from "../assets/go-choice.js";

// The history data reads these too: work it out once per version of the files.
let cached = { key: null, value: null };

export default function () {
  const { instancesFile, listFile } = dataPaths();
  // A fresh checkout has no probe output yet: build an empty list rather than fail.
  const exists = existsSync(instancesFile);
  // Known by size and modification time: at 10,000 instances the file is 70 MB, and every data file asks.
  const stat = exists ? statSync(instancesFile) : null;
  const key = `${instancesFile}\0${stat?.size}\0${stat?.mtimeMs}\0${listFile}\0${readFileSync(listFile, "utf8")}`;
  // Frozen: Eleventy deep-copies a plain data object for every paginated template, but shares a frozen one.
  if (cached.key !== key) cached = { key, value: Object.freeze(instancesData(exists ? readFileSync(instancesFile, "utf8") : "[]\n", instancesFile, listFile)) };
  return cached.value;
}

function instancesData(raw, instancesFile, listFile) {
  let entries;
  try {
    entries = JSON.parse(raw);
  } catch (error) {
    throw new Error(`${instancesFile}: not valid JSON (${error.message}); run \`npm run probe\` to regenerate it.`);
  }
  // The site publishes this file as it is: only data that passes the schema gets that far.
  const problems = instancesProblems(entries, 10);
  if (problems.length) {
    throw new Error(`${instancesFile} does not match schemas/instances.schema.json, so no site is built from it:\n${problems.map((line) => `  ${line}`).join("\n")}\n` +
      "Run `npm run probe` to regenerate it, or restore the committed one with `git checkout -- data/instances.json`.");
  }

  // In list order, as published in /<kind>.json.
  const byKind = {};
  for (const entry of entries) (byKind[entry.kind] ??= []).push(entry);
  // Tables start in the order a reader wants: working instances first, the best of them on top.
  const tableRows = Object.fromEntries(Object.entries(byKind).map(([kind, rows]) => [kind, rows.toSorted(tableOrder)]));
  const kinds = Object.keys(byKind).sort();
  const pages = pagesFor(entries);
  const pageOf = new Map(pages.map((page) => [page.entry, page]));
  const listed = readList(listFile);
  const listedServices = listed.services ?? {};
  // Entries that are one backend: marked on their pages, counted once in figures.
  const backends = sameBackendsOf(entries, listed.probe?.allowPrivateAddresses);
  const sameBackendAs = new Map(backends.flatMap((group) => group.entries.map((entry) => [entry, {
    pages: group.entries.filter((other) => other !== entry).map((other) => pageOf.get(other)),
    reasons: group.reasons,
    addresses: group.addresses,
  }])));
  const repeats = new Set(backends.flatMap((group) => group.entries.slice(1)));
  const services = serviceRankings(byKind.cobalt ?? [], listedServices, pageOf, repeats);
  const list = listIndex({ kinds, tableRows, pageOf, serviceNames: services.map((service) => service.name), serviceLabel });

  return {
    raw,
    entries,
    kinds,
    byKind,
    pages,
    pageOf,
    services,
    sameBackendAs,
    repeated: repeatedKeys(backends),
    // The home page's tables: per kind its compact index and its static pages.
    list,
    listByKind: Object.fromEntries(list.map((kind) => [kind.kind, kind])),
    listPages: list.flatMap((kind) => kind.pages.slice(1)),
    // The example on the API page: a real entry, preferably one that answered.
    example: entries.find((entry) => entry.api_online === true && entry.stale !== true) ?? entries[0] ?? null,
    lastChecked: latest(entries.map((entry) => entry.checked_at)),
    // The languages Mastodon servers name, for the home page's language filter.
    languages: [...new Set((byKind.mastodon ?? []).flatMap((entry) => entry.languages ?? []))].filter((code) => /^[a-z]{2,3}(-[a-z0-9]+)*$/i.test(code)).sort(),
  };
}

/**
 * The groups of entries that are one backend. Addresses that are not public count only when
 * the list allows them (as its probe does); a setting the probe would refuse counts as none.
 */
function sameBackendsOf(entries, allowPrivateAddresses) {
  const setting = typeof allowPrivateAddresses === "boolean" || Array.isArray(allowPrivateAddresses) ? allowPrivateAddresses : false;
  try {
    return sameBackends(entries, setting);
  } catch {
    return sameBackends(entries, false);
  }
}

/** The URL an entry is listed under: it identifies the instance within its kind. */
function listedUrl(entry) {
  return String(entry.api_url ?? entry.url ?? entry.api ?? "");
}

/** One page per instance, at a slug that comes from its kind and host alone (scripts/lib/slug.ts). */
function pagesFor(entries) {
  return entries.map((entry) => {
    const slug = instanceSlug(listedUrl(entry));
    const kind = kindSlug(entry.kind);
    return { kind: entry.kind, slug, entry, url: `/instances/${kind}/${slug}/`, json: `/instances/${kind}/${slug}.json` };
  });
}

/** For each cobalt service: the instances that download from it now, best first. */
function serviceRankings(cobalt, listedServices, pageOf, repeats) {
  const names = new Set(Object.keys(listedServices));
  for (const entry of cobalt) for (const name of Object.keys(entry.services ?? {})) names.add(name);
  return [...names]
    .filter((name) => /^[a-z][a-z0-9_]*$/.test(name))
    .sort()
    .map((name) => {
      const working = cobalt
        .filter((entry) => entry.api_online === true && entry.stale !== true && entry.services?.[name] === true)
        .sort(bestFirst)
        .map((entry) => ({ entry, page: pageOf.get(entry) }));
      // `services` is false for untested and disabled services too: the detailed result tells.
      const tested = cobalt.filter((entry) => !repeats.has(entry) && ["pass", "fail"].includes(entry.service_results?.[name]?.result)).length;
      // One backend listed twice works once.
      const workingOnce = working.filter(({ entry }) => !repeats.has(entry)).length;
      // /go/<service>/: the web apps it may send readers to, in the same order.
      const go = goCandidates(working.map(({ entry }) => entry), name);
      return { name, testUrl: typeof listedServices[name] === "string" ? listedServices[name] : null, working, workingOnce, tested, go };
    });
}

/** Answering now, then answering with old values, then offline; within each, best first. */
function tableOrder(a, b) {
  const state = (entry) => (entry.api_online !== true ? 2 : entry.stale === true ? 1 : 0);
  return state(a) - state(b)
    || (b.users?.active_month ?? -1) - (a.users?.active_month ?? -1)
    || bestFirst(a, b);
}

/** Trusted first, then higher score, then faster answer, then name. */
function bestFirst(a, b) {
  const trust = { safe: 0, unknown: 1, not_safe: 2 };
  return (trust[a.trust] ?? 1) - (trust[b.trust] ?? 1)
    || scoreOf(b) - scoreOf(a)
    || (a.response_ms ?? Infinity) - (b.response_ms ?? Infinity)
    || String(a.name).localeCompare(String(b.name));
}

/** The score, or -1 when nothing was tested (its score of 0 says nothing about the instance). */
function scoreOf(entry) {
  return entry.services_tested > 0 ? entry.score : -1;
}

function latest(dates) {
  const times = dates.map((date) => Date.parse(date)).filter(Number.isFinite);
  return times.length ? new Date(Math.max(...times)).toISOString() : null;
}
