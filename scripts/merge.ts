// `npm run merge`: combines the shard outputs of a sharded run (`npm run probe -- --shard I/N`)
// into data/instances.json. Exit 0 when merged, even if a shard is missing (its instances
// keep their previous data, marked stale); non-zero, with nothing written, when the list is
// invalid, no shard output is usable, or the result fails the schema.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { prepareHistory } from "./lib/history/index.ts";
import { failWith } from "./lib/fail.ts";
import { loadList } from "./lib/list.ts";
import { annotate, guardOutput } from "./lib/log.ts";
import { describeMerge, mergeShards, type ShardOutput } from "./lib/merge.ts";
import { assertValidOutput } from "./lib/run.ts";
import { problemsFrom, validateInstances } from "./lib/schemas.ts";
import { readPrevious } from "./lib/previous.ts";
import { writeJsonAtomic } from "./lib/write-json.ts";

const USAGE = "usage: npm run merge -- --from DIR [--list data/list.json] [--previous data/instances.json] [--out data/instances.json] [--history DIR]";

/** Every valid shard output in a folder; an unreadable or invalid one is reported and skipped. */
function readShardOutputs(dir: string, warn: (message: string) => void): ShardOutput[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith(".json")).sort();
  } catch (error) {
    warn(`${dir} cannot be read (${(error as NodeJS.ErrnoException).code}); no shard output found`);
    return [];
  }
  const outputs: ShardOutput[] = [];
  for (const name of names) {
    const source = join(dir, name);
    try {
      const value: unknown = JSON.parse(readFileSync(source, "utf8"));
      if (validateInstances(value)) outputs.push({ source, entries: value as ShardOutput["entries"] });
      else warn(`${source} does not match the schema and is ignored: ${problemsFrom(validateInstances.errors).slice(0, 3).map((p) => `${p.pointer}: ${p.message}`).join("; ")}`);
    } catch (error) {
      warn(`${source} cannot be read and is ignored (${(error as Error).message})`);
    }
  }
  return outputs;
}

function run(): void {
  const { values } = parseArgs({
    options: {
      from: { type: "string" },
      list: { type: "string", default: "data/list.json" },
      previous: { type: "string", default: "data/instances.json" },
      out: { type: "string", default: "data/instances.json" },
      // The history store; default: history/ beside --out. Shards leave history to the merge.
      history: { type: "string" },
      help: { type: "boolean" },
    },
    strict: true,
  });
  if (values.help) return console.log(USAGE);
  if (!values.from) throw new UsageError(`--from is required: the folder holding the shards' outputs.\n${USAGE}`);
  const warn = (message: string) => annotate("warning", message);
  const list = loadList(values.list);
  const outputs = readShardOutputs(values.from, warn);
  if (outputs.length === 0 && list.instances.length > 0) {
    throw new UsageError(`no usable shard output in ${values.from}: every shard failed, so nothing was merged or written`);
  }
  const previous = readPrevious(values.previous);
  const merged = mergeShards(list, outputs, previous);
  const history = prepareHistory(values.history ?? join(dirname(values.out), "history"), merged.entries, previous);
  const { entries } = history;
  const report = merged.report;
  assertValidOutput(entries);
  history.commit(); // only once the output is valid, as the probe does
  writeJsonAtomic(values.out, entries);
  const lines = describeMerge(report, entries.length);
  console.log(lines[0]);
  for (const line of lines.slice(1)) warn(line);
  console.log(`merged ${outputs.length} shard output(s); wrote ${values.out}`);
}

class UsageError extends Error {
  override name = "UsageError";
}

guardOutput();
try {
  run();
} catch (error) {
  failWith(error, ["OutputError", "UsageError"]);
}
