// `node scripts/request-approve.ts permission|edit|pull-request` (the requests workflow's
// approve job, on an `approved` label):
//   permission    whether whoever added the label may write to the repository (a triager
//                 can label, and must not be able to list an instance); sets `allowed`.
//   edit          adds the requested entry to data/list.json (operator.contact, and
//                 operator.consent pointing at the issue), or removes the entry a removal
//                 asks for; writes the commit message and the pull request for the next steps.
//   pull-request  opens the pull request from the pushed branch ("Closes #N"), or updates it.
// The branch name is made of the issue number alone; issue text reaches git and the API
// only as file contents and JSON, never as a command line.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GitHubApi, GitHubApiError } from "./lib/requests/github-api.ts";
import { readEvent, requestKind, type IssuesEvent } from "./lib/requests/event.ts";
import { fail, guardOutput, setOutput, summaryText as text } from "./lib/log.ts";

const LIST = "data/list.json";
const WRITE_PERMISSIONS = ["admin", "maintain", "write"];

interface PullRequest {
  branch: string;
  title: string;
  body: string;
}

const pullRequestFile = () => join(process.env.RUNNER_TEMP ?? ".", "request", "pull-request.json");

async function permission(event: IssuesEvent): Promise<void> {
  const login = event.sender?.login ?? "";
  if (!requestKind(event.issue)) {
    console.log(`issue #${event.issue.number} is not an instance request: the label changes nothing`);
    return setOutput("allowed", "false");
  }
  const answer = await new GitHubApi().repo<{ permission?: string; role_name?: string }>("GET", `/collaborators/${encodeURIComponent(login)}/permission`);
  const allowed = [answer.permission, answer.role_name].some((level) => WRITE_PERMISSIONS.includes(level ?? ""));
  console.log(allowed ? `${login} may write: approved` : `${login} has ${answer.permission ?? "no"} access, not write: the label changes nothing`);
  setOutput("allowed", String(allowed));
}

async function edit(event: IssuesEvent): Promise<void> {
  // The list modules need the installed dependencies, which this job installs after the permission check.
  const { hostOf, listedUrl, parseList } = await import("./lib/list.ts");
  const { listedIndex, readAddRequest, readRemoveRequest } = await import("./lib/requests/request.ts");
  const { addEntry, removeEntry } = await import("./lib/requests/list-edit.ts");
  const { issue } = event;
  const before = readFileSync(LIST, "utf8");
  const list = parseList(LIST, before);
  const branch = `instance-request-${issue.number}`;
  let pull: PullRequest;
  let after: string;
  if (requestKind(issue) === "add") {
    const { entry, problems } = readAddRequest(issue, list);
    if (problems.length > 0) throw new Error(`#${issue.number} cannot be listed as it is:\n${problems.map((problem) => `  ${problem}`).join("\n")}`);
    const url = listedUrl(entry);
    const listedAs = listedIndex(list, entry.kind, url);
    if (listedAs >= 0) throw new Error(`#${issue.number}: ${entry.kind} ${hostOf(url)} is already listed, as entry ${listedAs} of ${LIST}`);
    after = addEntry(before, entry);
    pull = {
      branch,
      title: `Add ${entry.kind} instance ${hostOf(url)} (#${issue.number})`,
      body: [
        `Adds the ${entry.kind} instance ${text(url)} to \`${LIST}\`, as its operator asked in #${issue.number}.`,
        "",
        `- \`operator.contact\`: ${text(entry.operator!.contact!)}`,
        `- \`operator.consent\`: ${issue.html_url} (the request, with the consent box ticked)`,
        "",
        "The request's probe result is on the issue.",
        "",
        `Closes #${issue.number}`,
      ].join("\n"),
    };
  } else {
    const { url, problems } = readRemoveRequest(issue);
    if (problems.length > 0) throw new Error(`#${issue.number}: ${problems.join("; ")}`);
    const index = listedIndex(list, "", url);
    if (index < 0) throw new Error(`#${issue.number}: no entry of ${LIST} has the host of ${url}`);
    const entry = list.instances[index]!;
    const consent = entry.operator?.consent;
    after = removeEntry(before, index);
    pull = {
      branch,
      title: `Remove ${entry.kind} instance ${hostOf(listedUrl(entry))} (#${issue.number})`,
      body: [
        `Removes the ${entry.kind} instance ${listedUrl(entry)} (entry ${index} of \`${LIST}\`), as asked in #${issue.number}.`,
        "",
        consent
          ? `Consent record: the entry recorded its operator's consent at ${text(consent)} (\`operator.consent\`); #${issue.number} is the record of its removal.`
          : `Consent record: the entry had none (no \`operator.consent\`); #${issue.number} is the record of its removal.`,
        "",
        `Closes #${issue.number}`,
      ].join("\n"),
    };
  }
  parseList(LIST, after); // the edited list must pass the list's own check; the next step runs it again
  writeFileSync(LIST, after);
  mkdirSync(join(pullRequestFile(), ".."), { recursive: true });
  writeFileSync(pullRequestFile(), JSON.stringify(pull));
  writeFileSync(join(pullRequestFile(), "..", "commit-message.txt"), `${pull.title}\n\n${pull.body.split("\n").at(-1)}\n`);
  setOutput("branch", branch);
  console.log(`${pull.title}: ${LIST} edited`);
}

async function pullRequest(event: IssuesEvent): Promise<void> {
  const pull = JSON.parse(readFileSync(pullRequestFile(), "utf8")) as PullRequest;
  const api = new GitHubApi();
  const base = event.repository?.default_branch ?? "main";
  try {
    const opened = await api.repo<{ html_url: string }>("POST", "/pulls", { title: pull.title, head: pull.branch, base, body: pull.body });
    console.log(`opened ${opened.html_url}`);
  } catch (error) {
    // 422: a pull request from this branch is open already (an approval given again); it now shows the new commit.
    if (!(error instanceof GitHubApiError) || error.status !== 422) throw error;
    const owner = api.repository.split("/")[0];
    const [open] = await api.repo<{ number: number; html_url: string }[]>("GET", `/pulls?state=open&head=${encodeURIComponent(`${owner}:${pull.branch}`)}`);
    if (!open) throw error;
    await api.repo("PATCH", `/pulls/${open.number}`, { title: pull.title, body: pull.body });
    console.log(`updated ${open.html_url}`);
  }
}

const COMMANDS: Record<string, (event: IssuesEvent) => Promise<void>> = { permission, edit, "pull-request": pullRequest };

guardOutput();
const command = COMMANDS[process.argv[2] ?? ""];
if (!command) fail(`usage: node scripts/request-approve.ts ${Object.keys(COMMANDS).join("|")}`);
else await command(readEvent()).catch((error: Error) => fail(error.name === "Error" || error.name === "ListError" ? error.message : error.stack ?? String(error)));
