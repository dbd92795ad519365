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

/** A changing value is news once a day at most: a flapping instance cannot fill the feed. */
export const VALUE_EVENT_INTERVAL_MS = 24 * 3_600_000;

/**
 * What a value event is about, per instance: its version, or one of its services. Status
 * events (down, up, added, removed) have hysteresis of their own, and fleet-wide notices
 * rules of their own, so they have no topic here and always pass.
 */
function topicOf(event: StoredEvent): string | null {
  if (event.type === "version") return `${event.key}\nversion`;
  if (event.type === "service_failing" || event.type === "service_working") return `${event.key}\nservice\n${event.from}`;
  return null;
}

/**
 * `events` without the value events whose topic already had an event in the last day
 * (`recent`: the stored events of at least that day, any order).
 */
export function withinDailyBudget(events: StoredEvent[], recent: StoredEvent[], at: string): StoredEvent[] {
  const since = Date.parse(at) - VALUE_EVENT_INTERVAL_MS;
  const spoken = new Set(recent.filter((event) => Date.parse(event.at) > since).map(topicOf).filter((topic) => topic !== null));
  return events.filter((event) => {
    const topic = topicOf(event);
    if (topic === null) return true;
    if (spoken.has(topic)) return false;
    spoken.add(topic);
    return true;
  });
}
