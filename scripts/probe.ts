// `npm run probe`: reads the list, probes every instance, validates, writes the output.
// Exit 0 when the run completed (instances down included); non-zero, with nothing
// written, when the list is invalid or the output fails the schema.
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import * as core from "@actions/core";
import { ListError, loadList } from "./lib/list.ts";
import { assertValidOutput, runProbes, type Instance } from "./lib/run.ts";
import { summaryTable } from "./lib/summary.ts";
import { writeJsonAtomic } from "./lib/write-json.ts";
import { validateInstances } from "./lib/schemas.ts";

const USAGE = "usage: npm run probe -- [--list data/list.json] [--out data/instances.json]";
const inActions = process.env.GITHUB_ACTIONS === "true";

/** The previous output, if there is a valid one: a broken file is ignored, not fatal. */
export function readPrevious(file: string): Instance[] {
  if (!existsSync(file)) return [];
  try {
    const value = JSON.parse(readFileSync(file, "utf8"));
    if (validateInstances(value)) return value as Instance[];
    console.warn(`warning: ${file} does not match the schema; starting without previous values`);
  } catch (error) {
    console.warn(`warning: ${file} cannot be read (${(error as Error).message}); starting without previous values`);
  }
  return [];
}

async function run(): Promise<void> {
  const { values } = parseArgs({
    options: { list: { type: "string", default: "data/list.json" }, out: { type: "string", default: "data/instances.json" }, help: { type: "boolean" } },
    strict: true,
  });
  if (values.help) return console.log(USAGE);
  const list = loadList(values.list);
  const progress = process.stderr.isTTY
    ? (done: number, total: number) => process.stderr.write(`\rprobed ${done}/${total}${done === total ? "\n" : ""}`)
    : undefined;
  const { entries, stats } = await runProbes({ list, previous: readPrevious(values.out), onProgress: progress });
  assertValidOutput(entries);
  writeJsonAtomic(values.out, entries);
  console.log(summaryTable(entries));
  const online = entries.filter((entry) => entry.api_online).length;
  console.log(`\n${online} of ${entries.length} online; ${stats.requests} requests in ${(stats.wallMs / 1000).toFixed(1)} s; wrote ${values.out}`);
}

try {
  await run();
} catch (error) {
  if (error instanceof ListError && inActions) {
    for (const problem of error.problems) core.error(`${problem.pointer}: ${problem.message}`, { file: error.file, startLine: problem.line, startColumn: problem.column });
  }
  const expected = error instanceof Error && (error.name === "ListError" || error.name === "OutputError");
  const message = expected ? (error as Error).message : (error as Error).stack ?? String(error);
  if (inActions) core.setFailed(message);
  else console.error(`error: ${message}`);
  process.exitCode = 1;
}
