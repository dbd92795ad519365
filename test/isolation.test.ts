// One instance costs only its own row: values the schema would refuse are normalised away,
// an entry that fails the schema anyway keeps its previous values, and the site builds from
// whatever the probe published. Each hostile answer is probed by the real `npm run probe`
// beside an honest instance, as a list of two.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { mastodon4, nodeInfoDocument, startFakeMastodon, type Routes } from "./support/mastodon-server.ts";
import { ACTIVITY, EXTENDED_DESCRIPTION, V2_INSTANCE } from "./support/mastodon-examples.ts";
import { sendJson, startServer, temporaryDirectory, writeJson, type Loopback } from "./support/loopback.ts";
import { runScript } from "./support/cli.ts";
import { buildSite } from "./support/site-data.ts";
import { assertValidOutput, runProbes, type Instance } from "../scripts/lib/run.ts";
import { parseList } from "../scripts/lib/list.ts";
import { KINDS } from "../scripts/probes/index.ts";
import { loopbackResolver } from "./support/loopback.ts";
import type { CobaltInstance, MastodonInstance } from "../scripts/schema-types.ts";

/** Mastodon 4 with one part of one answer replaced. */
function mastodonWith(change: (base: string, routes: ReturnType<Routes>) => void): Routes {
  return (base) => {
    const routes = mastodon4(base);
    change(base, routes);
    return routes;
  };
}

const HOSTILE_MASTODON: Record<string, Routes> = {
  "a v2 thumbnail URL the uri format refuses": mastodonWith((_, routes) => {
    routes["/api/v2/instance"] = { status: 200, json: { ...V2_INSTANCE, thumbnail: { ...V2_INSTANCE.thumbnail, url: "https://evil.example/a|b.png" } } };
  }),
  "an updated_at in year 0000 with an offset": mastodonWith((_, routes) => {
    routes["/api/v1/instance/extended_description"] = { status: 200, json: { ...EXTENDED_DESCRIPTION, updated_at: "0000-01-01T00:00:00+01:00" } };
  }),
  "an activity week in year 10000": mastodonWith((_, routes) => {
    routes["/api/v1/instance/activity"] = { status: 200, json: [{ ...ACTIVITY[0], week: "253402300800" }, ...ACTIVITY.slice(1)] };
  }),
  "a NodeInfo software name of 100 × İ": mastodonWith((base, routes) => {
    routes["/.well-known/nodeinfo"] = { status: 200, json: { links: [{ rel: "http://nodeinfo.diaspora.software/ns/schema/2.0", href: `${base}/nodeinfo/2.0` }] } };
    routes["/nodeinfo/2.0"] = { status: 200, json: nodeInfoDocument("2.0", { name: "İ".repeat(100), version: "4.2.1" }, { users: { total: 1 } }, true) };
  }),
};

interface TwoRun {
  code: number | null;
  stderr: string;
  entries: Instance[];
  instancesFile: string;
  listFile: string;
}

/** Probes a list of [honest, hostile] with the real CLI. */
async function probeTwo(parent: string, instances: unknown[]): Promise<TwoRun> {
  // A folder per run: each run keeps its own history beside its output.
  const dir = mkdtempSync(join(parent, "run-"));
  const listFile = join(dir, "list.json");
  const instancesFile = join(dir, "instances.json");
  writeJson(listFile, { title: "Isolation test", probe: { timeoutMs: 30_000, allowPrivateAddresses: ["127.0.0.1/32"] }, services: {}, instances });
  const run = await runScript("scripts/probe.ts", ["--list", listFile, "--out", instancesFile]);
  const entries = run.code === 0 ? JSON.parse(readFileSync(instancesFile, "utf8")) as Instance[] : [];
  return { code: run.code, stderr: run.stderr, entries, instancesFile, listFile };
}

describe("a hostile Mastodon answer beside an honest server", { timeout: 300_000 }, () => {
  const servers: Loopback[] = [];
  const folder = temporaryDirectory();
  let honest: Loopback;
  let alone: MastodonInstance;

  before(async () => {
    honest = await startFakeMastodon(mastodon4);
    servers.push(honest);
    const run = await probeTwo(folder.dir, [{ kind: "mastodon", url: honest.url }]);
    assert.equal(run.code, 0, run.stderr);
    alone = run.entries[0] as MastodonInstance;
  });
  after(async () => {
    await Promise.all(servers.map((server) => server.close()));
    folder.remove();
  });

  for (const [name, routes] of Object.entries(HOSTILE_MASTODON)) {
    it(`publishes both when one sends ${name}`, async () => {
      const hostile = await startFakeMastodon(routes);
      servers.push(hostile);
      const run = await probeTwo(folder.dir, [{ kind: "mastodon", url: honest.url }, { kind: "mastodon", url: hostile.url }]);
      assert.equal(run.code, 0, run.stderr);
      assertValidOutput(run.entries);
      const [first, second] = run.entries as MastodonInstance[];
      const comparable = (entry: MastodonInstance) => ({ ...entry, checked_at: null, data_updated_at: null, response_ms: null, history: null });
      assert.deepEqual(comparable(first!), comparable(alone));
      assert.equal(second!.api_online, true);
      assert.equal(second!.offline_reason, null);
      if (name.includes("thumbnail")) assert.equal(second!.thumbnail, null);
      if (name.includes("updated_at")) assert.equal(second!.extended_description_updated_at, null);
      if (name.includes("activity")) assert.deepEqual(second!.activity?.map((week) => week.week), alone.activity?.slice(0, -1).map((week) => week.week));
      if (name.includes("İ")) assert.equal(second!.software.name, "i̇".repeat(50));
    });
  }
});

describe("a cobalt startTime of 1e300", { timeout: 300_000 }, () => {
  const folder = temporaryDirectory();
  let hostile: Loopback;

  before(async () => {
    hostile = await startServer((request, response) => {
      if (request.method === "GET") return sendJson(response, 200, { cobalt: { version: "10.9.3", url: "http://x/", startTime: 1e300, services: [] }, git: { commit: "abc", branch: "main", remote: "imputnet/cobalt" } });
      sendJson(response, 400, { status: "error", error: { code: "error.api.service.unsupported" } });
    });
  });
  after(async () => {
    await hostile.close();
    folder.remove();
  });

  it("is published as unknown, and the site builds", async () => {
    const run = await probeTwo(folder.dir, [{ kind: "cobalt", api: hostile.url }]);
    assert.equal(run.code, 0, run.stderr);
    const entry = run.entries[0] as CobaltInstance;
    assert.equal(entry.api_online, true);
    assert.equal(entry.startTime, 0, "unknown, as the old list's number");
    const output = join(folder.dir, "_site");
    const build = await buildSite({ listFile: run.listFile, instancesFile: run.instancesFile, output });
    assert.equal(build.code, 0, build.stderr);
  });

  it("builds a site from every startTime the schema allows", async () => {
    const run = await probeTwo(folder.dir, [{ kind: "cobalt", api: hostile.url }]);
    assert.equal(run.code, 0, run.stderr);
    for (const startTime of [0, 8.64e15, 253402300800000]) {
      const entries = run.entries.map((entry) => ({ ...entry, startTime }));
      assertValidOutput(entries);
      writeJson(run.instancesFile, entries);
      const build = await buildSite({ listFile: run.listFile, instancesFile: run.instancesFile, output: join(folder.dir, `_site-${startTime}`) });
      assert.equal(build.code, 0, `startTime ${startTime}: ${build.stderr}`);
    }
  });
});

describe("an entry that fails the schema", { timeout: 180_000 }, () => {
  let honest: Loopback;
  let other: Loopback;

  before(async () => {
    honest = await startFakeMastodon(mastodon4);
    other = await startFakeMastodon(mastodon4);
  });
  after(async () => {
    await Promise.all([honest.close(), other.close()]);
  });

  it("keeps its previous values, marked stale with invalid_data, names the key, and costs no other entry its row", async () => {
    const list = parseList("list.json", JSON.stringify({
      title: "t", probe: { timeoutMs: 30_000, allowPrivateAddresses: ["127.0.0.1/32"] }, services: {},
      instances: [{ kind: "mastodon", url: honest.url }, { kind: "mastodon", url: other.url }],
    }));
    const first = await runProbes({ list, resolve: loopbackResolver(), now: () => new Date("2026-05-01T11:00:00Z") });
    assertValidOutput(first.entries);
    // A mistake of the probe's own on one instance, which no normaliser caught.
    const real = KINDS.mastodon!.probe;
    KINDS.mastodon!.probe = async (entry, context) => {
      const result = await real(entry, context);
      return entry.url === other.url ? { ...result, thumbnail: "not a url" } : result;
    };
    const errors: string[] = [];
    const consoleError = console.error;
    console.error = (...parts: unknown[]) => void errors.push(parts.join(" "));
    let second;
    try {
      second = await runProbes({ list, previous: first.entries, resolve: loopbackResolver(), now: () => new Date("2026-05-01T12:00:00Z") });
    } finally {
      KINDS.mastodon!.probe = real;
      console.error = consoleError;
    }
    assertValidOutput(second.entries);
    const [kept, bad] = second.entries as MastodonInstance[];
    assert.equal(kept!.api_online, true);
    assert.equal(kept!.data_updated_at, "2026-05-01T12:00:00Z");
    assert.equal(bad!.offline_reason, "invalid_data");
    assert.equal(bad!.stale, true);
    assert.equal(bad!.data_updated_at, "2026-05-01T11:00:00Z");
    assert.equal(bad!.thumbnail, (first.entries[1] as MastodonInstance).thumbnail);
    assert.deepEqual(second.invalid, [{ kind: "mastodon", url: other.url, problems: ["/thumbnail: must be a valid uri"] }]);
    assert.ok(errors.some((line) => line.includes(other.url) && line.includes("/thumbnail")), errors.join("\n"));
  });
});
