// The workflow's one comment on a request, in Markdown. Everything in it that the issue or
// the instance sent goes through summaryText: on one line, with Markdown and HTML markup as
// character references, so it can neither format the comment nor mention anyone.
import { summaryText as text } from "../log.ts";
import type { Instance } from "../run.ts";
import type { CobaltInstance, MastodonInstance } from "../../schema-types.ts";

/** Starts the comment, so later runs find and update it instead of adding another. */
export const ANSWER_MARKER = "<!-- instance-request-answer -->";
/** A request is probed at most once in this many minutes. */
export const PROBE_INTERVAL_MINUTES = 5;
export const APPROVED_LABEL = "approved";

const FOOTER = `This comment is updated when the issue is edited (at most one probe every ${PROBE_INTERVAL_MINUTES} minutes). ` +
  `A maintainer lists the instance by labelling the issue \`${APPROVED_LABEL}\`, which opens a pull request.`;

export function problemsAnswer(problems: string[]): string {
  return [
    "### This request cannot be listed as it is",
    "",
    ...problems.map((problem) => `- ${text(problem)}`),
    "",
    "Edit the issue to fix it: the request is checked again on every edit.",
  ].join("\n");
}

export function refusedAnswer(reason: string): string {
  return ["### Not probed", "", `${text(reason)}. Give the instance's public URL by editing the issue.`].join("\n");
}

const yesNo = (value: boolean | null | undefined) => (value === null || value === undefined ? "unknown" : value ? "yes" : "no");

export function probeAnswer(entry: Instance, options: { listedAs: number; userAgent: string }): string {
  const url = entry.kind === "cobalt" ? entry.api_url : entry.url;
  const rows: [string, string][] = [
    ["Online", entry.api_online ? `yes (${entry.response_ms ?? "?"} ms)` : `no: ${text(entry.offline_reason ?? "unknown")}`],
    ["Version", text(entry.version || "unknown")],
  ];
  if (entry.kind === "cobalt") rows.push(["Protection", entry.protection.length ? entry.protection.join(", ") : "none: anyone can use the API"]);
  rows.push(["Already listed", options.listedAs >= 0 ? `yes, as entry ${options.listedAs} of data/list.json` : "no"]);
  return [
    `### Probe of ${text(url)} (${entry.kind})`,
    "",
    "| | |",
    "| --- | --- |",
    ...rows.map(([name, value]) => `| ${name} | ${value} |`),
    "",
    ...(entry.kind === "cobalt" ? cobaltDetails(entry) : mastodonDetails(entry)),
    "",
    `Probed at ${entry.checked_at} by this list's own probe (User-Agent ${text(options.userAgent)}), with the limits of the hourly run.`,
    "",
    FOOTER,
  ].join("\n");
}

function cobaltDetails(entry: CobaltInstance): string[] {
  const services = Object.entries(entry.service_results);
  if (services.length === 0) return ["No service could be tested."];
  return [
    `Score ${Math.round(entry.score)} % over ${entry.services_tested} tested service(s):`,
    "",
    "| service | result | detail |",
    "| --- | --- | --- |",
    ...services.map(([name, result]) => `| ${text(name)} | ${result.result} | ${text(result.error ?? result.status ?? "")} |`),
  ];
}

function mastodonDetails(entry: MastodonInstance): string[] {
  const facts: [string, string][] = [
    ["Title", text(entry.title ?? entry.name)],
    ["Software", text(`${entry.software.name ?? "unknown"} ${entry.software.version ?? ""}`.trim())],
    ["Instance API", entry.api_version ?? "none (NodeInfo only)"],
    ["Active users (month)", String(entry.users.active_month ?? "unknown")],
    ["Registrations open", yesNo(entry.registrations.enabled)],
    ["Known peers", String(entry.peers_count ?? "unknown")],
    ["Rules", String(entry.rules_count ?? "unknown")],
  ];
  return ["| Mastodon API | |", "| --- | --- |", ...facts.map(([name, value]) => `| ${name} | ${value} |`)];
}

export function removalAnswer(listed: { index: number; consent: string | undefined } | null): string {
  if (!listed) return ["### Not on the list", "", "No listed instance has this URL's host: check the URL the instance is listed under (cobalt `api`, Mastodon `url`) and edit the issue."].join("\n");
  return [
    "### Listed",
    "",
    `This is entry ${listed.index} of data/list.json${listed.consent ? `; its consent record is ${text(listed.consent)}` : ", with no consent record"}.`,
    `A maintainer removes it by labelling this issue \`${APPROVED_LABEL}\`, which opens a pull request.`,
  ].join("\n");
}
