// Two listed entries that are one backend: a cobalt server listed under two names (an API
// behind two host names, a mirror domain) answers with the same process start time and the
// same commit; two whose host names resolve to the same public addresses, on the same port,
// with no CDN in front of either, are one server. Marked on both pages, and counted once in
// the fleet's figures so that one server does not weigh twice in "works on 9 of 10". Pure:
// shared by the site and tests.
import type { Instance } from "./run.ts";
import { keyOf } from "./merge.ts";
import { AddressPolicy, type PrivateAddressSetting } from "./address-policy.ts";

/** What two entries of a group share: the process's start time and commit, or the set of addresses. */
export type SameBackendReason = "start_and_commit" | "same_addresses";

export interface SameBackend {
  /** Every entry of the group, in list order; the first is the one counted. */
  entries: Instance[];
  /** What they share, in this order; both when some pairs share one and some the other (or both). */
  reasons: SameBackendReason[];
  /** The addresses the entries share, when `same_addresses` is a reason (IPv4, then IPv6). */
  addresses: string[];
}

/** The signature two entries of one backend share, or null when it says nothing. */
function startSignature(entry: Instance): string | null {
  if (entry.kind !== "cobalt") return null;
  // startTime is the server process's own start in milliseconds: with the commit, two
  // distinct servers share it only by a coincidence of the same millisecond. 0 and "" are unknown.
  if (!(entry.startTime > 0) || !entry.commit) return null;
  return `${entry.startTime} ${entry.commit}`;
}

/**
 * The addresses and port as one signature, or null when they say nothing. A CDN answers for
 * many unrelated sites from the same addresses, so only an entry whose check found no CDN in
 * front of it (`cdn` null; a kind that does not look for one has no `cdn` and is never
 * grouped this way) counts. Two ports of one machine are two servers. Addresses that are not
 * public (a list may allow private ones for tests and private fleets) count only when the
 * list allows them.
 */
function addressSignature(entry: Instance, policy: AddressPolicy): { key: string; addresses: string[] } | null {
  if (entry.kind !== "cobalt" || entry.cdn !== null) return null;
  const addresses = [...(entry.ipv4_addresses ?? []), ...(entry.ipv6_addresses ?? [])];
  if (addresses.length === 0 || !addresses.every((address) => policy.allows(address))) return null;
  const url = URL.parse(entry.api_url);
  if (!url) return null;
  // The lists are sorted and canonical (scripts/lib/network.ts): equal sets are equal text.
  return { key: `${entry.kind} ${url.port || (url.protocol === "https:" ? "443" : "80")} ${addresses.join(" ")}`, addresses };
}

/** The groups of two or more entries that are one backend, in list order. */
export function sameBackends(entries: readonly Instance[], allowPrivateAddresses: PrivateAddressSetting = false): SameBackend[] {
  const policy = new AddressPolicy(allowPrivateAddresses);
  // Entries joined by either signature are one group (a union of the pairs that share one).
  const parent = entries.map((_, index) => index);
  const root = (index: number): number => (parent[index] === index ? index : (parent[index] = root(parent[index]!)));
  const joined: Array<{ a: number; b: number; reason: SameBackendReason }> = [];
  const join = (a: number, b: number, reason: SameBackendReason) => {
    joined.push({ a, b, reason });
    const [x, y] = [root(a), root(b)];
    if (x !== y) parent[Math.max(x, y)] = Math.min(x, y);
  };
  const firstWith = new Map<string, number>();
  const shared = new Map<number, string[]>();
  entries.forEach((entry, index) => {
    const start = startSignature(entry);
    if (start !== null) {
      const key = `start ${start}`;
      const first = firstWith.get(key);
      if (first === undefined) firstWith.set(key, index);
      else join(first, index, "start_and_commit");
    }
    const signature = addressSignature(entry, policy);
    if (signature !== null) {
      const { key, addresses } = signature;
      const first = firstWith.get(`addresses ${key}`);
      if (first === undefined) firstWith.set(`addresses ${key}`, index);
      else {
        join(first, index, "same_addresses");
        shared.set(first, addresses);
      }
    }
  });
  const groups = new Map<number, number[]>();
  const grouped = [...new Set(joined.flatMap(({ a, b }) => [a, b]))].sort((x, y) => x - y);
  for (const index of grouped) {
    const top = root(index);
    const members = groups.get(top);
    if (members) members.push(index);
    else groups.set(top, [index]);
  }
  return [...groups.entries()]
    .map(([top, members]) => {
      const links = joined.filter(({ a }) => root(a) === top);
      const reasons = (["start_and_commit", "same_addresses"] as const).filter((reason) => links.some((link) => link.reason === reason));
      const addresses = links.filter((link) => link.reason === "same_addresses").flatMap((link) => shared.get(link.a) ?? []);
      return { entries: members.map((index) => entries[index]!), reasons, addresses: [...new Set(addresses)] };
    });
}

/** The history keys of the entries that repeat a backend counted already: left out of fleet figures. */
export function repeatedKeys(groups: readonly SameBackend[]): Set<string> {
  return new Set(groups.flatMap((group) => group.entries.slice(1).map(keyOf)));
}
