// `node scripts/changes.ts --before OLD --after NEW`: what changed between two runs, as a
// table on stdout and in the Actions job summary, and whether the data changed in anything
// but check times (the output `changed=true|false`, which decides whether a commit is made).
import { parseArgs } from "node:util";
import * as core from "@actions/core";
import { compareRuns, type Change } from "./lib/changes.ts";
import { failWith } from "./lib/fail.ts";
import { foreignIdentity } from "./lib/list-identity.ts";
import { loadList } from "./lib/list.ts";
import { annotate, guardOutput, setOutput, summaryText } from "./lib/log.ts";
import { readPrevious } from "./lib/previous.ts";
import { dataChanged } from "./lib/volatile.ts";

const USAGE = "usage: node scripts/changes.ts --before OLD.json --after data/instances.json [--list data/list.json]";
/** The job summary is capped at 1 MiB: a table this long says enough. */
const MAX_ROWS = 300;

const LABELS: Record<Change["kind"], string> = {
  down: "went down", back: "came back", stale: "not refreshed", added: "new", removed: "removed", version: "new version", score: "score changed",
};

async function run(): Promise<void> {
  const { values } = parseArgs({
    options: { before: { type: "string" }, after: { type: "string", default: "data/instances.json" }, list: { type: "string", default: "data/list.json" }, help: { type: "boolean" } },
    strict: true,
  });
  if (values.help || !values.before) return console.log(USAGE);
  const before = readPrevious(values.before);
  const after = readPrevious(values.after);
  const changes = compareRuns(before, after);
  const changed = dataChanged(before, after);
  const foreign = foreignIdentity(loadList(values.list), process.env.GITHUB_REPOSITORY);

  const identityWarning = foreign
    ? `${values.list} still names ${foreign} (title/site/repository), not ${process.env.GITHUB_REPOSITORY}: edit it so operators see who probes them, and so scheduled runs start.`
    : null;
  console.log(changes.length === 0 ? "no change worth reporting" : plainTable(changes));
  console.log(`data changed: ${changed ? "yes" : "no (check times only)"}`);
  if (identityWarning) annotate("warning", identityWarning, { file: values.list });

  setOutput("changed", String(changed));
  // core.summary.write() throws without GITHUB_STEP_SUMMARY: locally the table above is the summary.
  // A summary that cannot be written must not stop the data from being committed.
  if (process.env.GITHUB_STEP_SUMMARY) {
    await writeSummary(changes, changed, after.length, identityWarning).catch((error: Error) => annotate("warning", `job summary not written: ${error.message}`));
  }
}

function plainTable(changes: Change[]): string {
  return changes.map((c) => `${LABELS[c.kind].padEnd(14)} ${c.name.slice(0, 40).padEnd(40)} ${c.before} → ${c.after}`.trimEnd()).join("\n");
}

async function writeSummary(changes: Change[], changed: boolean, total: number, identityWarning: string | null): Promise<void> {
  const summary = core.summary.addHeading("Probe run", 2);
  if (identityWarning) summary.addRaw(`<p><strong>Warning:</strong> ${summaryText(identityWarning)}</p>`, true);
  summary.addRaw(`<p>${total} instances; ${changes.length} change(s); ${changed ? "the data changed and is committed." : "only check times changed: no commit."}</p>`, true);
  if (changes.length > 0) {
    summary.addTable([
      [{ data: "change", header: true }, { data: "instance", header: true }, { data: "before", header: true }, { data: "after", header: true }],
      ...changes.slice(0, MAX_ROWS).map((c) => [LABELS[c.kind], `${summaryText(c.name)}<br><code>${summaryText(c.url)}</code>`, summaryText(c.before), summaryText(c.after)]),
    ]);
    if (changes.length > MAX_ROWS) summary.addRaw(`<p>…and ${changes.length - MAX_ROWS} more.</p>`, true);
  }
  await summary.write();
}

guardOutput();
try {
  await run();
} catch (error) {
  failWith(error, []);
}
