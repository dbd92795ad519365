// The workflows, read as the YAML GitHub reads: when they run, what they may write, which
// actions they trust, and that an unchanged run makes no commit. actionlint checks the rest.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isScalar, parse, parseDocument, visit } from "yaml";
import { ROOT, runCommand } from "./support/cli.ts";
import { lintWorkflows } from "../scripts/lint-workflows.ts";
import { BACKSTOP_SCHEDULE } from "../scripts/plan-run.ts";
import type { Job } from "./support/workflow-runner.ts";

const DIR = join(ROOT, ".github/workflows");

interface Workflow {
  on: Record<string, any>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const files = readdirSync(DIR).filter((name) => /\.ya?ml$/.test(name));
const texts = Object.fromEntries(files.map((name) => [name, readFileSync(join(DIR, name), "utf8")]));
const workflows: Record<string, Workflow> = Object.fromEntries(files.map((name) => [name, parse(texts[name]!)]));
const probe = workflows["probe.yml"]!;
const ci = workflows["ci.yml"]!;
const requests = workflows["requests.yml"]!;
const jobsOf = (workflow: Workflow) => Object.entries(workflow.jobs);
const stepsOf = (workflow: Workflow) => jobsOf(workflow).flatMap(([, job]) => job.steps ?? []);
/**
 * A secret other than an instance's API key. Keys (INSTANCE_KEY_…, README: "Run your own
 * list") may be handed to the probe step's env, and to nothing else.
 */
const OTHER_SECRET = /secrets\.(?!INSTANCE_KEY_[A-Z0-9_]+\b)/;
const withoutInstanceKeys = (env: Record<string, unknown> = {}) =>
  Object.fromEntries(Object.entries(env).filter(([name, value]) => !(/^INSTANCE_KEY_[A-Z0-9_]+$/.test(name) && value === `\${{ secrets.${name} }}`)));
/** A job that pushes to the branch the run is on (the default branch), rather than to a branch of its own. */
const pushesMain = (job: Job) => (job.steps ?? []).some((s) => /\bgit\b.*\bpush\b.*GITHUB_REF_NAME/.test(s.run ?? ""));
const writesMain = (workflow: Workflow) => jobsOf(workflow).some(([, job]) => typeof job.permissions === "object" && job.permissions.contents === "write" && pushesMain(job));

describe("the hourly probe workflow", () => {
  it("runs hourly at a minute other than :00, by hand, and on a push that changes the list, site, schemas or scripts", () => {
    const [cron] = probe.on.schedule.map((entry: { cron: string }) => entry.cron.split(/\s+/));
    assert.equal(cron.length, 5);
    assert.match(cron[0], /^\d+$/, "a fixed minute");
    assert.notEqual(Number(cron[0]), 0, "not at :00, when every scheduled workflow starts");
    assert.deepEqual(cron.slice(1), ["*", "*", "*", "*"], "every hour");
    assert.ok("workflow_dispatch" in probe.on);
    for (const path of ["data/list.json", "site/**", "schemas/**", "scripts/**"]) assert.ok(probe.on.push.paths.includes(path), path);
    assert.ok(!probe.on.push.paths.includes("data/**"), "the data it commits does not trigger it again");
  });

  it("commits the data only when the change check says it changed or the run was added to the history, after merging and before building", () => {
    const publish = probe.jobs.publish!.steps!;
    const changes = publish.findIndex((s) => s.id === "changes");
    const commit = publish.findIndex((s) => s.run?.includes("git commit"));
    const merge = publish.findIndex((s) => s.run?.startsWith("npm run merge"));
    const build = publish.findIndex((s) => s.run === "npm run build");
    assert.match(publish[changes]!.run!, /node scripts\/changes\.ts --before .* --after data\/instances\.json/);
    assert.equal(publish[commit]!.if, "steps.changes.outputs.changed == 'true' || steps.history.outputs.appended == 'true'");
    const history = publish.findIndex((s) => s.id === "history");
    assert.match(publish[history]!.run!, /git status --porcelain -- data\/history/);
    assert.ok(changes < history && history < commit);
    assert.ok(merge >= 0 && merge < changes && changes < commit && commit < build);
  });

  it("commits as github-actions[bot] and retries a refused push after rebasing", () => {
    const script = probe.jobs.publish!.steps!.find((s) => s.run?.includes("git commit"))!.run!;
    assert.match(script, /user\.name "github-actions\[bot\]"/);
    assert.match(script, /for attempt in/);
    assert.match(script, /git .*pull --rebase/);
    assert.match(script, /git .*push origin/);
    assert.match(script, /exit 1/, "gives up with a failure, never silently");
  });

  it("never commits or deploys after a failed probe: no step may fail quietly, and deploy needs the publish job", () => {
    for (const step of stepsOf(probe)) assert.equal(step["continue-on-error"], undefined, step.name ?? step.run ?? step.uses);
    assert.deepEqual([probe.jobs.deploy!.needs].flat(), ["publish"]);
    assert.equal(probe.jobs.deploy!.if, undefined, "deploy runs only when publish succeeded");
  });

  it("probes every list in a matrix of shards (a list of one shard is a matrix of one), merged by the publish job", () => {
    const shard = probe.jobs.probe!;
    assert.equal(shard.if, "needs.plan.outputs.probe == 'true'", "no special path for one shard");
    assert.equal(shard.strategy!["fail-fast"], false, "one failed shard does not cancel the others");
    assert.equal(shard.strategy!.matrix!.shard, "${{ fromJSON(needs.plan.outputs.matrix) }}");
    assert.ok(shard.steps!.some((s) => s.run?.includes("npm run probe -- --shard")));
    const upload = shard.steps!.find((s) => s.uses?.startsWith("actions/upload-artifact@"))!;
    assert.match(String(upload.with!.name), /steps\.name\.outputs\.file/, "a unique artifact per shard");
    const publish = probe.jobs.publish!;
    const download = publish.steps!.find((s) => s.uses?.startsWith("actions/download-artifact@"))!;
    assert.equal(download.if, undefined);
    assert.equal(download.with!["merge-multiple"], true);
    assert.ok(publish.steps!.some((s) => s.run === "npm run merge -- --from shard-output" && s.if === undefined), "the merge validates every run's output again");
    assert.match(publish.if!, /!cancelled\(\)/, "merges what the shards that succeeded produced");
  });

  it("parses instances only in jobs that cannot write: no job that probes has write access, a persisted token or install scripts", () => {
    const probing = (job: Job) => (job.steps ?? []).some((s) => /\b(npm run probe|scripts\/probe\.ts|npm start|npm run discover)\b/.test(s.run ?? ""));
    const probers = jobsOf(probe).filter(([, job]) => probing(job));
    assert.deepEqual(probers.map(([name]) => name), ["probe"]);
    for (const [name, job] of probers) {
      assert.deepEqual(job.permissions, { contents: "read" }, name);
      // Only the probe step may hold instance keys, each from the secret of its own name.
      const text = JSON.stringify({ ...job, steps: job.steps!.map((step) => ({ ...step, env: step.name === "Probe" ? withoutInstanceKeys(step.env) : step.env })) });
      assert.ok(!/github\.token|secrets\.|GITHUB_TOKEN/.test(text), `${name} is given no token and no secret but instance keys`);
      for (const step of job.steps!) {
        if (step.uses?.startsWith("actions/checkout@")) assert.equal(step.with?.["persist-credentials"], false, `${name}: checkout keeps no credentials`);
        if (step.run?.includes("npm ci")) assert.match(step.run, /--ignore-scripts/, `${name}: no dependency's install script runs`);
      }
    }
    // The jobs that can write never probe, and keep the token out of every step but the one that pushes.
    for (const [name, job] of jobsOf(probe).filter(([, job]) => typeof job.permissions === "object" && Object.values(job.permissions).includes("write"))) {
      assert.ok(!probing(job), `${name} can write and must not probe`);
      for (const step of job.steps ?? []) {
        if (step.uses?.startsWith("actions/checkout@")) assert.equal(step.with?.["persist-credentials"], false, `${name}: checkout keeps no credentials`);
        if (step.run?.includes("npm ci")) assert.match(step.run, /--ignore-scripts/, name);
        const given = JSON.stringify(step.env ?? {}).includes("github.token");
        const pushes = /\bgit\b.*\bpush\b|\bgh api\b/.test(step.run ?? "");
        assert.equal(given, pushes, `${name}: ${step.name ?? step.run ?? step.uses} ${pushes ? "pushes and needs" : "must not get"} the token`);
        assert.ok(!/github\.token/.test(JSON.stringify(step.with ?? {})), `${name}: no action is handed the token`);
      }
    }
  });

  it("has a backstop slot half an hour after the hourly one, whose plan knows which slot started it", () => {
    assert.deepEqual(probe.on.schedule.map((entry: { cron: string }) => entry.cron), ["17 * * * *", BACKSTOP_SCHEDULE]);
    const step = probe.jobs.plan!.steps!.find((s) => s.id === "plan")!;
    assert.equal(step.env?.SCHEDULE, "${{ github.event.schedule }}");
  });

  it("skips probing on a schedule in an unedited fork, through the plan job", () => {
    assert.match(probe.jobs.plan!.steps!.at(-1)!.run!, /node scripts\/plan-run\.ts/);
    for (const name of ["probe", "publish"]) assert.match(probe.jobs[name]!.if!, /needs\.plan\.outputs\.probe == 'true'/, name);
  });

  it("plans with Node alone, before npm ci: the plan script imports only built-ins, the identity check and the log", () => {
    for (const file of ["scripts/plan-run.ts", "scripts/lib/list-identity.ts", "scripts/lib/log.ts"]) {
      const imports = [...readFileSync(join(ROOT, file), "utf8").matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]!);
      for (const name of imports) assert.ok(name.startsWith("node:") || ["./lib/list-identity.ts", "./lib/log.ts"].includes(name), `${file} imports ${name}`);
    }
    assert.ok(!probe.jobs.plan!.steps!.some((s) => s.run?.includes("npm ci")));
  });

  it("keeps the schedule alive through the API when the data has not changed for weeks, without empty commits", () => {
    const keepalive = probe.jobs.keepalive!;
    assert.equal(keepalive.if, "needs.plan.outputs.keepalive == 'true'");
    assert.deepEqual(keepalive.permissions, { actions: "write" });
    assert.match(keepalive.steps![0]!.run!, /actions\/workflows\/probe\.yml\/enable/);
    assert.ok(!texts["probe.yml"]!.includes("--allow-empty"));
  });

  it("builds with the repository's Node version, then deploys the built site to Pages", () => {
    for (const step of stepsOf(probe).filter((s) => s.uses?.startsWith("actions/setup-node@"))) assert.equal(step.with!["node-version-file"], ".nvmrc");
    for (const name of ["probe", "publish"]) assert.ok(probe.jobs[name]!.steps!.some((s) => s.run?.startsWith("npm ci")), name);
    const publish = probe.jobs.publish!.steps!;
    assert.equal(publish.find((s) => s.uses?.startsWith("actions/upload-pages-artifact@"))!.with!.path, "_site");
    assert.ok(publish.some((s) => s.uses?.startsWith("actions/configure-pages@")));
    assert.ok(probe.jobs.deploy!.steps!.some((s) => s.uses?.startsWith("actions/deploy-pages@")));
  });

  it("attests the published JSON files in the deploy job, the only job with an OIDC token and the right to store attestations", () => {
    const upload = probe.jobs.publish!.steps!.find((s) => s.uses?.startsWith("actions/upload-artifact@") && s.with?.name === "published-json")!;
    const build = probe.jobs.publish!.steps!.findIndex((s) => s.run === "npm run build");
    assert.ok(probe.jobs.publish!.steps!.indexOf(upload) > build, "uploaded after the build");
    assert.match(String(upload.with!.path), /^_site\/\*\.json$/m, "instances.json and the per-kind files");
    const deploy = probe.jobs.deploy!.steps!;
    const download = deploy.findIndex((s) => s.uses?.startsWith("actions/download-artifact@") && s.with?.name === "published-json");
    const attest = deploy.findIndex((s) => s.uses?.startsWith("actions/attest-build-provenance@"));
    assert.ok(download >= 0 && download < attest, "the deploy job attests what publish built");
    assert.match(String(deploy[attest]!.with!["subject-path"]), /^published-json\/\*\.json$/m);
    assert.ok(!deploy.some((s) => s.run), "the job that holds the OIDC token runs no code of the repository");
    for (const [name, job] of jobsOf(probe).filter(([name]) => name !== "deploy")) {
      const permissions = job.permissions as Record<string, string>;
      assert.equal(permissions["id-token"], undefined, name);
      assert.equal(permissions.attestations, undefined, name);
    }
  });
});

describe("every workflow", () => {
  it("shares one concurrency group, never cancelled in progress, when it writes to the default branch", () => {
    const writers = Object.entries(workflows).filter(([, workflow]) => writesMain(workflow));
    assert.ok(writers.some(([name]) => name === "probe.yml"));
    const groups = new Set(writers.map(([, workflow]) => workflow.concurrency?.group));
    assert.equal(groups.size, 1, "one group for all of them");
    assert.equal(typeof [...groups][0], "string");
    for (const [name, workflow] of writers) assert.equal(workflow.concurrency!["cancel-in-progress"], false, name);
  });

  it("grants nothing at the top and sets permissions per job, with write access only where it is used", () => {
    for (const [name, workflow] of Object.entries(workflows)) {
      assert.deepEqual(workflow.permissions, {}, `${name}: top-level permissions`);
      for (const [jobName, job] of jobsOf(workflow)) {
        assert.equal(typeof job.permissions, "object", `${name} ${jobName} sets its own permissions`);
        const writes = Object.entries(job.permissions as Record<string, string>).filter(([, level]) => level === "write").map(([scope]) => scope).sort();
        const expected = ({
          "probe.yml": { publish: ["contents"], deploy: ["attestations", "id-token", "pages"], keepalive: ["actions"] },
          "requests.yml": { comment: ["issues"], approve: ["contents", "pull-requests"] },
        } as Record<string, Record<string, string[]>>)[name]?.[jobName] ?? [];
        assert.deepEqual(writes, expected, `${name} ${jobName}`);
      }
    }
  });

  it("pins every action to a full commit SHA with its version in a comment", () => {
    for (const [name, text] of Object.entries(texts)) {
      let count = 0;
      visit(parseDocument(text), {
        Pair(_, pair) {
          if (!isScalar(pair.key) || pair.key.value !== "uses" || !isScalar(pair.value)) return;
          count++;
          const uses = String(pair.value.value);
          if (uses.startsWith("./")) return;
          assert.match(uses, /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/, `${name}: ${uses}`);
          assert.match(pair.value.comment ?? "", /^ ?v\d+\.\d+\.\d+$/, `${name}: ${uses} needs a "# vX.Y.Z" comment`);
        },
      });
      assert.ok(count > 0, name);
    }
  });

  it("restores and saves no cache when one of its jobs can write: nothing a job that parses strangers' bytes could leave in one is installed or run where a token can write", () => {
    const writers = Object.entries(workflows).filter(([, workflow]) => jobsOf(workflow).some(([, job]) => typeof job.permissions === "object" && Object.values(job.permissions).includes("write")));
    assert.ok(writers.some(([file]) => file === "probe.yml"));
    for (const [file, workflow] of writers) {
      for (const [name, job] of jobsOf(workflow)) {
        for (const step of job.steps ?? []) {
          const label = `${file} ${name}: ${step.name ?? step.uses ?? step.run}`;
          assert.ok(!/^actions\/cache(\/(restore|save))?@/.test(step.uses ?? ""), `${label} uses a cache`);
          if (!/^actions\/setup-[a-z]+@/.test(step.uses ?? "")) continue;
          assert.equal(step.with?.cache, undefined, `${label} restores and saves a package cache`);
          // setup-node caches on its own when package.json names a package manager; only false turns that off.
          assert.equal(step.with?.["package-manager-cache"], false, `${label} must say package-manager-cache: false`);
        }
        assert.ok(!/\bnpm (config set )?cache\b|--cache\b|--prefer-offline|--offline/.test(JSON.stringify(job.steps ?? [])), `${file} ${name} reads no npm cache`);
      }
    }
  });

  it("uses only the default GITHUB_TOKEN: no secret, no personal token (instance keys aside)", () => {
    for (const [name, text] of Object.entries(texts)) assert.ok(!OTHER_SECRET.test(text), name);
    // What a fork adds to the probe step for a keyed instance passes; anything else does not.
    assert.deepEqual(withoutInstanceKeys({ SHARD: "x", INSTANCE_KEY_A: "${{ secrets.INSTANCE_KEY_A }}" }), { SHARD: "x" });
    assert.deepEqual(Object.keys(withoutInstanceKeys({ INSTANCE_KEY_A: "${{ secrets.INSTANCE_KEY_B }}", TOKEN: "${{ secrets.TOKEN }}" })), ["INSTANCE_KEY_A", "TOKEN"]);
    assert.ok(OTHER_SECRET.test("${{ secrets.GH_PAT }}") && !OTHER_SECRET.test("${{ secrets.INSTANCE_KEY_A }}"));
  });

  it("passes actionlint", async () => {
    assert.deepEqual(await lintWorkflows(DIR), []);
  });
});

describe("the requests workflow", () => {
  const stepsRunning = (job: Job, pattern: RegExp) => (job.steps ?? []).filter((s) => pattern.test(s.run ?? ""));

  it("runs on issues opened, edited and labelled, one check of an issue at a time, and a fork can turn it off", () => {
    assert.deepEqual(requests.on.issues.types, ["opened", "edited", "labeled"]);
    assert.match(requests.concurrency!.group, /github\.event\.issue\.number/);
    assert.equal(requests.concurrency!["cancel-in-progress"], false);
    for (const name of ["gate", "approve"]) assert.match(requests.jobs[name]!.if!, /vars\.INSTANCE_REQUESTS != 'off'/, name);
    assert.deepEqual([requests.jobs.check!.needs].flat(), ["gate"]);
    assert.deepEqual([requests.jobs.comment!.needs].flat(), ["check"]);
  });

  it("never puts the issue's text into an expression: the only event values read in ${{ }} are numbers, the action and the label's name", () => {
    const expressions = [...texts["requests.yml"]!.matchAll(/\$\{\{([^}]*)\}\}/g)].map((match) => match[1]!);
    const ifs = jobsOf(requests).flatMap(([, job]) => [job.if ?? "", ...(job.steps ?? []).map((s) => s.if ?? "")]);
    for (const expression of [...expressions, ...ifs]) {
      for (const read of expression.match(/github\.event\.[\w.]+/g) ?? []) {
        assert.ok(["github.event.issue.number", "github.event.action", "github.event.label.name"].includes(read), `${read} in ${expression}`);
      }
    }
  });

  it("probes only in a job that cannot write contents and holds no token, and answers from another job that only reads the artifact", () => {
    const probing = jobsOf(requests).filter(([, job]) => stepsRunning(job, /scripts\/request-check\.ts|npm run probe/).length > 0);
    assert.deepEqual(probing.map(([name]) => name), ["check"]);
    const check = requests.jobs.check!;
    assert.deepEqual(check.permissions, { contents: "read" }, "read-only: no contents write, no issues, no pull requests");
    assert.ok(!/github\.token|secrets\.|GITHUB_TOKEN/.test(JSON.stringify(check)), "no token in the probing job");
    assert.equal(check.steps!.find((s) => s.uses?.startsWith("actions/checkout@"))!.with!["persist-credentials"], false);
    assert.match(stepsRunning(check, /npm ci/)[0]!.run!, /--ignore-scripts/);
    const comment = requests.jobs.comment!;
    assert.ok(!stepsRunning(comment, /npm ci|request-check|probe/).length, "the job that comments installs nothing and probes nothing");
    assert.ok(comment.steps!.some((s) => s.uses?.startsWith("actions/download-artifact@")));
  });

  it("gives the token only to the steps that call the API or push, and pushes only a branch of its own after the permission check", () => {
    for (const [name, job] of jobsOf(requests)) {
      for (const step of job.steps ?? []) {
        const given = JSON.stringify(step.env ?? {}).includes("github.token");
        const calls = /scripts\/request-(gate|comment)\.ts|request-approve\.ts (permission|pull-request)|\bgit\b.*\bpush\b/.test(step.run ?? "");
        assert.equal(given, calls, `${name}: ${step.name ?? step.run ?? step.uses}`);
        if (step.uses?.startsWith("actions/checkout@")) assert.equal(step.with?.["persist-credentials"], false, `${name}: checkout keeps no credentials`);
      }
    }
    const approve = requests.jobs.approve!.steps!;
    const push = stepsRunning(requests.jobs.approve!, /\bgit\b.*\bpush\b/)[0]!;
    assert.match(push.run!, /push --force origin "HEAD:refs\/heads\/\$\{BRANCH\}"/);
    assert.ok(!pushesMain(requests.jobs.approve!), "never the default branch");
    const permission = approve.findIndex((s) => s.id === "permission");
    assert.equal(permission, approve.findIndex((s) => s.run?.includes("request-approve.ts")), "the permission check comes first");
    for (const step of approve.slice(permission + 1)) assert.equal(step.if, "steps.permission.outputs.allowed == 'true'", step.name ?? step.run);
    assert.ok(approve.some((s) => s.run === "node scripts/check-list.ts data/list.json"), "the edited list passes the list check before it is pushed");
  });
});

describe("the CI workflow", () => {
  it("runs on every push and pull request: type check, tests, site build and workflow lint", () => {
    assert.ok("push" in ci.on && "pull_request" in ci.on);
    const runs = ci.jobs.test!.steps!.map((s) => s.run).filter(Boolean);
    for (const command of ["npm ci --no-audit --no-fund", "npm run typecheck", "npm test", "npm run build", "node scripts/lint-workflows.ts"]) {
      assert.ok(runs.includes(command), command);
    }
  });

  it("runs the browser suites with the runner's Chrome, and a browser suite without a browser fails there", async () => {
    const test = ci.jobs.test!.steps!.find((s) => s.run === "npm test")!;
    assert.match(String(test.env?.CHROME_PATH), /^\/usr\/bin\/google-chrome$/);
    const check = ["--input-type=module", "--eval", `const { missingBrowser } = await import("./test/support/browser.ts"); console.log(missingBrowser());`];
    const elsewhere = await runCommand(process.execPath, check, { ...process.env, CHROME_PATH: "/nowhere/chrome", CI: "" });
    assert.equal(elsewhere.code, 0, elsewhere.stderr);
    assert.match(elsewhere.stdout, /^no browser at \/nowhere\/chrome: apt-get install chromium, or set CHROME_PATH/, "outside CI: skipped with a notice");
    const inCi = await runCommand(process.execPath, check, { ...process.env, CHROME_PATH: "/nowhere/chrome", CI: "true" });
    assert.notEqual(inCi.code, 0);
    assert.match(inCi.stderr, /no browser at \/nowhere\/chrome.*CI=true, where the browser suites must run, not be skipped/);
  });

  it("validates the list on pull requests, with annotations from the list check", () => {
    const list = ci.jobs.list!;
    assert.equal(list.if, "github.event_name == 'pull_request'");
    assert.ok(list.steps!.some((s) => s.run === "node scripts/check-list.ts data/list.json"));
  });
});

describe("the issue forms", () => {
  const formDir = join(ROOT, ".github/ISSUE_TEMPLATE");
  interface FormItem { type: string; id?: string; attributes: { label?: string; options?: (string | { label: string; required?: boolean })[] }; validations?: { required?: boolean } }
  const form = (name: string): { name: string; description: string; body: FormItem[] } => parse(readFileSync(join(formDir, name), "utf8"));
  const item = (body: FormItem[], id: string) => body.find((entry) => entry.id === id)!;

  it("give every field a unique id and a label", () => {
    for (const name of ["add-instance.yml", "remove-instance.yml"]) {
      const { name: title, description, body } = form(name);
      assert.ok(title && description, name);
      const fields = body.filter((entry) => entry.type !== "markdown");
      assert.equal(new Set(fields.map((entry) => entry.id)).size, fields.length, name);
      for (const field of fields) assert.ok(field.id && field.attributes.label, `${name}: ${field.id}`);
    }
  });

  it("ask an operator to be added with what the list needs: a kind the list supports, the URL, a contact, and consent", () => {
    const { body } = form("add-instance.yml");
    const schema = JSON.parse(readFileSync(join(ROOT, "schemas/list.schema.json"), "utf8"));
    const kinds = schema.properties.instances.items.oneOf.map((ref: { $ref: string }) => schema.$defs[ref.$ref.split("/").at(-1)!].properties.kind.const);
    assert.deepEqual(item(body, "kind").attributes.options, kinds);
    for (const id of ["kind", "url", "contact"]) assert.equal(item(body, id).validations?.required, true, id);
    const consent = item(body, "consent");
    assert.equal(consent.type, "checkboxes");
    assert.ok(consent.attributes.options!.every((option) => typeof option === "object" && option.required === true));
  });

  it("ask for a removal with the listed URL", () => {
    assert.equal(item(form("remove-instance.yml").body, "url").validations?.required, true);
  });
});
