// What the history says about the fleet rather than one instance: per cobalt service, the
// share of tested instances where it worked at each run, and the times it was "broken
// everywhere". Pure functions of the recorded runs, shared by the probe (events) and the
// site (charts, banners).
import { columnsOf, STATE, type Run, type RunColumns } from "./samples.ts";

export interface ServicePoint {
  /** The run's time (ISO 8601, UTC). */
  at: string;
  /** Instances that answered and had this service tested in that run. */
  tested: number;
  /** Of those, the instances where the download worked. */
  passed: number;
}

/**
 * "Broken everywhere": a service that usually works fails on most tested instances. A run
 * is bad for a service when at least FAILING_SHARE of at least MIN_TESTED tested instances
 * failed it; an episode starts at the first of CONFIRM_RUNS bad runs in a row, provided
 * that over the USUAL_DAYS before it the service passed at least USUAL_SHARE of its tests
 * (in at least CONFIRM_RUNS runs): a service that rarely works is not news when it fails.
 * It ends at the first of CONFIRM_RUNS runs in a row that are not bad. Runs with fewer than
 * MIN_TESTED tested instances say nothing either way.
 */
export const BROKEN_EVERYWHERE = { FAILING_SHARE: 0.8, MIN_TESTED: 3, CONFIRM_RUNS: 2, USUAL_SHARE: 0.5, USUAL_DAYS: 7 } as const;

export interface BrokenEpisode {
  service: string;
  /** The first bad run. */
  started: string;
  /** The run that confirmed it (the CONFIRM_RUNS-th bad run in a row): when it became news. */
  confirmed: string;
  /** The first good run after it; null while it lasts. */
  ended: string | null;
  /** The run that confirmed the end; null while it lasts. */
  endConfirmed: string | null;
  /** The latest bad run's figures, for "fails on 9 of 10". */
  tested: number;
  passed: number;
}

const DAY_MS = 86_400_000;

/**
 * Per service seen in any run: one point per run that checked at least one instance of `kind`.
 * Samples under `skip` (entries that repeat a backend counted already) are left out.
 */
export function serviceSeries(runs: Iterable<Run>, kind = "cobalt", skip: ReadonlySet<string> = new Set()): Map<string, ServicePoint[]> {
  const builder = new ServiceSeriesBuilder(kind, skip);
  for (const run of runs) builder.add(run);
  return builder.series();
}

/** serviceSeries one run at a time, so a reader of 90 days need not hold them all. */
export class ServiceSeriesBuilder {
  readonly #kind: string;
  readonly #prefix: string;
  readonly #skip: ReadonlySet<string>;
  readonly #series = new Map<string, ServicePoint[]>();
  /** The times of the runs that checked the kind so far: a service first seen later gets an empty point for each. */
  readonly #kindRuns: string[] = [];
  /** Per key table: which positions count (the kind, not skipped). */
  #counted: { keys: readonly string[]; mask: Uint8Array } | undefined;

  constructor(kind: string, skip: ReadonlySet<string>) {
    this.#kind = kind;
    this.#prefix = `${kind} `;
    this.#skip = skip;
  }

  add(run: Run): void {
    const columns = columnsOf(run);
    const { keys, states } = columns;
    if (this.#counted?.keys !== keys) {
      this.#counted = { keys, mask: Uint8Array.from(keys, (key) => (key.startsWith(this.#prefix) && !this.#skip.has(key) ? 1 : 0)) };
    }
    const { mask } = this.#counted;
    let checked = false;
    for (let index = 0; index < keys.length && !checked; index++) checked = mask[index] === 1 && states[index] !== STATE.NOT_CHECKED;
    if (!checked) return;
    // A run stored with its totals says them (each backend counted once, as the probe saw
    // the duplicates then); an older one is counted here from every instance's marks.
    const counts = run.totals ? new Map(Object.entries(run.totals[this.#kind] ?? {})) : this.#count(columns, mask);
    for (const name of counts.keys()) {
      if (!this.#series.has(name)) this.#series.set(name, this.#kindRuns.map((at) => ({ at, tested: 0, passed: 0 })));
    }
    for (const [name, points] of this.#series) points.push({ at: run.at, tested: counts.get(name)?.tested ?? 0, passed: counts.get(name)?.passed ?? 0 });
    this.#kindRuns.push(run.at);
  }

  #count({ keys, services, states, marks }: RunColumns, mask: Uint8Array): Map<string, { tested: number; passed: number }> {
    const width = services.length;
    const tested = new Uint32Array(width);
    const passed = new Uint32Array(width);
    for (let index = 0; index < keys.length; index++) {
      const state = states[index]!;
      if (!mask[index] || state === STATE.NOT_CHECKED || state === STATE.DOWN) continue;
      for (let service = 0, at = index * width; service < width; service++, at++) {
        const mark = marks[at]!;
        if (mark === 0) continue;
        tested[service]++;
        if (mark === 1) passed[service]++;
      }
    }
    const counts = new Map<string, { tested: number; passed: number }>();
    services.forEach((name, service) => {
      if (tested[service]) counts.set(name, { tested: tested[service]!, passed: passed[service]! });
    });
    return counts;
  }

  series(): Map<string, ServicePoint[]> {
    return new Map([...this.#series].sort(([a], [b]) => a.localeCompare(b)));
  }
}

const { FAILING_SHARE, MIN_TESTED, CONFIRM_RUNS, USUAL_SHARE, USUAL_DAYS } = BROKEN_EVERYWHERE;

/** Whether a point counts, and whether it is bad; null when too few instances were tested. */
function badness(point: ServicePoint): boolean | null {
  if (point.tested < MIN_TESTED) return null;
  return (point.tested - point.passed) / point.tested >= FAILING_SHARE;
}

/** Whether the service usually worked in the USUAL_DAYS before points[before]. */
function usuallyWorked(points: ServicePoint[], before: number): boolean {
  const since = Date.parse(points[before]!.at) - USUAL_DAYS * DAY_MS;
  let tested = 0, passed = 0, runs = 0;
  for (let index = before - 1; index >= 0 && Date.parse(points[index]!.at) >= since; index--) {
    if (points[index]!.tested < MIN_TESTED) continue;
    tested += points[index]!.tested;
    passed += points[index]!.passed;
    runs++;
  }
  return runs >= CONFIRM_RUNS && passed / tested >= USUAL_SHARE;
}

/** The episodes of one service's series, oldest first; the last may still last (`ended` null). */
export function brokenEpisodes(service: string, points: ServicePoint[]): BrokenEpisode[] {
  const episodes: BrokenEpisode[] = [];
  let current: BrokenEpisode | null = null;
  let streak: number[] = [];
  for (const [index, point] of points.entries()) {
    const bad = badness(point);
    if (bad === null) continue;
    if (!current) {
      streak = bad ? [...streak, index] : [];
      if (streak.length === CONFIRM_RUNS) {
        if (usuallyWorked(points, streak[0]!)) {
          current = { service, started: points[streak[0]!]!.at, confirmed: point.at, ended: null, endConfirmed: null, tested: point.tested, passed: point.passed };
          episodes.push(current);
        } else {
          streak.shift(); // not news yet; a later run may still start one
        }
      }
      if (current) streak = [];
      continue;
    }
    if (bad) {
      Object.assign(current, { tested: point.tested, passed: point.passed });
      streak = [];
      continue;
    }
    streak.push(index);
    if (streak.length === CONFIRM_RUNS) {
      Object.assign(current, { ended: points[streak[0]!]!.at, endConfirmed: point.at });
      current = null;
      streak = [];
    }
  }
  return episodes;
}

/** Every service's episodes, oldest first. */
export function allBrokenEpisodes(series: Map<string, ServicePoint[]>): BrokenEpisode[] {
  return [...series].flatMap(([service, points]) => brokenEpisodes(service, points)).sort((a, b) => a.started.localeCompare(b.started));
}
