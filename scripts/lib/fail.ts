// How a command-line script ends on an error: an expected error (a bad list, invalid
// output…) as its message, anything else with its stack; list problems as annotations
// on their lines when in Actions; exit code 1.
import * as core from "@actions/core";
import { ListError } from "./list.ts";

export function failWith(error: unknown, expectedNames: string[]): void {
  const inActions = process.env.GITHUB_ACTIONS === "true";
  if (error instanceof ListError && inActions) {
    for (const problem of error.problems) core.error(`${problem.pointer}: ${problem.message}`, { file: error.file, startLine: problem.line, startColumn: problem.column });
  }
  const expected = error instanceof Error && ["ListError", ...expectedNames].includes(error.name);
  const message = expected ? (error as Error).message : (error as Error).stack ?? String(error);
  if (inActions) core.setFailed(message);
  else console.error(`error: ${message}`);
  process.exitCode = 1;
}
