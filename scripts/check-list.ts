// `node scripts/check-list.ts [FILE]`: validates a list without probing anything, for pull
// requests that edit it. Each problem names the line and the fix; in Actions it is also an
// annotation on that line of the pull request.
import { annotateListProblems } from "./lib/fail.ts";
import { ListError, loadList } from "./lib/list.ts";
import { guardOutput } from "./lib/log.ts";

guardOutput();
const file = process.argv[2] ?? "data/list.json";
try {
  const list = loadList(file);
  console.log(`${file} is valid: ${list.instances.length} instances, ${list.probe.shards} shard(s)`);
} catch (error) {
  if (!(error instanceof ListError)) throw error;
  annotateListProblems(error);
  console.error(error.message);
  process.exitCode = 1;
}
