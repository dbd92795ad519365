// `node scripts/request-comment.ts --body FILE` (the requests workflow's comment job, the
// only one with issues: write): posts the answer the read-only job wrote as the workflow's one
// comment on the issue, or updates that comment in place. The issue number comes from the
// event, never from the artifact; the artifact is only text, and capped.
import { readFileSync, statSync } from "node:fs";
import { parseArgs } from "node:util";
import { ANSWER_MARKER } from "./lib/requests/answer.ts";
import { findAnswer, GitHubApi } from "./lib/requests/github-api.ts";
import { readEvent } from "./lib/requests/event.ts";
import { fail, guardOutput } from "./lib/log.ts";

/** GitHub refuses a comment longer than 65,536 characters. */
const MAX_ANSWER = 60_000;

async function run(): Promise<void> {
  const { values } = parseArgs({ options: { body: { type: "string" } }, strict: true });
  if (!values.body) throw new Error("usage: node scripts/request-comment.ts --body FILE");
  if (statSync(values.body).size > MAX_ANSWER * 4) throw new Error(`${values.body} is larger than an answer can be`);
  const text = readFileSync(values.body, "utf8");
  const body = `${ANSWER_MARKER}\n${text.length > MAX_ANSWER ? `${text.slice(0, MAX_ANSWER)}\n\n(cut: the answer was too long)` : text}`;
  const { issue } = readEvent();
  const api = new GitHubApi();
  const answer = findAnswer(await api.comments(issue.number), ANSWER_MARKER);
  if (answer) await api.repo("PATCH", `/issues/comments/${answer.id}`, { body });
  else await api.repo("POST", `/issues/${issue.number}/comments`, { body });
  console.log(`${answer ? "updated the answer on" : "answered"} issue #${issue.number}`);
}

guardOutput();
await run().catch((error: Error) => fail(error.stack ?? String(error)));
