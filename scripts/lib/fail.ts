// How a command-line script ends on an error: an expected error (a bad list, invalid
// output…) as its message, anything else with its stack; list problems as annotations
// on their lines when in Actions; exit code 1.
import { ListError } from "./list.ts";
import { annotate, fail } from "./log.ts";

export function failWith(error: unknown, expectedNames: string[]): void {
  if (error instanceof ListError) annotateListProblems(error);
  const expected = error instanceof Error && ["ListError", ...expectedNames].includes(error.name);
  fail(expected ? (error as Error).message : (error as Error).stack ?? String(error));
}

/** Each problem of a list as an annotation on its line (nothing outside Actions: the message names the lines). */
export function annotateListProblems(error: ListError): void {
  if (process.env.GITHUB_ACTIONS !== "true") return;
  for (const problem of error.problems) {
    annotate("error", `${problem.pointer}: ${problem.message}`, { title: "Invalid list", file: error.file, startLine: problem.line, startColumn: problem.column });
  }
}
