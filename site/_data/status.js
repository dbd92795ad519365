// The list's health at build time, published as /status.json and read by every page's
// age line: when the data was checked, by which run, how many instances answered.
import { execFileSync } from "node:child_process";
import instances from "./instances.js";
import site from "./site.js";

// Made once per version of the instances data, so every page of a build says the same.
let cached = { from: null, value: null };

export default function () {
  const data = instances();
  if (cached.from !== data) cached = { from: data, value: Object.freeze(statusOf(data)) };
  return cached.value;
}

function statusOf({ entries, lastChecked }) {
  const { refreshMinutes, staleAfterMinutes, demo } = site();
  const generated = new Date();
  const byKind = {};
  for (const entry of entries) {
    const counts = (byKind[entry.kind] ??= { total: 0, online: 0, offline: 0, stale: 0 });
    counts.total++;
    counts[entry.api_online === true ? "online" : "offline"]++;
    if (entry.stale === true) counts.stale++;
  }
  const sum = (key) => Object.values(byKind).reduce((total, counts) => total + counts[key], 0);
  return {
    generated_at: isoSeconds(generated),
    checked_at: lastChecked === null ? null : isoSeconds(new Date(lastChecked)),
    refresh_minutes: refreshMinutes,
    stale_after_minutes: staleAfterMinutes,
    // Already stale when built (the pages then warn even without JavaScript).
    stale: lastChecked !== null && generated.getTime() - Date.parse(lastChecked) > staleAfterMinutes * 60_000,
    demo,
    run: runInfo(),
    checked_from: checkedFrom(entries),
    instances: { total: entries.length, online: sum("online"), offline: sum("offline"), stale: sum("stale"), by_kind: byKind },
  };
}

/**
 * Where the instances were checked from, as their entries say (`checked_from`): each kind of
 * machine once, with how many entries it checked, most first. Shards of a run may differ.
 */
function checkedFrom(entries) {
  const counts = new Map();
  for (const entry of entries) {
    const from = entry.checked_from;
    if (!from) continue;
    const key = `${from.runner} ${from.os} ${from.arch}`;
    const seen = counts.get(key) ?? { runner: from.runner ?? null, os: from.os ?? null, arch: from.arch ?? null, instances: 0 };
    seen.instances++;
    counts.set(key, seen);
  }
  return [...counts.values()].sort((a, b) => b.instances - a.instances);
}

/** The workflow run that built the site (GitHub Actions sets these) and the commit of the data. */
function runInfo(env = process.env) {
  const number = /^\d+$/.test(env.GITHUB_RUN_NUMBER ?? "") ? Number(env.GITHUB_RUN_NUMBER) : null;
  const id = /^\d+$/.test(env.GITHUB_RUN_ID ?? "") ? env.GITHUB_RUN_ID : null;
  const url = id && /^https:\/\/[^/]+$/.test(env.GITHUB_SERVER_URL ?? "") && /^[\w.-]+\/[\w.-]+$/.test(env.GITHUB_REPOSITORY ?? "")
    ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${id}` : null;
  return { number, url, commit: headCommit() ?? (/^[0-9a-f]{40}$/.test(env.GITHUB_SHA ?? "") ? env.GITHUB_SHA : null) };
}

/** The checked-out commit (in the publish job: the data commit just made), or null outside a git checkout. */
function headCommit() {
  try {
    const commit = execFileSync("git", ["rev-parse", "HEAD"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    return /^[0-9a-f]{40}$/.test(commit) ? commit : null;
  } catch {
    return null;
  }
}

function isoSeconds(date) {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
