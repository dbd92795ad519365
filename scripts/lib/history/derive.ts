// What the history says about one instance: uptime over the checks that were made (a
// missed run is unknown, never down), median response time, per-service pass shares,
// and a status with hysteresis. Pure functions of the recorded runs.
import type { Run, Sample } from "./samples.ts";

/** Consecutive failed checks (missed runs do not count) before an instance, or a service, is down. */
export const FAILURES_TO_DOWN = 3;
const HOUR_MS = 3_600_000;
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

/** The hysteresis rule: down after FAILURES_TO_DOWN consecutive failures, up after one success. */
export function hysteresis<S extends string>(results: boolean[], labels: { up: S; down: S; unknown: S }): { status: S; failures: number } {
  let status = labels.unknown;
  let failures = 0;
  for (const passed of results) {
    if (passed) {
      status = labels.up;
      failures = 0;
    } else if (++failures >= FAILURES_TO_DOWN) {
      status = labels.down;
    }
  }
  return { status, failures };
}

/** The checks of one instance, oldest first, skipping runs that did not check it. */
export function samplesOf(runs: Run[], key: string): Array<{ at: number; iso: string; sample: Sample }> {
  const found: Array<{ at: number; iso: string; sample: Sample }> = [];
  for (const run of runs) {
    const sample = run.samples.get(key);
    if (sample) found.push({ at: Date.parse(run.at), iso: run.at, sample });
  }
  return found;
}

export function deriveHistory(runs: Run[], key: string, now: Date, earlier: Earlier = {}): History {
  const checks = samplesOf(runs, key);
  const since = (window: Window) => checks.filter((check) => check.at > now.getTime() - WINDOWS[window]);
  const uptime = {} as Record<Window, number | null>;
  const counts = {} as Record<Window, number>;
  for (const window of Object.keys(WINDOWS) as Window[]) {
    const inWindow = since(window);
    counts[window] = inWindow.length;
    uptime[window] = percent(inWindow.filter((check) => check.sample.online).length, inWindow.length);
  }
  const { status, failures } = hysteresis(checks.map((check) => check.sample.online), { up: "up", down: "down", unknown: "unknown" });
  const online = checks.filter((check) => check.sample.online);
  const firstRecorded = checks[0]?.iso ?? runs[runs.length - 1]?.at ?? now.toISOString();
  const first_seen = earlier.first_seen && earlier.first_seen < firstRecorded ? earlier.first_seen : firstRecorded;
  const last_seen_online = online[online.length - 1]?.iso ?? earlier.last_seen_online ?? null;

  const services: Record<string, ServiceHistory> = {};
  const names = new Set(checks.flatMap((check) => Object.keys(check.sample.services)));
  for (const name of [...names].sort()) {
    const tested = checks.filter((check) => name in check.sample.services);
    const share = (window: Window) => {
      const recent = tested.filter((check) => check.at > now.getTime() - WINDOWS[window]);
      return percent(recent.filter((check) => check.sample.services[name]).length, recent.length);
    };
    const passes = tested.filter((check) => check.sample.services[name]);
    services[name] = {
      pass_24h: share("24h"),
      pass_7d: share("7d"),
      last_pass: passes[passes.length - 1]?.iso ?? null,
      status: hysteresis(tested.map((check) => check.sample.services[name]), { up: "working", down: "failing", unknown: "unknown" }).status,
    };
  }
  return {
    status,
    consecutive_failures: failures,
    uptime,
    checks: counts,
    median_response_ms: median(since("7d").flatMap((check) => (check.sample.ms === null ? [] : [check.sample.ms]))),
    first_seen,
    last_seen_online,
    services,
  };
}

export interface DayCell {
  day: string;
  checks: number;
  online: number;
  /** Percent, null when no check was made that day (a gap, shown as unknown). */
  uptime: number | null;
}

/** One cell per UTC day, oldest first, ending today: the 90-day uptime bar. */
export function dailyUptime(runs: Run[], key: string, now: Date, days = 90): DayCell[] {
  const cells = new Map<string, DayCell>();
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  for (let index = days - 1; index >= 0; index--) {
    const day = new Date(today - index * 24 * HOUR_MS).toISOString().slice(0, 10);
    cells.set(day, { day, checks: 0, online: 0, uptime: null });
  }
  for (const check of samplesOf(runs, key)) {
    const cell = cells.get(check.iso.slice(0, 10));
    if (!cell) continue;
    cell.checks++;
    if (check.sample.online) cell.online++;
  }
  for (const cell of cells.values()) cell.uptime = percent(cell.online, cell.checks);
  return [...cells.values()];
}

/** Response times of the online checks since `since`, oldest first: the sparkline. */
export function responseSeries(runs: Run[], key: string, since: Date): Array<{ at: string; ms: number }> {
  return samplesOf(runs, key).filter((check) => check.at >= since.getTime() && check.sample.ms !== null).map((check) => ({ at: check.iso, ms: check.sample.ms! }));
}
