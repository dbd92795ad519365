// The requests workflow, run on this machine end to end: .github/workflows/requests.yml is
// read and its jobs run step by step (support/workflow-runner.ts) in clones of a local origin,
// with synthetic `issues` events, a loopback instance to probe and a loopback stand-in for
// GitHub's API that records every call. What a run may change: its one comment, and on an
// approval by someone who can write, one branch and one pull request.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { parse } from "yaml";
import { startFakeCobalt } from "./support/cobalt-server.ts";
import { startFakeGitHub, type FakeGitHub } from "./support/github-api.ts";
import { temporaryDirectory, type Loopback } from "./support/loopback.ts";
import { ROOT, runScript, ARTIFACTS } from "./support/cli.ts";
import { git, seedOrigin, uploadArtifact, WorkflowRunner, type Action, type JobRun } from "./support/workflow-runner.ts";
import { ANSWER_MARKER } from "../scripts/lib/requests/answer.ts";

const REPOSITORY = "example/request-list";
const JOBS = ["gate", "check", "comment", "approve"];

/** An issue body as GitHub writes it from a form: `### <label>`, then the answer or `_No response_`. */
function formBody(form: string, answers: Record<string, string | boolean>): string {
  const { body } = parse(readFileSync(join(ROOT, ".github/ISSUE_TEMPLATE", form), "utf8")) as { body: { type: string; id?: string; attributes: { label?: string; options?: ({ label: string } | string)[] } }[] };
  return body.filter((item) => item.type !== "markdown").map((item) => {
    const answer = answers[item.id!];
    if (item.type === "checkboxes") {
      return `### ${item.attributes.label}\n\n${item.attributes.options!.map((option) => `- [${answer ? "X" : " "}] ${typeof option === "string" ? option : option.label}`).join("\n")}`;
    }
    return `### ${item.attributes.label}\n\n${typeof answer === "string" && answer !== "" ? answer : "_No response_"}`;
  }).join("\n\n");
}

describe("the requests workflow, run locally with synthetic issue events", { timeout: 240_000 }, () => {
  const scratch = temporaryDirectory();
  let origin: string;
  let cobalt: Loopback;
  let mastodonListed: string;
  let github: FakeGitHub;
  let runs = 0;
  const logs: string[] = [];

  const addBody = (answers: Record<string, string | boolean> = {}) =>
    formBody("add-instance.yml", { kind: "cobalt", url: cobalt.url, name: "Requested cobalt", contact: "ops@example.com", consent: true, ...answers });
  const issue = (number: number, body: string, label = "add-instance") =>
    ({ number, html_url: `https://github.com/${REPOSITORY}/issues/${number}`, title: "Add: an instance", body, labels: [{ name: label }] });
  const originRefs = () => git(scratch.dir, "--git-dir", origin, "for-each-ref", "--format=%(refname) %(objectname)").trim();
  const originFile = (ref: string, path: string) => git(scratch.dir, "--git-dir", origin, "show", `${ref}:${path}`);
  const commentsOn = (number: number) => github.comments.filter((comment) => comment.issue === number);

  async function runRequests(payload: Record<string, unknown>, options: { vars?: Record<string, string> } = {}) {
    const artifacts = join(scratch.dir, `artifacts-${++runs}`);
    const actions: Record<string, Action> = {
      "actions/checkout": () => {},
      "actions/setup-node": () => {},
      "actions/upload-artifact": (inputs, workspace) => uploadArtifact(inputs, workspace, artifacts),
      "actions/download-artifact": (inputs, workspace) => cpSync(join(artifacts, inputs.name!), join(workspace, inputs.path!), { recursive: true }),
    };
    const runner = new WorkflowRunner({
      workflowFile: join(ROOT, ".github/workflows/requests.yml"),
      origin,
      scratch: join(scratch.dir, `run-${runs}`),
      event: "issues",
      repository: REPOSITORY,
      runNumber: runs,
      actions,
      payload: { repository: { full_name: REPOSITORY, default_branch: "main" }, sender: { login: "someone" }, ...payload },
      vars: options.vars,
      env: { GITHUB_API_URL: github.url },
      replace: { "npm ci --ignore-scripts --no-audit --no-fund": `ln -s ${JSON.stringify(join(ROOT, "node_modules"))} node_modules` },
    });
    const jobs: Record<string, JobRun[]> = {};
    for (const job of JOBS) jobs[job] = await runner.runJob(job);
    logs.push(`# run ${runs} (issues.${String(payload.action)})`, ...runner.log, "");
    const conclusion = (job: string) => runner.finished.get(job)?.conclusion;
    const failures = () => Object.values(jobs).flat().flatMap((run) => run.steps.filter((step) => step.outcome === "failure").map((step) => `${run.job} / ${step.name}:\n${step.output}`)).join("\n");
    return { runner, jobs, conclusion, failures };
  }

  before(async () => {
    cobalt = await startFakeCobalt({ offered: ["youtube"], outcomes: { "https://www.youtube.com/watch?v=jNQXAC9IVRw": { status: "tunnel", bytes: 4096 } } });
    github = await startFakeGitHub(REPOSITORY);
    mastodonListed = "https://mastodon.example";
    origin = seedOrigin(scratch.dir, ROOT, {
      title: "Request list",
      site: "https://example.github.io/request-list/",
      repository: `https://github.com/${REPOSITORY}`,
      probe: { timeoutMs: 5000, allowPrivateAddresses: ["127.0.0.1/32"] },
      services: { youtube: "https://www.youtube.com/watch?v=jNQXAC9IVRw" },
      instances: [{ kind: "mastodon", url: mastodonListed, operator: { contact: "admin@mastodon.example", consent: "https://github.com/example/request-list/issues/7" } }],
    });
  });

  after(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, "requests-run.log"), `${logs.join("\n")}\n`);
    await Promise.all([cobalt.close(), github.close()]);
    scratch.remove();
  });

  it("answers a valid request with one comment holding the probe of the loopback instance, made by the list's probe", async () => {
    const refs = originRefs();
    const probed = cobalt.requests.length;
    const run = await runRequests({ action: "opened", issue: issue(1, addBody()) });
    assert.equal(run.conclusion("comment"), "success", run.failures());
    assert.equal(run.conclusion("approve"), "skipped");
    const [comment, ...more] = commentsOn(1);
    assert.equal(more.length, 0, "one comment");
    assert.ok(comment!.body.startsWith(ANSWER_MARKER), "found again by its hidden marker");
    assert.match(comment!.body, /### Probe of http:\/\/127\.0\.0\.1:\d+ \(cobalt\)/);
    assert.match(comment!.body, /\| Online \| yes \(\d+ ms\) \|/);
    assert.match(comment!.body, /\| Version \| \d+\.\d+\.\d+ \|/);
    assert.match(comment!.body, /\| Protection \| none/);
    assert.match(comment!.body, /\| Already listed \| no \|/);
    assert.match(comment!.body, /\| youtube \| pass \|/);
    const seen = cobalt.requests.slice(probed);
    assert.ok(seen.length > 0, "the instance was probed");
    assert.ok(seen.every((request) => /^Request-list\/\S+ \(\+https:\/\/example\.github\.io\/request-list\/\)$/.test(String(request.headers["user-agent"]))), "with the list's User-Agent");
    assert.deepEqual(github.writes(), [{ method: "POST", path: `/repos/${REPOSITORY}/issues/1/comments` }]);
    assert.equal(originRefs(), refs, "nothing pushed");
  });

  it("probes one request at most once in a few minutes, and updates its comment in place after that", async () => {
    const probed = cobalt.requests.length;
    const writes = github.writes().length;
    const soon = await runRequests({ action: "edited", issue: issue(1, addBody({ name: "Renamed cobalt" })) });
    assert.equal(soon.runner.finished.get("gate")!.outputs.check, "false");
    assert.equal(soon.conclusion("check"), "skipped");
    assert.equal(cobalt.requests.length, probed, "no second probe");
    assert.equal(github.writes().length, writes, "no second comment");

    commentsOn(1)[0]!.updated_at = new Date(Date.now() - 10 * 60_000).toISOString();
    const id = commentsOn(1)[0]!.id;
    const later = await runRequests({ action: "edited", issue: issue(1, addBody({ name: "Renamed cobalt" })) });
    assert.equal(later.conclusion("comment"), "success", later.failures());
    assert.ok(cobalt.requests.length > probed, "probed again");
    assert.deepEqual(commentsOn(1).map((comment) => comment.id), [id], "still one comment");
    assert.deepEqual(github.writes().at(-1), { method: "PATCH", path: `/repos/${REPOSITORY}/issues/comments/${id}` });
  });

  it("answers an invalid request with the list's validation errors, each naming the form's field and the fix", async () => {
    const probed = cobalt.requests.length;
    const run = await runRequests({ action: "opened", issue: issue(2, addBody({ url: "api.example.com", name: "x".repeat(81), consent: false })) });
    assert.equal(run.conclusion("comment"), "success", run.failures());
    const [comment] = commentsOn(2);
    assert.match(comment!.body, /### This request cannot be listed as it is/);
    assert.match(comment!.body, /Consent: not ticked/);
    assert.equal(cobalt.requests.length, probed);
    const schema = await runRequests({ action: "edited", issue: issue(3, addBody({ url: "api.example.com", name: "x".repeat(81) })) });
    assert.equal(schema.conclusion("comment"), "success", schema.failures());
    const [answer] = commentsOn(3);
    assert.match(answer!.body, /- API URL: must be an http:\/\/ or https:\/\/ URL, e.g. https:\/\/example\.com/);
    assert.match(answer!.body, /- Display name: must be at most 80 characters long: shorten it/);
  });

  it("answers a request for an address the list's policy refuses without probing it", async () => {
    const run = await runRequests({ action: "opened", issue: issue(4, addBody({ url: "http://10.20.30.40:9000" })) });
    assert.equal(run.conclusion("comment"), "success", run.failures());
    assert.match(commentsOn(4)[0]!.body, /### Not probed\n\n10\.20\.30\.40 is a private, loopback or other special-purpose address/);
    assert.doesNotMatch(commentsOn(4)[0]!.body, /Online/);
  });

  it("tells a removal request whether the instance is listed, with its consent record", async () => {
    await runRequests({ action: "opened", issue: issue(5, formBody("remove-instance.yml", { url: `${mastodonListed}/`, who: "I operate this instance" }), "remove-instance") });
    assert.match(commentsOn(5)[0]!.body, /This is entry 0 of data\/list\.json; its consent record is https:\/\/github\.com\/example\/request-list\/issues\/7\./);
  });

  it("does nothing on an `approved` label from someone without write access", async () => {
    github.permissions.set("triager", "read");
    const refs = originRefs();
    const writes = github.writes().length;
    const run = await runRequests({ action: "labeled", label: { name: "approved" }, sender: { login: "triager" }, issue: issue(1, addBody()) });
    assert.equal(run.conclusion("gate"), "skipped");
    const [approve] = run.jobs.approve!;
    assert.equal(approve!.conclusion, "success", run.failures());
    assert.equal(approve!.steps.find((step) => step.name === "Push the branch")!.outcome, "skipped");
    assert.equal(originRefs(), refs);
    assert.equal(github.writes().length, writes);
    assert.equal(github.pulls.length, 0);
  });

  it("opens a pull request on approval by a maintainer, from a branch whose list passes the list check and records the operator", async () => {
    github.permissions.set("maintainer", "write");
    const main = originFile("main", "data/list.json");
    const run = await runRequests({ action: "labeled", label: { name: "approved" }, sender: { login: "maintainer" }, issue: issue(1, addBody()) });
    assert.equal(run.conclusion("approve"), "success", run.failures());
    assert.equal(originFile("main", "data/list.json"), main, "main is untouched");
    const branchList = originFile("refs/heads/instance-request-1", "data/list.json");
    const checkout = join(scratch.dir, "approved-list.json");
    writeFileSync(checkout, branchList);
    const check = await runScript("scripts/check-list.ts", [checkout]);
    assert.equal(check.code, 0, check.stderr);
    const added = JSON.parse(branchList).instances.at(-1);
    assert.deepEqual(added, { kind: "cobalt", api: cobalt.url, name: "Requested cobalt", operator: { contact: "ops@example.com", consent: `https://github.com/${REPOSITORY}/issues/1` } });
    assert.equal(branchList.split("\n").length, main.split("\n").length + 1, "one line added, nothing else reformatted");
    const [pull] = github.pulls;
    assert.equal(pull!.head, "instance-request-1");
    assert.equal(pull!.base, "main");
    assert.match(pull!.body, /Closes #1$/);
  });

  it("opens a pull request removing the entry on an approved removal, noting its consent record", async () => {
    const run = await runRequests({ action: "labeled", label: { name: "approved" }, sender: { login: "maintainer" }, issue: issue(5, formBody("remove-instance.yml", { url: mastodonListed, who: "I operate this instance" }), "remove-instance") });
    assert.equal(run.conclusion("approve"), "success", run.failures());
    const list = JSON.parse(originFile("refs/heads/instance-request-5", "data/list.json"));
    assert.deepEqual(list.instances, []);
    const pull = github.pulls.find((candidate) => candidate.head === "instance-request-5")!;
    assert.match(pull.body, /consent at https:\/\/github\.com\/example\/request-list\/issues\/7 \(`operator\.consent`\)/);
    assert.match(pull.body, /Closes #5$/);
  });

  it("changes nothing outside its comment for a hostile issue: shell metacharacters, ${{ }} expressions, a 1 MB body, a private address", async () => {
    const canary = join(scratch.dir, "canary");
    const injections = [
      `$(touch ${canary}-1)`, `\`touch ${canary}-2\``, `"; touch ${canary}-3; echo "`, "${{ github.token }}", "${{ secrets.GITHUB_TOKEN }}",
      `\n::set-output name=check::true\n::error::forged`, "@maintainer [link](https://evil.example) <img src=x onerror=alert(1)>",
    ];
    const generated = fc.sample(fc.string({ unit: "binary", maxLength: 60 }), { numRuns: 5, seed: 20 });
    const bodies = [
      addBody({ url: "http://192.168.1.1/$(id)", name: injections.join(" ").slice(0, 80), contact: injections.join(" ") }),
      addBody({ url: `${cobalt.url}/\`touch ${canary}-4\``, name: generated.join("") }),
      `${addBody()}\n\n${"$(touch x) ${{ github.token }} ".repeat(40_000)}`,
      injections.join("\n### API URL\n\n"),
    ];
    assert.ok(bodies[2]!.length > 1_000_000);
    github.permissions.set("attacker", "read");
    const refs = originRefs();
    for (const [index, body] of bodies.entries()) {
      const number = 100 + index;
      const opened = await runRequests({ action: "opened", sender: { login: "attacker" }, issue: issue(number, body) });
      assert.equal(opened.conclusion("check"), "success", opened.failures());
      const approved = await runRequests({ action: "labeled", label: { name: "approved" }, sender: { login: "attacker" }, issue: issue(number, body) });
      assert.equal(approved.conclusion("approve"), "success", approved.failures());
      const answers = commentsOn(number);
      assert.equal(answers.length, 1, `issue ${number}: one comment`);
      assert.ok(!answers[0]!.body.includes("test-token"), "no token in the comment");
      for (const forbidden of ["<img", "@maintainer", "[link]", "\n::"]) assert.ok(!answers[0]!.body.includes(forbidden), `issue ${number}: ${JSON.stringify(forbidden)} is inert`);
    }
    assert.match(commentsOn(100)[0]!.body, /### This request cannot be listed as it is|### Not probed/);
    assert.match(commentsOn(102)[0]!.body, /more than GitHub allows an issue form/);
    for (let i = 1; i <= 4; i++) assert.ok(!existsSync(`${canary}-${i}`), `canary ${i}: no command ran`);
    assert.equal(originRefs(), refs, "nothing pushed");
    const issueWrites = github.writes().filter((write) => /\/issues\/(10[0-3])\/comments$|\/issues\/comments\//.test(write.path));
    assert.deepEqual(issueWrites.filter((write) => write.method === "POST").map((write) => write.path), [100, 101, 102, 103].map((n) => `/repos/${REPOSITORY}/issues/${n}/comments`));
    assert.ok(!github.writes().some((write) => write.path.endsWith("/pulls") && github.pulls.some((pull) => pull.head.startsWith("instance-request-10"))));
  });

  it("does nothing at all in a fork that set INSTANCE_REQUESTS to off", async () => {
    const writes = github.writes().length;
    const run = await runRequests({ action: "opened", issue: issue(200, addBody()) }, { vars: { INSTANCE_REQUESTS: "off" } });
    assert.deepEqual(JOBS.map((job) => run.conclusion(job)), ["skipped", "skipped", "skipped", "skipped"]);
    assert.equal(github.writes().length, writes);
  });
});
