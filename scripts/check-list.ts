// `node scripts/check-list.ts [FILE]`: validates a list without probing anything, for pull
// requests that edit it. Each problem names the line and the fix; in Actions it is also an
// annotation on that line of the pull request.
import * as core from "@actions/core";
import { ListError, loadList } from "./lib/list.ts";

const file = process.argv[2] ?? "data/list.json";
try {
  const list = loadList(file);
  console.log(`${file} is valid: ${list.instances.length} instances, ${list.probe.shards} shard(s)`);
} catch (error) {
  if (!(error instanceof ListError)) throw error;
  if (process.env.GITHUB_ACTIONS === "true") {
    for (const problem of error.problems) {
      core.error(`${problem.pointer}: ${problem.message}`, { title: "Invalid list", file: error.file, startLine: problem.line, startColumn: problem.column });
    }
  }
  console.error(error.message);
  process.exitCode = 1;
}
