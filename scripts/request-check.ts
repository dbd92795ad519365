// `node scripts/request-check.ts --out FILE` (the requests workflow's read-only job): reads
// the request from the event payload, checks it with the list's own validation, and for a
// valid add request probes just that instance with the real probe and every guard of the
// hourly run (address policy, caps, timeouts, User-Agent). Writes the answer, in Markdown,
// for the comment job; an address the list's policy refuses is answered without a request.
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { failWith } from "./lib/fail.ts";
import { listedUrl, loadList, type InstanceList } from "./lib/list.ts";
import { guardOutput, setOutput } from "./lib/log.ts";
import { runProbes, userAgent } from "./lib/run.ts";
import { probeAnswer, problemsAnswer, refusedAnswer, removalAnswer } from "./lib/requests/answer.ts";
import { readEvent, requestKind, type Issue } from "./lib/requests/event.ts";
import { listedIndex, readAddRequest, readRemoveRequest, refusedAddress } from "./lib/requests/request.ts";

async function answerAdd(issue: Issue, list: InstanceList): Promise<string> {
  const { entry, problems } = readAddRequest(issue, list);
  if (problems.length > 0) return problemsAnswer(problems);
  const url = listedUrl(entry);
  const refused = await refusedAddress(url, list.probe.allowPrivateAddresses);
  if (refused) return refusedAnswer(refused);
  const { entries } = await runProbes({ list: { ...list, instances: [entry] }, env: {} });
  return probeAnswer(entries[0]!, { listedAs: listedIndex(list, entry.kind, url), userAgent: userAgent(list) });
}

function answerRemove(issue: Issue, list: InstanceList): string {
  const { url, problems } = readRemoveRequest(issue);
  if (problems.length > 0) return problemsAnswer(problems);
  const index = listedIndex(list, "", url);
  return removalAnswer(index < 0 ? null : { index, consent: list.instances[index]!.operator?.consent });
}

async function run(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: "string" }, list: { type: "string", default: "data/list.json" } }, strict: true });
  if (!values.out) throw new Error("usage: node scripts/request-check.ts --out FILE [--list data/list.json]");
  const { issue } = readEvent();
  const kind = requestKind(issue);
  if (!kind) return setOutput("answer", "false");
  const list = loadList(values.list);
  const answer = kind === "add" ? await answerAdd(issue, list) : answerRemove(issue, list);
  writeFileSync(values.out, `${answer}\n`);
  console.log(answer);
  setOutput("answer", "true");
}

guardOutput();
try {
  await run();
} catch (error) {
  failWith(error, ["NoNetworkError"]);
}
