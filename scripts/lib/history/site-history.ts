// What the site draws from the runs of the last 90 days, read in one pass: per instance a
// cell a day (its uptime bar) and 7 days of response times (its sparkline), and per cobalt
// service the fleet's health at each run. 90 days of hourly runs of 10,000 instances are
// 21 million samples: they are counted from each run's columns as it is read, never held.
import type { DayCell } from "./derive.ts";
import { ServiceSeriesBuilder, type ServicePoint } from "./fleet.ts";
import { columnsOf, STATE, stateMs, type Run } from "./samples.ts";

const DAY_MS = 86_400_000;

export interface SiteHistoryOptions {
  /** The instances drawn, by history key. */
  keys: readonly string[];
  /** The end of the window: the latest check. */
  now: Date;
  /** Cells in the uptime bar, ending today (UTC). */
  days?: number;
  /** Days of response times in the sparkline. */
  seriesDays?: number;
  /** Keys left out of the fleet's figures (entries that repeat a backend counted already). */
  skip?: ReadonlySet<string>;
}

export interface SiteHistory {
  /** One cell per UTC day, oldest first, ending today; an unknown key gets empty cells. */
  cells(key: string): DayCell[];
  /** Response times of the online checks in the last `seriesDays`, oldest first. */
  series(key: string): Array<{ at: string; ms: number }>;
  /** Per cobalt service, one point per run that checked a cobalt instance. */
  services: Map<string, ServicePoint[]>;
}

const percent = (part: number, whole: number) => (whole ? Math.round((10000 * part) / whole) / 100 : null);

export function readSiteHistory(runs: Iterable<Run>, { keys, now, days = 90, seriesDays = 7, skip = new Set() }: SiteHistoryOptions): SiteHistory {
  const slotOf = new Map(keys.map((key, slot) => [key, slot]));
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const firstDay = today - (days - 1) * DAY_MS;
  const seriesSince = now.getTime() - seriesDays * DAY_MS;
  const checks = new Uint16Array(keys.length * days);
  const online = new Uint16Array(keys.length * days);
  // Per instance: [time, ms, time, ms, …]; a run's ISO time is kept once, by its time.
  const series: number[][] = keys.map(() => []);
  const isoOf = new Map<number, string>();
  const fleet = new ServiceSeriesBuilder("cobalt", skip);
  // Run positions → instance slots, worked out once per key table (the runs of a day file share one).
  let mapped: { keys: readonly string[]; slots: Int32Array } | undefined;

  for (const run of runs) {
    fleet.add(run);
    const time = Date.parse(run.at);
    const day = Math.floor((Date.UTC(Number(run.at.slice(0, 4)), Number(run.at.slice(5, 7)) - 1, Number(run.at.slice(8, 10))) - firstDay) / DAY_MS);
    const inSeries = time >= seriesSince;
    if (!(day >= 0 && day < days) && !inSeries) continue;
    const columns = columnsOf(run);
    if (mapped?.keys !== columns.keys) mapped = { keys: columns.keys, slots: Int32Array.from(columns.keys, (key) => slotOf.get(key) ?? -1) };
    const { slots } = mapped;
    const { states } = columns;
    if (inSeries) isoOf.set(time, run.at);
    for (let index = 0; index < states.length; index++) {
      const state = states[index]!;
      const slot = slots[index]!;
      if (state === STATE.NOT_CHECKED || slot < 0) continue;
      if (day >= 0 && day < days) {
        checks[slot * days + day]++;
        if (state !== STATE.DOWN) online[slot * days + day]++;
      }
      const ms = stateMs(state);
      if (inSeries && ms !== null) series[slot]!.push(time, ms);
    }
  }

  return {
    cells(key) {
      const slot = slotOf.get(key);
      return Array.from({ length: days }, (_, day) => {
        const made = slot === undefined ? 0 : checks[slot * days + day]!;
        const up = slot === undefined ? 0 : online[slot * days + day]!;
        return { day: new Date(firstDay + day * DAY_MS).toISOString().slice(0, 10), checks: made, online: up, uptime: percent(up, made) };
      });
    },
    series(key) {
      const points = series[slotOf.get(key) ?? -1] ?? [];
      const found: Array<{ at: string; ms: number }> = [];
      for (let at = 0; at < points.length; at += 2) found.push({ at: isoOf.get(points[at]!)!, ms: points[at + 1]! });
      return found;
    },
    services: fleet.series(),
  };
}
