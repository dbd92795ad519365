// A plain-text table of a run's results, for the terminal.
import type { Instance } from "./run.ts";

function describe(entry: Instance): [string, string, string, string] {
  if (entry.kind === "cobalt") {
    const score = entry.score === null ? "–" : `${Math.round(entry.score)}%`;
    return [entry.name, entry.api_online ? "online" : `down (${entry.offline_reason})`, score, entry.version ?? "–"];
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
