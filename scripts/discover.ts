// `npm run discover`: reads the peers of the listed Mastodon servers and prints the peers
// that answer NodeInfo, most-known first, for a maintainer to review and add by hand.
// It never edits the list: being federated with a listed server says nothing of trust.
import { parseArgs } from "node:util";
import { failWith } from "./lib/fail.ts";
import { HttpClient, type Http } from "./lib/http.ts";
import { hostOf, loadList, type InstanceList, type MastodonListEntry } from "./lib/list.ts";
import { guardOutput } from "./lib/log.ts";
import { SELF_SIZED, userAgent } from "./lib/run.ts";
import { AdaptiveLimit } from "./lib/concurrency.ts";
import { nodeInfo, type NodeInfo } from "./probes/mastodon.ts";

const USAGE = "usage: npm run discover -- [--list data/list.json] [--limit 50] [--scheme https]";
const PEERS_BYTES = 8 * 1024 * 1024;
/** A peer is a bare host name (with a port at most); anything else is not followed. */
const PEER = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/;

export interface Candidate {
  host: string;
  /** How many listed servers know this peer. */
  knownBy: number;
  software: string | null;
  version: string | null;
  users: number | null;
  openRegistrations: boolean | null;
}

export interface DiscoverOptions {
  list: InstanceList;
  http: Http;
  /** Peers to check at most, the ones known by most listed servers first. */
  limit: number;
  /** How peers are reached: `https` (tests use `http`). */
  scheme?: "https" | "http";
}

export async function discover({ list, http, limit, scheme = "https" }: DiscoverOptions): Promise<Candidate[]> {
  const servers = list.instances.filter((entry): entry is MastodonListEntry => entry.kind === "mastodon");
  const listed = new Set(list.instances.map((entry) => hostOf(entry.kind === "mastodon" ? entry.url : entry.api).toLowerCase()));
  const knownBy = new Map<string, number>();
  const peerLists = await Promise.all(servers.map((server) => peersOf(server.url, http)));
  for (const peers of peerLists) {
    for (const peer of new Set(peers)) if (!listed.has(peer)) knownBy.set(peer, (knownBy.get(peer) ?? 0) + 1);
  }
  const toCheck = [...knownBy].sort(([a, x], [b, y]) => y - x || a.localeCompare(b)).slice(0, limit);
  const checked = await Promise.all(toCheck.map(async ([host, count]) => {
    const info = await nodeInfo(new URL(`${scheme}://${host}/`), http).catch(() => null);
    if (!isNodeInfo(info)) return null;
    return { host, knownBy: count, software: info.name, version: info.version, users: info.users, openRegistrations: info.openRegistrations };
  }));
  return checked.filter((candidate) => candidate !== null);
}

async function peersOf(url: string, http: Http): Promise<string[]> {
  try {
    const base = url.endsWith("/") ? url : `${url}/`;
    const { response, json } = await http.json(new URL("api/v1/instance/peers", base).href, { maxBytes: PEERS_BYTES });
    if (response.status !== 200 || !Array.isArray(json)) return [];
    return json.filter((peer): peer is string => typeof peer === "string").map((peer) => peer.trim().toLowerCase()).filter((peer) => PEER.test(peer));
  } catch {
    return [];
  }
}

function isNodeInfo(value: unknown): value is NodeInfo {
  return typeof value === "object" && value !== null && "openRegistrations" in value && "name" in value;
}

/** One line per candidate, aligned, with nothing a peer sent left unescaped for a terminal. */
export function formatCandidates(candidates: Candidate[]): string {
  const clean = (value: unknown) => value === null ? "–" : String(value).replace(/[^\x20-\x7e]/g, "?").slice(0, 40);
  const rows = [["host", "known by", "software", "version", "users", "open"],
    ...candidates.map((c) => [c.host, String(c.knownBy), clean(c.software), clean(c.version), clean(c.users), c.openRegistrations === null ? "–" : c.openRegistrations ? "yes" : "no"])];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd()).join("\n");
}

function usageError(message: string): Error {
  return Object.assign(new Error(message), { name: "UsageError" });
}

async function run(): Promise<void> {
  const { values } = parseArgs({
    options: {
      list: { type: "string", default: "data/list.json" },
      limit: { type: "string", default: "50" },
      scheme: { type: "string", default: "https" },
      help: { type: "boolean" },
    },
    strict: true,
  });
  if (values.help) return console.log(USAGE);
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw usageError(`--limit must be a whole number above 0, not "${values.limit}"\n${USAGE}`);
  if (values.scheme !== "https" && values.scheme !== "http") throw usageError(`--scheme must be https or http, not "${values.scheme}"\n${USAGE}`);
  const list = loadList(values.list);
  const http = new HttpClient({
    userAgent: userAgent(list),
    timeoutMs: list.probe.timeoutMs,
    concurrency: list.probe.concurrency ?? new AdaptiveLimit(SELF_SIZED),
    perHostConcurrency: list.probe.perHostConcurrency,
    allowPrivateAddresses: list.probe.allowPrivateAddresses,
    deadline: Date.now() + list.probe.budgetMs,
  });
  try {
    const candidates = await discover({ list, http, limit, scheme: values.scheme });
    console.log(formatCandidates(candidates));
    console.log(`\n${candidates.length} candidates answer NodeInfo. Review each before adding it to ${values.list} by hand.`);
  } finally {
    await http.close();
  }
}

if (import.meta.main) {
  guardOutput();
  try {
    await run();
  } catch (error) {
    failWith(error, ["UsageError"]);
  }
}
