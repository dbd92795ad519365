// Network facts from the connections the probe makes anyway: the addresses a listed host
// resolved to and whether it answers over IPv6. The real probe against loopback servers on
// IPv4 (127.0.0.x) and IPv6 (::1), with host names resolved by an injected resolver.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { startFakeCobalt } from "./support/cobalt-server.ts";
import { mastodon4, startFakeMastodon } from "./support/mastodon-server.ts";
import { ipv6LoopbackWorks, type Loopback } from "./support/loopback.ts";
import { parseList } from "../scripts/lib/list.ts";
import { runProbes, type Instance } from "../scripts/lib/run.ts";
import { entryProblems } from "../scripts/lib/schemas.ts";
import { addressList, canonicalAddress, ipv6FailureVerdict, MAX_ADDRESSES, networkKeys } from "../scripts/lib/network.ts";
import { sameBackends } from "../scripts/lib/duplicates.ts";

const LINK = "https://www.youtube.com/watch?v=jNQXAC9IVRw";

describe("addresses as published", () => {
  it("are canonical, without repeats, in numeric order and capped", () => {
    assert.equal(canonicalAddress("2001:DB8:0:0:0:0:0:1"), "2001:db8::1");
    assert.equal(canonicalAddress("0:0:0:0:0:0:0:1"), "::1");
    assert.equal(canonicalAddress("fe80::1%eth0"), null);
    assert.equal(canonicalAddress("not an address"), null);
    assert.deepEqual(addressList(["10.0.0.10", "10.0.0.9", "9.255.0.1", "10.0.0.9", "::1"], 4), ["9.255.0.1", "10.0.0.9", "10.0.0.10"]);
    assert.deepEqual(addressList(["2001:db8::10", "2001:DB8::9", "::1", "2001:db8:0:0:1::", "127.0.0.1"], 6), ["::1", "2001:db8::9", "2001:db8::10", "2001:db8:0:0:1::"]);
    const many = Array.from({ length: 300 }, (_, index) => `192.0.${index >> 8}.${index & 255}`);
    assert.equal(addressList(many, 4).length, MAX_ADDRESSES);
  });

  it("pass the schema whatever a resolver answers", () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.ipV4(), fc.ipV6(), fc.string({ maxLength: 40 })), { maxLength: 60 }), fc.option(fc.boolean()), (addresses, ipv6) => {
      const keys = networkKeys({ addresses, ipv6 }, undefined);
      for (const list of [keys.ipv4_addresses!, keys.ipv6_addresses!]) assert.ok(list.length <= MAX_ADDRESSES && new Set(list).size === list.length);
      const entry = { kind: "mastodon", ...keys } as unknown as Instance;
      return entryProblems(entry).every((problem) => !/addresses|answers_ipv6/.test(problem));
    }));
  });

  it("are kept from the previous check when this one never resolved the host", () => {
    const previous = { ipv4_addresses: ["192.0.2.1"], ipv6_addresses: ["2001:db8::1"], answers_ipv6: true };
    assert.deepEqual(networkKeys(null, previous), previous);
    assert.deepEqual(networkKeys(null, undefined), { ipv4_addresses: null, ipv6_addresses: null, answers_ipv6: null });
    assert.deepEqual(networkKeys({ addresses: ["192.0.2.2"], ipv6: null }, previous), { ipv4_addresses: ["192.0.2.2"], ipv6_addresses: [], answers_ipv6: null }, "a fresh answer replaces them");
  });

  it("say nothing of IPv6 when this machine has no route to it", () => {
    assert.equal(ipv6FailureVerdict(Object.assign(new Error("connect ENETUNREACH"), { code: "ENETUNREACH" })), null);
    assert.equal(ipv6FailureVerdict(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })), false);
    assert.equal(ipv6FailureVerdict(Object.assign(new Error("timeout"), { code: "UND_ERR_CONNECT_TIMEOUT" })), false);
  });
});

describe("network facts from a probe run", async () => {
  const ipv6 = await ipv6LoopbackWorks();
  const skip = ipv6 ? false : "this machine cannot listen on IPv6 loopback (::1)";
  const servers: Record<string, Loopback> = {};
  /** Host name → what the injected resolver answers, in that order. */
  const names: Record<string, string[]> = {
    "dual.test": ["127.0.0.1", "::1"],
    "six-first.test": ["::1", "127.0.0.2"],
    "no-six.test": ["127.0.0.4", "::1"],
    "four.test": ["127.0.0.5"],
    "social.test": ["127.0.0.7", "::1"],
    // One server under two names, which DNS answers in different orders.
    "mirror-a.test": ["127.0.0.3", "::1"],
    "mirror-b.test": ["::1", "127.0.0.3"],
  };
  const allowed = ["127.0.0.0/8", "::1/128"];
  /** Per server, the peer address of each connection it accepted and of each request. */
  const seen = new Map<Loopback, { connections: string[]; requests: string[] }>();
  const isIpv6 = (address: string) => address === "::1";
  const entries = new Map<string, Instance>();

  before(async () => {
    if (skip) return;
    const outcomes = { [LINK]: { status: "redirect" as const } };
    // "::" accepts IPv4 (any 127.x) and IPv6 loopback alike; 127.0.0.4 alone refuses ::1.
    servers.dual = await startFakeCobalt({ outcomes, host: "::" });
    servers.sixFirst = await startFakeCobalt({ outcomes, host: "::" });
    servers.noSix = await startFakeCobalt({ outcomes, host: "127.0.0.4" });
    servers.four = await startFakeCobalt({ outcomes, host: "127.0.0.5" });
    servers.social = await startFakeMastodon(mastodon4, "::");
    servers.mirror = await startFakeCobalt({ outcomes, host: "::" });
    for (const server of Object.values(servers)) {
      const peers = { connections: [] as string[], requests: [] as string[] };
      seen.set(server, peers);
      // A dual-stack socket sees IPv4 peers as ::ffff:127.x.
      server.server.on("connection", (socket) => peers.connections.push(socket.remoteAddress ?? ""));
      server.server.on("request", (request) => peers.requests.push(request.socket.remoteAddress ?? ""));
    }
    const url = (name: string, server: Loopback) => `http://${name}:${server.port}`;
    const listed = [
      { kind: "cobalt", api: url("dual.test", servers.dual) },
      { kind: "cobalt", api: url("six-first.test", servers.sixFirst) },
      { kind: "cobalt", api: url("no-six.test", servers.noSix) },
      { kind: "cobalt", api: url("four.test", servers.four) },
      { kind: "cobalt", api: "http://nowhere.test:9" },
      { kind: "mastodon", url: url("social.test", servers.social) },
      { kind: "cobalt", api: url("mirror-a.test", servers.mirror) },
      { kind: "cobalt", api: url("mirror-b.test", servers.mirror) },
    ];
    const list = parseList("network-list.json", JSON.stringify({
      title: "network facts",
      probe: { allowPrivateAddresses: allowed, timeoutMs: 20_000 },
      services: { youtube: LINK },
      instances: listed,
    }));
    const resolve = async (hostname: string) => {
      const answer = names[hostname];
      if (!answer) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
      return answer.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
    };
    const previous = [{ ...(await runProbes({ list: { ...list, instances: [list.instances[4]!] }, resolve: async () => [{ address: "127.0.0.9", family: 4 }] })).entries[0]! }];
    const run = await runProbes({ list, resolve, previous });
    for (const entry of run.entries) entries.set(entry.kind === "cobalt" ? entry.api : entry.url, entry);
  });

  after(async () => {
    await Promise.all(Object.values(servers).map((server) => server.close()));
  });

  const facts = (host: string) => {
    const entry = entries.get(host);
    assert.ok(entry, `no entry for ${host}`);
    return { ipv4: entry.ipv4_addresses, ipv6: entry.ipv6_addresses, answers: entry.answers_ipv6 };
  };
  const port = (name: string) => servers[name]!.port;

  it("publishes the addresses each host resolved to, and every entry passes the schema", { skip }, () => {
    assert.deepEqual(facts(`dual.test:${port("dual")}`), { ipv4: ["127.0.0.1"], ipv6: ["::1"], answers: true });
    assert.deepEqual(facts(`four.test:${port("four")}`), { ipv4: ["127.0.0.5"], ipv6: [], answers: null }, "no AAAA: nothing to answer on");
    for (const entry of entries.values()) assert.deepEqual(entryProblems(entry), []);
  });

  it("proves IPv6 by one extra connection when IPv4 answered first, and sends no request over it", { skip }, () => {
    const dual = seen.get(servers.dual!)!;
    assert.equal(dual.connections.filter(isIpv6).length, 1, `connections: ${dual.connections.join(", ")}`);
    assert.ok(dual.requests.length > 0 && !dual.requests.some(isIpv6), `requests: ${dual.requests.join(", ")}`);
  });

  it("takes the IPv6 connection the probe made anyway when DNS named IPv6 first", { skip }, () => {
    assert.deepEqual(facts(`six-first.test:${port("sixFirst")}`), { ipv4: ["127.0.0.2"], ipv6: ["::1"], answers: true });
    assert.ok(seen.get(servers.sixFirst!)!.connections.every(isIpv6), "IPv4 was never needed");
  });

  it("says false when a host's IPv6 address refuses the connection", { skip }, () => {
    const entry = entries.get(`no-six.test:${port("noSix")}`)!;
    assert.equal(entry.api_online, true, "it still answers over IPv4");
    assert.deepEqual(facts(`no-six.test:${port("noSix")}`), { ipv4: ["127.0.0.4"], ipv6: ["::1"], answers: false });
  });

  it("records the same for a Mastodon server", { skip }, () => {
    const entry = [...entries.values()].find((candidate) => candidate.kind === "mastodon")!;
    assert.deepEqual({ ipv4: entry.ipv4_addresses, ipv6: entry.ipv6_addresses, answers: entry.answers_ipv6 }, { ipv4: ["127.0.0.7"], ipv6: ["::1"], answers: true });
  });

  it("finds the two names of one server as one backend, by their addresses and their start time", { skip }, () => {
    const names = (group: ReturnType<typeof sameBackends>[number]) => group.entries.map((entry) => (entry.kind === "cobalt" ? entry.api : ""));
    const groups = sameBackends([...entries.values()], allowed);
    assert.deepEqual(groups.map((group) => [group.reasons, names(group), group.addresses]), [
      [["start_and_commit", "same_addresses"], [`mirror-a.test:${port("mirror")}`, `mirror-b.test:${port("mirror")}`], ["127.0.0.3", "::1"]],
    ]);
    // Without its start time (cobalt 7 has none that says much, a proxy may hide it), the addresses alone tell.
    const withoutStart = [...entries.values()].map((entry) => (entry.kind === "cobalt" ? { ...entry, startTime: 0 } : entry));
    assert.deepEqual(sameBackends(withoutStart, allowed).map((group) => [group.reasons, names(group)]), [[["same_addresses"], [`mirror-a.test:${port("mirror")}`, `mirror-b.test:${port("mirror")}`]]]);
    assert.deepEqual(sameBackends(withoutStart), [], "loopback addresses say nothing to a list that does not allow them");
  });

  it("keeps the previous addresses of a host that no longer resolves", { skip }, () => {
    assert.deepEqual(facts("nowhere.test:9"), { ipv4: ["127.0.0.9"], ipv6: [], answers: null });
    assert.equal(entries.get("nowhere.test:9")!.offline_reason, "dns");
  });
});
