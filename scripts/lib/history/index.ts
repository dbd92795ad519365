// History for one probe run, in two steps so nothing is written unless the run is valid:
// prepareHistory() reads the store and returns the entries with `history` attached plus
// the appends to make; the caller validates the entries, then calls commit().
import type { Instance } from "../run.ts";
import { keyOf, outputUrl } from "../merge.ts";
import { repeatedKeys, sameBackends } from "../duplicates.ts";
import { HistoryDeriver, WINDOWS, type History } from "./derive.ts";
import { findEvents, VALUE_EVENT_INTERVAL_MS, withinDailyBudget, type EventFacts } from "./events.ts";
import { runFromEntries, serviceTotals, type Run } from "./samples.ts";
import { isoSeconds } from "../probe-kind.ts";
import { certificateEvents, releaseEvents, serviceEvents } from "./notices.ts";
import { ServiceSeriesBuilder } from "./fleet.ts";
import { appendEvents, appendRun, eachDayNewestFirst, pruneRaw, readEventsSince, type StoredEvent } from "./store.ts";

export interface HistoryUpdate {
  /** The entries, each with its `history`. */
  entries: Instance[];
  run: Run;
  events: StoredEvent[];
  /** Appends the run and its events to the store and applies the pruning schedule. */
  commit(): void;
}

export { keyOf };

function factsOf(entry: Instance): EventFacts {
  const record = entry as unknown as Record<string, unknown>;
  const url = outputUrl(entry);
  return {
    key: keyOf(entry),
    name: typeof record.name === "string" && record.name ? record.name : url,
    url,
    version: typeof record.version === "string" ? record.version : null,
    history: record.history as History | undefined,
  };
}

export function prepareHistory(dir: string, entries: Instance[], previous: Instance[]): HistoryUpdate {
  const run = runFromEntries(entries.map((entry) => ({ ...entry, key: keyOf(entry) })));
  // The fleet's figures per service, each backend once, kept with the run so that a reader of 90 days need not recount them.
  run.totals = serviceTotals(run, repeatedKeys(sameBackends(entries)));
  const now = new Date(run.at);
  const since = new Date(now.getTime() - WINDOWS["90d"]);
  // One pass over 90 days, newest first, a day file at a time: every entry's history, and
  // the states of each run, oldest first, for the fleet's series per service.
  const deriver = new HistoryDeriver(entries.map(keyOf), now);
  deriver.add(run);
  const statesByDay: Run[][] = [];
  for (const read of eachDayNewestFirst(dir, since)) statesByDay.push(deriver.addDay(read).filter((stored) => stored.at !== run.at));
  const fleet = new ServiceSeriesBuilder("cobalt", new Set());
  for (const states of statesByDay.toReversed()) for (const stored of states.toReversed()) fleet.add(stored);
  fleet.add(run);
  const earlier = new Map(previous.map((entry) => [keyOf(entry), (entry as { history?: History }).history]));
  const withHistory = entries.map((entry) => ({ ...entry, history: deriver.history(keyOf(entry), earlier.get(keyOf(entry))) }) as Instance);
  const certificates = (entries: Instance[]) => entries.map((entry) => ({ ...entry, ...factsOf(entry) }));
  const lastDay = readEventsSince(dir, isoSeconds(new Date(now.getTime() - VALUE_EVENT_INTERVAL_MS)));
  const events = [
    ...withinDailyBudget(findEvents(previous.map(factsOf), withHistory.map(factsOf), run.at), lastDay, run.at),
    ...certificateEvents(certificates(previous), certificates(withHistory), run.at),
    ...releaseEvents(previous, withHistory, run.at),
    ...serviceEvents(fleet.series(), run.at),
  ];
  return {
    entries: withHistory,
    run,
    events,
    commit() {
      appendRun(dir, run);
      appendEvents(dir, events);
      pruneRaw(dir, now);
    },
  };
}
