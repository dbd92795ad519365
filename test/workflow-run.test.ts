// The hourly workflow's own commands, run on this machine end to end: .github/workflows/
// probe.yml is read and its jobs are run step by step (see support/workflow-runner.ts) in
// clones of a local origin, against loopback instances. Only the actions that need GitHub
// (checkout aside) are stand-ins: artifacts are folders, Pages takes the built folder.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { cpSync, existsSync, globSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startFakeCobalt } from "./support/cobalt-server.ts";
import { mastodon4, startFakeMastodon } from "./support/mastodon-server.ts";
import { temporaryDirectory, writeJson, type Loopback } from "./support/loopback.ts";
import { ARTIFACTS, ROOT } from "./support/cli.ts";
import { git, seedOrigin, uploadArtifact, WorkflowRunner, type Action, type JobRun, type RunnerOptions } from "./support/workflow-runner.ts";
import { shardOf } from "../scripts/lib/shard.ts";
import { parse } from "yaml";

const REPOSITORY = "example/hourly-list";
/** The workflow's two schedule slots: the hourly run, and the backstop half an hour later. */
const [HOURLY, BACKSTOP] = (parse(readFileSync(join(ROOT, ".github/workflows/probe.yml"), "utf8")) as { on: { schedule: { cron: string }[] } }).on.schedule.map((slot) => slot.cron);

describe("the hourly workflow, run locally against loopback instances", { timeout: 450_000 }, () => {
  const scratch = temporaryDirectory();
  const origin = join(scratch.dir, "origin.git");
  const servers: Loopback[] = [];
  let list: Record<string, unknown>;
  let runNumber = 0;
  let pushes = 0;
  const logs: string[] = [];

  /** Changes a JSON file on origin, as a maintainer's push would. */
  function pushChange<T>(path: string, change: (value: T) => T, message: string): void {
    const clone = join(scratch.dir, `maintainer-${++pushes}`);
    git(scratch.dir, "clone", "--quiet", origin, clone);
    writeJson(join(clone, path), change(JSON.parse(readFileSync(join(clone, path), "utf8"))));
    git(clone, "-c", "user.name=Maintainer", "-c", "user.email=maintainer@example.com", "commit", "--quiet", "-am", message);
    git(clone, "push", "--quiet", "origin", "HEAD:main");
  }

  /** Changes the list on origin, as a maintainer's push would. */
  function pushList(change: (list: Record<string, unknown>) => void, message: string): void {
    change(list);
    pushChange("data/list.json", () => list, message);
  }

  /** Runs plan, the shard matrix, publish and deploy, as one workflow run. */
  async function runWorkflow(event: string, options: { beforeStep?: RunnerOptions["beforeStep"]; schedule?: string } = {}) {
    const artifacts = join(scratch.dir, `artifacts-${++runNumber}`);
    const deployed: string[] = [];
    const attested: { path: string; sha256: string }[] = [];
    const actions: Record<string, Action> = {
      "actions/checkout": () => {},
      "actions/setup-node": () => {},
      "actions/upload-artifact": (inputs, workspace) => uploadArtifact(inputs, workspace, artifacts),
      "actions/download-artifact": (inputs, workspace) => {
        if (inputs.name) return void cpSync(join(artifacts, inputs.name), join(workspace, inputs.path!), { recursive: true });
        assert.equal(inputs["merge-multiple"], "true");
        const pattern = new RegExp(`^${inputs.pattern!.replace(/\*/g, ".*")}$`);
        mkdirSync(join(workspace, inputs.path!), { recursive: true });
        for (const name of existsSync(artifacts) ? readdirSync(artifacts).filter((name) => pattern.test(name)) : []) {
          cpSync(join(artifacts, name), join(workspace, inputs.path!), { recursive: true });
        }
      },
      "actions/configure-pages": () => {},
      "actions/upload-pages-artifact": (inputs, workspace) => {
        assert.ok(existsSync(join(workspace, inputs.path!, "index.html")), "the Pages artifact has no index.html");
        deployed.push(join(workspace, inputs.path!));
      },
      "actions/attest-build-provenance": (inputs, workspace) => {
        const subjects = inputs["subject-path"]!.trim().split("\n").flatMap((pattern) => globSync(pattern.trim(), { cwd: workspace }));
        attested.push(...subjects.map((path) => ({ path, sha256: createHash("sha256").update(readFileSync(join(workspace, path))).digest("hex") })));
      },
      "actions/deploy-pages": () => ({ page_url: "https://example.github.io/hourly-list/" }),
    };
    const runner = new WorkflowRunner({
      workflowFile: join(ROOT, ".github/workflows/probe.yml"),
      origin,
      scratch: join(scratch.dir, `run-${runNumber}`),
      event,
      payload: event === "schedule" ? { schedule: options.schedule ?? HOURLY } : undefined,
      repository: REPOSITORY,
      runNumber,
      actions,
      // The runner's `npm ci` would download; the packages this checkout already has are the same lockfile's.
      replace: { "npm ci --ignore-scripts --no-audit --no-fund": `ln -s ${JSON.stringify(join(ROOT, "node_modules"))} node_modules` },
      beforeStep: options.beforeStep,
    });
    const jobs: Record<string, JobRun[]> = {};
    for (const job of ["plan", "probe", "publish", "deploy", "keepalive"]) jobs[job] = await runner.runJob(job);
    logs.push(`# run ${runNumber} (${event})`, ...runner.log, "");
    return { runner, jobs, deployed, attested, artifacts, conclusion: (job: string) => runner.finished.get(job)?.conclusion };
  }

  const originFile = (path: string): string => git(scratch.dir, "--git-dir", origin, "show", `main:${path}`);
  const originLog = (): string[] => git(scratch.dir, "--git-dir", origin, "log", "--format=%an|%s", "main").trim().split("\n");
  const stepOutcomes = (run: JobRun): Record<string, string> => Object.fromEntries(run.steps.map((step) => [step.name, step.outcome]));

  before(async () => {
    const cobalt = await startFakeCobalt({ offered: ["youtube"], outcomes: { "https://www.youtube.com/watch?v=jNQXAC9IVRw": { status: "tunnel", bytes: 4096 } } });
    const mastodon = await startFakeMastodon(mastodon4);
    const second = await startFakeCobalt({ offered: ["youtube"], outcomes: { "https://www.youtube.com/watch?v=jNQXAC9IVRw": { status: "redirect" } } });
    servers.push(cobalt, mastodon, second);
    list = {
      title: "Hourly list",
      site: "https://example.github.io/hourly-list/",
      repository: `https://github.com/${REPOSITORY}`,
      probe: { timeoutMs: 30_000, allowPrivateAddresses: ["127.0.0.1/32"] },
      services: { youtube: "https://www.youtube.com/watch?v=jNQXAC9IVRw" },
      instances: [
        { kind: "cobalt", api: cobalt.url, name: "First cobalt" },
        { kind: "cobalt", api: second.url, name: "Second cobalt" },
        { kind: "mastodon", url: mastodon.url },
      ],
    };
    seedOrigin(scratch.dir, ROOT, list);
  });

  after(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, "workflow-run.log"), `${logs.join("\n")}\n`);
    await Promise.all(servers.map((server) => server.close()));
    scratch.remove();
  });

  it("probes a single-shard list in a read-only matrix of one, then commits the data as github-actions[bot], builds the site and deploys it", async () => {
    const run = await runWorkflow("workflow_dispatch");
    assert.equal(run.conclusion("plan"), "success");
    assert.deepEqual(run.runner.finished.get("plan")!.outputs, { shards: "1", matrix: '["1/1"]', probe: "true", keepalive: "false" });
    const shards = run.jobs.probe!;
    assert.deepEqual(shards.map((shard) => [shard.matrix.shard, shard.conclusion]), [["1/1", "success"]]);
    assert.equal(stepOutcomes(shards[0]!)["Probe"], "success");
    assert.ok(existsSync(join(run.artifacts, "instances-shard-1-of-1.json")), "the probe's output travels as an artifact");
    const [publish] = run.jobs.publish!;
    assert.equal(publish!.conclusion, "success", publish!.steps.filter((step) => step.outcome === "failure").map((step) => step.output).join("\n"));
    const outcomes = stepOutcomes(publish!);
    assert.ok(!publish!.steps.some((step) => /npm run probe/.test(step.ran)), "the job that pushes never probes");
    assert.equal(outcomes["Check and merge the shards"], "success");
    assert.equal(outcomes["Commit the data"], "success");
    assert.equal(run.conclusion("deploy"), "success");
    assert.equal(run.conclusion("keepalive"), "skipped");

    assert.deepEqual(originLog()[0], `github-actions[bot]|data: probe run ${runNumber}`);
    const committed = JSON.parse(originFile("data/instances.json"));
    assert.deepEqual(committed.map((entry: { name: string; api_online: boolean }) => [entry.name, entry.api_online]), [
      ["First cobalt", true], ["Second cobalt", true], ["Mastodon", true],
    ]);
    assert.ok(existsSync(join(publish!.workspace, "data/history")), "the merge records the run in the history");
    assert.equal(readFileSync(join(run.deployed[0]!, "instances.json"), "utf8"), originFile("data/instances.json"), "the site publishes the committed data");
    assert.match(readFileSync(join(run.deployed[0]!, "index.html"), "utf8"), /First cobalt/);
    // What a client downloads is what was attested: the same bytes, by digest.
    const digest = (path: string) => createHash("sha256").update(readFileSync(join(run.deployed[0]!, path))).digest("hex");
    const attested = new Map(run.attested.map((subject) => [subject.path.replace(/^published-json\//, ""), subject.sha256]));
    for (const path of ["instances.json", "cobalt.json", "mastodon.json", "schemas/instances.schema.json", "services/youtube.json"]) {
      assert.equal(attested.get(path), digest(path), `${path} is attested`);
    }
  });

  it("does nothing in the backstop slot when the data on main is fresh", async () => {
    const head = originLog()[0];
    const run = await runWorkflow("schedule", { schedule: BACKSTOP });
    assert.equal(run.conclusion("plan"), "success");
    const [plan] = run.jobs.plan!;
    assert.equal(run.runner.finished.get("plan")!.outputs.probe, "false");
    assert.match(plan!.steps.find((step) => /plan-run/.test(step.ran))!.output, /Backstop run: the data on main was checked \d+ minutes ago, less than 50, so there is nothing to do/);
    for (const job of ["probe", "publish", "deploy", "keepalive"]) assert.equal(run.conclusion(job), "skipped", job);
    assert.equal(originLog()[0], head);
  });

  it("probes in the backstop slot when the hourly run left the data on main older than 50 minutes", async () => {
    // As after a dropped run at :17: the data on main was last checked an hour ago.
    const hourAgo = new Date(Date.now() - 60 * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    pushChange("data/instances.json", (entries: { checked_at: string }[]) => entries.map((entry) => ({ ...entry, checked_at: hourAgo })), "the data of an hour ago");
    const run = await runWorkflow("schedule", { schedule: BACKSTOP });
    const [plan] = run.jobs.plan!;
    assert.equal(run.runner.finished.get("plan")!.outputs.probe, "true");
    assert.match(plan!.steps.find((step) => /plan-run/.test(step.ran))!.output, /Backstop run: the data on main was checked 6\d minutes ago, so the hourly run was late, dropped or failed: probing now/);
    assert.equal(run.conclusion("publish"), "success");
    assert.equal(run.conclusion("deploy"), "success");
    assert.equal(run.conclusion("keepalive"), "skipped", "the keep-alive is the hourly run's job");
    assert.equal(originLog()[0], `github-actions[bot]|data: probe run ${runNumber}`);
    const checked = (JSON.parse(originFile("data/instances.json")) as { checked_at: string }[]).map((entry) => Date.parse(entry.checked_at));
    assert.ok(checked.every((time) => Date.now() - time < 50 * 60_000), "fresh data on main again");
  });

  it("rebases and pushes again when main moved during the run", async () => {
    const before = originLog().length;
    const run = await runWorkflow("schedule", {
      beforeStep: (name) => {
        if (name === "Commit the data") pushList((list) => (list.description = "Edited while a probe ran."), "describe the list");
      },
    });
    const [publish] = run.jobs.publish!;
    assert.equal(publish!.conclusion, "success", publish!.steps.map((step) => step.output).join("\n"));
    assert.match(publish!.steps.find((step) => step.name === "Commit the data")!.output, /push refused \(attempt 1\)/);
    const log = originLog();
    assert.equal(log.length, before + 2);
    assert.deepEqual(log.slice(0, 2), [`github-actions[bot]|data: probe run ${runNumber}`, "Maintainer|describe the list"]);
    assert.equal(JSON.parse(originFile("data/list.json")).description, "Edited while a probe ran.");
  });

  it("probes a sharded list in a matrix, merges the shards' artifacts and commits the whole", async () => {
    pushList((list) => ((list.probe as Record<string, unknown>).shards = 2), "two shards");
    const run = await runWorkflow("workflow_dispatch");
    assert.equal(run.runner.finished.get("plan")!.outputs.matrix, '["1/2","2/2"]');
    const shards = run.jobs.probe!;
    assert.deepEqual(shards.map((shard) => [shard.matrix.shard, shard.conclusion]), [["1/2", "success"], ["2/2", "success"]]);
    const [publish] = run.jobs.publish!;
    assert.equal(publish!.conclusion, "success", publish!.steps.map((step) => step.output).join("\n"));
    assert.equal(stepOutcomes(publish!)["Check and merge the shards"], "success");
    const committed = JSON.parse(originFile("data/instances.json"));
    assert.deepEqual(committed.map((entry: { name: string; stale: boolean }) => [entry.name, entry.stale]), [
      ["First cobalt", false], ["Second cobalt", false], ["Mastodon", false],
    ]);
    assert.equal(run.conclusion("deploy"), "success");
  });

  it("publishes the other shards when one fails, its instances kept from the last run and marked stale", async () => {
    type Entry = { kind: string; url?: string; api_url?: string; stale: boolean; checked_at: string };
    const previous = JSON.parse(originFile("data/instances.json")) as Entry[];
    const urlOf = (entry: Entry) => entry.url ?? entry.api_url!;
    // The shard that holds the Mastodon server fails, so at least one instance is in it.
    const failing = String(shardOf("mastodon", urlOf(previous.find((entry) => entry.kind === "mastodon")!), 2));
    const run = await runWorkflow("schedule", {
      beforeStep: (name, workspace, matrix) => {
        if (matrix.shard === `${failing}/2` && name === "Probe") writeFileSync(join(workspace, "data/list.json"), "{ broken");
      },
    });
    assert.deepEqual(run.jobs.probe!.map((shard) => [shard.matrix.shard, shard.conclusion]).sort(), [
      ["1/2", failing === "1" ? "failure" : "success"], ["2/2", failing === "2" ? "failure" : "success"],
    ]);
    const [publish] = run.jobs.publish!;
    assert.equal(publish!.conclusion, "success", publish!.steps.map((step) => step.output).join("\n"));
    assert.equal(run.conclusion("deploy"), "success");
    const committed = JSON.parse(originFile("data/instances.json")) as Entry[];
    assert.equal(committed.length, previous.length);
    for (const entry of committed) {
      const inFailedShard = String(shardOf(entry.kind, urlOf(entry), 2)) === failing;
      const before = previous.find((candidate) => urlOf(candidate) === urlOf(entry))!;
      assert.equal(entry.stale, inFailedShard, urlOf(entry));
      if (inFailedShard) assert.equal(entry.checked_at, before.checked_at, "a stale entry keeps the time of its last check");
      else assert.notEqual(entry.checked_at, before.checked_at);
    }
  });

  it("commits nothing and deploys nothing when the probe refuses the list", async () => {
    pushList((list) => {
      delete (list.probe as Record<string, unknown>).shards;
      (list.instances as unknown[]).push({ kind: "lemmy", url: "https://lemmy.example/" });
    }, "a kind the probe does not know");
    const head = originLog()[0];
    const run = await runWorkflow("workflow_dispatch");
    const [shard] = run.jobs.probe!;
    assert.equal(shard!.conclusion, "failure");
    assert.match(shard!.steps.find((step) => step.name === "Probe")!.output, /data\/list\.json.*instances\/3/s);
    const [publish] = run.jobs.publish!;
    assert.equal(publish!.conclusion, "failure");
    const outcomes = stepOutcomes(publish!);
    assert.equal(outcomes["Check and merge the shards"], "failure", "the publish job refuses the list too");
    assert.equal(outcomes["Commit the data"], "skipped");
    assert.equal(outcomes["npm run build"], "skipped");
    assert.equal(run.conclusion("deploy"), "skipped");
    assert.equal(originLog()[0], head);
    assert.equal(run.deployed.length, 0);
  });

  it("does nothing on a schedule in a copy whose list still names another repository", async () => {
    pushList((list) => {
      (list.instances as unknown[]).pop();
      list.repository = "https://github.com/upstream/list";
      list.site = "https://upstream.github.io/list/";
    }, "a copy of upstream's list");
    const head = originLog()[0];
    const run = await runWorkflow("schedule");
    assert.equal(run.runner.finished.get("plan")!.outputs.probe, "false");
    assert.equal(run.conclusion("publish"), "skipped");
    assert.equal(run.conclusion("deploy"), "skipped");
    assert.equal(originLog()[0], head);
  });
});

