// The first job of the hourly workflow: how many shards to run, whether to probe at all
// (a scheduled run of an unedited fork does not), and whether the repository needs a
// keep-alive. Only Node built-ins: it runs before `npm ci`. The probe validates the list.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { foreignIdentity } from "./lib/list-identity.ts";
import { annotate, guardOutput, setOutput } from "./lib/log.ts";

/** GitHub disables scheduled workflows after 60 days without activity: act well before. */
const KEEPALIVE_AFTER_DAYS = 45;

export interface Plan {
  shards: number;
  matrix: string[];
  probe: boolean;
  keepalive: boolean;
  notice: string | null;
}

export function plan(listText: string, event: string, repository: string | undefined, lastCommitAgeDays: number): Plan {
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
  return {
    shards,
    matrix: Array.from({ length: shards }, (_, i) => `${i + 1}/${shards}`),
    probe: !skip,
    keepalive: event === "schedule" && !skip && lastCommitAgeDays >= KEEPALIVE_AFTER_DAYS,
    notice: skip
      ? `data/list.json still names ${foreign}: scheduled runs of this copy do nothing until its title, site and repository are edited (run the workflow by hand to probe anyway).`
      : null,
  };
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
  const result = plan(readFileSync("data/list.json", "utf8"), process.env.GITHUB_EVENT_NAME ?? "", process.env.GITHUB_REPOSITORY, lastCommitAgeDays());
  const outputs = { shards: String(result.shards), matrix: JSON.stringify(result.matrix), probe: String(result.probe), keepalive: String(result.keepalive) };
  for (const [name, value] of Object.entries(outputs)) {
    setOutput(name, value);
    console.log(`${name}=${value}`);
  }
  if (result.notice) annotate("notice", result.notice, { file: "data/list.json", title: "Unedited list" });
}
