// `node scripts/request-gate.ts` (the requests workflow's first job, with issues: read and
// before `npm ci`): decides whether this issue event gets checked. Only issues from the add
// and remove forms are, and at most once every few minutes: when the workflow's answer was
// updated less than that ago, this edit is not probed (the next one after it is).
import { ANSWER_MARKER, PROBE_INTERVAL_MINUTES } from "./lib/requests/answer.ts";
import { findAnswer, GitHubApi } from "./lib/requests/github-api.ts";
import { readEvent, requestKind } from "./lib/requests/event.ts";
import { annotate, fail, guardOutput, setOutput } from "./lib/log.ts";

async function run(): Promise<void> {
  const { issue } = readEvent();
  if (!requestKind(issue)) {
    console.log(`issue #${issue.number} did not come from an instance request form: nothing to check`);
    return setOutput("check", "false");
  }
  const answer = findAnswer(await new GitHubApi().comments(issue.number), ANSWER_MARKER);
  const since = answer ? Date.now() - Date.parse(answer.updated_at) : Infinity;
  if (since < PROBE_INTERVAL_MINUTES * 60_000) {
    annotate("notice", `issue #${issue.number} was answered ${Math.round(since / 1000)} s ago; it is checked again on an edit ${PROBE_INTERVAL_MINUTES} minutes after the last answer`);
    return setOutput("check", "false");
  }
  setOutput("check", "true");
}

guardOutput();
await run().catch((error: Error) => fail(error.stack ?? String(error)));
