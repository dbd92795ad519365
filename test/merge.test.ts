// Sharded runs: `npm run probe -- --shard I/N` probes a stable share of the list, and
// `npm run merge` puts the shares back together. A shard that is missing, failed, or
// overlaps another never loses data: its instances keep their previous values, marked stale.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startFakeCobalt, type FakeCobalt } from "./support/cobalt-server.ts";
import { runScript } from "./support/cli.ts";
import { temporaryDirectory, writeJson } from "./support/loopback.ts";
import { parseList } from "../scripts/lib/list.ts";
import { mergeShards } from "../scripts/lib/merge.ts";
import { assertValidOutput } from "../scripts/lib/run.ts";
import type { CobaltInstance } from "../scripts/schema-types.ts";
import { entriesOfShard, parseShard, shardOf } from "../scripts/lib/shard.ts";

// Every instance here is a cobalt one.
type Instance = CobaltInstance;

const TEST_LINK = "https://www.youtube.com/watch?v=merge-test";

describe("shard assignment", () => {
  it("parses I/N and refuses anything else with the expected form in the message", () => {
    assert.deepEqual(parseShard("2/4"), { index: 2, count: 4 });
    for (const bad of ["0/4", "5/4", "1/0", "a/b", "2", "-1/2"]) assert.throws(() => parseShard(bad), /--shard must be I\/N/);
  });

  it("puts an instance in the same shard however its URL is spelled", () => {
    assert.equal(shardOf("cobalt", "https://API.example.com/", 7), shardOf("cobalt", "https://api.example.com.", 7));
  });

  it("keeps an instance in its shard when other instances are added or removed", () => {
    const entries = Array.from({ length: 40 }, (_, i) => ({ kind: "mastodon" as const, url: `https://m${i}.example` }));
    const before = new Map(entries.map((e) => [e.url, shardOf(e.kind, e.url, 4)]));
    const grown = [...entries.slice(5), ...Array.from({ length: 20 }, (_, i) => ({ kind: "mastodon" as const, url: `https://new${i}.example` }))];
    for (let index = 1; index <= 4; index++) {
      for (const entry of entriesOfShard(grown, { index, count: 4 })) {
        if (before.has(entry.url)) assert.equal(index, before.get(entry.url), entry.url);
      }
    }
  });

  it("splits a list into disjoint shares that cover it", () => {
    const entries = Array.from({ length: 100 }, (_, i) => ({ kind: "cobalt" as const, api: `https://c${i}.example` }));
    const shares = [1, 2, 3].map((index) => entriesOfShard(entries, { index, count: 3 }));
    assert.equal(shares.flat().length, 100);
    assert.equal(new Set(shares.flat().map((e) => e.api)).size, 100);
    for (const share of shares) assert.ok(share.length > 10, "a hash spreads instances over every shard");
  });
});

describe("npm run probe -- --shard and npm run merge", () => {
  const tmp = temporaryDirectory();
  const servers: FakeCobalt[] = [];
  const listFile = join(tmp.dir, "list.json");
  const fullFile = join(tmp.dir, "full.json");
  let list: ReturnType<typeof parseList>;
  let full: Instance[];
  const inShard = (index: number) => full.filter((e) => shardOf("cobalt", e.api_url, 2) === index);

  before(async () => {
    // Loopback ports are random: start instances until both shards have some.
    while (servers.length < 3 || new Set(servers.map((s) => shardOf("cobalt", s.url, 2))).size < 2) {
      if (servers.length >= 40) throw new Error("could not spread instances over two shards");
      servers.push(await startFakeCobalt({ offered: ["youtube"], outcomes: { [TEST_LINK]: { status: "tunnel", bytes: 1024 } } }));
    }
    const value = {
      title: "merge test",
      probe: { allowPrivateAddresses: ["127.0.0.1/32"], timeoutMs: 30_000, shards: 2 },
      services: { youtube: TEST_LINK },
      instances: servers.map((s) => ({ kind: "cobalt", api: s.url })),
    };
    writeJson(listFile, value);
    list = parseList(listFile, JSON.stringify(value));
    const run = await runScript("scripts/probe.ts", ["--list", listFile, "--out", fullFile]);
    assert.equal(run.code, 0, run.stderr);
    full = JSON.parse(readFileSync(fullFile, "utf8"));
    assert.ok(full.every((e) => e.api_online), "every fake instance answered");
  });

  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
    tmp.remove();
  });

  function folder(name: string, files: Record<string, unknown>): string {
    const dir = join(tmp.dir, name);
    mkdirSync(dir, { recursive: true });
    for (const [file, value] of Object.entries(files)) writeFileSync(join(dir, file), typeof value === "string" ? value : JSON.stringify(value));
    return dir;
  }

  it("probes each instance in exactly one shard, and the shards merge back into the list, in its order", async () => {
    const dir = join(tmp.dir, "shards");
    for (const shard of ["1/2", "2/2"]) {
      const run = await runScript("scripts/probe.ts", ["--list", listFile, "--shard", shard, "--previous", fullFile, "--out", join(dir, `instances-shard-${shard[0]}-of-2.json`)]);
      assert.equal(run.code, 0, run.stderr);
    }
    const one: Instance[] = JSON.parse(readFileSync(join(dir, "instances-shard-1-of-2.json"), "utf8"));
    const two: Instance[] = JSON.parse(readFileSync(join(dir, "instances-shard-2-of-2.json"), "utf8"));
    assert.deepEqual(one.map((e) => e.api_url).sort(), inShard(1).map((e) => e.api_url).sort());
    assert.deepEqual(two.map((e) => e.api_url).sort(), inShard(2).map((e) => e.api_url).sort());

    const out = join(tmp.dir, "merged.json");
    const merge = await runScript("scripts/merge.ts", ["--list", listFile, "--from", dir, "--previous", fullFile, "--out", out]);
    assert.equal(merge.code, 0, merge.stderr);
    const merged: Instance[] = JSON.parse(readFileSync(out, "utf8"));
    assertValidOutput(merged);
    assert.deepEqual(merged.map((e) => e.api_url), servers.map((s) => s.url));
    assert.ok(merged.every((e) => e.stale === false && e.api_online));
    assert.ok(merged.every((e) => e.history), "the merge records the run's history, which shards leave to it");
    assert.ok(existsSync(join(tmp.dir, "history")));
  });

  it("keeps a missing shard's instances at their previous values, marked stale, and says which shard", async () => {
    const dir = folder("only-one", { "instances-shard-1-of-2.json": inShard(1) });
    const out = join(tmp.dir, "missing.json");
    const merge = await runScript("scripts/merge.ts", ["--list", listFile, "--from", dir, "--previous", fullFile, "--out", out]);
    assert.equal(merge.code, 0, merge.stderr);
    assert.match(merge.stderr, /shard 2\/2 reported no result for \d+ instance/);
    const merged: Instance[] = JSON.parse(readFileSync(out, "utf8"));
    assertValidOutput(merged);
    for (const entry of merged) {
      const previous = full.find((e) => e.api_url === entry.api_url)!;
      const { history: _now, ...values } = entry;
      const { history: _before, ...previousValues } = previous;
      if (shardOf("cobalt", entry.api_url, 2) === 1) assert.deepEqual(values, previousValues);
      else assert.deepEqual(values, { ...previousValues, stale: true });
    }
  });

  it("keeps the latest check of an instance that two shard outputs report", () => {
    const older = full.map((e) => ({ ...e, checked_at: "2020-01-01T00:00:00Z", version: "9.9.9" }));
    const { entries, report } = mergeShards(list, [{ source: "a.json", entries: older }, { source: "b.json", entries: full }, { source: "c.json", entries: older }], []);
    assert.deepEqual(entries, full);
    assert.equal(report.duplicates.length, 2 * full.length);
  });

  it("gives an instance that no shard reported and no earlier run knew an offline entry that says it was not checked", () => {
    const { entries } = mergeShards(list, [{ source: "one.json", entries: inShard(1) }], [], new Date("2026-01-01T00:00:00.400Z"));
    assertValidOutput(entries);
    for (const entry of (entries as Instance[]).filter((e) => shardOf("cobalt", e.api_url, 2) === 2)) {
      assert.equal(entry.api_online, false);
      assert.equal(entry.offline_reason, "not_checked");
      assert.equal(entry.stale, false);
      assert.equal(entry.checked_at, "2026-01-01T00:00:00Z");
    }
  });

  it("drops entries of instances that are no longer in the list", () => {
    const gone = { ...full[0]!, api: "gone.example", api_url: "https://gone.example" };
    const { entries, report } = mergeShards(list, [{ source: "x.json", entries: [...full, gone] }], []);
    assert.equal(entries.length, full.length);
    assert.deepEqual(report.unlisted, ["https://gone.example (x.json)"]);
  });

  it("takes from a shard's output only the instances of that shard: one shard cannot overwrite another's results", () => {
    const forged = full.map((e) => ({ ...e, version: "forged" }));
    const { entries, report } = mergeShards(list, [{ source: "out/instances-shard-1-of-2.json", entries: forged }], full);
    for (const entry of entries as Instance[]) {
      const inFirst = shardOf("cobalt", entry.api_url, 2) === 1;
      assert.equal(entry.version === "forged", inFirst, entry.api_url);
    }
    assert.equal(report.unlisted.length, full.filter((e) => shardOf("cobalt", e.api_url, 2) === 2).length);
    assert.match(report.unlisted[0]!, /instances-shard-1-of-2\.json, which is not its shard/);
  });

  it("ignores a shard output that is not valid JSON or not valid data, with a warning, and keeps its instances stale", async () => {
    const dir = folder("broken", { "instances-shard-1-of-2.json": inShard(1), "instances-shard-2-of-2.json": "{ truncated", "extra.json": [{ kind: "cobalt", api: 1 }] });
    const out = join(tmp.dir, "broken.json");
    const merge = await runScript("scripts/merge.ts", ["--list", listFile, "--from", dir, "--previous", fullFile, "--out", out]);
    assert.equal(merge.code, 0, merge.stderr);
    assert.match(merge.stderr, /instances-shard-2-of-2\.json cannot be read and is ignored/);
    assert.match(merge.stderr, /extra\.json does not match the schema and is ignored/);
    const merged: Instance[] = JSON.parse(readFileSync(out, "utf8"));
    assert.equal(merged.filter((e) => e.stale).length, inShard(2).length);
  });

  it("fails and writes nothing when no shard output is usable", async () => {
    const out = join(tmp.dir, "untouched.json");
    writeFileSync(out, "previous content\n");
    for (const dir of [folder("empty", {}), join(tmp.dir, "does-not-exist")]) {
      const merge = await runScript("scripts/merge.ts", ["--list", listFile, "--from", dir, "--previous", fullFile, "--out", out]);
      assert.equal(merge.code, 1);
      assert.match(merge.stderr, /no usable shard output .* nothing was merged or written/);
      assert.equal(readFileSync(out, "utf8"), "previous content\n");
    }
    assert.ok(!existsSync(join(tmp.dir, "does-not-exist")));
  });

  it("refuses to run without --from, naming the flag", async () => {
    const merge = await runScript("scripts/merge.ts", ["--list", listFile]);
    assert.equal(merge.code, 1);
    assert.match(merge.stderr, /--from is required/);
  });
});
