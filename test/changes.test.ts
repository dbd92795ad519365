// What a run reports: the changes between two outputs (down, back, stale, new versions,
// score changes), whether anything but check times changed (which decides the commit),
// the job summary with every instance string escaped, and the warning an unedited fork gets.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runScript } from "./support/cli.ts";
import { temporaryDirectory, writeJson } from "./support/loopback.ts";
import { compareRuns } from "../scripts/lib/changes.ts";
import { summaryText } from "../scripts/lib/log.ts";
import { foreignIdentity, repositoryNamed } from "../scripts/lib/list-identity.ts";
import { type Instance } from "../scripts/lib/run.ts";
import { cobaltEntry as cobalt } from "./support/output-entries.ts";
import { dataChanged, VOLATILE_KEYS } from "../scripts/lib/volatile.ts";
import { BACKSTOP_SCHEDULE, plan } from "../scripts/plan-run.ts";

describe("compareRuns", () => {
  it("reports an instance that went down, with the reason", () => {
    const changes = compareRuns([cobalt("a.example")], [cobalt("a.example", { api_online: false, offline_reason: "timeout" })]);
    assert.deepEqual(changes.map((c) => [c.kind, c.before, c.after]), [["down", "online", "down (timeout)"]]);
  });

  it("reports an instance that came back", () => {
    const changes = compareRuns([cobalt("a.example", { api_online: false, offline_reason: "http_502" })], [cobalt("a.example")]);
    assert.deepEqual(changes.map((c) => [c.kind, c.before, c.after]), [["back", "down (http_502)", "online"]]);
  });

  it("reports a new version and a changed score", () => {
    const changes = compareRuns([cobalt("a.example")], [cobalt("a.example", { version: "11.0.0", score: 87.5 })]);
    assert.deepEqual(changes.map((c) => [c.kind, c.before, c.after]), [["version", "10.9.3", "11.0.0"], ["score", "100%", "87.5%"]]);
  });

  it("reports an instance that went down as down, not as stale, though it keeps its old values", () => {
    const down = cobalt("a.example", { api_online: false, offline_reason: "connection_refused", stale: true, version: "10.9.3" });
    const changes = compareRuns([cobalt("a.example")], [down]);
    assert.deepEqual(changes.map((c) => [c.kind, c.after]), [["down", "down (connection_refused)"]]);
    assert.deepEqual(compareRuns([down], [{ ...down, checked_at: "2026-11-25T08:17:00Z" }]), [], "still down is not news");
  });

  it("reports an entry that could not be refreshed once, not the old values it keeps", () => {
    // A shard that did not report: the previous values, marked stale.
    const stale = cobalt("a.example", { stale: true });
    const changes = compareRuns([cobalt("a.example")], [stale]);
    assert.deepEqual(changes.map((c) => [c.kind, c.after]), [["stale", "not refreshed; data from 2026-11-25T06:17:00Z"]]);
    assert.deepEqual(compareRuns([stale], [{ ...stale, checked_at: "2026-11-25T08:17:00Z" }]), []);
  });

  it("reports instances added to and removed from the list, matched by host however the URL is spelled", () => {
    const changes = compareRuns([cobalt("a.example"), cobalt("gone.example")], [cobalt("a.example", { api_url: "https://A.example/" }), cobalt("new.example")]);
    assert.deepEqual(changes.map((c) => [c.kind, c.url]), [["added", "https://new.example"], ["removed", "https://gone.example"]]);
  });

  it("reports nothing when only check times changed", () => {
    assert.deepEqual(compareRuns([cobalt("a.example")], [cobalt("a.example", { checked_at: "2026-11-25T07:17:00Z", response_ms: 80 })]), []);
  });
});

describe("dataChanged", () => {
  it("lists the volatile keys in one place", () => {
    for (const key of ["checked_at", "data_updated_at", "response_ms"]) assert.ok(VOLATILE_KEYS.has(key), key);
  });

  it("ignores check times and response times, at any depth and in any key order", () => {
    const before = [cobalt("a.example")];
    const later = cobalt("a.example", { checked_at: "2026-11-25T07:17:00Z", data_updated_at: "2026-11-25T07:17:00Z", response_ms: 999 });
    const reordered = Object.fromEntries(Object.entries(later).reverse()) as Instance;
    assert.equal(dataChanged(before, [reordered]), false);
  });

  it("sees any other change: a value, a service result, an instance added", () => {
    const before = [cobalt("a.example")];
    assert.equal(dataChanged(before, [cobalt("a.example", { cors: 0 })]), true);
    assert.equal(dataChanged(before, [cobalt("a.example", { service_results: { youtube: { result: "fail", status: "error", error: "error.api.fetch.fail" } } })]), true);
    assert.equal(dataChanged(before, [...before, cobalt("b.example")]), true);
    assert.equal(dataChanged([], before), true);
  });
});

describe("the list's identity", () => {
  it("reads owner/name from repository URLs and github.io sites", () => {
    assert.equal(repositoryNamed("https://github.com/Instance-List/instances"), "instance-list/instances");
    assert.equal(repositoryNamed("https://github.com/owner/repo.git"), "owner/repo");
    assert.equal(repositoryNamed("https://owner.github.io/repo/"), "owner/repo");
    assert.equal(repositoryNamed("https://owner.github.io/"), "owner/owner.github.io");
    assert.equal(repositoryNamed("https://instances.example.org/"), null);
    assert.equal(repositoryNamed(undefined), null);
  });

  it("names the other repository when the list was not edited after forking, and nothing otherwise", () => {
    const list = { site: "https://instance-list.github.io/instances/", repository: "https://github.com/instance-list/instances" };
    assert.equal(foreignIdentity(list, "someone/instances"), "instance-list/instances");
    assert.equal(foreignIdentity(list, "Instance-List/instances"), null);
    assert.equal(foreignIdentity({ site: "https://someone.github.io/instances/" }, "someone/instances"), null);
    assert.equal(foreignIdentity({ site: "https://list.example.org/" }, "someone/instances"), null);
    assert.equal(foreignIdentity(list, undefined), null);
  });
});

describe("the workflow's plan", () => {
  const upstream = JSON.stringify({ title: "t", repository: "https://github.com/instance-list/instances", instances: [] });

  it("runs one shard by default and a matrix of I/N when the list asks for more", () => {
    assert.deepEqual(plan(upstream, "schedule", "instance-list/instances", 0), { shards: 1, matrix: ["1/1"], probe: true, keepalive: false, notice: null });
    const sharded = JSON.stringify({ title: "t", probe: { shards: 3 }, instances: [] });
    assert.deepEqual(plan(sharded, "push", "a/b", 0).matrix, ["1/3", "2/3", "3/3"]);
    assert.equal(plan(JSON.stringify({ probe: { shards: "many" } }), "push", "a/b", 0).shards, 1);
    assert.equal(plan("{ not json", "push", "a/b", 0).shards, 1);
  });

  it("does not probe on a schedule in a fork whose list still names the upstream repository, and says why", () => {
    const fork = plan(upstream, "schedule", "someone/instances", 0);
    assert.equal(fork.probe, false);
    assert.match(fork.notice ?? "", /still names instance-list\/instances/);
    assert.equal(plan(upstream, "workflow_dispatch", "someone/instances", 0).probe, true, "a run by hand always probes");
  });

  it("asks for a keep-alive on a schedule when the last commit is 45 days old", () => {
    assert.equal(plan(upstream, "schedule", "instance-list/instances", 44).keepalive, false);
    assert.equal(plan(upstream, "schedule", "instance-list/instances", 46).keepalive, true);
    assert.equal(plan(upstream, "workflow_dispatch", "instance-list/instances", 46).keepalive, false);
    assert.equal(plan(upstream, "schedule", "instance-list/instances", 46, { schedule: BACKSTOP_SCHEDULE, dataAgeMinutes: 70 }).keepalive, false, "not in the backstop slot");
    assert.equal(plan(upstream, "schedule", "someone/instances", 90).keepalive, false, "an unedited fork is left to sleep");
  });

  it("probes in the backstop slot only when the data on main is older than 50 minutes, or missing, and says why", () => {
    const backstop = (dataAgeMinutes: number | null) => plan(upstream, "schedule", "instance-list/instances", 0, { schedule: BACKSTOP_SCHEDULE, dataAgeMinutes });
    assert.equal(backstop(30).probe, false);
    assert.match(backstop(30).notice ?? "", /^Backstop run: the data on main was checked 30 minutes ago, less than 50, so there is nothing to do/);
    assert.equal(backstop(51).probe, true);
    assert.match(backstop(51).notice ?? "", /checked 51 minutes ago, so the hourly run was late, dropped or failed: probing now/);
    assert.equal(backstop(null).probe, true);
    assert.equal(plan(upstream, "schedule", "instance-list/instances", 0, { schedule: "17 * * * *", dataAgeMinutes: 5 }).probe, true, "the hourly slot always probes");
    assert.equal(plan(upstream, "workflow_dispatch", "instance-list/instances", 0, { dataAgeMinutes: 5 }).probe, true, "a run by hand always probes");
    assert.equal(plan(upstream, "schedule", "someone/instances", 0, { schedule: BACKSTOP_SCHEDULE, dataAgeMinutes: 90 }).probe, false, "an unedited fork sleeps in both slots");
  });
});

describe("node scripts/changes.ts", () => {
  const tmp = temporaryDirectory();
  after(() => tmp.remove());
  const list = join(tmp.dir, "list.json");
  writeJson(list, { title: "changes test", repository: "https://github.com/instance-list/instances", instances: [{ kind: "cobalt", api: "https://a.example" }] });
  const hostile = '<img src=x onerror="alert(1)">';
  const before = join(tmp.dir, "before.json");
  const afterFile = join(tmp.dir, "after.json");
  writeJson(before, [cobalt("a.example")]);
  writeJson(afterFile, [cobalt("a.example", { api_online: false, offline_reason: "timeout", name: hostile, version: "" })]);

  function files() {
    const summary = join(tmp.dir, `summary-${Math.random()}.md`);
    const output = join(tmp.dir, `output-${Math.random()}.txt`);
    writeFileSync(summary, "");
    writeFileSync(output, "");
    return { summary, output };
  }

  it("writes the changes to the job summary with every instance string escaped, and changed=true", async () => {
    const { summary, output } = files();
    const run = await runScript("scripts/changes.ts", ["--before", before, "--after", afterFile, "--list", list], { GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output, GITHUB_REPOSITORY: "instance-list/instances" });
    assert.equal(run.code, 0, run.stderr);
    const html = readFileSync(summary, "utf8");
    assert.match(html, /went down/);
    assert.ok(html.includes(summaryText(hostile)), html);
    assert.ok(!html.includes("<img"), "no markup from an instance reaches the summary");
    assert.equal(readFileSync(output, "utf8"), "changed=true\n");
    assert.match(run.stdout, /went down/);
  });

  it("says changed=false when only check times changed", async () => {
    const { summary, output } = files();
    const later = join(tmp.dir, "later.json");
    writeJson(later, [cobalt("a.example", { checked_at: "2026-11-25T07:17:00Z", data_updated_at: "2026-11-25T07:17:00Z", response_ms: 95 })]);
    const run = await runScript("scripts/changes.ts", ["--before", before, "--after", later, "--list", list], { GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(readFileSync(output, "utf8"), "changed=false\n");
    assert.match(readFileSync(summary, "utf8"), /only check times changed: no commit/);
  });

  it("still reports changed=true, with a warning, when the job summary cannot be written", async () => {
    const { output } = files();
    const run = await runScript("scripts/changes.ts", ["--before", before, "--after", afterFile, "--list", list], { GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: join(tmp.dir, "missing", "summary.md"), GITHUB_OUTPUT: output });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(readFileSync(output, "utf8"), "changed=true\n");
    assert.match(run.stdout, /::warning::job summary not written/);
  });

  it("prints to stdout and writes no summary when run outside Actions", async () => {
    const run = await runScript("scripts/changes.ts", ["--before", before, "--after", afterFile, "--list", list], { GITHUB_STEP_SUMMARY: "", GITHUB_OUTPUT: "" });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /went down .* online → down \(timeout\)/);
    assert.match(run.stdout, /data changed: yes/);
  });

  it("warns, in the log and in the summary, when the list still names another repository", async () => {
    const { summary, output } = files();
    const run = await runScript("scripts/changes.ts", ["--before", before, "--after", afterFile, "--list", list], { GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output, GITHUB_REPOSITORY: "someone/fork" });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /still names instance-list\/instances .* not someone\/fork/);
    assert.match(readFileSync(summary, "utf8"), /<strong>Warning:<\/strong> .*still names instance-list\/instances/);
  });
});
