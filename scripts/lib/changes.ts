// What changed between two runs' outputs, instance by instance: the facts a maintainer
// wants from an hourly run, without reading a JSON diff.
import type { Instance } from "./run.ts";
import { keyOf, outputUrl } from "./merge.ts";

export type ChangeKind = "added" | "removed" | "down" | "back" | "version" | "score" | "stale";

export interface Change {
  kind: ChangeKind;
  /** The instance's display name (untrusted: it may come from the instance). */
  name: string;
  url: string;
  before: string;
  after: string;
}

const ORDER: ChangeKind[] = ["down", "back", "stale", "added", "removed", "version", "score"];

export function compareRuns(before: Instance[], after: Instance[]): Change[] {
  const earlier = new Map(before.map((entry) => [keyOf(entry), entry]));
  const later = new Set(after.map(keyOf));
  const changes: Change[] = [];
  for (const entry of after) {
    const now = fields(entry);
    const change = (kind: ChangeKind, from: string, to: string) => changes.push({ kind, name: now.name, url: outputUrl(entry), before: from, after: to });
    const old = earlier.get(keyOf(entry));
    if (!old) {
      change("added", "", now.online ? "online" : `down (${now.reason ?? "unknown"})`);
      continue;
    }
    const was = fields(old);
    if (was.online && !now.online) change("down", "online", `down (${now.reason ?? "unknown"})`);
    if (!was.online && now.online) change("back", `down (${was.reason ?? "unknown"})`, "online");
    // A stale entry keeps its old values, so they say nothing new; that it could not be
    // refreshed is news once, unless going down already said so.
    if (now.stale) {
      if (!was.stale && was.online === now.online) change("stale", was.updated ?? "never", `not refreshed; data from ${now.updated ?? "never"}`);
      continue;
    }
    if (was.version !== null && now.version !== null && was.version !== now.version) change("version", was.version, now.version);
    if (was.score !== null && now.score !== null && Math.abs(was.score - now.score) >= 0.05) change("score", percent(was.score), percent(now.score));
  }
  for (const entry of before) {
    if (!later.has(keyOf(entry))) changes.push({ kind: "removed", name: fields(entry).name, url: outputUrl(entry), before: "listed", after: "" });
  }
  return changes.sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
}

/** The values compared, read defensively: kinds share only the common keys. */
function fields(entry: Instance) {
  const record = entry as unknown as Record<string, unknown>;
  // cobalt's old-list keys say "" for an unknown string and 0 for a score over no test.
  const string = (value: unknown) => (typeof value === "string" && value !== "" ? value : null);
  return {
    name: string(record.name) ?? outputUrl(entry),
    online: record.api_online === true,
    reason: string(record.offline_reason),
    stale: record.stale === true,
    updated: string(record.data_updated_at),
    version: string(record.version),
    score: typeof record.score === "number" && record.services_tested !== 0 ? record.score : null,
  };
}

function percent(score: number): string {
  return `${Math.round(score * 10) / 10}%`;
}
