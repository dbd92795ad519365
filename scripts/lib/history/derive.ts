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

/** Per service of one instance, tallied run by run. */
interface ServiceTally {
  tested24h: number;
  passed24h: number;
  tested7d: number;
  passed7d: number;
  lastPass: string | null;
  /** Failed tests since the last pass. */
  failures: number;
  /** When an online check last tested it, and whether that was within 7 days. */
  lastTested: number;
  recent: boolean;
}

/** Per instance, tallied run by run. */
class InstanceTally {
  first: string | null = null;
  lastOnline: string | null = null;
  /** Failed checks since the last success, and whether one ever succeeded: the hysteresis, read forward. */
  failures = 0;
  everUp = false;
  readonly counts = [0, 0, 0, 0];
  readonly online = [0, 0, 0, 0];
  readonly recentMs: number[] = [];
  /** When an online check last tested any service. */
  lastTested = -1;
  /** By the service's position in the deriver's list of every service seen. */
  readonly services: (ServiceTally | undefined)[] = [];
}

const SPANS = Object.values(WINDOWS);
const WINDOW_NAMES = Object.keys(WINDOWS) as Window[];

/**
 * Every listed instance's history from one pass over the runs, oldest first, so that a probe
 * of 10,000 instances reads 90 days one day file at a time instead of holding them all and
 * walking them once per instance. Reads each run as columns (see columnsOf).
 */
export class HistoryDeriver {
  readonly #now: number;
  readonly #tallies = new Map<string, InstanceTally>();
  readonly #serviceNames: string[] = [];
  readonly #serviceIndex = new Map<string, number>();
  /** Per key table (the runs of a day file share one): each position's tally, and each service's position. */
  #layout: { keys: readonly string[]; services: readonly string[]; tallies: (InstanceTally | undefined)[]; serviceIds: number[] } | undefined;
  #lastRunAt: string | undefined;

  constructor(keys: Iterable<string>, now: Date) {
    this.#now = now.getTime();
    for (const key of keys) this.#tallies.set(key, new InstanceTally());
  }

  add(run: Run): void {
    const { keys, services, states, marks } = columnsOf(run);
    const layout = this.#layoutFor(keys, services);
    const at = Date.parse(run.at);
    const age = this.#now - at;
    // The windows are shortest first: a run counts in the ones from `firstWindow` on.
    let firstWindow = 0;
    while (firstWindow < SPANS.length && age >= SPANS[firstWindow]!) firstWindow++;
    const within = { day: age < WINDOWS["24h"], week: age < WINDOWS["7d"] };
    const width = services.length;
    this.#lastRunAt = run.at;
    for (let index = 0; index < keys.length; index++) {
      const tally = layout.tallies[index];
      const state = states[index]!;
      if (!tally || state === STATE.NOT_CHECKED) continue;
      const online = state !== STATE.DOWN;
      tally.first ??= run.at;
      for (let window = firstWindow; window < SPANS.length; window++) tally.counts[window]!++;
      if (!online) {
        tally.failures++;
        continue;
      }
      for (let window = firstWindow; window < SPANS.length; window++) tally.online[window]!++;
      tally.lastOnline = run.at;
      tally.failures = 0;
      tally.everUp = true;
      if (within.week && state !== STATE.NO_TIME) tally.recentMs.push(stateMs(state)!);
      for (let service = 0, offset = index * width; service < width; service++, offset++) {
        const mark = marks[offset]!;
        if (mark !== 0) this.#tested(tally, layout.serviceIds[service]!, mark === 1, run.at, at, within);
      }
    }
  }

  #tested(tally: InstanceTally, id: number, passed: boolean, iso: string, at: number, within: { day: boolean; week: boolean }): void {
    const service = (tally.services[id] ??= { tested24h: 0, passed24h: 0, tested7d: 0, passed7d: 0, lastPass: null, failures: 0, lastTested: -1, recent: false });
    if (within.day) (service.tested24h++, passed && service.passed24h++);
    if (within.week) (service.tested7d++, passed && service.passed7d++, (service.recent = true));
    if (passed) (service.lastPass = iso, (service.failures = 0));
    else service.failures++;
    service.lastTested = at;
    tally.lastTested = at;
  }

  #layoutFor(keys: readonly string[], services: readonly string[]) {
    if (this.#layout?.keys !== keys || this.#layout.services !== services) {
      const serviceIds = services.map((name) => {
        let id = this.#serviceIndex.get(name);
        if (id === undefined) this.#serviceIndex.set(name, (id = this.#serviceNames.push(name) - 1));
        return id;
      });
      this.#layout = { keys, services, tallies: keys.map((key) => this.#tallies.get(key)), serviceIds };
    }
    return this.#layout;
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
    const recorded = tally.first ?? this.#lastRunAt ?? new Date(this.#now).toISOString();
    return {
      status: tally.failures >= FAILURES_TO_DOWN ? "down" : tally.everUp ? "up" : "unknown",
      consecutive_failures: tally.failures,
      uptime,
      checks,
      median_response_ms: median(tally.recentMs),
      first_seen: earlier.first_seen && earlier.first_seen < recorded ? earlier.first_seen : recorded,
      last_seen_online: tally.lastOnline ?? earlier.last_seen_online ?? null,
      services: this.#servicesOf(tally),
    };
  }

  /**
   * Per service: pass shares over 24 hours and 7 days, the last pass, and a status with the
   * instance's hysteresis. The services tested in the last 7 days; when none was, those of
   * the latest online check that tested any.
   */
  #servicesOf(tally: InstanceTally): Record<string, ServiceHistory> {
    const shown = tally.services.flatMap((service, id) => (service && (service.recent || service.lastTested === tally.lastTested) ? [{ service, id }] : []));
    const anyRecent = shown.some(({ service }) => service.recent);
    const services: Record<string, ServiceHistory> = {};
    for (const { service, id } of shown.filter(({ service }) => service.recent || !anyRecent).sort((a, b) => (this.#serviceNames[a.id]! < this.#serviceNames[b.id]! ? -1 : 1))) {
      services[this.#serviceNames[id]!] = {
        pass_24h: percent(service.passed24h, service.tested24h),
        pass_7d: percent(service.passed7d, service.tested7d),
        last_pass: service.lastPass,
        status: service.failures >= FAILURES_TO_DOWN ? "failing" : service.lastPass !== null ? "working" : "unknown",
      };
    }
    return services;
  }
}

export interface DayCell {
  day: string;
  checks: number;
  online: number;
  /** Percent, null when no check was made that day (a gap, shown as unknown). */
  uptime: number | null;
}
