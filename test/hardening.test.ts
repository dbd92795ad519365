// The probe survives every instance: one run of the real probe against a fleet of hostile
// loopback servers, each with one pathology, and one healthy cobalt instance beside them.
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { HttpClient } from "../scripts/lib/http.ts";
import { parseList } from "../scripts/lib/list.ts";
import { assertValidOutput, runProbes } from "../scripts/lib/run.ts";
import { startFakeCobalt } from "./support/cobalt-server.ts";
import { loopbackResolver } from "./support/loopback.ts";
import { PATHOLOGIES, probeHostileFleet, startHostile, type FleetRun } from "./support/hostile-servers.ts";
import { assertSeedContract } from "./support/seed-contract.ts";

/** Why each hostile instance must end up offline. */
const EXPECTED_REASONS: Record<string, string> = {
  "never answers": "timeout",
  "sends the body one byte a second forever": "timeout",
  "closes the connection mid-body": "connection_reset",
  "answers 500": "http_500",
  "answers an HTML page with 200": "invalid_response",
  "answers invalid JSON": "invalid_response",
  "answers JSON nested millions of levels deep": "too_large",
  "answers JSON nested below the size cap": "invalid_response",
  "answers the right keys with the wrong types": "invalid_response",
  "sends a body of 300 MB": "too_large",
  "sends gzip that inflates to 4 GB": "too_large",
  "sends a header of 512 KB": "too_large",
  "redirects in a loop": "too_many_redirects",
  "answers 429 with Retry-After": "http_429",
  "redirects to an address the list does not allow": "address_not_allowed",
};

const MB = 1024 * 1024;

describe("a run against hostile instances", { timeout: 300_000 }, () => {
  let run: FleetRun;
  const entryOf = (name: string) => {
    const server = run.servers.find((candidate) => candidate.name === name);
    assert.ok(server, `no server for "${name}"`);
    return { server, entry: run.entries.get(server.url)! };
  };

  before(async () => {
    // Generous: only the two servers that never finish may reach it. The others must end
    // with their own reason, however late a busy machine lets them send.
    run = await probeHostileFleet(10_000);
  });

  it("covers every pathology of the fleet", () => {
    for (const name of Object.keys(PATHOLOGIES)) assert.ok(name in EXPECTED_REASONS, `no expectation for "${name}"`);
    assert.equal(run.servers.length, Object.keys(EXPECTED_REASONS).length);
  });

  it("publishes a schema-valid entry for every instance", () => {
    const entries = [...run.entries.values()];
    assert.equal(entries.length, run.servers.length + 1);
    assertValidOutput(entries);
  });

  it("keeps the old list's contract in every entry: no seed key is null, whatever the instance sent", () => {
    assertSeedContract([...run.entries.values()], ["youtube"]);
  });

  for (const [name, reason] of Object.entries(EXPECTED_REASONS)) {
    it(`marks an instance that ${name} offline, with the reason ${reason} and no values from it`, () => {
      const { entry } = entryOf(name);
      assert.equal(entry.kind, "cobalt");
      if (entry.kind !== "cobalt") return;
      assert.equal(entry.api_online, false);
      assert.equal(entry.offline_reason, reason);
      assert.equal(entry.api_generation, null);
      assert.equal(entry.version, "");
      assert.equal(entry.commit, "");
      assert.equal(entry.response_ms, null);
      assert.equal(entry.stale, false);
    });
  }

  it("leaves the healthy instance in the same run unaffected", () => {
    const entry = run.entries.get(run.healthyUrl)!;
    assert.equal(entry.kind, "cobalt");
    if (entry.kind !== "cobalt") return;
    assert.equal(entry.api_online, true);
    assert.equal(entry.offline_reason, null);
    assert.equal(entry.version, "10.9.3");
    assert.deepEqual(entry.services, { youtube: true });
    assert.equal(entry.score, 100);
  });

  it("stops reading a huge body near the cap instead of downloading it", () => {
    const { server } = entryOf("sends a body of 300 MB");
    assert.ok(server.produced() < 100 * MB, `the server produced ${server.produced()} bytes`);
  });

  it("counts the cap on a gzip bomb in decoded bytes", async () => {
    const bomb = await startHostile("bomb", PATHOLOGIES["sends gzip that inflates to 4 GB"]!);
    const http = new HttpClient({
      userAgent: "hardening-test", timeoutMs: 30_000, concurrency: 2, perHostConcurrency: 2,
      allowPrivateAddresses: ["127.0.0.1/32"], deadline: Date.now() + 30_000,
    });
    try {
      await assert.rejects(http.request(`${bomb.url}/`, { maxBytes: 100_000 }), { code: "too_large" });
      const { body } = await http.request(`${bomb.url}/`, { readAtMost: 100_000 });
      // Decoded bytes, and no more than one decoder chunk past the limit.
      assert.ok(body.length >= 100_000 && body.length < 100_000 + 64 * 1024, `read ${body.length} bytes`);
      assert.equal(body.toString("latin1").trim(), "");
    } finally {
      await http.close();
      await bomb.close();
    }
  });

  it("gives up at once on an instance whose Retry-After is longer than two rate-limit windows", async () => {
    const slow = await startHostile("slow reset", (_request, response) => {
      response.writeHead(429, { "content-type": "application/json", "retry-after": "600" });
      response.end('{"status":"error","error":{"code":"error.api.rate_exceeded"}}');
    });
    // Ten minutes would fit in this run's budget: the cap, not the budget, must refuse the wait.
    const http = new HttpClient({
      userAgent: "hardening-test", timeoutMs: 30_000, concurrency: 2, perHostConcurrency: 2,
      allowPrivateAddresses: ["127.0.0.1/32"], deadline: Date.now() + 15 * 60_000,
    });
    try {
      const started = performance.now();
      await assert.rejects(http.request(`${slow.url}/`), { code: "rate_limited", message: /longest wait allowed \(120 s\)/ });
      assert.ok(performance.now() - started < 60_000, "it did not wait the 600 s it was asked to");
      assert.equal(http.stats.requests, 1);
    } finally {
      await http.close();
      await slow.close();
    }
  });

  it("never connects to an address the list does not allow, even through a redirect", () => {
    assert.equal(run.forbidden.connections(), 0);
    assert.ok(entryOf("redirects to an address the list does not allow").server.connections() > 0);
  });
});

describe("a list whose service is named like a built-in property", () => {
  it("publishes a valid result for a service called constructor", async () => {
    const server = await startFakeCobalt({ generation: "v7", apiKey: "secret" });
    try {
      const list = parseList("list.json", JSON.stringify({
        title: "prototype keys",
        probe: { allowPrivateAddresses: ["127.0.0.1/32"], timeoutMs: 30_000 },
        services: { youtube: "https://www.youtube.com/watch?v=jNQXAC9IVRw", constructor: "https://example.com/video" },
        instances: [{ kind: "cobalt", api: server.url }],
      }));
      const { entries } = await runProbes({ list, resolve: loopbackResolver() });
      assertValidOutput(entries);
      const [entry] = entries;
      assert.equal(entry!.kind, "cobalt");
      if (entry!.kind !== "cobalt") return;
      assert.deepEqual(entry.service_results.constructor, { result: "untested", status: null, error: "error.api.auth.key.missing" });
    } finally {
      await server.close();
    }
  });
});
