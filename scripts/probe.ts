// `npm run probe`: reads the list, probes every instance, validates, writes the output.
// Exit 0 when the run completed (instances down included); non-zero, with nothing
// written, when the list is invalid, the output fails the schema, or the machine has no
// network (every instance failed alike and the list's reachability check failed too; exit
// code 3): the failed step then stops the workflow before it commits, so the previous data
// stays published.
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { failWith } from "./lib/fail.ts";
import { loadList } from "./lib/list.ts";
import { guardOutput } from "./lib/log.ts";
import { assertValidOutput, NO_NETWORK_EXIT_CODE, NoNetworkError, runProbes } from "./lib/run.ts";
import { invalidDataReport, summaryTable, writeInvalidDataSummary } from "./lib/summary.ts";
import { writeJsonAtomic } from "./lib/write-json.ts";
import { entriesOfShard, parseShard } from "./lib/shard.ts";
import { readPrevious } from "./lib/previous.ts";
import { prepareHistory } from "./lib/history/index.ts";

const USAGE = "usage: npm run probe -- [--list data/list.json] [--out data/instances.json] [--shard I/N] [--previous FILE] [--history DIR]";

async function run(): Promise<void> {
  const { values } = parseArgs({
    options: {
      list: { type: "string", default: "data/list.json" },
      out: { type: "string", default: "data/instances.json" },
      // A shard probes a stable share of the list; `npm run merge` combines the shards.
      shard: { type: "string" },
      // Where earlier values come from when --out is a new file (a shard's output).
      previous: { type: "string" },
      // The history store; default: history/ beside --out.
      history: { type: "string" },
      help: { type: "boolean" },
    },
    strict: true,
  });
  if (values.help) return console.log(USAGE);
  const fullList = loadList(values.list);
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  const list = shard ? { ...fullList, instances: entriesOfShard(fullList.instances, shard) } : fullList;
  const progress = process.stderr.isTTY
    ? (done: number, total: number) => process.stderr.write(`\rprobed ${done}/${total}${done === total ? "\n" : ""}`)
    : undefined;
  const previous = readPrevious(values.previous ?? values.out);
  const probed = await runProbes({ list, previous, onProgress: progress });
  // History covers the whole list, so a shard leaves it to the step that merges the shards.
  const history = shard ? undefined : prepareHistory(values.history ?? join(dirname(values.out), "history"), probed.entries, previous);
  const { entries, stats } = { entries: history?.entries ?? probed.entries, stats: probed.stats };
  assertValidOutput(entries);
  history?.commit(); // only once the output is valid: a rejected run records nothing
  writeJsonAtomic(values.out, entries);
  console.log(summaryTable(entries));
  if (probed.invalid.length > 0) {
    console.log(`\n${invalidDataReport(probed.invalid)}`);
    if (process.env.GITHUB_STEP_SUMMARY) await writeInvalidDataSummary(probed.invalid).catch((error: Error) => console.warn(`warning: job summary not written: ${error.message}`));
  }
  const online = entries.filter((entry) => entry.api_online).length;
  console.log(`\n${online} of ${entries.length} online; ${stats.requests} requests in ${(stats.wallMs / 1000).toFixed(1)} s; wrote ${values.out}`);
}

guardOutput();
try {
  await run();
} catch (error) {
  failWith(error, ["OutputError", "NoNetworkError"]);
  // So that `npm start` can tell "no network" from a broken list, and show the demo.
  if (error instanceof NoNetworkError) process.exitCode = NO_NETWORK_EXIT_CODE;
}
