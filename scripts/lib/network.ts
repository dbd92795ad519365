// The network keys of an entry: the addresses its listed host resolved to and whether it
// answers over IPv6, from the connections the run made to it (scripts/lib/http.ts records
// them). No extra lookup: the resolver the connector uses anyway gave the addresses.
import { isIP } from "node:net";

/** At most this many addresses of each family are published: a DNS answer can hold hundreds. */
export const MAX_ADDRESSES = 16;

/** What this run's connections learnt about one origin. */
export interface HostNetwork {
  /** Every address the host resolved to, as the resolver gave them. */
  addresses: string[];
  /** true: a connection over IPv6 succeeded; false: one was tried and failed; null: none was tried, or this machine cannot reach IPv6. */
  ipv6: boolean | null;
}

export interface NetworkKeys {
  ipv4_addresses: string[] | null;
  ipv6_addresses: string[] | null;
  answers_ipv6: boolean | null;
}

/** An address in its one canonical text (IPv6 lower case and compressed, RFC 5952), or null when it is none. */
export function canonicalAddress(address: string): string | null {
  const family = isIP(address);
  if (family === 4) return address;
  if (family !== 6) return null;
  // The URL parser writes IPv6 hosts in RFC 5952 form; a zone (fe80::1%eth0) is not a host it accepts.
  const host = URL.parse(`http://[${address}]/`)?.hostname;
  return host ? host.slice(1, -1) : null;
}

/** The eight 16-bit groups of a canonical IPv6 address, each as four hex digits: sorts as the numbers do. */
function ipv6SortKey(address: string): string {
  const [head = "", tail] = address.split("::");
  const groups = (part: string) => (part === "" ? [] : part.split(":"));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const middle = Array.from({ length: 8 - left.length - right.length }, () => "0");
  return [...left, ...middle, ...right].map((group) => group.padStart(4, "0")).join(":");
}

const ipv4SortKey = (address: string) => address.split(".").map((octet) => octet.padStart(3, "0")).join(".");

/** The addresses of one family: canonical, without repeats, in numeric order, at most MAX_ADDRESSES. */
export function addressList(addresses: readonly string[], family: 4 | 6): string[] {
  const canonical = new Set<string>();
  for (const address of addresses) {
    const text = canonicalAddress(address);
    if (text !== null && isIP(text) === family) canonical.add(text);
  }
  const key = family === 4 ? ipv4SortKey : ipv6SortKey;
  return [...canonical].map((address) => [key(address), address] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).slice(0, MAX_ADDRESSES).map(([, address]) => address);
}

/**
 * The keys from what this run learnt (`network`, null when it never resolved the host: a DNS
 * failure, or an address the list does not allow), else the previous run's, as other values
 * of an instance that did not answer are kept.
 */
export function networkKeys(network: HostNetwork | null, previous: Partial<NetworkKeys> | undefined): NetworkKeys {
  if (network === null) {
    return {
      ipv4_addresses: previous?.ipv4_addresses ?? null,
      ipv6_addresses: previous?.ipv6_addresses ?? null,
      answers_ipv6: previous?.answers_ipv6 ?? null,
    };
  }
  const ipv6 = addressList(network.addresses, 6);
  return {
    ipv4_addresses: addressList(network.addresses, 4),
    ipv6_addresses: ipv6,
    // Without an IPv6 address there is nothing to answer on: unknown rather than a verdict.
    answers_ipv6: ipv6.length === 0 ? null : network.ipv6,
  };
}

/**
 * What a failed connection to an IPv6 address says: nothing when this machine has no route
 * to IPv6 (GitHub's hosted runners have none), else that the instance did not answer on it.
 */
export function ipv6FailureVerdict(error: unknown): false | null {
  const code = String((error as { code?: unknown }).code ?? "");
  return /^(ENETUNREACH|EHOSTUNREACH|EADDRNOTAVAIL|EAFNOSUPPORT|EPROTONOSUPPORT)$/.test(code) ? null : false;
}
