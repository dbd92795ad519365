// A plain-text table of a run's results, for the terminal.
import type { Instance } from "./run.ts";

function describe(entry: Instance): [string, string, string, string] {
  if (entry.kind === "cobalt") {
    const score = entry.score === null ? "–" : `${Math.round(entry.score)}%`;
    return [entry.name, entry.api_online ? "online" : `down (${entry.offline_reason})`, score, entry.version ?? "–"];
  }
  const { name, online, detail, version } = entry as unknown as { name?: string; online?: boolean; detail?: string; version?: string };
  return [name ?? entry.kind, online ? "online" : "down", detail ?? "", version ?? "–"];
}

export function summaryTable(entries: Instance[]): string {
  const rows = [["instance", "kind", "status", "score", "version"], ...entries.map((entry) => {
    const [name, status, score, version] = describe(entry);
    return [name, entry.kind, status, score, version];
  })];
  const widths = rows[0]!.map((_, column) => Math.min(40, Math.max(...rows.map((row) => row[column]!.length))));
  return rows.map((row) => row.map((cell, column) => cell.slice(0, 40).padEnd(widths[column]!)).join("  ").trimEnd()).join("\n");
}
