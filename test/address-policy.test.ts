// No request goes to a loopback, private, link-local or other special-purpose address
// unless the list allows it: checked on the resolved address at connect time and on every
// redirect hop. Proven with real loopback servers and an injected resolver; no traffic is
// ever sent to a real private or link-local address.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { AddressPolicy } from "../scripts/lib/address-policy.ts";
import { HttpClient, ProbeHttpError, type HttpClientOptions, type Resolver } from "../scripts/lib/http.ts";
import { PATHOLOGIES, redirectTo, startHostile, type HostileServer } from "./support/hostile-servers.ts";

describe("AddressPolicy with the default setting (false)", () => {
  const policy = new AddressPolicy(false);
  const refused = [
    ["IPv4 loopback", "127.0.0.1"], ["another IPv4 loopback", "127.0.0.2"], ["this network", "0.0.0.0"],
    ["10/8", "10.1.2.3"], ["172.16/12", "172.31.255.255"], ["192.168/16", "192.168.1.1"],
    ["carrier-grade NAT", "100.64.0.1"], ["the cloud metadata address", "169.254.169.254"],
    ["IPv4 link-local", "169.254.0.1"], ["documentation", "192.0.2.1"], ["benchmarking", "198.18.0.1"],
    ["IPv4 multicast", "224.0.0.251"], ["reserved", "240.0.0.1"], ["broadcast", "255.255.255.255"],
    ["IPv6 loopback", "::1"], ["IPv6 unspecified", "::"], ["IPv4-mapped loopback", "::ffff:127.0.0.1"],
    ["IPv4-mapped metadata address", "::ffff:169.254.169.254"], ["IPv4-mapped loopback in hex", "::ffff:7f00:1"],
    ["unique-local fc00::/7", "fc00::1"], ["unique-local fd00::/8", "fd12:3456:789a::1"],
    ["IPv6 link-local", "fe80::1"], ["IPv6 link-local, upper end", "febf::1"], ["IPv6 multicast", "ff02::1"],
    ["IPv4-compatible loopback", "::127.0.0.1"], ["IPv4-compatible loopback in hex", "::7f00:1"],
    ["IPv4-compatible, even of a public address", "::808:808"], ["IPv4-translated loopback", "::ffff:0:7f00:1"],
    ["IPv4-translated, even of a public address", "::ffff:0:8.8.8.8"], ["the IPv6 dummy prefix", "100:0:0:1::1"],
    ["discard-only", "100::1"], ["NAT64 local-use", "64:ff9b:1::1"], ["ORCHIDv2", "2001:20::1"],
    ["IPv6 documentation 3fff::/20", "3fff:fff::1"], ["segment routing", "5f00::1"],
    ["NAT64", "64:ff9b::a9fe:a9fe"], ["6to4", "2002:7f00:1::"], ["Teredo", "2001::1"], ["IPv6 documentation", "2001:db8::1"],
    ["not an address", "localhost"], ["an empty string", ""],
  ];
  for (const [what, address] of refused) {
    it(`refuses ${what} (${address})`, () => assert.equal(policy.allows(address!), false));
  }

  const allowed = [["a public IPv4 address", "93.184.216.34"], ["a public IPv6 address", "2606:4700::6810:84e5"], ["IPv4-mapped public", "::ffff:93.184.216.34"]];
  for (const [what, address] of allowed) {
    it(`allows ${what} (${address})`, () => assert.equal(policy.allows(address!), true));
  }
});

describe("AddressPolicy with CIDR ranges", () => {
  it("allows exactly the listed ranges, and public addresses still", () => {
    const policy = new AddressPolicy(["127.0.0.1/32", "fd00:1::/64"]);
    assert.equal(policy.allows("127.0.0.1"), true);
    assert.equal(policy.allows("::ffff:127.0.0.1"), true);
    assert.equal(policy.allows("127.0.0.2"), false);
    assert.equal(policy.allows("10.0.0.1"), false);
    assert.equal(policy.allows("fd00:1::5"), true);
    assert.equal(policy.allows("fd00:2::5"), false);
    assert.equal(policy.allows("::1"), false);
    assert.equal(policy.allows("93.184.216.34"), true);
  });

  it("allows a whole private network when asked", () => {
    const policy = new AddressPolicy(["10.0.0.0/8"]);
    assert.equal(policy.allows("10.255.0.1"), true);
    assert.equal(policy.allows("11.0.0.1"), true);
    assert.equal(policy.allows("192.168.0.1"), false);
  });

  it("allows every address with true", () => {
    const policy = new AddressPolicy(true);
    for (const address of ["127.0.0.1", "169.254.169.254", "fe80::1"]) assert.equal(policy.allows(address), true);
  });

  it("rejects a range that is not CIDR, naming it", () => {
    assert.throws(() => new AddressPolicy(["127.0.0.1"]), /"127\.0\.0\.1" is not a CIDR range/);
    assert.throws(() => new AddressPolicy(["example.com/8"]), /"example\.com\/8" is not a CIDR range/);
  });
});

/** A client like the probe's, with the given resolver and setting (and generous timeouts: no test here waits for one). */
function client(allowPrivateAddresses: HttpClientOptions["allowPrivateAddresses"], resolve: Resolver): HttpClient {
  return new HttpClient({
    userAgent: "address-policy-test", timeoutMs: 30_000, concurrency: 4, perHostConcurrency: 2,
    allowPrivateAddresses, deadline: Date.now() + 30_000, resolve,
  });
}

async function refusal(promise: Promise<unknown>): Promise<ProbeHttpError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ProbeHttpError, String(error));
    return error;
  }
  assert.fail("the request was not refused");
}

describe("the HTTP client at connect time", () => {
  let target: HostileServer;
  let elsewhere: HostileServer;
  let redirector: HostileServer;

  before(async () => {
    target = await startHostile("target", PATHOLOGIES["answers 500"]!);
    // Linux routes all of 127/8 to loopback: a second loopback address outside 127.0.0.1/32.
    elsewhere = await startHostile("elsewhere", PATHOLOGIES["answers 500"]!, "127.0.0.2");
    redirector = await startHostile("redirector", redirectTo(`${elsewhere.url}/`));
  });
  after(async () => {
    await Promise.all([target.close(), elsewhere.close(), redirector.close()]);
  });

  it("refuses a host name that resolves to a disallowed address, without connecting", async () => {
    const before = target.connections();
    const http = client(false, async () => [{ address: "127.0.0.1", family: 4 }]);
    try {
      const error = await refusal(http.request(`http://innocent.example:${new URL(target.url).port}/`));
      assert.equal(error.code, "address_not_allowed");
      assert.match(error.message, /innocent\.example resolves to 127\.0\.0\.1/);
    } finally {
      await http.close();
    }
    assert.equal(target.connections(), before);
  });

  it("refuses a host name when any of its addresses is disallowed", async () => {
    const before = target.connections();
    const http = client(["127.0.0.1/32"], async () => [{ address: "127.0.0.1", family: 4 }, { address: "169.254.169.254", family: 4 }]);
    try {
      assert.equal((await refusal(http.request(`http://split.example:${new URL(target.url).port}/`))).code, "address_not_allowed");
    } finally {
      await http.close();
    }
    assert.equal(target.connections(), before);
  });

  it("refuses a URL that names a disallowed address directly, without asking the resolver", async () => {
    const before = target.connections();
    const http = client(false, async () => assert.fail("the resolver must not be asked about an IP address"));
    try {
      assert.equal((await refusal(http.request(`${target.url}/`))).code, "address_not_allowed");
    } finally {
      await http.close();
    }
    assert.equal(target.connections(), before);
  });

  it("connects to the resolved address once it is allowed", async () => {
    const before = target.connections();
    const http = client(["127.0.0.1/32"], async () => [{ address: "127.0.0.1", family: 4 }]);
    try {
      const response = await http.request(`http://allowed.example:${new URL(target.url).port}/`);
      assert.equal(response.status, 500);
    } finally {
      await http.close();
    }
    assert.equal(target.connections(), before + 1);
  });

  it("refuses a redirect from an allowed loopback server to another loopback address, without connecting to it", async () => {
    const before = elsewhere.connections();
    const http = client(["127.0.0.1/32"], async () => assert.fail("no name to resolve"));
    try {
      assert.equal((await refusal(http.request(`${redirector.url}/`))).code, "address_not_allowed");
    } finally {
      await http.close();
    }
    assert.ok(redirector.connections() > 0);
    assert.equal(elsewhere.connections(), before);
  });

  it("tries each allowed address in turn, IPv6 then IPv4, when the first does not answer", async () => {
    const before = target.connections();
    // Nothing listens on [::1] at the target's port: refused at once, as on a machine without IPv6.
    const http = client(["127.0.0.1/32", "::1/128"], async () => [{ address: "::1", family: 6 }, { address: "127.0.0.1", family: 4 }]);
    try {
      assert.equal((await http.request(`http://dual-stack.example:${new URL(target.url).port}/`)).status, 500);
    } finally {
      await http.close();
    }
    assert.equal(target.connections(), before + 1);
  });

  it("tries the next IPv4 address, and then an IPv6 one, before giving up", async () => {
    const v6 = await startHostile("on [::1]", PATHOLOGIES["answers 500"]!, "::1");
    const port = new URL(v6.url.replace("::1", "[::1]")).port;
    const http = client(["127.0.0.0/8", "::1/128"], async () => [{ address: "127.0.0.2", family: 4 }, { address: "127.0.0.3", family: 4 }, { address: "::1", family: 6 }]);
    try {
      assert.equal((await http.request(`http://v4-first.example:${port}/`)).status, 500);
      assert.equal(v6.connections(), 1);
    } finally {
      await http.close();
      await v6.close();
    }
  });

  it("gives up with the last address's error when none answers", async () => {
    const closed = await startHostile("closed", PATHOLOGIES["answers 500"]!);
    const port = new URL(closed.url).port;
    await closed.close();
    const http = client(["127.0.0.0/8", "::1/128"], async () => [{ address: "::1", family: 6 }, { address: "127.0.0.1", family: 4 }]);
    try {
      assert.equal((await refusal(http.request(`http://nobody.example:${port}/`))).code, "connection_refused");
    } finally {
      await http.close();
    }
  });

  it("follows the same redirect when the list allows the target's range", async () => {
    const before = elsewhere.connections();
    const http = client(["127.0.0.0/8"], async () => assert.fail("no name to resolve"));
    try {
      assert.equal((await http.request(`${redirector.url}/`)).status, 500);
    } finally {
      await http.close();
    }
    assert.equal(elsewhere.connections(), before + 1);
  });
});
