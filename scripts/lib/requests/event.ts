// The `issues` event that started the run, read from the payload file Actions writes
// (GITHUB_EVENT_PATH). The issue's text is only ever read here, as data: the workflow never
// puts it into a shell line or an expression. Only Node built-ins: the jobs that read it
// before `npm ci` (the gate, the comment) import nothing else.
import { readFileSync } from "node:fs";

export const ADD_LABEL = "add-instance";
export const REMOVE_LABEL = "remove-instance";

/** The issue, as the event payload has it. */
export interface Issue {
  number: number;
  html_url: string;
  body?: string | null;
  labels?: ({ name?: string } | string)[];
}

export interface IssuesEvent {
  action: string;
  issue: Issue;
  label?: { name?: string };
  sender?: { login?: string };
  repository?: { default_branch?: string };
}

export function readEvent(file = process.env.GITHUB_EVENT_PATH): IssuesEvent {
  if (!file) throw new Error("GITHUB_EVENT_PATH is not set: run this in a GitHub Actions job started by an issues event");
  const event = JSON.parse(readFileSync(file, "utf8")) as IssuesEvent;
  if (!event.issue || !Number.isInteger(event.issue.number)) throw new Error(`${file}: not an issues event (no issue number)`);
  return event;
}

export type RequestKind = "add" | "remove";

/** Which form an issue came from, by the label the form gives it; null for any other issue. */
export function requestKind(issue: Issue): RequestKind | null {
  const names = (issue.labels ?? []).map((label) => (typeof label === "string" ? label : label.name));
  if (names.includes(ADD_LABEL)) return "add";
  if (names.includes(REMOVE_LABEL)) return "remove";
  return null;
}
