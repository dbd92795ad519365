// Runs the jobs of a workflow file on this machine the way a GitHub runner would: each job
// in a fresh clone of a local "origin" repository, each `run:` step in bash with its env,
// GITHUB_OUTPUT and GITHUB_STEP_SUMMARY, `if:` conditions and `${{ }}` expressions
// evaluated against the job's needs, its matrix and earlier steps' outputs. A `uses:` step
// is handed to an action stand-in the caller provides: an action the test does not know
// fails the job, so a new step in the workflow cannot go unrehearsed.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, globSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { writeJson } from "./loopback.ts";
import { parse } from "yaml";

/** A workflow's step and job, as far as the tests read them. */
export interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
  "continue-on-error"?: unknown;
}

export interface Job {
  needs?: string | string[];
  if?: string;
  permissions?: Record<string, string> | string;
  strategy?: { matrix?: Record<string, unknown>; "fail-fast"?: boolean };
  outputs?: Record<string, string>;
  steps?: Step[];
}

export interface JobRun {
  job: string;
  matrix: Record<string, string>;
  conclusion: "success" | "failure" | "skipped";
  outputs: Record<string, string>;
  /** Every step in order: what ran (a command or an action), and how it ended. */
  steps: { name: string; ran: string; outcome: "success" | "failure" | "skipped"; output: string }[];
  workspace: string;
}

/** Stands in for one action (`owner/name`, without the version): returns the step's outputs. */
export type Action = (inputs: Record<string, string>, workspace: string) => Record<string, string> | void;

export interface RunnerOptions {
  workflowFile: string;
  /** The bare repository every job clones and pushes to. */
  origin: string;
  /** Where the jobs' workspaces and temporary files go. */
  scratch: string;
  event: string;
  repository: string;
  runNumber: number;
  actions: Record<string, Action>;
  /** Commands to run instead of a step's script, e.g. an offline `npm ci`. */
  replace?: Record<string, string>;
  /** Called before each step runs, with the job's workspace and matrix values. */
  beforeStep?: (name: string, workspace: string, matrix: Record<string, string>) => void;
  /** The event's payload: `github.event` in expressions, and the file GITHUB_EVENT_PATH names. */
  payload?: unknown;
  /** Repository variables: `vars` in expressions. */
  vars?: Record<string, string>;
  /** More environment for every step (e.g. GITHUB_API_URL, which a runner sets). */
  env?: Record<string, string>;
}

export class WorkflowRunner {
  readonly #options: RunnerOptions;
  readonly #jobs: Record<string, Job>;
  /** Finished jobs by name (a matrix job by the last of its runs, and its conclusion over all). */
  readonly finished = new Map<string, { conclusion: JobRun["conclusion"]; outputs: Record<string, string> }>();
  readonly log: string[] = [];
  #count = 0;
  /** The contexts every expression of the run can read. */
  readonly #run: Pick<Context, "github" | "vars">;
  readonly #eventFile: string;

  constructor(options: RunnerOptions) {
    this.#options = options;
    this.#jobs = (parse(readFileSync(options.workflowFile, "utf8")) as { jobs: Record<string, Job> }).jobs;
    mkdirSync(options.scratch, { recursive: true });
    this.#eventFile = join(options.scratch, "event.json");
    writeFileSync(this.#eventFile, JSON.stringify(options.payload ?? {}));
    this.#run = {
      github: { token: "test-token", event: options.payload ?? {}, event_name: options.event, repository: options.repository, run_id: String(options.runNumber) },
      vars: options.vars ?? {},
    };
  }

  /** Runs one job: once, or once per value of its matrix (of one axis, as this workflow's is). */
  async runJob(name: string): Promise<JobRun[]> {
    const job = this.#jobs[name];
    if (!job) throw new Error(`no job ${name} in ${this.#options.workflowFile}`);
    const needs = this.#needs(job);
    if (!evaluate(condition(job.if), { ...this.#run, needs, failed: Object.values(needs).some((need) => need.result !== "success") })) {
      this.finished.set(name, { conclusion: "skipped", outputs: {} });
      this.log.push(`## job ${name}: skipped`);
      return [];
    }
    const axes = Object.entries(job.strategy?.matrix ?? {});
    if (axes.length > 1) throw new Error(`job ${name}: a matrix of more than one axis is not supported here`);
    const combinations = axes.map(([axis, values]) => {
      const list = Array.isArray(values) ? values : toArray(interpolate(String(values), { ...this.#run, needs }, true));
      return list.map((value) => ({ [axis]: String(value) }));
    })[0] ?? [{}];
    const runs: JobRun[] = [];
    for (const matrix of combinations) runs.push(await this.#runOnce(name, job, needs, matrix));
    this.finished.set(name, {
      conclusion: runs.every((run) => run.conclusion === "success") ? "success" : "failure",
      outputs: runs.at(-1)?.outputs ?? {},
    });
    return runs;
  }

  #needs(job: Job): Needs {
    const names = job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
    return Object.fromEntries(names.map((need) => {
      const done = this.finished.get(need);
      if (!done) throw new Error(`job ${need} has not run yet`);
      return [need, { result: done.conclusion, outputs: done.outputs }];
    }));
  }

  async #runOnce(name: string, job: Job, needs: Needs, matrix: Record<string, string>): Promise<JobRun> {
    const workspace = join(this.#options.scratch, `job-${++this.#count}-${name}`);
    const temp = join(this.#options.scratch, `temp-${this.#count}`);
    mkdirSync(temp, { recursive: true });
    git(this.#options.scratch, "clone", "--quiet", this.#options.origin, workspace);
    const summaryFile = join(temp, "summary.md");
    const steps: JobRun["steps"] = [];
    const stepOutputs: Record<string, { outputs: Record<string, string> }> = {};
    let failed = false;
    this.log.push(`## job ${name}${Object.keys(matrix).length ? ` (${JSON.stringify(matrix)})` : ""}`);
    for (const [index, step] of (job.steps ?? []).entries()) {
      const stepName = step.name ?? step.uses ?? step.run?.split("\n")[0] ?? `step ${index + 1}`;
      const context = { ...this.#run, needs, steps: stepOutputs, matrix, failed };
      if (!evaluate(condition(step.if), context)) {
        if (step.id) stepOutputs[step.id] = { outputs: {} };
        steps.push({ name: stepName, ran: "", outcome: "skipped", output: "" });
        this.log.push(`- ${stepName}: skipped`);
        continue;
      }
      this.#options.beforeStep?.(stepName, workspace, matrix);
      let outputs: Record<string, string> = {};
      let ran: string;
      let output = "";
      let ok = true;
      if (step.uses) {
        const action = step.uses.split("@")[0]!;
        ran = `uses: ${action}`;
        const standIn = this.#options.actions[action];
        const inputs = Object.fromEntries(Object.entries(step.with ?? {}).map(([key, value]) => [key, interpolate(String(value), context)]));
        if (!standIn) {
          ok = false;
          output = `no stand-in for ${action}`;
        } else {
          try {
            outputs = standIn(inputs, workspace) ?? {};
          } catch (error) {
            ok = false;
            output = String(error);
          }
        }
      } else {
        const script = interpolate(step.run!, context);
        ran = this.#options.replace?.[script.trim()] ?? script;
        const outputFile = join(temp, `output-${index}`);
        writeFileSync(outputFile, "");
        const env: Record<string, string> = {
          ...inheritedEnv(),
          GITHUB_ACTIONS: "true",
          CI: "true",
          GITHUB_EVENT_NAME: this.#options.event,
          GITHUB_EVENT_PATH: this.#eventFile,
          GITHUB_REPOSITORY: this.#options.repository,
          GITHUB_RUN_NUMBER: String(this.#options.runNumber),
          GITHUB_REF_NAME: "main",
          GITHUB_SERVER_URL: "https://github.com",
          GITHUB_WORKSPACE: workspace,
          GITHUB_OUTPUT: outputFile,
          GITHUB_STEP_SUMMARY: summaryFile,
          RUNNER_TEMP: temp,
          ...this.#options.env,
          ...Object.fromEntries(Object.entries(step.env ?? {}).map(([key, value]) => [key, interpolate(String(value), context)])),
        };
        const result = await bash(ran, workspace, env);
        output = result.output;
        ok = result.code === 0;
        outputs = readOutputs(outputFile);
      }
      if (step.id) stepOutputs[step.id] = { outputs };
      steps.push({ name: stepName, ran, outcome: ok ? "success" : "failure", output });
      this.log.push(`- ${stepName}: ${ok ? "ok" : "FAILED"}`, ...ran.trim().split("\n").map((line) => `    ${line}`));
      if (!ok) failed = true;
    }
    const outputs = Object.fromEntries(Object.entries(job.outputs ?? {}).map(([key, value]) => [key, interpolate(value, { ...this.#run, needs, steps: stepOutputs, matrix, failed })]));
    const conclusion = failed ? "failure" : "success";
    this.log.push(`  => ${conclusion}`);
    return { job: name, matrix, conclusion, outputs, steps, workspace };
  }
}

type Needs = Record<string, { result: string; outputs: Record<string, string> }>;

interface Context {
  needs?: Needs;
  steps?: Record<string, { outputs: Record<string, string> }>;
  matrix?: Record<string, string>;
  failed?: boolean;
  github?: Record<string, unknown>;
  vars?: Record<string, string>;
}

/** Missing outputs read as '' in GitHub's expressions. */
function lenient(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value ?? "";
  return new Proxy(value, { get: (target, key) => (key in target ? lenient((target as Record<PropertyKey, unknown>)[key]) : typeof key === "string" ? "" : undefined) });
}

/** An `if:` without a status function means `success() && (…)`, as on GitHub. */
function condition(expression: string | undefined): string {
  if (expression === undefined) return "success()";
  const body = expression.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, "$1");
  return /\b(success|failure|cancelled|always)\(\)/.test(body) ? body : `success() && (${body})`;
}

/**
 * Evaluates a GitHub expression. The workflow uses only the part of the language that
 * reads the same in JavaScript: contexts (secrets all unset), string and number literals, ==, !=, >, !, && and ||,
 * fromJSON() and the status functions.
 */
function evaluate(expression: string, context: Context): unknown {
  const body = expression.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, "$1");
  const run = new Function("needs", "steps", "matrix", "github", "vars", "secrets", "fromJSON", "success", "failure", "cancelled", "always", `return (${body});`);
  // No secret is set in a rehearsal: on GitHub an unset secret reads as "".
  return run(
    lenient(context.needs ?? {}), lenient(context.steps ?? {}), lenient(context.matrix ?? {}), lenient(context.github ?? { token: "test-token" }), lenient(context.vars ?? {}), lenient({}),
    (text: string) => JSON.parse(text), () => !context.failed, () => Boolean(context.failed), () => false, () => true,
  );
}

function interpolate(text: string, context: Context, raw = false): string {
  const whole = /^\$\{\{([\s\S]*)\}\}$/.exec(text.trim());
  if (raw && whole) return JSON.stringify(evaluate(whole[1]!, context));
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expression: string) => {
    const value = evaluate(expression, context);
    return typeof value === "object" ? JSON.stringify(value) : String(value);
  });
}

function toArray(json: string): unknown[] {
  const value = JSON.parse(json);
  return Array.isArray(value) ? value : [value];
}

/** Reads `name=value` lines and `name<<DELIMITER` blocks (what @actions/core writes). */
export function readOutputs(file: string): Record<string, string> {
  const lines = readFileSync(file, "utf8").split("\n");
  const outputs: Record<string, string> = {};
  for (let i = 0; i < lines.length; i++) {
    const block = /^([^=<]+)<<(.+)$/.exec(lines[i]!);
    if (block) {
      const end = lines.indexOf(block[2]!, i + 1);
      outputs[block[1]!] = lines.slice(i + 1, end).join("\n");
      i = end;
    } else if (lines[i]!.includes("=")) {
      const at = lines[i]!.indexOf("=");
      outputs[lines[i]!.slice(0, at)] = lines[i]!.slice(at + 1);
    }
  }
  return outputs;
}

/** The machine's environment without anything that says which workflow or repository this is. */
function inheritedEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter(([key, value]) => value !== undefined && !/^(GITHUB_|RUNNER_|INSTANCES_FILE$|LIST_FILE$)/.test(key))) as Record<string, string>;
}

/** Runs a script as a runner's `run:` step does; asynchronously, so loopback servers in this process keep answering. */
function bash(script: string, cwd: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

export function git(cwd: string, ...args: string[]): string {
  const result = spawnSync("git", args, { cwd, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`git ${args.join(" ")} failed in ${cwd}: ${result.stderr}`);
  return result.stdout;
}

/** What the repository holds that the workflows' commands use. */
export const PROJECT_FILES = ["package.json", "package-lock.json", ".nvmrc", "tsconfig.json", "scripts", "schemas", "site", ".github"];

/** A bare "origin" repository holding the project's files and `list` as data/list.json, on main. */
export function seedOrigin(root: string, projectRoot: string, list: unknown): string {
  const seed = join(root, "seed");
  const origin = join(root, "origin.git");
  for (const path of PROJECT_FILES) cpSync(join(projectRoot, path), join(seed, path), { recursive: true });
  mkdirSync(join(seed, "data"), { recursive: true });
  writeJson(join(seed, "data/list.json"), list);
  writeFileSync(join(seed, ".gitignore"), "node_modules\n_site/\n");
  git(seed, "init", "--quiet", "--initial-branch=main");
  git(seed, "add", ".");
  git(seed, "-c", "user.name=Maintainer", "-c", "user.email=maintainer@example.com", "commit", "--quiet", "-m", "the list");
  git(root, "clone", "--quiet", "--bare", seed, origin);
  return origin;
}

/**
 * actions/upload-artifact: each line of `path` a file or a glob; the files keep their paths
 * below the folder the patterns share (a single file is kept by its name).
 */
export function uploadArtifact(inputs: Record<string, string>, workspace: string, artifacts: string): void {
  const patterns = inputs.path!.trim().split("\n").map((line) => line.trim());
  const folders = patterns.map((pattern) => pattern.split("/").slice(0, -1));
  const shared = folders[0]!.filter((part, index) => folders.every((folder) => folder[index] === part));
  const files = patterns.flatMap((pattern) => globSync(pattern, { cwd: workspace }));
  if (files.length === 0) throw new Error(`upload-artifact: no files match ${inputs.path}`);
  for (const file of files) {
    const target = join(artifacts, inputs.name!, file.split("/").slice(shared.length).join("/"));
    mkdirSync(dirname(target), { recursive: true });
    cpSync(join(workspace, file), target);
  }
}
