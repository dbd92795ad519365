// A plain-text table of a run's results, for the terminal, and the entries whose data the
// schema refused, for the terminal and the Actions job summary.
import * as core from "@actions/core";
import { summaryText } from "./log.ts";
import type { Instance, InvalidEntry } from "./run.ts";

function describe(entry: Instance): [string, string, string, string] {
  if (entry.kind === "cobalt") {
    const score = entry.services_tested === 0 ? "–" : `${Math.round(entry.score)}%`;
    return [entry.name, entry.api_online ? "online" : `down (${entry.offline_reason})`, score, entry.version || "–"];
  }
  const users = entry.users.active_month === null ? "–" : `${entry.users.active_month} active`;
  const software = entry.software.name === null ? entry.version : `${entry.software.name} ${entry.software.version ?? ""}`.trim();
  return [entry.name, entry.api_online ? "online" : `down (${entry.offline_reason})`, users, software ?? "–"];
}

export function summaryTable(entries: Instance[]): string {
  const rows = [["instance", "kind", "status", "score", "version"], ...entries.map((entry) => {
    const [name, status, score, version] = describe(entry);
    return [name, entry.kind, status, score, version];
  })];
  const widths = rows[0]!.map((_, column) => Math.min(40, Math.max(...rows.map((row) => row[column]!.length))));
  return rows.map((row) => row.map((cell, column) => cell.slice(0, 40).padEnd(widths[column]!)).join("  ").trimEnd()).join("\n");
}

const INVALID_HEADING = "Entries with invalid data (their previous values were kept, offline_reason invalid_data)";

/** Each entry whose probe read values the schema refuses, with the keys at fault. */
export function invalidDataReport(invalid: InvalidEntry[]): string {
  return [`${INVALID_HEADING}:`, ...invalid.flatMap((entry) => [`  ${entry.kind} ${entry.url}`, ...entry.problems.map((line) => `    ${line}`)])].join("\n");
}

/** The same, in the job summary (escaped: the summary renders HTML). */
export async function writeInvalidDataSummary(invalid: InvalidEntry[]): Promise<void> {
  await core.summary.addHeading(INVALID_HEADING, 3).addTable([
    [{ data: "instance", header: true }, { data: "what the schema refused", header: true }],
    ...invalid.map((entry) => [`${summaryText(entry.kind)} <code>${summaryText(entry.url)}</code>`, entry.problems.map(summaryText).join("<br>")]),
  ]).write();
}
