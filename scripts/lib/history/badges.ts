// shields.io endpoint badges (https://shields.io/badges/endpoint-badge): one small JSON
// per instance and figure (site/assets/badge-markdown.js writes the Markdown that embeds one).
import type { History } from "./derive.ts";

export interface EndpointBadge {
  schemaVersion: 1;
  label: string;
  message: string;
  color: string;
}

function colorFor(percent: number | null): string {
  if (percent === null) return "lightgrey";
  if (percent >= 99) return "brightgreen";
  if (percent >= 95) return "green";
  if (percent >= 80) return "yellow";
  if (percent >= 50) return "orange";
  return "red";
}

const formatPercent = (value: number) => `${Number.isInteger(value) ? value : value.toFixed(value >= 99.9 ? 2 : 1)}%`;

/** Uptime over 30 days, with the hysteresis status when the instance is down now. */
export function uptimeBadge(history: History | undefined): EndpointBadge {
  const uptime = history?.uptime["30d"] ?? null;
  if (uptime === null) return { schemaVersion: 1, label: "uptime 30d", message: "no data", color: "lightgrey" };
  const down = history?.status === "down";
  return { schemaVersion: 1, label: "uptime 30d", message: `${formatPercent(uptime)}${down ? " (down)" : ""}`, color: down ? "red" : colorFor(uptime) };
}

export function scoreBadge(score: number | null | undefined): EndpointBadge {
  if (typeof score !== "number") return { schemaVersion: 1, label: "score", message: "untested", color: "lightgrey" };
  return { schemaVersion: 1, label: "score", message: formatPercent(score), color: colorFor(score) };
}
