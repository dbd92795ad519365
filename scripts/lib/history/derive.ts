// What the history says about one instance: uptime over the checks that were made (a
// missed run is unknown, never down), median response time, per-service pass shares,
// and a status with hysteresis, all from the recorded runs.
import { columnsOf, stateMs, STATE, type Run } from "./samples.ts";

/** Consecutive failed checks (missed runs do not count) before an instance, or a service, is down. */
export const FAILURES_TO_DOWN = 3;
const HOUR_MS = 3_600_000;
/** Shortest first: HistoryDeriver.add() relies on it. */
export const WINDOWS = { "24h": 24 * HOUR_MS, "7d": 7 * 24 * HOUR_MS, "30d": 30 * 24 * HOUR_MS, "90d": 90 * 24 * HOUR_MS } as const;
type Window = keyof typeof WINDOWS;

export interface ServiceHistory {
  pass_24h: number | null;
  pass_7d: number | null;
  last_pass: string | null;
  status: "working" | "failing" | "unknown";
}

export interface History {
  status: "up" | "down" | "unknown";
  consecutive_failures: number;
  uptime: Record<Window, number | null>;
  checks: Record<Window, number>;
  median_response_ms: number | null;
  first_seen: string;
  last_seen_online: string | null;
  services: Record<string, ServiceHistory>;
}

/** What the previous output said, for facts older than the runs kept raw. */
export interface Earlier {
  first_seen?: string;
  last_seen_online?: string | null;
}

export function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : Math.round((sorted[middle - 1] + sorted[middle]) / 2);
}

/** Percent with two decimals, or null when nothing was measured. */
const percent = (part: number, whole: number) => (whole ? Math.round((10000 * part) / whole) / 100 : null);

/** Per service of one instance, tallied from the newest run back. */
interface ServiceTally {
  tested24h: number;
  passed24h: number;
  tested7d: number;
  passed7d: number;
  lastPass: string | null;
  /** Failed tests newer than the last pass. */
  failures: number;
}

/** Per instance, tallied from the newest run back. */
class InstanceTally {
  /** The oldest check so far. */
  first: string | null = null;
  lastOnline: string | null = null;
  /** Failed checks newer than the newest success: the hysteresis, read backwards. */
  failures = 0;
  everUp = false;
  readonly counts = [0, 0, 0, 0];
  readonly online = [0, 0, 0, 0];
  readonly recentMs: number[] = [];
  readonly services = new Map<string, ServiceTally>();
  /** Services whose last pass is not found yet. */
  unresolved = 0;
  onlineThisWeek = false;
  /** Not online in 7 days: the services of its latest online check before them were taken. */
  tookOlderServices = false;

  /** Whether older runs may still change its services. */
  get servicesPending(): boolean {
    return this.unresolved > 0 || (!this.onlineThisWeek && !this.tookOlderServices);
  }
}

const SPANS = Object.values(WINDOWS);
const WINDOW_NAMES = Object.keys(WINDOWS) as Window[];

/**
 * Every listed instance's history from one pass over the runs, newest first, as the probe
 * reads 90 days one day file at a time. Past the last 7 days only the last passes of
 * services still failing are looked for, so a day file older than that is read for its
 * service marks only while some instance needs them (addDay); its states suffice for the
 * rest. Reads each run as columns (see columnsOf).
 */
export class HistoryDeriver {
  readonly #now: number;
  readonly #tallies = new Map<string, InstanceTally>();
  /** Per key table (the runs of a day file share one): each position's tally. */
  #layout: { keys: readonly string[]; tallies: (InstanceTally | undefined)[] } | undefined;
  #newestRunAt: string | undefined;
  #oldestRunAt: string | undefined;

  constructor(keys: Iterable<string>, now: Date) {
    this.#now = now.getTime();
    for (const key of keys) this.#tallies.set(key, new InstanceTally());
  }

  #talliesOf(keys: readonly string[]): (InstanceTally | undefined)[] {
    if (this.#layout?.keys !== keys) this.#layout = { keys, tallies: keys.map((key) => this.#tallies.get(key)) };
    return this.#layout.tallies;
  }

  /**
   * A day file's runs, newest first (see eachDayNewestFirst), read with their service marks
   * only when an instance needs them. Returns the day's runs as read for their states.
   */
  addDay(read: (options?: { marks?: boolean }) => Run[]): Run[] {
    const states = read({ marks: false });
    for (const run of states.some((run) => this.#needsMarks(run)) ? read() : states) this.add(run);
    return states;
  }

  /** Whether `run`, read without its marks, would leave out marks that an instance's services still need. */
  #needsMarks(run: Run): boolean {
    if (this.#now - Date.parse(run.at) < WINDOWS["7d"]) return true;
    const { keys, states } = columnsOf(run);
    const tallies = this.#talliesOf(keys);
    for (let index = 0; index < keys.length; index++) {
      if (states[index]! > STATE.DOWN && tallies[index]?.servicesPending) return true;
    }
    return false;
  }

  /** The next run back; a run no older than the last one added (the same run stored again) is left out. */
  add(run: Run): void {
    if (this.#oldestRunAt !== undefined && run.at >= this.#oldestRunAt) return;
    this.#oldestRunAt = run.at;
    const { keys, services, states, marks } = columnsOf(run);
    const tallies = this.#talliesOf(keys);
    const hasMarks = marks.length === keys.length * services.length;
    const age = this.#now - Date.parse(run.at);
    // The windows are shortest first: a run counts in the ones from `firstWindow` on.
    let firstWindow = 0;
    while (firstWindow < SPANS.length && age >= SPANS[firstWindow]!) firstWindow++;
    const within = { day: age < WINDOWS["24h"], week: age < WINDOWS["7d"] };
    const width = services.length;
    this.#newestRunAt ??= run.at;
    for (let index = 0; index < keys.length; index++) {
      const tally = tallies[index];
      const state = states[index]!;
      if (!tally || state === STATE.NOT_CHECKED) continue;
      tally.first = run.at;
      for (let window = firstWindow; window < SPANS.length; window++) tally.counts[window]!++;
      if (state === STATE.DOWN) {
        if (!tally.everUp) tally.failures++;
        continue;
      }
      for (let window = firstWindow; window < SPANS.length; window++) tally.online[window]!++;
      tally.lastOnline ??= run.at;
      tally.everUp = true;
      if (within.week) {
        tally.onlineThisWeek = true;
        if (state !== STATE.NO_TIME) tally.recentMs.push(stateMs(state)!);
      }
      if (!hasMarks || (!within.week && !tally.servicesPending)) continue;
      // In the last 7 days every service tested counts; before them, only those already
      // found, or, for an instance not online in 7 days, those of its latest online check.
      const takeNew = within.week || !(tally.onlineThisWeek || tally.tookOlderServices);
      if (!within.week) tally.tookOlderServices = true;
      for (let service = 0, offset = index * width; service < width; service++, offset++) {
        const mark = marks[offset]!;
        if (mark !== 0) this.#tested(tally, services[service]!, mark === 1, run.at, within, takeNew);
      }
    }
  }

  #tested(tally: InstanceTally, name: string, passed: boolean, iso: string, within: { day: boolean; week: boolean }, takeNew: boolean): void {
    let service = tally.services.get(name);
    if (!service) {
      if (!takeNew) return;
      tally.services.set(name, (service = { tested24h: 0, passed24h: 0, tested7d: 0, passed7d: 0, lastPass: null, failures: 0 }));
      tally.unresolved++;
    }
    if (within.day) (service.tested24h++, passed && service.passed24h++);
    if (within.week) (service.tested7d++, passed && service.passed7d++);
    if (service.lastPass !== null) return;
    if (passed) (service.lastPass = iso, tally.unresolved--);
    else service.failures++;
  }

  /** The history of `key` from the runs added, with what the previous output said for facts older than them. */
  history(key: string, earlier: Earlier = {}): History {
    const tally = this.#tallies.get(key) ?? new InstanceTally();
    const uptime = {} as Record<Window, number | null>;
    const checks = {} as Record<Window, number>;
    WINDOW_NAMES.forEach((window, index) => {
      uptime[window] = percent(tally.online[index]!, tally.counts[index]!);
      checks[window] = tally.counts[index]!;
    });
    const recorded = tally.first ?? this.#newestRunAt ?? new Date(this.#now).toISOString();
    const services: Record<string, ServiceHistory> = {};
    for (const name of [...tally.services.keys()].sort()) {
      const service = tally.services.get(name)!;
      services[name] = {
        pass_24h: percent(service.passed24h, service.tested24h),
        pass_7d: percent(service.passed7d, service.tested7d),
        last_pass: service.lastPass,
        // As the hysteresis reads forward: failing after FAILURES_TO_DOWN fails in a row, working again after a pass.
        status: service.failures >= FAILURES_TO_DOWN ? "failing" : service.lastPass !== null ? "working" : "unknown",
      };
    }
    return {
      status: tally.failures >= FAILURES_TO_DOWN ? "down" : tally.everUp ? "up" : "unknown",
      consecutive_failures: tally.failures,
      uptime,
      checks,
      median_response_ms: median(tally.recentMs),
      first_seen: earlier.first_seen && earlier.first_seen < recorded ? earlier.first_seen : recorded,
      last_seen_online: tally.lastOnline ?? earlier.last_seen_online ?? null,
      services,
    };
  }
}

export interface DayCell {
  day: string;
  checks: number;
  online: number;
  /** Percent, null when no check was made that day (a gap, shown as unknown). */
  uptime: number | null;
}
