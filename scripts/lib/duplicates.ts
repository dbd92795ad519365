// Two listed entries that are one backend: a cobalt server listed under two names (an API
// behind two host names, a mirror domain) answers with the same process start time and the
// same commit. Marked on both pages, and counted once in the fleet's figures so that one
// server does not weigh twice in "works on 9 of 10". Pure: shared by the site and tests.
import type { Instance } from "./run.ts";
import { keyOf } from "./history/index.ts";

export interface SameBackend {
  /** Every entry of the group, in list order; the first is the one counted. */
  entries: Instance[];
  /** What they share. */
  reason: "start_and_commit";
}

/** The signature two entries of one backend share, or null when it says nothing. */
function signature(entry: Instance): string | null {
  if (entry.kind !== "cobalt") return null;
  // startTime is the server process's own start in milliseconds: with the commit, two
  // distinct servers share it only by a coincidence of the same millisecond. 0 and "" are unknown.
  if (!(entry.startTime > 0) || !entry.commit) return null;
  return `${entry.startTime} ${entry.commit}`;
}

/** The groups of two or more entries that are one backend, in list order. */
export function sameBackends(entries: readonly Instance[]): SameBackend[] {
  const groups = new Map<string, Instance[]>();
  for (const entry of entries) {
    const key = signature(entry);
    if (key === null) continue;
    const group = groups.get(key);
    if (group) group.push(entry);
    else groups.set(key, [entry]);
  }
  return [...groups.values()].filter((group) => group.length > 1).map((group) => ({ entries: group, reason: "start_and_commit" as const }));
}

/** The history keys of the entries that repeat a backend counted already: left out of fleet figures. */
export function repeatedKeys(groups: readonly SameBackend[]): Set<string> {
  return new Set(groups.flatMap((group) => group.entries.slice(1).map(keyOf)));
}
