// Changes worth a feed entry, found by comparing the previous output with the new one
// once both carry `history`: statuses with hysteresis, so one lost request is no event.
import type { StoredEvent } from "./store.ts";
import type { History } from "./derive.ts";

export interface EventFacts {
  key: string;
  name: string;
  url: string;
  version: string | null;
  history?: History;
}

export function findEvents(before: EventFacts[], after: EventFacts[], at: string): StoredEvent[] {
  // The first run has nothing to compare with: every instance would look "added".
  if (!before.length) return [];
  const earlier = new Map(before.map((entry) => [entry.key, entry]));
  const later = new Set(after.map((entry) => entry.key));
  const events: StoredEvent[] = [];
  const push = (entry: EventFacts, type: string, from: string | null, to: string | null) => events.push({ at, type, key: entry.key, name: entry.name, url: entry.url, from, to });
  for (const entry of after) {
    const old = earlier.get(entry.key);
    if (!old) {
      push(entry, "added", null, entry.history?.status ?? null);
      continue;
    }
    const was = old.history?.status ?? "unknown";
    const now = entry.history?.status ?? "unknown";
    if (now === "down" && was !== "down") push(entry, "down", was, now);
    if (now === "up" && was === "down") push(entry, "up", was, now);
    if (old.version && entry.version && old.version !== entry.version) push(entry, "version", old.version, entry.version);
    for (const [service, state] of Object.entries(entry.history?.services ?? {})) {
      const previous = old.history?.services?.[service]?.status ?? "unknown";
      if (state.status === "failing" && previous === "working") push(entry, "service_failing", service, state.status);
      if (state.status === "working" && previous === "failing") push(entry, "service_working", service, state.status);
    }
  }
  for (const old of before) if (!later.has(old.key)) push(old, "removed", old.history?.status ?? null, null);
  return events;
}
