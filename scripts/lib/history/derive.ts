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

/** Run times, parsed once: every instance's derivation walks the same runs. */
const runTimes = new WeakMap<Run, number>();
function timeOf(run: Run): number {
  let time = runTimes.get(run);
  if (time === undefined) runTimes.set(run, (time = Date.parse(run.at)));
  return time;
}

/** The checks of one instance, oldest first, skipping runs that did not check it. */
export function samplesOf(runs: Run[], key: string): Array<{ at: number; iso: string; sample: Sample }> {
  const found: Array<{ at: number; iso: string; sample: Sample }> = [];
  for (const run of runs) {
    const sample = run.samples.get(key);
    if (sample) found.push({ at: timeOf(run), iso: run.at, sample });
  }
  return found;
}

export function deriveHistory(runs: Run[], key: string, now: Date, earlier: Earlier = {}): History {
  const checks = samplesOf(runs, key);
  const windows = Object.entries(WINDOWS) as [Window, number][];
  const counts = { "24h": 0, "7d": 0, "30d": 0, "90d": 0 };
  const online = { "24h": 0, "7d": 0, "30d": 0, "90d": 0 };
  const recentMs: number[] = [];
  let lastOnline: string | undefined;
  for (const { at, iso, sample } of checks) {
    const age = now.getTime() - at;
    if (sample.online) lastOnline = iso;
    for (const [window, span] of windows) {
      if (age >= span) continue;
      counts[window]++;
      if (sample.online) online[window]++;
    }
    if (age < WINDOWS["7d"] && sample.ms !== null) recentMs.push(sample.ms);
  }
  const uptime = {} as Record<Window, number | null>;
  for (const [window] of windows) uptime[window] = percent(online[window], counts[window]);
  const { status, failures } = hysteresis(checks.map((check) => check.sample.online), { up: "up", down: "down", unknown: "unknown" });
  const recorded = checks[0]?.iso ?? runs[runs.length - 1]?.at ?? now.toISOString();
  return {
    status,
    consecutive_failures: failures,
    uptime,
    checks: counts,
    median_response_ms: median(recentMs),
    first_seen: earlier.first_seen && earlier.first_seen < recorded ? earlier.first_seen : recorded,
    last_seen_online: lastOnline ?? earlier.last_seen_online ?? null,
    services: serviceHistory(checks, now),
  };
}

interface ServiceTally {
  tested24h: number;
  passed24h: number;
  tested7d: number;
  passed7d: number;
  lastPass: string | null;
  /** Failed tests since the last pass, counted up to FAILURES_TO_DOWN. */
  trailingFailures: number;
}

/**
 * Per service: pass shares over 24 hours and 7 days, the last pass and a status with the
 * same hysteresis as the instance's. Walks back from the newest check and stops once past
 * 7 days with every service's last pass found, so a long history costs little; a service
 * seen only in older checks is left out.
 */
function serviceHistory(checks: Array<{ at: number; iso: string; sample: Sample }>, now: Date): Record<string, ServiceHistory> {
  const tallies = new Map<string, ServiceTally>();
  let unresolved = 0;
  for (let index = checks.length - 1; index >= 0; index--) {
    const { at, iso, sample } = checks[index]!;
    const age = now.getTime() - at;
    if (age >= WINDOWS["7d"] && tallies.size > 0 && unresolved === 0) break;
    if (!sample.online) continue;
    for (const [name, passed] of Object.entries(sample.services)) {
      let tally = tallies.get(name);
      if (!tally) {
        if (age >= WINDOWS["7d"] && tallies.size > 0) continue;
        tallies.set(name, (tally = { tested24h: 0, passed24h: 0, tested7d: 0, passed7d: 0, lastPass: null, trailingFailures: 0 }));
        unresolved++;
      }
      if (age < WINDOWS["24h"]) (tally.tested24h++, passed && tally.passed24h++);
      if (age < WINDOWS["7d"]) (tally.tested7d++, passed && tally.passed7d++);
      if (tally.lastPass !== null) continue;
      if (passed) {
        tally.lastPass = iso;
        unresolved--;
      } else {
        tally.trailingFailures++;
      }
    }
  }
  const services: Record<string, ServiceHistory> = {};
  for (const name of [...tallies.keys()].sort()) {
    const tally = tallies.get(name)!;
    services[name] = {
      pass_24h: percent(tally.passed24h, tally.tested24h),
      pass_7d: percent(tally.passed7d, tally.tested7d),
      last_pass: tally.lastPass,
      // As hysteresis() reads the results forward: down after FAILURES_TO_DOWN fails in a row, up after a pass.
      status: tally.trailingFailures >= FAILURES_TO_DOWN ? "failing" : tally.lastPass !== null ? "working" : "unknown",
    };
  }
  return services;
}

export interface DayCell {
  day: string;
  checks: number;
  online: number;
  /** Percent, null when no check was made that day (a gap, shown as unknown). */
  uptime: number | null;
}
