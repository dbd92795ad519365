// The first job of the hourly workflow: how many shards to run, whether to probe at all
// (a scheduled run of an unedited fork does not, nor a backstop run while the data is
// fresh), and whether the repository needs a keep-alive. Only Node built-ins: it runs
// before `npm ci`. The probe validates the list.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { foreignIdentity } from "./lib/list-identity.ts";
import { annotate, guardOutput, setOutput } from "./lib/log.ts";

/** GitHub disables scheduled workflows after 60 days without activity: act well before. */
const KEEPALIVE_AFTER_DAYS = 45;

/** The workflow's second schedule slot, half an hour after the first (probe.yml says why). */
export const BACKSTOP_SCHEDULE = "47 * * * *";
/** The backstop probes only when the data on main was checked longer ago than this. */
export const BACKSTOP_AFTER_MINUTES = 50;

/** Which schedule slot started the run (`github.event.schedule`), and how old the data on main is. */
export interface Slot {
  schedule?: string;
  /** Minutes since the latest check in data/instances.json; null when there is no data. */
  dataAgeMinutes?: number | null;
}

export interface Plan {
  shards: number;
  matrix: string[];
  probe: boolean;
  keepalive: boolean;
  notice: string | null;
}

export function plan(listText: string, event: string, repository: string | undefined, lastCommitAgeDays: number, slot: Slot = {}): Plan {
  let list: { site?: string; repository?: string; probe?: { shards?: unknown } } = {};
  try {
    list = JSON.parse(listText);
  } catch {
    // Left to the probe, which explains a broken list line by line.
  }
  const wanted = list.probe?.shards;
  const shards = Number.isInteger(wanted) && (wanted as number) >= 1 && (wanted as number) <= 64 ? (wanted as number) : 1;
  const foreign = foreignIdentity(list, repository);
  const skip = event === "schedule" && foreign !== null;
  const backstop = event === "schedule" && slot.schedule === BACKSTOP_SCHEDULE;
  const age = slot.dataAgeMinutes ?? null;
  const fresh = backstop && age !== null && age < BACKSTOP_AFTER_MINUTES;
  return {
    shards,
    matrix: Array.from({ length: shards }, (_, i) => `${i + 1}/${shards}`),
    probe: !skip && !fresh,
    keepalive: event === "schedule" && !skip && !backstop && lastCommitAgeDays >= KEEPALIVE_AFTER_DAYS,
    notice: skip
      ? `data/list.json still names ${foreign}: scheduled runs of this copy do nothing until its title, site and repository are edited (run the workflow by hand to probe anyway).`
      : fresh ? `Backstop run: the data on main was checked ${Math.round(age)} minutes ago, less than ${BACKSTOP_AFTER_MINUTES}, so there is nothing to do.`
      : backstop ? `Backstop run: ${age === null ? "there is no data on main yet" : `the data on main was checked ${Math.round(age)} minutes ago`}, so the hourly run was late, dropped or failed: probing now.`
      : null,
  };
}

/** Minutes since the latest `checked_at` in the committed data; null without data. */
function dataAgeMinutes(file = "data/instances.json"): number | null {
  try {
    const entries = JSON.parse(readFileSync(file, "utf8")) as { checked_at?: unknown }[];
    const latest = Math.max(...entries.map((entry) => Date.parse(String(entry.checked_at))).filter(Number.isFinite));
    return Number.isFinite(latest) ? (Date.now() - latest) / 60_000 : null;
  } catch {
    return null;
  }
}

function lastCommitAgeDays(): number {
  try {
    const seconds = Number(execFileSync("git", ["log", "-1", "--format=%ct"], { encoding: "utf8" }).trim());
    return (Date.now() / 1000 - seconds) / 86_400;
  } catch {
    return 0;
  }
}

if (import.meta.filename === process.argv[1]) {
  guardOutput();
  const result = plan(readFileSync("data/list.json", "utf8"), process.env.GITHUB_EVENT_NAME ?? "", process.env.GITHUB_REPOSITORY, lastCommitAgeDays(),
    { schedule: process.env.SCHEDULE, dataAgeMinutes: dataAgeMinutes() });
  const outputs = { shards: String(result.shards), matrix: JSON.stringify(result.matrix), probe: String(result.probe), keepalive: String(result.keepalive) };
  for (const [name, value] of Object.entries(outputs)) {
    setOutput(name, value);
    console.log(`${name}=${value}`);
  }
  if (result.notice) annotate("notice", result.notice, result.notice.startsWith("Backstop run") ? { title: "Backstop run" } : { file: "data/list.json", title: "Unedited list" });
}
