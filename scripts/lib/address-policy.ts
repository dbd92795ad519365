// Decides whether the probe may connect to an IP address: by default never to loopback,
// private, link-local or any other special-purpose range (IANA registries), so a listed
// host cannot turn the probe against the machine or network it runs in.
import { BlockList, isIP } from "node:net";

const SPECIAL_PURPOSE_V4 = [
  "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
  "192.0.0.0/24", "192.0.2.0/24", "192.31.196.0/24", "192.52.193.0/24", "192.88.99.0/24", "192.168.0.0/16",
  "192.175.48.0/24", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
];
// No ::ffff:0:0/96 here: BlockList matches IPv4 addresses against IPv4-mapped IPv6 rules, so
// that range would refuse every IPv4 address; mapped addresses are judged by the IPv4 rules.
// ::/96 (IPv4-compatible, deprecated) and ::ffff:0:0:0/96 (IPv4-translated) are refused
// whole: they reach IPv4 hosts by a path the IPv4 rules would not see.
const SPECIAL_PURPOSE_V6 = [
  "::/96", "::ffff:0:0:0/96", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "100:0:0:1::/64",
  "2001::/23", "2001:db8::/32", "2002::/16", "3fff::/20", "5f00::/16", "fc00::/7", "fe80::/10",
  "fec0::/10", "ff00::/8",
];

export type PrivateAddressSetting = boolean | string[];

function blockListOf(ranges: string[]): BlockList {
  const list = new BlockList();
  for (const range of ranges) {
    const [network, bits] = range.split("/");
    const family = isIP(network!);
    if (family === 0 || bits === undefined) throw new Error(`"${range}" is not a CIDR range such as 127.0.0.1/32`);
    list.addSubnet(network!, Number(bits), family === 4 ? "ipv4" : "ipv6");
  }
  return list;
}

const specialPurpose = blockListOf([...SPECIAL_PURPOSE_V4, ...SPECIAL_PURPOSE_V6]);

/** An IPv4 address written as IPv6 (::ffff:a.b.c.d) is judged as the IPv4 address it is. */
function unmapped(address: string): { address: string; type: "ipv4" | "ipv6" } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1]!, type: "ipv4" };
  return { address, type: isIP(address) === 4 ? "ipv4" : "ipv6" };
}

export class AddressPolicy {
  readonly #allowAll: boolean;
  readonly #allowed: BlockList;

  constructor(setting: PrivateAddressSetting) {
    this.#allowAll = setting === true;
    this.#allowed = blockListOf(Array.isArray(setting) ? setting : []);
  }

  /** Whether the address is in one of the ranges the list names (not merely public, nor allowed by `true`). */
  lists(address: string): boolean {
    const { address: ip, type } = unmapped(address);
    return isIP(ip) !== 0 && this.#allowed.check(ip, type);
  }

  /** Public addresses are always allowed; special-purpose ones only when the setting allows them. */
  allows(address: string): boolean {
    if (this.#allowAll) return true;
    const { address: ip, type } = unmapped(address);
    if (isIP(ip) === 0) return false;
    if (this.#allowed.check(ip, type)) return true;
    return !specialPurpose.check(ip, type);
  }
}
