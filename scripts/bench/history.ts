// How much the history store grows the repository: simulates a list of instances probed
// hourly (300 for a year by default), records every run with the real store, commits each
// simulated day (or hour) into a throwaway git repository and measures it packed.
//
//   node scripts/bench/history.ts [--instances 300] [--days 365] [--commit-every day|hour] [--quick]
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { appendRun, eachDayNewestFirst, pruneRaw } from "../lib/history/store.ts";
import { HistoryDeriver, WINDOWS } from "../lib/history/derive.ts";
import { roundMs, type Run, type Sample } from "../lib/history/samples.ts";

export interface HistoryBenchOptions {
  instances?: number;
  days?: number;
  commitEvery?: "day" | "hour";
}

const SERVICES = ["bilibili", "bluesky", "dailymotion", "instagram", "reddit", "soundcloud", "tiktok", "twitter", "vimeo", "youtube"];
const HOUR_MS = 3_600_000;

/** A small deterministic generator, so two runs measure the same data. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

interface Simulated {
  key: string;
  cobalt: boolean;
  availability: number;
  baseMs: number;
  working: Map<string, boolean>;
}

function sizeOf(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((total, name) => total + sizeOf(join(path, name)), 0);
}

function git(dir: string, args: string[]): string {
  return execFileSync("git", ["-c", "gc.auto=0", "-c", "user.name=bench", "-c", "user.email=bench@localhost", "-c", "commit.gpgsign=false", ...args], { cwd: dir, encoding: "utf8" });
}

export async function measureHistoryGrowth(options: HistoryBenchOptions = {}) {
  const instanceCount = options.instances ?? 300;
  const days = options.days ?? 365;
  const commitEvery = options.commitEvery ?? "day";
  const repo = mkdtempSync(join(tmpdir(), "history-bench-"));
  const store = join(repo, "data", "history");
  try {
    git(repo, ["init", "-q"]);
    mkdirSync(store, { recursive: true });
    const next = random(42);
    const fleet: Simulated[] = Array.from({ length: instanceCount }, (_, index) => {
      const cobalt = index % 3 !== 2;
      const working = new Map(cobalt ? SERVICES.filter(() => next() < 0.8).map((name) => [name, next() < 0.8] as const) : []);
      return { key: `${cobalt ? "cobalt" : "mastodon"} instance-${index}.example`, cobalt, availability: 0.9 + next() * 0.1, baseMs: 80 + next() * 900, working };
    });
    const start = Date.parse("2026-01-01T00:00:00Z");
    let appendedBytes = 0;
    let commits = 0;
    let runs = 0;
    let missed = 0;
    const began = performance.now();
    for (let hour = 0; hour < days * 24; hour++) {
      const at = new Date(start + hour * HOUR_MS + Math.floor(next() * 600) * 1000);
      // About one scheduled run in 50 does not happen (GitHub skips runs under load).
      if (next() < 0.02) missed++;
      else {
        const samples = new Map<string, Sample | null>();
        for (const instance of fleet) {
          for (const [name, works] of instance.working) if (next() < 0.03) instance.working.set(name, !works);
          const online = next() < instance.availability;
          const services: Record<string, boolean> = {};
          if (online) for (const [name, works] of instance.working) services[name] = next() < 0.1 ? !works : works;
          samples.set(instance.key, { online, ms: online ? roundMs(instance.baseMs * (0.7 + next() * 0.8)) : null, services });
        }
        const before = sizeOf(join(repo, "data"));
        appendRun(store, { at: at.toISOString().replace(/\.\d{3}Z$/, "Z"), samples } satisfies Run);
        pruneRaw(store, at);
        appendedBytes += Math.max(0, sizeOf(join(repo, "data")) - before);
        runs++;
      }
      if (commitEvery === "hour" || hour % 24 === 23) {
        git(repo, ["add", "-A", "data"]);
        git(repo, ["commit", "-q", "--allow-empty", "-m", `run ${hour}`]);
        commits++;
      }
    }
    const simulateMs = performance.now() - began;
    git(repo, ["gc", "-q", "--prune=now"]);
    const counts = Object.fromEntries(git(repo, ["count-objects", "-v"]).trim().split("\n").map((line) => line.split(": ")).map(([key, value]) => [key, Number(value)]));
    const packBytes = (counts["size-pack"] + counts.size) * 1024;

    // Deriving every entry's history, as each probe run does, from the 90-day window (the
    // site bench measures what a large list costs to read).
    let deriveMs: number | null = null;
    if (instanceCount <= 1_000) {
      const now = new Date(start + days * 24 * HOUR_MS);
      const deriveStart = performance.now();
      const deriver = new HistoryDeriver(fleet.map((instance) => instance.key), now);
      for (const read of eachDayNewestFirst(store, new Date(now.getTime() - WINDOWS["90d"]))) deriver.addDay(read);
      for (const instance of fleet) deriver.history(instance.key);
      deriveMs = Math.round(performance.now() - deriveStart);
    }

    const samples = runs * instanceCount;
    return {
      instances: instanceCount,
      days,
      runs,
      missedRuns: missed,
      commits,
      commitEvery,
      gitPackedBytes: packBytes,
      gitPackedMb: Number((packBytes / 1e6).toFixed(2)),
      bytesPerSampleInGit: Number((packBytes / samples).toFixed(2)),
      appendedBytes,
      storeOnDiskBytes: sizeOf(store),
      deriveAllMs: deriveMs,
      simulateMs: Math.round(simulateMs),
    };
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}

/**
 * The `npm run bench` section: a year of 300 instances, and four weeks of 10,000 scaled to a
 * year (every day file packs on its own, so the growth is linear in days; a year of
 * 10,000 would take hours to simulate).
 */
export async function bench({ quick }: { quick: boolean }) {
  const began = performance.now();
  const [small, large] = quick
    ? [await measureHistoryGrowth({ instances: 30, days: 20 }), await measureHistoryGrowth({ instances: 300, days: 5 })]
    : [await measureHistoryGrowth({ instances: 300 }), await measureHistoryGrowth({ instances: 10_000, days: 28 })];
  const perYear = (figures: typeof small) => Number(((figures.gitPackedBytes / 1e6) * (365 / figures.days)).toFixed(2));
  return {
    wallMs: Math.round(performance.now() - began),
    [`mbPerYearAt${small.instances}`]: perYear(small),
    [`mbPerYearAt${large.instances}`]: perYear(large),
    bytesPerSampleInGit: large.bytesPerSampleInGit,
    deriveAllMs: small.deriveAllMs,
    details: [small, large],
  };
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: { instances: { type: "string" }, days: { type: "string" }, "commit-every": { type: "string" }, quick: { type: "boolean" } },
    strict: true,
  });
  const commitEvery = values["commit-every"];
  if (commitEvery !== undefined && commitEvery !== "day" && commitEvery !== "hour") throw new Error(`--commit-every must be "day" or "hour", not "${commitEvery}"`);
  const figures = values.quick
    ? await bench({ quick: true })
    : await measureHistoryGrowth({ instances: values.instances ? Number(values.instances) : undefined, days: values.days ? Number(values.days) : undefined, commitEvery });
  console.log(JSON.stringify(figures, null, 2));
}
