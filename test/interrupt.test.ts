// Interrupted or failed runs lose nothing: a killed probe, output that fails the schema and
// a machine without network all leave the previous data exactly as it was; a probe that
// crashes on one instance keeps that instance's previous values, marked stale.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseList } from "../scripts/lib/list.ts";
import { NO_NETWORK_EXIT_CODE, runProbes, type Instance } from "../scripts/lib/run.ts";
import { KINDS } from "../scripts/probes/index.ts";
import { ROOT, runScript } from "./support/cli.ts";
import { startFakeCobalt, type FakeCobalt } from "./support/cobalt-server.ts";
import { PATHOLOGIES, startHostile, type HostileServer } from "./support/hostile-servers.ts";
import { loopbackResolver, temporaryDirectory, writeJson } from "./support/loopback.ts";

const LINK = "https://www.youtube.com/watch?v=jNQXAC9IVRw";
/** CLI runs resolve names through loopbackResolver: no DNS query leaves the machine. */
const OFFLINE_DNS = { NODE_OPTIONS: "--import ./test/support/loopback-dns.ts" };

function listFor(apis: string[], probe: Record<string, unknown> = {}) {
  return {
    title: "interrupt test",
    probe: { allowPrivateAddresses: ["127.0.0.1/32"], timeoutMs: 30_000, ...probe },
    services: { youtube: LINK },
    instances: apis.map((api) => ({ kind: "cobalt", api })),
  };
}

/** The folder's files and their bytes, to compare before and after a run. */
function snapshot(dir: string): Record<string, string> {
  // Recursive: the data folder holds the history store too.
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((item) => item.isFile());
  return Object.fromEntries(files.map((item) => join(item.parentPath, item.name).slice(dir.length + 1)).sort().map((name) => [name, readFileSync(join(dir, name), "base64")]));
}

describe("a run of the real CLI", { timeout: 300_000 }, () => {
  let dir: string;
  let remove: () => void;
  let healthy: FakeCobalt;
  let silent: HostileServer;
  let outFile: string;
  let listFile: string;

  before(async () => {
    ({ dir, remove } = temporaryDirectory());
    healthy = await startFakeCobalt({ outcomes: { [LINK]: { status: "redirect" } } });
    silent = await startHostile("never answers", PATHOLOGIES["never answers"]!);
    outFile = join(dir, "data", "instances.json");
    listFile = join(dir, "list.json");
    // A previous run leaves the data a later run must not lose.
    writeJson(listFile, listFor([healthy.url]));
    const first = await runScript("scripts/probe.ts", ["--list", listFile, "--out", outFile], OFFLINE_DNS);
    assert.equal(first.code, 0, first.stderr);
  });
  after(async () => {
    await Promise.all([healthy.close(), silent.close()]);
    remove();
  });

  it("killed with SIGKILL mid-run leaves the data byte-identical and no temporary file behind", async () => {
    const killList = join(dir, "kill-list.json");
    writeJson(killList, listFor([healthy.url, silent.url], { timeoutMs: 60_000 }));
    const dataDir = join(dir, "data");
    const before = snapshot(dataDir);
    const connected = silent.connections();
    const child = spawn(process.execPath, ["scripts/probe.ts", "--list", killList, "--out", outFile], { cwd: ROOT, env: { ...process.env, ...OFFLINE_DNS }, stdio: "ignore" });
    const exited = once(child, "exit");
    // Kill it once the probe is waiting on the silent instance: mid-run, for certain.
    while (silent.connections() === connected && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(child.exitCode, null, "the probe ended before it could be killed mid-run");
    child.kill("SIGKILL");
    const [code, signal] = await exited;
    assert.equal(code, null);
    assert.equal(signal, "SIGKILL");
    assert.deepEqual(snapshot(dataDir), before);

    // And a later run is not tripped by anything the killed one left.
    const later = await runScript("scripts/probe.ts", ["--list", listFile, "--out", outFile], OFFLINE_DNS);
    assert.equal(later.code, 0, later.stderr);
    assert.deepEqual(Object.keys(snapshot(dataDir)).filter((name) => !name.startsWith("history/")), ["instances.json"]);
  });

  it("killed between writing and renaming leaves at most a temporary file, which git ignores", () => {
    // writeFileAtomic writes `<file>.<pid>.tmp` beside the data, then renames it over the file.
    const ignored = spawnSync("git", ["check-ignore", "--quiet", "--no-index", "data/instances.json.12345.tmp"], { cwd: ROOT });
    assert.equal(ignored.status, 0, "data/*.tmp must be in .gitignore, or `git add data/` would publish a half-written file");
  });

  it("whose output fails the schema writes nothing and names the entry and the key", async () => {
    // The list allows API URLs longer than the output's host field: a real way to produce invalid output.
    const port = new URL(healthy.url).port;
    const badList = join(dir, "long-host-list.json");
    writeJson(badList, listFor([healthy.url, `http://${"a".repeat(320)}.test:${port}`]));
    const before = readFileSync(outFile);
    const { code, stdout, stderr } = await runScript("scripts/probe.ts", ["--list", badList, "--out", outFile], OFFLINE_DNS);
    assert.notEqual(code, 0);
    assert.match(stderr, /does not match schemas\/instances\.schema\.json; nothing was written/);
    assert.match(stderr, /\/1\/api \(cobalt http:\/\/a{320}\.test:\d+\): must be at most 300 characters long: shorten it/);
    assert.doesNotMatch(stdout, /wrote/);
    assert.deepEqual(readFileSync(outFile), before);
  });

  it("on a machine without network says so, keeps the previous data and exits non-zero", async () => {
    const noNetworkList = join(dir, "no-network-list.json");
    // Names that never resolve: a closed port of this machine could be another program's by the time the probe connects.
    writeJson(noNetworkList, listFor(["https://one.invalid", "https://two.invalid"], { reachabilityCheck: "https://reachable.invalid/" }));
    const before = readFileSync(outFile);
    const { code, stderr } = await runScript("scripts/probe.ts", ["--list", noNetworkList, "--out", outFile], OFFLINE_DNS);
    assert.equal(code, NO_NETWORK_EXIT_CODE, "its own exit code, which npm start reads");
    assert.match(stderr, /every instance failed with dns and the reachability check https:\/\/reachable\.invalid\/ failed too \(dns\)/);
    assert.match(stderr, /no network, so nothing was written and the previous data was kept/);
    assert.doesNotMatch(stderr, /\n\s+at /);
    assert.deepEqual(readFileSync(outFile), before);
  });

  it("publishes every instance as down when they all fail but the reachability check answers", async () => {
    const downList = join(dir, "all-down-list.json");
    const otherOut = join(dir, "all-down.json");
    writeJson(downList, listFor(["https://one.invalid", "https://two.invalid"], { reachabilityCheck: healthy.url }));
    const { code, stderr } = await runScript("scripts/probe.ts", ["--list", downList, "--out", otherOut], OFFLINE_DNS);
    assert.equal(code, 0, stderr);
    const entries = JSON.parse(readFileSync(otherOut, "utf8")) as Instance[];
    assert.deepEqual(entries.map((entry) => [entry.api_online, entry.offline_reason]), [[false, "dns"], [false, "dns"]]);
  });
});

describe("a probe that crashes on one instance", () => {
  let healthy: FakeCobalt;
  let crashing: FakeCobalt;
  const original = KINDS.cobalt!;

  before(async () => {
    healthy = await startFakeCobalt({ outcomes: { [LINK]: { status: "redirect" } } });
    crashing = await startFakeCobalt({ outcomes: { [LINK]: { status: "redirect" } } });
  });
  after(async () => {
    KINDS.cobalt = original;
    await Promise.all([healthy.close(), crashing.close()]);
  });

  it("records probe_error for it, keeps its previous values marked stale with their age, and goes on", async () => {
    const list = parseList("list.json", JSON.stringify(listFor([healthy.url, crashing.url])));
    const earlier = await runProbes({ list: { ...list, instances: [list.instances[1]!] }, resolve: loopbackResolver(), now: () => new Date("2026-01-01T10:00:00Z") });
    const previous = earlier.entries[0]!;
    assert.equal(previous.api_online, true);

    // No input makes the cobalt probe throw (that would be a bug to fix), so the registry's
    // cobalt probe stands in for one that throws on this instance only.
    KINDS.cobalt = {
      ...original,
      async probe(entry, context) {
        if (entry.api === crashing.url) throw new TypeError("Cannot read properties of undefined (reading 'version')");
        return original.probe(entry, context);
      },
    };
    const originalError = console.error;
    const logged: string[] = [];
    console.error = (...args: unknown[]) => void logged.push(args.join(" "));
    let entries: Instance[];
    try {
      ({ entries } = await runProbes({ list, previous: [previous], resolve: loopbackResolver(), now: () => new Date("2026-01-01T13:00:00Z") }));
    } finally {
      console.error = originalError;
      KINDS.cobalt = original;
    }

    const [ok, crashed] = entries;
    assert.equal(ok!.api_online, true);
    assert.equal(ok!.offline_reason, null);
    assert.equal(crashed!.kind, "cobalt");
    if (crashed!.kind !== "cobalt" || previous.kind !== "cobalt") return;
    assert.equal(crashed!.offline_reason, "probe_error");
    assert.equal(crashed!.stale, true);
    assert.equal(crashed!.data_updated_at, "2026-01-01T10:00:00Z");
    assert.equal(crashed!.checked_at, "2026-01-01T13:00:00Z");
    assert.equal(crashed!.version, previous.version);
    assert.equal(crashed!.commit, previous.commit);
    assert.match(logged.join("\n"), new RegExp(`probe of ${crashing.url} crashed at 2026-01-01T13:00:00Z: TypeError`));
  });
});
